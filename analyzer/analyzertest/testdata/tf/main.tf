# Fixture of the analyzertest self-test; the fake loader mirrors it.
resource "azurerm_linux_function_app" "a" {
  name       = "func-a"
  https_only = false # want AZFUNC-040

  site_config {
    minimum_tls_version      = var.tls # want-undetermined AZFUNC-041
    remote_debugging_enabled = true    // want AZFUNC-080
  }
}

# The checks this fixture is compared on, besides those its wants name.
# want-checks AZFUNC-025
