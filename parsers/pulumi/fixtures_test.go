package pulumi_test

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
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// knownGaps lists the fixture directories under testdata/pulumi whose
// expectations the parser does not meet yet, with the reason. They are
// run all the same: a listed directory is skipped with the reason and the
// first differences while it fails, and fails the test once it passes, so
// that this list only ever shrinks and each gap stays visible in
// `go test -v`. An empty map is the goal.
var knownGaps = map[string]string{}

// loadDir loads every stack export below dir the way a scan finds them and
// merges the modules into one, so that a fixture directory is checked as
// a whole.
func loadDir(dir string) (*model.Module, model.Diagnostics) {
	res, err := parsers.Load(context.Background(), []string{dir}, parsers.Options{})
	if err != nil {
		return nil, model.Diagnostics{{Severity: model.SevError, Summary: err.Error()}}
	}
	out := &model.Module{Format: model.Pulumi, Path: dir}
	var diags model.Diagnostics
	for _, m := range res.Modules {
		if m.Format != model.Pulumi {
			diags = append(diags, model.Diagnostic{Severity: model.SevError, Summary: "a " + string(m.Format) + " module in a Pulumi fixture", Range: model.Range{Filename: m.Path}})
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

// recorder is an [analyzertest.Testing] that keeps the errors instead of
// failing, for directories listed in knownGaps.
type recorder struct{ errs []string }

func (r *recorder) Helper()             {}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}

// wantApps is how many function apps the one Pulumi module of a fixture
// directory must hold: fixtures that expect no finding would otherwise
// pass on a parser that loads nothing.
var wantApps = map[string]int{
	"secure":                        1,
	"pending-operations":            1,
	"pending-delete":                5, // the replaced copy is dropped
	"input-output-trail":            1,
	"web-app-is-not-a-function-app": 0,
}

// TestFixtures runs the built-in checks over every fixture directory under
// testdata/pulumi and compares the findings with its expect.json: missing
// and unexpected findings fail, except in the directories of knownGaps,
// which are skipped while they fail and fail once they pass.
func TestFixtures(t *testing.T) {
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..", "testdata", "pulumi")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	seen := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		seen[e.Name()] = true
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			var tt analyzertest.Testing = t
			rec := &recorder{}
			reason, gap := knownGaps[e.Name()]
			if gap {
				tt = rec
			}
			analyzertest.Run(tt, dir, loadDir, eng)
			if want, ok := wantApps[e.Name()]; ok {
				res, err := parsers.Load(context.Background(), []string{dir}, parsers.Options{})
				if err != nil {
					tt.Errorf("%s: %v", dir, err)
				} else {
					mods, apps := 0, 0
					for _, m := range res.Modules {
						if m.Format == model.Pulumi {
							mods++
							apps += len(m.FunctionApps)
						}
					}
					if mods != 1 || apps != want {
						tt.Errorf("%s: %d Pulumi modules with %d function apps loaded, want 1 with %d", dir, mods, apps, want)
					}
				}
			}
			if !gap {
				return
			}
			if len(rec.errs) == 0 {
				t.Fatalf("%s is listed in knownGaps (%s) but passes now: remove it from the map", e.Name(), reason)
			}
			first := rec.errs[0]
			if len(first) > 400 {
				first = first[:400] + "…"
			}
			t.Skipf("known gap: %s\n%s", reason, strings.TrimSpace(first))
		})
	}
	for name := range knownGaps {
		if !seen[name] {
			t.Errorf("knownGaps lists %s, which is not a fixture directory", name)
		}
	}
	if n < 23 {
		t.Fatalf("found %d fixture directories under %s, want the full set", n, root)
	}
}
