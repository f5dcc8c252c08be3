# An azapi site whose kind is "app" is a web app, not a function app: no
# check applies to it or to its children, whatever their settings.

resource "azapi_resource" "web" {
  type      = "Microsoft.Web/sites@2024-04-01"
  name      = "app-azapi-web"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fixtures"
  location  = "westeurope"
  body = {
    kind = "app,linux"
    properties = {
      httpsOnly = false
      siteConfig = {
        ftpsState              = "AllAllowed"
        remoteDebuggingEnabled = true
        cors                   = { allowedOrigins = ["*"] }
      }
    }
  }
}

resource "azapi_resource" "web_ftp" {
  type      = "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01"
  name      = "ftp"
  parent_id = azapi_resource.web.id
  body      = { properties = { allow = true } }
}

resource "azapi_resource" "web_config" {
  type      = "Microsoft.Web/sites/config@2023-12-01"
  name      = "appsettings"
  parent_id = azapi_resource.web.id
  body = {
    properties = {
      DB_PASSWORD = "Password=hunter2-in-plain-text"
    }
  }
}
