package arm_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers/arm"
)

// runFixture loads a fixture directory under testdata/arm and runs the
// built-in checks on it.
func runFixture(t *testing.T, name string) (string, *engine.Result) {
	t.Helper()
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "testdata", "arm", name)
	m, diags := loadDir(dir)
	for _, d := range diags {
		if d.Severity == model.SevError {
			t.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
	return dir, eng.Run(context.Background(), m)
}

// finding returns the one finding of a check with the given status.
func finding(t *testing.T, res *engine.Result, check string, st engine.Status) engine.Finding {
	t.Helper()
	var out []engine.Finding
	for i := range res.Findings {
		if f := &res.Findings[i]; f.CheckID == check && f.Status == st {
			out = append(out, *f)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d %s findings of %s, want 1: %+v", len(out), st, check, out)
	}
	return out[0]
}

// lineOf returns the line of file that holds the n-th (1-based)
// occurrence of text.
func lineOf(t *testing.T, file, text string, n int) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, text) {
			n--
			if n == 0 {
				return i + 1
			}
		}
	}
	t.Fatalf("%s: %q not found", file, text)
	return 0
}

// hopText renders hops as kind name file:line for comparison.
func hopText(hops []model.Hop) []string {
	out := make([]string, len(hops))
	for i, h := range hops {
		out[i] = fmt.Sprintf("%s %s %s:%d", h.Kind, h.Name, filepath.Base(h.Range.Filename), h.Range.Start.Line)
	}
	return out
}

func sameHops(t *testing.T, what string, got []model.Hop, want []string) {
	t.Helper()
	g := hopText(got)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s trail:\n got %s\nwant %s", what, strings.Join(g, "\n     "), strings.Join(want, "\n     "))
	}
}

// TestParameterFileTrail: a value set in the parameter file, passed
// through a variable and a nested deployment's parameter, carries every
// place it passed, origin first; a default value starts at its
// defaultValue.
func TestParameterFileTrail(t *testing.T) {
	dir, res := runFixture(t, "parameter-file-trail")
	tpl := filepath.Join(dir, "azuredeploy.json")
	params := filepath.Join(dir, "azuredeploy.parameters.json")

	https := finding(t, res, "AZFUNC-040", engine.Fail)
	sameHops(t, "AZFUNC-040", https.Trail, []string{
		fmt.Sprintf("parameter-file httpsOnly azuredeploy.parameters.json:%d", lineOf(t, params, `"value": false`, 1)),
		fmt.Sprintf("parameter parameters('httpsOnly') azuredeploy.json:%d", lineOf(t, tpl, `"httpsOnly": {`, 1)),
		fmt.Sprintf("variable variables('site').https azuredeploy.json:%d", lineOf(t, tpl, `"https": "[parameters('httpsOnly')]"`, 1)),
		fmt.Sprintf("deployment-parameter https azuredeploy.json:%d", lineOf(t, tpl, `"value": "[variables('site').https]"`, 1)),
		fmt.Sprintf("parameter parameters('https') azuredeploy.json:%d", lineOf(t, tpl, `"https": {`, 2)),
		fmt.Sprintf("attribute  azuredeploy.json:%d", lineOf(t, tpl, `"httpsOnly": "[parameters('https')]"`, 1)),
	})

	tls := finding(t, res, "AZFUNC-041", engine.Fail)
	sameHops(t, "AZFUNC-041", tls.Trail, []string{
		fmt.Sprintf("parameter parameters('minTlsVersion') azuredeploy.json:%d", lineOf(t, tpl, `"defaultValue": "1.0"`, 1)),
		fmt.Sprintf("deployment-parameter tls azuredeploy.json:%d", lineOf(t, tpl, `"value": "[parameters('minTlsVersion')]"`, 1)),
		fmt.Sprintf("parameter parameters('tls') azuredeploy.json:%d", lineOf(t, tpl, `"tls": {`, 2)),
		fmt.Sprintf("attribute  azuredeploy.json:%d", lineOf(t, tpl, `"minTlsVersion": "[parameters('tls')]"`, 1)),
	})
}

