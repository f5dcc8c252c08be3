package terraform

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestUnknownExistence: an app whose count or for_each (or whose module
// call's) is not known before apply is kept, once, with the reason naming
// the expression and where it is written; an app whose count is known is
// expanded and surely exists.
func TestUnknownExistence(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "terraform", "unknown-existence")
	mod, _ := load(t, dir, Options{})
	main := filepath.ToSlash(filepath.Join(dir, "main.tf"))
	for _, tc := range []struct {
		addr string
		want []string // substrings of UnknownExistence; none: surely exists
	}{
		{"azurerm_linux_function_app.api", []string{"count = var.enable_api ? 1 : 0", main + ":29", "var.enable_api, which has no value"}},
		{"azurerm_linux_function_app_slot.api_staging", []string{"parent app azurerm_linux_function_app.api", "count = var.enable_api ? 1 : 0"}},
		{"azurerm_windows_function_app.worker", []string{"for_each = var.workers", main + ":55", "var.workers"}},
		{"module.edge.azurerm_linux_function_app.this", []string{"count = var.enable_edge ? 1 : 0", main + ":86"}},
		{"azurerm_linux_function_app.sure[0]", nil},
	} {
		got := app(t, mod, tc.addr).UnknownExistence
		if len(tc.want) == 0 && got != "" {
			t.Errorf("%s: UnknownExistence = %q, want it to surely exist", tc.addr, got)
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: UnknownExistence = %q, want it to contain %q", tc.addr, got, w)
			}
		}
	}
	if n := len(mod.FunctionApps); n != 5 {
		t.Errorf("got %d function apps, want 5 (each unknown expansion once)", n)
	}
}

// TestInvalidCountMayNotExist: an invalid count is reported and its
// instance may or may not exist; a count too large to expand surely
// exists.
func TestInvalidCountMayNotExist(t *testing.T) {
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": `
resource "azurerm_linux_function_app" "null" {
  count = null
  name  = "a"
}
resource "azurerm_linux_function_app" "many" {
  count = 20000
  name  = "b"
}
`})
	if n := countDiags(diags, "Invalid count argument"); n != 2 {
		t.Errorf("got %d Invalid count argument diagnostics, want 2", n)
	}
	if got := app(t, mod, "azurerm_linux_function_app.null").UnknownExistence; !strings.Contains(got, "count is invalid") || !strings.Contains(got, "count is null") {
		t.Errorf("null count: UnknownExistence = %q", got)
	}
	if got := app(t, mod, "azurerm_linux_function_app.many").UnknownExistence; got != "" {
		t.Errorf("count 20000: UnknownExistence = %q, want it to surely exist", got)
	}
}
