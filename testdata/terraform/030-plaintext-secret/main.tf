# AZFUNC-030: plaintext secrets in app settings and connection strings.
# Every credential below is fake.

variable "api_token" {
  type    = string
  default = "tok_live_5f0c8e2b9a7d4c1e8f3a6b2d9c0e7f14"
}

variable "sql_password" {
  type      = string
  sensitive = true
}

resource "azurerm_storage_account" "host" {
  name                            = "stfixturesecret"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
}

resource "azurerm_key_vault_secret" "db" {
  name         = "db-connection"
  value        = "not read by azfuncscan"
  key_vault_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-fixture"
}

resource "azurerm_linux_function_app" "leaky" {
  name                                           = "func-leaky"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {}

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    DB_PASSWORD              = "Sup3r-S3cret-Passw0rd!"                                                                    # want AZFUNC-030
    EVENTS_CONNECTION        = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=ZmFrZWtleWZha2VrZXlmYWtla2V5ZmFrZWtleQ==" # want AZFUNC-030
    API_TOKEN                = var.api_token # want AZFUNC-030
    SQL_PASSWORD             = var.sql_password
    VAULT_SECRET             = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/db/)"
    VAULT_BY_NAME            = "@Microsoft.KeyVault(VaultName=kv-fixture;SecretName=db)"
    STORAGE_CONNECTION       = azurerm_storage_account.host.primary_connection_string
    SECRET_ID                = azurerm_key_vault_secret.db.id
    FEATURE_TOKEN_ENABLED    = "true"
    PUBLIC_URL               = "https://func-leaky.azurewebsites.net/api"
    # Identity-based connections and mode words are not secrets.
    ServiceBusConnection__credential              = "managedidentity"
    ServiceBusConnection__fullyQualifiedNamespace = "sb-fixture.servicebus.windows.net"
    AzureWebJobsSecretStorageType                 = "keyvault"
    BlobUserDelegationKeyExpirySecs               = 3600
  }

  connection_string {
    name  = "Reporting"
    type  = "SQLAzure"
    value = "Server=tcp:sql-fixture.database.windows.net;Database=reports;User ID=app;Password=Pa55-w0rd-fake;" # want AZFUNC-030
  }

  connection_string {
    name  = "Cache"
    type  = "Custom"
    value = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/cache/)"
  }
}

resource "azurerm_monitor_diagnostic_setting" "leaky" {
  name                       = "diag-leaky"
  target_resource_id         = azurerm_linux_function_app.leaky.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"

  enabled_log {
    category_group = "allLogs"
  }
}
