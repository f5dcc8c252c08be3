package checks_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
	"github.com/azfuncscan/azfuncscan/checks"
)

// TestMCSBFollowsCatalog holds each built-in check's mcsb list to the
// controls the catalog's "Seed / MCSB" column names for it: the same set,
// no more, no fewer. A check whose column names a domain without a number
// ("PV", "DP") or only the security guide maps to none.
func TestMCSBFollowsCatalog(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedtest.Dir(t), "checks-catalog.md"))
	if err != nil {
		sharedtest.Missing(t, err)
	}
	cs, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	control := regexp.MustCompile(`\b(` + strings.Join(engine.MCSBDomains(), "|") + `)-[0-9]+\b`)
	want := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		cols := strings.Split(line, "|")
		if len(cols) < 5 || !strings.HasPrefix(strings.TrimSpace(cols[1]), "AZFUNC-") {
			continue
		}
		id := strings.TrimSpace(cols[1])
		for _, c := range control.FindAllString(cols[4], -1) {
			if !slices.Contains(want[id], c) {
				want[id] = append(want[id], c)
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("no MCSB control found in the catalog's Seed / MCSB column")
	}
	mapped := 0
	for _, c := range cs {
		got := slices.Clone(c.MCSB)
		w := slices.Clone(want[c.ID])
		slices.Sort(got)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("%s: mcsb %v, the catalog names %v", c.ID, c.MCSB, want[c.ID])
		}
		if len(got) > 0 {
			mapped++
		}
	}
	t.Logf("%d of %d checks map to an MCSB control", mapped, len(cs))
}
