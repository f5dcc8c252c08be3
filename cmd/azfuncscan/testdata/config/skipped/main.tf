# skip-paths leaves this directory out: its findings never appear.
resource "azurerm_linux_function_app" "skipped" {
  name                 = "func-skipped"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stskipped"
  https_only           = false
  site_config {}
}
