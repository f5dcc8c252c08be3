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

// realPath resolves as filepath.EvalSymlinks does, through links to
// directories (absolute, relative, chained), with the directories it
// remembered from earlier paths, and fails where it fails.
func TestRealPath(t *testing.T) {
	dir := fixture(t, map[string]string{
		"real/a/b/main.tf": "",
		"real/file":        "",
	})
	for link, target := range map[string]string{
		"abs":          filepath.Join(dir, "real", "a"),
		"rel":          "real/a",
		"chain":        "rel",
		"real/a/up":    "..",
		"dangling":     "nowhere",
		"real/a/b/via": "../../../abs",
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	t.Chdir(dir)
	l := NewLoader(Options{})
	paths := []string{
		"real/a/b", "abs/b", "rel/b", "chain/b", "real/a/up/a/b", "real/a/b/via/b",
		"dangling", "dangling/x", "real/file/x", "real/missing", "real", ".", "..",
	}
	for _, rel := range paths {
		for _, p := range []string{rel, filepath.Join(dir, rel)} {
			for range 2 { // the second time from what the first remembered
				want, werr := filepath.EvalSymlinks(p)
				got, err := l.realPath(filepath.Clean(p))
				if got != want || (err == nil) != (werr == nil) {
					t.Errorf("realPath(%s) = %q, %v; want %q, %v", p, got, err, want, werr)
				}
			}
		}
	}
	if len(l.real) == 0 {
		t.Error("realPath remembered nothing")
	}
}
