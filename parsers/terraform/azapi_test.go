package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

const azapiRG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"

// TestAzapiRanges: values are located at their expressions, also through
// locals and jsonencode(); a JSON string body is located at the
// attribute.
func TestAzapiRanges(t *testing.T) {
	src := `
locals {
  site_config = {
    minTlsVersion = "1.1"
  }
  body = {
    kind = "functionapp"
    properties = {
      httpsOnly  = true
      siteConfig = local.site_config
    }
  }
}

resource "azapi_resource" "via_local" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-a"
  parent_id = "` + azapiRG + `"
  body      = local.body
}

resource "azapi_resource" "via_jsonencode" {
  type      = "Microsoft.Web/sites@2022-03-01"
  name      = "func-b"
  parent_id = "` + azapiRG + `"
  body = jsonencode({
    kind = "functionapp,linux"
    properties = {
      clientCertEnabled = true
      siteConfig = {
        cors = { allowedOrigins = ["https://a.example", "*"] }
      }
    }
  })
}

resource "azapi_resource" "via_string" {
  type      = "Microsoft.Web/sites@2021-03-01"
  name      = "func-c"
  parent_id = "` + azapiRG + `"
  body      = "{\"kind\": \"functionapp\", \"properties\": {\"httpsOnly\": true, \"siteConfig\": {\"functionAppScaleLimit\": 4}}}"
}
`
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": src})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %+v", diags)
	}
	a := app(t, mod, "azapi_resource.via_local")
	if a.Type != azapiResource || a.Range.Start.Line != lineOf(t, src, `"via_local"`) {
		t.Errorf("resource = %+v", a.Resource)
	}
	wantValue(t, "https_only via local", a.HTTPSOnly, true, model.Explicit, lineOf(t, src, "httpsOnly  = true"))
	wantValue(t, "min_tls via nested local", a.SiteConfig.MinTLSVersion, "1.1", model.Explicit, lineOf(t, src, `minTlsVersion = "1.1"`))
	wantValue(t, "name", a.Name, "func-a", model.Explicit, lineOf(t, src, `"func-a"`))
	wantValue(t, "ftps default at header", a.SiteConfig.FTPSState, "AllAllowed", model.Default, lineOf(t, src, `"via_local"`))

	b := app(t, mod, "azapi_resource.via_jsonencode")
	wantValue(t, "client cert via jsonencode", b.ClientCertEnabled, true, model.Explicit, lineOf(t, src, "clientCertEnabled"))
	wantValue(t, "os", b.OS, "linux", model.Explicit, lineOf(t, src, `"functionapp,linux"`))
	if o := b.SiteConfig.CORS.AllowedOrigins; len(o.Items) != 2 || o.Items[1].V != "*" || o.Items[1].Range.Start.Column != strings.Index(lineText(src, `"*"`), `"*"`)+1 {
		t.Errorf("cors = %+v", o)
	}

	c := app(t, mod, "azapi_resource.via_string")
	bodyLine := lineOf(t, src, `body      = "{`)
	wantValue(t, "https_only via string", c.HTTPSOnly, true, model.Explicit, bodyLine)
	wantValue(t, "scale limit via string", c.SiteConfig.AppScaleLimit, 4, model.Explicit, bodyLine)
}

// lineText returns the line of src that contains needle.
func lineText(src, needle string) string {
	for _, l := range strings.Split(src, "\n") {
		if strings.Contains(l, needle) {
			return l
		}
	}
	return ""
}

