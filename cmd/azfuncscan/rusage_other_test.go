//go:build !linux

package main

func rusageWrapper() (int, bool) { return 0, false }
