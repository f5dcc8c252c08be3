//go:build !linux

package main

// preferHugePages does nothing: huge pages are advised on Linux only
// (see hugepages_linux.go).
func preferHugePages(int) (start, end uintptr, ok bool) { return 0, 0, false }
