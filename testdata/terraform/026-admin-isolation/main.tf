# AZFUNC-026: Functions host /admin endpoints not isolated
# (functionsRuntimeAdminIsolationEnabled). azurerm has no argument for it:
# a plain azurerm app has the platform default false; azapi sets it.

locals {
  rg_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures"
}

# A plain azurerm app: default false.
resource "azurerm_linux_function_app" "plain" { # want AZFUNC-026
  name                 = "func-plain"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}
}

# An azurerm app patched by azapi_update_resource: isolated.
resource "azurerm_windows_function_app" "patched" {
  name                 = "func-patched"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}
}

resource "azapi_update_resource" "patched_admin" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_windows_function_app.patched.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}

# An azurerm app patched with the property false.
resource "azurerm_linux_function_app" "patched_false" {
  name                 = "func-patched-false"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name = "stfixture"
  site_config {}
}

resource "azapi_update_resource" "patched_false_admin" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_function_app.patched_false.id
  body = {
    properties = {
      functionsRuntimeAdminIsolationEnabled = false # want AZFUNC-026
    }
  }
}

# azapi sites: absent (ARM default false) and true.
resource "azapi_resource" "absent" { # want AZFUNC-026
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-azapi-absent"
  parent_id = local.rg_id
  location  = "westeurope"
  body = {
    kind       = "functionapp,linux"
    properties = { httpsOnly = true }
  }
}

resource "azapi_resource" "isolated" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "func-azapi-isolated"
  parent_id = local.rg_id
  location  = "westeurope"
  body = {
    kind = "functionapp,linux"
    properties = {
      httpsOnly                             = true
      functionsRuntimeAdminIsolationEnabled = true
    }
  }
}
