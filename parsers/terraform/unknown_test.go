package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
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

// TestUnknownManyRelations: a related resource whose count or for_each is
// not known makes the relation unknown-many, with a note naming it and
// why; links that surely exist say where and why they were made.
func TestUnknownManyRelations(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "terraform", "unknown-relations")
	mod, _ := load(t, dir, Options{})
	main := filepath.ToSlash(filepath.Join(dir, "main.tf"))

	logs := app(t, mod, "azurerm_linux_function_app.logs")
	ds := logs.DiagnosticSettings
	if ds.Origin != model.Unknown || len(ds.Items) != 1 ||
		!strings.Contains(ds.Note, "azurerm_monitor_diagnostic_setting.logs may or may not exist: count = var.enable_diag ? 1 : 0") {
		t.Errorf("logs: diagnostic settings = %d items, %+v; want unknown-many naming the setting and its count", len(ds.Items), ds.Meta)
	}
	src := readFile(t, main)
	if want := lineOf(t, src, `resource "azurerm_monitor_diagnostic_setting" "logs"`); ds.Range.Filename != main || ds.Range.Start.Line != want {
		t.Errorf("logs: unknown-many list located at %s:%d, want the setting (line %d)", ds.Range.Filename, ds.Range.Start.Line, want)
	}

	net := app(t, mod, "azurerm_linux_function_app.net")
	if net.StorageAccount == nil || net.StorageAccount.PrivateEndpoints.Origin != model.Unknown ||
		!strings.Contains(net.StorageAccount.PrivateEndpoints.Note, "for_each = var.pe_subnets") {
		t.Errorf("net: storage account private endpoints should be unknown-many: %+v", net.StorageAccount)
	}
	if got := net.DiagnosticSettings; got.Origin != model.Explicit || len(got.Items) != 1 {
		t.Errorf("net: diagnostic settings %+v with %d items, want the one known setting", got.Meta, len(got.Items))
	}

	swift := app(t, mod, "azurerm_linux_function_app.swift")
	if swift.VNetIntegrated.Origin != model.Unknown || !strings.Contains(swift.VNetIntegrated.Note, "swift_connection.swift may or may not exist") {
		t.Errorf("swift: vnet_integrated = %+v, want unknown because the connection may not exist", swift.VNetIntegrated)
	}
}

// TestLinkReasons: every link says where it is written and why.
func TestLinkReasons(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "terraform", "unknown-relations")
	mod, _ := load(t, dir, Options{})
	src := readFile(t, filepath.Join(dir, "main.tf"))
	net := app(t, mod, "azurerm_linux_function_app.net")
	wantLink := func(what string, m model.Meta, note string, line int) {
		t.Helper()
		if m.Origin != model.Explicit || m.Note != note || m.Range.Start.Line != line {
			t.Errorf("%s link = %q at line %d (%v), want %q at line %d", what, m.Note, m.Range.Start.Line, m.Origin, note, line)
		}
	}
	wantLink("storage", net.StorageLink, "storage_account_name references azurerm_storage_account.net", lineOf(t, src, "storage_account_name      = azurerm_storage_account.net.name"))
	wantLink("plan", net.PlanLink, "service_plan_id references azurerm_service_plan.plan", lineOf(t, src, "service_plan_id           = azurerm_service_plan.plan.id"))
	wantLink("diagnostic setting", net.DiagnosticSettings.Items[0].Link, "target_resource_id references azurerm_linux_function_app.net", lineOf(t, src, "target_resource_id         = each.value"))
	pes := net.StorageAccount.PrivateEndpoints.Items
	if len(pes) != 1 {
		t.Fatalf("got %d private endpoints on the storage account, want 1", len(pes))
	}
	wantLink("private endpoint", pes[0].Link, "private_connection_resource_id references azurerm_storage_account.net", lineOf(t, src, "private_connection_resource_id = azurerm_storage_account.net.id"))

	// By name: an ARM id written out, a storage account name.
	_, mod, _ = loadFiles(t, map[string]string{"main.tf": `
resource "azurerm_storage_account" "sa" {
  name = "stbyname"
}
resource "azurerm_service_plan" "plan" {
  name = "asp-byname"
}
resource "azurerm_linux_function_app" "app" {
  name                 = "func-byname"
  storage_account_name = "stbyname"
  service_plan_id      = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/asp-byname"
}
resource "azurerm_linux_function_app_slot" "staging" {
  name            = "staging"
  function_app_id = azurerm_linux_function_app.app.id
}
`})
	a := app(t, mod, "azurerm_linux_function_app.app")
	wantLink("storage by name", a.StorageLink, `storage_account_name names azurerm_storage_account.sa ("stbyname")`, 10)
	wantLink("plan by id", a.PlanLink, `service_plan_id names azurerm_service_plan.plan ("asp-byname")`, 11)
	slot := app(t, mod, "azurerm_linux_function_app_slot.staging")
	if slot.Plan != a.Plan || !strings.Contains(slot.PlanLink.Note, "the slot runs on the plan of its app azurerm_linux_function_app.app") ||
		slot.PlanLink.Range.Start.Line != 15 {
		t.Errorf("slot plan link = %+v", slot.PlanLink)
	}
}

