# AZFUNC-053: telemetry authenticated with Microsoft Entra ID
# (APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD").
# Not evaluated without Application Insights (that is AZFUNC-052).

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

resource "azurerm_application_insights" "ai" {
  name                          = "appi-fixture-053"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  application_type              = "web"
  local_authentication_disabled = true
}

resource "azurerm_linux_function_app" "key_only" { # want AZFUNC-053
  name                 = "func-ai-key-only"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"

  site_config {
    application_insights_key = azurerm_application_insights.ai.instrumentation_key
  }
}

resource "azurerm_linux_function_app" "wrong_auth" {
  name                 = "func-ai-wrong-auth"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "ClientId=00000000-0000-4000-8000-000000000001" # want AZFUNC-053
  }

  site_config {
    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }
}

resource "azurerm_linux_function_app" "entra" {
  name                 = "func-ai-entra"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD;ClientId=00000000-0000-4000-8000-000000000001"
  }

  site_config {
    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }
}

# No Application Insights at all: AZFUNC-052's business, not this one's.
resource "azurerm_windows_function_app" "none" {
  name                 = "func-ai-none"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {}
}
