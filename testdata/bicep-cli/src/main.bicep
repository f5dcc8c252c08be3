// Compiled by the stand-in Bicep CLI of ../bin in tests (scan --bicep):
// no compiled template is committed beside this file. The same source as
// ../../arm/bicep-source/lang2, whose main.json is the canned output.
@description('Name prefix of every resource.')
param prefix string = 'func-bicep-v2'

type tlsVersion = '1.0' | '1.1' | '1.2'

param webTls tlsVersion = '1.1'

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${prefix}-plan'
  location: resourceGroup().location
  sku: {
    name: 'Y1'
    tier: 'Dynamic'
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: prefix
  location: resourceGroup().location
  kind: 'functionapp'
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      ftpsState: 'FtpsOnly'
    }
  }

  resource web 'config@2023-12-01' = {
    name: 'web'
    properties: {
      minTlsVersion: webTls // want AZFUNC-041
    }
  }
}

module worker './modules/worker.bicep' = {
  name: 'worker-deploy'
  params: {
    name: '${prefix}-worker'
    planId: plan.id
    httpsOnly: false
  }
}
