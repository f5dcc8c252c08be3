# Terraform's version of main.tofu. OpenTofu reads main.tofu instead, and
# so does azfuncscan: were this file read, its TLS 1.0 would be reported
# (and main.tofu's app would be a duplicate).
# want-checks AZFUNC-024 AZFUNC-025 AZFUNC-040 AZFUNC-041

resource "azurerm_linux_function_app" "app" {
  name                 = "func-tofu-from-tf"
  service_plan_id      = module.plan.id
  storage_account_name = azurerm_storage_account.host.name
  https_only           = true

  site_config {
    minimum_tls_version = "1.0"
  }
}
