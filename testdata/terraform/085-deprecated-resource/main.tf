# AZFUNC-085: the deprecated azurerm_function_app and its slot.

resource "azurerm_function_app" "legacy" { # want AZFUNC-085
  name                       = "func-legacy"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  app_service_plan_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stfixture"
  storage_account_access_key = var.storage_key
  version                    = "~4"
}

variable "storage_key" {
  type      = string
  sensitive = true
}

resource "azurerm_function_app_slot" "legacy_staging" { # want AZFUNC-085
  name                       = "staging"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  app_service_plan_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  function_app_name          = azurerm_function_app.legacy.name
  storage_account_name       = "stfixture"
  storage_account_access_key = var.storage_key
}

resource "azurerm_linux_function_app" "current" {
  name                 = "func-current"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}
}
