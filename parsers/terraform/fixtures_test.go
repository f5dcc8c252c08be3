package terraform_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/analyzertest"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
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
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			if hasConfigFiles(t, dir) {
				analyzertest.Run(t, dir, load, eng)
				return
			}
			// A repository of several roots (envs/dev, envs/prod) and
			// the modules they call: every root module below dir.
			analyzertest.RunModules(t, dir, loadRoots, eng)
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
	dir := sharedtest.Dir(t, "corpus", "terraform", "terraform-azurerm-avm-res-web-site", "examples", "interfaces")
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

// hasConfigFiles reports whether dir itself holds Terraform or OpenTofu
// configuration files.
func hasConfigFiles(t *testing.T, dir string) bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() && isConfigName(e.Name()) {
			return true
		}
	}
	return false
}

func isConfigName(name string) bool {
	for _, ext := range []string{".tf", ".tf.json", ".tofu", ".tofu.json"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// loadRoots loads the root modules among the directories below dir that
// hold configuration files, as a scan of dir does.
func loadRoots(dir string) ([]*model.Module, model.Diagnostics) {
	var dirs []string
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isConfigName(d.Name()) {
			return err
		}
		if p := filepath.Dir(path); len(dirs) == 0 || dirs[len(dirs)-1] != p {
			dirs = append(dirs, p)
		}
		return nil
	})
	var (
		mods  []*model.Module
		diags model.Diagnostics
	)
	for _, r := range terraform.LoadDirs(context.Background(), dirs, terraform.Options{}) {
		mods = append(mods, r.Module)
		diags = append(diags, r.Diags...)
	}
	return mods, diags
}

// TestRootsDevProd: envs/dev and envs/prod call modules/app, dev with
// insecure values in its terraform.tfvars. Exactly one finding per
// insecure value, in dev only; the HTTPS-only finding's trail runs from
// the tfvars line through the root variable, the module argument and the
// module variable to the attribute; the same problem in both roots has
// two fingerprints.
func TestRootsDevProd(t *testing.T) {
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join("..", "..", "testdata", "terraform", "roots-dev-prod")
	mods, diags := loadRoots(base)
	if len(mods) != 2 {
		t.Fatalf("got %d root modules, want envs/dev and envs/prod", len(mods))
	}
	for _, d := range diags {
		t.Logf("diagnostic: %s: %s: %s", d.Range, d.Summary, d.Detail)
	}
	var fails []engine.Finding
	for _, m := range mods {
		for _, f := range eng.Run(context.Background(), m).Findings {
			if f.Status == engine.Fail {
				fails = append(fails, f)
			}
		}
	}
	dev := filepath.Join(base, "envs", "dev")
	byCheck := map[string]engine.Finding{}
	for _, f := range fails {
		if f.Root != dev {
			t.Errorf("%s in root %s, want findings in %s only", f.CheckID, f.Root, dev)
		}
		if _, dup := byCheck[f.CheckID]; dup {
			t.Errorf("%s reported twice", f.CheckID)
		}
		byCheck[f.CheckID] = f
	}
	if len(fails) != 2 || byCheck["AZFUNC-040"].CheckID == "" || byCheck["AZFUNC-041"].CheckID == "" {
		t.Fatalf("findings %v, want AZFUNC-040 and AZFUNC-041 once each", fails)
	}

	rel := func(r model.Range) string {
		return fmt.Sprintf("%s:%d", strings.TrimPrefix(r.Filename, filepath.ToSlash(base)+"/"), r.Start.Line)
	}
	var got []string
	for _, h := range byCheck["AZFUNC-040"].Trail {
		got = append(got, fmt.Sprintf("%s %s %s", h.Kind, h.Name, rel(h.Range)))
	}
	want := []string{
		"var-file var.https_only envs/dev/terraform.tfvars:1",
		"variable var.https_only envs/dev/main.tf:4",
		"module-argument module.app.https_only envs/dev/main.tf:17",
		"variable var.https_only modules/app/variables.tf:5",
		"attribute  modules/app/main.tf:54",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("AZFUNC-040 trail:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if f := byCheck["AZFUNC-040"]; rel(f.Range) != "modules/app/main.tf:54" {
		t.Errorf("AZFUNC-040 at %s", f.Range)
	}

	// The same problem in prod (given by -var) is another finding.
	prod, _ := terraform.LoadDir(context.Background(), filepath.Join(base, "envs", "prod"), terraform.Options{Vars: map[string]string{"https_only": "false"}})
	var prodFP string
	for _, f := range eng.Run(context.Background(), prod).Findings {
		if f.CheckID == "AZFUNC-040" && f.Status == engine.Fail {
			prodFP = f.Fingerprint
		}
	}
	if prodFP == "" || prodFP == byCheck["AZFUNC-040"].Fingerprint {
		t.Errorf("prod fingerprint %q, dev %q: want two distinct fingerprints", prodFP, byCheck["AZFUNC-040"].Fingerprint)
	}
}
