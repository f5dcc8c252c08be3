resource "azurerm_linux_function_app" "a" {
  https_only = false # want AZFUNC-040
}

resource "azurerm_linux_function_app" "b" {
  public_network_access_enabled = true
}

locals {
  debug = true
}

# No other file declares this app: Terraform refuses the override.
# want-diag "Nothing to override"
resource "azurerm_linux_function_app" "missing" {
  https_only = false
}
