# AZFUNC-051: a diagnostic setting that targets the app must export the
# function logs (FunctionAppLogs, or the allLogs / audit groups) to a
# destination.

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-051"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_linux_function_app" "app" {
  name                 = "func-diag-051"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {}
}

# Metrics only: no log category.
resource "azurerm_monitor_diagnostic_setting" "metrics_only" { # want AZFUNC-051
  name                       = "diag-metrics-only"
  target_resource_id         = azurerm_linux_function_app.app.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_metric {
    category = "AllMetrics"
  }
}

# Logs, but nowhere to send them.
resource "azurerm_monitor_diagnostic_setting" "no_destination" { # want AZFUNC-051
  name               = "diag-no-destination"
  target_resource_id = azurerm_linux_function_app.app.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

# Good: FunctionAppLogs to a workspace.
resource "azurerm_monitor_diagnostic_setting" "function_logs" {
  name                       = "diag-function-logs"
  target_resource_id         = azurerm_linux_function_app.app.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_windows_function_app" "grouped" {
  name                 = "func-diag-051-grouped"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {}
}

# Good: the allLogs category group to a storage account.
resource "azurerm_monitor_diagnostic_setting" "all_logs" {
  name               = "diag-all-logs"
  target_resource_id = azurerm_windows_function_app.grouped.id
  storage_account_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Storage/storageAccounts/stlogs"

  enabled_log {
    category_group = "allLogs"
  }
}

# Only a category that is not the function logs.
resource "azurerm_monitor_diagnostic_setting" "auth_only" { # want AZFUNC-051
  name                       = "diag-auth-only"
  target_resource_id         = azurerm_windows_function_app.grouped.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "AppServiceAuthenticationLogs"
  }
}

# Passing as a whole: the only setting of this app exports the function
# logs to an event hub.
resource "azurerm_linux_function_app" "streamed" {
  name                 = "func-diag-051-streamed"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {}
}

resource "azurerm_monitor_diagnostic_setting" "streamed" {
  name                           = "diag-streamed"
  target_resource_id             = azurerm_linux_function_app.streamed.id
  eventhub_authorization_rule_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.EventHub/namespaces/evh-logs/authorizationRules/RootManageSharedAccessKey"
  eventhub_name                  = "function-logs"

  enabled_log {
    category = "FunctionAppLogs"
  }
}
