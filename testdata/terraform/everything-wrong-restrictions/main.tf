# Everything wrong, part 2: the access-restriction checks that cannot fail
# on the same app as those of testdata/terraform/everything-wrong.
# AZFUNC-002 (rules whose unmatched traffic is allowed) and AZFUNC-004
# (main site denies, SCM site open) exclude each other on one app, and
# both need public network access, which AZFUNC-001 reports; AZFUNC-008
# (a private endpoint with public access on) needs it too. So this
# fixture is the app of testdata/terraform/hardened (without
# its slot) left public with rules that let unmatched traffic through:
# AZFUNC-001, 002 and 008 fire once each, nothing else fires.
# everything-wrong holds the rest of the catalog, each check once;
# cmd/azfuncscan TestEverythingWrongCoversCatalog checks that the two
# together cover every check that applies to Terraform.
# want-checks all

resource "azurerm_virtual_network" "net" {
  name                = "vnet-restrict"
  resource_group_name = "rg-restrict"
  location            = "westeurope"
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "apps" {
  name                 = "snet-apps"
  resource_group_name  = "rg-restrict"
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
  resource_group_name  = "rg-restrict"
  virtual_network_name = azurerm_virtual_network.net.name
  address_prefixes     = ["10.20.2.0/24"]
}

# Host storage: geo-zone-redundant, no Shared Key, no public network, no
# anonymous blobs, TLS 1.2 and HTTPS only; reached through private
# endpoints for the services the Functions host uses.
resource "azurerm_storage_account" "host" {
  name                            = "strestricthost"
  resource_group_name             = "rg-restrict"
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
  name                = "pe-strestricthost-${each.key}"
  resource_group_name = "rg-restrict"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "strestricthost-${each.key}"
    private_connection_resource_id = azurerm_storage_account.host.id
    subresource_names              = [each.key]
    is_manual_connection           = false
  }
}

# Zone-redundant Premium v3 plan: backups are offered, scale limits and
# daily quotas are not (they apply to Consumption and Flex plans).
resource "azurerm_service_plan" "plan" {
  name                   = "asp-restrict"
  resource_group_name    = "rg-restrict"
  location               = "westeurope"
  os_type                = "Linux"
  sku_name               = "P1v3"
  worker_count           = 3
  zone_balancing_enabled = true
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-restrict"
  resource_group_name = "rg-restrict"
  location            = "westeurope"
  sku                 = "PerGB2018"
  retention_in_days   = 90
}

# Telemetry only with Microsoft Entra tokens.
resource "azurerm_application_insights" "ai" {
  name                          = "appi-restrict"
  resource_group_name           = "rg-restrict"
  location                      = "westeurope"
  application_type              = "web"
  workspace_id                  = azurerm_log_analytics_workspace.logs.id
  local_authentication_disabled = true
}

# The identity that resolves the app's Key Vault references.
resource "azurerm_user_assigned_identity" "app" {
  name                = "id-func-restrict"
  resource_group_name = "rg-restrict"
  location            = "westeurope"
}

resource "azurerm_key_vault" "kv" {
  name                          = "kv-restrict"
  resource_group_name           = "rg-restrict"
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
  name         = "func-restrict-backup-url"
  key_vault_id = azurerm_key_vault.kv.id
}

resource "azurerm_linux_function_app" "app" {
  name                                           = "func-restrict"
  resource_group_name                            = "rg-restrict"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  functions_extension_version                    = "~4"
  https_only                                     = true
  public_network_access_enabled                  = true # want AZFUNC-001 AZFUNC-008
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
    MICROSOFT_PROVIDER_AUTHENTICATION_SECRET  = "@Microsoft.KeyVault(VaultName=kv-restrict;SecretName=easyauth-client-secret)"
    PaymentsApiKey                            = "@Microsoft.KeyVault(VaultName=kv-restrict;SecretName=payments-api-key)"
  }

  site_config {
    minimum_tls_version                    = "1.2"
    scm_minimum_tls_version                = "1.2"
    ftps_state                             = "Disabled"
    remote_debugging_enabled               = false
    vnet_route_all_enabled                 = true
    ip_restriction_default_action          = "Allow" # want AZFUNC-002
    scm_use_main_ip_restriction            = true
    scm_ip_restriction_default_action      = "Deny"
    application_insights_connection_string = azurerm_application_insights.ai.connection_string

    ip_restriction {
      name       = "office"
      ip_address = "203.0.113.0/24"
      action     = "Allow"
      priority   = 100
    }

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
  name                = "pe-func-restrict"
  resource_group_name = "rg-restrict"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "func-restrict"
    private_connection_resource_id = azurerm_linux_function_app.app.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "app" {
  name                       = "diag-func-restrict"
  target_resource_id         = azurerm_linux_function_app.app.id
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
# (AZFUNC-026): azapi patches the app.
resource "azapi_update_resource" "app_admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_function_app.app.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}
