# One function app module, called by every environment.

variable "name" {
  type = string
}

variable "https_only" {
  type    = bool
  default = true
}

variable "min_tls_version" {
  type    = string
  default = "1.2"
}

variable "remote_debugging" {
  type    = bool
  default = false
}

resource "azurerm_linux_function_app" "this" {
  name                          = var.name
  resource_group_name           = "rg-${var.name}"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "st${replace(var.name, "-", "")}"
  storage_uses_managed_identity = true
  https_only                    = var.https_only

  site_config {
    minimum_tls_version      = var.min_tls_version
    remote_debugging_enabled = var.remote_debugging
  }
}
