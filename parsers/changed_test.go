package parsers

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLoadChanged: with Options.Changed, Load keeps the units that read a
// changed file — the roots whose module tree (transitively) holds it, the
// root a tfvars belongs to or every root given it as a var file, the
// templates a parameter file applies to, every template when Bicep
// source changed, a named stack — and loads each whole.
func TestLoadChanged(t *testing.T) {
	const template = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": []}`
	const params = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}}`
	const stack = `{"version": 3, "deployment": {"manifest": {}, "resources": []}}`
	dir := writeFiles(t, map[string]string{
		"roots/a/main.tf":           "module \"b\" {\n  source = \"../../mods/b\"\n}\n",
		"mods/b/main.tf":            "module \"c\" {\n  source = \"../c\"\n}\n",
		"mods/c/main.tf":            "resource \"azurerm_linux_function_app\" \"c\" {\n  name = \"c\"\n}\n",
		"roots/d/main.tf":           "resource \"azurerm_linux_function_app\" \"d\" {\n  name = \"d\"\n}\n",
		"roots/d/terraform.tfvars":  "x = 1\n",
		"vars/shared.tfvars":        "x = 1\n",
		"arm/main.json":             template,
		"arm/main.parameters.json":  params,
		"arm/other.json":            template,
		"arm/main.bicep":            "param x string\n",
		"pulumi/dev.stack.json":     stack,
		"pulumi/prod.stack.json":    stack,
		"roots/a/unrelated.md":      "# not an input\n",
		"roots/d/nested/plain.json": `{"a": 1}`,
	})
	for _, tc := range []struct {
		changed  []string
		varFiles []string
		want     []string
	}{
		{changed: []string{"mods/c/main.tf"}, want: []string{"roots/a"}},
		{changed: []string{"mods/b/main.tf"}, want: []string{"roots/a"}},
		{changed: []string{"roots/a/main.tf"}, want: []string{"roots/a"}},
		{changed: []string{"roots/d/terraform.tfvars"}, want: []string{"roots/d"}},
		{changed: []string{"vars/shared.tfvars"}, varFiles: []string{"vars/shared.tfvars"}, want: []string{"roots/a", "roots/d"}},
		{changed: []string{"vars/shared.tfvars"}, want: nil},
		{changed: []string{"arm/main.parameters.json"}, want: []string{"arm/main.json"}},
		{changed: []string{"arm/other.json"}, want: []string{"arm/other.json"}},
		{changed: []string{"arm/main.bicep"}, want: []string{"arm/main.json", "arm/other.json"}},
		{changed: []string{"pulumi/dev.stack.json"}, want: []string{"pulumi/dev.stack.json"}},
		{changed: []string{"roots/d/nested/plain.json", "roots/a/unrelated.md"}, want: []string{"roots/a"}},
		{changed: []string{"mods/c/main.tf", "pulumi/prod.stack.json", "roots/d/terraform.tfvars"}, want: []string{"pulumi/prod.stack.json", "roots/a", "roots/d"}},
	} {
		name := strings.Join(tc.changed, ",")
		abs := func(rel []string) []string {
			var out []string
			for _, r := range rel {
				out = append(out, filepath.Join(dir, filepath.FromSlash(r)))
			}
			return out
		}
		opts := Options{Changed: abs(tc.changed)}
		opts.Terraform.VarFiles = abs(tc.varFiles)
		res, err := Load(context.Background(), []string{dir}, opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range res.Modules {
			rel, err := filepath.Rel(dir, m.Path)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, filepath.ToSlash(rel))
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("changed %s (var files %v): loaded %v, want %v", name, tc.varFiles, got, tc.want)
		}
		// Loaded whole: the transitively called module's app is there.
		for _, m := range res.Modules {
			if filepath.Base(m.Path) == "a" && (len(m.FunctionApps) != 1 || m.FunctionApps[0].Address != "module.b.module.c.azurerm_linux_function_app.c") {
				t.Errorf("changed %s: roots/a loaded without its module tree", name)
			}
		}
	}
}
