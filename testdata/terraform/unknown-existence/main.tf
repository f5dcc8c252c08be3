# Function apps whose existence is not known before apply: count or
# for_each depends on a variable without a value, directly or through the
# module call that creates them. What would fail on such an app is
# undetermined (the app may not exist), and says why; an app that surely
# exists still fails.

variable "enable_api" {
  type = bool
}

variable "workers" {
  type = map(string)
}

variable "enable_edge" {
  type = bool
}

resource "azurerm_service_plan" "plan" {
  name                = "asp-fixture-maybe"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

# count over an unknown condition: may or may not exist.
resource "azurerm_linux_function_app" "api" {
  count = var.enable_api ? 1 : 0

  name                 = "func-maybe-api"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = "stfixturemaybe"
  https_only           = false # want-undetermined AZFUNC-040

  site_config {
    minimum_tls_version = "1.0" # want-undetermined AZFUNC-041
  }
}

# A slot of an app that may not exist may not exist either.
resource "azurerm_linux_function_app_slot" "api_staging" {
  name                 = "staging"
  function_app_id      = azurerm_linux_function_app.api[0].id
  storage_account_name = "stfixturemaybe"
  https_only           = false # want-undetermined AZFUNC-040

  site_config {}
}

# for_each over a map without a value: unknown-many instances.
resource "azurerm_windows_function_app" "worker" {
  for_each = var.workers

  name                 = "func-maybe-${each.key}"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = "stfixturemaybe"
  https_only           = false # want-undetermined AZFUNC-040

  site_config {}
}

# count = 1: surely exists, so it fails.
resource "azurerm_linux_function_app" "sure" {
  count = 1

  name                 = "func-maybe-sure"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = "stfixturemaybe"
  https_only           = false # want AZFUNC-040

  site_config {
    minimum_tls_version = "1.2"
  }
}

# The module call's count is unknown: every app it creates may not exist.
module "edge" {
  source = "./modules/app"
  count  = var.enable_edge ? 1 : 0
}
