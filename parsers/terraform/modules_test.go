package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// hardenedApp is a function app body in a module: name and https_only come
// from variables.
const moduleApp = `variable "name" {
  type = string
}

variable "https_only" {
  type    = bool
  default = true
}

variable "storage_account_name" {
  type    = string
  default = null
}

resource "azurerm_linux_function_app" "this" {
  name                 = var.name
  https_only           = var.https_only
  storage_account_name = var.storage_account_name
}

output "app_id" {
  value = azurerm_linux_function_app.this.id
}

output "name" {
  value = azurerm_linux_function_app.this.name
}
`

func TestModuleAddressesAndCalls(t *testing.T) {
	root := `module "region" {
  for_each = {
    west = false
    east = true
  }
  source     = "./modules/region"
  prefix     = "func-${each.key}"
  https_only = each.value
}
`
	region := `variable "prefix" {
  type = string
}

variable "https_only" {
  type = bool
}

module "app" {
  count      = 2
  source     = "../app"
  name       = "${var.prefix}-${count.index}"
  https_only = var.https_only
}
`
	dir, mod, diags := loadFiles(t, map[string]string{
		"main.tf":                root,
		"modules/region/main.tf": region,
		"modules/app/main.tf":    moduleApp,
	})
	for _, d := range diags {
		t.Errorf("unexpected diagnostic: %+v", d)
	}
	var addrs []string
	for _, a := range mod.FunctionApps {
		addrs = append(addrs, a.Address)
	}
	want := []string{
		`module.region["east"].module.app[0].azurerm_linux_function_app.this`,
		`module.region["east"].module.app[1].azurerm_linux_function_app.this`,
		`module.region["west"].module.app[0].azurerm_linux_function_app.this`,
		`module.region["west"].module.app[1].azurerm_linux_function_app.this`,
	}
	if !reflect.DeepEqual(addrs, want) {
		t.Fatalf("addresses:\n%s\nwant:\n%s", strings.Join(addrs, "\n"), strings.Join(want, "\n"))
	}
	a := app(t, mod, want[2])
	if a.Module != `module.region["west"].module.app[0]` {
		t.Errorf("Module = %q", a.Module)
	}
	appFile := fileOf(dir, "modules/app/main.tf")
	wantValue(t, "name", a.Name, "func-west-0", model.Explicit, lineOf(t, moduleApp, "name                 = var.name"))
	wantValue(t, "https_only", a.HTTPSOnly, false, model.Explicit, lineOf(t, moduleApp, "https_only           = var.https_only"))
	if a.HTTPSOnly.Range.Filename != appFile || a.Range.Filename != appFile {
		t.Errorf("values must point into the module file %s: %s / %s", appFile, a.HTTPSOnly.Range, a.Range)
	}
	wantValue(t, "east https_only", app(t, mod, want[1]).HTTPSOnly, true, model.Explicit, 0)
	if len(a.Calls) != 2 {
		t.Fatalf("calls = %+v", a.Calls)
	}
	if c := a.Calls[0]; c.Range.Filename != fileOf(dir, "main.tf") || c.Range.Start.Line != lineOf(t, root, `module "region"`) || c.Name != `module.region["east"]` && c.Name != `module.region["west"]` {
		t.Errorf("outer call = %+v", c)
	}
	if c := a.Calls[1]; c.Range.Filename != fileOf(dir, "modules/region/main.tf") || c.Range.Start.Line != lineOf(t, region, `module "app"`) || !strings.Contains(c.Name, "].module.app") {
		t.Errorf("inner call = %+v", c)
	}
}

