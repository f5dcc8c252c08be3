# AZFUNC-082: the Functions host major version; AZFUNC-083: the language
# version, against Azure Functions' support dates (as of December 2026).

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

resource "azurerm_linux_function_app" "host_v3" {
  name                        = "func-host-v3"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = local.plan_id
  storage_account_name        = "stfixture"
  functions_extension_version = "~3" # want AZFUNC-082
  site_config {
    application_stack {
      python_version = "3.9" # want AZFUNC-083
    }
  }
}

resource "azurerm_function_app" "legacy_default_host" { # want AZFUNC-082
  name                       = "func-legacy-host"
  resource_group_name        = "rg-fixtures"
  location                   = "westeurope"
  app_service_plan_id        = local.plan_id
  storage_account_name       = "stfixture"
  storage_account_access_key = var.storage_key
}

variable "storage_key" {
  type      = string
  sensitive = true
}

resource "azurerm_linux_function_app" "node20" {
  name                 = "func-node20"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {
    application_stack {
      node_version = "20" # want AZFUNC-083
    }
  }
}

resource "azurerm_windows_function_app" "in_process" {
  name                 = "func-in-process"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {
    application_stack {
      dotnet_version = "v8.0" # want AZFUNC-083
    }
  }
}

resource "azurerm_linux_function_app" "isolated8" {
  name                 = "func-isolated8"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {
    application_stack {
      dotnet_version              = "8.0" # want AZFUNC-083
      use_dotnet_isolated_runtime = true
    }
  }
}

# Supported: .NET 10 isolated, Python 3.12, Java 17, Node 22, PowerShell 7.4,
# a pinned 4.x host.
resource "azurerm_linux_function_app" "isolated10" {
  name                        = "func-isolated10"
  resource_group_name         = "rg-fixtures"
  location                    = "westeurope"
  service_plan_id             = local.plan_id
  storage_account_name        = "stfixture"
  functions_extension_version = "4.1044.400"
  site_config {
    application_stack {
      dotnet_version              = "10.0"
      use_dotnet_isolated_runtime = true
    }
  }
}

resource "azurerm_linux_function_app" "python312" {
  name                 = "func-python312"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {
    application_stack {
      python_version = "3.12"
    }
  }
}

resource "azurerm_linux_function_app" "java17" {
  name                 = "func-java17"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {
    application_stack {
      java_version = "17"
    }
  }
}

resource "azurerm_linux_function_app" "node22" {
  name                 = "func-node22"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {
    application_stack {
      node_version = "22"
    }
  }
}

resource "azurerm_windows_function_app" "powershell74" {
  name                 = "func-powershell74"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = local.plan_id
  storage_account_name = "stfixture"
  site_config {
    application_stack {
      powershell_core_version = "7.4"
    }
  }
}
