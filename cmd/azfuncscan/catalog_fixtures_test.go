package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/analyzertest"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// fixtureFormats are the formats with fixture trees under testdata.
var fixtureFormats = []model.Format{model.Terraform, model.ARM, model.Pulumi}

// notApplicable lists, per format, the checks whose formats leave it out,
// with the reason. TestEverythingWrongCoversCatalog requires the list to
// be exactly the checks that do not apply to the format, so that the
// reason is written down wherever a check is missing from a format.
var notApplicable = map[model.Format]map[string]string{
	model.ARM: {
		"AZFUNC-085": "the deprecated azurerm_function_app / classic FunctionApp resource exists only in Terraform and Pulumi classic; ARM has one Microsoft.Web/sites type",
	},
	model.Pulumi: {
		"AZFUNC-026": "no Pulumi provider exposes functionsRuntimeAdminIsolationEnabled (azure-native's WebApp has no such input, classic azure none either)",
	},
}

// runFixture loads dir as a scan does and runs e over the modules of
// format f in it.
func runFixture(t *testing.T, e *engine.Engine, dir string, f model.Format) (findings []engine.Finding, apps []engine.AppOutcome) {
	t.Helper()
	res, err := parsers.Load(context.Background(), []string{dir}, parsers.Options{})
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	for _, m := range res.Modules {
		if m.Format != f {
			continue
		}
		r := e.Run(context.Background(), m)
		findings = append(findings, r.Findings...)
		apps = append(apps, r.Apps...)
	}
	return findings, apps
}

// TestEverythingWrongCoversCatalog: for each format, the everything-wrong
// fixtures (testdata/<format>/everything-wrong*) together fail every check
// that applies to the format, with every check enabled (opt-in ones
// included), and no fixture fails a check more than once; the checks a
// format leaves out are exactly those listed in notApplicable.
func TestEverythingWrongCoversCatalog(t *testing.T) {
	all, err := loadChecks()
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtureFormats {
		t.Run(string(f), func(t *testing.T) {
			for _, c := range all {
				_, listed := notApplicable[f][c.ID]
				if c.AppliesTo(f) == listed {
					t.Errorf("%s: applies to %s: %v, listed in notApplicable: %v (the list must name exactly the checks that do not apply)", c.ID, f, c.AppliesTo(f), listed)
				}
			}
			dirs, _ := filepath.Glob(filepath.Join("..", "..", "testdata", string(f), "everything-wrong*"))
			if len(dirs) == 0 {
				t.Fatalf("no everything-wrong fixture for %s", f)
			}
			covered := map[string]string{}
			for _, dir := range dirs {
				findings, _ := runFixture(t, e, dir, f)
				n := map[string]int{}
				for _, fd := range findings {
					if fd.Status == engine.Fail {
						n[fd.CheckID]++
						covered[fd.CheckID] = filepath.Base(dir)
					}
				}
				for id, k := range n {
					if k > 1 {
						t.Errorf("%s: %s fails %d times, want once", dir, id, k)
					}
				}
				if len(n) == 0 {
					t.Errorf("%s: no finding", dir)
				}
			}
			for _, c := range all {
				if c.AppliesTo(f) && covered[c.ID] == "" {
					t.Errorf("%s applies to %s but fails in none of %v", c.ID, f, dirs)
				}
			}
		})
	}
}

// fixtureScope is analyzertest's scope of a fixture: the checks its
// expectations name, nil for every check (a `want-checks all` fixture or
// one without finding expectations), with all telling which of the two.
func fixtureScope(wants []analyzertest.Expectation) (named map[string]bool, all bool) {
	named = map[string]bool{}
	for _, w := range wants {
		for _, id := range w.Checks {
			if strings.EqualFold(id, "all") {
				all = true
			}
			named[id] = true
		}
		if w.Check != "" {
			named[w.Check] = true
		}
	}
	if all || len(named) == 0 {
		return nil, true
	}
	return named, false
}

// TestEveryCheckHasPositiveAndNegativeFixtures: for every format and
// every check that applies to it, some fixture of the format fails the
// check where its expectations say so (positive), and some fixture whose
// expectations name the check has an app on which the check passes
// (negative: the check was compared there and did not fire). Fixtures
// compared on every check (hardened, secure) do not count as negatives,
// so each check has a negative case written for it. The fixture tests of
// the parsers hold the findings to the expectations; this test holds the
// catalog to having both kinds. `go test -v` logs the counts.
func TestEveryCheckHasPositiveAndNegativeFixtures(t *testing.T) {
	all, err := loadChecks()
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtureFormats {
		t.Run(string(f), func(t *testing.T) {
			root := filepath.Join("..", "..", "testdata", string(f))
			entries, err := os.ReadDir(root)
			if err != nil {
				t.Fatal(err)
			}
			pos, neg := map[string]int{}, map[string]int{}
			for _, ent := range entries {
				if !ent.IsDir() {
					continue
				}
				dir := filepath.Join(root, ent.Name())
				wants, err := analyzertest.Expectations(dir)
				if err != nil {
					t.Fatal(err)
				}
				named, everything := fixtureScope(wants)
				findings, apps := runFixture(t, e, dir, f)
				fails := map[string]bool{}
				for _, fd := range findings {
					if fd.Status == engine.Fail && (everything || named[fd.CheckID]) {
						fails[fd.CheckID] = true
					}
				}
				for id := range fails {
					pos[id]++
				}
				if everything {
					continue
				}
				passes := map[string]bool{}
				for _, a := range apps {
					for _, o := range a.Checks {
						if o.Status == engine.Pass && named[o.CheckID] {
							passes[o.CheckID] = true
						}
					}
				}
				for id := range passes {
					neg[id]++
				}
			}
			var ids []string
			for _, c := range all {
				if c.AppliesTo(f) {
					ids = append(ids, c.ID)
				}
			}
			sort.Strings(ids)
			withBoth := 0
			for _, id := range ids {
				t.Logf("%s %s: %d positive, %d negative fixtures", f, id, pos[id], neg[id])
				if pos[id] == 0 {
					t.Errorf("%s: %s has no positive fixture (no fixture fails it where expected)", f, id)
				}
				if neg[id] == 0 {
					t.Errorf("%s: %s has no negative fixture (no fixture naming it has an app that passes it)", f, id)
				}
				if pos[id] > 0 && neg[id] > 0 {
					withBoth++
				}
			}
			t.Logf("%s: %d checks apply, %d with positive and negative fixtures", f, len(ids), withBoth)
		})
	}
}
