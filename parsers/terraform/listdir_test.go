package terraform

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// With Options.ListDir, the loader lists the directories it knows through
// it, a bounded number of times each (module calls, files, variables
// files), and nothing else: a file the listing leaves out is not read.
func TestLoaderListsThroughListDir(t *testing.T) {
	dir := fixture(t, map[string]string{
		"root/main.tf":          "module \"app\" {\n  source = \"../mod\"\n  name   = var.name\n}\nvariable \"name\" {}\n",
		"root/terraform.tfvars": "name = \"func-root\"\n",
		"root/hidden.tf":        "resource \"azurerm_linux_function_app\" \"hidden\" {\n  name = \"func-hidden\"\n}\n",
		"mod/main.tf":           "variable \"name\" {}\nresource \"azurerm_linux_function_app\" \"app\" {\n  name = var.name\n}\n",
	})
	root, mod := filepath.Join(dir, "root"), filepath.Join(dir, "mod")
	var (
		mu    sync.Mutex
		calls = map[string]int{}
	)
	opts := Options{ListDir: func(d string) ([]fs.DirEntry, bool) {
		mu.Lock()
		calls[d]++
		mu.Unlock()
		if d != root && d != mod {
			return nil, false
		}
		entries, err := os.ReadDir(d)
		if err != nil {
			t.Error(err)
		}
		return slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return e.Name() == "hidden.tf" }), true
	}}
	l := NewLoader(opts)
	roots := l.Roots(context.Background(), []string{root, mod})
	if !slices.Equal(roots, []string{root}) {
		t.Fatalf("roots %q, want %q", roots, []string{root})
	}
	m, diags := l.Load(context.Background(), root)
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	var apps []string
	for _, a := range m.FunctionApps {
		apps = append(apps, a.Address)
	}
	if want := []string{"module.app.azurerm_linux_function_app.app"}; !slices.Equal(apps, want) {
		t.Errorf("function apps %q, want %q (hidden.tf is not in the listing)", apps, want)
	}
	// Roots, the files, and for the root module its variables files:
	// each once.
	if calls[root] != 3 || calls[mod] != 2 {
		t.Errorf("listed through ListDir root %d times, mod %d; want 3 and 2", calls[root], calls[mod])
	}
}
