# AZFUNC-055: legacy built-in logging (AzureWebJobsDashboard); on by
# default in azurerm, not available on Flex Consumption.

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

resource "azurerm_linux_function_app" "explicit" {
  name                    = "func-builtin-on"
  resource_group_name     = "rg-fixtures"
  location                = "westeurope"
  service_plan_id         = local.plan_id
  storage_account_name    = "stfixture"
  builtin_logging_enabled = true # want AZFUNC-055
  site_config {}
}

resource "azurerm_windows_function_app" "defaulted" { # want AZFUNC-055
  name                 = "func-builtin-default"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {}
}

resource "azurerm_function_app" "legacy" { # want AZFUNC-055
  name                       = "func-builtin-legacy"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  app_service_plan_id        = local.plan_id
  storage_account_name       = "stfixture"
  storage_account_access_key = "not-a-real-key"
}

resource "azurerm_linux_function_app" "off" {
  name                    = "func-builtin-off"
  resource_group_name     = "rg-fixtures"
  location                = "westeurope"
  service_plan_id         = local.plan_id
  storage_account_name    = "stfixture"
  builtin_logging_enabled = false
  site_config {}
}

resource "azurerm_function_app_flex_consumption" "flex" {
  name                        = "func-builtin-flex"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = local.plan_id
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://stfixture.blob.core.windows.net/deploy"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.11"
  site_config {}
}
