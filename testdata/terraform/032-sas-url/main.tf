# AZFUNC-032: package and backup URLs with an embedded SAS token.

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
}

resource "azurerm_storage_account" "packages" {
  name                     = "stfixturepackages"
  resource_group_name      = "rg-fixtures"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

resource "azurerm_storage_container" "packages" {
  name               = "packages"
  storage_account_id = azurerm_storage_account.packages.id
}

resource "azurerm_storage_blob" "package" {
  name                   = "app.zip"
  storage_account_name   = azurerm_storage_account.packages.name
  storage_container_name = azurerm_storage_container.packages.name
  type                   = "Block"
  source                 = "app.zip"
}

data "azurerm_storage_account_blob_container_sas" "package" {
  connection_string = azurerm_storage_account.packages.primary_connection_string
  container_name    = azurerm_storage_container.packages.name
  https_only        = true
  start             = "2026-01-01"
  expiry            = "2027-01-01"
  permissions {
    read   = true
    add    = false
    create = false
    write  = false
    delete = false
    list   = false
  }
}

# A SAS written into the package URL.
resource "azurerm_linux_function_app" "literal_sas" {
  name                          = "func-literal-sas"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}
  app_settings = {
    WEBSITE_RUN_FROM_PACKAGE = "https://stfixturepackages.blob.core.windows.net/packages/app.zip?sv=2022-11-02&sr=b&sp=r&se=2027-01-01&sig=ZmFrZS1maXh0dXJlLXNpZw%3D%3D" # want AZFUNC-032
  }
}

# A SAS generated at apply time and appended to the blob URL.
resource "azurerm_linux_function_app" "generated_sas" {
  name                          = "func-generated-sas"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}
  app_settings = {
    WEBSITE_RUN_FROM_PACKAGE = data.azurerm_storage_account_blob_container_sas.package.sas # want AZFUNC-032
  }
}

# Passing: a plain blob URL read with the app's identity, and a package
# deployed to the app.
resource "azurerm_linux_function_app" "identity" {
  name                          = "func-identity"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}
  identity {
    type = "SystemAssigned"
  }
  app_settings = {
    WEBSITE_RUN_FROM_PACKAGE = azurerm_storage_blob.package.url
  }
}

resource "azurerm_windows_function_app" "deployed" {
  name                          = "func-deployed"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}
  app_settings = {
    WEBSITE_RUN_FROM_PACKAGE = "1"
  }
}

# A backup whose SAS URL is written in the code.
resource "azurerm_linux_function_app" "backup" {
  name                          = "func-backup"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = "sthost"
  storage_uses_managed_identity = true
  site_config {}

  backup {
    name                = "nightly"
    storage_account_url = "https://stfixturebackups.blob.core.windows.net/backups?sv=2022-11-02&sr=c&sp=rwdl&se=2027-01-01&sig=ZmFrZS1iYWNrdXAtc2ln" # want AZFUNC-032
    schedule {
      frequency_interval = 1
      frequency_unit     = "Day"
    }
  }
}