// TestAzapiSettingSources: references, sensitive variables and Key Vault
// templates become source annotations.
func TestAzapiSettingSources(t *testing.T) {
	src := `
variable "secret" {
  type      = string
  sensitive = true
  default   = "s3cr3t-value"
}

variable "unset" {
  type = string
}

resource "azurerm_storage_account" "sa" {
  name                     = "stsources"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_key_vault_secret" "s" {
  name         = "s"
  value        = "x"
  key_vault_id = "kv"
}

resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-sources"
  parent_id = "` + azapiRG + `"
  body = {
    kind = "functionapp"
    properties = {
      siteConfig = {
        appSettings = [
          { name = "AzureWebJobsStorage", value = azurerm_storage_account.sa.primary_connection_string },
          { name = "SECRET", value = var.secret },
          { name = "KV", value = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.s.versionless_id})" },
          { name = "UNSET", value = var.unset },
          { name = "LITERAL", value = "plain" },
        ]
      }
    }
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azapi_resource.site")
	for _, tc := range []struct {
		name, source, attr string
		origin             model.Origin
	}{
		{"AzureWebJobsStorage", string(model.SourceResource), "primary_connection_string", model.Unknown},
		{"SECRET", string(model.SourceSensitiveInput), "", model.Explicit},
		{"KV", string(model.SourceKeyVault), "", model.Unknown},
		{"UNSET", string(model.SourceUnknown), "", model.Unknown},
		{"LITERAL", string(model.SourceLiteral), "", model.Explicit},
	} {
		s := setting(t, a.AppSettings, tc.name)
		if s.Source.V != tc.source || s.Attribute.V != tc.attr || s.Value.Origin != tc.origin {
			t.Errorf("%s: source %q attribute %q origin %s, want %q %q %s", tc.name, s.Source.V, s.Attribute.V, s.Value.Origin, tc.source, tc.attr, tc.origin)
		}
	}
	if n := setting(t, a.AppSettings, "UNSET").Value.Note; !strings.Contains(n, "var.unset") {
		t.Errorf("unknown note = %q", n)
	}
	// The connection string names the account only at apply time; the
	// reference links it.
	if a.StorageAccount == nil || a.StorageAccount.Address != "azurerm_storage_account.sa" {
		t.Errorf("storage account not linked: %+v", a.StorageAccount)
	}
	wantValue(t, "storage_uses_identity", a.StorageUsesIdentity, false, model.Explicit, 0)
}

// TestAzapiChildren: children found by reference, by literal id and by
// id template; slots; patches of azurerm apps; things that are not apps.
func TestAzapiChildren(t *testing.T) {
	src := `
resource "azapi_resource" "site" {
  count     = 2
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-child-${count.index}"
  parent_id = "` + azapiRG + `"
  body      = { kind = "functionapp" }
}

resource "azapi_resource" "ftp_by_ref" {
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "ftp"
  parent_id = azapi_resource.site[1].id
  body      = { properties = { allow = false } }
}

resource "azapi_resource" "scm_by_id" {
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "scm"
  parent_id = "` + azapiRG + `/providers/Microsoft.Web/sites/FUNC-CHILD-0"
  body      = { properties = { allow = false } }
}

resource "azapi_update_resource" "web_by_template" {
  type        = "Microsoft.Web/sites/config@2023-12-01"
  resource_id = "${azapi_resource.site[0].id}/config/web"
  body        = { properties = { remoteDebuggingEnabled = true } }
}

resource "azapi_resource" "slot" {
  type      = "Microsoft.Web/sites/slots@2024-04-01"
  name      = "staging"
  parent_id = azapi_resource.site[0].id
  identity {
    type         = "UserAssigned"
    identity_ids = ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"]
  }
  body = { properties = { httpsOnly = true } }
}

resource "azapi_resource" "slot_ftp_by_id" {
  type      = "Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "ftp"
  parent_id = "` + azapiRG + `/providers/Microsoft.Web/sites/func-child-0/slots/staging"
  body      = { properties = { allow = false } }
}

resource "azurerm_windows_function_app" "classic" {
  name                 = "func-classic"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = "plan"
  storage_account_name = "st"
  site_config {}
}

resource "azapi_update_resource" "classic_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_windows_function_app.classic.id
  body        = { properties = { functionsRuntimeAdminIsolationEnabled = true } }
}

resource "azapi_resource" "unknown_kind" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "x"
  parent_id = "` + azapiRG + `"
  body      = { kind = var.kind }
}

variable "kind" {
  type = string
}

resource "azapi_resource" "unknown_type" {
  type      = var.kind
  name      = "y"
  parent_id = "` + azapiRG + `"
  body      = { kind = "functionapp" }
}

