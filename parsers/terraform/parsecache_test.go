package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// cacheModule writes a module of n files to dir: one function app in
// app.tf whose https_only is https, and n-1 files of variables, locals
// and resources. It returns the app file's path.
func cacheModule(t *testing.T, dir string, n int, https bool) string {
	t.Helper()
	for i := 1; i < n; i++ {
		src := fmt.Sprintf(`variable "name_%[1]d" {
  default = "part-%[1]d"
}

resource "azurerm_storage_account" "s%[1]d" {
  name            = "st${var.name_%[1]d}"
  min_tls_version = "TLS1_2"
}
`, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("part%02d.tf", i)), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	app := filepath.Join(dir, "app.tf")
	if err := os.WriteFile(app, []byte(cacheApp(https)), 0o600); err != nil {
		t.Fatal(err)
	}
	return app
}

func cacheApp(https bool) string {
	return fmt.Sprintf(`resource "azurerm_linux_function_app" "app" {
  name                 = "func-cache"
  storage_account_name = azurerm_storage_account.s1.name
  https_only           = %t
}
`, https)
}

// TestParseCacheReparsesOneFile: with a parse cache, loading a 50-file
// module again after one file changed (in an editor's buffer, through
// ReadFile) parses that file only, and the model follows the new text.
func TestParseCacheReparsesOneFile(t *testing.T) {
	dir := t.TempDir()
	app := cacheModule(t, dir, 50, false)
	buffers := map[string][]byte{}
	cache := NewParseCache()
	opts := Options{
		ParseCache: cache,
		ReadFile: func(p string) ([]byte, error) {
			if b, ok := buffers[p]; ok {
				return b, nil
			}
			return os.ReadFile(p)
		},
	}
	load := func(want bool) {
		t.Helper()
		mod, diags := LoadDir(context.Background(), dir, opts)
		if diags.HasErrors() {
			t.Fatalf("diagnostics: %v", diags)
		}
		if len(mod.FunctionApps) != 1 {
			t.Fatalf("%d function apps, want 1", len(mod.FunctionApps))
		}
		if got := mod.FunctionApps[0].HTTPSOnly.V; got != want {
			t.Errorf("https_only = %v, want %v", got, want)
		}
		if got := len(mod.StorageAccounts); got != 49 {
			t.Errorf("%d storage accounts, want 49", got)
		}
	}

	load(false)
	if got := cache.Parses(); got != 50 {
		t.Fatalf("first load parsed %d files, want 50", got)
	}
	load(false)
	if got := cache.Parses(); got != 50 {
		t.Errorf("loading unchanged files parsed %d more, want 0", got-50)
	}
	buffers[app] = []byte(cacheApp(true))
	load(true)
	if got := cache.Parses(); got != 51 {
		t.Errorf("after one file changed, the load parsed %d files, want 1", got-50)
	}
	// Back to the text on disk: that content is parsed again (one entry
	// per path), once.
	delete(buffers, app)
	load(false)
	load(false)
	if got := cache.Parses(); got != 52 {
		t.Errorf("after the change was undone, %d parses in all, want 52", got)
	}
}

// TestParseCacheSameModel: a load through a warm cache gives the same
// model as a load without one, syntax errors included.
func TestParseCacheSameModel(t *testing.T) {
	dir := t.TempDir()
	cacheModule(t, dir, 5, true)
	if err := os.WriteFile(filepath.Join(dir, "broken.tf"), []byte("resource \"x\" {\n  a = \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	plain, plainDiags := LoadDir(context.Background(), dir, Options{})
	cache := NewParseCache()
	var cached []byte
	for range 2 {
		mod, diags := LoadDir(context.Background(), dir, Options{ParseCache: cache})
		if fmt.Sprint(diags) != fmt.Sprint(plainDiags) {
			t.Errorf("diagnostics with the cache:\n%v\nwithout:\n%v", diags, plainDiags)
		}
		cached = mustJSON(t, mod)
	}
	if want := mustJSON(t, plain); !bytes.Equal(cached, want) {
		t.Errorf("model with a warm cache differs:\n%s\nwithout:\n%s", cached, want)
	}
	if !plainDiags.HasErrors() {
		t.Error("the broken file made no error")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
