resource "azurerm_linux_function_app" "this" {
  name                 = "func-maybe-edge"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverfarms/asp-fixture-maybe"
  storage_account_name = "stfixturemaybe"
  https_only           = false # want-undetermined AZFUNC-040

  site_config {
    minimum_tls_version = "1.2"
  }
}
