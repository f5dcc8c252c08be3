# A registry module that terraform init has not downloaded: one info
# diagnostic at its source, no guesses about its function apps, and its
# outputs are unknown (an app setting built from one is not a plaintext
# secret).
# want-checks AZFUNC-030 AZFUNC-040

module "functions" {
  source  = "Azure/avm-res-web-site/azurerm" # want-diag "not downloaded"
  version = "0.9.0"

  name       = "func-remote"
  https_only = false
}

resource "azurerm_linux_function_app" "local" {
  name                                           = "func-notdownloaded-local"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = "stnotdownloaded"
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  app_settings = {
    REMOTE_API_KEY = module.functions.default_key
  }

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "local" {
  name                       = "diag-local"
  target_resource_id         = azurerm_linux_function_app.local.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}
