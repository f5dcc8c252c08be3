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
	if got, want := relatedText(a.Related), "main.bicep:4:1 declared in Bicep here (resource site); main.json:6:13 compiled template resource here"; got != want {
		t.Errorf("site related = %q, want %q", got, want)
	}
	b := appNamed(t, m, "Microsoft.Resources/deployments/other-app/Microsoft.Web/sites/func-b")
	if got, want := relatedText(b.Related), "main.bicep:20:1 Bicep module other is declared here; app.bicep:1:1 declared in Bicep here (resource app); main.json:10:30 compiled template resource here"; got != want {
		t.Errorf("module app related = %q, want %q", got, want)
	}
	web := a.SiteConfig.MinTLSVersion
	if web.V != "1.0" {
		t.Errorf("min_tls = %+v", web)
	}
	// The values are located in Bicep: a written property at its key
	// (here in the nested child's body), a default at the declaration.
	if got := web.Range.String(); !strings.HasSuffix(got, "/main.bicep:16:19") {
		t.Errorf("min_tls at %s, want main.bicep:16:19", got)
	}
	if !strings.HasSuffix(a.Name.Range.String(), "/main.bicep:5:3") {
		t.Errorf("name at %s, want main.bicep:5:3", a.Name.Range)
	}
	if a.HTTPSOnly.Origin != model.Default || !strings.HasSuffix(a.HTTPSOnly.Range.String(), "/main.bicep:4:1") {
		t.Errorf("defaulted https_only at %s (%s), want main.bicep:4:1", a.HTTPSOnly.Range, a.HTTPSOnly.Origin)
	}
	if !strings.HasSuffix(b.HTTPSOnly.Range.String(), "/modules/app.bicep:1:1") {
		t.Errorf("module app's defaulted https_only at %s, want modules/app.bicep:1:1", b.HTTPSOnly.Range)
	}
	if !strings.HasSuffix(a.Range.String(), "/main.bicep:4:1") {
		t.Errorf("the resource is at %s, want its declaration main.bicep:4:1", a.Range)
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
		"Microsoft.Web/sites/a":  "azuredeploy.bicep:9:1 declared in Bicep here (resource app); azuredeploy.json:6:5 compiled template resource here",
		"Microsoft.Web/sites/b":  "azuredeploy.bicep:14:1 declared in Bicep here (resource other); azuredeploy.json:5:5 compiled template resource here",
		"Microsoft.Web/sites/ax": "",
	} {
		if got := relatedText(appNamed(t, m, addr).Related); got != want {
			t.Errorf("%s related = %q, want %q", addr, got, want)
		}
	}
	if got := relatedText(m.StorageAccounts[0].Related); got != "azuredeploy.bicep:4:1 declared in Bicep here (resource storage); azuredeploy.json:4:5 compiled template resource here" {
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
