resource "azurerm_linux_function_app" "this" {
  name                                           = "func-suppress-legacy"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = "stsuppresslegacy"
  storage_uses_managed_identity                  = true
  https_only                                     = false
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = "1.2"
    ftps_state             = "Disabled"
    vnet_route_all_enabled = true
  }

  virtual_network_subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps"
}

resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "diag-suppress-legacy"
  target_resource_id         = azurerm_linux_function_app.this.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_private_endpoint" "app" {
  name                = "pe-suppress-legacy"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/endpoints"

  private_service_connection {
    name                           = "func-suppress-legacy"
    private_connection_resource_id = azurerm_linux_function_app.this.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}
