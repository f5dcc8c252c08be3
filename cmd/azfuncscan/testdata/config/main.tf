variable "tls_version" {
  type    = string
  default = "1.2"
}

resource "azurerm_linux_function_app" "app" {
  name                                           = "func-config"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = "stconfig"
  storage_uses_managed_identity                  = true
  https_only                                     = false
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = var.tls_version
    ftps_state          = "AllAllowed"
  }
}

resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "diag-config"
  target_resource_id         = azurerm_linux_function_app.app.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}
