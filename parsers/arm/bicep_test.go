package arm

import (
	"fmt"
	"path/filepath"
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

// languageVersion 1 with several declarations of one type: sites named by
// interpolations, config children declared inside their parent and with
// parent:, and a copy loop (whose copy name is the symbolic name) are
// each matched to their own declaration, and their values located there.
func TestBicepMatchesCompiledNames(t *testing.T) {
	needEval(t)
	bicep := `param prefix string = 'fn'
var suffix = 'z'

resource a 'Microsoft.Web/sites@2023-12-01' = {
  name: '${prefix}-a'
  kind: 'functionapp'
  properties: {
    httpsOnly: false // a
  }
  resource aWeb 'config@2023-12-01' = {
    name: 'web'
    properties: {
      minTlsVersion: '1.0' // aWeb
    }
  }
  resource aLogs 'config@2023-12-01' = {
    name: 'logs'
    properties: {}
  }
}

resource b 'Microsoft.Web/sites@2023-12-01' = {
  name: '${prefix}-b-${suffix}'
  kind: 'functionapp'
  properties: {
    httpsOnly: true // b
  }
}

resource bWeb 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: b
  name: 'web'
  properties: {
    minTlsVersion: '1.1' // bWeb
  }
}

resource slots 'Microsoft.Web/sites/slots@2023-12-01' = [for i in range(0, 2): {
  parent: a
  name: 'slot${i}'
  kind: 'functionapp'
  properties: {
    httpsOnly: false // slots
  }
}]
`
	tmpl := `{` + schema + `,
  "metadata": {"_generator": {"name": "bicep", "version": "0.30.23.60470"}},
  "parameters": {"prefix": {"type": "string", "defaultValue": "fn"}},
  "variables": {"suffix": "z"},
  "resources": [
    {"type": "Microsoft.Web/sites/config", "apiVersion": "2023-12-01",
     "name": "[format('{0}/{1}', format('{0}-b-{1}', parameters('prefix'), variables('suffix')), 'web')]",
     "properties": {"minTlsVersion": "1.1"},
     "dependsOn": ["[resourceId('Microsoft.Web/sites', format('{0}-b-{1}', parameters('prefix'), variables('suffix')))]"]},
    {"type": "Microsoft.Web/sites/config", "apiVersion": "2023-12-01",
     "name": "[format('{0}/{1}', format('{0}-a', parameters('prefix')), 'logs')]",
     "properties": {},
     "dependsOn": ["[resourceId('Microsoft.Web/sites', format('{0}-a', parameters('prefix')))]"]},
    {"type": "Microsoft.Web/sites/config", "apiVersion": "2023-12-01",
     "name": "[format('{0}/{1}', format('{0}-a', parameters('prefix')), 'web')]",
     "properties": {"minTlsVersion": "1.0"},
     "dependsOn": ["[resourceId('Microsoft.Web/sites', format('{0}-a', parameters('prefix')))]"]},
    {"type": "Microsoft.Web/sites", "apiVersion": "2023-12-01",
     "name": "[format('{0}-a', parameters('prefix'))]", "kind": "functionapp",
     "properties": {"httpsOnly": false}},
    {"type": "Microsoft.Web/sites", "apiVersion": "2023-12-01",
     "name": "[format('{0}-b-{1}', parameters('prefix'), variables('suffix'))]", "kind": "functionapp",
     "properties": {"httpsOnly": true}},
    {"copy": {"name": "slots", "count": "[length(range(0, 2))]"},
     "type": "Microsoft.Web/sites/slots", "apiVersion": "2023-12-01",
     "name": "[format('{0}/{1}', format('{0}-a', parameters('prefix')), format('slot{0}', range(0, 2)[copyIndex()]))]",
     "kind": "functionapp", "properties": {"httpsOnly": false},
     "dependsOn": ["[resourceId('Microsoft.Web/sites', format('{0}-a', parameters('prefix')))]"]}
  ]}`
	m, diags := loadFiles(t, "main.json", map[string]string{"main.json": tmpl, "main.bicep": bicep}, Options{})
	noErrors(t, diags)
	at := func(what string, r model.Range, needle string) {
		t.Helper()
		want := lineOf(bicep, needle)
		if filepath.Base(r.Filename) != "main.bicep" || r.Start.Line != want {
			t.Errorf("%s at %s, want main.bicep:%d (%s)", what, r, want, needle)
		}
	}
	a := appNamed(t, m, "Microsoft.Web/sites/fn-a")
	b := appNamed(t, m, "Microsoft.Web/sites/fn-b-z")
	at("a https_only", a.HTTPSOnly.Range, "// a\n")
	at("a min_tls", a.SiteConfig.MinTLSVersion.Range, "// aWeb")
	at("b https_only", b.HTTPSOnly.Range, "// b\n")
	at("b min_tls", b.SiteConfig.MinTLSVersion.Range, "// bWeb")
	at("b", b.Range, "resource b ")
	for _, s := range []string{"Microsoft.Web/sites/fn-a/slots/slot0[0]", "Microsoft.Web/sites/fn-a/slots/slot1[1]"} {
		at(s+" https_only", appNamed(t, m, s).HTTPSOnly.Range, "// slots")
	}
}

// A .bicep file with a syntax error is read as far as it goes, with one
// warning at the first error; the values after it are still located in
// Bicep.
func TestBicepSyntaxErrorWarns(t *testing.T) {
	needEval(t)
	bicep := `param name string = 'f'
var broken = {
  x: 1 2
}
resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  kind: 'functionapp'
  properties: {
    httpsOnly: false
  }
}
`
	tmpl := `{` + schema + `,
  "parameters": {"name": {"type": "string", "defaultValue": "f"}},
  "resources": [{"type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "[parameters('name')]", "kind": "functionapp", "properties": {"httpsOnly": false}}]}`
	m, diags := loadFiles(t, "main.json", map[string]string{"main.json": tmpl, "main.bicep": bicep}, Options{})
	var warned []string
	for _, d := range diags {
		if d.Summary == "Bicep source read in part" {
			warned = append(warned, fmt.Sprintf("%s:%d:%d %s", filepath.Base(d.Range.Filename), d.Range.Start.Line, d.Range.Start.Column, d.Detail))
		} else if d.Severity != model.SevInfo {
			t.Errorf("diagnostic %s: %s", d.Summary, d.Detail)
		}
	}
	if len(warned) != 1 || !strings.HasPrefix(warned[0], "main.bicep:3:8 ") {
		t.Errorf("warnings = %q, want one at main.bicep:3:8", warned)
	}
	if r := m.FunctionApps[0].HTTPSOnly.Range; filepath.Base(r.Filename) != "main.bicep" || r.Start.Line != 9 {
		t.Errorf("https_only at %s, want main.bicep:9", r)
	}
}

// A property loop (compiled to a copy array) is located at the Bicep
// property whose value is the for expression, and a trail hop at a
// compiled variable's member at the member of the Bicep var.
func TestBicepPropertyLoopAndVariable(t *testing.T) {
	needEval(t)
	bicep := `param origins array = [
  '10.0.0.1/32'
]
var cfg = {
  tls: '1.0'
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'f'
  kind: 'functionapp'
  properties: {
    siteConfig: {
      minTlsVersion: cfg.tls
      ipSecurityRestrictions: [for (o, i) in origins: {
        ipAddress: o
        priority: 100 + i
      }]
    }
  }
}
`
	tmpl := `{` + schema + `,
  "parameters": {"origins": {"type": "array", "defaultValue": ["10.0.0.1/32"]}},
  "variables": {"cfg": {"tls": "1.0"}},
  "resources": [{"type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "f", "kind": "functionapp",
    "properties": {"siteConfig": {
      "copy": [{"name": "ipSecurityRestrictions", "count": "[length(parameters('origins'))]",
        "input": {"ipAddress": "[parameters('origins')[copyIndex('ipSecurityRestrictions')]]", "priority": "[add(100, copyIndex('ipSecurityRestrictions'))]"}}],
      "minTlsVersion": "[variables('cfg').tls]"}}}]}`
	m, diags := loadFiles(t, "main.json", map[string]string{"main.json": tmpl, "main.bicep": bicep}, Options{})
	noErrors(t, diags)
	a := m.FunctionApps[0]
	tls := a.SiteConfig.MinTLSVersion
	if tls.V != "1.0" || filepath.Base(tls.Range.Filename) != "main.bicep" || tls.Range.Start.Line != lineOf(bicep, "minTlsVersion: cfg.tls") {
		t.Errorf("min_tls = %q at %s", tls.V, tls.Range)
	}
	var hops []string
	for _, h := range tls.Trail.Hops() {
		hops = append(hops, fmt.Sprintf("%s %s:%d", h.Kind, filepath.Base(h.Range.Filename), h.Range.Start.Line))
	}
	if got, want := strings.Join(hops, "; "), fmt.Sprintf("variable main.bicep:%d", lineOf(bicep, "tls: '1.0'")); got != want {
		t.Errorf("min_tls trail = %q, want %q", got, want)
	}
	ips := a.SiteConfig.IPRestrictions
	if len(ips.Items) != 1 {
		t.Fatalf("ip restrictions = %+v", ips)
	}
	loopLine := lineOf(bicep, "ipSecurityRestrictions: [for")
	if r := ips.Items[0].IPAddress.Range; filepath.Base(r.Filename) != "main.bicep" || r.Start.Line != loopLine {
		t.Errorf("ip address at %s, want main.bicep:%d", r, loopLine)
	}
}
