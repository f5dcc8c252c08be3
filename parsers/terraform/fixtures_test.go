package terraform_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/analyzertest"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

// TestFixtures runs the built-in checks over every fixture module under
// testdata/terraform and compares the findings with the fixture's
// `# want` comments and expect.json: missing and unexpected findings fail.
func TestFixtures(t *testing.T) {
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..", "testdata", "terraform")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	load := func(dir string) (*model.Module, model.Diagnostics) {
		return terraform.LoadDir(context.Background(), dir, terraform.Options{})
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			analyzertest.Run(t, filepath.Join(root, e.Name()), load, eng)
		})
	}
	if n < 10 {
		t.Fatalf("found %d fixture modules under %s, want the full set", n, root)
	}
}

// TestAVMInterfacesDiagnosticSettingUndetermined: in the Azure Verified
// Modules web-site example the diagnostic setting is an azapi_resource
// whose for_each comes from a registry module that was not downloaded, so
// whether a setting streams the app's logs is unknown: AZFUNC-050 is
// undetermined (with the reason), never failed.
func TestAVMInterfacesDiagnosticSettingUndetermined(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "terraform", "terraform-azurerm-avm-res-web-site", "examples", "interfaces")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus not available: %v", err)
	}
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mod, _ := terraform.LoadDir(context.Background(), dir, terraform.Options{})
	const app = "module.avm_res_web_site.azapi_resource.this"
	res := eng.Run(context.Background(), mod)
	undetermined := 0
	for _, f := range res.Findings {
		if f.CheckID != "AZFUNC-050" {
			continue
		}
		if f.Status != engine.Undetermined {
			t.Errorf("AZFUNC-050 %s: %s, want undetermined", f.Status, f.Message)
			continue
		}
		if !strings.Contains(f.Message, "for_each = module.avm_interfaces.diagnostic_settings_azapi_v2") {
			t.Errorf("AZFUNC-050 undetermined without the reason: %s", f.Message)
		}
		undetermined++
	}
	if undetermined != 1 {
		t.Errorf("got %d undetermined AZFUNC-050 findings, want 1 (for %s)", undetermined, app)
	}
}
