# AZFUNC-054 (opt-in) is not evaluated: no App Service pricing in the code
# (resource_type defaults to VirtualMachines), Defender may be managed
# elsewhere.
# want-checks AZFUNC-054

resource "azurerm_security_center_subscription_pricing" "default_type" {
  tier = "Free"
}

resource "azurerm_linux_function_app" "api" {
  name                          = "func-api"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}
}

