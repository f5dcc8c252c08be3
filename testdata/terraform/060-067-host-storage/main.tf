# AZFUNC-060 to 067: the host storage account of each app, hardened but
# for one property per account. Every app has an account of its own
# (except the pair sharing one, for 067) and uses its identity.
# want-checks AZFUNC-060 AZFUNC-061 AZFUNC-062 AZFUNC-064 AZFUNC-065 AZFUNC-066 AZFUNC-067

locals {
  plan_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Web/serverFarms/asp"
  subnet  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps"
  pe_net  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe"
}

# 060: public and the firewall allows everything (no network_rules).
resource "azurerm_storage_account" "open" { # want AZFUNC-060
  name                            = "stopen"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = true
}

resource "azurerm_linux_function_app" "open" {
  name                          = "func-open"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.open.name
  storage_uses_managed_identity = true
  site_config {}
}

# 060 passes: public, but the firewall denies by default.
resource "azurerm_storage_account" "firewalled" {
  name                            = "stfirewalled"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = true

  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices"]
  }
}

resource "azurerm_linux_function_app" "firewalled" {
  name                          = "func-firewalled"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.firewalled.name
  storage_uses_managed_identity = true
  site_config {}
}

# 061: the app uses its identity, the account still takes keys.
resource "azurerm_storage_account" "sharedkey" {
  name                            = "stsharedkey"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = true # want AZFUNC-061
  public_network_access_enabled   = false
}

resource "azurerm_linux_function_app" "sharedkey" {
  name                          = "func-sharedkey"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.sharedkey.name
  storage_uses_managed_identity = true
  site_config {}
}

# 061 exempt: an Azure Files content share needs the key.
resource "azurerm_storage_account" "contentshare" {
  name                            = "stcontentshare"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = true
  public_network_access_enabled   = false
}

resource "azurerm_linux_function_app" "contentshare" {
  name                          = "func-contentshare"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.contentshare.name
  storage_uses_managed_identity = true
  app_settings = {
    WEBSITE_CONTENTAZUREFILECONNECTIONSTRING = azurerm_storage_account.contentshare.primary_connection_string
  }
  site_config {}
}

# 061 not applicable: the app connects with the key (that is AZFUNC-031).
resource "azurerm_storage_account" "keyapp" {
  name                            = "stkeyapp"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = true
  public_network_access_enabled   = false
}

resource "azurerm_linux_function_app" "keyapp" {
  name                          = "func-keyapp"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.keyapp.name
  storage_uses_managed_identity = false
  storage_account_access_key    = azurerm_storage_account.keyapp.primary_access_key
  site_config {}
}

# 062: TLS 1.0 written; 1.1 through a variable.
resource "azurerm_storage_account" "tls10" {
  name                            = "sttls10"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_0" # want AZFUNC-062
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_linux_function_app" "tls10" {
  name                          = "func-tls10"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.tls10.name
  storage_uses_managed_identity = true
  site_config {}
}

variable "storage_tls" {
  type    = string
  default = "TLS1_1"
}

resource "azurerm_storage_account" "tls11" {
  name                            = "sttls11"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = var.storage_tls # want AZFUNC-062
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_linux_function_app" "tls11" {
  name                          = "func-tls11"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.tls11.name
  storage_uses_managed_identity = true
  site_config {}
}

# 064: anonymous blob access allowed explicitly, and by the 3.x/4.x default.
resource "azurerm_storage_account" "publicblob" {
  name                            = "stpublicblob"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "GZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = true # want AZFUNC-064
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_linux_function_app" "publicblob" {
  name                          = "func-publicblob"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.publicblob.name
  storage_uses_managed_identity = true
  site_config {}
}

resource "azurerm_storage_account" "publicdefault" { # want AZFUNC-064
  name                          = "stpublicdefault"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "GZRS"
  min_tls_version               = "TLS1_2"
  https_traffic_only_enabled    = true
  shared_access_key_enabled     = false
  public_network_access_enabled = false
}

resource "azurerm_linux_function_app" "publicdefault" {
  name                          = "func-publicdefault"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.publicdefault.name
  storage_uses_managed_identity = true
  site_config {}
}

# 065 (opt-in): locally or zone-redundant only.
resource "azurerm_storage_account" "lrs" {
  name                            = "stlrs"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS" # want AZFUNC-065
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_linux_function_app" "lrs" {
  name                          = "func-lrs"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.lrs.name
  storage_uses_managed_identity = true
  site_config {}
}

resource "azurerm_storage_account" "ragzrs" {
  name                            = "stragzrs"
  resource_group_name             = "rg-fixtures"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "RAGZRS"
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  public_network_access_enabled   = false
}

resource "azurerm_linux_function_app" "ragzrs" {
  name                          = "func-ragzrs"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.ragzrs.name
  storage_uses_managed_identity = true
  site_config {}
}

# 066: VNet-integrated, host storage without a private endpoint.
resource "azurerm_storage_account" "nope" { # want AZFUNC-066
  name                            = "stnope"
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

resource "azurerm_linux_function_app" "vnet_nope" {
  name                          = "func-vnet-nope"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.nope.name
  storage_uses_managed_identity = true
  virtual_network_subnet_id     = local.subnet
  site_config {}
}

# 066 passes: a blob private endpoint.
resource "azurerm_storage_account" "withpe" {
  name                            = "stwithpe"
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

resource "azurerm_linux_function_app" "vnet_pe" {
  name                          = "func-vnet-pe"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.withpe.name
  storage_uses_managed_identity = true
  virtual_network_subnet_id     = local.subnet
  site_config {}
}

resource "azurerm_private_endpoint" "withpe_blob" {
  name                = "pe-withpe_blob"
  resource_group_name = "rg-fixtures"
  location            = "westeurope"
  subnet_id           = local.pe_net

  private_service_connection {
    name                           = "withpe_blob"
    private_connection_resource_id = azurerm_storage_account.withpe.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}

# 067 (opt-in): two apps on one account.
resource "azurerm_storage_account" "shared" { # want AZFUNC-067
  name                            = "stshared"
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

resource "azurerm_linux_function_app" "shared_a" {
  name                          = "func-shared-a"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.shared.name
  storage_uses_managed_identity = true
  site_config {}
}

resource "azurerm_linux_function_app" "shared_b" {
  name                          = "func-shared-b"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = local.plan_id
  storage_account_name          = azurerm_storage_account.shared.name
  storage_uses_managed_identity = true
  site_config {}
}
