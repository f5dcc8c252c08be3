# AZFUNC-033: Easy Auth provider secrets inline vs named settings.

variable "aad_secret" {
  type      = string
  sensitive = true
}

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

# Legacy auth_settings with a literal secret and one from a sensitive variable.
resource "azurerm_linux_function_app" "inline" {
  name                          = "func-inline"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}

  auth_settings {
    enabled = true
    active_directory {
      client_id     = "00000000-0000-0000-0000-00000000aaaa"
      client_secret = var.aad_secret # want AZFUNC-033
    }
    github {
      client_id     = "gh-fixture-client"
      client_secret = "fixture-gh-client-secret-not-real" # want AZFUNC-033
    }
  }
}

# Legacy auth_settings naming a setting: passes.
resource "azurerm_windows_function_app" "setting_name" {
  name                          = "func-setting-name"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}

  app_settings = {
    AAD_SECRET = "@Microsoft.KeyVault(VaultName=kv-fixture;SecretName=aad)"
  }

  auth_settings {
    enabled = true
    active_directory {
      client_id                  = "00000000-0000-0000-0000-00000000aaaa"
      client_secret_setting_name = "AAD_SECRET"
    }
  }
}

# auth_settings_v2: secrets only by setting name.
resource "azurerm_linux_function_app" "v2" {
  name                          = "func-v2"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}

  auth_settings_v2 {
    auth_enabled = true
    active_directory_v2 {
      client_id                  = "00000000-0000-0000-0000-00000000aaaa"
      tenant_auth_endpoint       = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"
      client_secret_setting_name = "MICROSOFT_PROVIDER_AUTHENTICATION_SECRET"
    }
    login {}
  }
}

# A slot with an inline Google secret.
resource "azurerm_linux_function_app_slot" "staging" {
  name                          = "staging"
  function_app_id               = azurerm_linux_function_app.v2.id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}

  auth_settings {
    enabled = true
    google {
      client_id     = "fixture.apps.googleusercontent.com"
      client_secret = "fixture-google-secret-not-real" # want AZFUNC-033
    }
  }
}
