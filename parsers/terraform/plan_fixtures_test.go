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

// TestPlanFixtures runs the built-in checks over the plan files of every
// fixture under testdata/terraform-plan (each directory's *.json files that
// are plans, merged into one module) and compares the findings with the
// `# want` comments of the .tf files beside them and expect.json: missing
// and unexpected findings fail.
func TestPlanFixtures(t *testing.T) {
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..", "testdata", "terraform-plan")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			analyzertest.Run(t, filepath.Join(root, e.Name()), func(dir string) (*model.Module, model.Diagnostics) {
				return loadPlans(t, dir)
			}, eng)
		})
	}
	if n < 2 {
		t.Fatalf("found %d plan fixtures under %s, want at least 2", n, root)
	}
}

// loadPlans loads every plan file of dir into one module.
func loadPlans(t *testing.T, dir string) (*model.Module, model.Diagnostics) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	mod := &model.Module{Format: model.Terraform, Path: dir}
	var diags model.Diagnostics
	plans := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || e.Name() == analyzertest.SidecarName {
			continue
		}
		path := filepath.Join(dir, e.Name())
		head, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !terraform.IsPlanJSON(head[:min(len(head), 8<<10)]) {
			continue
		}
		plans++
		m, ds := terraform.LoadPlan(context.Background(), path)
		diags = append(diags, ds...)
		mod.FunctionApps = append(mod.FunctionApps, m.FunctionApps...)
		mod.StorageAccounts = append(mod.StorageAccounts, m.StorageAccounts...)
		mod.Plans = append(mod.Plans, m.Plans...)
		mod.PrivateEndpoints = append(mod.PrivateEndpoints, m.PrivateEndpoints...)
		mod.DiagnosticSettings = append(mod.DiagnosticSettings, m.DiagnosticSettings...)
	}
	if plans == 0 {
		t.Fatalf("%s holds no plan file", dir)
	}
	return mod, diags
}
