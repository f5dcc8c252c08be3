# Private endpoints (AZFUNC-007) and half-private apps (AZFUNC-008).

# 007: no private endpoint targets the app.
resource "azurerm_linux_function_app" "none" { # want AZFUNC-007
  name                          = "func-pe-none"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {}
}

# 008: a private endpoint, but public_network_access_enabled left at its default true
# (azurerm sends Enabled: the endpoint does not close the public endpoint).
resource "azurerm_linux_function_app" "half_default" { # want AZFUNC-008
  name                          = "func-pe-half-default"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true

  site_config {}
}

resource "azurerm_private_endpoint" "half_default" {
  name                = "pe-half-default"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "half-default"
    private_connection_resource_id = azurerm_linux_function_app.half_default.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

# Pass: private endpoint and public access off.
resource "azurerm_linux_function_app" "private" {
  name                          = "func-pe-private"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {}
}

resource "azurerm_private_endpoint" "private" {
  name                = "pe-private"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "private"
    private_connection_resource_id = azurerm_linux_function_app.private.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

# 008: explicit public access; the endpoint names the app by a literal id (matched
# case-insensitively).
resource "azurerm_windows_function_app" "half_literal" {
  name                          = "func-pe-half-literal"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = true # want AZFUNC-008

  site_config {}
}

resource "azurerm_private_endpoint" "half_literal" {
  name                = "pe-half-literal"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "half-literal"
    private_connection_resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/microsoft.web/SITES/func-pe-half-literal"
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

# 007: the only endpoint names a slot that does not exist (sites-other), not the app;
# the finding points at that endpoint.
resource "azurerm_linux_function_app" "wrong_group" {
  name                          = "func-pe-wrong-group"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {}
}

resource "azurerm_private_endpoint" "wrong_group" { # want AZFUNC-007
  name                = "pe-wrong-group"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "wrong-group"
    private_connection_resource_id = azurerm_linux_function_app.wrong_group.id
    subresource_names              = ["sites-other"]
    is_manual_connection           = false
  }
}

# Slots: an endpoint on the production app's id with the group sites-<slot> is the
# slot's endpoint. The production app has its own.
resource "azurerm_linux_function_app" "with_slots" {
  name                          = "func-pe-with-slots"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {}
}

resource "azurerm_private_endpoint" "with_slots" {
  name                = "pe-with-slots"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "with-slots"
    private_connection_resource_id = azurerm_linux_function_app.with_slots.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_linux_function_app_slot" "staging" {
  name                          = "staging"
  function_app_id               = azurerm_linux_function_app.with_slots.id
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {}
}

resource "azurerm_private_endpoint" "staging" {
  name                = "pe-staging"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "staging"
    private_connection_resource_id = azurerm_linux_function_app.with_slots.id
    subresource_names              = ["sites-staging"]
    is_manual_connection           = false
  }
}

# 007: the canary slot has no endpoint of its own (the app's sites endpoint is not it).
resource "azurerm_linux_function_app_slot" "canary" { # want AZFUNC-007
  name                          = "canary"
  function_app_id               = azurerm_linux_function_app.with_slots.id
  storage_account_name          = "stpefixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {}
}

# An endpoint of a data source's app names an app outside the module: it changes nothing here.
data "azurerm_linux_function_app" "elsewhere" {
  name                = "func-elsewhere"
  resource_group_name = "rg-other"
}

resource "azurerm_private_endpoint" "elsewhere" {
  name                = "pe-elsewhere"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "elsewhere"
    private_connection_resource_id = data.azurerm_linux_function_app.elsewhere.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}
