# AZFUNC-054 (opt-in) passes: Defender for App Service on the Standard tier.
# want-checks AZFUNC-054

resource "azurerm_security_center_subscription_pricing" "app_services" {
  tier          = "Standard"
  resource_type = "AppServices"
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

