package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// fixture writes files into a fresh directory and returns it.
func fixture(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// load runs LoadDir and fails on a recovered panic.
func load(t *testing.T, dir string, opts Options) (*model.Module, model.Diagnostics) {
	t.Helper()
	mod, diags := LoadDir(context.Background(), dir, opts)
	for _, d := range diags {
		if d.Summary == internalErrorSummary || strings.HasPrefix(d.Detail, "internal error:") {
			t.Fatalf("LoadDir recovered a panic: %s", d.Detail)
		}
	}
	if mod == nil {
		t.Fatal("LoadDir returned a nil module")
	}
	return mod, diags
}

// loadFiles writes a fixture and loads it without options.
func loadFiles(t *testing.T, files map[string]string) (string, *model.Module, model.Diagnostics) {
	t.Helper()
	dir := fixture(t, files)
	mod, diags := load(t, dir, Options{})
	return dir, mod, diags
}

func app(t *testing.T, mod *model.Module, addr string) *model.FunctionApp {
	t.Helper()
	for _, a := range mod.FunctionApps {
		if a.Address == addr {
			return a
		}
	}
	var have []string
	for _, a := range mod.FunctionApps {
		have = append(have, a.Address)
	}
	t.Fatalf("function app %s not found; have %v", addr, have)
	return nil
}

func account(t *testing.T, mod *model.Module, addr string) *model.StorageAccount {
	t.Helper()
	for _, a := range mod.StorageAccounts {
		if a.Address == addr {
			return a
		}
	}
	t.Fatalf("storage account %s not found", addr)
	return nil
}

func setting(t *testing.T, l model.List[*model.Setting], name string) *model.Setting {
	t.Helper()
	for _, s := range l.Items {
		if s.Name.V == name {
			return s
		}
	}
	t.Fatalf("setting %s not found", name)
	return nil
}

// lineOf returns the 1-based line of the first occurrence of needle.
func lineOf(t *testing.T, src, needle string) int {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("fixture has no %q", needle)
	}
	return 1 + strings.Count(src[:i], "\n")
}

// fileOf is the Range.Filename LoadDir gives a file of dir.
func fileOf(dir, name string) string { return filepath.ToSlash(filepath.Join(dir, name)) }

// wantValue checks a model value's value, origin and line.
func wantValue[T comparable](t *testing.T, what string, v model.Value[T], want T, origin model.Origin, line int) {
	t.Helper()
	if v.Origin != origin {
		t.Errorf("%s: origin = %s, want %s (note %q)", what, v.Origin, origin, v.Note)
	}
	if origin != model.Unknown && v.V != want {
		t.Errorf("%s = %v, want %v", what, v.V, want)
	}
	if line > 0 && v.Range.Start.Line != line {
		t.Errorf("%s: line = %d, want %d", what, v.Range.Start.Line, line)
	}
}

func hasDiag(diags model.Diagnostics, sev model.Severity, summary string) bool {
	for _, d := range diags {
		if d.Severity == sev && d.Summary == summary {
			return true
		}
	}
	return false
}

func countDiags(diags model.Diagnostics, summary string) int {
	n := 0
	for _, d := range diags {
		if d.Summary == summary {
			n++
		}
	}
	return n
}
