# AZFUNC-063: the host storage account accepts plain HTTP. Only the account
# an app actually uses is judged; an unrelated account is not this check's
# business.

resource "azurerm_storage_account" "http_v4" {
  name                            = "sthttpv4"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  https_traffic_only_enabled      = false # want AZFUNC-063
  allow_nested_items_to_be_public = false
}

# azurerm 3.x spelling of the same argument.
resource "azurerm_storage_account" "http_v3" {
  name                      = "sthttpv3"
  resource_group_name       = "rg-fixtures"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "ZRS"
  enable_https_traffic_only = false # want AZFUNC-063
}

resource "azurerm_storage_account" "https_default" {
  name                     = "sthttpsdefault"
  resource_group_name      = "rg-fixtures"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

resource "azurerm_storage_account" "unrelated" {
  name                       = "stunrelated"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  account_tier               = "Standard"
  account_replication_type   = "LRS"
  https_traffic_only_enabled = false
}

locals {
  common = {
    https_only                                     = true
    public_network_access_enabled                  = false
    ftp_publish_basic_authentication_enabled       = false
    webdeploy_publish_basic_authentication_enabled = false
  }
}

resource "azurerm_linux_function_app" "on_v4" {
  name                                           = "func-on-v4"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = azurerm_storage_account.http_v4.name
  storage_uses_managed_identity                  = true
  https_only                                     = local.common.https_only
  public_network_access_enabled                  = local.common.public_network_access_enabled
  ftp_publish_basic_authentication_enabled       = local.common.ftp_publish_basic_authentication_enabled
  webdeploy_publish_basic_authentication_enabled = local.common.webdeploy_publish_basic_authentication_enabled

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}

# Linked by the account's literal name rather than a reference.
resource "azurerm_windows_function_app" "on_v3" {
  name                                           = "func-on-v3"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = "sthttpv3"
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}

resource "azurerm_linux_function_app" "on_default" {
  name                                           = "func-on-default"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = azurerm_storage_account.https_default.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}

resource "azurerm_monitor_diagnostic_setting" "v4" {
  name                       = "diag-v4"
  target_resource_id         = azurerm_linux_function_app.on_v4.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_monitor_diagnostic_setting" "v3" {
  name                       = "diag-v3"
  target_resource_id         = azurerm_windows_function_app.on_v3.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_monitor_diagnostic_setting" "default" {
  name                       = "diag-default"
  target_resource_id         = azurerm_linux_function_app.on_default.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}
