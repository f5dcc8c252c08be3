// main.json is compiled from this file. The processor module deploys a
// registry module, whose template main.json embeds two nested
// deployments deep: the app it declares is in no local .bicep file, so
// its findings stay on main.json's lines, which are build output all the
// same (no fix edits them).
param appName string = 'func-registry'

module processor 'app/processor.bicep' = {
  name: 'processor'
  params: {
    appName: appName
  }
}
