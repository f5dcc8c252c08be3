# AZFUNC-020 (Easy Auth not enabled), 021 (anonymous requests allowed) and
# 022 (Easy Auth does not require HTTPS), auth_settings_v2 and the legacy
# auth_settings. 021 and 022 apply only to apps whose Easy Auth is on.

resource "azurerm_linux_function_app" "no_auth" { # want AZFUNC-020
  name                 = "func-no-auth"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}
}

# Disabled explicitly; its require_https = false does not matter (022
# applies only with Easy Auth on).
resource "azurerm_linux_function_app" "v2_disabled" {
  name                 = "func-v2-disabled"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  auth_settings_v2 {
    auth_enabled  = false # want AZFUNC-020
    require_https = false
    login {}
  }
}

# Enabled, but require_authentication is not set: the provider sends
# false, so anonymous requests reach the app.
resource "azurerm_windows_function_app" "v2_require_unset" { # want AZFUNC-021
  name                 = "func-v2-require-unset"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  auth_settings_v2 {
    auth_enabled = true
    login {}
  }
}

resource "azurerm_linux_function_app" "v2_allow_anonymous" {
  name                 = "func-v2-anonymous"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "AllowAnonymous" # want AZFUNC-021
    login {}
  }
}

resource "azurerm_linux_function_app" "v2_http" {
  name                 = "func-v2-http"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"
    require_https          = false # want AZFUNC-022
    login {}
  }
}

# Legacy v1 block: enabled, but anonymous requests are allowed.
resource "azurerm_function_app" "v1_anonymous" {
  name                       = "func-v1-anonymous"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  app_service_plan_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stfixture"
  storage_account_access_key = var.storage_access_key

  auth_settings {
    enabled                       = true
    unauthenticated_client_action = "AllowAnonymous" # want AZFUNC-021
  }
}

# Legacy v1 block enabled with the default action (redirect to login):
# passes 020, 021 and 022 (v1 always requires HTTPS).
resource "azurerm_windows_function_app" "v1_enabled" {
  name                 = "func-v1-enabled"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  auth_settings {
    enabled = true
  }
}

# Hardened v2: require_https left at its default (true).
resource "azurerm_linux_function_app" "v2_hardened" {
  name                 = "func-v2-hardened"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"

    active_directory_v2 {
      client_id            = "00000000-0000-0000-0000-000000000001"
      tenant_auth_endpoint = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0"
    }

    login {}
  }
}

# A flex app with Easy Auth on (the same blocks).
resource "azurerm_function_app_flex_consumption" "flex" {
  name                        = "func-flex-auth"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp-flex"
  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "https://stfixture.blob.core.windows.net/deploy"
  storage_authentication_type = "SystemAssignedIdentity"
  runtime_name                = "python"
  runtime_version             = "3.12"
  site_config {}

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    login {}
  }
}

variable "storage_access_key" {
  type      = string
  sensitive = true
}
