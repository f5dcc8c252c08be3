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
