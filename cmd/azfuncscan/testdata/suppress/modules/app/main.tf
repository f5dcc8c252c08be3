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

resource "azapi_update_resource" "admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_function_app.this.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}
