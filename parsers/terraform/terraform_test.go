package terraform

import (
	"context"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

const basicApp = `resource "azurerm_linux_function_app" "app" {
  name                = "func-basic"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.plan.id
  https_only          = true

  site_config {
    minimum_tls_version = "1.0"
    cors {
      allowed_origins = ["*", "https://example.com"]
    }
  }
}

resource "azurerm_service_plan" "plan" {
  name     = "plan"
  os_type  = "Linux"
  sku_name = "Y1"
}
`

func TestExplicitAndDefaultValues(t *testing.T) {
	dir, mod, diags := loadFiles(t, map[string]string{"main.tf": basicApp})
	if len(diags) != 0 {
		t.Errorf("unexpected diagnostics: %+v", diags)
	}
	if mod.Format != model.Terraform || mod.Path != dir {
		t.Errorf("module format/path = %s %s", mod.Format, mod.Path)
	}
	a := app(t, mod, "azurerm_linux_function_app.app")
	header := lineOf(t, basicApp, `resource "azurerm_linux_function_app"`)

	if a.Type != "azurerm_linux_function_app" || a.Range.Start.Line != header || a.Range.Filename != fileOf(dir, "main.tf") {
		t.Errorf("resource header = %+v", a.Resource)
	}
	if a.Range.End.Line != lineOf(t, basicApp, "resource \"azurerm_service_plan\"")-2 {
		t.Errorf("resource range should end at the closing brace, got line %d", a.Range.End.Line)
	}
	wantValue(t, "name", a.Name, "func-basic", model.Explicit, lineOf(t, basicApp, `"func-basic"`))
	wantValue(t, "https_only", a.HTTPSOnly, true, model.Explicit, lineOf(t, basicApp, "https_only"))
	if got := a.HTTPSOnly.Range.Filename; got != fileOf(dir, "main.tf") {
		t.Errorf("filename = %q", got)
	}
	if a.HTTPSOnly.Range.Start.Column != 25 || a.HTTPSOnly.Range.Start.Byte == 0 {
		t.Errorf("https_only position = %+v", a.HTTPSOnly.Range.Start)
	}
	wantValue(t, "min_tls", a.SiteConfig.MinTLSVersion, "1.0", model.Explicit, lineOf(t, basicApp, "minimum_tls_version"))

	// Defaults: origin Default, blamed on the resource header.
	wantValue(t, "public_network_access", a.PublicNetworkAccess, true, model.Default, header)
	wantValue(t, "scm_min_tls", a.SiteConfig.SCMMinTLSVersion, "1.2", model.Default, header)
	wantValue(t, "ftps_state", a.SiteConfig.FTPSState, "Disabled", model.Default, header)
	wantValue(t, "remote_debugging", a.SiteConfig.RemoteDebugging, false, model.Default, header)
	wantValue(t, "ftp_basic_auth", a.FTPBasicAuth, true, model.Default, header)
	wantValue(t, "scm_basic_auth", a.SCMBasicAuth, true, model.Default, header)
	wantValue(t, "identity", a.Identity.Type, "None", model.Default, header)
	wantValue(t, "builtin_logging", a.BuiltinLogging, true, model.Default, header)
	wantValue(t, "functions_extension_version", a.FunctionsExtensionVersion, "~4", model.Default, header)
	wantValue(t, "client_cert_enabled", a.ClientCertEnabled, false, model.Default, header)
	wantValue(t, "client_cert_mode", a.ClientCertMode, "Optional", model.Default, header)
	wantValue(t, "ip_restriction_default_action", a.SiteConfig.IPRestrictionDefaultAction, "Allow", model.Default, header)
	wantValue(t, "scm_ip_restriction_default_action", a.SiteConfig.SCMIPRestrictionDefaultAction, "Allow", model.Default, header)
	wantValue(t, "vnet_route_all", a.VNetRouteAll, false, model.Default, header)
	wantValue(t, "vnet_integrated", a.VNetIntegrated, false, model.Default, header)
	wantValue(t, "auth.enabled", a.Auth.Enabled, false, model.Default, header)
	wantValue(t, "auth.require_https", a.Auth.RequireHTTPS, true, model.Default, header)
	wantValue(t, "auth.unauthenticated_action", a.Auth.UnauthenticatedAction, "RedirectToLoginPage", model.Default, header)
	wantValue(t, "storage_uses_identity", a.StorageUsesIdentity, false, model.Default, header)
	wantValue(t, "flavor", a.Flavor, "linux", model.Explicit, header)
	wantValue(t, "os", a.OS, "linux", model.Explicit, header)
	wantValue(t, "is_slot", a.IsSlot, false, model.Explicit, header)
	if !strings.Contains(a.PublicNetworkAccess.Note, "public_network_access_enabled") {
		t.Errorf("default note = %q", a.PublicNetworkAccess.Note)
	}

	// CORS list: explicit with its items.
	cors := a.SiteConfig.CORS.AllowedOrigins
	if cors.Origin != model.Explicit || cors.Range.Start.Line != lineOf(t, basicApp, "allowed_origins") || len(cors.Items) != 2 || cors.Items[0].V != "*" {
		t.Errorf("cors = %+v", cors)
	}
	// Absent lists have their own Meta (Default), never the zero Meta.
	for name, l := range map[string]model.Meta{
		"app_settings":        a.AppSettings.Meta,
		"connection_strings":  a.ConnectionStrings.Meta,
		"private_endpoints":   a.PrivateEndpoints.Meta,
		"ip_restrictions":     a.SiteConfig.IPRestrictions.Meta,
		"scm_ip_restrictions": a.SiteConfig.SCMIPRestrictions.Meta,
		"identity_ids":        a.Identity.IdentityIDs.Meta,
		"diagnostic_settings": a.DiagnosticSettings.Meta,
		"inline_secrets":      a.Auth.InlineSecrets.Meta,
	} {
		if l.Origin != model.Default || l.Range.Start.Line != header || l.Resource != a.Address {
			t.Errorf("%s meta = %+v, want Default at line %d", name, l, header)
		}
	}

	// Plan link through service_plan_id.
	if a.Plan == nil || a.Plan.Address != "azurerm_service_plan.plan" || a.Plan.SKU.V != "Y1" || a.Plan.OS.V != "Linux" {
		t.Errorf("plan = %+v", a.Plan)
	}
	wantValue(t, "plan.zone_redundant", a.Plan.ZoneRedundant, false, model.Default, lineOf(t, basicApp, `resource "azurerm_service_plan"`))
}

func TestEveryFieldHasAnOrigin(t *testing.T) {
	// A field a parser forgot is Unknown in the model; for an app whose
	// every deciding value is a literal or a default, nothing may be.
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": basicApp})
	a := app(t, mod, "azurerm_linux_function_app.app")
	model.View(a).Walk(func(path string, n *model.Node) {
		if n.Label || n.Kind == model.KindObject || n.Kind == model.KindNull {
			return
		}
		if strings.HasPrefix(path, "plan.") {
			return // the linked plan is checked on its own
		}
		if n.Meta.Origin == model.Unknown {
			t.Errorf("%s is unknown (note %q)", path, n.Meta.Note)
		}
		if n.Meta.Range.Start.Line < 1 {
			t.Errorf("%s has no line", path)
		}
	})
}

func TestVariablePrecedence(t *testing.T) {
	cfg := `variable "tls" {
  type    = string
  default = "1.0"
}

variable "origins" {
  type    = list(string)
  default = []
}

resource "azurerm_windows_function_app" "app" {
  name = "w"
  site_config {
    minimum_tls_version = var.tls
    cors {
      allowed_origins = var.origins
    }
  }
}
`
	tlsLine := lineOf(t, cfg, "minimum_tls_version")
	cases := []struct {
		name  string
		files map[string]string
		opts  Options
		want  string
	}{
		{"default", map[string]string{"main.tf": cfg}, Options{}, "1.0"},
		{"terraform.tfvars", map[string]string{"main.tf": cfg, "terraform.tfvars": `tls = "1.1"`}, Options{}, "1.1"},
		{"auto.tfvars after terraform.tfvars", map[string]string{
			"main.tf": cfg, "terraform.tfvars": `tls = "1.1"`,
			"b.auto.tfvars": `tls = "1.3"`, "a.auto.tfvars.json": `{"tls": "1.0"}`,
		}, Options{}, "1.3"},
		{"-var-file after auto", map[string]string{"main.tf": cfg, "x.auto.tfvars": `tls = "1.1"`, "extra/prod.tfvars": `tls = "1.2"`}, Options{}, "1.2"},
		{"-var last", map[string]string{"main.tf": cfg, "terraform.tfvars": `tls = "1.1"`}, Options{Vars: map[string]string{"tls": "1.2"}}, "1.2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := fixture(t, tc.files)
			opts := tc.opts
			if _, ok := tc.files["extra/prod.tfvars"]; ok {
				opts.VarFiles = []string{dir + "/extra/prod.tfvars"}
			}
			mod, _ := load(t, dir, opts)
			a := app(t, mod, "azurerm_windows_function_app.app")
			// Through a variable is still explicit, located where it is used.
			wantValue(t, "min_tls", a.SiteConfig.MinTLSVersion, tc.want, model.Explicit, tlsLine)
		})
	}

	t.Run("-var parses HCL for non-primitive types", func(t *testing.T) {
		dir := fixture(t, map[string]string{"main.tf": cfg})
		mod, _ := load(t, dir, Options{Vars: map[string]string{"origins": `["*"]`, "tls": "1.2"}})
		o := app(t, mod, "azurerm_windows_function_app.app").SiteConfig.CORS.AllowedOrigins
		if o.Origin != model.Explicit || len(o.Items) != 1 || o.Items[0].V != "*" {
			t.Errorf("allowed_origins = %+v", o)
		}
	})
	t.Run("-var for an undeclared variable warns", func(t *testing.T) {
		dir := fixture(t, map[string]string{"main.tf": cfg})
		_, diags := load(t, dir, Options{Vars: map[string]string{"nope": "x"}})
		if !hasDiag(diags, model.SevWarning, "Value for undeclared variable") {
			t.Errorf("no warning: %+v", diags)
		}
	})
}

