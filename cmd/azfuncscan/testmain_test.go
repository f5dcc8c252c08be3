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

// skipWholeCorpusInShort skips a test that runs the CLI sequentially over
// a whole corpus or over large generated inputs when -short is given. The
// race step of .ci/run runs with -short: these tests start no goroutines
// of their own beyond those of an ordinary scan, which smaller tests
// cover under the race detector, and under it they cost minutes. The
// plain `go test ./...` step runs them.
func skipWholeCorpusInShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("whole-corpus or large-input test: skipped with -short (the race step of .ci/run); run without -short")
	}
}
