# count toggles: an app switched off (count = 0) is not analysed however
# insecure it is; one switched on is, as app[0].

variable "enable_preview" {
  type    = bool
  default = false
}

variable "enable_worker" {
  type    = bool
  default = true
}

resource "azurerm_storage_account" "host" {
  name                            = "stfixturecount"
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
  name                = "asp-fixture-count"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-count"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

# Off: no instance, no findings (no identity, HTTP, TLS 1.0, FTP, debugging).
resource "azurerm_linux_function_app" "preview" {
  count = var.enable_preview ? 1 : 0

  name                          = "func-count-preview"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = azurerm_service_plan.plan.id
  storage_account_name          = azurerm_storage_account.host.name
  https_only                    = false
  public_network_access_enabled = true

  site_config {
    minimum_tls_version      = "1.0"
    ftps_state               = "AllAllowed"
    remote_debugging_enabled = true
  }
}

resource "azurerm_linux_function_app" "worker" {
  count = var.enable_worker ? 1 : 0

  name                                           = "func-count-worker"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = false # want AZFUNC-040
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

resource "azurerm_monitor_diagnostic_setting" "worker" {
  count = var.enable_worker ? 1 : 0

  name                       = "diag-worker"
  target_resource_id         = azurerm_linux_function_app.worker[0].id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_monitor_diagnostic_setting" "preview" {
  count = var.enable_preview ? 1 : 0

  name                       = "diag-preview"
  target_resource_id         = azurerm_linux_function_app.preview[0].id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
