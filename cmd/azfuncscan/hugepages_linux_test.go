package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestPreferHugePagesAdvisesTheHeap: the range preferHugePages returns is
// whole huge pages, and the kernel's map of the process marks the memory
// there as advised for huge pages (VmFlags hg in /proc/self/smaps).
func TestPreferHugePagesAdvisesTheHeap(t *testing.T) {
	start, end, ok := preferHugePages(8 << 20)
	if !ok {
		if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage"); err != nil {
			t.Skip("kernel without transparent huge pages:", err)
		}
		t.Fatal("preferHugePages: advice refused by a kernel with transparent huge pages")
	}
	if start%hugePageSize != 0 || end%hugePageSize != 0 || end-start < 2*hugePageSize {
		t.Fatalf("advised %#x-%#x: want whole 2 MiB pages, at least two of 8 MiB", start, end)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	covering := false // the mapping read covers [start, end)
	found := false
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, isRange := mapRange(line); isRange {
			covering = lo <= start && end <= hi
			continue
		}
		if covering && strings.HasPrefix(line, "VmFlags:") {
			found = true
			if !strings.Contains(line+" ", " hg ") {
				t.Errorf("the mapping of %#x-%#x is not advised for huge pages: %s", start, end, line)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Errorf("no single mapping of /proc/self/smaps covers %#x-%#x", start, end)
	}
}

// mapRange reads the address range of a mapping's first line in smaps
// ("7f…-7f… rw-p …").
func mapRange(line string) (lo, hi uintptr, ok bool) {
	addrs, _, found := strings.Cut(line, " ")
	a, b, dash := strings.Cut(addrs, "-")
	if !found || !dash {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(a, 16, 64)
	y, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(x), uintptr(y), true
}
