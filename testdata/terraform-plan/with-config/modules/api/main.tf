variable "regions" {
  type = set(string)
}

variable "service_plan_id" {
  type = string
}

variable "storage_account_name" {
  type = string
}

resource "azurerm_linux_function_app" "this" {
  for_each = var.regions

  name                                           = "func-plan-api-${each.key}"
  resource_group_name                            = "rg-plan"
  location                                       = "westeurope"
  service_plan_id                                = var.service_plan_id
  storage_account_name                           = var.storage_account_name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = "1.1" # want AZFUNC-041 AZFUNC-041
  }
}

resource "azurerm_monitor_diagnostic_setting" "this" {
  for_each = var.regions

  name                       = "diag-api-${each.key}"
  target_resource_id         = azurerm_linux_function_app.this[each.key].id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-plan/providers/Microsoft.OperationalInsights/workspaces/log-plan"

  enabled_log {
    category = "FunctionAppLogs"
  }
}

output "app_ids" {
  value = { for k, app in azurerm_linux_function_app.this : k => app.id }
}
