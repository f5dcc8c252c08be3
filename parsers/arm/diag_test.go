package arm

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// Unsupported functions: one warning per function name per file, at the
// first use; the values are unknown and counted.
func TestUnsupportedFunctions(t *testing.T) {
	needEval(t)
	src := `{
  ` + schema + `,
  "resources": [{
    "type": "Microsoft.Web/sites",
    "name": "func-a",
    "kind": "functionapp",
    "properties": {
      "httpsOnly": "[notAFunction(1)]",
      "clientCertEnabled": "[notAFunction(2)]",
      "siteConfig": {"minTlsVersion": "[otherFunction()]", "ftpsState": "[concat('x', 'y')]"}
    }
  }]
}`
	m, diags := loadTemplate(t, src)
	var warned []string
	for _, d := range diags {
		if d.Summary == "Unsupported template function" {
			name, _, _ := strings.Cut(d.Detail, "(")
			warned = append(warned, name+"@"+strconv.Itoa(d.Range.Start.Line))
		} else {
			t.Errorf("diagnostic %+v", d)
		}
	}
	want := "notafunction@" + strconv.Itoa(lineOf(src, "httpsOnly")) + " otherfunction@" + strconv.Itoa(lineOf(src, "minTlsVersion"))
	if strings.Join(warned, " ") != want {
		t.Errorf("warnings %q, want %q", warned, want)
	}
	a := m.FunctionApps[0]
	if a.HTTPSOnly.Origin != model.Unknown || !strings.Contains(a.HTTPSOnly.Note, "not supported") {
		t.Errorf("https_only = %+v", a.HTTPSOnly)
	}
	if m.Stats.Unsupported != 3 || m.Stats.Errors != 0 {
		t.Errorf("stats = %+v", m.Stats)
	}
}

// An expression that does not evaluate is a warning at its string (at the
// offending character where it can), the value unknown and counted.
func TestEvaluationErrors(t *testing.T) {
	needEval(t)
	src := `{
  ` + schema + `,
  "variables": {"loop": "[variables('loop')]"},
  "resources": [{
    "type": "Microsoft.Web/sites",
    "name": "func-a",
    "kind": "functionapp",
    "properties": {
      "httpsOnly": "[concat('a',, 'b')]",
      "clientCertEnabled": "[variables('loop')]",
      "siteConfig": {"minTlsVersion": "[parameters('missing')]"}
    }
  }]
}`
	m, diags := loadTemplate(t, src)
	lines := map[int]bool{}
	for _, d := range diags {
		if d.Severity != model.SevWarning || d.Summary != "Expression could not be evaluated" {
			t.Errorf("diagnostic %+v", d)
		}
		lines[d.Range.Start.Line] = true
	}
	for _, needle := range []string{"httpsOnly", "minTlsVersion"} {
		if !lines[lineOf(src, needle)] {
			t.Errorf("no warning on the line of %s: %+v", needle, diags)
		}
	}
	a := m.FunctionApps[0]
	for _, v := range []model.Bool{a.HTTPSOnly, a.ClientCertEnabled} {
		if v.Origin != model.Unknown {
			t.Errorf("value = %+v", v)
		}
	}
	if m.Stats.Errors < 2 {
		t.Errorf("stats = %+v", m.Stats)
	}
}

