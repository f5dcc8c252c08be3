# Hardened Linux and Windows function apps: no check may fire here.

# A hardened host storage account per app (geo-redundant), a shared
# plan and a Log Analytics workspace for the diagnostic settings.
resource "azurerm_storage_account" "host" {
  name                            = "stfixturesec"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_storage_account" "host_windows" {
  name                            = "stfixturesecwin"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_service_plan" "plan" {
  name                   = "asp-fixture-sec"
  resource_group_name    = "rg-fixtures"
  location               = "westeurope"
  os_type                = "Linux"
  sku_name               = "EP1"
  zone_balancing_enabled = true
}

# The apps are VNet-integrated (route all) and reached through private
# endpoints; so is their host storage.
resource "azurerm_subnet" "apps" {
  name                 = "snet-apps"
  resource_group_name  = "rg-fixtures"
  virtual_network_name = "vnet-fixtures"
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = "rg-fixtures"
  virtual_network_name = "vnet-fixtures"
  address_prefixes     = ["10.0.2.0/24"]
}

resource "azurerm_private_endpoint" "host_blob" {
  name                = "pe-host-blob"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "host-blob"
    private_connection_resource_id = azurerm_storage_account.host.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "host_windows_blob" {
  name                = "pe-host-windows-blob"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "host-windows-blob"
    private_connection_resource_id = azurerm_storage_account.host_windows.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "linux" {
  name                = "pe-func-linux"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "func-linux"
    private_connection_resource_id = azurerm_linux_function_app.linux.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "windows" {
  name                = "pe-func-windows"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "func-windows"
    private_connection_resource_id = azurerm_windows_function_app.windows.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-sec"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_application_insights" "ai" {
  name                          = "appi-fixture-sec"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  application_type              = "web"
  workspace_id                  = azurerm_log_analytics_workspace.logs.id
  local_authentication_disabled = true
}

resource "azurerm_linux_function_app" "linux" {
  name                                           = "func-linux"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false
  virtual_network_subnet_id                      = azurerm_subnet.apps.id

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD"
    AzureWebJobsSecretStorageType             = "keyvault"
    AzureWebJobsSecretStorageKeyVaultUri      = azurerm_key_vault.keys.vault_uri
  }

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
    vnet_route_all_enabled   = true

    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }

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
}

resource "azurerm_monitor_diagnostic_setting" "linux" {
  name                       = "diag-linux"
  target_resource_id         = azurerm_linux_function_app.linux.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_windows_function_app" "windows" {
  name                                           = "func-windows"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host_windows.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false
  virtual_network_subnet_id                      = azurerm_subnet.apps.id

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD"
    AzureWebJobsSecretStorageType             = "keyvault"
    AzureWebJobsSecretStorageKeyVaultUri      = azurerm_key_vault.keys.vault_uri
  }

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
    vnet_route_all_enabled   = true

    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }

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
}

resource "azurerm_monitor_diagnostic_setting" "windows" {
  name                       = "diag-windows"
  target_resource_id         = azurerm_windows_function_app.windows.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azapi_update_resource" "linux_admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_function_app.linux.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}

resource "azapi_update_resource" "windows_admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_windows_function_app.windows.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}

# Function and host keys live in this vault (AzureWebJobsSecretStorageType).
resource "azurerm_key_vault" "keys" {
  name                = "kv-fixture-sec"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  tenant_id           = "00000000-0000-0000-0000-000000000002"
  sku_name            = "standard"
}
