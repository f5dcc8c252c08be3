# One app per entry of a map; each app's HTTPS and TLS settings come from
# each.value. Only the insecure keys are findings, at the line that reads
# the value. Diagnostic settings and private endpoints iterate over the
# apps themselves and link to each instance.

locals {
  apps = {
    api = {
      https_only = true
      min_tls    = "1.2"
    }
    legacy = {
      https_only = false
      min_tls    = "1.2"
    }
    old-tls = {
      https_only = true
      min_tls    = "1.0"
    }
  }
}

resource "azurerm_storage_account" "host" {
  name                            = "stfixtureforeach"
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
  name                = "asp-fixture-foreach"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-foreach"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_linux_function_app" "app" {
  for_each = local.apps

  name                                           = "func-foreach-${each.key}"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = each.value.https_only # want AZFUNC-040
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = each.value.min_tls # want AZFUNC-041
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "app" {
  for_each = azurerm_linux_function_app.app

  name                       = "diag-${each.key}"
  target_resource_id         = each.value.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_private_endpoint" "app" {
  for_each = { for k, app in azurerm_linux_function_app.app : k => app.id if k != "legacy" }

  name                = "pe-${each.key}"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"

  private_service_connection {
    name                           = "psc-${each.key}"
    private_connection_resource_id = each.value
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}
