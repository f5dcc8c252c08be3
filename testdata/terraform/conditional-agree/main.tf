# Conditionals whose condition is not known before apply (var.flag has no
# value) are known when both branches give the same value: whichever way
# the condition goes, the value is that one. Branches that differ stay
# undetermined, even when both would pass a check (the same verdict is not
# worked out).

variable "flag" {
  type = bool
}

locals {
  # Agreeing branches in a local, used below.
  ftps = var.flag ? "AllAllowed" : "AllAllowed"
}

resource "azurerm_service_plan" "plan" {
  name                = "asp-fixture-agree"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_linux_function_app" "agree" {
  name                 = "func-agree"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = "stfixtureagree"
  https_only           = var.flag ? true : true

  site_config {
    minimum_tls_version      = var.flag ? "1.0" : "1.0" # want AZFUNC-041
    remote_debugging_enabled = (var.flag ? true : true) # want AZFUNC-080
    ftps_state               = local.ftps               # want AZFUNC-043
  }
}

resource "azurerm_linux_function_app" "differ" {
  name                 = "func-differ"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = "stfixtureagree"
  https_only           = var.flag ? true : false # want-undetermined AZFUNC-040

  site_config {
    minimum_tls_version      = "1.2"
    remote_debugging_enabled = false
    ftps_state               = var.flag ? "Disabled" : "FtpsOnly" # want-undetermined AZFUNC-043
  }
}
