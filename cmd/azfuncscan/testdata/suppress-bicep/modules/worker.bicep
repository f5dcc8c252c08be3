// A module: main.json holds its compiled template inside the worker
// deployment. Its own template needs nothing of languageVersion 2.0, so
// it is compiled as languageVersion 1.
param name string
param planId string
param httpsOnly bool

resource worker 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: resourceGroup().location
  kind: 'functionapp'
  properties: {
    serverFarmId: planId
    httpsOnly: httpsOnly // azfuncscan:ignore[AZFUNC-040]
  }
}