resource "azapi_resource" "not_json" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "z"
  parent_id = "` + azapiRG + `"
  body      = "not json"
}
`
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": src})
	if !hasDiag(diags, model.SevWarning, "Unexpected value") {
		t.Errorf("want a warning about the body that is not JSON: %+v", diags)
	}
	var addrs []string
	for _, a := range mod.FunctionApps {
		addrs = append(addrs, a.Address)
	}
	if got := strings.Join(addrs, " "); got != `azurerm_windows_function_app.classic azapi_resource.site[0] azapi_resource.site[1] azapi_resource.slot` {
		t.Errorf("function apps = %s", got)
	}
	s0, s1 := app(t, mod, "azapi_resource.site[0]"), app(t, mod, "azapi_resource.site[1]")
	wantValue(t, "site[0] name", s0.Name, "func-child-0", model.Explicit, 0)
	wantValue(t, "site[1] ftp by reference", s1.FTPBasicAuth, false, model.Explicit, lineOf(t, src, "allow = false"))
	wantValue(t, "site[0] ftp untouched", s0.FTPBasicAuth, true, model.Default, 0)
	wantValue(t, "site[0] scm by literal id", s0.SCMBasicAuth, false, model.Explicit, 0)
	wantValue(t, "site[0] web by id template", s0.SiteConfig.RemoteDebugging, true, model.Explicit, 0)
	wantValue(t, "site[1] web untouched", s1.SiteConfig.RemoteDebugging, false, model.Default, 0)

	slot := app(t, mod, "azapi_resource.slot")
	wantValue(t, "slot parent", slot.Parent, "azapi_resource.site[0]", model.Explicit, lineOf(t, src, "parent_id = azapi_resource.site[0].id"))
	wantValue(t, "slot name", slot.SlotName, "staging", model.Explicit, 0)
	wantValue(t, "slot ftp by literal id", slot.FTPBasicAuth, false, model.Explicit, 0)
	wantValue(t, "slot identity", slot.Identity.Type, "UserAssigned", model.Explicit, 0)
	if ids := slot.Identity.IdentityIDs; len(ids.Items) != 1 || !strings.HasSuffix(ids.Items[0].V, "/id1") {
		t.Errorf("slot identity ids = %+v", ids)
	}

	classic := app(t, mod, "azurerm_windows_function_app.classic")
	wantValue(t, "azurerm app patched by azapi_update_resource", classic.AdminIsolation, true, model.Explicit, 0)
	wantValue(t, "azurerm defaults stay", classic.SiteConfig.FTPSState, "Disabled", model.Default, 0)
}

// TestAzapiStorageAndPlan: azapi storage accounts and plans link like
// azurerm ones.
func TestAzapiStorageAndPlan(t *testing.T) {
	src := `
resource "azapi_resource" "sa" {
  type      = "Microsoft.Storage/storageAccounts@2022-09-01"
  name      = "stazapi"
  parent_id = "` + azapiRG + `"
  body      = { kind = "StorageV2", sku = { name = "Standard_GRS" } }
}

resource "azapi_resource" "plan" {
  type      = "Microsoft.Web/serverfarms@2024-04-01"
  name      = "plan"
  parent_id = "` + azapiRG + `"
  body      = { sku = { name = "Y1" } }
}

resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-storage"
  parent_id = "` + azapiRG + `"
  body = {
    kind = "functionapp"
    properties = {
      serverFarmId = azapi_resource.plan.id
      siteConfig = {
        appSettings = [{ name = "AzureWebJobsStorage", value = "DefaultEndpointsProtocol=https;AccountName=stazapi;EndpointSuffix=core.windows.net" }]
      }
    }
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azapi_resource.site")
	if a.StorageAccount == nil || a.StorageAccount.Address != "azapi_resource.sa" {
		t.Fatalf("storage not linked by name: %+v", a.StorageAccount)
	}
	sa := a.StorageAccount
	wantValue(t, "blob public access for 2022-09-01", sa.AllowBlobPublicAccess, true, model.Default, lineOf(t, src, `"sa"`))
	wantValue(t, "replication", sa.ReplicationType, "GRS", model.Explicit, 0)
	if a.Plan == nil || a.Plan.SKU.V != "Y1" {
		t.Errorf("plan not linked: %+v", a.Plan)
	}
	if len(mod.StorageAccounts) != 1 || len(mod.Plans) != 1 {
		t.Errorf("module lists %d accounts, %d plans", len(mod.StorageAccounts), len(mod.Plans))
	}
}

