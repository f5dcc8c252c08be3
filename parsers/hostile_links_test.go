package parsers

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// armApp is a minimal template with one function app.
const armApp = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
 "contentVersion": "1.0.0.0",
 "resources": [{"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "func-arm",
   "kind": "functionapp", "location": "westeurope", "properties": {}}]}
`

// appNames lists the names of the function apps modelled, sorted.
func appNames(res *Result) []string {
	var out []string
	for _, m := range res.Modules {
		for _, a := range m.FunctionApps {
			out = append(out, a.Address)
		}
	}
	slices.Sort(out)
	return out
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

// Issue 13, scope: symbolic links met while walking are followed only
// with FollowSymlinks, and then only to files within the scanned
// directories unless AllowOutside; a Terraform directory reads links to
// files within them (as Terraform does) but not those leading outside.
func TestHostileSymlinks(t *testing.T) {
	base := writeFiles(t, map[string]string{
		"outside/app.json":    armApp,
		"outside/other.tf":    `resource "azurerm_linux_function_app" "outside" { name = "x" }`,
		"scanned/main.tf":     normalApp,
		"scanned/in/a.json":   armApp,
		"scanned/shared.tf":   `resource "azurerm_linux_function_app" "shared" { name = "y" }`,
		"scanned/env/main.tf": `resource "azurerm_linux_function_app" "env" { name = "z" }`,
	})
	dir := filepath.Join(base, "scanned")
	symlink(t, filepath.Join(base, "outside", "app.json"), filepath.Join(dir, "out.json"))
	symlink(t, filepath.Join(dir, "in", "a.json"), filepath.Join(dir, "in.json"))
	symlink(t, filepath.Join(base, "outside", "other.tf"), filepath.Join(dir, "env", "other.tf"))
	symlink(t, filepath.Join(dir, "shared.tf"), filepath.Join(dir, "env", "shared.tf"))

	for _, tc := range []struct {
		name string
		opts Options
		apps []string
		// diags are the summaries wanted for the links, by file.
		diags map[string]string
	}{
		{"default", Options{},
			[]string{"Microsoft.Web/sites/func-arm", "azurerm_linux_function_app.env", "azurerm_linux_function_app.normal",
				"azurerm_linux_function_app.shared", "azurerm_linux_function_app.shared"},
			map[string]string{"out.json": "Symbolic link not followed", "in.json": "Symbolic link not followed",
				"env/other.tf": "File outside the scanned directories"}},
		{"follow", Options{FollowSymlinks: true},
			[]string{"Microsoft.Web/sites/func-arm", "Microsoft.Web/sites/func-arm", "azurerm_linux_function_app.env",
				"azurerm_linux_function_app.normal", "azurerm_linux_function_app.shared", "azurerm_linux_function_app.shared"},
			map[string]string{"out.json": "File outside the scanned directories", "env/other.tf": "File outside the scanned directories"}},
		{"follow outside", Options{FollowSymlinks: true, AllowOutside: true},
			[]string{"Microsoft.Web/sites/func-arm", "Microsoft.Web/sites/func-arm", "Microsoft.Web/sites/func-arm",
				"azurerm_linux_function_app.env", "azurerm_linux_function_app.normal", "azurerm_linux_function_app.outside",
				"azurerm_linux_function_app.shared", "azurerm_linux_function_app.shared"},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := loadBeside(t, dir, tc.opts)
			if got := appNames(res); !slices.Equal(got, tc.apps) {
				t.Errorf("apps = %q, want %q", got, tc.apps)
			}
			for _, link := range []string{"out.json", "in.json", "env/other.tf", "env/shared.tf"} {
				ds := diagsFor(res, dir, filepath.FromSlash(link))
				want := tc.diags[link]
				switch {
				case want == "" && len(ds) > 0:
					t.Errorf("%s: want no diagnostic, got %v", link, ds)
				case want != "" && (len(ds) != 1 || ds[0].Summary != want):
					t.Errorf("%s: want one %q diagnostic, got %v", link, want, ds)
				}
			}
		})
	}
}

// Issue 13, scope: the parameter file an ARM template is matched with by
// name is not read through a link leading outside the scanned
// directories.
func TestHostileParameterFileLink(t *testing.T) {
	tmpl := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
 "contentVersion": "1.0.0.0",
 "parameters": {"appName": {"type": "string", "defaultValue": "func-default"}},
 "resources": [{"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "[parameters('appName')]",
   "kind": "functionapp", "location": "westeurope", "properties": {}}]}
`
	base := writeFiles(t, map[string]string{
		"outside/secret.json":      `{"parameters": {"appName": {"value": "func-param"}}}`,
		"scanned/azuredeploy.json": tmpl,
	})
	dir := filepath.Join(base, "scanned")
	symlink(t, filepath.Join(base, "outside", "secret.json"), filepath.Join(dir, "azuredeploy.parameters.json"))
	res := loadBeside(t, dir, Options{})
	if got := appNames(res); !slices.Equal(got, []string{"Microsoft.Web/sites/func-default"}) {
		t.Errorf("apps = %q, want the default name: the parameter file is outside", got)
	}
	// (The walk also notes, as info, that it did not follow the link.)
	n := 0
	for _, d := range diagsFor(res, dir, "azuredeploy.parameters.json") {
		if d.Summary == "File outside the scanned directories" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("want one \"File outside the scanned directories\" for the linked parameter file, got %v", res.Diagnostics)
	}
	res = loadBeside(t, dir, Options{AllowOutside: true})
	if got := appNames(res); !slices.Equal(got, []string{"Microsoft.Web/sites/func-param"}) {
		t.Errorf("AllowOutside: apps = %q, want the parameter file's name", got)
	}
}