// TestAzapiDiagnosticSetting: an azapi Microsoft.Insights/diagnosticSettings
// whose parent_id is a function app is linked to it, with its log
// categories and destination read with ARM semantics.
func TestAzapiDiagnosticSetting(t *testing.T) {
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": `
resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-diag"
  parent_id = "` + azapiRG + `"
  body      = { kind = "functionapp" }
}
resource "azapi_resource" "workspace" {
  type      = "Microsoft.OperationalInsights/workspaces@2023-09-01"
  name      = "log"
  parent_id = "` + azapiRG + `"
}
resource "azapi_resource" "diag" {
  type      = "Microsoft.Insights/diagnosticSettings@2021-05-01-preview"
  name      = "diag"
  parent_id = azapi_resource.site.id
  body = {
    properties = {
      workspaceId = azapi_resource.workspace.id
      logs = [
        { category = "FunctionAppLogs", enabled = true },
        { categoryGroup = "audit", enabled = false },
      ]
    }
  }
}
`})
	a := app(t, mod, "azapi_resource.site")
	if a.DiagnosticSettings.Len() != 1 || a.DiagnosticSettings.Origin != model.Explicit {
		t.Fatalf("diagnostic settings = %+v, want the azapi one", a.DiagnosticSettings)
	}
	d := a.DiagnosticSettings.Items[0]
	if d.Link.Note != "parent_id references azapi_resource.site" || d.Link.Range.Start.Line != 16 {
		t.Errorf("link = %q at line %d", d.Link.Note, d.Link.Range.Start.Line)
	}
	if !d.HasDestination.Known() || !d.HasDestination.V {
		t.Errorf("has_destination = %+v, want true (workspaceId references a resource)", d.HasDestination)
	}
	if d.LogCategories.Len() != 1 || d.LogCategories.Items[0].V != "FunctionAppLogs" {
		t.Errorf("log categories = %+v, want [FunctionAppLogs]", d.LogCategories.Items)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestConditionalBranchesAgree: an unknown condition with agreeing
// branches gives the branches' value, explicit and located at the
// conditional; differing branches stay unknown.
func TestConditionalBranchesAgree(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "terraform", "conditional-agree")
	src := readFile(t, filepath.Join(dir, "main.tf"))
	mod, _ := load(t, dir, Options{})
	a := app(t, mod, "azurerm_linux_function_app.agree")
	line := lineOf(t, src, "https_only           = var.flag ? true : true")
	wantValue(t, "https_only", a.HTTPSOnly, true, model.Explicit, line)
	const cond = "var.flag ? true : true"
	if r := a.HTTPSOnly.Range; r.Start.Column != 26 || r.End.Column != 26+len(cond) {
		t.Errorf("https_only located at columns %d-%d, want the conditional (26-%d)", r.Start.Column, r.End.Column, 26+len(cond))
	}
	wantValue(t, "remote_debugging", a.SiteConfig.RemoteDebugging, true, model.Explicit, lineOf(t, src, "(var.flag ? true : true)"))
	wantValue(t, "ftps_state through a local", a.SiteConfig.FTPSState, "AllAllowed", model.Explicit, 0)

	d := app(t, mod, "azurerm_linux_function_app.differ")
	if d.HTTPSOnly.Origin != model.Unknown || !strings.Contains(d.HTTPSOnly.Note, "var.flag") {
		t.Errorf("differing branches: https_only = %+v, want unknown because of var.flag", d.HTTPSOnly)
	}
}
