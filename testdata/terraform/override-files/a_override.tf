resource "azurerm_linux_function_app" "a" {
  site_config {
    minimum_tls_version      = "1.0" # want AZFUNC-041
    ftps_state               = "Disabled"
    remote_debugging_enabled = false

    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }
}
