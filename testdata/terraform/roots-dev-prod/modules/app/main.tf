# One function app module, called from envs/dev and envs/prod. Its values
# come from the roots' terraform.tfvars: findings point here, at the
# attribute, and their trail starts at the tfvars line that decided. Only
# dev is insecure, so every expectation here is a dev finding.

locals {
  tls = var.min_tls_version
}

resource "azurerm_storage_account" "host" {
  name                            = "st${replace(var.name, "-", "")}"
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
  name                   = "asp-${var.name}"
  resource_group_name    = "rg-fixtures"
  location               = "westeurope"
  os_type                = "Linux"
  sku_name               = "EP1"
  zone_balancing_enabled = true
}

resource "azurerm_log_analytics_workspace" "telemetry" {
  name                = "log-telemetry-${var.name}"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
}

resource "azurerm_application_insights" "ai" {
  name                          = "appi-${var.name}"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  application_type              = "web"
  workspace_id                  = azurerm_log_analytics_workspace.telemetry.id
  local_authentication_disabled = true
}

resource "azurerm_linux_function_app" "this" {
  name                                           = var.name
  resource_group_name                            = "rg-fixtures"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.host.name
  storage_uses_managed_identity                  = true
  https_only                                     = var.https_only # want AZFUNC-040
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  builtin_logging_enabled                        = false
  virtual_network_subnet_id                      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/apps"

  app_settings = {
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING = "Authorization=AAD"
    AzureWebJobsSecretStorageType             = "keyvault"
    AzureWebJobsSecretStorageKeyVaultUri      = "https://kv-fixture-roots.vault.azure.net/"
  }

  identity {
    type = "SystemAssigned"
  }

  site_config {
    minimum_tls_version      = local.tls # want AZFUNC-041
    ftps_state               = "Disabled"
    remote_debugging_enabled = false
    vnet_route_all_enabled   = true

    application_insights_connection_string = azurerm_application_insights.ai.connection_string
  }

  client_certificate_enabled = true
  client_certificate_mode    = "Required"

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"

    active_directory_v2 {
      client_id            = "00000000-0000-0000-0000-000000000001"
      tenant_auth_endpoint = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000002/v2.0"
    }

    login {}
  }
}

# The azurerm provider cannot isolate the Functions host /admin endpoints.
resource "azapi_update_resource" "admin_isolation" {
  type        = "Microsoft.Web/sites@2024-04-01"
  resource_id = azurerm_linux_function_app.this.id
  body = {
    properties = { functionsRuntimeAdminIsolationEnabled = true }
  }
}

resource "azurerm_private_endpoint" "app" {
  name                = "pe-${var.name}"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "app"
    private_connection_resource_id = azurerm_linux_function_app.this.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "host_blob" {
  name                = "pe-${var.name}-blob"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet-fixtures/subnets/endpoints"

  private_service_connection {
    name                           = "host-blob"
    private_connection_resource_id = azurerm_storage_account.host.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}

output "app_id" {
  value = azurerm_linux_function_app.this.id
}