func TestParseVarFlag(t *testing.T) {
	s := newScope(t.Context(), t.TempDir())
	if v := s.parseVarFlag("x", "true", cty.Bool); v.AsString() != "true" {
		t.Errorf("primitive -var must stay a literal string, got %#v", v)
	}
	if v := s.parseVarFlag("x", `{a = 1}`, cty.DynamicPseudoType); !v.Type().IsObjectType() {
		t.Errorf("HCL -var should parse, got %#v", v)
	}
	if v := s.parseVarFlag("x", `not valid {`, cty.DynamicPseudoType); v.AsString() != "not valid {" {
		t.Errorf("unparsable -var should be a string, got %#v", v)
	}
	if v := s.parseVarFlag("x", `westeurope`, cty.DynamicPseudoType); v.AsString() != "westeurope" {
		t.Errorf("a bare word is a string, got %#v", v)
	}
}

func TestLocalsChainAndCycle(t *testing.T) {
	// b.tf is read after a.tf, but the locals a.tf uses are in b.tf.
	a := `resource "azurerm_linux_function_app" "app" {
  name = local.full
  app_settings = {
    LOOP = local.p
  }
}
`
	b := `locals {
  full   = upper(local.middle)
  middle = "${local.base}-${var.env}"
  base   = "func"
  p      = local.q
  q      = local.p
}

variable "env" {
  default = "prod"
}
`
	dir, mod, diags := loadFiles(t, map[string]string{"a.tf": a, "b.tf": b})
	fa := app(t, mod, "azurerm_linux_function_app.app")
	wantValue(t, "name", fa.Name, "FUNC-PROD", model.Explicit, lineOf(t, a, "local.full"))
	if fa.Name.Range.Filename != fileOf(dir, "a.tf") {
		t.Errorf("name located in %s", fa.Name.Range.Filename)
	}
	if !hasDiag(diags, model.SevWarning, "Cycle in local values") {
		t.Errorf("no cycle diagnostic: %+v", diags)
	}
	loop := setting(t, fa.AppSettings, "LOOP")
	if loop.Value.Origin != model.Unknown || loop.Source.V != string(model.SourceUnknown) {
		t.Errorf("cyclic local should be unknown: %+v", loop)
	}
}

