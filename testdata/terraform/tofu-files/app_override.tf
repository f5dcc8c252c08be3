# Replaced by app_override.tofu: were it read, FTP basic auth would be on.
resource "azurerm_linux_function_app" "app" {
  ftp_publish_basic_authentication_enabled = true
}
