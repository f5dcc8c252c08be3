# Flavours with their own defaults. The deprecated azurerm_function_app has
# no argument for public network access or publishing credentials (so the
# platform defaults, enabled, apply) and defaults ftps_state to AllAllowed.
# Flex Consumption has no FTP at all: 024 and 043 do not apply to it.

locals {
  workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"
}

resource "azurerm_function_app" "legacy_hardened" { # want AZFUNC-001 AZFUNC-024 AZFUNC-025
  name                       = "func-legacy-hardened"
  location                   = "westeurope"
  resource_group_name        = "rg-fixtures"
  app_service_plan_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stlegacy"
  storage_account_access_key = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/st/)"
  https_only                 = true
  version                    = "~4"

  identity {
    type = "SystemAssigned"
  }

  site_config {
    ftps_state      = "FtpsOnly"
    min_tls_version = "1.2"
  }
}

resource "azurerm_function_app" "legacy_defaults" { # want AZFUNC-001 AZFUNC-024 AZFUNC-025 AZFUNC-040 AZFUNC-043
  name                       = "func-legacy-defaults"
  location                   = "westeurope"
  resource_group_name        = "rg-fixtures"
  app_service_plan_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stlegacy"
  storage_account_access_key = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/st/)"

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_function_app_flex_consumption" "flex_hardened" {
  name                                           = "func-flex-hardened"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp-flex"
  storage_container_type                         = "blobContainer"
  storage_container_endpoint                     = "https://stflex.blob.core.windows.net/deployments"
  storage_authentication_type                    = "SystemAssignedIdentity"
  runtime_name                                   = "python"
  runtime_version                                = "3.11"
  https_only                                     = true
  public_network_access_enabled                  = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = "1.2"
  }
}

resource "azurerm_function_app_flex_consumption" "flex_defaults" { # want AZFUNC-001 AZFUNC-025 AZFUNC-040
  name                        = "func-flex-defaults"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp-flex"
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://stflex.blob.core.windows.net/deployments"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.11"

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}

resource "azurerm_monitor_diagnostic_setting" "legacy_hardened" {
  name                       = "diag-legacy-hardened"
  target_resource_id         = azurerm_function_app.legacy_hardened.id
  log_analytics_workspace_id = local.workspace_id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_monitor_diagnostic_setting" "legacy_defaults" {
  name                       = "diag-legacy-defaults"
  target_resource_id         = azurerm_function_app.legacy_defaults.id
  log_analytics_workspace_id = local.workspace_id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_monitor_diagnostic_setting" "flex_hardened" {
  name                       = "diag-flex-hardened"
  target_resource_id         = azurerm_function_app_flex_consumption.flex_hardened.id
  log_analytics_workspace_id = local.workspace_id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_monitor_diagnostic_setting" "flex_defaults" {
  name                       = "diag-flex-defaults"
  target_resource_id         = azurerm_function_app_flex_consumption.flex_defaults.id
  log_analytics_workspace_id = local.workspace_id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
