# A hardened function app: every check, opt-in ones included, must find
# nothing here. One Linux app (Python 3.12) and its staging slot on a
# zone-redundant Premium v3 plan, with everything around them: private
# endpoints, VNet integration, identity-based host storage behind private
# endpoints, Key Vault references, diagnostic settings, Application
# Insights with Entra authentication, Easy Auth, client certificates and
# backups.
# want-checks all

resource "azurerm_virtual_network" "net" {
  name                = "vnet-hardened"
  resource_group_name = "rg-hardened"
  location            = "westeurope"
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "apps" {
  name                 = "snet-apps"
  resource_group_name  = "rg-hardened"
  virtual_network_name = azurerm_virtual_network.net.name
  address_prefixes     = ["10.20.1.0/24"]

  delegation {
    name = "serverfarms"
    service_delegation {
      name = "Microsoft.Web/serverFarms"
    }
  }
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = "rg-hardened"
  virtual_network_name = azurerm_virtual_network.net.name
  address_prefixes     = ["10.20.2.0/24"]
}

# Host storage: geo-zone-redundant, no Shared Key, no public network, no
# anonymous blobs, TLS 1.2 and HTTPS only; reached through private
# endpoints for the services the Functions host uses.
resource "azurerm_storage_account" "host" {
  name                            = "sthardenedhost"
  resource_group_name             = "rg-hardened"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false

  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices"]
  }
}

resource "azurerm_private_endpoint" "host" {
  for_each            = toset(["blob", "queue", "table"])
  name                = "pe-sthardenedhost-${each.key}"
  resource_group_name = "rg-hardened"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "sthardenedhost-${each.key}"
    private_connection_resource_id = azurerm_storage_account.host.id
    subresource_names              = [each.key]
    is_manual_connection           = false
  }
}

# Zone-redundant Premium v3 plan: backups are offered, scale limits and
# daily quotas are not (they apply to Consumption and Flex plans).
resource "azurerm_service_plan" "plan" {
  name                   = "asp-hardened"
  resource_group_name    = "rg-hardened"
  location               = "westeurope"
  os_type                = "Linux"
  sku_name               = "P1v3"
  worker_count           = 3
  zone_balancing_enabled = true
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-hardened"
  resource_group_name = "rg-hardened"
  location            = "westeurope"
  sku                 = "PerGB2018"
  retention_in_days   = 90
}

# Telemetry only with Microsoft Entra tokens.
resource "azurerm_application_insights" "ai" {
  name                          = "appi-hardened"
  resource_group_name           = "rg-hardened"
  location                      = "westeurope"
  application_type              = "web"
  workspace_id                  = azurerm_log_analytics_workspace.logs.id
  local_authentication_disabled = true
}

# The identity that resolves the app's Key Vault references.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-func-hardened"
  resource_group_name = "rg-hardened"
  location            = "westeurope"
}

resource "azurerm_key_vault" "kv" {
  name                          = "kv-hardened"
  resource_group_name           = "rg-hardened"
  location                      = "westeurope"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  enable_rbac_authorization     = true
  purge_protection_enabled      = true
  public_network_access_enabled = false
}

resource "azurerm_role_assignment" "kv_secrets" {
  scope                = azurerm_key_vault.kv.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}

resource "azurerm_role_assignment" "host_blob" {
  scope                = azurerm_storage_account.host.id
  role_definition_name = "Storage Blob Data Owner"
  principal_id         = azurerm_linux_function_app.app.identity[0].principal_id
}

resource "azurerm_role_assignment" "telemetry" {
  scope                = azurerm_application_insights.ai.id
  role_definition_name = "Monitoring Metrics Publisher"
  principal_id         = azurerm_linux_function_app.app.identity[0].principal_id
}

# Backups go to a container of another account. The SAS URL the platform
# needs is kept in Key Vault (rotated there), never written in the code.
data "azurerm_key_vault_secret" "backup_url" {
  name         = "func-hardened-backup-url"
  key_vault_id = azurerm_key_vault.kv.id
}

