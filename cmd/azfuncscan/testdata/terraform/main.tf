# An insecure function app for the CLI tests: every default left as it is,
# HTTPS not enforced and TLS 1.0 accepted. A scan must find something here.

resource "azurerm_service_plan" "plan" {
  name                = "asp-cli"
  resource_group_name = "rg-cli"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "Y1"
}

resource "azurerm_linux_function_app" "api" {
  name                 = "func-cli"
  resource_group_name  = "rg-cli"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = "stcli"
  https_only           = false

  site_config {
    minimum_tls_version = "1.0"
  }
}
