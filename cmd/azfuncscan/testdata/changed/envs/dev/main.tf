# The dev environment: its own storage and plan, the shared app module,
# settings from terraform.tfvars.

variable "https_only" {
  type = bool
}

variable "minimum_tls_version" {
  type = string
}

resource "azurerm_storage_account" "host" {
  name                            = "stchangeddev"
  resource_group_name             = "rg-changed"
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
  name                = "asp-changed-dev"
  resource_group_name = "rg-changed"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-changed-dev"
  resource_group_name = "rg-changed"
  location            = "westeurope"
}

module "app" {
  source = "../../modules/app"

  name                 = "func-changed-dev"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = azurerm_storage_account.host.name
  https_only           = var.https_only
  minimum_tls_version  = var.minimum_tls_version
}

resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "diag-app"
  target_resource_id         = module.app.app_id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
