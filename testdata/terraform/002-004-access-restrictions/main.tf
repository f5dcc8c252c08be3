# Access restrictions (AZFUNC-002, 003, 004).

# 002: rules without ip_restriction_default_action: azurerm sends Allow (>= 3.95),
# so unmatched traffic is still let through (TF absent = FAIL).
resource "azurerm_linux_function_app" "rules_no_default" { # want AZFUNC-002
  name                          = "func-ar-rules-no-default"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true

  site_config {
    ip_restriction {
      name       = "office"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
    scm_use_main_ip_restriction = true
  }
}

# 002: rules with an explicit Allow default action.
resource "azurerm_linux_function_app" "rules_allow" {
  name                          = "func-ar-rules-allow"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true

  site_config {
    ip_restriction_default_action = "Allow" # want AZFUNC-002
    scm_use_main_ip_restriction   = true
    ip_restriction {
      name       = "office"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
  }
}

# Pass 002; 004: the main site denies, Kudu uses neither its rules nor a deny (both defaulted).
resource "azurerm_linux_function_app" "scm_open" { # want AZFUNC-004
  name                          = "func-ar-scm-open"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true

  site_config {
    ip_restriction_default_action = "Deny"
    ip_restriction {
      name       = "office"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
  }
}

# Pass: Kudu uses the main site's rules.
resource "azurerm_linux_function_app" "scm_use_main" {
  name                          = "func-ar-scm-use-main"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true

  site_config {
    ip_restriction_default_action = "Deny"
    scm_use_main_ip_restriction   = true
    ip_restriction {
      name       = "office"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
  }
}

# 004: Kudu rules without scm_ip_restriction_default_action still allow unmatched traffic.
resource "azurerm_linux_function_app" "scm_rules_no_default" { # want AZFUNC-004
  name                          = "func-ar-scm-rules-no-default"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true

  site_config {
    ip_restriction_default_action = "Deny"
    ip_restriction {
      name       = "office"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
    scm_ip_restriction {
      name       = "build-agents"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
  }
}

# Pass: Kudu has its own rules and denies the rest.
resource "azurerm_linux_function_app" "scm_deny" {
  name                          = "func-ar-scm-deny"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true

  site_config {
    ip_restriction_default_action     = "Deny"
    scm_ip_restriction_default_action = "Deny"
    ip_restriction {
      name       = "office"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
    scm_ip_restriction {
      name       = "build-agents"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
  }
}

# Not applicable: public network access is off, access restrictions do not apply.
resource "azurerm_linux_function_app" "private" {
  name                          = "func-ar-private"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true
  public_network_access_enabled = false

  site_config {
    ip_restriction {
      name       = "office"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
    ip_restriction {
      action     = "Allow"
      ip_address = "0.0.0.0/0"
    }
  }
}

# Not applicable to 002: no rules at all (the app is simply public, AZFUNC-001).
resource "azurerm_linux_function_app" "no_rules" {
  name                          = "func-ar-no-rules"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true

  site_config {
    minimum_tls_version = "1.2"
  }
}

# 003: allow-any rules on the main site and on Kudu; a Deny rule for any source and a
# service-tag rule pass.
resource "azurerm_linux_function_app" "allow_any" {
  name                          = "func-ar-allow-any"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true

  site_config {
    ip_restriction_default_action     = "Deny"
    scm_ip_restriction_default_action = "Deny"

    ip_restriction {
      name       = "everyone"
      ip_address = "0.0.0.0/0" # want AZFUNC-003
    }
    ip_restriction {
      name       = "block-all"
      action     = "Deny"
      ip_address = "0.0.0.0/0"
    }
    ip_restriction {
      name        = "front-door"
      service_tag = "AzureFrontDoor.Backend"
    }
    scm_ip_restriction {
      name       = "everyone-v6"
      action     = "Allow"
      ip_address = "::/0" # want AZFUNC-003
    }
  }
}

# Legacy azurerm_function_app has no default-action argument: with rules the platform
# denies unmatched traffic (002 passes); Kudu without rules stays open (004).
resource "azurerm_function_app" "legacy" { # want AZFUNC-004
  name                          = "func-ar-legacy"
  resource_group_name           = "rg-fixtures"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/asp"
  storage_account_name          = "starfixtures"
  storage_uses_managed_identity = true
  storage_account_access_key    = "@Microsoft.KeyVault(SecretUri=https://kv-fixtures.vault.azure.net/secrets/st/)"

  site_config {
    ip_restriction {
      name       = "office"
      action     = "Allow"
      ip_address = "203.0.113.0/24"
      priority   = 100
    }
  }
}

