# AZFUNC-029: Key Vault references in app settings that no assigned
# identity can resolve (key_vault_reference_identity_id, default the
# system-assigned identity, against the identity block).

resource "azurerm_user_assigned_identity" "kv" {
  name                = "id-fixture-kv"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_user_assigned_identity" "other" {
  name                = "id-fixture-other"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

# A Key Vault reference and no identity at all.
resource "azurerm_linux_function_app" "no_identity" { # want AZFUNC-029
  name                 = "func-kv-no-identity"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  app_settings = {
    DB_PASSWORD = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/db/)"
  }
}

# Only a user-assigned identity, but key_vault_reference_identity_id is
# not set: references use the (missing) system-assigned identity.
resource "azurerm_windows_function_app" "user_only" { # want AZFUNC-029
  name                 = "func-kv-user-only"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.kv.id]
  }

  connection_string {
    name  = "Db"
    type  = "SQLAzure"
    value = "@Microsoft.KeyVault(VaultName=kv-fixture;SecretName=db)"
  }
}

# The user-assigned identity named for references is assigned: passes.
resource "azurerm_linux_function_app" "user_matched" {
  name                            = "func-kv-user-matched"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  service_plan_id                 = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name            = "stfixture"
  key_vault_reference_identity_id = azurerm_user_assigned_identity.kv.id
  site_config {}

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.kv.id]
  }

  app_settings = {
    DB_PASSWORD = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/db/)"
  }
}

# A literal identity id that is not among the assigned ones.
resource "azurerm_linux_function_app" "user_mismatch" {
  name                            = "func-kv-user-mismatch"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  service_plan_id                 = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name            = "stfixture"
  key_vault_reference_identity_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-missing" # want AZFUNC-029
  site_config {}

  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-fixture-kv"]
  }

  app_settings = {
    DB_PASSWORD = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/db/)"
  }
}

# System-assigned identity with the default: passes.
resource "azurerm_linux_function_app" "system" {
  name                 = "func-kv-system"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    DB_PASSWORD = "@Microsoft.KeyVault(SecretUri=https://kv-fixture.vault.azure.net/secrets/db/)"
  }
}

# No Key Vault reference: not applicable, although no identity resolves
# any.
resource "azurerm_linux_function_app" "no_reference" {
  name                 = "func-kv-none"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  app_settings = {
    MODE = "production"
  }
}
