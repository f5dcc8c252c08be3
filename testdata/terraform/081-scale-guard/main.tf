# AZFUNC-081: a spend or scale guard on consumption-style plans: a daily
# quota or a scale-out limit on Consumption (Y1), a maximum instance count
# on Flex Consumption. Other plans are not evaluated.

resource "azurerm_service_plan" "y1" {
  name                = "asp-y1"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Windows"
  sku_name            = "Y1"
}

resource "azurerm_service_plan" "ep1" {
  name                = "asp-ep1"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Windows"
  sku_name            = "EP1"
}

resource "azurerm_windows_function_app" "unbounded" { # want AZFUNC-081
  name                 = "func-unbounded"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.y1.id
  storage_account_name = "stfixture"
  site_config {}
}

resource "azurerm_windows_function_app" "quota" {
  name                    = "func-quota"
  resource_group_name     = "rg-fixtures"
  location                = "westeurope"
  service_plan_id         = azurerm_service_plan.y1.id
  storage_account_name    = "stfixture"
  daily_memory_time_quota = 50000
  site_config {}
}

resource "azurerm_windows_function_app" "scale_limit" {
  name                 = "func-scale-limit"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.y1.id
  storage_account_name = "stfixture"
  site_config {
    app_scale_limit = 10
  }
}

resource "azurerm_windows_function_app" "premium" {
  name                 = "func-premium"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.ep1.id
  storage_account_name = "stfixture"
  site_config {}
}

resource "azurerm_function_app_flex_consumption" "flex_unbounded" { # want AZFUNC-081
  name                        = "func-flex-unbounded"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp-fc1"
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://stfixture.blob.core.windows.net/deploy"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.12"
  site_config {}
}

resource "azurerm_function_app_flex_consumption" "flex_bounded" {
  name                        = "func-flex-bounded"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp-fc1"
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://stfixture.blob.core.windows.net/deploy"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.12"
  maximum_instance_count      = 40
  site_config {}
}