// TestNestedDeploymentOutput: reference('<module>').outputs.<name>.value
// is the nested deployment's output, even when the deployment is declared
// after the one that reads it; the value's trail passes the output.
func TestNestedDeploymentOutput(t *testing.T) {
	dir, res := runFixture(t, "nested-deployment-output")
	tpl := filepath.Join(dir, "main.json")
	var https *engine.Finding
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.CheckID == "AZFUNC-040" && f.Status == engine.Fail && filepath.Base(f.Range.Filename) == "main.json" {
			https = f
		}
	}
	if https == nil {
		t.Fatal("no AZFUNC-040 finding in main.json")
	}
	sameHops(t, "AZFUNC-040", https.Trail, []string{
		fmt.Sprintf("parameter parameters('https') main.json:%d", lineOf(t, tpl, `"defaultValue": false`, 1)),
		fmt.Sprintf("output reference('settings').outputs.httpsOnly.value main.json:%d", lineOf(t, tpl, `"value": "[parameters('https')]"`, 1)),
		fmt.Sprintf("deployment-parameter httpsOnly main.json:%d", lineOf(t, tpl, `"value": "[reference('settings').outputs.httpsOnly.value]"`, 1)),
		fmt.Sprintf("parameter parameters('httpsOnly') main.json:%d", lineOf(t, tpl, `"httpsOnly": {`, 2)),
		fmt.Sprintf("attribute  main.json:%d", lineOf(t, tpl, `"httpsOnly": "[parameters('httpsOnly')]"`, 1)),
	})
	for i := range res.Findings {
		if f := &res.Findings[i]; f.Status != engine.Fail && (f.CheckID == "AZFUNC-001" || f.CheckID == "AZFUNC-040") {
			t.Errorf("%s %s at %s: the deployment output decides it", f.CheckID, f.Status, f.Range)
		}
	}
}

// sharedCorpus returns ../shared/corpus/<rel>, skipping the test when it
// is absent (failing it when CI is set).
func sharedCorpus(t *testing.T, rel string) string {
	t.Helper()
	return sharedtest.Dir(t, "corpus", filepath.FromSlash(rel))
}

