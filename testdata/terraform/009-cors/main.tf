# AZFUNC-009: a wildcard among the allowed CORS origins.

# Shared by every app of this fixture: a hardened host storage account, a
# plan and a Log Analytics workspace for the diagnostic settings.
resource "azurerm_storage_account" "host" {
  name                            = "stfixturecors"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_service_plan" "plan" {
  name                = "asp-fixture-cors"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-cors"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_linux_function_app" "wildcard" {
  name                                           = "func-wildcard"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false

    cors {
      allowed_origins = [
        "https://contoso.example",
        "*",  # want AZFUNC-009
      ]
    }
  }
}

resource "azurerm_monitor_diagnostic_setting" "wildcard" {
  name                       = "diag-wildcard"
  target_resource_id         = azurerm_linux_function_app.wildcard.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_linux_function_app" "listed" {
  name                                           = "func-listed"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false

    cors {
      allowed_origins = ["https://contoso.example"]
    }
  }
}

resource "azurerm_monitor_diagnostic_setting" "listed" {
  name                       = "diag-listed"
  target_resource_id         = azurerm_linux_function_app.listed.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_linux_function_app" "no_cors_block" {
  name                                           = "func-no-cors-block"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "no_cors_block" {
  name                       = "diag-no-cors-block"
  target_resource_id         = azurerm_linux_function_app.no_cors_block.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
