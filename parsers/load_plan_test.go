package parsers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// A plan JSON is its own unit, and so is an ARM template (format arm);
// other JSON (package.json, host.json, Terraform state) is left alone,
// silently.
func TestLoadClaimsPlanJSONOnly(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"tfplan.json":       `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[]}`,
		"package.json":      `{"name":"func","version":"1.0.0"}`,
		"host.json":         `{"version":"2.0"}`,
		"azuredeploy.json":  `{"$schema":"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#","contentVersion":"1.0.0.0","resources":[]}`,
		"terraform.tfstate": `{"format_version":"1.0","values":{}}`,
		"state.json":        `{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{}}}`,
		"broken.json":       `{"format_version": "1.2", "planned_values": {`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Load(context.Background(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, m := range res.Modules {
		want := model.Terraform
		if filepath.Base(m.Path) == "azuredeploy.json" {
			want = model.ARM
		}
		if m.Format != want {
			t.Errorf("%s: format %s", m.Path, m.Format)
		}
		paths = append(paths, filepath.Base(m.Path))
	}
	if got := strings.Join(paths, " "); got != "azuredeploy.json broken.json tfplan.json" {
		t.Errorf("units = %q, want the template and the two plan files", got)
	}
	for _, d := range res.Diagnostics {
		if !strings.HasSuffix(d.Range.Filename, "broken.json") {
			t.Errorf("diagnostic about a file that is not a plan: %+v", d)
		} else if d.Range.Start.Line < 1 {
			t.Errorf("diagnostic without a line: %+v", d)
		}
	}
	if len(res.Diagnostics) == 0 {
		t.Error("the broken plan got no diagnostic")
	}
}

// A plan beside its configuration replaces the directory's own analysis
// (the findings would be reported twice), with an info diagnostic.
func TestLoadPlanReplacesItsDirectory(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"main.tf":       `resource "azurerm_linux_function_app" "a" { name = "func-a" }`,
		"tfplan.json":   `{"format_version":"1.2","resource_changes":[]}`,
		"other/main.tf": `resource "azurerm_linux_function_app" "b" { name = "func-b" }`,
	} {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Load(context.Background(), []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, m := range res.Modules {
		rel, err := filepath.Rel(dir, m.Path)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, filepath.ToSlash(rel))
	}
	if got := strings.Join(paths, " "); got != "other tfplan.json" {
		t.Errorf("units = %q, want the other directory and the plan", got)
	}
	found := false
	for _, d := range res.Diagnostics {
		found = found || (d.Severity == model.SevInfo && strings.Contains(d.Detail, "tfplan.json"))
	}
	if !found {
		t.Errorf("no diagnostic says the directory is analysed through the plan: %+v", res.Diagnostics)
	}
}
