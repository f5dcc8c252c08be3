package main

import "runtime/debug"

// The garbage collector's settings for a scan. A scan allocates about 30
// times what it keeps (1k ARM templates as SARIF: 1.6 GB allocated, a
// live heap of 20-40 MB), so at Go's default (GOGC=100) the collector
// runs often for little: collecting at twice the growth, under a soft
// limit of 64 MiB of Go memory, costs 13-18% less CPU on the benchmark
// corpora (1k ARM, 1k .tf) for a peak RSS that stays under 100 MB
// (README, Performance). The limit is soft: a module whose live heap
// needs more still gets it, the collector then runs more often.
const (
	scanGCPercent   = 200
	scanMemoryLimit = 64 << 20
)

// tuneGC sets the collector for a scan and returns what restores the
// previous settings. A GOGC or GOMEMLIMIT in the environment (getenv) is
// the user's choice: then nothing is changed.
func tuneGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	pct := debug.SetGCPercent(scanGCPercent)
	limit := debug.SetMemoryLimit(scanMemoryLimit)
	return func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(limit)
	}
}
