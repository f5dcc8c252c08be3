# AZFUNC-043: plain FTP allowed.

# Shared by every app of this fixture: a hardened host storage account, a
# plan and a Log Analytics workspace for the diagnostic settings.
resource "azurerm_storage_account" "host" {
  name                            = "stfixtureftps"
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
  name                = "asp-fixture-ftps"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-ftps"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_linux_function_app" "all_allowed" {
  name                                           = "func-all-allowed"
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
    ftps_state               = "AllAllowed"  # want AZFUNC-043
    remote_debugging_enabled = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "all_allowed" {
  name                       = "diag-all-allowed"
  target_resource_id         = azurerm_linux_function_app.all_allowed.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_linux_function_app" "ftps_only" {
  name                                           = "func-ftps-only"
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
    ftps_state               = "FtpsOnly"
    remote_debugging_enabled = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "ftps_only" {
  name                       = "diag-ftps-only"
  target_resource_id         = azurerm_linux_function_app.ftps_only.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_linux_function_app" "defaulted" {
  name                                           = "func-defaulted"
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
    remote_debugging_enabled = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "defaulted" {
  name                       = "diag-defaulted"
  target_resource_id         = azurerm_linux_function_app.defaulted.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
