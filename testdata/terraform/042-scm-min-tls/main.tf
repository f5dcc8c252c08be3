# AZFUNC-042: minimum TLS version of the SCM (Kudu) site, independent of
# the main site's. Strings and numbers; 1.3 and the default pass.

resource "azurerm_linux_function_app" "scm_tls10" {
  name                 = "func-scm-tls10"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"

  site_config {
    minimum_tls_version     = "1.2"
    scm_minimum_tls_version = "1.0" # want AZFUNC-042
  }
}

resource "azurerm_windows_function_app" "scm_tls11_number" {
  name                 = "func-scm-tls11"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"

  site_config {
    scm_minimum_tls_version = 1.1 # want AZFUNC-042
  }
}

variable "scm_tls" {
  type    = string
  default = "1.1"
}

resource "azurerm_linux_function_app_slot" "staging" {
  name                 = "staging"
  function_app_id      = azurerm_linux_function_app.scm_tls10.id
  storage_account_name = "stfixture"

  site_config {
    scm_minimum_tls_version = var.scm_tls # want AZFUNC-042
  }
}

# Passing: 1.2 written, 1.3, and not set (azurerm default "1.2").
resource "azurerm_linux_function_app" "scm_tls12" {
  name                 = "func-scm-tls12"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"

  site_config {
    scm_minimum_tls_version = "1.2"
  }
}

resource "azurerm_linux_function_app" "scm_tls13" {
  name                 = "func-scm-tls13"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"

  site_config {
    scm_minimum_tls_version = 1.3
  }
}

resource "azurerm_windows_function_app" "scm_default" {
  name                 = "func-scm-default"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"

  site_config {}
}

# The main site's TLS does not decide the SCM site's.
resource "azurerm_linux_function_app" "main_tls10_only" {
  name                 = "func-main-tls10"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"

  site_config {
    minimum_tls_version = "1.0"
  }
}
