# AZFUNC-044: end-to-end (front end to worker) TLS. azurerm has no
# argument for it, so only azapi sites are evaluated.

locals {
  rg_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures"
}

resource "azapi_resource" "off" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-e2e-off"
  parent_id = local.rg_id
  location  = "westeurope"
  body = {
    kind = "functionapp,linux"
    properties = {
      httpsOnly                 = true
      endToEndEncryptionEnabled = false # want AZFUNC-044
    }
  }
}

resource "azapi_resource" "unset" { # want AZFUNC-044
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-e2e-unset"
  parent_id = local.rg_id
  location  = "westeurope"
  body = {
    kind       = "functionapp"
    properties = { httpsOnly = true }
  }
}

resource "azapi_resource" "on" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-e2e-on"
  parent_id = local.rg_id
  location  = "westeurope"
  body = {
    kind = "functionapp"
    properties = {
      endToEndEncryptionEnabled = true
    }
  }
}

# An azurerm app cannot set it: not evaluated.
resource "azurerm_linux_function_app" "azurerm" {
  name                 = "func-e2e-azurerm"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "${local.rg_id}/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"

  site_config {}
}