// TestCorpusModuleOutputDecides: in functions-e2e-sb-vnet (Bicep
// compiled), the processor module gets serverFarmResourceId from the plan
// module's resourceId output, declared after it; that output decides the
// AVM web-site module's publicNetworkAccess, which is therefore known.
func TestCorpusModuleOutputDecides(t *testing.T) {
	p := sharedCorpus(t, "arm/functions-e2e-sb-vnet/infra/main.json")
	m, diags := arm.LoadFile(context.Background(), p, arm.Options{})
	for _, d := range diags {
		if d.Severity == model.SevError {
			t.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
	if len(m.FunctionApps) != 1 {
		t.Fatalf("%d function apps, want 1", len(m.FunctionApps))
	}
	app := m.FunctionApps[0]
	if !app.PublicNetworkAccess.Known() || !app.PublicNetworkAccess.V {
		t.Errorf("public network access = %+v, want known and enabled (no publicNetworkAccess or private endpoints passed to the module)", app.PublicNetworkAccess)
	}
	if app.Plan == nil {
		t.Fatal("the app's plan (the plan module's serverfarm) is not linked")
	}
	var out bool
	for _, h := range app.PlanLink.Trail.Hops() {
		out = out || h.Kind == model.HopOutput && strings.Contains(h.Name, "appserviceplan")
	}
	if !out {
		t.Errorf("plan link trail %v does not pass the appServicePlan output", hopText(app.PlanLink.Trail.Hops()))
	}
}

// TestLinkReasons: the parser says where and why it linked an app to its
// plan, host storage account, private endpoints and diagnostic settings.
func TestLinkReasons(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "arm")
	apps := map[string]*model.FunctionApp{}
	for _, fx := range []string{"private-endpoint", "storage-link-connection-string", "050-diagnostic-settings"} {
		m, _ := loadDir(filepath.Join(root, fx))
		for _, a := range m.FunctionApps {
			apps[a.Address] = a
		}
	}
	type want struct {
		what string
		got  model.Meta
		note string
		file string
		text string
	}
	app := func(addr string) *model.FunctionApp {
		a := apps[addr]
		if a == nil {
			t.Fatalf("no app %s", addr)
		}
		return a
	}
	pe := app("Microsoft.Web/sites/func-pe-private")
	if pe.PrivateEndpoints.Len() != 1 {
		t.Fatalf("%d private endpoints, want 1", pe.PrivateEndpoints.Len())
	}
	legacy := app("Microsoft.Web/sites/func-diag-legacy")
	if legacy.DiagnosticSettings.Len() != 1 {
		t.Fatalf("%d diagnostic settings, want 1", legacy.DiagnosticSettings.Len())
	}
	for _, w := range []want{
		{"plan", pe.PlanLink, "serverFarmId references Microsoft.Web/serverfarms 'asp-pe'", "private-endpoint", `"serverFarmId": "[resourceId('Microsoft.Web/serverfarms', 'asp-pe')]"`},
		{"endpoint", pe.PrivateEndpoints.Items[0].Link, "privateLinkServiceId references Microsoft.Web/sites 'func-pe-private'", "private-endpoint", `"privateLinkServiceId": "[resourceId('Microsoft.Web/sites', 'func-pe-private')]"`},
		{"storage", app("Microsoft.Web/sites/func-link-format").StorageLink, "AzureWebJobsStorage AccountName= names Microsoft.Storage/storageAccounts 'stfixlinkhttp'", "storage-link-connection-string", `AccountName={0}`},
		{"diagnostic setting", legacy.DiagnosticSettings.Items[0].Link, "declared as providers/diagnosticSettings of Microsoft.Web/sites 'func-diag-legacy'", "050-diagnostic-settings", `"name": "func-diag-legacy/Microsoft.Insights/diag-legacy"`},
	} {
		line := lineOf(t, filepath.Join(root, w.file, "azuredeploy.json"), w.text, 1)
		if w.got.Origin != model.Explicit || w.got.Note != w.note || w.got.Range.Start.Line != line {
			t.Errorf("%s link = %v %q at line %d, want explicit %q at line %d", w.what, w.got.Origin, w.got.Note, w.got.Range.Start.Line, w.note, line)
		}
	}
}

// TestUnknownExistence: an app whose condition or copy count is unknown
// says why it may not exist (with file and line); a related resource that
// may not exist makes its relation list unknown-many, and a private
// endpoint that surely exists still settles public access.
func TestUnknownExistence(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "arm", "condition-unknown")
	tpl := filepath.Join(dir, "azuredeploy.json")
	m, _ := loadDir(dir)
	apps := map[string]*model.FunctionApp{}
	for _, a := range m.FunctionApps {
		apps[a.Name.V] = a
	}
	for name, want := range map[string]string{
		"func-maybe":    fmt.Sprintf("the condition [parameters('deployApp')] is not known before deployment (%s:%d)", filepath.ToSlash(tpl), lineOf(t, tpl, `"condition": "[parameters('deployApp')]"`, 1)),
		"func-copy-0":   fmt.Sprintf("the copy count [parameters('instances')] is not known before deployment (%s:%d)", filepath.ToSlash(tpl), lineOf(t, tpl, `"count": "[parameters('instances')]"`, 1)),
		"func-pe-maybe": "",
	} {
		a := apps[name]
		if a == nil {
			t.Fatalf("no app %s", name)
		}
		if a.UnknownExistence != want {
			t.Errorf("%s: UnknownExistence = %q, want %q", name, a.UnknownExistence, want)
		}
	}
	ds := apps["func-diag-maybe"].DiagnosticSettings
	if ds.Origin != model.Unknown || ds.Len() != 1 || !strings.Contains(ds.Note, "may or may not exist") {
		t.Errorf("func-diag-maybe diagnostic settings = %v, %d items, %q; want unknown-many with its one setting", ds.Origin, ds.Len(), ds.Note)
	}
	if pna := apps["func-pe-maybe"].PublicNetworkAccess; pna.Known() {
		t.Errorf("func-pe-maybe public access = %+v, want unknown (its private endpoints may not exist)", pna)
	}
	sure := apps["func-pe-sure"]
	if pna := sure.PublicNetworkAccess; !pna.Known() || pna.V {
		t.Errorf("func-pe-sure public access = %+v, want disabled by its private endpoint", pna)
	}
	if pe := sure.PrivateEndpoints; pe.Origin != model.Unknown || pe.Len() != 2 {
		t.Errorf("func-pe-sure private endpoints = %v with %d items, want unknown-many with 2", pe.Origin, pe.Len())
	}
}
