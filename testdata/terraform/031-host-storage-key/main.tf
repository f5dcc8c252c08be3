# AZFUNC-031: how each app authenticates to its host storage.

variable "storage_key" {
  type      = string
  sensitive = true
}

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

# Explicit key.
resource "azurerm_linux_function_app" "key" {
  name                       = "func-key"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  service_plan_id            = local.plan_id
  storage_account_name       = "sthost"
  storage_account_access_key = var.storage_key # want AZFUNC-031
  site_config {}
}

# storage_uses_managed_identity left at its default (false).
resource "azurerm_windows_function_app" "defaulted" { # want AZFUNC-031
  name                 = "func-defaulted"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "sthost"
  site_config {}
}

# The key, held in Key Vault: still the key (reported as low).
resource "azurerm_linux_function_app" "kv_key" {
  name                        = "func-kv-key"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = local.plan_id
  storage_key_vault_secret_id = "https://kv-fixture.vault.azure.net/secrets/host-storage" # want AZFUNC-031
  site_config {}
}

# Identity.
resource "azurerm_linux_function_app" "identity" {
  name                          = "func-identity"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}
}

# A slot with the key.
resource "azurerm_linux_function_app_slot" "staging" {
  name                       = "staging"
  function_app_id            = azurerm_linux_function_app.identity.id
  storage_account_name       = "sthost"
  storage_account_access_key = var.storage_key # want AZFUNC-031
  site_config {}
}

# No storage arguments: the app settings decide. Identity-based form.
resource "azurerm_linux_function_app" "settings_identity" {
  name                = "func-settings-identity"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  service_plan_id     = local.plan_id
  site_config {}
  app_settings = {
    AzureWebJobsStorage__blobServiceUri = "https://sthost.blob.core.windows.net"
    AzureWebJobsStorage__credential     = "managedidentity"
  }
}

# No storage arguments: a connection string in the app settings.
resource "azurerm_linux_function_app" "settings_key" {
  name                = "func-settings-key"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  service_plan_id     = local.plan_id
  site_config {}
  app_settings = {
    AzureWebJobsStorage = "DefaultEndpointsProtocol=https;AccountName=sthost;AccountKey=${var.storage_key};EndpointSuffix=core.windows.net" # want AZFUNC-031
  }
}

# No host storage configured in this code at all: not evaluated.
resource "azurerm_linux_function_app" "no_storage" {
  name                = "func-no-storage"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  service_plan_id     = local.plan_id
  site_config {}
}

# Flex Consumption: connection string vs identity.
resource "azurerm_function_app_flex_consumption" "flex_key" {
  name                        = "func-flex-key"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = local.plan_id
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://sthost.blob.core.windows.net/deploy"
  storage_authentication_type = "StorageAccountConnectionString" # want AZFUNC-031
  storage_access_key          = var.storage_key
  runtime_name                = "python"
  runtime_version             = "3.11"
  site_config {}
}

resource "azurerm_function_app_flex_consumption" "flex_identity" {
  name                        = "func-flex-identity"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = local.plan_id
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://sthost.blob.core.windows.net/deploy"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.11"
  site_config {}
}

# Legacy azurerm_function_app: the key is required.
resource "azurerm_function_app" "legacy" {
  name                       = "func-legacy"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  app_service_plan_id        = local.plan_id
  storage_account_name       = "sthost"
  storage_account_access_key = var.storage_key # want AZFUNC-031
}
