package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// obj is a JSON object in test plans.
type obj = map[string]any

// tfChange is one resource_changes entry of a test plan.
type tfChange struct {
	addr, module, typ, name string
	index                   any
	actions                 []string
	after, unknown, sens    any
}

func (c tfChange) json() obj {
	o := obj{"address": c.addr, "mode": "managed", "type": c.typ, "name": c.name,
		"provider_name": "registry.terraform.io/hashicorp/azurerm"}
	if c.module != "" {
		o["module_address"] = c.module
	}
	if c.index != nil {
		o["index"] = c.index
	}
	actions := c.actions
	if actions == nil {
		actions = []string{"create"}
	}
	unknown, sens := c.unknown, c.sens
	if unknown == nil {
		unknown = obj{}
	}
	if sens == nil {
		sens = obj{}
	}
	o["change"] = obj{"actions": actions, "before": nil, "after": c.after, "after_unknown": unknown, "after_sensitive": sens}
	return o
}

// linuxApp is the after value of an azurerm_linux_function_app as a plan
// holds it: the provider's defaults filled in, extra overriding.
func linuxApp(name string, extra obj) obj {
	a := obj{
		"name": name, "location": "westeurope", "resource_group_name": "rg",
		"https_only": false, "public_network_access_enabled": true,
		"ftp_publish_basic_authentication_enabled": true, "webdeploy_publish_basic_authentication_enabled": true,
		"client_certificate_enabled": false, "client_certificate_mode": "Optional",
		"builtin_logging_enabled": true, "functions_extension_version": "~4",
		"identity": []any{}, "app_settings": nil, "storage_account_name": nil, "storage_account_access_key": nil,
		"storage_uses_managed_identity": false, "virtual_network_subnet_id": nil, "connection_string": []any{},
		"site_config": []any{obj{
			"minimum_tls_version": "1.2", "scm_minimum_tls_version": "1.2", "ftps_state": "Disabled",
			"remote_debugging_enabled": false, "cors": []any{}, "ip_restriction": []any{},
			"ip_restriction_default_action": "Allow", "application_stack": []any{},
		}},
	}
	for k, v := range extra {
		a[k] = v
	}
	return a
}

// planDoc assembles a plan. config is configuration.root_module (nil: none).
func planDoc(changes []tfChange, config obj) obj {
	rcs := make([]any, len(changes))
	for i := range changes {
		rcs[i] = changes[i].json()
	}
	doc := obj{
		"format_version": "1.2", "terraform_version": "1.9.5",
		"planned_values":   obj{"root_module": obj{}},
		"resource_changes": rcs,
	}
	if config != nil {
		doc["configuration"] = obj{"root_module": config}
	}
	return doc
}

// writePlan writes doc (indented like jq, or compact) as dir/tfplan.json.
func writePlan(t *testing.T, dir string, doc obj, indent bool) (path, text string) {
	t.Helper()
	var (
		b   []byte
		err error
	)
	if indent {
		b, err = json.MarshalIndent(doc, "", "  ")
	} else {
		b, err = json.Marshal(doc)
	}
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "tfplan.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, string(b)
}

// loadPlan runs LoadPlan and fails on a recovered panic.
func loadPlan(t *testing.T, path string) (*model.Module, model.Diagnostics) {
	t.Helper()
	mod, diags := LoadPlan(context.Background(), path)
	for _, d := range diags {
		if d.Summary == internalErrorSummary {
			t.Fatalf("LoadPlan recovered a panic: %s", d.Detail)
		}
		if d.Range.Start.Line < 1 {
			t.Errorf("diagnostic without a line: %+v", d)
		}
	}
	if mod == nil {
		t.Fatal("LoadPlan returned a nil module")
	}
	return mod, diags
}

// lineAfter returns the line of the last of needles, each searched after
// the one before it.
func lineAfter(t *testing.T, text string, needles ...string) int {
	t.Helper()
	i := 0
	for _, n := range needles {
		j := strings.Index(text[i:], n)
		if j < 0 {
			t.Fatalf("plan has no %q after offset %d", n, i)
		}
		i += j
	}
	return 1 + strings.Count(text[:i], "\n")
}

