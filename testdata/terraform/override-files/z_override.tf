# Read after override.tf: closes public network access again.
resource "azurerm_linux_function_app" "b" {
  public_network_access_enabled = false
}
