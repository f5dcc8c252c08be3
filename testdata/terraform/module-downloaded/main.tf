# A registry module that terraform init downloaded: .terraform/modules/
# modules.json says where, and the module (with the registry module it
# calls in turn, key "api.inner") is analysed from there.

module "api" {
  source  = "example/function-app/azurerm"
  version = "1.0.0"

  name       = "func-downloaded-api"
  https_only = false
}

resource "azurerm_monitor_diagnostic_setting" "api" {
  name                       = "diag-api"
  target_resource_id         = module.api.app_id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}
