# A root module calling ./modules/function_app twice: once hardened, once
# with HTTP allowed and TLS 1.0. The findings point at the lines of the
# module file that set the values (the call is a related location); the
# module directory is not analysed on its own.

resource "azurerm_storage_account" "host" {
  name                            = "stfixturemodlocal"
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
  name                = "asp-fixture-modlocal"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-modlocal"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

module "api" {
  source = "./modules/function_app"

  name                 = "func-modlocal-api"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = azurerm_storage_account.host.name
}

module "legacy" {
  source = "./modules/function_app"

  name                 = "func-modlocal-legacy"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = azurerm_storage_account.host.name
  https_only           = false
  minimum_tls_version  = "1.0"
}

# Diagnostic settings for both apps, linked through the module outputs.
resource "azurerm_monitor_diagnostic_setting" "apps" {
  for_each = {
    api    = module.api.app_id
    legacy = module.legacy.app_id
  }

  name                       = "diag-${each.key}"
  target_resource_id         = each.value
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
