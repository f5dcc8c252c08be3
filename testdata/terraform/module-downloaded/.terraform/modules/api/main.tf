variable "name" {
  type = string
}

variable "https_only" {
  type    = bool
  default = true
}

module "inner" {
  source  = "example/function-app-core/azurerm"
  version = "2.1.0"

  name       = var.name
  https_only = var.https_only
}

output "app_id" {
  value = module.inner.id
}