func TestLinksThroughModuleOutputs(t *testing.T) {
	root := `resource "azurerm_storage_account" "sa" {
  name = "sahost"
}

module "app" {
  source               = "./modules/app"
  name                 = "func-app"
  storage_account_name = azurerm_storage_account.sa.name
}

resource "azurerm_private_endpoint" "pe" {
  name = "pe"
  private_service_connection {
    private_connection_resource_id = module.app.app_id
    subresource_names              = ["sites"]
  }
}

resource "azurerm_monitor_diagnostic_setting" "diag" {
  name                       = "diag"
  target_resource_id         = module.app.app_id
  log_analytics_workspace_id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"
}

resource "azurerm_linux_function_app_slot" "staging" {
  name            = "staging"
  function_app_id = module.app.app_id
}

resource "azurerm_app_service_virtual_network_swift_connection" "vnet" {
  app_service_id = module.app.app_id
  subnet_id      = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": root, "modules/app/main.tf": moduleApp})
	a := app(t, mod, "module.app.azurerm_linux_function_app.this")
	if len(a.PrivateEndpoints.Items) != 1 || a.PrivateEndpoints.Items[0].Address != "azurerm_private_endpoint.pe" {
		t.Errorf("private endpoint through module.app.app_id not linked: %+v", a.PrivateEndpoints)
	}
	if len(a.DiagnosticSettings.Items) != 1 {
		t.Errorf("diagnostic setting through the module output not linked: %+v", a.DiagnosticSettings)
	}
	if a.StorageAccount == nil || a.StorageAccount.Address != "azurerm_storage_account.sa" {
		t.Errorf("storage account passed into the module not linked: %+v", a.StorageAccount)
	}
	if !a.VNetIntegrated.V {
		t.Errorf("swift connection through the module output not applied: %+v", a.VNetIntegrated)
	}
	slot := app(t, mod, "azurerm_linux_function_app_slot.staging")
	wantValue(t, "slot parent", slot.Parent, a.Address, model.Explicit, 0)
}

func TestModuleVariables(t *testing.T) {
	child := `variable "given" {
  type = string
}

variable "defaulted" {
  type    = string
  default = "from-default"
}

variable "missing" {
  type = string
}

variable "secret" {
  type      = string
  sensitive = true
}

variable "settings" {
  type = object({
    tls   = optional(string, "1.2")
    debug = optional(bool, false)
  })
}

variable "not_null" {
  type     = bool
  default  = true
  nullable = false
}

resource "azurerm_linux_function_app" "this" {
  name       = var.given
  https_only = var.not_null
  app_settings = {
    A = var.defaulted
    B = var.missing
    C = var.secret
  }
  site_config {
    minimum_tls_version      = var.settings.tls
    remote_debugging_enabled = var.settings.debug
  }
}
`
	root := `resource "azurerm_storage_account" "sa" {
  name = "sa"
}

module "m" {
  source   = "./child"
  given    = "func-given"
  secret   = "hunter2"
  settings = { debug = azurerm_storage_account.sa.allow_nested_items_to_be_public }
  not_null = null
  extra    = "ignored"
}
`
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": root, "child/main.tf": child})
	a := app(t, mod, "module.m.azurerm_linux_function_app.this")
	wantValue(t, "name", a.Name, "func-given", model.Explicit, 0)
	wantValue(t, "https_only (null for a non-nullable variable)", a.HTTPSOnly, true, model.Explicit, 0)
	wantValue(t, "A", setting(t, a.AppSettings, "A").Value, model.Sensitive("from-default"), model.Explicit, 0)
	if b := setting(t, a.AppSettings, "B").Value; b.Origin != model.Unknown || !strings.Contains(b.Note, "var.missing") {
		t.Errorf("a variable without argument or default is unknown: %+v", b)
	}
	if c := setting(t, a.AppSettings, "C"); c.Source.V != string(model.SourceSensitiveInput) {
		t.Errorf("sensitive variable: source %q", c.Source.V)
	}
	// Optional attribute defaults apply also when other attributes are
	// known only after apply.
	wantValue(t, "tls from the optional attribute default", a.SiteConfig.MinTLSVersion, "1.2", model.Explicit, 0)
	wantValue(t, "debug", a.SiteConfig.RemoteDebugging, false, model.Unknown, 0)
	if !hasDiag(diags, model.SevWarning, "Unsupported argument") {
		t.Errorf("an argument the module does not declare is reported: %+v", diags)
	}
}

func TestModuleCycles(t *testing.T) {
	t.Run("self", func(t *testing.T) {
		_, mod, diags := loadFiles(t, map[string]string{"main.tf": `
module "me" {
  source = "./"
}
resource "azurerm_linux_function_app" "a" {
  name = "a"
}
`})
		if countDiags(diags, "Module cycle") != 1 || len(mod.FunctionApps) != 1 {
			t.Errorf("apps %d, diags %+v", len(mod.FunctionApps), diags)
		}
	})
	t.Run("indirect", func(t *testing.T) {
		_, mod, diags := loadFiles(t, map[string]string{
			"main.tf":   `module "a" { source = "./a" }`,
			"a/main.tf": "module \"b\" {\n  source = \"../b\"\n}\nresource \"azurerm_linux_function_app\" \"x\" {\n  name = \"x\"\n}\n",
			"b/main.tf": "module \"a\" {\n  source = \"../a\"\n}\n",
		})
		if countDiags(diags, "Module cycle") != 1 {
			t.Errorf("want one cycle diagnostic: %+v", diags)
		}
		if len(mod.FunctionApps) != 1 || mod.FunctionApps[0].Address != "module.a.azurerm_linux_function_app.x" {
			t.Errorf("apps: %+v", mod.FunctionApps)
		}
	})
	t.Run("depth", func(t *testing.T) {
		files := map[string]string{"main.tf": `module "m" { source = "./d0" }`}
		for i := range maxModuleNesting + 5 {
			files[fmt.Sprintf("d%d/main.tf", i)] = fmt.Sprintf("module \"m\" {\n  source = \"../d%d\"\n}\n", i+1)
		}
		files[fmt.Sprintf("d%d/main.tf", maxModuleNesting+5)] = ""
		_, _, diags := loadFiles(t, files)
		if countDiags(diags, "Module nesting too deep") != 1 {
			t.Errorf("want one depth diagnostic: %+v", diags)
		}
	})
}

func TestModuleSources(t *testing.T) {
	root := `module "remote" {
  source  = "Azure/functions/azurerm"
  version = "1.0.0"
}

module "git" {
  source = "git::https://example.com/m.git"
}

module "missing" {
  source = "./nope"
}

module "downloaded" {
  source = "example/app/azurerm"
  name   = "func-downloaded"
}

resource "azurerm_private_endpoint" "pe" {
  name = module.remote.endpoint_name
  private_service_connection {
    private_connection_resource_id = module.downloaded.app_id
  }
}
`
	dir, mod, diags := loadFiles(t, map[string]string{
		"main.tf":                            root,
		".terraform/modules/modules.json":    `{"Modules":[{"Key":"downloaded","Source":"registry.terraform.io/example/app/azurerm","Dir":".terraform/modules/downloaded"}]}`,
		".terraform/modules/downloaded/a.tf": moduleApp,
	})
	n := 0
	for _, d := range diags {
		if d.Summary == "Module source not downloaded" {
			n++
			if d.Severity != model.SevInfo || !strings.Contains(d.Detail, "not downloaded; run terraform init") || d.Range.Filename != fileOf(dir, "main.tf") {
				t.Errorf("diagnostic: %+v", d)
			}
		}
	}
	if n != 2 {
		t.Errorf("want a diagnostic for the registry and the git module, got %d: %+v", n, diags)
	}
	if !hasDiag(diags, model.SevWarning, "Module directory not found") {
		t.Errorf("missing local module directory not reported: %+v", diags)
	}
	if l := lineOf(t, root, `source  = "Azure/functions/azurerm"`); !hasDiagAt(diags, "Module source not downloaded", l) {
		t.Errorf("diagnostic must point at the source argument (line %d): %+v", l, diags)
	}
	if len(mod.FunctionApps) != 1 {
		t.Fatalf("only the downloaded module's app: %+v", mod.FunctionApps)
	}
	a := mod.FunctionApps[0]
	if a.Address != "module.downloaded.azurerm_linux_function_app.this" || a.Range.Filename != fileOf(dir, ".terraform/modules/downloaded/a.tf") {
		t.Errorf("downloaded app: %s at %s", a.Address, a.Range)
	}
	if len(a.PrivateEndpoints.Items) != 1 {
		t.Errorf("endpoint through the downloaded module's output not linked")
	}
	pe := mod.PrivateEndpoints[0]
	if pe.Name.Origin != model.Unknown || !strings.Contains(pe.Name.Note, "module.remote") {
		t.Errorf("an output of a module not downloaded is unknown: %+v", pe.Name)
	}
}

func hasDiagAt(diags model.Diagnostics, summary string, line int) bool {
	for _, d := range diags {
		if d.Summary == summary && d.Range.Start.Line == line {
			return true
		}
	}
	return false
}

func TestModuleOutputsOfExpandedCalls(t *testing.T) {
	root := `module "m" {
  count  = 2
  source = "./m"
  name   = "func-${count.index}"
}

module "k" {
  for_each = toset(["x"])
  source   = "./m"
  name     = "func-${each.key}"
}

locals {
  first  = module.m[1].name
  all    = module.m[*].name
  keyed  = module.k["x"].name
  whole  = { for k, m in module.k : k => m.name }
  absent = module.m[5].name
}

resource "azurerm_windows_function_app" "probe" {
  name = "probe"
  app_settings = {
    FIRST = local.first
    ALL   = join(",", local.all)
    KEYED = local.keyed
    WHOLE = local.whole["x"]
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": root, "m/main.tf": moduleApp})
	p := app(t, mod, "azurerm_windows_function_app.probe")
	for name, want := range map[string]string{"FIRST": "func-1", "ALL": "func-0,func-1", "KEYED": "func-x", "WHOLE": "func-x"} {
		wantValue(t, name, setting(t, p.AppSettings, name).Value, model.Sensitive(want), model.Explicit, 0)
	}
}

func TestRoots(t *testing.T) {
	dir := fixture(t, map[string]string{
		"live/prod/main.tf":      `module "app" { source = "../../modules/app" }` + "\n" + `module "remote" { source = "Azure/x/azurerm" }`,
		"live/dev/main.tf":       `module "app" { source = "../../modules/app" }`,
		"modules/app/main.tf":    `module "inner" { source = "./inner" }`,
		"modules/app/inner/a.tf": `resource "azurerm_linux_function_app" "a" { name = "a" }`,
		"lonely/main.tf":         `resource "azurerm_linux_function_app" "b" { name = "b" }`,
		"cycle/one/main.tf":      `module "two" { source = "../two" }`,
		"cycle/two/main.tf":      `module "one" { source = "../one" }`,
		"self/main.tf":           `module "me" { source = "./" }`,
	})
	j := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	dirs := []string{j("modules/app/inner"), j("live/prod"), j("live/dev"), j("modules/app"), j("lonely"), j("cycle/two"), j("cycle/one"), j("self")}
	got := NewLoader(Options{}).Roots(context.Background(), dirs)
	want := []string{j("cycle/one"), j("live/dev"), j("live/prod"), j("lonely"), j("self")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("roots:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Called only from outside the scanned paths: a root.
	if got := NewLoader(Options{}).Roots(context.Background(), []string{j("modules/app")}); len(got) != 1 {
		t.Errorf("a module scanned alone is a root: %v", got)
	}
}

func TestLoadDirsSharesModulesBetweenRoots(t *testing.T) {
	files := map[string]string{"modules/app/main.tf": moduleApp, "modules/app/broken.tf": "resource \"x\" {\n"}
	var dirs []string
	for i := range 8 {
		files[fmt.Sprintf("stack%d/main.tf", i)] = fmt.Sprintf("module \"app\" {\n  source = \"../modules/app\"\n  name = \"func-%d\"\n}\n", i)
		dirs = append(dirs, fmt.Sprintf("stack%d", i))
	}
	dir := fixture(t, files)
	for i := range dirs {
		dirs[i] = filepath.Join(dir, dirs[i])
	}
	dirs = append(dirs, filepath.Join(dir, "modules", "app"))
	var wg sync.WaitGroup
	results := make([][]Result, 2)
	for r := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[r] = LoadDirs(context.Background(), dirs, Options{})
		}()
	}
	wg.Wait()
	for _, res := range results {
		if len(res) != 8 {
			t.Fatalf("want 8 roots (the module directory is called), got %d", len(res))
		}
		for i, r := range res {
			if r.Module.Path != dirs[i] || len(r.Module.FunctionApps) != 1 {
				t.Errorf("root %d: %s with %d apps", i, r.Module.Path, len(r.Module.FunctionApps))
				continue
			}
			wantValue(t, "name", r.Module.FunctionApps[0].Name, fmt.Sprintf("func-%d", i), model.Explicit, 0)
			if !r.Diags.HasErrors() {
				t.Errorf("root %d: the broken module file is reported with each root that uses it", i)
			}
		}
	}
}
