package parsers

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Directories other scanned directories call as local modules are read
// as part of their callers, not again as roots with unknown inputs.
func TestLoadSkipsCalledModules(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"stacks/prod/main.tf":         "module \"app\" {\n  source = \"../../modules/app\"\n  name   = \"func-prod\"\n}\n",
		"stacks/dev/main.tf":          "module \"app\" {\n  source = \"../../modules/app\"\n  name   = \"func-dev\"\n}\n",
		"modules/app/main.tf":         "variable \"name\" {}\nresource \"azurerm_linux_function_app\" \"this\" {\n  name = var.name\n}\n",
		"modules/app/broken.tf":       "resource {\n",
		"modules/app/.terraform/x.tf": "resource \"azurerm_linux_function_app\" \"hidden\" {}\n",
	})
	res, err := Load(context.Background(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Modules) != 2 {
		t.Fatalf("want the two stacks as roots, got %d modules", len(res.Modules))
	}
	for i, want := range []string{"stacks/dev", "stacks/prod"} {
		m := res.Modules[i]
		if filepath.ToSlash(m.Path) != filepath.ToSlash(filepath.Join(dir, want)) || len(m.FunctionApps) != 1 ||
			m.FunctionApps[0].Address != "module.app.azurerm_linux_function_app.this" {
			t.Errorf("module %d: %s with %d apps", i, m.Path, len(m.FunctionApps))
		}
	}
	n := 0
	for _, d := range res.Diagnostics {
		if d.Summary == "Unclosed configuration block" && d.Range.Filename == filepath.ToSlash(filepath.Join(dir, "modules", "app", "broken.tf")) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the broken module file is reported once, not per caller: %d times in %+v", n, res.Diagnostics)
	}
}

// A directory of OpenTofu files alone is a Terraform module, called
// (through a .tofu.json module call) or a root.
func TestLoadOpenTofuDirectories(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"root/main.tofu.json": `{"module": {"app": {"source": "../app", "name": "func-tofu"}}}`,
		"app/main.tofu":       "variable \"name\" {}\nresource \"azurerm_linux_function_app\" \"this\" {\n  name = var.name\n}\n",
		"alone/main.tofu":     "resource \"azurerm_windows_function_app\" \"w\" {\n  name = \"w\"\n}\n",
	})
	res, err := Load(context.Background(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range res.Modules {
		rel, _ := filepath.Rel(dir, m.Path)
		for _, a := range m.FunctionApps {
			got = append(got, filepath.ToSlash(rel)+": "+a.Address)
		}
	}
	want := []string{"alone: azurerm_windows_function_app.w", "root: module.app.azurerm_linux_function_app.this"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("modules and apps %v, want %v", got, want)
	}
}