// ARM accepts strings broken over lines (deployment scripts); positions
// after them stay right.
func TestMultiLineStrings(t *testing.T) {
	src := "{" + schema + `,
  "resources": [
    {"type": "Microsoft.Resources/deploymentScripts", "name": "s", "properties": {"scriptContent": "
      line one
      line two"}},
    {"type": "Microsoft.Web/sites", "name": "func-a", "kind": "functionapp",
     "properties": {"httpsOnly": false}}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	if v := m.FunctionApps[0].HTTPSOnly; v.Range.Start.Line != lineOf(src, "httpsOnly") {
		t.Errorf("https_only at %s", v.Range)
	}
}

// A top-level child found in the file is addressed under its parent.
func TestChildAddresses(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "parameters": {"name": {"type": "string"}},
  "resources": [
    {"type": "Microsoft.Web/sites/config", "name": "[concat(parameters('name'), '/web')]", "properties": {"minTlsVersion": "1.0"}},
    {"type": "Microsoft.Web/sites", "name": "[parameters('name')]", "kind": "functionapp"},
    {"type": "Microsoft.Web/sites/slots", "name": "[format('{0}/stg', parameters('name'))]"}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/[parameters('name')]")
	appNamed(t, m, "Microsoft.Web/sites/[parameters('name')]/slots/stg")
	if v := a.SiteConfig.MinTLSVersion; v.V != "1.0" || v.Resource != "Microsoft.Web/sites/[parameters('name')]/config/web" {
		t.Errorf("min_tls = %+v", v)
	}
	if a.Name.Origin != model.Unknown || !strings.Contains(a.Name.Note, "name has no value") {
		t.Errorf("name = %+v", a.Name)
	}
}

// A name built from the deployment scope is not known: evaluation fakes
// the scope.
func TestScopeNamesAreUnknown(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "variables": {"name": "[format('func-{0}', uniqueString(resourceGroup().id))]"},
  "resources": [
    {"type": "Microsoft.Web/sites", "name": "[variables('name')]", "kind": "functionapp",
     "resources": [{"type": "config", "name": "web", "properties": {"minTlsVersion": "1.0"}}]},
    {"type": "Microsoft.Network/privateEndpoints", "name": "pe",
     "properties": {"privateLinkServiceConnections": [{"properties": {"privateLinkServiceId": "[resourceId('Microsoft.Web/sites', variables('name'))]", "groupIds": ["sites"]}}]}}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/[variables('name')]")
	if a.Name.Origin != model.Unknown || !strings.Contains(a.Name.Note, "deployment scope") {
		t.Errorf("name = %+v", a.Name)
	}
	if len(a.PrivateEndpoints.Items) != 1 || a.SiteConfig.MinTLSVersion.V != "1.0" {
		t.Errorf("the app still links: endpoints %d, min_tls %q", len(a.PrivateEndpoints.Items), a.SiteConfig.MinTLSVersion.V)
	}
}

func TestInternalErrorsAreDiagnostics(t *testing.T) {
	m, diags := LoadFile(context.Background(), filepath.Join(t.TempDir(), "missing.json"), Options{})
	if m == nil || len(diags) != 1 || diags[0].Severity != model.SevError {
		t.Fatalf("diagnostics = %+v", diags)
	}
	big := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(big, []byte("{"+schema+`, "x": "`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, limits.ARMFileSize+1); err != nil {
		t.Fatal(err)
	}
	_, diags = LoadFile(context.Background(), big, Options{})
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, "larger than") {
		t.Errorf("diagnostics = %+v", diags)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(`{` + schema + `, "resources": [{"type": "Microsoft.Web/sites", "name": "[concat('a', parameters('p'))]", "kind": "functionapp", "copy": {"name": "c", "count": 2}, "resources": [{"type": "config", "name": "web"}]}]}`)
	f.Add(`{` + schema + `, "languageVersion": "2.0", "resources": {"s": {"type": "Microsoft.Web/sites", "name": "x", "kind": "functionapp"}, "d": {"type": "Microsoft.Insights/diagnosticSettings", "scope": "s", "name": "d"}}}`)
	f.Add(`{` + schema + `, "resources": [{"type": "Microsoft.Resources/deployments", "name": "n", "properties": {"template": {"resources": [{"type": "Microsoft.Web/sites", "name": "[variables('v')]", "kind": "functionapp"}]}}}], "variables": {"copy": [{"name": "v", "count": 1, "input": "[copyIndex('v')]"}]}}`)
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		p := filepath.Join(dir, "t.json")
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		_, diags := LoadFile(context.Background(), p, Options{})
		for _, d := range diags {
			if d.Summary == internalErrorSummary {
				t.Fatalf("%s", d.Detail)
			}
		}
	})
}

// Options.Source is the template as read already: LoadFile reads no file
// for it (the path need not exist), its parameter file beside it is
// still read from disk, and it is held to the same size limit as a file.
func TestLoadFileSource(t *testing.T) {
	src := `{` + schema + `, "parameters": {"https": {"type": "bool"}}, "resources": [
  {"type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "func-src", "kind": "functionapp", "properties": {"httpsOnly": "[parameters('https')]"}}]}`
	dir := t.TempDir()
	params := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {"https": {"value": true}}}`
	if err := os.WriteFile(filepath.Join(dir, "azuredeploy.parameters.json"), []byte(params), 0o600); err != nil {
		t.Fatal(err)
	}
	m, diags := LoadFile(context.Background(), filepath.Join(dir, "azuredeploy.json"), Options{Source: []byte(src)})
	noErrors(t, diags)
	if len(m.FunctionApps) != 1 || !m.FunctionApps[0].HTTPSOnly.Known() || !m.FunctionApps[0].HTTPSOnly.V {
		t.Fatalf("from Source: apps %d, https_only %+v; want func-src with https_only true from the parameter file", len(m.FunctionApps), m.FunctionApps)
	}
	_, diags = LoadFile(context.Background(), filepath.Join(dir, "azuredeploy.json"), Options{Source: []byte(src), Limits: limits.Limits{FileSize: int64(len(src) - 1)}})
	if len(diags) != 1 || diags[0].Summary != "Cannot read template" || !strings.Contains(diags[0].Detail, "larger than") {
		t.Errorf("Source above the size limit: %v; want one \"larger than\" error", diags)
	}
}
