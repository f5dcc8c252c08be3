# AZFUNC-052: Application Insights configured by connection string,
# instrumentation key or app setting; a reference counts as configured.

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

resource "azurerm_application_insights" "ai" {
  name                = "appi-fixture-052"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  application_type    = "web"
}

resource "azurerm_linux_function_app" "none" { # want AZFUNC-052
  name                 = "func-ai-none"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
  }

  site_config {}
}

resource "azurerm_linux_function_app" "empty_setting" { # want AZFUNC-052
  name                 = "func-ai-empty"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"

  app_settings = {
    APPLICATIONINSIGHTS_CONNECTION_STRING = ""
  }

  site_config {}
}

resource "azurerm_linux_function_app" "connection_string" {
  name                 = "func-ai-cs"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"

  site_config {
    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }
}

resource "azurerm_windows_function_app" "key" {
  name                 = "func-ai-key"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"

  site_config {
    application_insights_key = azurerm_application_insights.ai.instrumentation_key
  }
}

resource "azurerm_windows_function_app" "setting" {
  name                 = "func-ai-setting"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"

  app_settings = {
    APPLICATIONINSIGHTS_CONNECTION_STRING = azurerm_application_insights.ai.connection_string
  }

  site_config {}
}
