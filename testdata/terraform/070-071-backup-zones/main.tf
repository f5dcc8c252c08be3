# AZFUNC-070: backups on plans that offer them (Standard, Premium,
# Isolated); AZFUNC-071 (opt-in): zone-redundant plans.

resource "azurerm_service_plan" "standard" { # want AZFUNC-071
  name                = "asp-standard"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "S1"
}

resource "azurerm_service_plan" "premium_zonal" {
  name                   = "asp-premium-zonal"
  resource_group_name    = "rg-fixtures"
  location               = "westeurope"
  os_type                = "Linux"
  sku_name               = "P1v3"
  worker_count           = 3
  zone_balancing_enabled = true
}

resource "azurerm_service_plan" "consumption" {
  name                = "asp-consumption"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "Y1"
}

resource "azurerm_service_plan" "elastic" { # want AZFUNC-071
  name                = "asp-elastic"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

# 070: Standard plan, no backup block.
resource "azurerm_linux_function_app" "no_backup" { # want AZFUNC-070
  name                 = "func-no-backup"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.standard.id
  storage_account_name = "stfixture"
  site_config {}
}

# 070: a backup block that is turned off.
resource "azurerm_linux_function_app" "backup_off" {
  name                 = "func-backup-off"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.premium_zonal.id
  storage_account_name = "stfixture"
  site_config {}

  backup {
    name                = "nightly"
    enabled             = false # want AZFUNC-070
    storage_account_url = var.backup_sas_url
    schedule {
      frequency_interval = 1
      frequency_unit     = "Day"
    }
  }
}

variable "backup_sas_url" {
  type      = string
  sensitive = true
}

# Passing: a backup on Premium; no backup on Consumption or Elastic
# Premium is not applicable.
resource "azurerm_linux_function_app" "backed_up" {
  name                 = "func-backed-up"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.premium_zonal.id
  storage_account_name = "stfixture"
  site_config {}

  backup {
    name                = "nightly"
    storage_account_url = var.backup_sas_url
    schedule {
      frequency_interval = 1
      frequency_unit     = "Day"
    }
  }
}

resource "azurerm_linux_function_app" "consumption" {
  name                 = "func-consumption"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.consumption.id
  storage_account_name = "stfixture"
  site_config {}
}

resource "azurerm_linux_function_app" "elastic" {
  name                 = "func-elastic"
  resource_group_name  = "rg-fixtures"
  location             = "westeurope"
  service_plan_id      = azurerm_service_plan.elastic.id
  storage_account_name = "stfixture"
  site_config {}
}
