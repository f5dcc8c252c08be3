# The configuration tfplan.json was planned from (terraform plan -out
# tfplan && terraform show -json tfplan > tfplan.json). The plan sits beside
# it, so findings point here: written values at their expression, values the
# provider filled in (https_only, the basic-auth flags…) at the resource
# block header. Every credential below is fake.

variable "api_key" {
  type      = string
  sensitive = true
}

resource "azurerm_storage_account" "host" {
  name                       = "stplanhost"
  resource_group_name        = "rg-plan"
  location                   = "westeurope"
  account_tier               = "Standard"
  account_replication_type   = "LRS"
  https_traffic_only_enabled = false # want AZFUNC-063
}

resource "azurerm_storage_account" "secure" {
  name                            = "stplansecure"
  resource_group_name             = "rg-plan"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_service_plan" "plan" {
  name                = "asp-plan"
  resource_group_name = "rg-plan"
  location            = "westeurope"
  os_type             = "Linux"
  sku_name            = "EP1"
}

resource "azurerm_linux_function_app" "insecure" { # want AZFUNC-001 AZFUNC-023 AZFUNC-024 AZFUNC-025 AZFUNC-040 AZFUNC-050
  name                       = "func-plan-insecure"
  resource_group_name        = "rg-plan"
  location                   = "westeurope"
  service_plan_id            = azurerm_service_plan.plan.id
  storage_account_name       = azurerm_storage_account.host.name
  storage_account_access_key = azurerm_storage_account.host.primary_access_key

  site_config {
    minimum_tls_version      = "1.0"        # want AZFUNC-041
    ftps_state               = "AllAllowed" # want AZFUNC-043
    remote_debugging_enabled = true         # want AZFUNC-080

    application_stack {
      python_version = "3.11"
    }

    cors {
      allowed_origins = ["https://portal.contoso.com", "*"] # want AZFUNC-009
    }
  }

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    DB_PASSWORD              = "Sup3r-S3cret-Passw0rd!" # want AZFUNC-030
    API_KEY                  = var.api_key              # want AZFUNC-030
    STORAGE_CONNECTION       = azurerm_storage_account.host.primary_connection_string
  }
}

resource "azurerm_windows_function_app" "secure" {
  name                                           = "func-plan-secure"
  resource_group_name                            = "rg-plan"
  location                                       = "westeurope"
  service_plan_id                                = azurerm_service_plan.plan.id
  storage_account_name                           = azurerm_storage_account.secure.name
  storage_uses_managed_identity                  = true
  https_only                                     = true
  public_network_access_enabled                  = false
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false

  identity {
    type = "SystemAssigned"
  }

  site_config {
    application_stack {
      dotnet_version              = "v8.0"
      use_dotnet_isolated_runtime = true
    }
  }

  app_settings = {
    VAULT_SECRET = "@Microsoft.KeyVault(SecretUri=https://kv-plan.vault.azure.net/secrets/db/)"
  }
}

resource "azurerm_monitor_diagnostic_setting" "secure" {
  name                       = "diag-secure"
  target_resource_id         = azurerm_windows_function_app.secure.id
  log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-plan/providers/Microsoft.OperationalInsights/workspaces/log-plan"

  enabled_log {
    category = "FunctionAppLogs"
  }
}

resource "azurerm_private_endpoint" "secure" {
  name                = "pe-func-plan-secure"
  resource_group_name = "rg-plan"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-plan/providers/Microsoft.Network/virtualNetworks/vnet/subnets/endpoints"

  private_service_connection {
    name                           = "func-plan-secure"
    private_connection_resource_id = azurerm_windows_function_app.secure.id
    subresource_names              = ["sites"]
    is_manual_connection           = false
  }
}

# One app per region, each with its own diagnostic setting.
module "api" {
  source               = "./modules/api"
  regions              = ["east", "west"]
  service_plan_id      = azurerm_service_plan.plan.id
  storage_account_name = azurerm_storage_account.secure.name
}
