# Override files merged as Terraform merges them. Both apps are hardened
# here; override.tf, a_override.tf, b_override.tf.json and z_override.tf
# weaken (and in one place restore) them. Findings about overridden
# values point at the override's line. Compared on the checks the
# overrides change (or would, were they merged wrongly):
# want-checks AZFUNC-001 AZFUNC-024 AZFUNC-025 AZFUNC-040 AZFUNC-041 AZFUNC-042 AZFUNC-080

resource "azurerm_storage_account" "host" {
  for_each = toset(["a", "b"])

  name                            = "stfixtureovr${each.key}"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_service_plan" "plan" {
  name                   = "asp-fixture-ovr"
  resource_group_name    = "rg-fixtures"
  location               = "westeurope"
  os_type                = "Linux"
  sku_name               = "EP1"
  zone_balancing_enabled = true
}

resource "azurerm_log_analytics_workspace" "logs" {
  name                = "log-fixture-ovr"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_application_insights" "ai" {
  name                          = "appi-fixture-ovr"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  application_type              = "web"
  workspace_id                  = azurerm_log_analytics_workspace.logs.id
  local_authentication_disabled = true
}

# override.tf turns https_only off; a_override.tf replaces the whole
# site_config block, so the scm_minimum_tls_version written here is gone
# (the platform default 1.2 applies) and its TLS 1.0 is reported there.
resource "azurerm_linux_function_app" "a" {
  name                                           = "func-ovr-a"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host["a"].name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD"
  }

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    scm_minimum_tls_version  = "1.0"
    ftps_state               = "Disabled"
    remote_debugging_enabled = false

    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }
}

variable "scm_tls" {
  type    = string
  default = "1.2"
}

locals {
  debug = false
}

# b_override.tf.json changes the variable's default, override.tf the
# local; both findings point here, where the values are used, and their
# trails start in the override files. override.tf opens public network
# access, which z_override.tf (later) closes again.
resource "azurerm_linux_function_app" "b" {
  name                                           = "func-ovr-b"
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host["b"].name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD"
  }

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = "1.2"
    scm_minimum_tls_version  = var.scm_tls     # want AZFUNC-042
    ftps_state               = "Disabled"
    remote_debugging_enabled = local.debug # want AZFUNC-080

    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }
}

resource "azurerm_monitor_diagnostic_setting" "apps" {
  for_each = {
    a = azurerm_linux_function_app.a.id
    b = azurerm_linux_function_app.b.id
  }

  name                       = "diag-${each.key}"
  target_resource_id         = each.value
  log_analytics_workspace_id = azurerm_log_analytics_workspace.logs.id

  enabled_log {
    category = "FunctionAppLogs"
  }
}
