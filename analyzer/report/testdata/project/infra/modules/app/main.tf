resource "azurerm_windows_function_app" "this" {
  name = "func-win"
  site_config {
    cors {
      allowed_origins = ["*"]
    }
  }
}
