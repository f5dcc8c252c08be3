package main

import (
	"runtime/debug"
	"strings"
)

// The garbage collector's settings for a scan. A scan allocates about 30
// times what it keeps (1k ARM templates as SARIF: 1.6 GB allocated, a
// live heap of 20-40 MB), so at Go's default (GOGC=100) the collector
// runs often for little: collecting at twice the growth, under a soft
// limit of 64 MiB of Go memory, cost 13-18% less CPU on the benchmark
// corpora (1k ARM, 1k .tf) for a peak RSS that stays under 100 MB
// (README, Performance); at four times the growth (400), under the same
// limit, 1k ARM and 1k .tf took 7-8% less wall time again (medians of 8
// alternating runs: 0.71 -> 0.66 s, 0.755 -> 0.685 s) for a peak RSS of
// 83 MB instead of 74-76 MB; on 10k .tf the limit decides, and time and
// RSS (84 MB) were unchanged. The limit is soft: a module whose live
// heap needs more still gets it, the collector then runs more often.
const (
	scanGCPercent   = 400
	scanMemoryLimit = 64 << 20
)

// hugeHeapBytes is how much heap a scan has mapped, and advised to be
// backed by transparent huge pages, before it starts (preferHugePages):
// seven eighths of the memory limit, which is about what a large scan
// keeps mapped. A scan's memory is almost all fresh pages touched once:
// on the VM measured, a minor page fault cost 12 µs (touching 64 MiB of
// 4 KiB pages took 200-250 ms, of 2 MiB pages 4 ms), and 1k ARM
// templates took 15.7k faults, about a sixth of its CPU. With the heap
// advised, 48-64 MiB alike, faults fell to 3-4k and the scan took
// 20-23% less wall time (0.61 -> 0.47 s, medians of 7 alternating runs),
// 1k .tf 14% less and 10k .tf 9% less (6.76 -> 6.12 s), for 2-4 MB more
// peak RSS; an empty scan and one small module were unchanged (their
// RSS 3-4 MB higher). Where transparent huge pages are off the advice is
// refused and nothing changes.
const hugeHeapBytes = scanMemoryLimit / 8 * 7

// hugeHeap reports whether a run with these command-line arguments and
// environment (getenv) prepares its heap for huge pages: a scan, whose
// collector tuneGC tunes (not when GOGC or GOMEMLIMIT is the user's
// choice). main decides it, once per process, before anything is
// allocated: run is called many times in one test process.
func hugeHeap(args []string, getenv func(string) string) bool {
	return len(args) > 0 && args[0] == "scan" && getenv("GOGC") == "" && getenv("GOMEMLIMIT") == ""
}

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

// memProfileRate is the sampling rate of the heap profile for a run with
// these command-line arguments: Go's default (rate) when they ask for a
// heap profile (--memprofile), and 0 otherwise. Sampling is on by
// default in every Go program, and each sample records the allocating
// stack: a scan allocates enough (hundreds of MB for 1k files) and from
// deep enough stacks (the HCL parser's recursion) that recording them
// was 5% of the CPU of 1k .tf and 2% of 1k ARM (CPU profiles, 5 and 8
// runs), for a profile nobody reads. main sets it before anything else,
// as the runtime asks and as the Go compiler does for its own
// -memprofile.
func memProfileRate(args []string, rate int) int {
	for _, a := range args {
		if a == "--" {
			break
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if strings.HasPrefix(a, "-") && name == "memprofile" {
			return rate
		}
	}
	return 0
}
