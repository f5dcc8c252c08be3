# AZFUNC-084: a deployment slot that relaxes what its production app
# enforces. Slot resources inherit nothing from the app's block.

resource "azurerm_linux_function_app" "prod" {
  name                          = "func-slots"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stfixture"
  https_only                    = true
  public_network_access_enabled = false

  site_config {
    minimum_tls_version = "1.2"
  }
}

resource "azurerm_linux_function_app_slot" "staging" {
  name                          = "staging"
  function_app_id               = azurerm_linux_function_app.prod.id
  storage_account_name          = "stfixture"
  https_only                    = false # want AZFUNC-084
  public_network_access_enabled = true  # want AZFUNC-084

  site_config {
    minimum_tls_version      = "1.1" # want AZFUNC-084
    remote_debugging_enabled = true  # want AZFUNC-084
  }
}

# Same as production, or stricter: nothing to report.
resource "azurerm_linux_function_app_slot" "canary" {
  name                          = "canary"
  function_app_id               = azurerm_linux_function_app.prod.id
  storage_account_name          = "stfixture"
  https_only                    = true
  public_network_access_enabled = false

  site_config {
    minimum_tls_version = "1.3"
  }
}
