package pulumi_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/pulumi"
)

// metas returns every Meta reachable from v (values, lists, links).
func metas(v any) []model.Meta {
	var out []model.Meta
	seen := map[uintptr]bool{}
	metaType := reflect.TypeOf(model.Meta{})
	var walk func(r reflect.Value)
	walk = func(r reflect.Value) {
		switch r.Kind() {
		case reflect.Pointer:
			if r.IsNil() || seen[r.Pointer()] {
				return
			}
			seen[r.Pointer()] = true
			walk(r.Elem())
		case reflect.Interface:
			if !r.IsNil() {
				walk(r.Elem())
			}
		case reflect.Struct:
			if r.Type() == metaType {
				out = append(out, r.Interface().(model.Meta))
				return
			}
			for i := 0; i < r.NumField(); i++ {
				if r.Type().Field(i).IsExported() {
					walk(r.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < r.Len(); i++ {
				walk(r.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(v))
	return out
}

func hopNames(m model.Meta) []string {
	var out []string
	for _, h := range m.Trail.Hops() {
		out = append(out, string(h.Kind)+" "+h.Name)
	}
	return out
}

// TestInputOutputTrail loads testdata/pulumi/input-output-trail: a value
// that outputs and inputs both hold starts its trail at the input and
// keeps the output as its range; an output that differs from its input
// and a value only inputs hold have no input hop; every link says where
// and why it was made; the secret connection string names nothing.
func TestInputOutputTrail(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "pulumi", "input-output-trail", "dev.stack.json")
	mod, diags := pulumi.LoadFile(context.Background(), path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	app := onlyApp(t, mod)

	https := app.HTTPSOnly
	if https.V || https.Range.Start.Line != 189 {
		t.Fatalf("httpsOnly = %v at line %d, want false at line 189 (outputs)", https.V, https.Range.Start.Line)
	}
	hops := https.Hops()
	want := []model.Hop{
		{Kind: model.HopInput, Name: "inputs.httpsOnly"},
		{Kind: model.HopOutput, Name: "outputs.httpsOnly"},
	}
	if len(hops) != len(want) {
		t.Fatalf("httpsOnly hops %+v, want input then output", hops)
	}
	for i, line := range []int{145, 189} {
		if hops[i].Kind != want[i].Kind || hops[i].Name != want[i].Name || hops[i].Range.Start.Line != line || hops[i].Range.Start.Column != 11 {
			t.Errorf("hop %d = %+v, want %s %s at line %d column 11", i, hops[i], want[i].Kind, want[i].Name, line)
		}
	}
	if o, _ := https.Trail.Origin(); o.Range.Filename != filepath.ToSlash(path) {
		t.Errorf("origin file %q", o.Range.Filename)
	}

	tls := app.SiteConfig.MinTLSVersion
	if tls.V != "1.0" || tls.Range.Start.Line != 194 || tls.Trail.Len() != 0 {
		t.Errorf("minTlsVersion %q at line %d with trail %v: want the output 1.0 at line 194 without an input hop (the input says 1.2)", tls.V, tls.Range.Start.Line, hopNames(tls.Meta))
	}
	if !strings.Contains(tls.Note, "differs from inputs.siteConfig.minTlsVersion") {
		t.Errorf("minTlsVersion note %q", tls.Note)
	}

	dbg := app.SiteConfig.RemoteDebugging
	if !dbg.V || dbg.Range.Start.Line != 152 || dbg.Trail.Len() != 0 || len(dbg.Hops()) != 1 {
		t.Errorf("remoteDebuggingEnabled (inputs only) %v at line %d, hops %+v: want true at line 152, no extra hop", dbg.V, dbg.Range.Start.Line, dbg.Hops())
	}

	const urn = "urn:pulumi:dev::proj::"
	links := []struct {
		what string
		link model.Meta
		line int
		why  string
	}{
		{"plan", app.PlanLink, 188, "serverFarmId is the id of " + urn + "azure-native:web:AppServicePlan::plan"},
		{"storage", app.StorageLink, 164, "app setting AzureWebJobsStorage AccountName= names " + urn + "azure-native:storage:StorageAccount::sttrail"},
	}
	if len(app.DiagnosticSettings.Items) == 1 {
		links = append(links, struct {
			what string
			link model.Meta
			line int
			why  string
		}{"diagnostic setting", app.DiagnosticSettings.Items[0].Link, 0, "resourceUri is the id of " + urn + "azure-native:web:WebApp::func"})
	} else {
		t.Errorf("%d diagnostic settings", len(app.DiagnosticSettings.Items))
	}
	if len(app.PrivateEndpoints.Items) == 1 {
		links = append(links, struct {
			what string
			link model.Meta
			line int
			why  string
		}{"private endpoint", app.PrivateEndpoints.Items[0].Link, 0, "privateLinkServiceId is the id of " + urn + "azure-native:web:WebApp::func"})
	} else {
		t.Errorf("%d private endpoints", len(app.PrivateEndpoints.Items))
	}
	for _, l := range links {
		if l.link.Origin != model.Explicit || l.link.Note != l.why || l.link.Range.Start.Line < 1 || l.line > 0 && l.link.Range.Start.Line != l.line {
			t.Errorf("%s link: %v %q at line %d, want explicit %q at line %d", l.what, l.link.Origin, l.link.Note, l.link.Range.Start.Line, l.why, l.line)
		}
	}
	if names := hopNames(app.PlanLink); len(names) != 2 || names[0] != "input inputs.serverFarmId" {
		t.Errorf("plan link trail %v, want it to start at inputs.serverFarmId", names)
	}

	for _, m := range metas(mod) {
		text := m.Note + " " + strings.Join(hopNames(m), " ")
		if strings.Contains(text, "AccountKey") || strings.Contains(text, "ZmFrZS1") || strings.Contains(text, "sttrail;") {
			t.Errorf("a secret reaches a note or trail: %q", text)
		}
	}
}

// TestSecretPlaintextIsNotNamed: a decrypted secret that is an object
// gives its members a trail that stops at the envelope.
func TestSecretPlaintextIsNotNamed(t *testing.T) {
	secret := envelope + `"plaintext": "{\"minTlsVersion\": \"1.0\", \"s3cr3t-member\": \"x\"}"}`
	mod, _, _ := stack(t,
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp", "siteConfig": `+secret+`}`,
			`"inputs": {"name": "func-a", "kind": "functionapp", "siteConfig": `+secret+`}`),
	)
	app := onlyApp(t, mod)
	tls := app.SiteConfig.MinTLSVersion
	if tls.V != "1.0" {
		t.Fatalf("minTlsVersion %q from the decrypted secret", tls.V)
	}
	if names := hopNames(tls.Meta); len(names) != 2 || names[0] != "input inputs.siteConfig" || names[1] != "output outputs.siteConfig" {
		t.Errorf("trail %v, want it to stop at the envelope (inputs.siteConfig → outputs.siteConfig)", names)
	}
	for _, m := range metas(mod) {
		for _, n := range hopNames(m) {
			if strings.Contains(n, "s3cr3t") || strings.Contains(n, "minTlsVersion") {
				t.Errorf("hop %q names a member of a secret", n)
			}
		}
	}
}

// TestLinkByOnlyDependency: a connection string that is encrypted names
// no account; the only storage account the app depends on is its host,
// linked at that dependency with the reason.
func TestLinkByOnlyDependency(t *testing.T) {
	acctURN := "urn:pulumi:dev::proj::azure-native:storage:StorageAccount::st"
	mod, _, text := stack(t,
		res("st", "azure-native:storage:StorageAccount", acctID, `{"id": "`+acctID+`", "name": "stfunc"}`),
		res("other", "azure-native:storage:StorageAccount", sub+"/providers/Microsoft.Storage/storageAccounts/other", `{"name": "other"}`),
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp"}`,
			`"inputs": {"siteConfig": {"appSettings": [{"name": "AzureWebJobsStorage", "value": `+envelope+`"ciphertext": "v1:AAAA"}}]}}`,
			`"dependencies": ["`+acctURN+`"]`),
	)
	app := onlyApp(t, mod)
	if app.StorageAccount == nil || app.StorageAccount.Address != acctURN {
		t.Fatalf("storage account %v, want %s", app.StorageAccount, acctURN)
	}
	l := app.StorageLink
	wantWhy := "the only storage account urn:pulumi:dev::proj::azure-native:web:WebApp::func-a depends on (app setting AzureWebJobsStorage AccountName= is not known)"
	if l.Note != wantWhy || l.Range.Start.Line != lineOf(t, text, `"dependencies": ["`+acctURN) {
		t.Errorf("storage link %q at line %d", l.Note, l.Range.Start.Line)
	}
}

// TestPendingDeletion: the old copy of a replaced resource is dropped; a
// resource pending deletion (delete: true alone, pendingReplacement, a
// pending "deleting" operation) may or may not exist, and so may its
// slots; what a child in that state sets is unknown; a linked resource
// in that state makes the relation unknown.
func TestPendingDeletion(t *testing.T) {
	siteB := sub + "/providers/Microsoft.Web/sites/func-b"
	siteC := sub + "/providers/Microsoft.Web/sites/func-c"
	diagID := siteC + "/providers/Microsoft.Insights/diagnosticSettings/d"
	appURN := func(n string) string { return "urn:pulumi:dev::proj::azure-native:web:WebApp::" + n }
	resources := []string{
		// A: replaced; the old copy turned HTTPS off.
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp", "httpsOnly": false}`, `"delete": true`),
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp", "httpsOnly": true}`),
		// B: delete-before-replace, deleted; its slot and FTP policy.
		res("func-b", "azure-native:web:WebApp", siteB, `{"id": "`+siteB+`", "name": "func-b", "kind": "functionapp", "serverFarmId": "`+planID+`"}`, `"pendingReplacement": true`),
		res("func-b-stage", "azure-native:web:WebAppSlot", siteB+"/slots/stage", `{"name": "func-b/stage", "kind": "functionapp"}`, `"inputs": {"name": "func-b", "slot": "stage"}`),
		// C: its diagnostic setting and host storage are being deleted,
		// its FTP policy is marked for deletion.
		res("func-c", "azure-native:web:WebApp", siteC, `{"id": "`+siteC+`", "name": "func-c", "kind": "functionapp", "serverFarmId": "`+planID+`"}`,
			`"inputs": {"siteConfig": {"appSettings": [{"name": "AzureWebJobsStorage__accountName", "value": "stfunc"}]}}`),
		res("func-c-ftp", "azure-native:web:WebAppFtpAllowed", siteC+"/basicPublishingCredentialsPolicies/ftp", `{"allow": false, "name": "ftp"}`,
			`"inputs": {"name": "func-c", "allow": false}`, `"delete": true`),
		res("func-c-diag", "azure-native:insights:DiagnosticSetting", diagID, `{"name": "d", "workspaceId": "/w", "logs": []}`,
			`"inputs": {"resourceUri": "`+siteC+`"}`),
		res("st", "azure-native:storage:StorageAccount", acctID, `{"id": "`+acctID+`", "name": "stfunc"}`, `"pendingReplacement": true`),
		res("plan", "azure-native:web:AppServicePlan", planID, `{"id": "`+planID+`", "name": "plan"}`),
	}
	text := "{\"version\": 3, \"deployment\": {\"resources\": [" + strings.Join(resources, ",\n") + "],\n" +
		`"pending_operations": [{"type": "deleting", "resource": {"urn": "urn:pulumi:dev::proj::azure-native:insights:DiagnosticSetting::func-c-diag", "id": "` + diagID + `"}},` +
		`{"type": "deleting", "resource": {"urn": "` + appURN("func-a") + `", "id": "` + siteID + `", "delete": true}}]}}`
	mod := loadText(t, text)
	apps := map[string]*model.FunctionApp{}
	for _, a := range mod.FunctionApps {
		apps[a.Address+"/"+a.SlotName.V] = a
	}
	if len(mod.FunctionApps) != 4 {
		t.Fatalf("%d apps, want func-a (once), func-b, its slot, func-c", len(mod.FunctionApps))
	}
	a := apps[appURN("func-a")+"/"]
	if a == nil || !a.HTTPSOnly.V || a.UnknownExistence != "" {
		t.Errorf("func-a: the replacement decides, and exists: %v", a != nil)
	}
	b := apps[appURN("func-b")+"/"]
	if b == nil || !strings.Contains(b.UnknownExistence, "pendingReplacement: true") {
		t.Errorf("func-b may not exist: %v", b != nil && b.UnknownExistence != "")
	}
	slot := apps["urn:pulumi:dev::proj::azure-native:web:WebAppSlot::func-b-stage/stage"]
	if slot == nil || !strings.HasPrefix(slot.UnknownExistence, "parent app "+appURN("func-b")+": ") {
		t.Errorf("the slot of func-b inherits: found %v", slot != nil)
	}
	c := apps[appURN("func-c")+"/"]
	if c == nil {
		t.Fatal("no func-c")
	}
	if c.UnknownExistence != "" {
		t.Errorf("func-c exists: %q", c.UnknownExistence)
	}
	if c.FTPBasicAuth.Known() || !strings.Contains(c.FTPBasicAuth.Note, "delete: true") {
		t.Errorf("FTP policy marked for deletion: %+v", c.FTPBasicAuth)
	}
	ds := c.DiagnosticSettings
	if len(ds.Items) != 1 || ds.Origin != model.Unknown || !strings.Contains(ds.Note, "pending_operations: deleting") {
		t.Errorf("diagnostic settings of func-c: %d items, %v %q; want unknown-many", len(ds.Items), ds.Origin, ds.Note)
	}
	if c.StorageAccount == nil || c.StorageLink.Origin != model.Unknown || !strings.Contains(c.StorageLink.Note, "may or may not exist: it was deleted to be replaced") {
		t.Errorf("storage link of func-c: %+v", c.StorageLink)
	}
	if c.Plan == nil || c.PlanLink.Origin != model.Explicit {
		t.Errorf("plan link of func-c: %+v", c.PlanLink)
	}
}

func loadText(t *testing.T, text string) *model.Module {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stack.json")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	mod, diags := pulumi.LoadFile(context.Background(), path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return mod
}
