package arm_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/analyzertest"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// loadDir loads every template below dir the way a scan finds them and
// merges the modules into one, so that a fixture directory is checked as
// a whole.
func loadDir(dir string) (*model.Module, model.Diagnostics) {
	res, err := parsers.Load(context.Background(), []string{dir}, parsers.Options{})
	if err != nil {
		return nil, model.Diagnostics{{Severity: model.SevError, Summary: err.Error()}}
	}
	out := &model.Module{Format: model.ARM, Path: dir}
	var diags model.Diagnostics
	for _, m := range res.Modules {
		if m.Format != model.ARM {
			diags = append(diags, model.Diagnostic{Severity: model.SevError, Summary: "a " + string(m.Format) + " module in an ARM fixture", Range: model.Range{Filename: m.Path}})
			continue
		}
		out.FunctionApps = append(out.FunctionApps, m.FunctionApps...)
		out.StorageAccounts = append(out.StorageAccounts, m.StorageAccounts...)
		out.Plans = append(out.Plans, m.Plans...)
		out.PrivateEndpoints = append(out.PrivateEndpoints, m.PrivateEndpoints...)
		out.DiagnosticSettings = append(out.DiagnosticSettings, m.DiagnosticSettings...)
	}
	for _, d := range res.Diagnostics {
		if d.Summary != "no supported input files found" {
			diags = append(diags, d)
		}
	}
	return out, diags
}

// TestFixtures runs the built-in checks over every fixture directory under
// testdata/arm and compares the findings with its expect.json: missing
// and unexpected findings fail.
func TestFixtures(t *testing.T) {
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..", "testdata", "arm")
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
			analyzertest.Run(t, filepath.Join(root, e.Name()), loadDir, eng)
		})
	}
	if n < 25 {
		t.Fatalf("found %d fixture directories under %s, want the full set", n, root)
	}
}
