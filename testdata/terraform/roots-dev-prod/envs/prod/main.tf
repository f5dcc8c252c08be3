# The prod root: the shared module with this environment's values, which
# come from terraform.tfvars.

variable "https_only" {
  type = bool
}

variable "min_tls_version" {
  type    = string
  default = "1.2"
}

module "app" {
  source = "../../modules/app"

  name            = "func-prod"
  https_only      = var.https_only
  min_tls_version = var.min_tls_version
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-prod"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

# Linked to the app through the module's output.
resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "diag-prod"
  target_resource_id         = module.app.app_id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
