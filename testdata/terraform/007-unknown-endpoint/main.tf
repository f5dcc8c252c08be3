# A private endpoint whose target is a variable without a value may be the
# endpoint of any app here: AZFUNC-007 is undetermined, not failed, for the
# production app (subresource sites); the slot (sites-staging not named)
# still has none.

variable "app_id" {
  type = string
}

resource "azurerm_linux_function_app" "app" {
  name                          = "func-pe-unknown"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {}
}

resource "azurerm_linux_function_app_slot" "staging" { # want AZFUNC-007
  name                          = "staging"
  function_app_id               = azurerm_linux_function_app.app.id
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {}
}

resource "azurerm_private_endpoint" "maybe" {
  name                = "pe-maybe"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "maybe"
    private_connection_resource_id = var.app_id # want-undetermined AZFUNC-007
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}
