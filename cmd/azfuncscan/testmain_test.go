package main

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	if code, ok := rusageWrapper(); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}
