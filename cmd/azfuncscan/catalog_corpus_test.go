package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/analyzertest"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// TestCatalogOnSharedCorpus runs every check, opt-in ones included, over
// the real public function apps of ../shared/corpus and requires of each
// finding that it points inside the resource it names (or at the Bicep
// source of a compiled template), and of each check that it does not fire
// on every app it applies to — a check that does fires regardless of the
// app's settings. It logs the per-check counts.
func TestCatalogOnSharedCorpus(t *testing.T) {
	skipWholeCorpusInShort(t)
	corpus := sharedtest.Dir(t, "corpus")
	all, err := loadChecks()
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	res, err := parsers.Load(context.Background(), []string{corpus}, parsers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ root, app string }
	failed := map[string]map[key]bool{}
	evaluated := map[string]int{}
	// outcomes counts, per check, the apps of each outcome.
	outcomes := map[string]map[engine.Status]int{}
	apps := 0
	for _, m := range res.Modules {
		ranges := resourceRanges(m)
		r := e.Run(context.Background(), m)
		apps += len(m.FunctionApps)
		for i := range r.Findings {
			f := &r.Findings[i]
			if f.Status != engine.Fail {
				continue
			}
			if failed[f.CheckID] == nil {
				failed[f.CheckID] = map[key]bool{}
			}
			failed[f.CheckID][key{m.Path, f.Resource}] = true
			rr, ok := ranges[f.Resource]
			child := false
			if !ok {
				// An ARM site child (config/web, config/appsettings) is
				// merged into its site, which has no range of its own in
				// the model: it must be in the site's file.
				for addr, r := range ranges {
					if strings.HasPrefix(f.Resource, addr+"/") {
						rr, ok, child = r, true, true
						break
					}
				}
			}
			switch {
			case strings.HasSuffix(f.Range.Filename, ".bicep"):
				// The Bicep source of a compiled template: its own file.
			case child && filepath.ToSlash(f.Range.Filename) == filepath.ToSlash(rr.Filename):
			case !ok && azapiChildDeclares(f.Resource, f.Range):
				// A site child written as an azapi resource (config
				// authsettingsV2 in a submodule): in the block that
				// declares it.
			case !ok:
				t.Errorf("%s %s: finding on %s, which is not a resource of module %s", f.Range, f.CheckID, f.Resource, m.Path)
			case !inside(f.Range, rr) && !trailEnters(f.Trail, rr):
				t.Errorf("%s %s: outside its resource %s (%s)", f.Range, f.CheckID, f.Resource, rr)
			}
		}
		for _, a := range r.Apps {
			for _, o := range a.Checks {
				if outcomes[o.CheckID] == nil {
					outcomes[o.CheckID] = map[engine.Status]int{}
				}
				outcomes[o.CheckID][o.Status]++
			}
		}
		for _, c := range e.Checks() {
			if c.AppliesTo(m.Format) {
				evaluated[c.ID] += len(m.FunctionApps)
			}
		}
	}
	ids := make([]string, 0, len(evaluated))
	for id := range evaluated {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	t.Logf("%d function apps in %d modules", apps, len(res.Modules))
	for _, id := range ids {
		n := len(failed[id])
		o := outcomes[id]
		t.Logf("%s: fails on %d of %d apps evaluated (apps: %d fail, %d pass, %d undetermined, %d n/a, %d error)",
			id, n, evaluated[id], o[engine.Fail], o[engine.Pass], o[engine.Undetermined], o[engine.NotApplicable], o[engine.Error])
		if n > 0 && n >= evaluated[id] && evaluated[id] >= 10 {
			t.Errorf("%s fails on every one of the %d apps it evaluates", id, n)
		}
	}
}

// resourceRanges maps every resource of m a finding can name to its range.
func resourceRanges(m *model.Module) map[string]model.Range {
	out := map[string]model.Range{}
	add := func(r *model.Resource) {
		if r != nil && r.Address != "" {
			out[r.Address] = r.Range
		}
	}
	for _, a := range m.FunctionApps {
		add(&a.Resource)
		if a.StorageAccount != nil {
			add(&a.StorageAccount.Resource)
		}
		if a.Plan != nil {
			add(&a.Plan.Resource)
		}
		for _, d := range a.DiagnosticSettings.Items {
			add(&d.Resource)
		}
		for _, p := range a.PrivateEndpoints.Items {
			add(&p.Resource)
		}
	}
	for _, s := range m.StorageAccounts {
		add(&s.Resource)
	}
	for _, p := range m.Plans {
		add(&p.Resource)
	}
	return out
}

// trailEnters reports whether the value was written outside the resource
// and reached it by reference: through one of its trail's hops inside the
// resource, or as a property written in a local value the resource reads
// (an azapi body built in locals), which the trail shows.
func trailEnters(trail []model.Hop, outer model.Range) bool {
	for _, h := range trail {
		if inside(h.Range, outer) || h.Kind == model.HopLocal {
			return true
		}
	}
	return false
}

// inside reports whether r lies within the lines of outer, in the same file.
func inside(r, outer model.Range) bool {
	if filepath.ToSlash(r.Filename) != filepath.ToSlash(outer.Filename) {
		return false
	}
	end := outer.End.Line
	if end == 0 {
		end = outer.Start.Line
	}
	return r.Start.Line >= outer.Start.Line && r.Start.Line <= end
}

// azapiChildDeclares reports whether r lies in a file that declares the
// azapi resource named by the last part of addr (module.x.azapi_update_resource.this["k"])
// on or above r's line: the model lists a site's azapi children only as
// the sources of the site's values, not as resources with a range.
func azapiChildDeclares(addr string, r model.Range) bool {
	last := addr
	if i := strings.LastIndex(addr, "azapi_"); i >= 0 {
		last = addr[i:]
	} else {
		return false
	}
	if i := strings.Index(last, "["); i >= 0 {
		last = last[:i]
	}
	typ, name, ok := strings.Cut(last, ".")
	if !ok {
		return false
	}
	data, err := os.ReadFile(r.Filename)
	if err != nil {
		return false
	}
	decl := fmt.Sprintf("resource %q %q", typ, name)
	for i, line := range strings.Split(string(data), "\n") {
		if i+1 > r.Start.Line {
			break
		}
		if strings.HasPrefix(strings.TrimSpace(line), decl) {
			return true
		}
	}
	return false
}