func newEngine(t *testing.T) *engine.Engine {
	t.Helper()
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func TestIsPlanJSON(t *testing.T) {
	bigVars := `{"format_version":"1.2","terraform_version":"1.9.5","variables":{"x":{"value":"` + strings.Repeat("a", 9000) + `"}},"planned_values":{}}`
	for _, tc := range []struct {
		name string
		head string
		want bool
	}{
		{"plan", `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}}}`, true},
		{"resource changes only", "\ufeff\n {\n \"format_version\": \"1.1\",\n \"resource_changes\": []\n}", true},
		{"variables beyond the head", bigVars[:8<<10], true},
		{"truncated inside planned_values", `{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"a`, true},
		{"state", `{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}`, false},
		{"arm template", `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[]}`, false},
		{"package.json", `{"name":"func","version":"1.0.0","scripts":{"start":"func start"}}`, false},
		{"host.json", `{"version":"2.0","logging":{"applicationInsights":{}}}`, false},
		{"nested keys do not count", `{"outer":{"format_version":"1.2","planned_values":{}}}`, false},
		{"format version without plan keys", `{"format_version":"1.2"}`, false},
		{"array", `[{"format_version":"1.2","planned_values":{}}]`, false},
		{"empty", ``, false},
		{"garbage", `{"format_version" 1.2, "planned_values":{}}`, false},
		{"escaped quote in a value", `{"x":"a\"b","format_version":"1.2","resource_changes":[]}`, true},
		{"space before the colon", "{\"planned_values\":{},\n\t\"format_version\" :\"1.2\"}", true},
		{"format version escaped", `{"format\u005fversion":"1.2","planned_values":{}}`, false},
		{"format version only as a value", `{"kind":"format_version","planned_values":{}}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := IsPlanJSON([]byte(tc.head)); got != tc.want {
				t.Errorf("IsPlanJSON = %v, want %v", got, tc.want)
			}
		})
	}
}

// A value the plan knows only after apply is undetermined, with the
// resource it comes from; one the configuration does not write is left
// to the mapping's default.
func TestLoadPlanUnknownIsUndetermined(t *testing.T) {
	app := linuxApp("func-u", obj{
		"app_settings": obj{"LITERAL": "x"},
	})
	sc := app["site_config"].([]any)[0].(obj)
	delete(sc, "minimum_tls_version")
	unknown := obj{
		"id": true, "key_vault_reference_identity_id": true,
		"app_settings": obj{"FROM_STORAGE": true, "FROM_LOCAL": true},
		"site_config":  []any{obj{"minimum_tls_version": true, "app_scale_limit": true}},
	}
	config := obj{"resources": []any{obj{
		"address": "azurerm_linux_function_app.a", "mode": "managed", "type": "azurerm_linux_function_app", "name": "a",
		"expressions": obj{
			"name": obj{"constant_value": "func-u"},
			"site_config": []any{obj{"minimum_tls_version": obj{"references": []any{
				"azurerm_app_configuration_key.tls.value", "azurerm_app_configuration_key.tls"}}}},
			"app_settings": obj{"references": []any{"azurerm_storage_account.sa.primary_connection_string", "azurerm_storage_account.sa"}},
		},
	}}}
	path, text := writePlan(t, t.TempDir(), planDoc([]tfChange{{
		addr: "azurerm_linux_function_app.a", typ: "azurerm_linux_function_app", name: "a", after: app, unknown: unknown,
	}}, config), true)
	mod, diags := loadPlan(t, path)
	if len(diags) != 0 {
		t.Errorf("unexpected diagnostics: %+v", diags)
	}
	if len(mod.FunctionApps) != 1 {
		t.Fatalf("got %d apps", len(mod.FunctionApps))
	}
	a := mod.FunctionApps[0]
	tls := a.SiteConfig.MinTLSVersion
	wantValue(t, "min_tls_version", tls, "", model.Unknown, lineAfter(t, text, `"after_unknown"`, `"minimum_tls_version": true`))
	if !strings.Contains(tls.Note, "known only after apply (azurerm_app_configuration_key.tls.value)") {
		t.Errorf("min_tls_version note = %q", tls.Note)
	}
	// Computed by the provider and not written: the default applies.
	wantValue(t, "key_vault_reference_identity", a.KeyVaultReferenceIdentity, "SystemAssigned", model.Default, 0)
	wantValue(t, "app_scale_limit", a.SiteConfig.AppScaleLimit, 0, model.Default, 0)
	wantValue(t, "literal setting", setting(t, a.AppSettings, "LITERAL").Value, "x", model.Explicit, lineAfter(t, text, `"after"`, `"LITERAL"`))
	st := setting(t, a.AppSettings, "FROM_STORAGE")
	wantValue(t, "FROM_STORAGE", st.Value, "", model.Unknown, 0)
	if st.Source.V != string(model.SourceResource) || st.Attribute.V != "primary_connection_string" {
		t.Errorf("FROM_STORAGE source = %s/%s, want resource_attribute/primary_connection_string", st.Source.V, st.Attribute.V)
	}

	res := newEngine(t).Run(context.Background(), mod)
	undetermined := false
	for _, f := range res.Findings {
		if f.CheckID == "AZFUNC-041" {
			if f.Status != engine.Undetermined {
				t.Errorf("AZFUNC-041 status = %s, want undetermined", f.Status)
			}
			undetermined = true
		}
	}
	if !undetermined {
		t.Error("no AZFUNC-041 finding for an unknown minimum_tls_version")
	}
}

// Sensitive values of a plan are judged (the plan holds the cleartext)
// but never printed: not in messages, the model view, notes, diagnostics
// or any report format, snippets included, whether findings point at the
// .tf beside the plan, into an indented plan or into a minified one.
func TestLoadPlanSensitiveNeverPrinted(t *testing.T) {
	const secret = "Pa55-w0rd-7f3c9e1d4b2a"
	app := linuxApp("func-s", obj{
		"app_settings":               obj{"DB_PASSWORD": secret, "MODE": "prod"},
		"storage_account_access_key": secret + "-key",
	})
	app["site_config"].([]any)[0].(obj)["application_insights_key"] = secret + "-ai"
	sens := obj{"app_settings": obj{"DB_PASSWORD": true}, "storage_account_access_key": true,
		"site_config": []any{obj{"application_insights_key": true}}}
	doc := planDoc([]tfChange{{
		addr: "azurerm_linux_function_app.s", typ: "azurerm_linux_function_app", name: "s", after: app, sens: sens,
	}}, nil)
	doc["variables"] = obj{"db_password": obj{"value": secret}}
	const tf = `
resource "azurerm_linux_function_app" "s" {
  name = "func-s"
  app_settings = {
    DB_PASSWORD = var.db_password
    MODE        = "prod"
  }
  storage_account_access_key = var.key
  site_config {}
}
`
	for _, tc := range []struct {
		name           string
		withTF, indent bool
		snippet        string // a snippet the text report must show
	}{
		{"beside the .tf", true, true, `resource "azurerm_linux_function_app" "s" {`},
		{"indented plan", false, true, `"https_only": false`},
		{"minified plan", false, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.withTF {
				if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			path, _ := writePlan(t, dir, doc, tc.indent)
			mod, diags := loadPlan(t, path)
			a := mod.FunctionApps[0]
			wantOrigin := model.Explicit
			if tc.withTF {
				// Not written in the .tf: a provider default, whose note
				// must not quote the value.
				wantOrigin = model.Default
			}
			if ai := a.SiteConfig.AppInsightsKey; ai.Origin != wantOrigin || string(ai.V) != secret+"-ai" {
				t.Errorf("application_insights_key = %s %q, want the plan's value, %s", ai.Origin, ai.V, wantOrigin)
			}
			if st := setting(t, a.AppSettings, "DB_PASSWORD"); st.Source.V != string(model.SourceLiteral) || string(st.Value.V) != secret {
				t.Errorf("DB_PASSWORD source %s, want literal with the plan's cleartext", st.Source.V)
			}

			eng := newEngine(t)
			res := eng.Run(context.Background(), mod)
			found := false
			for _, f := range res.Findings {
				if f.CheckID == "AZFUNC-030" && f.Status == engine.Fail && strings.Contains(f.Path, "DB_PASSWORD") {
					found = true
				}
			}
			if !found {
				t.Error("the sensitive plaintext DB_PASSWORD was not judged (no AZFUNC-030)")
			}

			var out bytes.Buffer
			view, err := json.Marshal(model.View(a))
			if err != nil {
				t.Fatal(err)
			}
			out.Write(view)
			model.View(a).Walk(func(_ string, n *model.Node) { out.WriteString(n.Meta.Note) })
			for _, d := range diags {
				out.WriteString(d.Summary + d.Detail)
			}
			rep := &report.Report{Checks: eng.Checks(), Findings: res.Findings, Diagnostics: diags, Stats: res.Stats, ShowUndetermined: true}
			var text bytes.Buffer
			if err := report.Write(&text, report.FormatText, rep, report.TextOptions{Snippets: true}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text.String(), tc.snippet) {
				t.Errorf("the text report shows no snippet %q:\n%s", tc.snippet, text.String())
			}
			out.Write(text.Bytes())
			for _, f := range []report.Format{report.FormatJSON, report.FormatSARIF} {
				if err := report.Write(&out, f, rep, report.TextOptions{}); err != nil {
					t.Fatal(err)
				}
			}
			if strings.Contains(out.String(), "Pa55") {
				t.Errorf("a sensitive value was printed:\n%s", out.String())
			}
		})
	}
}

func TestProviderDefaultNote(t *testing.T) {
	plain := cty.StringVal("1.2")
	if got := providerDefaultNote("site_config.minimum_tls_version", "1.2", plain); !strings.Contains(got, `"1.2"`) {
		t.Errorf("note %q should quote a plain value", got)
	}
	if got := providerDefaultNote("k", "s3cret", plain.Mark(planSensitiveMark{})); strings.Contains(got, "s3cret") {
		t.Errorf("note %q quotes a sensitive value", got)
	}
	if got := providerDefaultNote("k", model.Sensitive("s3cret"), plain); strings.Contains(got, "s3cret") {
		t.Errorf("note %q quotes a Sensitive value", got)
	}
}

func TestLoadPlanSkipsDeletes(t *testing.T) {
	typ := "azurerm_linux_function_app"
	deposed := tfChange{addr: typ + ".replaced", typ: typ, name: "replaced", actions: []string{"delete"}, after: nil}.json()
	deposed["deposed"] = "00000001"
	doc := planDoc([]tfChange{
		{addr: typ + ".gone", typ: typ, name: "gone", actions: []string{"delete"}, after: nil},
		{addr: typ + ".forgotten", typ: typ, name: "forgotten", actions: []string{"forget"}, after: nil},
		{addr: typ + ".replaced", typ: typ, name: "replaced", actions: []string{"delete", "create"}, after: linuxApp("func-r", nil)},
		{addr: typ + ".same", typ: typ, name: "same", actions: []string{"no-op"}, after: linuxApp("func-n", nil)},
	}, nil)
	doc["resource_changes"] = append(doc["resource_changes"].([]any), deposed)
	// planned_values does not list deleted resources; a stale entry there
	// must not bring one back either.
	doc["planned_values"] = obj{"root_module": obj{"resources": []any{obj{
		"address": typ + ".gone", "mode": "managed", "type": typ, "name": "gone", "values": linuxApp("func-g", nil),
	}}}}
	path, _ := writePlan(t, t.TempDir(), doc, false)
	mod, _ := loadPlan(t, path)
	var got []string
	for _, a := range mod.FunctionApps {
		got = append(got, a.Address)
	}
	if strings.Join(got, " ") != typ+".replaced "+typ+".same" {
		t.Errorf("apps = %v, want the replaced and the unchanged one", got)
	}
}

func TestLoadPlanPlannedValuesFallback(t *testing.T) {
	typ := "azurerm_linux_function_app"
	doc := obj{
		"format_version": "1.2",
		"planned_values": obj{"root_module": obj{"child_modules": []any{obj{
			"address": "module.m",
			"resources": []any{obj{
				"address": "module.m." + typ + ".a", "mode": "managed", "type": typ, "name": "a",
				"values":           linuxApp("func-p", obj{"https_only": true}),
				"sensitive_values": obj{},
			}, obj{
				"address": "module.m.data.azurerm_client_config.c", "mode": "data", "type": "azurerm_client_config", "name": "c", "values": obj{},
			}},
		}}}},
	}
	path, text := writePlan(t, t.TempDir(), doc, true)
	mod, _ := loadPlan(t, path)
	if len(mod.FunctionApps) != 1 {
		t.Fatalf("got %d apps, want 1", len(mod.FunctionApps))
	}
	a := mod.FunctionApps[0]
	if a.Address != "module.m."+typ+".a" || a.Module != "module.m" {
		t.Errorf("address %q module %q", a.Address, a.Module)
	}
	wantValue(t, "https_only", a.HTTPSOnly, true, model.Explicit, lineAfter(t, text, `"values"`, `"https_only": true`))
}

// Resources of child modules keep their plan address; located in the
// module's .tf when its source is local, else in the plan.
func TestLoadPlanModules(t *testing.T) {
	fix := filepath.Join("..", "..", "testdata", "terraform-plan")
	mod, _ := loadPlan(t, filepath.Join(fix, "with-config", "tfplan.json"))
	api := app(t, mod, `module.api.azurerm_linux_function_app.this["west"]`)
	modSrc, err := os.ReadFile(filepath.Join(fix, "with-config", "modules", "api", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	rootSrc, err := os.ReadFile(filepath.Join(fix, "with-config", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if api.Module != "module.api" || !strings.HasSuffix(api.Range.Filename, "with-config/modules/api/main.tf") ||
		api.Range.Start.Line != lineOf(t, string(modSrc), `resource "azurerm_linux_function_app" "this"`) {
		t.Errorf("module app: module %q range %s", api.Module, api.Range)
	}
	if len(api.Calls) != 1 || !strings.HasSuffix(api.Calls[0].Range.Filename, "with-config/main.tf") ||
		api.Calls[0].Range.Start.Line != lineOf(t, string(rootSrc), `module "api"`) {
		t.Errorf("module app calls = %v", api.Calls)
	}
	wantValue(t, "west name", api.Name, "func-plan-api-west", model.Explicit, lineOf(t, string(modSrc), `name   `))
	if api.Plan == nil || api.Plan.Address != "azurerm_service_plan.plan" {
		t.Errorf("module app plan = %v, want the root's plan through var.service_plan_id", api.Plan)
	}

	mod, _ = loadPlan(t, filepath.Join(fix, "plan-only", "tfplan.json"))
	text, err := os.ReadFile(filepath.Join(fix, "plan-only", "tfplan.json"))
	if err != nil {
		t.Fatal(err)
	}
	edge := app(t, mod, "module.edge.azurerm_windows_function_app.this[0]")
	const edgeAddr = `"address": "module.edge.azurerm_windows_function_app.this[0]"`
	addrLine := lineAfter(t, string(text), `"resource_changes"`, edgeAddr)
	if edge.Module != "module.edge" || !strings.HasSuffix(edge.Range.Filename, "plan-only/tfplan.json") || edge.Range.Start.Line != addrLine-1 {
		t.Errorf("registry module app: module %q range %s, want the entry before line %d", edge.Module, edge.Range, addrLine)
	}
	if len(edge.Calls) != 1 || edge.Calls[0].Range.Start.Line != lineAfter(t, string(text), `"module_calls"`, `"edge"`) {
		t.Errorf("registry module app calls = %v", edge.Calls)
	}
	wantValue(t, "edge https_only", edge.HTTPSOnly, false, model.Explicit,
		lineAfter(t, string(text), `"resource_changes"`, edgeAddr, `"after"`, `"https_only": false`))
	if len(edge.DiagnosticSettings.Items) != 1 {
		t.Errorf("edge app has %d diagnostic settings, want its count.index one", len(edge.DiagnosticSettings.Items))
	}
}

// Ids are unknown at plan time: relations come from the configuration's
// references, per instance key where both sides are expanded alike.
func TestLoadPlanReferenceLinking(t *testing.T) {
	fix := filepath.Join("..", "..", "testdata", "terraform-plan", "with-config", "tfplan.json")
	mod, _ := loadPlan(t, fix)
	for _, region := range []string{"east", "west"} {
		a := app(t, mod, `module.api.azurerm_linux_function_app.this["`+region+`"]`)
		if n := len(a.DiagnosticSettings.Items); n != 1 || a.DiagnosticSettings.Items[0].Name.V != "diag-api-"+region {
			t.Errorf("%s: diagnostic settings %d, want only diag-api-%s", region, n, region)
		}
	}
	secure := app(t, mod, "azurerm_windows_function_app.secure")
	if len(secure.PrivateEndpoints.Items) != 1 || len(secure.DiagnosticSettings.Items) != 1 {
		t.Errorf("secure app: %d endpoints, %d diagnostic settings", len(secure.PrivateEndpoints.Items), len(secure.DiagnosticSettings.Items))
	}
	if secure.StorageAccount == nil || secure.StorageAccount.Address != "azurerm_storage_account.secure" {
		t.Errorf("secure app storage = %v", secure.StorageAccount)
	}

	// One endpoint naming the app block without a key links every instance;
	// a literal ARM id links by name; a module output leads into the module.
	const (
		app   = "azurerm_linux_function_app"
		diag  = "azurerm_monitor_diagnostic_setting"
		swift = "azurerm_app_service_virtual_network_swift_connection"
	)
	pe := func(name string, target any) obj {
		return obj{"name": name, "private_service_connection": []any{obj{
			"name": name, "private_connection_resource_id": target, "subresource_names": []any{"sites"}}}}
	}
	changes := []tfChange{
		{addr: app + `.many["a"]`, typ: app, name: "many", index: "a", after: linuxApp("func-a", obj{"storage_account_name": nil}),
			unknown: obj{"storage_account_name": true}},
		{addr: app + `.many["b"]`, typ: app, name: "many", index: "b", after: linuxApp("func-b", nil)},
		{addr: app + ".lit", typ: app, name: "lit", after: linuxApp("func-lit", nil)},
		{addr: "azurerm_private_endpoint.all", typ: "azurerm_private_endpoint", name: "all", after: pe("pe-all", nil),
			unknown: obj{"private_service_connection": []any{obj{"private_connection_resource_id": true}}}},
		{addr: "azurerm_private_endpoint.lit", typ: "azurerm_private_endpoint", name: "lit",
			after: pe("pe-lit", "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/sites/func-lit")},
		{addr: "module.st.azurerm_storage_account.this", module: "module.st", typ: "azurerm_storage_account", name: "this",
			after: obj{"account_replication_type": "LRS", "https_traffic_only_enabled": false}, unknown: obj{"name": true}},
		{addr: diag + `.each["a"]`, typ: diag, name: "each", index: "a", after: obj{"name": "diag-a", "log_analytics_workspace_id": "/w"},
			unknown: obj{"target_resource_id": true}},
		{addr: diag + `.each["b"]`, typ: diag, name: "each", index: "b", after: obj{"name": "diag-b", "log_analytics_workspace_id": "/w"},
			unknown: obj{"target_resource_id": true}},
		{addr: swift + ".lit", typ: swift, name: "lit", after: obj{"subnet_id": "/subnets/s"}, unknown: obj{"app_service_id": true}},
	}
	config := obj{
		"resources": []any{
			obj{"address": app + ".many", "mode": "managed", "type": app, "name": "many", "expressions": obj{
				"storage_account_name": obj{"references": []any{"module.st.name", "module.st"}}}},
			obj{"address": "azurerm_private_endpoint.all", "mode": "managed", "type": "azurerm_private_endpoint", "name": "all",
				"expressions": obj{"private_service_connection": []any{obj{
					"private_connection_resource_id": obj{"references": []any{"azurerm_linux_function_app.many", "local.pick"}}}}}},
			obj{"address": diag + ".each", "mode": "managed", "type": diag, "name": "each",
				"for_each_expression": obj{"references": []any{"azurerm_linux_function_app.many"}},
				"expressions":         obj{"target_resource_id": obj{"references": []any{"each.value.id", "each.value"}}}},
			obj{"address": swift + ".lit", "mode": "managed", "type": swift, "name": "lit",
				"expressions": obj{"app_service_id": obj{"references": []any{"azurerm_linux_function_app.lit.id", "azurerm_linux_function_app.lit"}}}},
		},
		"module_calls": obj{"st": obj{"source": "./st", "module": obj{
			"outputs": obj{"name": obj{"expression": obj{"references": []any{
				"azurerm_storage_account.this.name", "azurerm_storage_account.this"}}}},
			"resources": []any{obj{"address": "azurerm_storage_account.this", "mode": "managed",
				"type": "azurerm_storage_account", "name": "this", "expressions": obj{}}},
		}}},
	}
	path, _ := writePlan(t, t.TempDir(), planDoc(changes, config), false)
	mod, _ = loadPlan(t, path)
	for _, addr := range []string{app + `.many["a"]`, app + `.many["b"]`, app + ".lit"} {
		a := mod.FunctionApps[0]
		for _, x := range mod.FunctionApps {
			if x.Address == addr {
				a = x
			}
		}
		want := "pe-all"
		if addr == app+".lit" {
			want = "pe-lit"
		}
		if len(a.PrivateEndpoints.Items) != 1 || a.PrivateEndpoints.Items[0].Name.V != want {
			t.Errorf("%s: endpoints %d, want %s", addr, len(a.PrivateEndpoints.Items), want)
		}
		// for_each = azurerm_linux_function_app.many with each.value.id
		// links each setting to the app of its key.
		if k := strings.TrimSuffix(strings.TrimPrefix(addr, app+`.many["`), `"]`); k != addr {
			if d := a.DiagnosticSettings.Items; len(d) != 1 || d[0].Name.V != "diag-"+k {
				t.Errorf("%s: diagnostic settings %+v, want diag-%s", addr, d, k)
			}
		}
		if vi := a.VNetIntegrated; vi.V != (addr == app+".lit") {
			t.Errorf("%s: vnet integrated = %v (%s)", addr, vi.V, vi.Note)
		}
	}
	a := mod.FunctionApps[0]
	if a.StorageAccount == nil || a.StorageAccount.Address != "module.st.azurerm_storage_account.this" {
		t.Errorf("%s storage = %v, want the module's account through its output", a.Address, a.StorageAccount)
	}
}

func TestLoadPlanBrokenInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	deepValue := strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 200)
	for _, tc := range []struct {
		name, src, summary string
		line               int
	}{
		{"syntax", "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {,\n}\n", "Invalid JSON", 3},
		{"truncated", "{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [\n", "Invalid JSON", 3},
		{"empty", "", "Invalid JSON", 1},
		{"array", `[{"format_version":"1.2"}]`, "Not a Terraform plan", 1},
		{"state", `{"format_version":"1.0","values":{}}`, "Not a Terraform plan", 1},
		{"too deep for JSON", "{\"format_version\":\"1.2\",\n\"planned_values\":" + strings.Repeat("[", 20000), "Invalid JSON", 2},
		{"too deep to read", `{"format_version":"1.2","resource_changes":[{"address":"azurerm_linux_function_app.a","mode":"managed",` +
			`"type":"azurerm_linux_function_app","name":"a","change":{"actions":["create"],"after":{"name":"f","tags":` + deepValue + `}}}]}`,
			"Value nested too deeply", 1},
		{"format 2", `{"format_version":"2.0","resource_changes":[]}`, "Unsupported plan format version", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := loadPlan(t, write(tc.name+".json", tc.src))
			for _, d := range diags {
				if d.Summary == tc.summary {
					if d.Range.Start.Line != tc.line || !strings.HasSuffix(d.Range.Filename, tc.name+".json") {
						t.Errorf("%s at %s, want line %d", d.Summary, d.Range, tc.line)
					}
					return
				}
			}
			t.Errorf("no %q diagnostic in %+v", tc.summary, diags)
		})
	}

	t.Run("missing", func(t *testing.T) {
		_, diags := loadPlan(t, filepath.Join(dir, "nope.json"))
		if !hasDiag(diags, model.SevError, "Cannot read file") {
			t.Errorf("diags = %+v", diags)
		}
	})
	t.Run("too large", func(t *testing.T) {
		p := filepath.Join(dir, "huge.json")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		// A sparse file: nothing is written, nothing must be read.
		if err := f.Truncate(limits.PlanFileSize + 1); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		_, diags := loadPlan(t, p)
		if !hasDiag(diags, model.SevError, "File too large") {
			t.Errorf("diags = %+v", diags)
		}
	})
}

// terraform show -json prints one line: positions are columns of line 1,
// counted in characters as hcl counts them.
func TestLoadPlanCompactLocations(t *testing.T) {
	typ := "azurerm_linux_function_app"
	settings := obj{"A": "1", "B": "2"}
	for i := range 300 { // more than runeStep bytes of non-ASCII text before https_only
		settings[fmt.Sprintf("TAG_%03d", i)] = "grüße-ünïcødé"
	}
	path, text := writePlan(t, t.TempDir(), planDoc([]tfChange{{
		addr: typ + ".c", typ: typ, name: "c", after: linuxApp("func-c", obj{"app_settings": settings}),
	}}, nil), false)
	col := func(needle string, skip int) int {
		i := strings.Index(text, needle)
		if i < 0 {
			t.Fatalf("plan has no %q", needle)
		}
		return utf8.RuneCountInString(text[:i+skip]) + 1
	}
	mod, _ := loadPlan(t, path)
	a := mod.FunctionApps[0]
	if r, want := a.HTTPSOnly.Range, col(`"https_only":false`, len(`"https_only":`)); r.Start.Line != 1 || r.Start.Column != want {
		t.Errorf("https_only at %d:%d, want 1:%d", r.Start.Line, r.Start.Column, want)
	}
	if r, want := a.Range, col(`{"address"`, 0); r.Start.Line != 1 || r.Start.Column != want {
		t.Errorf("resource at %s, want the resource_changes entry at column %d", r, want)
	}
	// Defaults are blamed on the entry's address.
	if r, want := a.Identity.Type.Range, col(`"address"`, 0); a.Identity.Type.Origin != model.Default || r.Start.Column != want {
		t.Errorf("identity.type %s at %s, want a default at column %d", a.Identity.Type.Origin, r, want)
	}
	if got, want := setting(t, a.AppSettings, "B").Value.Range.Start.Column, col(`"B":"2"`, len(`"B":`)); got != want {
		t.Errorf("setting B at column %d, want %d", got, want)
	}
	if got, want := setting(t, a.AppSettings, "TAG_299").Value.Range.Start.Column, col(`"TAG_299":`, len(`"TAG_299":`)); got != want {
		t.Errorf("setting TAG_299 at column %d, want %d", got, want)
	}
}

// A .tf beside the plan that does not declare the resource, or declares
// it otherwise than the plan's configuration says (stale, or another
// configuration's file), leaves the locations in the plan.
func TestLoadPlanStaleConfigFallsBackToPlan(t *testing.T) {
	typ := "azurerm_linux_function_app"
	config := obj{"resources": []any{obj{"address": typ + ".a", "mode": "managed", "type": typ, "name": "a",
		"expressions": obj{"name": obj{"constant_value": "func-a"}, "https_only": obj{"constant_value": false}}}}}
	for _, tc := range []struct{ name, tf, diag string }{
		{"other resource", `resource "azurerm_linux_function_app" "other" {}`, ""},
		{"other value", "resource \"azurerm_linux_function_app\" \"a\" {\n  name       = \"func-a\"\n  https_only = true\n}\n", "Configuration differs from the plan"},
		{"other arguments", "resource \"azurerm_linux_function_app\" \"a\" {\n  name = \"func-a\"\n}\n", "Configuration differs from the plan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tc.tf), 0o600); err != nil {
				t.Fatal(err)
			}
			path, text := writePlan(t, dir, planDoc([]tfChange{{addr: typ + ".a", typ: typ, name: "a", after: linuxApp("func-a", nil)}}, config), true)
			mod, diags := loadPlan(t, path)
			https := mod.FunctionApps[0].HTTPSOnly
			wantValue(t, "https_only", https, false, model.Explicit, lineAfter(t, text, `"after"`, `"https_only": false`))
			if !strings.HasSuffix(https.Range.Filename, "tfplan.json") {
				t.Errorf("https_only located in %s, want the plan", https.Range.Filename)
			}
			if tc.diag != "" && !hasDiag(diags, model.SevInfo, tc.diag) {
				t.Errorf("no %q diagnostic: %+v", tc.diag, diags)
			}
		})
	}
	// The same configuration is used for locations.
	dir := t.TempDir()
	tf := "resource \"azurerm_linux_function_app\" \"a\" {\n  name       = \"func-a\"\n  https_only = false\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o600); err != nil {
		t.Fatal(err)
	}
	path, _ := writePlan(t, dir, planDoc([]tfChange{{addr: typ + ".a", typ: typ, name: "a", after: linuxApp("func-a", nil)}}, config), true)
	mod, _ := loadPlan(t, path)
	wantValue(t, "https_only", mod.FunctionApps[0].HTTPSOnly, false, model.Explicit, 3)
}

// FuzzLoadPlan feeds arbitrary content to LoadPlan: it must never panic.
func FuzzLoadPlan(f *testing.F) {
	f.Add(`{"format_version":"1.2","resource_changes":[{"address":"azurerm_linux_function_app.a","mode":"managed","type":"azurerm_linux_function_app","name":"a","index":0,"change":{"actions":["create"],"after":{"site_config":[{"cors":[{"allowed_origins":["*"]}]}],"app_settings":{"K":"v"}},"after_unknown":{"site_config":true},"after_sensitive":{"app_settings":true}}}]}`)
	f.Add(`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.x[\"k\"]","resources":[{"address":"module.x[\"k\"].azurerm_private_endpoint.p","mode":"managed","type":"azurerm_private_endpoint","name":"p","values":{"private_service_connection":{"private_connection_resource_id":1}}}]}]}},"configuration":{"root_module":{"module_calls":{"x":{"source":"./x","module":{"resources":[{"type":"azurerm_private_endpoint","name":"p","expressions":{"private_service_connection":[{"private_connection_resource_id":{"references":["module.x.y","var.z","azurerm_linux_function_app.a[0].id"]}}]}}]}}}}}}`)
	f.Add(`{"format_version":"1.2","resource_changes":[{"address":"a","module_address":"module.","type":"azurerm_storage_account","name":"s","mode":"managed","change":{"after":{"network_rules":[null,{"default_action":true}],"name":[]}}}]}`)
	f.Fuzz(func(t *testing.T, src string) {
		p := filepath.Join(t.TempDir(), "tfplan.json")
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		_, diags := LoadPlan(context.Background(), p)
		for _, d := range diags {
			if d.Summary == internalErrorSummary || d.Range.Start.Line < 1 {
				t.Fatalf("on %q: %+v", src, d)
			}
		}
	})
}

// azapi resources of a plan are mapped by the azapi code with ARM
// semantics; body values are located at their .tf item or in the plan.
func TestLoadPlanAzapi(t *testing.T) {
	body := obj{
		"kind": "functionapp,linux",
		"properties": obj{
			"httpsOnly":  false,
			"siteConfig": obj{"minTlsVersion": "1.0", "cors": obj{"allowedOrigins": []any{"*"}}},
		},
	}
	after := obj{
		"type": "Microsoft.Web/sites@2024-04-01", "name": "func-z", "location": "westeurope",
		"parent_id": azapiRG, "body": body, "identity": []any{}, "schema_validation_enabled": true,
		"ignore_missing_property": true, "tags": nil,
	}
	doc := planDoc([]tfChange{{addr: "azapi_resource.site", typ: "azapi_resource", name: "site", after: after,
		unknown: obj{"id": true, "output": true}}}, nil)
	src := `resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-z"
  parent_id = "` + azapiRG + `"
  body = {
    kind = "functionapp,linux"
    properties = {
      httpsOnly = false
      siteConfig = {
        minTlsVersion = "1.0"
        cors          = { allowedOrigins = ["*"] }
      }
    }
  }
}
`
	for _, withTF := range []bool{true, false} {
		dir := t.TempDir()
		if withTF {
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		path, text := writePlan(t, dir, doc, true)
		mod, diags := loadPlan(t, path)
		if len(diags) != 0 {
			t.Errorf("diagnostics: %+v", diags)
		}
		if len(mod.FunctionApps) != 1 {
			t.Fatalf("withTF=%v: %d apps", withTF, len(mod.FunctionApps))
		}
		a := mod.FunctionApps[0]
		httpsLine, tlsLine, starLine := lineOf(t, src, "httpsOnly"), lineOf(t, src, "minTlsVersion"), lineOf(t, src, `"*"`)
		if !withTF {
			httpsLine = lineAfter(t, text, `"after"`, `"httpsOnly"`)
			tlsLine = lineAfter(t, text, `"after"`, `"minTlsVersion"`)
			starLine = lineAfter(t, text, `"after"`, `"allowedOrigins"`, `"*"`)
		}
		wantValue(t, "https_only", a.HTTPSOnly, false, model.Explicit, httpsLine)
		wantValue(t, "min_tls", a.SiteConfig.MinTLSVersion, "1.0", model.Explicit, tlsLine)
		if o := a.SiteConfig.CORS.AllowedOrigins; len(o.Items) != 1 || o.Items[0].Range.Start.Line != starLine {
			t.Errorf("withTF=%v: cors = %+v, want * at line %d", withTF, o, starLine)
		}
	}
}

// A registry module terraform init downloaded (.terraform/modules beside
// the plan) locates its resources' findings in the downloaded .tf.
func TestLoadPlanDownloadedModuleLocations(t *testing.T) {
	dir := t.TempDir()
	modSrc := `resource "azurerm_linux_function_app" "this" {
  name       = "func-dl"
  https_only = false
}
`
	files := map[string]string{
		"main.tf": `module "fn" {
  source = "contoso/function/azurerm"
}
`,
		".terraform/modules/modules.json":        `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"fn","Source":"registry.terraform.io/contoso/function/azurerm","Version":"1.0.0","Dir":".terraform/modules/fn"}]}`,
		".terraform/modules/fn/main.tf":          modSrc,
		".terraform/modules/fn/unrelated.tf.bak": "not read",
	}
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	typ := "azurerm_linux_function_app"
	doc := planDoc([]tfChange{{addr: "module.fn." + typ + ".this", module: "module.fn", typ: typ, name: "this",
		after: linuxApp("func-dl", nil)}}, obj{"module_calls": obj{"fn": obj{"source": "contoso/function/azurerm", "module": obj{}}}})
	path, _ := writePlan(t, dir, doc, true)
	mod, diags := loadPlan(t, path)
	if len(diags) != 0 {
		t.Errorf("diagnostics: %+v", diags)
	}
	a := mod.FunctionApps[0]
	wantValue(t, "https_only", a.HTTPSOnly, false, model.Explicit, lineOf(t, modSrc, "https_only"))
	if !strings.HasSuffix(a.HTTPSOnly.Range.Filename, ".terraform/modules/fn/main.tf") {
		t.Errorf("https_only located in %s", a.HTTPSOnly.Range.Filename)
	}
	wantValue(t, "ftp basic auth", a.FTPBasicAuth, true, model.Default, lineOf(t, modSrc, "resource"))
	if len(a.Calls) != 1 || a.Calls[0].Range.Start.Line != 1 {
		t.Errorf("calls = %v, want the module block of main.tf", a.Calls)
	}
}
