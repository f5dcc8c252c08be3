# AZFUNC-028: incoming client certificates not required. Only enabled
# with mode Required passes; Optional (the azurerm default) and
# OptionalInteractiveUser accept connections without a certificate.

resource "azurerm_linux_function_app" "defaulted" { # want AZFUNC-028
  name                 = "func-cert-default"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}
}

# Enabled, mode left at its azurerm default Optional.
resource "azurerm_windows_function_app" "optional_default" {
  name                       = "func-cert-optional-default"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stfixture"
  client_certificate_enabled = true # want AZFUNC-028
  site_config {}
}

resource "azurerm_linux_function_app" "interactive" {
  name                       = "func-cert-interactive"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stfixture"
  client_certificate_enabled = true # want AZFUNC-028
  client_certificate_mode    = "OptionalInteractiveUser"
  site_config {}
}

resource "azurerm_linux_function_app" "disabled_required" {
  name                       = "func-cert-disabled"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stfixture"
  client_certificate_enabled = false # want AZFUNC-028
  client_certificate_mode    = "Required"
  site_config {}
}

resource "azurerm_linux_function_app" "required" {
  name                       = "func-cert-required"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stfixture"
  client_certificate_enabled = true
  client_certificate_mode    = "Required"
  site_config {}
}

# Legacy azurerm_function_app: client_cert_mode set enables certificates.
resource "azurerm_function_app" "legacy_required" {
  name                       = "func-cert-legacy"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  app_service_plan_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stfixture"
  storage_account_access_key = var.storage_access_key
  client_cert_mode           = "Required"
}

resource "azurerm_function_app" "legacy_optional" {
  name                       = "func-cert-legacy-optional"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  app_service_plan_id        = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name       = "stfixture"
  storage_account_access_key = var.storage_access_key
  client_cert_mode           = "Optional" # want AZFUNC-028
}

variable "storage_access_key" {
  type      = string
  sensitive = true
}
