module "app" {
  source = "./modules/app"
}

resource "azurerm_linux_function_app" "api" {
  name                = "func-api"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan"

	https_only = false

  app_settings = {
    DB_PASSWORD = "hunter2"
  }

  site_config {
    minimum_tls_version = "1.0"
  }
}
