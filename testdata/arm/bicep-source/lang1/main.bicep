// A function app in Bicep; main.json beside it is what `bicep build`
// emits for it (languageVersion 1: resources as an array). Findings point
// here, at the property that decides them, or at the declaration when the
// platform default decides.
param location string = resourceGroup().location
param appName string = 'func-bicep-v1'

@allowed([
  '1.0'
  '1.1'
  '1.2'
])
param minTls string = '1.0'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: 'asp-bicep-v1'
  location: location
  sku: {
    name: 'Y1'
    tier: 'Dynamic'
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = { // want AZFUNC-043
  name: appName
  location: location
  kind: 'functionapp'
  properties: {
    serverFarmId: plan.id
    httpsOnly: false // want AZFUNC-040
    siteConfig: {
      minTlsVersion: minTls // want AZFUNC-041
      remoteDebuggingEnabled: true // want AZFUNC-080
    }
  }
}
