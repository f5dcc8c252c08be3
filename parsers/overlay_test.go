package parsers

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Options.ReadFile stands in for the disk for every file a parser reads:
// Terraform configuration and tfvars files (of the root and of the modules
// it calls), ARM templates and Pulumi stack exports, sniffing included.
func TestLoadReadFileOverlay(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"envs/dev/main.tf":          "variable \"https\" {}\nmodule \"app\" {\n  source = \"../../modules/app\"\n  https  = var.https\n}\n",
		"envs/dev/terraform.tfvars": "https = true\n",
		"modules/app/main.tf":       "variable \"https\" {}\nresource \"azurerm_linux_function_app\" \"this\" {\n  name       = \"func\"\n  https_only = var.https\n}\n",
		"arm/azuredeploy.json":      `{"note": "not a template on disk"}`,
		"stack.json":                `{"note": "not a stack export on disk"}`,
	})
	template := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [
  {"type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "func-arm", "kind": "functionapp", "properties": {"httpsOnly": true}}]}`
	stack := `{"version": 3, "deployment": {"resources": [
  {"urn": "urn:pulumi:dev::p::azure-native:web:WebApp::app", "type": "azure-native:web:WebApp", "custom": true, "inputs": {"kind": "functionapp", "httpsOnly": true}}]}}`
	overlay := map[string]string{
		filepath.Join(dir, "envs", "dev", "terraform.tfvars"): "https = false\n",
		filepath.Join(dir, "arm", "azuredeploy.json"):         template,
		filepath.Join(dir, "stack.json"):                      stack,
	}
	var (
		mu   sync.Mutex // ReadFile is called from the goroutines loading units
		read []string
	)
	opts := Options{ReadFile: func(p string) ([]byte, error) {
		mu.Lock()
		read = append(read, p)
		mu.Unlock()
		if src, ok := overlay[p]; ok {
			return []byte(src), nil
		}
		return os.ReadFile(p)
	}}
	res, err := Load(context.Background(), []string{dir}, opts)
	if err != nil {
		t.Fatal(err)
	}
	got := map[model.Format]*model.FunctionApp{}
	for _, m := range res.Modules {
		if len(m.FunctionApps) == 1 {
			got[m.Format] = m.FunctionApps[0]
		}
	}
	if app := got[model.Terraform]; app == nil || app.HTTPSOnly.Origin != model.Explicit || app.HTTPSOnly.V {
		t.Errorf("terraform: want https_only false from the tfvars overlay, got %+v", app)
	}
	if app := got[model.ARM]; app == nil || !app.HTTPSOnly.V {
		t.Errorf("arm: want the template from the overlay, got %+v (modules %d)", app, len(res.Modules))
	}
	if app := got[model.Pulumi]; app == nil || !app.HTTPSOnly.V {
		t.Errorf("pulumi: want the stack from the overlay, got %+v", app)
	}
	if len(read) == 0 {
		t.Fatal("ReadFile never called")
	}

	// A file the hook cannot read is a diagnostic, as on disk. The
	// directory is a repository, so that envs may call ../modules.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	opts.ReadFile = func(p string) ([]byte, error) {
		if filepath.Base(p) == "main.tf" && filepath.Base(filepath.Dir(p)) == "app" {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		return os.ReadFile(p)
	}
	res, err = Load(context.Background(), []string{filepath.Join(dir, "envs")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range res.Diagnostics {
		found = found || (d.Summary == "Cannot read file" && d.Range.Filename == filepath.ToSlash(filepath.Join(dir, "modules", "app", "main.tf")))
	}
	if !found {
		t.Errorf("want a 'Cannot read file' diagnostic, got %+v", res.Diagnostics)
	}
}
