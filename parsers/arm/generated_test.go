package arm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestGeneratedRegistryModule: main.json is compiled from main.bicep
// beside it; the app two nested deployments deep comes from a registry
// module, declared in no local .bicep file, so its locations stay in
// main.json, yet it is marked Generated (build output) like every
// resource of the file. Its endToEndEncryptionEnabled is written as an
// expression that gives no value: a platform default, marked Computed
// (it cannot be added where it is written).
func TestGeneratedRegistryModule(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "arm", "bicep-registry-module")
	m, diags := LoadFile(t.Context(), filepath.Join(dir, "main.json"), Options{})
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Resources/deployments/processor/Microsoft.Resources/deployments/processor-site/Microsoft.Web/sites/func-registry")
	if want := filepath.ToSlash(filepath.Join(dir, "main.bicep")); a.Generated != want {
		t.Errorf("generated = %q, want %q", a.Generated, want)
	}
	if !strings.HasSuffix(a.Range.Filename, "main.json") {
		t.Errorf("the app is placed at %s, want main.json (no local .bicep declares it)", a.Range)
	}
	if e := a.EndToEndEncryption; e.Origin != model.Default || !e.Computed {
		t.Errorf("end_to_end_encryption = %+v, want a default marked computed", e)
	}
	// Values the template writes are not marked.
	if h := a.HTTPSOnly; h.Origin != model.Explicit || !h.V || h.Computed {
		t.Errorf("https_only = %+v", h)
	}
}

// TestGeneratedOnlyBesideBicep: a template without a .bicep file beside it
// is source, even with Bicep's generator metadata; a written null is a
// default that can be added, unlike one an expression gives.
func TestGeneratedOnlyBesideBicep(t *testing.T) {
	m, diags := loadTemplate(t, `{`+schema+`, "metadata": {"_generator": {"name": "bicep"}},
  "parameters": {"e2e": {"type": "bool", "nullable": true}},
  "resources": [
    {"type": "Microsoft.Web/sites", "name": "f", "kind": "functionapp", "properties": {"endToEndEncryptionEnabled": "[parameters('e2e')]", "clientCertEnabled": null}}
  ]}`)
	noErrors(t, diags)
	a := m.FunctionApps[0]
	if a.Generated != "" {
		t.Errorf("generated = %q, want none", a.Generated)
	}
	if e := a.EndToEndEncryption; e.Origin != model.Default || !e.Computed {
		t.Errorf("end_to_end_encryption = %+v, want a default marked computed", e)
	}
	if c := a.ClientCertEnabled; c.Origin != model.Default || c.Computed {
		t.Errorf("client_cert_enabled = %+v, want a default not marked computed", c)
	}
}

// TestGeneratedCompiled: a template LoadCompiled reads (bicep build's
// output, no file on disk) is build output even when its .bicep file
// cannot be indexed.
func TestGeneratedCompiled(t *testing.T) {
	dir := t.TempDir()
	bicepPath := filepath.Join(dir, "main.bicep")
	// Not UTF-8: read, but not indexed.
	if err := os.WriteFile(bicepPath, []byte("param x string = '\xff'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	compiled := `{` + schema + `, "resources": [{"type": "Microsoft.Web/sites", "name": "f", "kind": "functionapp"}]}`
	m, diags := LoadCompiled(t.Context(), bicepPath, []byte(compiled), Options{})
	noErrors(t, diags)
	if want := filepath.ToSlash(bicepPath); len(m.FunctionApps) != 1 || m.FunctionApps[0].Generated != want {
		t.Errorf("apps %+v, want one generated from %s", m.FunctionApps, want)
	}
}
