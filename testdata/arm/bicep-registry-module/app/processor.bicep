// Deploys the site through a registry module: its source is not here.
param appName string

module site 'br/public:avm/res/web/site:0.19.3' = {
  name: 'processor-site'
  params: {
    name: appName
    kind: 'functionapp'
  }
}
