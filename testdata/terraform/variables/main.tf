# Values reached through variables (defaults, terraform.tfvars,
# *.auto.tfvars) and locals are judged where they are used.

locals {
  prefix        = "func-vars"
  debug         = var.remote_debugging
  site_settings = { ftps = var.ftps_state == "Disabled" ? "AllAllowed" : "FtpsOnly" }
}

resource "azurerm_linux_function_app" "app" {
  name                                           = "${local.prefix}-app"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = "stvars"
  storage_uses_managed_identity                  = true
  https_only                                     = var.https_only # want AZFUNC-040
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = var.tls_version # want AZFUNC-041
    ftps_state               = local.site_settings.ftps # want AZFUNC-043
    remote_debugging_enabled = local.debug

    cors {
      allowed_origins = var.cors_origins # want-undetermined AZFUNC-009
    }
  }
}

resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "diag-vars"
  target_resource_id         = azurerm_linux_function_app.app.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}
