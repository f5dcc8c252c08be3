# azapi: function apps written as ARM documents. They are read with ARM
# semantics and ARM defaults (which differ from azurerm's: an unset
# ftpsState is AllAllowed), and azapi children (config, publishing
# credential policies) configure the site their parent_id names.

locals {
  rg_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures"
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-azapi"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

# Host storage for the hardened apps (api-version 2023-05-01: HTTPS-only by
# default).
resource "azapi_resource" "host" {
  type      = "Microsoft.Storage/storageAccounts@2023-05-01"
  name      = "stazapifixture"
  parent_id = local.rg_id
  location  = "westeurope"
  body = {
    kind = "StorageV2"
    sku  = { name = "Standard_ZRS" }
    properties = {
      minimumTlsVersion     = "TLS1_2"
      allowBlobPublicAccess = false
      allowSharedKeyAccess  = false
      publicNetworkAccess   = "Disabled"
    }
  }
}

# Host storage on an old api-version: supportsHttpsTrafficOnly defaults
# to false before 2019-04-01.
resource "azapi_resource" "legacy_storage" {  # want AZFUNC-063
  type      = "Microsoft.Storage/storageAccounts@2018-07-01"
  name      = "stazapilegacy"
  parent_id = local.rg_id
  location  = "westeurope"
  body = {
    kind = "StorageV2"
    sku  = { name = "Standard_LRS" }
  }
}

resource "azapi_resource" "plan" {
  type      = "Microsoft.Web/serverfarms@2024-04-01"
  name      = "asp-fixture-azapi"
  parent_id = local.rg_id
  location  = "westeurope"
  body = {
    kind       = "elastic"
    sku        = { name = "EP1" }
    properties = { reserved = true }
  }
}

# Hardened: every check passes. Its FTP and SCM policies are azapi
# children, one written with jsonencode as older azapi versions need.
resource "azapi_resource" "secure" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-azapi-secure"
  parent_id = local.rg_id
  location  = "westeurope"

  identity {
    type = "SystemAssigned"
  }

  body = {
    kind = "functionapp,linux"
    properties = {
      serverFarmId        = azapi_resource.plan.id
      httpsOnly           = true
      publicNetworkAccess = "Disabled"
      siteConfig = {
        minTlsVersion = "1.2"
        ftpsState     = "Disabled"
        appSettings = [
          { name = "FUNCTIONS_EXTENSION_VERSION", value = "~4" },
          { name = "AzureWebJobsStorage__accountName", value = azapi_resource.host.name },
        ]
      }
    }
  }
}

resource "azapi_resource" "secure_ftp" {
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "ftp"
  parent_id = azapi_resource.secure.id
  body = {
    properties = { allow = false }
  }
}

resource "azapi_resource" "secure_scm" {
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "scm"
  parent_id = azapi_resource.secure.id
  body = jsonencode({
    properties = {
      allow = false
    }
  })
}

resource "azurerm_monitor_diagnostic_setting" "secure" {
  name                       = "diag-secure"
  target_resource_id         = azapi_resource.secure.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

# A slot of the hardened app. It has no kind of its own (it runs like its
# parent) and its own policies; nothing is inherited from the parent.
resource "azapi_resource" "secure_staging" {
  type      = "Microsoft.Web/sites/slots@2024-04-01"
  name      = "staging"
  parent_id = azapi_resource.secure.id
  location  = "westeurope"

  identity {
    type = "SystemAssigned"
  }

  body = {
    properties = {
      httpsOnly           = true
      publicNetworkAccess = "Disabled"
      siteConfig = {
        ftpsState = "FtpsOnly"
      }
    }
  }
}

resource "azapi_resource" "secure_staging_ftp" {
  type      = "Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "ftp"
  parent_id = azapi_resource.secure_staging.id
  body      = { properties = { allow = false } }
}

resource "azapi_resource" "secure_staging_scm" {
  type      = "Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "scm"
  parent_id = azapi_resource.secure_staging.id
  body      = { properties = { allow = false } }
}

resource "azurerm_monitor_diagnostic_setting" "secure_staging" {
  name                       = "diag-secure-staging"
  target_resource_id         = azapi_resource.secure_staging.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category_group = "allLogs"
  }
}

