package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadDir feeds arbitrary file content to LoadDir: it must never
// panic (a recovered panic becomes an internal-error diagnostic).
func FuzzLoadDir(f *testing.F) {
	f.Add(basicApp, false)
	f.Add(`{"resource": {"azurerm_linux_function_app": {"a": {"name": "${upper(var.x)}", "site_config": {"cors": {"allowed_origins": "*"}}}}}}`, true)
	f.Add(`locals { a = try(local.b, data.x.y[0].z) b = { for k, v in var.m : k => v if v != null } }
resource "azurerm_linux_function_app" "a" { app_settings = merge(local.b, { X = local.a }) }`, false)
	f.Add(`resource "azurerm_private_endpoint" "p" { private_service_connection { private_connection_resource_id = "/providers/Microsoft.Web/sites/" } }`, false)
	f.Add(`module "m" { source = "./" }
resource "azurerm_linux_function_app" "a" {
  for_each = { for i in range(3) : tostring(i) => i }
  name     = "f${each.key}"
  dynamic "identity" {
    for_each = each.value > 1 ? ["SystemAssigned"] : []
    content { type = identity.value }
  }
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  count              = length(azurerm_linux_function_app.a)
  target_resource_id = values(azurerm_linux_function_app.a)[count.index].id
}`, false)
	// indexedRef, forEachResource and eachAttr: indexes by references,
	// for_each over resources (itself among them), each.value read by
	// attribute, by block and whole.
	f.Add(`variable "m" { default = { a = 1 } }
resource "azurerm_storage_account" "s" { for_each = var.m  name = each.key }
resource "azurerm_linux_function_app" "a" {
  for_each             = azurerm_storage_account.s
  storage_account_name = azurerm_storage_account.s[each.key].name
  app_settings         = { X = each.value.network_rules, Y = each.value.name, Z = each.value[0] }
  key_vault_reference_identity_id = azurerm_linux_function_app.a[each.key].id
}
resource "azurerm_monitor_diagnostic_setting" "d" {
  for_each           = azurerm_linux_function_app.a
  target_resource_id = each.value.site_config[0].x
  name               = each.value.id
}`, false)
	f.Fuzz(func(t *testing.T, src string, json bool) {
		dir := t.TempDir()
		name := "main.tf"
		if json {
			name = "main.tf.json"
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
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
