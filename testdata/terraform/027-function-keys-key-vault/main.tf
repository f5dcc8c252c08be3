# AZFUNC-027: function and host keys not kept in Key Vault
# (AzureWebJobsSecretStorageType, default blob, and
# AzureWebJobsSecretStorageKeyVaultUri).

resource "azurerm_key_vault" "keys" {
  name                = "kv-fixture-keys"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  tenant_id           = "00000000-0000-0000-0000-000000000002"
  sku_name            = "standard"
}

# No setting: blob storage (the default).
resource "azurerm_linux_function_app" "defaulted" { # want AZFUNC-027
  name                 = "func-keys-default"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}
}

resource "azurerm_windows_function_app" "files" {
  name                 = "func-keys-files"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  app_settings = {
    AzureWebJobsSecretStorageType = "files" # want AZFUNC-027
  }
}

# keyvault without the vault's URI: the host cannot use it.
resource "azurerm_linux_function_app" "no_uri" {
  name                 = "func-keys-no-uri"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  app_settings = {
    AzureWebJobsSecretStorageType = "keyvault" # want AZFUNC-027
  }
}

# keyvault with the URI from the vault resource (known at apply, but set).
resource "azurerm_linux_function_app" "vault" {
  name                 = "func-keys-vault"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  app_settings = {
    AzureWebJobsSecretStorageType        = "KeyVault"
    AzureWebJobsSecretStorageKeyVaultUri = azurerm_key_vault.keys.vault_uri
  }
}

# keyvault with a literal URI.
resource "azurerm_windows_function_app" "vault_literal" {
  name                 = "func-keys-vault-literal"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  app_settings = {
    AzureWebJobsSecretStorageType        = "keyvault"
    AzureWebJobsSecretStorageKeyVaultUri = "https://kv-fixture-keys.vault.azure.net/"
  }
}

# The storage type comes from a variable without a value: undetermined.
variable "key_storage" {
  type = string
}

resource "azurerm_linux_function_app" "unknown" {
  name                 = "func-keys-unknown"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  app_settings = {
    AzureWebJobsSecretStorageType        = var.key_storage # want-undetermined AZFUNC-027
    AzureWebJobsSecretStorageKeyVaultUri = "https://kv-fixture-keys.vault.azure.net/"
  }
}
