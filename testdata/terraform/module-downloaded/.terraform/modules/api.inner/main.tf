variable "name" {
  type = string
}

variable "https_only" {
  type = bool
}

resource "azurerm_linux_function_app" "this" {
  name                                           = var.name
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name                           = "stdownloaded"
  storage_uses_managed_identity                  = true
  https_only                                     = var.https_only # want AZFUNC-040
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
  }
}

output "id" {
  value = azurerm_linux_function_app.this.id
}
