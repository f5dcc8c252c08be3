# A function app module that two environments call (envs/dev, envs/prod).
# Application Insights is never configured here, so every caller gets
# AZFUNC-052 on the resource block below.

variable "name" {
  type = string
}

variable "service_plan_id" {
  type = string
}

variable "storage_account_name" {
  type = string
}

variable "https_only" {
  type    = bool
  default = true
}

variable "minimum_tls_version" {
  type    = string
  default = "1.2"
}

resource "azurerm_linux_function_app" "this" {
  name                                           = var.name
  resource_group_name                            = "rg-changed"
  location                                       = "westeurope"
  service_plan_id                                = var.service_plan_id
  storage_account_name                           = var.storage_account_name
  storage_uses_managed_identity                  = true
  https_only                                     = var.https_only
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = var.minimum_tls_version
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
  }
}

output "app_id" {
  value = azurerm_linux_function_app.this.id
}
