# Suppressions in HCL: above a block, above an attribute, at the end of a
# line, above a module call (covering the resources it creates); one
# without a reason, one expired, one that covers nothing.

# azfuncscan:ignore[AZFUNC-040,AZFUNC-052,AZFUNC-055] the legacy app is retired in June
module "legacy" {
  source = "./modules/app"
}

# azfuncscan:ignore[AZFUNC-052,AZFUNC-055] telemetry and logs go to the platform collector
resource "azurerm_linux_function_app" "app" {
  name                          = "func-suppress"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "stsuppress"
  storage_uses_managed_identity = true
  # azfuncscan:ignore[AZFUNC-040]
  https_only                                     = false
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version = "1.0" # azfuncscan:ignore[AZFUNC-041] exp:2999-12-31 a partner appliance speaks TLS 1.0 only
    # azfuncscan:ignore[AZFUNC-043] exp:2000-01-01 the FTP client was retired
    ftps_state = "AllAllowed"
    # azfuncscan:ignore[AZFUNC-080] remote debugging stays off
    remote_debugging_enabled = false
    vnet_route_all_enabled   = true
  }

  virtual_network_subnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps"

  client_certificate_enabled = true
  client_certificate_mode    = "Required"

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"

    active_directory_v2 {
      client_id            = "00000000-0000-0000-0000-000000000001"
      tenant_auth_endpoint = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0"
    }

    login {}
  }

  app_settings = {
    AzureWebJobsSecretStorageType        = "keyvault"
    AzureWebJobsSecretStorageKeyVaultUri = "https://kv-suppress.vault.azure.net/"
  }
}

resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "diag-suppress"
  target_resource_id         = azurerm_linux_function_app.app.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_private_endpoint" "app" {
  name                = "pe-suppress"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/endpoints"

  private_service_connection {
    name                           = "func-suppress"
    private_connection_resource_id = azurerm_linux_function_app.app.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azapi_update_resource" "admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_function_app.app.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}