# Everything defaulted, the body written as a JSON string: ARM defaults
# apply and are blamed on the resource header.
resource "azapi_resource" "defaulted" {  # want AZFUNC-001 AZFUNC-023 AZFUNC-024 AZFUNC-025 AZFUNC-040 AZFUNC-043 AZFUNC-050
  type      = "Microsoft.Web/sites@2022-09-01"
  name      = "func-azapi-defaulted"
  parent_id = local.rg_id
  location  = "westeurope"
  body      = <<-JSON
    {
      "kind": "functionapp",
      "properties": {
        "serverFarmId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverfarms/asp-fixture-azapi"
      }
    }
  JSON
}

# Configured through children: config/web overrides the inline
# siteConfig, config/appsettings replaces the inline app settings, an
# azapi_update_resource patches the site, and a private endpoint turns the
# unset publicNetworkAccess off.
resource "azapi_resource" "children" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-azapi-children"
  parent_id = local.rg_id
  location  = "westeurope"

  identity {
    type = "SystemAssigned"
  }

  body = {
    kind = "functionapp"
    properties = {
      serverFarmId = azapi_resource.plan.id
      httpsOnly    = false
      siteConfig = {
        minTlsVersion = "1.0"
        ftpsState     = "AllAllowed"
        appSettings = [
          { name = "DB_PASSWORD", value = "overridden-by-the-appsettings-child" },
        ]
      }
    }
  }
}

resource "azapi_resource" "children_web" {
  type      = "Microsoft.Web/sites/config@2023-12-01"
  name      = "web"
  parent_id = azapi_resource.children.id
  body = {
    properties = {
      minTlsVersion          = "1.2"
      ftpsState              = "Disabled"
      remoteDebuggingEnabled = true # want AZFUNC-080
      cors = {
        allowedOrigins = [
          "https://portal.example.com",
          "*", # want AZFUNC-009
        ]
      }
    }
  }
}

resource "azapi_resource" "children_appsettings" {
  type      = "Microsoft.Web/sites/config@2023-12-01"
  name      = "appsettings"
  parent_id = azapi_resource.children.id
  body = {
    properties = {
      FUNCTIONS_EXTENSION_VERSION      = "~4"
      AzureWebJobsStorage__accountName = azapi_resource.legacy_storage.name
      SERVICEBUS_CONNECTION            = "Endpoint=sb://fixture.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0" # want AZFUNC-030
      KEYVAULT_SECRET                  = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/db/)"
    }
  }
}

resource "azapi_resource" "children_ftp" {
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "ftp"
  parent_id = azapi_resource.children.id
  body = {
    properties = {
      allow = true # want AZFUNC-024
    }
  }
}

resource "azapi_update_resource" "children_scm" {
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "scm"
  parent_id = azapi_resource.children.id
  body = {
    properties = { allow = false }
  }
}

resource "azapi_update_resource" "children_https" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azapi_resource.children.id
  body = {
    properties = { httpsOnly = true }
  }
}

resource "azurerm_private_endpoint" "children" {
  name                = "pe-func-azapi-children"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"

  private_service_connection {
    name                           = "sites"
    private_connection_resource_id = azapi_resource.children.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_monitor_diagnostic_setting" "children" {
  name                       = "diag-children"
  target_resource_id         = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/sites/func-azapi-children"
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}

# An azurerm app whose publishing credentials are turned off by azapi
# children, as was done before azurerm had arguments for them.
resource "azurerm_linux_function_app" "classic" {
  name                          = "func-azapi-classic"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = azapi_resource.plan.id
  storage_account_name          = azapi_resource.host.name
  storage_uses_managed_identity = true
  https_only                    = true
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}

resource "azapi_resource" "classic_ftp" {
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2022-09-01"
  name      = "ftp"
  parent_id = azurerm_linux_function_app.classic.id
  body = {
    properties = { allow = false }
  }
}

resource "azapi_update_resource" "classic_scm" {
  type        = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2022-09-01"
  resource_id = "${azurerm_linux_function_app.classic.id}/basicPublishingCredentialsPolicies/scm"
  body = {
    properties = { allow = false }
  }
}

resource "azurerm_monitor_diagnostic_setting" "classic" {
  name                       = "diag-classic"
  target_resource_id         = azurerm_linux_function_app.classic.id
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
