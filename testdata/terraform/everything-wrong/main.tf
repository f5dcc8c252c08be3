# Everything wrong: every check that applies to Terraform fires exactly
# once, opt-in ones included.
#
# One app cannot fail every check: several come in pairs that exclude
# each other on one app (no VNet integration / integrated without
# route-all, no private endpoint / private endpoint with public access,
# no diagnostic setting / a setting without function logs, no Application
# Insights / Application Insights with the key, key-based / identity-based
# host storage, a backup missing on a dedicated plan / no scale guard on
# a consumption plan), 084 needs a deployment slot, 067 a second app on
# the same host storage, 085 the legacy azurerm_function_app and 044 an
# azapi site. So: the legacy app "app" with its azapi slot "staging", and
# a second app "api" sharing the host storage account. Problems of the
# storage account and plans are reported once however many apps use them.
#
# Each check fires once: "api" has public network access off, so
# AZFUNC-001 fires only for the legacy "app" (which has no argument to
# turn it off). 002 (default action Allow with rules) and 004 (main site
# denies, SCM open) exclude each other on one app and both need a public
# app, as does 008 (private endpoint with public access on): 004 fires
# here, 002 and 008 in testdata/terraform/everything-wrong-restrictions.
# cmd/azfuncscan TestEverythingWrongCoversCatalog checks that the two
# fixtures together cover every check that applies to Terraform, each
# once per fixture.
# want-checks all

variable "payments_package_url" {
  type    = string
  default = "https://stpackages.blob.core.windows.net/releases/payments.zip?sv=2022-11-02&sr=b&sp=r&sig=c2lnbmF0dXJlLW5vdC1yZWFs"
}

resource "azurerm_subnet" "apps" {
  name                 = "snet-apps"
  resource_group_name  = "rg-wrong"
  virtual_network_name = "vnet-wrong"
  address_prefixes     = ["10.30.1.0/24"]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = "rg-wrong"
  virtual_network_name = "vnet-wrong"
  address_prefixes     = ["10.30.2.0/24"]
}

# Host storage of both apps: open to every network, TLS 1.0, plain HTTP,
# anonymous blobs, Shared Key, locally redundant, no private endpoint.
resource "azurerm_storage_account" "host" { # want AZFUNC-060 AZFUNC-061 AZFUNC-066 AZFUNC-067
  name                            = "stwronghost"
  resource_group_name             = "rg-wrong"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"     # want AZFUNC-065
  min_tls_version                 = "TLS1_0"  # want AZFUNC-062
  https_traffic_only_enabled      = false     # want AZFUNC-063
  allow_nested_items_to_be_public = true      # want AZFUNC-064
}

resource "azurerm_service_plan" "consumption" {
  name                = "asp-wrong-consumption"
  resource_group_name = "rg-wrong"
  location            = "westeurope"
  os_type             = "Windows"
  sku_name            = "Y1"
}

resource "azurerm_service_plan" "standard" { # want AZFUNC-071
  name                = "asp-wrong-standard"
  resource_group_name = "rg-wrong"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "S1"
}

resource "azurerm_servicebus_namespace" "bus" {
  name                = "sb-wrong"
  resource_group_name = "rg-wrong"
  location            = "westeurope"
  sku                 = "Standard"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-wrong"
  resource_group_name = "rg-wrong"
  location            = "westeurope"
}

resource "azurerm_application_insights" "ai" {
  name                = "appi-wrong"
  resource_group_name = "rg-wrong"
  location            = "westeurope"
  application_type    = "web"
  workspace_id        = azurerm_log_analytics_workspace.logs.id
}

# The legacy app: public (no argument turns it off), basic-auth
# publishing (no argument either), plain FTP, host ~1 and Node 14 on a
# consumption plan without quota or scale limit.
resource "azurerm_function_app" "app" { # want AZFUNC-001 AZFUNC-005 AZFUNC-007 AZFUNC-023 AZFUNC-024 AZFUNC-025 AZFUNC-043 AZFUNC-050 AZFUNC-052 AZFUNC-055 AZFUNC-081 AZFUNC-082 AZFUNC-085 AZFUNC-004 AZFUNC-027 AZFUNC-028 AZFUNC-029
  name                       = "func-wrong"
  resource_group_name        = "rg-wrong"
  location                   = "westeurope"
  app_service_plan_id        = azurerm_service_plan.consumption.id
  storage_account_name       = azurerm_storage_account.host.name
  storage_account_access_key = azurerm_storage_account.host.primary_access_key # want AZFUNC-031
  https_only                 = true

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME     = "node"
    WEBSITE_NODE_DEFAULT_VERSION = "~14" # want AZFUNC-083
    WEBSITE_RUN_FROM_PACKAGE     = var.payments_package_url # want AZFUNC-030 AZFUNC-032
    ServiceBusConnection         = azurerm_servicebus_namespace.bus.default_primary_connection_string # want AZFUNC-034
    PaymentsApiKey               = "@Microsoft.KeyVault(VaultName=kv-wrong;SecretName=payments-api-key)"
  }

  auth_settings {
    enabled = false # want AZFUNC-020

    active_directory {
      client_id     = "11111111-1111-1111-1111-111111111111"
      client_secret = "easy-auth-client-secret-not-real" # want AZFUNC-033
    }
  }

  site_config {
    min_tls_version = "1.0" # want AZFUNC-041

    # The main site has a rule (so it denies what matches none), the SCM
    # site none and does not use the main site's.
    ip_restriction {
      name       = "anyone"
      ip_address = "0.0.0.0/0" # want AZFUNC-003
      action     = "Allow"
      priority   = 100
    }

    cors {
      allowed_origins = ["*"] # want AZFUNC-009
    }
  }
}