resource "azurerm_linux_function_app" "app" {
  name                                           = "func-hardened"
  resource_group_name                            = "rg-hardened"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  functions_extension_version                    = "~4"
  https_only                                     = true
  public_network_access_enabled                  = false
  client_certificate_enabled                     = true
  client_certificate_mode                        = "Required"
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false
  virtual_network_subnet_id                      = azurerm_subnet.apps.id
  key_vault_reference_identity_id                = azurerm_user_assigned_identity.app.id

  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD"
    AzureWebJobsSecretStorageType             = "keyvault"
    AzureWebJobsSecretStorageKeyVaultUri      = azurerm_key_vault.kv.vault_uri
    MICROSOFT_PROVIDER_AUTHENTICATION_SECRET  = "@Microsoft.KeyVault(VaultName=kv-hardened;SecretName=easyauth-client-secret)"
    PaymentsApiKey                            = "@Microsoft.KeyVault(VaultName=kv-hardened;SecretName=payments-api-key)"
  }

  site_config {
    minimum_tls_version                    = "1.2"
    scm_minimum_tls_version                = "1.2"
    ftps_state                             = "Disabled"
    remote_debugging_enabled               = false
    vnet_route_all_enabled                 = true
    ip_restriction_default_action          = "Deny"
    scm_use_main_ip_restriction            = true
    scm_ip_restriction_default_action      = "Deny"
    application_insights_connection_string = azurerm_application_insights.ai.connection_string

    application_stack {
      python_version = "3.12"
    }

    cors {
      allowed_origins = ["https://portal.contoso.example"]
    }
  }

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"
    require_https          = true

    active_directory_v2 {
      client_id                  = "11111111-1111-1111-1111-111111111111"
      tenant_auth_endpoint       = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
      client_secret_setting_name = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"
    }

    login {
      token_store_enabled = true
    }
  }

  backup {
    name                = "nightly"
    enabled             = true
    storage_account_url = data.azurerm_key_vault_secret.backup_url.value

    schedule {
      frequency_interval    = 1
      frequency_unit        = "Day"
      retention_period_days = 30
    }
  }
}

resource "azurerm_private_endpoint" "app" {
  name                = "pe-func-hardened"
  resource_group_name = "rg-hardened"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "func-hardened"
    private_connection_resource_id = azurerm_linux_function_app.app.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "diag-func-hardened"
  target_resource_id         = azurerm_linux_function_app.app.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

# The staging slot is as hardened as production: slot resources inherit
# nothing from the app's block.
resource "azurerm_linux_function_app_slot" "staging" {
  name                                           = "staging"
  function_app_id                                = azurerm_linux_function_app.app.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  functions_extension_version                    = "~4"
  https_only                                     = true
  public_network_access_enabled                  = false
  client_certificate_enabled                     = true
  client_certificate_mode                        = "Required"
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false
  virtual_network_subnet_id                      = azurerm_subnet.apps.id
  key_vault_reference_identity_id                = azurerm_user_assigned_identity.app.id

  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD"
    AzureWebJobsSecretStorageType             = "keyvault"
    AzureWebJobsSecretStorageKeyVaultUri      = azurerm_key_vault.kv.vault_uri
    MICROSOFT_PROVIDER_AUTHENTICATION_SECRET  = "@Microsoft.KeyVault(VaultName=kv-hardened;SecretName=easyauth-client-secret)"
    PaymentsApiKey                            = "@Microsoft.KeyVault(VaultName=kv-hardened;SecretName=payments-api-key-staging)"
  }

  site_config {
    minimum_tls_version                    = "1.2"
    scm_minimum_tls_version                = "1.2"
    ftps_state                             = "Disabled"
    remote_debugging_enabled               = false
    vnet_route_all_enabled                 = true
    ip_restriction_default_action          = "Deny"
    scm_use_main_ip_restriction            = true
    scm_ip_restriction_default_action      = "Deny"
    application_insights_connection_string = azurerm_application_insights.ai.connection_string

    application_stack {
      python_version = "3.12"
    }

    cors {
      allowed_origins = ["https://portal.contoso.example"]
    }
  }

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"
    require_https          = true

    active_directory_v2 {
      client_id                  = "11111111-1111-1111-1111-111111111111"
      tenant_auth_endpoint       = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
      client_secret_setting_name = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"
    }

    login {
      token_store_enabled = true
    }
  }

  backup {
    name                = "nightly-staging"
    enabled             = true
    storage_account_url = data.azurerm_key_vault_secret.backup_url.value

    schedule {
      frequency_interval    = 1
      frequency_unit        = "Day"
      retention_period_days = 30
    }
  }
}

resource "azurerm_private_endpoint" "staging" {
  name                = "pe-func-hardened-staging"
  resource_group_name = "rg-hardened"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "func-hardened-staging"
    private_connection_resource_id = azurerm_linux_function_app.app.id
    subresource_names              = ["sites-staging"]
    is_manual_connection           = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "staging" {
  name                       = "diag-func-hardened-staging"
  target_resource_id         = azurerm_linux_function_app_slot.staging.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

# Microsoft Defender for App Service covers the subscription's apps.
resource "azurerm_security_center_subscription_pricing" "app_services" {
  tier          = "Standard"
  resource_type = "AppServices"
}

# The azurerm provider cannot isolate the Functions host /admin endpoints
# (AZFUNC-026): azapi patches the app and its slot.
resource "azapi_update_resource" "app_admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_function_app.app.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}

resource "azapi_update_resource" "staging_admin_isolation" {
  type        = "Microsoft.Web/sites/slots@2024-04-01"
  resource_id = azurerm_linux_function_app_slot.staging.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}
