# AZFUNC-034: secrets placed into app settings at deployment.

variable "partner_api_key" {
  type      = string
  sensitive = true
}

variable "feature_flags" {
  type    = string
  default = "beta"
}

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

resource "azurerm_storage_account" "data" {
  name                     = "stfixturedata"
  resource_group_name      = "rg-fixtures"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

resource "azurerm_servicebus_namespace" "bus" {
  name                = "sb-fixture"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  sku                 = "Standard"
}

resource "azurerm_application_insights" "ai" {
  name                = "appi-fixture"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  application_type    = "web"
}

resource "azurerm_key_vault_secret" "bus" {
  name         = "servicebus-connection"
  value        = azurerm_servicebus_namespace.bus.default_primary_connection_string
  key_vault_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.KeyVault/vaults/kv-fixture"
}

resource "azurerm_linux_function_app" "api" {
  name                          = "func-api"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.data.name
  storage_uses_managed_identity = true
  site_config {}

  app_settings = {
    # Failing: another resource's secrets and a sensitive variable.
    DATA_STORAGE    = azurerm_storage_account.data.primary_connection_string  # want AZFUNC-034
    DATA_KEY        = azurerm_storage_account.data.primary_access_key         # want AZFUNC-034
    BUS_CONNECTION  = azurerm_servicebus_namespace.bus.default_primary_connection_string # want AZFUNC-034
    PARTNER_API_KEY = var.partner_api_key # want AZFUNC-034

    # Passing: a Key Vault reference, identity-based connection, plain
    # attributes and values, Application Insights (AZFUNC-053's concern)
    # and AzureWebJobsStorage (AZFUNC-031's).
    BUS_VIA_VAULT                         = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.bus.versionless_id})"
    BUS__fullyQualifiedNamespace          = "${azurerm_servicebus_namespace.bus.name}.servicebus.windows.net"
    DATA_BLOB_ENDPOINT                    = azurerm_storage_account.data.primary_blob_endpoint
    FEATURE_FLAGS                         = var.feature_flags
    APPLICATIONINSIGHTS_CONNECTION_STRING = azurerm_application_insights.ai.connection_string
    AzureWebJobsStorage                   = azurerm_storage_account.data.primary_connection_string
  }

  connection_string {
    name  = "Reporting"
    type  = "Custom"
    value = azurerm_storage_account.data.secondary_connection_string # want AZFUNC-034
  }
}

# Passing as a whole: an app whose settings reach the same secrets only
# through a Key Vault reference and an identity-based connection.
resource "azurerm_linux_function_app" "worker" {
  name                          = "func-worker"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.data.name
  storage_uses_managed_identity = true
  site_config {}

  app_settings = {
    BUS_VIA_VAULT                = "@Microsoft.KeyVault(SecretUri=${azurerm_key_vault_secret.bus.versionless_id})"
    BUS__fullyQualifiedNamespace = "${azurerm_servicebus_namespace.bus.name}.servicebus.windows.net"
    DATA_BLOB_ENDPOINT           = azurerm_storage_account.data.primary_blob_endpoint
  }
}
