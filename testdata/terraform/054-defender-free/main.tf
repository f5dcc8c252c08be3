# AZFUNC-054 (opt-in): Defender for App Service on the Free tier. The
# subscription-wide pricing is reported once, at its tier, for both apps.

# Another plan's pricing: not about App Service.
resource "azurerm_security_center_subscription_pricing" "vms" {
  tier          = "Standard"
  resource_type = "VirtualMachines"
}

resource "azurerm_security_center_subscription_pricing" "app_services" {
  tier          = "Free" # want AZFUNC-054
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

resource "azurerm_linux_function_app" "worker" {
  name                          = "func-worker"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}
}