func TestUnknownVariable(t *testing.T) {
	src := `variable "https" {
  type = bool
}

resource "azurerm_linux_function_app" "app" {
  name       = "a"
  https_only = var.https
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	wantValue(t, "https_only", a.HTTPSOnly, false, model.Unknown, lineOf(t, src, "var.https"))
	if !strings.Contains(a.HTTPSOnly.Note, "var.https") {
		t.Errorf("note should name the variable: %q", a.HTTPSOnly.Note)
	}
}

func TestNullMeansDefault(t *testing.T) {
	src := `variable "pna" {
  default = null
}

resource "azurerm_linux_function_app" "app" {
  name                          = "a"
  public_network_access_enabled = var.pna
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	wantValue(t, "public_network_access", a.PublicNetworkAccess, true, model.Default, lineOf(t, src, "var.pna"))
}

func TestStorageLink(t *testing.T) {
	src := `resource "azurerm_storage_account" "byref" {
  name                     = "sabyref"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account" "byname" {
  name                          = "sabyname"
  account_replication_type      = "GRS"
  public_network_access_enabled = false
  shared_access_key_enabled     = false
  min_tls_version               = "TLS1_0"
  https_traffic_only_enabled    = false
  allow_nested_items_to_be_public = false
  network_rules {
    default_action = "Deny"
  }
}

resource "azurerm_storage_account" "rules" {
  name                     = "sarules"
  account_replication_type = "LRS"
  enable_https_traffic_only = false
  allow_blob_public_access  = false
}

resource "azurerm_storage_account_network_rules" "r" {
  storage_account_id = azurerm_storage_account.rules.id
  default_action     = "Deny"
}

resource "azurerm_linux_function_app" "ref" {
  name                       = "a"
  storage_account_name       = azurerm_storage_account.byref.name
  storage_account_access_key = azurerm_storage_account.byref.primary_access_key
}

resource "azurerm_windows_function_app" "literal" {
  name                          = "b"
  storage_account_name          = "sabyname"
  storage_uses_managed_identity = true
}

resource "azurerm_linux_function_app" "none" {
  name                 = "c"
  storage_account_name = "elsewhere"
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	ref := app(t, mod, "azurerm_linux_function_app.ref")
	if ref.StorageAccount == nil || ref.StorageAccount.Address != "azurerm_storage_account.byref" {
		t.Fatalf("storage by reference not linked: %+v", ref.StorageAccount)
	}
	wantValue(t, "storage_account_name", ref.StorageAccountName, "sabyref", model.Explicit, lineOf(t, src, "azurerm_storage_account.byref.name"))
	if ref.StorageAccessKey.Origin != model.Unknown || !strings.Contains(ref.StorageAccessKey.Note, "azurerm_storage_account.byref.primary_access_key") {
		t.Errorf("access key from a resource attribute should be unknown with its origin: %+v", ref.StorageAccessKey.Meta)
	}

	lit := app(t, mod, "azurerm_windows_function_app.literal")
	if lit.StorageAccount == nil || lit.StorageAccount.Address != "azurerm_storage_account.byname" {
		t.Fatalf("storage by literal name not linked: %+v", lit.StorageAccount)
	}
	wantValue(t, "storage_uses_identity", lit.StorageUsesIdentity, true, model.Explicit, lineOf(t, src, "storage_uses_managed_identity"))
	if none := app(t, mod, "azurerm_linux_function_app.none"); none.StorageAccount != nil {
		t.Errorf("unknown account name must not link: %+v", none.StorageAccount)
	}

	// Storage account values and defaults.
	def := account(t, mod, "azurerm_storage_account.byref")
	header := lineOf(t, src, `resource "azurerm_storage_account" "byref"`)
	wantValue(t, "sa.public", def.PublicNetworkAccess, true, model.Default, header)
	wantValue(t, "sa.default_action", def.NetworkDefaultAction, "Allow", model.Default, header)
	wantValue(t, "sa.shared_key", def.SharedKeyAccess, true, model.Default, header)
	wantValue(t, "sa.tls", def.MinTLSVersion, "TLS1_2", model.Default, header)
	wantValue(t, "sa.https", def.HTTPSTrafficOnly, true, model.Default, header)
	wantValue(t, "sa.blob_public", def.AllowBlobPublicAccess, true, model.Default, header)
	wantValue(t, "sa.replication", def.ReplicationType, "LRS", model.Explicit, header+2)

	set := account(t, mod, "azurerm_storage_account.byname")
	wantValue(t, "sa.public", set.PublicNetworkAccess, false, model.Explicit, lineOf(t, src, "public_network_access_enabled = false"))
	wantValue(t, "sa.default_action", set.NetworkDefaultAction, "Deny", model.Explicit, lineOf(t, src, `default_action = "Deny"`))
	wantValue(t, "sa.shared_key", set.SharedKeyAccess, false, model.Explicit, 0)
	wantValue(t, "sa.tls", set.MinTLSVersion, "TLS1_0", model.Explicit, 0)
	wantValue(t, "sa.https", set.HTTPSTrafficOnly, false, model.Explicit, 0)
	wantValue(t, "sa.blob_public", set.AllowBlobPublicAccess, false, model.Explicit, 0)

	rules := account(t, mod, "azurerm_storage_account.rules")
	wantValue(t, "rules.default_action", rules.NetworkDefaultAction, "Deny", model.Explicit, lineOf(t, src, `default_action     = "Deny"`))
	wantValue(t, "rules.https (3.x name)", rules.HTTPSTrafficOnly, false, model.Explicit, lineOf(t, src, "enable_https_traffic_only"))
	wantValue(t, "rules.blob_public (old name)", rules.AllowBlobPublicAccess, false, model.Explicit, lineOf(t, src, "allow_blob_public_access"))
}

func TestPrivateEndpointLink(t *testing.T) {
	src := `resource "azurerm_linux_function_app" "app" {
  name = "func-pe"
}

resource "azurerm_windows_function_app" "lit" {
  name = "Func-Literal"
}

resource "azurerm_storage_account" "sa" {
  name                     = "sape"
  account_replication_type = "LRS"
}

resource "azurerm_private_endpoint" "byref" {
  name = "pe-ref"
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = azurerm_linux_function_app.app.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "byid" {
  name = "pe-id"
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = "/subscriptions/0000/resourceGroups/rg/providers/microsoft.web/SITES/func-literal"
    subresource_names              = ["sites"]
  }
}

resource "azurerm_private_endpoint" "blob" {
  name = "pe-blob"
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = azurerm_storage_account.sa.id
    subresource_names              = ["blob"]
  }
}

resource "azurerm_private_endpoint" "other" {
  name = "pe-sql"
  private_service_connection {
    name                           = "c"
    private_connection_resource_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/x"
    subresource_names              = ["sqlServer"]
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	if len(mod.PrivateEndpoints) != 4 {
		t.Errorf("module lists %d private endpoints, want 4", len(mod.PrivateEndpoints))
	}
	ref := app(t, mod, "azurerm_linux_function_app.app")
	if l := ref.PrivateEndpoints; l.Origin != model.Explicit || len(l.Items) != 1 || l.Items[0].Address != "azurerm_private_endpoint.byref" {
		t.Fatalf("private endpoint by reference not linked: %+v", l)
	}
	pe := ref.PrivateEndpoints.Items[0]
	if pe.Name.V != "pe-ref" || len(pe.SubresourceNames.Items) != 1 || pe.SubresourceNames.Items[0].V != "sites" {
		t.Errorf("endpoint = %+v", pe)
	}
	if ref.PrivateEndpoints.Range.Start.Line != lineOf(t, src, `resource "azurerm_private_endpoint" "byref"`) {
		t.Errorf("private endpoint list located at %+v", ref.PrivateEndpoints.Range)
	}
	lit := app(t, mod, "azurerm_windows_function_app.lit")
	if l := lit.PrivateEndpoints; len(l.Items) != 1 || l.Items[0].Address != "azurerm_private_endpoint.byid" {
		t.Errorf("private endpoint by literal id (case-insensitive) not linked: %+v", l)
	}
	sa := account(t, mod, "azurerm_storage_account.sa")
	if l := sa.PrivateEndpoints; len(l.Items) != 1 || l.Items[0].SubresourceNames.Items[0].V != "blob" {
		t.Errorf("storage private endpoint not linked: %+v", l)
	}
}

func TestDiagnosticSettingLink(t *testing.T) {
	src := `resource "azurerm_linux_function_app" "app" {
  name = "func-diag"
}

resource "azurerm_log_analytics_workspace" "law" {
  name = "law"
}

resource "azurerm_monitor_diagnostic_setting" "new" {
  name                       = "diag"
  target_resource_id         = azurerm_linux_function_app.app.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.law.id

  enabled_log {
    category = "FunctionAppLogs"
  }
  enabled_log {
    category_group = "allLogs"
  }
}

resource "azurerm_monitor_diagnostic_setting" "legacy" {
  name               = "diag-legacy"
  target_resource_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/sites/func-diag"

  log {
    category = "FunctionAppLogs"
    enabled  = false
  }
  log {
    category = "AppServiceAuthenticationLogs"
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	if len(mod.DiagnosticSettings) != 2 || len(a.DiagnosticSettings.Items) != 2 || a.DiagnosticSettings.Origin != model.Explicit {
		t.Fatalf("diagnostic settings: module %d, app %+v", len(mod.DiagnosticSettings), a.DiagnosticSettings)
	}
	n := a.DiagnosticSettings.Items[0]
	if n.Address != "azurerm_monitor_diagnostic_setting.new" {
		t.Fatalf("first setting = %s", n.Address)
	}
	wantValue(t, "has_destination", n.HasDestination, true, model.Explicit, lineOf(t, src, "log_analytics_workspace_id"))
	if cats := n.LogCategories; len(cats.Items) != 2 || cats.Items[0].V != "FunctionAppLogs" || cats.Items[1].V != "allLogs" || cats.Origin != model.Explicit {
		t.Errorf("categories = %+v", cats)
	}
	l := a.DiagnosticSettings.Items[1]
	wantValue(t, "legacy has_destination", l.HasDestination, false, model.Default, lineOf(t, src, `"legacy"`))
	if cats := l.LogCategories; len(cats.Items) != 1 || cats.Items[0].V != "AppServiceAuthenticationLogs" {
		t.Errorf("legacy log{enabled=false} must be skipped: %+v", cats)
	}
}

func TestSwiftConnection(t *testing.T) {
	src := `resource "azurerm_subnet" "s" {
  name = "s"
}

resource "azurerm_windows_function_app" "app" {
  name = "func-swift"
}

resource "azurerm_linux_function_app" "inline" {
  name                      = "func-inline"
  virtual_network_subnet_id = azurerm_subnet.s.id
}

resource "azurerm_app_service_virtual_network_swift_connection" "c" {
  app_service_id = azurerm_windows_function_app.app.id
  subnet_id      = azurerm_subnet.s.id
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_windows_function_app.app")
	wantValue(t, "vnet_integrated", a.VNetIntegrated, true, model.Explicit, lineOf(t, src, `resource "azurerm_app_service_virtual_network_swift_connection"`))
	if a.VNetSubnetID.Origin != model.Unknown || a.VNetSubnetID.Range.Start.Line != lineOf(t, src, "subnet_id      =") {
		t.Errorf("subnet id should come from the swift connection: %+v", a.VNetSubnetID)
	}
	in := app(t, mod, "azurerm_linux_function_app.inline")
	// A subnet's id is known only after apply, but it is certainly set.
	wantValue(t, "inline vnet_integrated", in.VNetIntegrated, true, model.Explicit, lineOf(t, src, "virtual_network_subnet_id"))
	if in.VNetSubnetID.Origin != model.Unknown {
		t.Errorf("subnet id of a resource is unknown: %+v", in.VNetSubnetID)
	}
}

func TestAppSettingSources(t *testing.T) {
	src := `variable "secret" {
  default   = "hunter2"
  sensitive = true
}

variable "unset" {}

data "azurerm_key_vault_secret" "kv" {
  name = "x"
}

resource "azurerm_key_vault_secret" "s" {
  name  = "s"
  value = "from-source"
}

resource "azurerm_storage_account" "sa" {
  name                     = "sa"
  account_replication_type = "LRS"
}

resource "azurerm_linux_function_app" "app" {
  name = "func-settings"
  app_settings = {
    PLAIN        = "value"
    NUMBER       = 3
    KV           = "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)"
    KV_REF       = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.s.versionless_id})"
    STORAGE      = azurerm_storage_account.sa.primary_connection_string
    CONN         = "AccountName=${azurerm_storage_account.sa.name};AccountKey=${azurerm_storage_account.sa.primary_access_key}"
    DATA         = data.azurerm_key_vault_secret.kv.value
    WRITTEN      = azurerm_key_vault_secret.s.value
    SENSITIVE    = var.secret
    UNSET        = var.unset
    "quoted.key" = "q"
  }

  connection_string {
    name  = "db"
    type  = "SQLAzure"
    value = "Server=x;Password=p"
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	if a.AppSettings.Origin != model.Explicit || a.AppSettings.Range.Start.Line != lineOf(t, src, "app_settings") {
		t.Errorf("app_settings meta = %+v", a.AppSettings.Meta)
	}
	var names []string
	for _, s := range a.AppSettings.Items {
		names = append(names, s.Name.V)
	}
	if got := strings.Join(names, ","); got != "CONN,DATA,KV,KV_REF,NUMBER,PLAIN,SENSITIVE,STORAGE,UNSET,WRITTEN,quoted.key" {
		t.Errorf("settings order = %s", got)
	}
	cases := []struct {
		name, source, attribute, value string
		origin                         model.Origin
		needle                         string // locates the item's line
	}{
		{"PLAIN", "literal", "", "value", model.Explicit, `PLAIN `},
		{"NUMBER", "literal", "", "3", model.Explicit, `NUMBER `},
		{"KV", "keyvault_reference", "", "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x)", model.Explicit, `KV   `},
		{"KV_REF", "keyvault_reference", "", "", model.Unknown, `KV_REF`},
		{"STORAGE", "resource_attribute", "primary_connection_string", "", model.Unknown, `STORAGE`},
		{"CONN", "resource_attribute", "primary_access_key", "", model.Unknown, `CONN`},
		{"DATA", "resource_attribute", "value", "", model.Unknown, `DATA`},
		{"WRITTEN", "literal", "", "from-source", model.Explicit, `WRITTEN`},
		{"SENSITIVE", "sensitive_input", "", "hunter2", model.Explicit, `SENSITIVE`},
		{"UNSET", "unknown", "", "", model.Unknown, `UNSET `},
		{"quoted.key", "literal", "", "q", model.Explicit, `"quoted.key"`},
	}
	for _, tc := range cases {
		s := setting(t, a.AppSettings, tc.name)
		if s.Source.V != tc.source || s.Attribute.V != tc.attribute {
			t.Errorf("%s: source %q attribute %q, want %q %q", tc.name, s.Source.V, s.Attribute.V, tc.source, tc.attribute)
		}
		wantValue(t, tc.name+" value", s.Value, model.Sensitive(tc.value), tc.origin, lineOf(t, src, tc.needle))
		if s.Name.Range.Start.Line != lineOf(t, src, tc.needle) || s.Source.Origin != model.Explicit {
			t.Errorf("%s: name/source meta %+v %+v", tc.name, s.Name.Meta, s.Source.Meta)
		}
	}
	cs := a.ConnectionStrings
	if cs.Origin != model.Explicit || len(cs.Items) != 1 {
		t.Fatalf("connection strings = %+v", cs)
	}
	wantValue(t, "cs.name", cs.Items[0].Name, "db", model.Explicit, lineOf(t, src, `"db"`))
	wantValue(t, "cs.type", cs.Items[0].Type, "SQLAzure", model.Explicit, 0)
	wantValue(t, "cs.value", cs.Items[0].Value, model.Sensitive("Server=x;Password=p"), model.Explicit, lineOf(t, src, "Server=x"))
	if cs.Items[0].Source.V != "literal" {
		t.Errorf("cs.source = %s", cs.Items[0].Source.V)
	}
}

func TestAppSettingsThroughFunctions(t *testing.T) {
	src := `locals {
  base = { A = "1" }
}

resource "azurerm_linux_function_app" "app" {
  name         = "f"
  app_settings = merge(local.base, { B = "2" })
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	line := lineOf(t, src, "merge(")
	for _, n := range []string{"A", "B"} {
		s := setting(t, a.AppSettings, n)
		if s.Value.Origin != model.Explicit || s.Value.Range.Start.Line != line || s.Source.V != "literal" {
			t.Errorf("%s = %+v", n, s)
		}
	}
}

func TestLegacyDefaults(t *testing.T) {
	src := `resource "azurerm_function_app" "old" {
  name                       = "legacy"
  app_service_plan_id        = azurerm_app_service_plan.p.id
  storage_account_name       = "sa"
  storage_account_access_key = "key"
  client_cert_mode           = "Required"

  site_config {
    ip_restriction {
      ip_address = "10.0.0.0/24"
    }
  }
}

resource "azurerm_app_service_plan" "p" {
  name     = "p"
  kind     = "FunctionApp"
  reserved = true
  sku {
    tier = "Dynamic"
    size = "Y1"
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_function_app.old")
	header := lineOf(t, src, `resource "azurerm_function_app"`)
	wantValue(t, "flavor", a.Flavor, "legacy", model.Explicit, header)
	wantValue(t, "os", a.OS, "windows", model.Default, header)
	wantValue(t, "ftps_state", a.SiteConfig.FTPSState, "AllAllowed", model.Default, header)
	wantValue(t, "version", a.FunctionsExtensionVersion, "~1", model.Default, header)
	wantValue(t, "min_tls", a.SiteConfig.MinTLSVersion, "1.2", model.Default, header)
	wantValue(t, "public", a.PublicNetworkAccess, true, model.Default, header)
	wantValue(t, "ftp basic auth", a.FTPBasicAuth, true, model.Default, header)
	wantValue(t, "builtin logging", a.BuiltinLogging, true, model.Default, header)
	wantValue(t, "storage identity", a.StorageUsesIdentity, false, model.Explicit, lineOf(t, src, "storage_account_access_key"))
	wantValue(t, "storage configured", a.StorageConfigured, true, model.Explicit, header)
	wantValue(t, "storage key", a.StorageAccessKey, model.Sensitive("key"), model.Explicit, lineOf(t, src, `"key"`))
	certLine := lineOf(t, src, "client_cert_mode")
	wantValue(t, "client cert mode", a.ClientCertMode, "Required", model.Explicit, certLine)
	wantValue(t, "client cert enabled", a.ClientCertEnabled, true, model.Explicit, certLine)
	// With one rule and no default-action argument the platform denies the rest.
	wantValue(t, "ip default action", a.SiteConfig.IPRestrictionDefaultAction, "Deny", model.Default, lineOf(t, src, "ip_restriction {"))
	wantValue(t, "scm default action", a.SiteConfig.SCMIPRestrictionDefaultAction, "Allow", model.Default, header)
	if r := a.SiteConfig.IPRestrictions; len(r.Items) != 1 || r.Items[0].IPAddress.V != "10.0.0.0/24" {
		t.Errorf("ip restrictions = %+v", r)
	} else {
		rule := r.Items[0]
		wantValue(t, "rule action", rule.Action, "Allow", model.Default, lineOf(t, src, "ip_restriction {"))
		wantValue(t, "rule priority", rule.Priority, int64(65000), model.Default, 0)
	}
	if a.Plan == nil || a.Plan.SKU.V != "Y1" || a.Plan.OS.V != "Linux" {
		t.Errorf("legacy plan = %+v", a.Plan)
	}
}

func TestFlexConsumption(t *testing.T) {
	src := `resource "azurerm_storage_account" "sa" {
  name                     = "flexsa"
  account_replication_type = "LRS"
}

resource "azurerm_function_app_flex_consumption" "flex" {
  name                        = "flex"
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "${azurerm_storage_account.sa.primary_blob_endpoint}deploy"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.11"
  maximum_instance_count      = 50

  site_config {}
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_function_app_flex_consumption.flex")
	header := lineOf(t, src, `resource "azurerm_function_app_flex_consumption"`)
	wantValue(t, "flavor", a.Flavor, "flex", model.Explicit, header)
	wantValue(t, "ftp basic auth", a.FTPBasicAuth, false, model.Default, header)
	if !strings.Contains(a.FTPBasicAuth.Note, "no FTP on Flex Consumption") {
		t.Errorf("note = %q", a.FTPBasicAuth.Note)
	}
	wantValue(t, "ftps_state", a.SiteConfig.FTPSState, "Disabled", model.Default, header)
	wantValue(t, "runtime", a.SiteConfig.RuntimeName, "python", model.Explicit, lineOf(t, src, `"python"`))
	wantValue(t, "runtime version", a.SiteConfig.RuntimeVersion, "3.11", model.Explicit, 0)
	wantValue(t, "max instances", a.MaximumInstanceCount, int64(50), model.Explicit, lineOf(t, src, "maximum_instance_count"))
	wantValue(t, "storage identity", a.StorageUsesIdentity, true, model.Explicit, lineOf(t, src, "storage_authentication_type"))
	if a.StorageAccount == nil || a.StorageAccount.Address != "azurerm_storage_account.sa" {
		t.Errorf("flex storage not linked through storage_container_endpoint: %+v", a.StorageAccount)
	}
}

func TestSlot(t *testing.T) {
	src := `resource "azurerm_service_plan" "p" {
  name     = "p"
  os_type  = "Linux"
  sku_name = "EP1"
}

resource "azurerm_linux_function_app" "app" {
  name            = "func-prod"
  service_plan_id = azurerm_service_plan.p.id
}

resource "azurerm_linux_function_app_slot" "staging" {
  name            = "staging"
  function_app_id = azurerm_linux_function_app.app.id
  https_only      = true
}

resource "azurerm_function_app_slot" "old" {
  name              = "old"
  function_app_name = "func-legacy"
}

resource "azurerm_function_app" "legacy" {
  name = "func-legacy"
}

resource "azurerm_private_endpoint" "slotpe" {
  name = "pe"
  private_service_connection {
    private_connection_resource_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/sites/func-prod/slots/staging"
    subresource_names              = ["sites-staging"]
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	s := app(t, mod, "azurerm_linux_function_app_slot.staging")
	wantValue(t, "is_slot", s.IsSlot, true, model.Explicit, 0)
	wantValue(t, "slot_name", s.SlotName, "staging", model.Explicit, lineOf(t, src, `= "staging"`))
	wantValue(t, "parent", s.Parent, "azurerm_linux_function_app.app", model.Explicit, lineOf(t, src, "function_app_id"))
	wantValue(t, "https_only", s.HTTPSOnly, true, model.Explicit, 0)
	if s.Plan == nil || s.Plan.SKU.V != "EP1" {
		t.Errorf("slot should run on its parent's plan: %+v", s.Plan)
	}
	if l := s.PrivateEndpoints; len(l.Items) != 1 {
		t.Errorf("slot private endpoint by literal /slots/ id not linked: %+v", l)
	}
	if p := app(t, mod, "azurerm_linux_function_app.app"); len(p.PrivateEndpoints.Items) != 0 {
		t.Errorf("a slot's endpoint must not count for the parent")
	}
	old := app(t, mod, "azurerm_function_app_slot.old")
	wantValue(t, "legacy slot parent", old.Parent, "azurerm_function_app.legacy", model.Explicit, lineOf(t, src, "function_app_name"))
	wantValue(t, "legacy slot ftps", old.SiteConfig.FTPSState, "AllAllowed", model.Default, 0)
}

func TestJSONConfiguration(t *testing.T) {
	src := `{
  "variable": {
    "tls": {"default": "1.1"}
  },
  "resource": {
    "azurerm_windows_function_app": {
      "json": {
        "name": "func-json",
        "https_only": true,
        "app_settings": {"A": "b", "KV": "@Microsoft.KeyVault(VaultName=v;SecretName=s)"},
        "identity": {"type": "SystemAssigned"},
        "site_config": [{
          "minimum_tls_version": "${var.tls}",
          "cors": {"allowed_origins": ["*"]},
          "ip_restriction": [{"ip_address": "0.0.0.0/0", "priority": 100}]
        }]
      }
    }
  }
}
`
	dir, mod, diags := loadFiles(t, map[string]string{"main.tf.json": src})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %+v", diags)
	}
	a := app(t, mod, "azurerm_windows_function_app.json")
	if a.Range.Filename != fileOf(dir, "main.tf.json") || a.Range.Start.Line < 1 {
		t.Errorf("range = %+v", a.Range)
	}
	wantValue(t, "https_only", a.HTTPSOnly, true, model.Explicit, lineOf(t, src, `"https_only"`))
	wantValue(t, "min tls", a.SiteConfig.MinTLSVersion, "1.1", model.Explicit, lineOf(t, src, `"minimum_tls_version"`))
	wantValue(t, "identity", a.Identity.Type, "SystemAssigned", model.Explicit, lineOf(t, src, `"identity"`))
	if o := a.SiteConfig.CORS.AllowedOrigins; len(o.Items) != 1 || o.Items[0].V != "*" {
		t.Errorf("cors = %+v", o)
	}
	if r := a.SiteConfig.IPRestrictions; len(r.Items) != 1 || r.Items[0].Priority.V != 100 || r.Items[0].Action.V != "Allow" {
		t.Errorf("ip restrictions = %+v", r)
	}
	if s := setting(t, a.AppSettings, "KV"); s.Source.V != "keyvault_reference" || s.Value.Range.Start.Line != lineOf(t, src, `"app_settings"`) {
		t.Errorf("json setting = %+v", s)
	}
}

func TestBrokenFileDoesNotStopTheScan(t *testing.T) {
	broken := `resource "azurerm_linux_function_app" "broken" {
  name = "x"

  site_config {
    minimum_tls_version = 
}
`
	dir, mod, diags := loadFiles(t, map[string]string{
		"a_broken.tf": broken,
		"b_good.tf":   `resource "azurerm_linux_function_app" "good" { name = "good" }`,
	})
	app(t, mod, "azurerm_linux_function_app.good")
	var found bool
	for _, d := range diags {
		if d.Severity == model.SevError && d.Range.Filename == fileOf(dir, "a_broken.tf") && d.Range.Start.Line >= 1 && d.Summary != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no error diagnostic with file and line for the broken file: %+v", diags)
	}
}

func TestWebAppIsNotAFunctionApp(t *testing.T) {
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": `
resource "azurerm_linux_web_app" "web" {
  name = "web"
}
resource "azurerm_app_service" "old" {
  name = "old"
}
`})
	if len(mod.FunctionApps) != 0 {
		t.Errorf("web apps modelled as function apps: %d", len(mod.FunctionApps))
	}
}

func TestBinaryHugeAndOverrideFiles(t *testing.T) {
	dir := fixture(t, map[string]string{
		"bin.tf":      "resource \"x\" \"y\" {\n\x00\x01}",
		"override.tf": `resource "azurerm_linux_function_app" "o" { name = "o" }`,
		"ok.tf":       `resource "azurerm_linux_function_app" "ok" { name = "ok" }`,
		"huge.tf":     "# " + strings.Repeat("x", limits.TerraformFileSize) + "\n",
	})
	mod, diags := load(t, dir, Options{})
	if len(mod.FunctionApps) != 1 || mod.FunctionApps[0].Address != "azurerm_linux_function_app.ok" {
		t.Errorf("apps = %d", len(mod.FunctionApps))
	}
	for _, want := range []struct {
		file, summary string
		line          int
	}{
		{"bin.tf", "Binary file", 2},
		{"huge.tf", "File too large", 1},
		{"override.tf", "Nothing to override", 1}, // it overrides no block
	} {
		ok := false
		for _, d := range diags {
			if d.Range.Filename == fileOf(dir, want.file) && d.Summary == want.summary && d.Range.Start.Line == want.line {
				ok = true
			}
		}
		if !ok {
			t.Errorf("no %q diagnostic for %s at line %d: %+v", want.summary, want.file, want.line, diags)
		}
	}
}

func TestFunctions(t *testing.T) {
	src := `locals {
  m = { a = "x" }
}

resource "azurerm_linux_function_app" "app" {
  name = "f"
  app_settings = {
    LOOKUP2   = lookup(local.m, "a")
    LOOKUP3   = lookup(local.m, "missing", "dflt")
    REGEX     = replace("a-b-c", "/-[a-z]/", "")
    PLAIN     = replace("a.b", ".", "/")
    LEN       = length("héllo")
    LENLIST   = length([1, 2])
    LENOBJ    = length({ for k in ["a", "b", "c"] : k => k })
    COALESCE  = coalesce("", null, "c")
    TRY       = try(local.m.nope, "fallback")
    JOIN      = join(",", concat(["a"], ["b"]))
    FMT       = format("%s-%d", "x", 2)
    FILE      = file("secret.txt")
    TEMPLATE  = templatefile("t.tpl", {})
    CUSTOM1   = frobnicate("x")
    CUSTOM2   = frobnicate("y")
    NS        = provider::azurerm::normalise_resource_id("x")
    STARTS    = startswith("abc", "ab")
    SENS      = sensitive("s")
    NONSENS   = nonsensitive(sensitive("n"))
    JSON      = jsonencode({ k = "v" })
    TOSTRING  = tostring(12)
    INDEX     = index(["a", "b"], "b")
  }
}
`
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	known := map[string]string{
		"LOOKUP2": "x", "LOOKUP3": "dflt", "REGEX": "a", "PLAIN": "a/b", "LEN": "5", "LENLIST": "2", "LENOBJ": "3",
		"COALESCE": "c", "TRY": "fallback", "JOIN": "a,b", "FMT": "x-2", "STARTS": "true",
		"SENS": "s", "NONSENS": "n", "JSON": `{"k":"v"}`, "TOSTRING": "12", "INDEX": "1",
	}
	for name, want := range known {
		s := setting(t, a.AppSettings, name)
		if s.Value.Origin != model.Explicit || string(s.Value.V) != want {
			t.Errorf("%s = %q (%s, %s), want %q", name, s.Value.V, s.Value.Origin, s.Value.Note, want)
		}
	}
	if s := setting(t, a.AppSettings, "SENS"); s.Source.V != "sensitive_input" {
		t.Errorf("sensitive() source = %s", s.Source.V)
	}
	if s := setting(t, a.AppSettings, "NONSENS"); s.Source.V != "literal" {
		t.Errorf("nonsensitive() source = %s", s.Source.V)
	}
	for _, name := range []string{"FILE", "TEMPLATE", "CUSTOM1", "CUSTOM2", "NS"} {
		if s := setting(t, a.AppSettings, name); s.Value.Origin != model.Unknown || s.Source.V != "unknown" {
			t.Errorf("%s should be unknown: %+v", name, s.Value)
		}
	}
	if n := countDiags(diags, "Function not evaluated"); n != 2 {
		t.Errorf("want one warning per unknown function (frobnicate, provider::azurerm::normalise_resource_id), got %d: %+v", n, diags)
	}
	for _, d := range diags {
		if d.Severity == model.SevError {
			t.Errorf("unexpected error: %+v", d)
		}
		if strings.Contains(d.Detail, "file()") || strings.Contains(d.Detail, "templatefile") {
			t.Errorf("file() and templatefile() are silently unknown: %+v", d)
		}
	}
}

func TestUnknownCountIsOneInstance(t *testing.T) {
	src := `variable "n" {
  type = number
}

resource "azurerm_linux_function_app" "app" {
  count = var.n
  name  = "func-${count.index}"
}

resource "azurerm_private_endpoint" "pe" {
  for_each = toset(["a"])
  name     = "pe-${each.key}"
  private_service_connection {
    private_connection_resource_id = azurerm_linux_function_app.app[0].id
    subresource_names              = ["sites"]
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	if len(mod.FunctionApps) != 1 {
		t.Fatalf("want one instance for an unknown count, got %d", len(mod.FunctionApps))
	}
	a := app(t, mod, "azurerm_linux_function_app.app")
	if a.Name.Origin != model.Unknown || !strings.Contains(a.Name.Note, "count.index") {
		t.Errorf("name depends on count.index: %+v", a.Name)
	}
	if len(a.PrivateEndpoints.Items) != 1 || a.PrivateEndpoints.Items[0].Address != `azurerm_private_endpoint.pe["a"]` {
		t.Errorf("indexed reference not linked: %+v", a.PrivateEndpoints)
	}
}

func TestDynamicBlocks(t *testing.T) {
	src := `variable "ips" {
  default = ["1.2.3.4/32", "5.6.7.8/32"]
}

variable "unknown" {
  type = list(string)
}

resource "azurerm_linux_function_app" "app" {
  name = "f"
  site_config {
    dynamic "ip_restriction" {
      for_each = var.ips
      iterator = rule
      content {
        name       = "rule-${rule.key}"
        ip_address = rule.value
      }
    }
    dynamic "scm_ip_restriction" {
      for_each = var.unknown
      content {
        ip_address = scm_ip_restriction.value
      }
    }
  }
  dynamic "identity" {
    for_each = []
    content {
      type = "SystemAssigned"
    }
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	r := a.SiteConfig.IPRestrictions
	if r.Origin != model.Explicit || len(r.Items) != 2 {
		t.Fatalf("dynamic ip_restriction must expand to two rules: %+v", r)
	}
	wantValue(t, "rule 1 ip", r.Items[1].IPAddress, "5.6.7.8/32", model.Explicit, lineOf(t, src, "ip_address = rule.value"))
	wantValue(t, "rule 0 name", r.Items[0].Name, "rule-0", model.Explicit, lineOf(t, src, `name       = "rule-`))
	if s := a.SiteConfig.SCMIPRestrictions; s.Origin != model.Unknown || s.Range.Start.Line != lineOf(t, src, `dynamic "scm_ip_restriction"`) {
		t.Errorf("dynamic with unknown for_each must be unknown at the dynamic block: %+v", s.Meta)
	}
	wantValue(t, "identity", a.Identity.Type, "None", model.Default, 0)
}

func TestAuthSettings(t *testing.T) {
	src := `resource "azurerm_linux_function_app" "v2" {
  name = "v2"
  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"
  }
}

resource "azurerm_windows_function_app" "v1" {
  name = "v1"
  auth_settings {
    enabled                       = true
    unauthenticated_client_action = "AllowAnonymous"
    active_directory {
      client_id     = "id"
      client_secret = "inline-secret"
    }
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	v2 := app(t, mod, "azurerm_linux_function_app.v2")
	wantValue(t, "v2 enabled", v2.Auth.Enabled, true, model.Explicit, lineOf(t, src, "auth_enabled"))
	wantValue(t, "v2 version", v2.Auth.Version, "v2", model.Explicit, lineOf(t, src, "auth_settings_v2 {"))
	wantValue(t, "v2 action", v2.Auth.UnauthenticatedAction, "Return401", model.Explicit, 0)
	wantValue(t, "v2 https", v2.Auth.RequireHTTPS, true, model.Default, lineOf(t, src, `resource "azurerm_linux_function_app"`))
	v1 := app(t, mod, "azurerm_windows_function_app.v1")
	wantValue(t, "v1 enabled", v1.Auth.Enabled, true, model.Explicit, 0)
	wantValue(t, "v1 require", v1.Auth.RequireAuthentication, false, model.Explicit, lineOf(t, src, "unauthenticated_client_action"))
	if s := v1.Auth.InlineSecrets; len(s.Items) != 1 || s.Items[0].Name.V != "auth_settings.active_directory.client_secret" || string(s.Items[0].Value.V) != "inline-secret" {
		t.Errorf("inline secrets = %+v", s)
	}
}

func TestIdentityAndBackup(t *testing.T) {
	src := `resource "azurerm_user_assigned_identity" "uai" {
  name = "uai"
}

resource "azurerm_windows_function_app" "app" {
  name = "f"
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.uai.id]
  }
  key_vault_reference_identity_id = azurerm_user_assigned_identity.uai.id
  backup {
    name                = "b"
    storage_account_url = "https://sa.blob.core.windows.net/c?sig=abc"
    schedule {
      frequency_interval = 1
      frequency_unit     = "Day"
    }
  }
  site_config {
    application_stack {
      dotnet_version              = "v8.0"
      use_dotnet_isolated_runtime = true
    }
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_windows_function_app.app")
	wantValue(t, "identity", a.Identity.Type, "SystemAssigned, UserAssigned", model.Explicit, lineOf(t, src, "type         ="))
	if ids := a.Identity.IdentityIDs; len(ids.Items) != 1 || ids.Items[0].Origin != model.Unknown {
		t.Errorf("identity ids = %+v", ids)
	}
	if a.KeyVaultReferenceIdentity.Origin != model.Unknown || !strings.Contains(a.KeyVaultReferenceIdentity.Note, "azurerm_user_assigned_identity.uai.id") {
		t.Errorf("kv identity = %+v", a.KeyVaultReferenceIdentity)
	}
	wantValue(t, "backup configured", a.Backup.Configured, true, model.Explicit, lineOf(t, src, "backup {"))
	wantValue(t, "backup enabled", a.Backup.Enabled, true, model.Default, 0)
	wantValue(t, "backup retention", a.Backup.RetentionPeriodDays, int64(30), model.Default, 0)
	wantValue(t, "backup url", a.Backup.StorageAccountURL, model.Sensitive("https://sa.blob.core.windows.net/c?sig=abc"), model.Explicit, 0)
	wantValue(t, "runtime", a.SiteConfig.RuntimeName, "dotnet-isolated", model.Explicit, lineOf(t, src, "dotnet_version"))
	wantValue(t, "runtime version", a.SiteConfig.RuntimeVersion, "v8.0", model.Explicit, 0)
}

func TestMissingDirectory(t *testing.T) {
	mod, diags := load(t, t.TempDir()+"/nope", Options{})
	if len(mod.FunctionApps) != 0 || !hasDiag(diags, model.SevError, "Cannot read directory") {
		t.Errorf("diags = %+v", diags)
	}
}

func TestCancelledScan(t *testing.T) {
	dir := fixture(t, map[string]string{"main.tf": basicApp})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	mod, diags := LoadDir(ctx, dir, Options{})
	if mod == nil || !hasDiag(diags, model.SevError, "Scan cancelled") {
		t.Errorf("cancelled scan: %+v", diags)
	}
}

func TestEvaluationErrorIsUnknownWithDiagnostic(t *testing.T) {
	src := `locals {
  m = { a = 1 }
}

resource "azurerm_linux_function_app" "app" {
  name       = "f"
  https_only = local.m.missing
}
`
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	if a.HTTPSOnly.Origin != model.Unknown || !strings.Contains(a.HTTPSOnly.Note, "could not be evaluated") {
		t.Errorf("https_only = %+v", a.HTTPSOnly)
	}
	found := false
	for _, d := range diags {
		if d.Summary == "Expression could not be evaluated" && d.Severity == model.SevWarning && d.Range.Start.Line == lineOf(t, src, "local.m.missing") {
			found = true
		}
	}
	if !found {
		t.Errorf("no located warning: %+v", diags)
	}
}

func TestEveryFlavorFillsEveryField(t *testing.T) {
	src := `resource "azurerm_linux_function_app" "l" {
  name = "l"
}
resource "azurerm_windows_function_app" "w" {
  name = "w"
}
resource "azurerm_function_app_flex_consumption" "f" {
  name                        = "f"
  storage_authentication_type = "StorageAccountConnectionString"
  runtime_name                = "node"
  runtime_version             = "20"
}
resource "azurerm_function_app" "legacy" {
  name                 = "legacy"
  storage_account_name = "sa"
}
resource "azurerm_linux_function_app_slot" "ls" {
  name            = "ls"
  function_app_id = azurerm_linux_function_app.l.id
}
resource "azurerm_windows_function_app_slot" "ws" {
  name            = "ws"
  function_app_id = azurerm_windows_function_app.w.id
}
resource "azurerm_function_app_slot" "lgs" {
  name                 = "lgs"
  function_app_name    = "legacy"
  storage_account_name = "sa"
}
resource "azurerm_storage_account" "sa" {
  name                     = "sa"
  account_replication_type = "LRS"
}
`
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": src})
	if len(diags) != 0 {
		t.Errorf("diagnostics: %+v", diags)
	}
	if len(mod.FunctionApps) != 7 {
		t.Fatalf("found %d function apps, want 7", len(mod.FunctionApps))
	}
	check := func(owner string, v any) {
		model.View(v).Walk(func(path string, n *model.Node) {
			if n.Label || n.Kind == model.KindObject || n.Kind == model.KindNull || strings.HasPrefix(path, "storage_account.") {
				return
			}
			if n.Meta.Origin == model.Unknown {
				t.Errorf("%s: %s is unknown (note %q)", owner, path, n.Meta.Note)
			}
			if n.Meta.Range.Start.Line < 1 || n.Meta.Resource == "" {
				t.Errorf("%s: %s has no line or owner: %+v", owner, path, n.Meta)
			}
		})
	}
	for _, a := range mod.FunctionApps {
		check(a.Address, a)
	}
	check("storage account", mod.StorageAccounts[0])
}