# The slot, written with azapi: hardened, but it drops HTTPS-only
# (weaker than production) and, as an ARM document, leaves end-to-end
# encryption off.
resource "azapi_resource" "staging" { # want AZFUNC-044 AZFUNC-026
  type      = "Microsoft.Web/sites/slots@2024-04-01"
  name      = "staging"
  parent_id = azurerm_function_app.app.id
  location  = "westeurope"

  identity {
    type = "SystemAssigned"
  }

  body = {
    properties = {
      httpsOnly              = false # want AZFUNC-040 AZFUNC-084
      publicNetworkAccess    = "Disabled"
      clientCertEnabled      = true
      clientCertMode         = "Required"
      virtualNetworkSubnetId = azurerm_subnet.apps.id
      siteConfig = {
        minTlsVersion          = "1.2"
        scmMinTlsVersion       = "1.2"
        ftpsState              = "Disabled"
        vnetRouteAllEnabled    = true
        functionAppScaleLimit  = 10
        remoteDebuggingEnabled = false
        appSettings = [
          { name = "FUNCTIONS_EXTENSION_VERSION", value = "~4" },
          { name = "FUNCTIONS_WORKER_RUNTIME", value = "node" },
          { name = "WEBSITE_NODE_DEFAULT_VERSION", value = "~22" },
          { name = "AzureWebJobsStorage__accountName", value = azurerm_storage_account.host.name },
          { name = "AzureWebJobsSecretStorageType", value = "keyvault" },
          { name = "AzureWebJobsSecretStorageKeyVaultUri", value = "https://kv-wrong.vault.azure.net/" },
          { name = "APPLICATIONINSIGHTS_CONNECTION_STRING", value = azurerm_application_insights.ai.connection_string },
          { name = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", value = "Authorization=AAD" },
        ]
      }
    }
  }
}

resource "azapi_resource" "staging_ftp" {
  type      = "Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "ftp"
  parent_id = azapi_resource.staging.id
  body      = { properties = { allow = false } }
}

resource "azapi_resource" "staging_scm" {
  type      = "Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "scm"
  parent_id = azapi_resource.staging.id
  body      = { properties = { allow = false } }
}

resource "azapi_resource" "staging_auth" {
  type      = "Microsoft.Web/sites/slots/config@2024-04-01"
  name      = "authsettingsV2"
  parent_id = azapi_resource.staging.id
  body = {
    properties = {
      platform = { enabled = true }
      globalValidation = {
        requireAuthentication       = true
        unauthenticatedClientAction = "Return401"
      }
      httpSettings = { requireHttps = true }
    }
  }
}

resource "azurerm_private_endpoint" "staging" {
  name                = "pe-func-wrong-staging"
  resource_group_name = "rg-wrong"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "func-wrong-staging"
    private_connection_resource_id = azurerm_function_app.app.id
    subresource_names              = ["sites-staging"]
    is_manual_connection           = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "staging" {
  name                       = "diag-func-wrong-staging"
  target_resource_id         = azapi_resource.staging.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

# The second app, on a Standard plan without backup: private (public
# access off, a private endpoint), VNet integration without route-all,
# debugging and old SCM TLS, Application Insights with the key, a
# diagnostic setting that exports metrics only.
resource "azurerm_linux_function_app" "api" { # want AZFUNC-053 AZFUNC-070
  name                                           = "func-wrong-api"
  resource_group_name                            = "rg-wrong"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.standard.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  client_certificate_enabled                     = true
  client_certificate_mode                        = "Required"
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false
  virtual_network_subnet_id                      = azurerm_subnet.apps.id

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    AzureWebJobsSecretStorageType        = "keyvault"
    AzureWebJobsSecretStorageKeyVaultUri = "https://kv-wrong.vault.azure.net/"
  }

  site_config {
    minimum_tls_version                    = "1.2"
    scm_minimum_tls_version                = "1.0"  # want AZFUNC-042
    remote_debugging_enabled               = true   # want AZFUNC-080
    vnet_route_all_enabled                 = false  # want AZFUNC-006
    ftps_state                             = "Disabled"
    application_insights_connection_string = azurerm_application_insights.ai.connection_string

    application_stack {
      python_version = "3.12"
    }
  }

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = false # want AZFUNC-021
    unauthenticated_action = "AllowAnonymous"
    require_https          = false # want AZFUNC-022

    login {}
  }
}

resource "azurerm_private_endpoint" "api" {
  name                = "pe-func-wrong-api"
  resource_group_name = "rg-wrong"
  location            = "westeurope"
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "func-wrong-api"
    private_connection_resource_id = azurerm_linux_function_app.api.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "api" { # want AZFUNC-051
  name                       = "diag-func-wrong-api"
  target_resource_id         = azurerm_linux_function_app.api.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_metric {
    category = "AllMetrics"
  }
}

# Microsoft Defender for App Service is off for the subscription.
resource "azurerm_security_center_subscription_pricing" "app_services" {
  tier          = "Free" # want AZFUNC-054
  resource_type = "AppServices"
}

# /admin isolation (AZFUNC-026) is patched on both azurerm apps, so it
# fires once, for the azapi slot "staging", which leaves it at its
# default.
resource "azapi_update_resource" "app_admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_function_app.app.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}

resource "azapi_update_resource" "api_admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_function_app.api.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}
