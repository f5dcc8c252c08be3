package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: without GOGC and GOMEMLIMIT a scan collects at 400% with a
// soft limit of 64 MiB, and the previous settings come back after it;
// either variable set leaves the collector as the user set it.
func TestTuneGC(t *testing.T) {
	current := func() (int, int64) {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p, debug.SetMemoryLimit(-1)
	}
	p0, l0 := current()
	restore := tuneGC(func(string) string { return "" })
	if p, l := current(); p != scanGCPercent || l != scanMemoryLimit {
		t.Errorf("during a scan: GOGC %d, limit %d; want %d, %d", p, l, scanGCPercent, scanMemoryLimit)
	}
	restore()
	if p, l := current(); p != p0 || l != l0 {
		t.Errorf("after a scan: GOGC %d, limit %d; want %d, %d back", p, l, p0, l0)
	}
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		restore := tuneGC(func(k string) string {
			if k == name {
				return "50"
			}
			return ""
		})
		if p, l := current(); p != p0 || l != l0 {
			t.Errorf("%s set: GOGC %d, limit %d changed", name, p, l)
		}
		restore()
	}
}

// TestHugeHeap: a scan prepares its heap for huge pages, unless GOGC or
// GOMEMLIMIT is set (the collector is then the user's, tuneGC leaves it);
// other commands do not.
func TestHugeHeap(t *testing.T) {
	none := func(string) string { return "" }
	for _, c := range []struct {
		args []string
		env  string
		want bool
	}{
		{[]string{"scan", "."}, "", true},
		{[]string{"scan"}, "", true},
		{[]string{"scan", "."}, "GOGC", false},
		{[]string{"scan", "."}, "GOMEMLIMIT", false},
		{[]string{"lsp"}, "", false},
		{[]string{"fix", "scan"}, "", false},
		{nil, "", false},
	} {
		getenv := none
		if c.env != "" {
			getenv = func(k string) string {
				if k == c.env {
					return "50"
				}
				return ""
			}
		}
		if got := hugeHeap(c.args, getenv); got != c.want {
			t.Errorf("hugeHeap(%q, %s set) = %v, want %v", c.args, c.env, got, c.want)
		}
	}
}

// TestMemProfileRate: heap profiling stays on, at the rate given, only
// when the arguments ask for a heap profile, whichever way the flag is
// spelled; otherwise (including a path or a value that merely contains
// the word, or the flag after "--") it is off.
func TestMemProfileRate(t *testing.T) {
	const rate = 512 << 10
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"scan", "--memprofile", "m.pprof", "."}, rate},
		{[]string{"scan", "-memprofile", "m.pprof", "."}, rate},
		{[]string{"scan", "--memprofile=m.pprof", "."}, rate},
		{[]string{"scan", "-memprofile=m.pprof", "."}, rate},
		{[]string{"scan", "--format", "sarif", "."}, 0},
		{[]string{"scan", "--cpuprofile", "memprofile", "."}, 0},
		{[]string{"scan", "memprofile"}, 0},
		{[]string{"scan", "--memprofiles", "."}, 0},
		{[]string{"scan", "--", "--memprofile"}, 0},
		{nil, 0},
	} {
		if got := memProfileRate(tc.args, rate); got != tc.want {
			t.Errorf("memProfileRate(%q) = %d, want %d", tc.args, got, tc.want)
		}
	}
}
