package main

import (
	"syscall"
	"unsafe"
)

// hugePageSize is the size of a transparent huge page on the platforms
// Go runs Linux on with 4 KiB pages (amd64, arm64, …): 2 MiB.
const hugePageSize = 2 << 20

// preferHugePages has the runtime map n bytes of heap, untouched, and
// advises the kernel to back them with transparent huge pages (the
// whole 2 MiB pages within them), then lets them go: the allocator
// reuses the memory for the objects of the scan, whose first touch of
// each 2 MiB then costs one page fault instead of 512. It returns the
// range advised, or ok false when the kernel refused the advice (no
// transparent huge pages) or n covers no whole huge page. The memory is
// the garbage collector's to reclaim, as any other.
func preferHugePages(n int) (start, end uintptr, ok bool) {
	b := make([]byte, n)
	// The address is read, to align the advice, and never turned back
	// into a pointer.
	base := uintptr(unsafe.Pointer(unsafe.SliceData(b))) //nolint:gosec // G103: only the address's alignment is read
	start = (base + hugePageSize - 1) &^ (hugePageSize - 1)
	end = (base + uintptr(n)) &^ (hugePageSize - 1)
	if end <= start {
		return 0, 0, false
	}
	if syscall.Madvise(b[start-base:end-base], syscall.MADV_HUGEPAGE) != nil {
		return 0, 0, false
	}
	return start, end, true
}
