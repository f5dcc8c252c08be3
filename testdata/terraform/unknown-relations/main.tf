# Relations through resources whose count or for_each is not known before
# apply: such a resource exists unknown-many times, so a relation through
# it is unknown, and what depends on it is undetermined, never decided as
# if the resource were absent.

variable "enable_diag" {
  type = bool
}

variable "pe_subnets" {
  type = map(string)
}

variable "enable_swift" {
  type = bool
}

resource "azurerm_service_plan" "plan" {
  name                = "asp-fixture-relations"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-relations"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_storage_account" "host" {
  name                     = "stfixturerelhost"
  resource_group_name      = "rg-fixtures"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

# The only diagnostic setting may or may not exist.
resource "azurerm_linux_function_app" "logs" {
  name                 = "func-rel-logs"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = azurerm_storage_account.host.name

  site_config {}
}

resource "azurerm_monitor_diagnostic_setting" "logs" { # want-undetermined AZFUNC-050
  count = var.enable_diag ? 1 : 0

  name                       = "diag-rel-logs"
  target_resource_id         = azurerm_linux_function_app.logs.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category_group = "allLogs"
  }
}

# VNet-integrated; its storage account's private endpoints are
# unknown-many.
resource "azurerm_storage_account" "net" {
  name                     = "stfixturerelnet"
  resource_group_name      = "rg-fixtures"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

resource "azurerm_linux_function_app" "net" {
  name                      = "func-rel-net"
  resource_group_name       = "rg-fixtures"
  location                  = "westeurope"
  service_plan_id           = azurerm_service_plan.plan.id
  storage_account_name      = azurerm_storage_account.net.name
  virtual_network_subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps"

  site_config {}
}

resource "azurerm_private_endpoint" "net_blob" { # want-undetermined AZFUNC-066
  for_each = var.pe_subnets

  name                = "pe-rel-net-${each.key}"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = each.value

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = azurerm_storage_account.net.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}

# VNet integration by a swift connection that may or may not exist.
resource "azurerm_storage_account" "swift" {
  name                     = "stfixturerelswift"
  resource_group_name      = "rg-fixtures"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

resource "azurerm_linux_function_app" "swift" {
  name                 = "func-rel-swift"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = azurerm_storage_account.swift.name

  site_config {}
}

resource "azurerm_app_service_virtual_network_swift_connection" "swift" { # want-undetermined AZFUNC-066
  count = var.enable_swift ? 1 : 0

  app_service_id = azurerm_linux_function_app.swift.id
  subnet_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps"
}

# Known for_each: one setting per app, each surely exists.
resource "azurerm_monitor_diagnostic_setting" "known" {
  for_each = {
    net   = azurerm_linux_function_app.net.id
    swift = azurerm_linux_function_app.swift.id
  }

  name                       = "diag-rel-${each.key}"
  target_resource_id         = each.value
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category_group = "allLogs"
  }
}
