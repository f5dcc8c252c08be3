package arm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func relatedText(rs []model.RelatedRange) string {
	var out []string
	for _, r := range rs {
		f := r.Range.Filename[strings.LastIndex(r.Range.Filename, "/")+1:]
		out = append(out, fmt.Sprintf("%s:%d:%d %s", f, r.Range.Start.Line, r.Range.Start.Column, r.Message))
	}
	return strings.Join(out, "; ")
}

// languageVersion 2.0 keeps the symbolic names: the declaration is found
// exactly, nested children as parent::child, and the resources of a local
// module in the module's file, after the module's declaration.
func TestBicepSymbolicNames(t *testing.T) {
	needEval(t)
	mainBicep := `param name string = 'func-a'

// the app
resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  kind: 'functionapp'
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'X', value: '${name}-{braces}-${format('{0}', 'y')}' }
      ]
    }
  }
  resource web 'config@2023-12-01' = {
    name: 'web'
    properties: { minTlsVersion: '1.0' }
  }
}

module other './modules/app.bicep' = {
  name: 'other-app'
}
`
	appBicep := `resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: 'func-b'
  kind: 'functionapp'
}
`
	mainJSON := `{` + schema + `,
  "languageVersion": "2.0",
  "metadata": {"_generator": {"name": "bicep"}},
  "parameters": {"name": {"type": "string", "defaultValue": "func-a"}},
  "resources": {
    "site": {"type": "Microsoft.Web/sites", "name": "[parameters('name')]", "kind": "functionapp"},
    "site::web": {"type": "Microsoft.Web/sites/config", "name": "[format('{0}/{1}', parameters('name'), 'web')]", "properties": {"minTlsVersion": "1.0"}},
    "other": {"type": "Microsoft.Resources/deployments", "name": "other-app",
      "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "template": {"languageVersion": "2.0",
        "resources": {"app": {"type": "Microsoft.Web/sites", "name": "func-b", "kind": "functionapp"}}}}}
  }
}`
	m, diags := loadFiles(t, "main.json", map[string]string{
		"main.json": mainJSON, "main.bicep": mainBicep, "modules/app.bicep": appBicep,
	}, Options{})
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/func-a")
	if got, want := relatedText(a.Related), "main.bicep:4:1 declared in Bicep here (resource site)"; got != want {
		t.Errorf("site related = %q, want %q", got, want)
	}
	b := appNamed(t, m, "Microsoft.Resources/deployments/other-app/Microsoft.Web/sites/func-b")
	if got, want := relatedText(b.Related), "main.bicep:20:1 Bicep module other is declared here; app.bicep:1:1 declared in Bicep here (resource app)"; got != want {
		t.Errorf("module app related = %q, want %q", got, want)
	}
	web := m.FunctionApps[0].SiteConfig.MinTLSVersion
	if web.V != "1.0" {
		t.Errorf("min_tls = %+v", web)
	}
}

// languageVersion 1.x: matched by type, and by name when several
// declarations share the type; an ambiguous match links nothing.
func TestBicepByTypeAndName(t *testing.T) {
	needEval(t)
	bicep := `param appName string
param otherName string

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'sthost'
  sku: { name: 'Standard_LRS' }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: appName // the main app
  kind: 'functionapp'
}

resource other 'Microsoft.Web/sites@2023-12-01' = {
  name: otherName
  kind: 'functionapp'
}
`
	tmpl := `{` + schema + `,
  "parameters": {"appName": {"type": "string", "defaultValue": "a"}, "otherName": {"type": "string", "defaultValue": "b"}},
  "resources": [
    {"type": "Microsoft.Storage/storageAccounts", "name": "sthost", "sku": {"name": "Standard_LRS"}},
    {"type": "Microsoft.Web/sites", "name": "[parameters('otherName')]", "kind": "functionapp"},
    {"type": "Microsoft.Web/sites", "name": "[parameters('appName')]", "kind": "functionapp"},
    {"type": "Microsoft.Web/sites", "name": "[concat(parameters('appName'), 'x')]", "kind": "functionapp"}
  ]}`
	m, diags := loadFiles(t, "azuredeploy.json", map[string]string{"azuredeploy.json": tmpl, "azuredeploy.bicep": bicep}, Options{})
	noErrors(t, diags)
	for addr, want := range map[string]string{
		"Microsoft.Web/sites/a":  "azuredeploy.bicep:9:1 declared in Bicep here (resource app)",
		"Microsoft.Web/sites/b":  "azuredeploy.bicep:14:1 declared in Bicep here (resource other)",
		"Microsoft.Web/sites/ax": "",
	} {
		if got := relatedText(appNamed(t, m, addr).Related); got != want {
			t.Errorf("%s related = %q, want %q", addr, got, want)
		}
	}
	if got := relatedText(m.StorageAccounts[0].Related); got != "azuredeploy.bicep:4:1 declared in Bicep here (resource storage)" {
		t.Errorf("storage related = %q", got)
	}
}

// Without a .bicep file beside it, a template has no Bicep locations.
func TestNoBicepFile(t *testing.T) {
	m, diags := loadTemplate(t, `{`+schema+`, "resources": [{"type": "Microsoft.Web/sites", "name": "f", "kind": "functionapp"}]}`)
	noErrors(t, diags)
	if len(m.FunctionApps[0].Related) != 0 {
		t.Errorf("related = %+v", m.FunctionApps[0].Related)
	}
}