// TestAzapiJSON: azapi resources in .tf.json, where body and identity are
// plain JSON attributes.
func TestAzapiJSON(t *testing.T) {
	src := `{
  "resource": {
    "azapi_resource": {
      "site": {
        "type": "Microsoft.Web/sites@2024-04-01",
        "name": "func-json",
        "parent_id": "` + azapiRG + `",
        "identity": [{"type": "SystemAssigned"}],
        "body": {
          "kind": "functionapp",
          "properties": {"httpsOnly": true}
        }
      }
    }
  }
}`
	_, mod, diags := loadFiles(t, map[string]string{"main.tf.json": src})
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %+v", diags)
	}
	a := app(t, mod, "azapi_resource.site")
	wantValue(t, "https_only", a.HTTPSOnly, true, model.Explicit, 0)
	wantValue(t, "identity", a.Identity.Type, "SystemAssigned", model.Explicit, 0)
}

// TestAzapiDynamicIdentity: an identity block generated from an unknown
// for_each leaves the identity unknown.
func TestAzapiDynamicIdentity(t *testing.T) {
	src := `
variable "identities" {
  type = list(string)
}

resource "azapi_resource" "site" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-dyn"
  parent_id = "` + azapiRG + `"
  dynamic "identity" {
    for_each = var.identities
    content {
      type = identity.value
    }
  }
  body = { kind = "functionapp" }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azapi_resource.site")
	if a.Identity.Type.Origin != model.Unknown {
		t.Errorf("identity = %+v, want unknown", a.Identity.Type)
	}
}

// TestAzapiCorpusFlex: the Flex Consumption sample written with azapi
// produces its function app, linked to its plan and storage account.
func TestAzapiCorpusFlex(t *testing.T) {
	dir := sharedtest.Dir(t, "corpus", "terraform", "azure-functions-flex-consumption-samples", "IaC", "terraformazapi")
	mod, _ := load(t, dir, Options{})
	a := app(t, mod, "azapi_resource.functionApps")
	wantValue(t, "flavor", a.Flavor, "flex", model.Explicit, 0)
	wantValue(t, "identity", a.Identity.Type, "SystemAssigned", model.Explicit, 0)
	wantValue(t, "ftp", a.FTPBasicAuth, false, model.Default, 0)
	wantValue(t, "maximum_instance_count", a.MaximumInstanceCount, 100, model.Explicit, 0)
	wantValue(t, "storage_uses_identity", a.StorageUsesIdentity, true, model.Explicit, 0)
	if a.StorageAccount == nil || a.StorageAccount.Address != "azurerm_storage_account.storageAccount" {
		t.Errorf("storage account not linked: %+v", a.StorageAccount)
	}
	if a.Plan == nil || a.Plan.SKU.V != "FC1" {
		t.Errorf("plan not linked: %+v", a.Plan)
	}
	if s := setting(t, a.AppSettings, "APPLICATIONINSIGHTS_CONNECTION_STRING"); s.Source.V != string(model.SourceResource) {
		t.Errorf("app insights source = %q", s.Source.V)
	}
}

// FuzzAzapi feeds odd azapi resources to LoadDir: it must never panic.
func FuzzAzapi(f *testing.F) {
	for _, p := range []string{"azapi-site", "azapi-web-app-not-function"} {
		src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "terraform", p, "main.tf"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Add(`resource "azapi_resource" "s" { type = "Microsoft.Web/sites@1" body = "{\"kind\": \"functionapp\", \"properties\": [1, {\"a\": null}]}" }`)
	f.Add(`resource "azapi_update_resource" "u" { type = "Microsoft.Web/sites/slots/config@x" resource_id = "${azapi_resource.s.id}/slots/a/config/web" body = jsonencode(local.b) }
locals { b = local.c
c = { properties = (local.b) } }`)
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		_, diags := LoadDir(context.Background(), dir, Options{})
		for _, d := range diags {
			if d.Summary == internalErrorSummary || strings.HasPrefix(d.Detail, "internal error:") {
				t.Fatalf("panic on %q: %s", src, d.Detail)
			}
		}
	})
}
