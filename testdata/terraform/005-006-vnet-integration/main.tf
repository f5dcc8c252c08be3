# VNet integration (AZFUNC-005) and route-all (AZFUNC-006, evaluated only
# for integrated apps).

variable "subnet_id" {
  type = string
}

resource "azurerm_subnet" "apps" {
  name                 = "snet-apps"
  resource_group_name  = "rg-fixtures"
  virtual_network_name = "vnet-fixtures"
  address_prefixes     = ["10.0.1.0/24"]
}

locals {
  common = {
    resource_group_name = "rg-fixtures"
    location            = "westeurope"
    service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  }
}

# 005: no subnet and no swift connection (defaulted).
resource "azurerm_linux_function_app" "none" { # want AZFUNC-005
  name                          = "func-vn-none"
  resource_group_name           = local.common.resource_group_name
  location                      = local.common.location
  service_plan_id               = local.common.service_plan_id
  storage_account_name          = "stvnfixtures"
  storage_uses_managed_identity = true

  site_config {}
}

# 006: integrated through virtual_network_subnet_id, route-all left at its
# default false.
resource "azurerm_linux_function_app" "no_route_all" { # want AZFUNC-006
  name                          = "func-vn-no-route-all"
  resource_group_name           = local.common.resource_group_name
  location                      = local.common.location
  service_plan_id               = local.common.service_plan_id
  storage_account_name          = "stvnfixtures"
  storage_uses_managed_identity = true
  virtual_network_subnet_id     = azurerm_subnet.apps.id

  site_config {}
}

# 006: route-all explicitly off.
resource "azurerm_windows_function_app" "route_all_off" {
  name                          = "func-vn-route-all-off"
  resource_group_name           = local.common.resource_group_name
  location                      = local.common.location
  service_plan_id               = local.common.service_plan_id
  storage_account_name          = "stvnfixtures"
  storage_uses_managed_identity = true
  virtual_network_subnet_id     = azurerm_subnet.apps.id

  site_config {
    vnet_route_all_enabled = false # want AZFUNC-006
  }
}

# Pass: integrated, route-all on.
resource "azurerm_linux_function_app" "route_all" {
  name                          = "func-vn-route-all"
  resource_group_name           = local.common.resource_group_name
  location                      = local.common.location
  service_plan_id               = local.common.service_plan_id
  storage_account_name          = "stvnfixtures"
  storage_uses_managed_identity = true
  virtual_network_subnet_id     = azurerm_subnet.apps.id

  site_config {
    vnet_route_all_enabled = true
  }
}

# Pass: the legacy app setting WEBSITE_VNET_ROUTE_ALL = 1 also routes all
# traffic; integrated by a swift connection resource.
resource "azurerm_linux_function_app" "swift" {
  name                          = "func-vn-swift"
  resource_group_name           = local.common.resource_group_name
  location                      = local.common.location
  service_plan_id               = local.common.service_plan_id
  storage_account_name          = "stvnfixtures"
  storage_uses_managed_identity = true

  app_settings = {
    WEBSITE_VNET_ROUTE_ALL = "1"
  }

  site_config {}
}

resource "azurerm_app_service_virtual_network_swift_connection" "swift" {
  app_service_id = azurerm_linux_function_app.swift.id
  subnet_id      = azurerm_subnet.apps.id
}

# 006: WEBSITE_VNET_ROUTE_ALL = 0 does not route all traffic; integrated
# by a swift connection on a slot.
resource "azurerm_linux_function_app_slot" "staging" { # want AZFUNC-006
  name                          = "staging"
  function_app_id               = azurerm_linux_function_app.swift.id
  storage_account_name          = "stvnfixtures"
  storage_uses_managed_identity = true

  app_settings = {
    WEBSITE_VNET_ROUTE_ALL = "0"
  }

  site_config {}
}

resource "azurerm_app_service_slot_virtual_network_swift_connection" "staging" {
  app_service_id = azurerm_linux_function_app.swift.id
  slot_name      = azurerm_linux_function_app_slot.staging.name
  subnet_id      = azurerm_subnet.apps.id
}

# Undetermined: the subnet comes from a variable without a value.
resource "azurerm_linux_function_app" "unknown_subnet" {
  name                          = "func-vn-unknown"
  resource_group_name           = local.common.resource_group_name
  location                      = local.common.location
  service_plan_id               = local.common.service_plan_id
  storage_account_name          = "stvnfixtures"
  storage_uses_managed_identity = true
  virtual_network_subnet_id     = var.subnet_id # want-undetermined AZFUNC-005

  site_config {
    vnet_route_all_enabled = true
  }
}
