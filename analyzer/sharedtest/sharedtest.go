package sharedtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// RepoRoot returns the repository root: the nearest directory holding
// go.mod at or above this package's source (so that tests that change the
// working directory still find it), else at or above the working
// directory. The test fails when there is none.
func RepoRoot(t testing.TB) string {
	t.Helper()
	var starts []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				return dir
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	t.Fatal("no go.mod above this package or the working directory")
	return ""
}

// Dir returns ../shared/<rel…> beside the repository root, absolute. When
// it does not exist the test is skipped, or fails when CI is set.
func Dir(t testing.TB, rel ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{RepoRoot(t), "..", "shared"}, rel...)...)
	if _, err := os.Stat(p); err != nil {
		Missing(t, err)
	}
	return p
}

// Missing ends a test that cannot run without the shared material: skipped
// with err, or failed when CI is set.
func Missing(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set and ../shared is needed: %v", err)
		return
	}
	t.Skipf("../shared not present (the test fails when CI is set): %v", err)
}
