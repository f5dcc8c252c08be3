// Bicep suppressions (cmd test): the compiled main.json beside this file is
// the one of testdata/arm/bicep-source/lang2, whose source this is with
// ignore comments added.
// languageVersion 2.0 (the user-defined type makes `bicep build` emit it):
// resources keyed by symbolic name, a nested child resource, and a module
// whose template main.json embeds as a nested deployment.
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

// azfuncscan:ignore[AZFUNC-001,AZFUNC-007] reached only through the company gateway
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
      // azfuncscan:ignore[AZFUNC-041] legacy partner clients
      minTlsVersion: webTls
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
