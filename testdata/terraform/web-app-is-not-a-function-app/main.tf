# A web app is not a function app: nothing here may be reported, however
# insecure it is.
resource "azurerm_linux_web_app" "site" {
  name                = "app-not-a-function"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  https_only          = false

  site_config {
    minimum_tls_version      = "1.0"
    remote_debugging_enabled = true
  }
}
