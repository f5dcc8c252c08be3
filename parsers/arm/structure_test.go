package arm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// A literal site: values at their JSON text, defaults at the "type" line,
// the address from type and name.
func TestLiteralSite(t *testing.T) {
	src := `{
  ` + schema + `,
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-12-01",
      "name": "func-orders",
      "kind": "functionapp,linux",
      "properties": {
        "httpsOnly": false,
        "siteConfig": {"minTlsVersion": 1.2}
      }
    }
  ]
}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	if m.Format != model.ARM || !strings.HasSuffix(m.Path, "azuredeploy.json") {
		t.Errorf("module %s %s", m.Format, m.Path)
	}
	a := appNamed(t, m, "Microsoft.Web/sites/func-orders")
	if a.Type != "Microsoft.Web/sites" || a.Range.Start.Line != lineOf(src, `    {`) {
		t.Errorf("resource = %+v", a.Resource)
	}
	if a.Name.V != "func-orders" || a.Name.Range.Start.Line != lineOf(src, `"name"`) {
		t.Errorf("name = %+v", a.Name)
	}
	if a.HTTPSOnly.V || a.HTTPSOnly.Origin != model.Explicit || a.HTTPSOnly.Range.Start.Line != lineOf(src, `"httpsOnly"`) || a.HTTPSOnly.Range.Start.Column != 22 {
		t.Errorf("https_only = %+v", a.HTTPSOnly)
	}
	if v := a.SiteConfig.MinTLSVersion; v.V != "1.2" || v.Origin != model.Explicit {
		t.Errorf("min_tls = %+v", v)
	}
	// Defaults are blamed on the "type" line of the resource.
	if v := a.ClientCertEnabled; v.Origin != model.Default || v.Range.Start.Line != lineOf(src, `"type"`) || v.Resource != a.Address {
		t.Errorf("client_cert_enabled = %+v", v)
	}
	if a.Flavor.V != "linux" || a.IsSlot.V {
		t.Errorf("flavor %q slot %v", a.Flavor.V, a.IsSlot.V)
	}
}

// Evaluated values are located at the string that held the expression;
// a securestring parameter without a value is unknown and a sensitive
// input; defaults of parameters apply.
func TestParametersAndVariables(t *testing.T) {
	needEval(t)
	src := `{
  ` + schema + `,
  "parameters": {
    "name": {"type": "string", "defaultValue": "func-a"},
    "tls": {"type": "string", "defaultValue": "[variables('tls')]"},
    "dbPassword": {"type": "securestring"},
    "plain": {"type": "string"}
  },
  "variables": {
    "tls": "1.0",
    "copy": [{"name": "origins", "count": 2, "input": "[format('https://{0}.example.com', copyIndex('origins'))]"}]
  },
  "resources": [{
    "type": "Microsoft.Web/sites",
    "name": "[parameters('name')]",
    "kind": "functionapp",
    "properties": {
      "siteConfig": {
        "minTlsVersion": "[parameters('tls')]",
        "cors": {"allowedOrigins": "[variables('origins')]"},
        "appSettings": [
          {"name": "DB_PASSWORD", "value": "[parameters('dbPassword')]"},
          {"name": "PLAIN", "value": "[parameters('plain')]"},
          {"name": "BUILT", "value": "[concat('pw=', parameters('dbPassword'))]"}
        ]
      }
    }
  }]
}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/func-a")
	if v := a.SiteConfig.MinTLSVersion; v.V != "1.0" || v.Origin != model.Explicit || v.Range.Start.Line != lineOf(src, `"minTlsVersion"`) {
		t.Errorf("min_tls = %+v", v)
	}
	origins := a.SiteConfig.CORS.AllowedOrigins
	if len(origins.Items) != 2 || origins.Items[1].V != "https://1.example.com" || origins.Items[1].Range.Start.Line != lineOf(src, `"allowedOrigins"`) {
		t.Errorf("origins = %+v", origins)
	}
	settings := map[string]*model.Setting{}
	for _, s := range a.AppSettings.Items {
		settings[s.Name.V] = s
	}
	if s := settings["DB_PASSWORD"]; s == nil || s.Value.Origin != model.Unknown || s.Source.V != string(model.SourceSensitiveInput) {
		t.Errorf("DB_PASSWORD = %+v", s)
	}
	if s := settings["PLAIN"]; s == nil || s.Value.Origin != model.Unknown || s.Source.V != string(model.SourceUnknown) || !strings.Contains(s.Value.Note, "plain") {
		t.Errorf("PLAIN = %+v", s)
	}
	if s := settings["BUILT"]; s == nil || s.Source.V != string(model.SourceSensitiveInput) {
		t.Errorf("BUILT = %+v", s)
	}
}

// A securestring parameter with a value (a parameter file) is known, and
// still a sensitive input.
func TestSecureParameterWithValue(t *testing.T) {
	needEval(t)
	tmpl := `{` + schema + `, "parameters": {"pw": {"type": "securestring"}},
  "resources": [{"type": "Microsoft.Web/sites", "name": "f", "kind": "functionapp",
    "properties": {"siteConfig": {"appSettings": [{"name": "PW", "value": "[parameters('pw')]"}]}}}]}`
	m, diags := loadFiles(t, "main.json", map[string]string{"main.json": tmpl, "main.parameters.json": `{"parameters": {"pw": {"value": "hunter2"}}}`}, Options{})
	noErrors(t, diags)
	s := m.FunctionApps[0].AppSettings.Items[0]
	if s.Value.V != "hunter2" || s.Source.V != string(model.SourceSensitiveInput) {
		t.Errorf("PW = %+v", s)
	}
	kv := `{"parameters": {"pw": {"reference": {"keyVault": {"id": "/subscriptions/x/resourceGroups/y/providers/Microsoft.KeyVault/vaults/kv"}, "secretName": "pw"}}}}`
	m, diags = loadFiles(t, "main.json", map[string]string{"main.json": tmpl, "main.parameters.json": kv}, Options{})
	noErrors(t, diags)
	if s := m.FunctionApps[0].AppSettings.Items[0]; s.Value.Origin != model.Unknown || s.Source.V != string(model.SourceSensitiveInput) {
		t.Errorf("PW from Key Vault = %+v", s)
	}
}

func TestUserDefinedFunctions(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "functions": [{"namespace": "contoso", "members": {"appName": {
    "parameters": [{"name": "env", "type": "string"}],
    "output": {"type": "string", "value": "[concat('func-', parameters('env'))]"}}}}],
  "resources": [{"type": "Microsoft.Web/sites", "name": "[contoso.appName('prod')]", "kind": "functionapp"}]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	appNamed(t, m, "Microsoft.Web/sites/func-prod")
}

// languageVersion 2.0: resources keyed by symbolic name; existing
// resources are references only.
func TestLanguageVersion2(t *testing.T) {
	needEval(t)
	src := `{
  ` + schema + `,
  "languageVersion": "2.0",
  "resources": {
    "plan": {"type": "Microsoft.Web/serverfarms", "name": "plan-a", "sku": {"name": "EP1"}},
    "shared": {"existing": true, "type": "Microsoft.Storage/storageAccounts", "name": "stshared"},
    "app": {
      "type": "Microsoft.Web/sites",
      "name": "func-a",
      "kind": "functionapp",
      "properties": {
        "serverFarmId": "[resourceId('Microsoft.Web/serverfarms', 'plan-a')]",
        "siteConfig": {"appSettings": [{"name": "AzureWebJobsStorage", "value": "[format('AccountName={0};AccountKey={1}', 'stshared', listKeys('shared', '2023-01-01').keys[0].value)]"}]}
      }
    },
    "diag": {
      "type": "Microsoft.Insights/diagnosticSettings",
      "scope": "app",
      "name": "to-law",
      "properties": {"workspaceId": "/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/law",
        "logs": [{"category": "FunctionAppLogs", "enabled": true}, {"categoryGroup": "audit", "enabled": false}]}
    }
  }
}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/func-a")
	if len(m.StorageAccounts) != 0 {
		t.Errorf("an existing storage account is not analysed: %d", len(m.StorageAccounts))
	}
	if a.Plan == nil || a.Plan.SKU.V != "EP1" {
		t.Errorf("plan = %+v", a.Plan)
	}
	s := a.AppSettings.Items[0]
	if s.Source.V != string(model.SourceResource) || s.Attribute.V != "listKeys" {
		t.Errorf("AzureWebJobsStorage source %q attribute %q", s.Source.V, s.Attribute.V)
	}
	if len(a.DiagnosticSettings.Items) != 1 {
		t.Fatalf("diagnostic settings = %+v", a.DiagnosticSettings)
	}
	ds := a.DiagnosticSettings.Items[0]
	if !ds.HasDestination.V || len(ds.LogCategories.Items) != 1 || ds.LogCategories.Items[0].V != "FunctionAppLogs" {
		t.Errorf("diagnostic setting = %+v", ds)
	}
	if a.DiagnosticSettings.Origin != model.Explicit || len(m.DiagnosticSettings) != 1 {
		t.Errorf("module diagnostic settings %d, list origin %s", len(m.DiagnosticSettings), a.DiagnosticSettings.Origin)
	}
}

func TestConditions(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "parameters": {"deploy": {"type": "bool"}},
  "resources": [
    {"condition": false, "type": "Microsoft.Web/sites", "name": "off", "kind": "functionapp",
     "resources": [{"type": "config", "name": "web", "properties": {}}]},
    {"condition": "[parameters('deploy')]", "type": "Microsoft.Web/sites", "name": "maybe", "kind": "functionapp"},
    {"condition": "[equals(1, 2)]", "type": "Microsoft.Web/sites", "name": "never", "kind": "functionapp"},
    {"type": "Microsoft.Web/sites", "name": "always", "kind": "functionapp"}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	var got []string
	for _, a := range m.FunctionApps {
		got = append(got, a.Address)
	}
	// false and a false expression skip; an unknown condition is analysed.
	want := "Microsoft.Web/sites/maybe Microsoft.Web/sites/always"
	if strings.Join(got, " ") != want {
		t.Errorf("apps = %q, want %q", got, want)
	}
}

func TestCopyLoops(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "parameters": {"regions": {"type": "array", "defaultValue": ["westeurope", "northeurope", "eastus"]}},
  "resources": [{
    "copy": {"name": "apps", "count": "[length(parameters('regions'))]"},
    "type": "Microsoft.Web/sites",
    "name": "[format('func-{0}', parameters('regions')[copyIndex()])]",
    "kind": "functionapp",
    "properties": {
      "httpsOnly": "[equals(copyIndex(), 1)]",
      "siteConfig": {
        "copy": [{"name": "ipSecurityRestrictions", "count": 2,
          "input": {"name": "[format('rule-{0}', copyIndex('ipSecurityRestrictions'))]", "ipAddress": "[format('10.0.{0}.0/24', copyIndex())]", "action": "Allow", "priority": 100}}]
      }
    }
  }]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	if len(m.FunctionApps) != 3 {
		t.Fatalf("apps = %d", len(m.FunctionApps))
	}
	for i, region := range []string{"westeurope", "northeurope", "eastus"} {
		a := m.FunctionApps[i]
		if want := fmt.Sprintf("Microsoft.Web/sites/func-%s[%d]", region, i); a.Address != want {
			t.Errorf("app %d address %q, want %q", i, a.Address, want)
		}
		if a.HTTPSOnly.V != (i == 1) {
			t.Errorf("app %d https_only %v", i, a.HTTPSOnly.V)
		}
		rules := a.SiteConfig.IPRestrictions.Items
		if len(rules) != 2 || rules[1].Name.V != "rule-1" || rules[1].IPAddress.V != fmt.Sprintf("10.0.%d.0/24", i) {
			t.Errorf("app %d rules %+v", i, rules)
		}
	}
}

// Children: nested (type and name joined with the parent's) and top
// level (full type, name parent/child, built with format()).
func TestChildren(t *testing.T) {
	needEval(t)
	src := `{
  ` + schema + `,
  "parameters": {"name": {"type": "string", "defaultValue": "func-a"}},
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "name": "[parameters('name')]",
      "kind": "functionapp",
      "resources": [
        {"type": "config", "name": "web", "properties": {"minTlsVersion": "1.0"}},
        {"type": "basicPublishingCredentialsPolicies", "name": "ftp", "properties": {"allow": false}}
      ]
    },
    {"type": "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "name": "[format('{0}/scm', parameters('name'))]", "properties": {"allow": false}},
    {"type": "Microsoft.Web/sites/config", "name": "[concat(parameters('name'), '/authsettingsV2')]", "properties": {"platform": {"enabled": true}}},
    {"type": "Microsoft.Web/sites/config", "name": "other/web", "properties": {"minTlsVersion": "1.3"}}
  ]
}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/func-a")
	if v := a.SiteConfig.MinTLSVersion; v.V != "1.0" || v.Range.Start.Line != lineOf(src, `"minTlsVersion": "1.0"`) || v.Resource != "Microsoft.Web/sites/func-a/config/web" {
		t.Errorf("min_tls = %+v", v)
	}
	if a.FTPBasicAuth.V || a.SCMBasicAuth.V {
		t.Errorf("ftp %v scm %v", a.FTPBasicAuth.V, a.SCMBasicAuth.V)
	}
	if v := a.SCMBasicAuth; v.Resource != "Microsoft.Web/sites/func-a/basicPublishingCredentialsPolicies/scm" {
		t.Errorf("scm resource %q", v.Resource)
	}
	if !a.Auth.Enabled.V || a.Auth.Version.V != "v2" {
		t.Errorf("auth = %+v", a.Auth)
	}
}

func TestSlots(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "resources": [
    {"type": "Microsoft.Web/sites", "name": "func-a", "kind": "functionapp,linux",
     "properties": {"serverFarmId": "[resourceId('Microsoft.Web/serverfarms', 'plan')]"},
     "resources": [{"type": "slots", "name": "staging", "properties": {"httpsOnly": true}}]},
    {"type": "Microsoft.Web/sites/slots", "name": "func-a/canary", "kind": "functionapp,linux"},
    {"type": "Microsoft.Web/sites/slots/config", "name": "func-a/canary/web", "properties": {"ftpsState": "Disabled"}},
    {"type": "Microsoft.Web/serverfarms", "name": "plan", "sku": {"name": "EP1"}}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	parent := appNamed(t, m, "Microsoft.Web/sites/func-a")
	staging := appNamed(t, m, "Microsoft.Web/sites/func-a/slots/staging")
	canary := appNamed(t, m, "Microsoft.Web/sites/func-a/slots/canary")
	for _, s := range []*model.FunctionApp{staging, canary} {
		if !s.IsSlot.V || s.Parent.V != parent.Address || s.OS.V != "linux" || s.Plan == nil {
			t.Errorf("%s: slot %v parent %q os %q plan %v", s.Address, s.IsSlot.V, s.Parent.V, s.OS.V, s.Plan)
		}
	}
	if staging.SlotName.V != "staging" || !staging.HTTPSOnly.V {
		t.Errorf("staging = %q https %v", staging.SlotName.V, staging.HTTPSOnly.V)
	}
	if canary.SiteConfig.FTPSState.V != "Disabled" {
		t.Errorf("canary ftps = %+v", canary.SiteConfig.FTPSState)
	}
}

func TestNestedDeployments(t *testing.T) {
	needEval(t)
	src := `{
  ` + schema + `,
  "parameters": {"tls": {"type": "string", "defaultValue": "1.1"}},
  "variables": {"suffix": "outer"},
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "name": "inner-deploy",
      "properties": {
        "expressionEvaluationOptions": {"scope": "inner"},
        "parameters": {"appName": {"value": "[concat('func-', variables('suffix'))]"}, "conn": {"value": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2023-01-01').keys[0].value]"}},
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "parameters": {"appName": {"type": "string"}, "conn": {"type": "securestring"}, "tls": {"type": "string", "defaultValue": "1.3"}},
          "resources": [{"type": "Microsoft.Web/sites", "name": "[parameters('appName')]", "kind": "functionapp",
            "properties": {"siteConfig": {"minTlsVersion": "[parameters('tls')]", "appSettings": [{"name": "CONN", "value": "[parameters('conn')]"}]}}}]
        }
      }
    },
    {
      "type": "Microsoft.Resources/deployments",
      "name": "outer-deploy",
      "properties": {
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "resources": [{"type": "Microsoft.Web/sites", "name": "[concat('func2-', variables('suffix'))]", "kind": "functionapp",
            "properties": {"siteConfig": {"minTlsVersion": "[parameters('tls')]"}}}]
        }
      }
    },
    {"type": "Microsoft.Resources/deployments", "name": "linked", "properties": {"templateLink": {"uri": "https://example.com/t.json"}}}
  ]
}`
	m, diags := loadTemplate(t, src)
	inner := appNamed(t, m, "Microsoft.Resources/deployments/inner-deploy/Microsoft.Web/sites/func-outer")
	outer := appNamed(t, m, "Microsoft.Resources/deployments/outer-deploy/Microsoft.Web/sites/func2-outer")
	if inner.SiteConfig.MinTLSVersion.V != "1.3" || outer.SiteConfig.MinTLSVersion.V != "1.1" {
		t.Errorf("inner tls %q (its own default), outer tls %q (the parent's parameter)", inner.SiteConfig.MinTLSVersion.V, outer.SiteConfig.MinTLSVersion.V)
	}
	if s := inner.AppSettings.Items[0]; s.Source.V != string(model.SourceResource) || s.Attribute.V != "listKeys" {
		t.Errorf("CONN passed from the parent: source %q attribute %q", s.Source.V, s.Attribute.V)
	}
	if len(diags) != 1 || diags[0].Severity != model.SevInfo || diags[0].Summary != "Linked template not followed" || diags[0].Range.Start.Line != lineOf(src, `"templateLink"`) {
		t.Errorf("diagnostics = %+v", diags)
	}
}

func TestNestedDeploymentsAreCapped(t *testing.T) {
	inner := `{"type": "Microsoft.Web/sites", "name": "deepest", "kind": "functionapp"}`
	for range maxNesting + 2 {
		inner = `{"type": "Microsoft.Resources/deployments", "name": "d", "properties": {"expressionEvaluationOptions": {"scope": "inner"}, "template": {"resources": [` + inner + `]}}}`
	}
	m, diags := loadTemplate(t, `{`+schema+`, "resources": [`+inner+`]}`)
	if len(m.FunctionApps) != 0 {
		t.Errorf("apps = %d", len(m.FunctionApps))
	}
	if len(diags) != 1 || diags[0].Summary != "Nested deployments too deep" {
		t.Errorf("diagnostics = %+v", diags)
	}
}

// Diagnostic settings: an extension resource scoped with format(), and
// the legacy nested providers type.
func TestDiagnosticSettings(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "parameters": {"name": {"type": "string", "defaultValue": "func-a"}, "on": {"type": "bool"}, "hub": {"type": "string"}},
  "resources": [
    {"type": "Microsoft.Web/sites", "name": "[parameters('name')]", "kind": "functionapp",
     "resources": [{"type": "providers/diagnosticSettings", "name": "Microsoft.Insights/legacy",
       "properties": {"storageAccountId": "[resourceId('Microsoft.Storage/storageAccounts', 'st')]", "logs": [{"category": "FunctionAppLogs", "enabled": true}]}}]},
    {"type": "Microsoft.Web/sites", "name": "func-b", "kind": "functionapp"},
    {"type": "Microsoft.Insights/diagnosticSettings", "name": "scoped",
     "scope": "[format('Microsoft.Web/sites/{0}', parameters('name'))]",
     "properties": {"logs": [{"categoryGroup": "allLogs", "enabled": "[parameters('on')]"}]}},
    {"type": "Microsoft.Web/sites/providers/diagnosticSettings", "name": "func-b/Microsoft.Insights/top",
     "properties": {"eventHubAuthorizationRuleId": "[parameters('hub')]", "logs": []}}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/func-a")
	b := appNamed(t, m, "Microsoft.Web/sites/func-b")
	if len(a.DiagnosticSettings.Items) != 2 || len(b.DiagnosticSettings.Items) != 1 || len(m.DiagnosticSettings) != 3 {
		t.Fatalf("a %d, b %d, module %d", len(a.DiagnosticSettings.Items), len(b.DiagnosticSettings.Items), len(m.DiagnosticSettings))
	}
	legacy, scoped := a.DiagnosticSettings.Items[0], a.DiagnosticSettings.Items[1]
	if legacy.Name.V != "func-a/Microsoft.Insights/legacy" || !legacy.HasDestination.V || legacy.LogCategories.Items[0].V != "FunctionAppLogs" {
		t.Errorf("legacy = %+v", legacy)
	}
	if scoped.HasDestination.V || scoped.HasDestination.Origin != model.Default || len(scoped.LogCategories.Items) != 1 || scoped.LogCategories.Items[0].Origin != model.Unknown {
		t.Errorf("scoped = %+v", scoped)
	}
	if top := b.DiagnosticSettings.Items[0]; top.HasDestination.Origin != model.Unknown || len(top.LogCategories.Items) != 0 {
		t.Errorf("top = %+v", top)
	}
}

func TestPrivateEndpoints(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "resources": [
    {"type": "Microsoft.Web/sites", "name": "func-a", "kind": "functionapp", "resources": [{"type": "slots", "name": "stg"}]},
    {"type": "Microsoft.Storage/storageAccounts", "name": "sthost", "sku": {"name": "Standard_LRS"}},
    {"type": "Microsoft.Network/privateEndpoints", "name": "pe-app",
     "properties": {"privateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": "[resourceId('Microsoft.Web/sites', 'FUNC-A')]", "groupIds": ["sites"]}}]}},
    {"type": "Microsoft.Network/privateEndpoints", "name": "pe-slot",
     "properties": {"manualPrivateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": "[resourceId('Microsoft.Web/sites', 'func-a')]", "groupIds": ["sites-stg"]}}]}},
    {"type": "Microsoft.Network/privateEndpoints", "name": "pe-blob",
     "properties": {"privateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sthost", "groupIds": ["blob"]}}]}},
    {"type": "Microsoft.Network/privateEndpoints", "name": "pe-other",
     "properties": {"privateLinkServiceConnections": [{"name": "c", "properties": {"privateLinkServiceId": "[resourceId('Microsoft.Web/sites', 'func-z')]", "groupIds": ["sites"]}}]}}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/func-a")
	stg := appNamed(t, m, "Microsoft.Web/sites/func-a/slots/stg")
	if len(m.PrivateEndpoints) != 4 {
		t.Errorf("module endpoints = %d", len(m.PrivateEndpoints))
	}
	if len(a.PrivateEndpoints.Items) != 1 || a.PrivateEndpoints.Items[0].Name.V != "pe-app" || a.PrivateEndpoints.Items[0].SubresourceNames.Items[0].V != "sites" {
		t.Errorf("app endpoints = %+v", a.PrivateEndpoints)
	}
	if len(stg.PrivateEndpoints.Items) != 1 || stg.PrivateEndpoints.Items[0].Name.V != "pe-slot" {
		t.Errorf("slot endpoints = %+v", stg.PrivateEndpoints)
	}
	sa := m.StorageAccounts[0]
	if len(sa.PrivateEndpoints.Items) != 1 || sa.PrivateEndpoints.Items[0].SubresourceNames.Items[0].V != "blob" {
		t.Errorf("storage endpoints = %+v", sa.PrivateEndpoints)
	}
	// A private endpoint turns an unset publicNetworkAccess off.
	if v := a.PublicNetworkAccess; v.V || v.Origin != model.Default {
		t.Errorf("public_network_access = %+v", v)
	}
}

func TestHostStorageLinks(t *testing.T) {
	needEval(t)
	src := `{` + schema + `,
  "parameters": {"stName": {"type": "string"}},
  "variables": {"st": "[concat('st', 'host')]"},
  "resources": [
    {"type": "Microsoft.Storage/storageAccounts", "name": "[variables('st')]", "sku": {"name": "Standard_GRS"}},
    {"type": "Microsoft.Storage/storageAccounts", "name": "[parameters('stName')]", "sku": {"name": "Standard_GRS"}},
    {"type": "Microsoft.Web/sites", "name": "func-param", "kind": "functionapp",
     "properties": {"siteConfig": {"appSettings": [{"name": "AzureWebJobsStorage",
       "value": "[concat('AccountName=', parameters('stName'), ';AccountKey=', listKeys(concat(resourceGroup().id, '/providers/Microsoft.Storage/storageAccounts/', parameters('stName')), '2015-05-01-preview').key1)]"}]}}},
    {"type": "Microsoft.Storage/storageAccounts", "name": "stident", "sku": {"name": "Standard_LRS"}},
    {"type": "Microsoft.Storage/storageAccounts", "name": "stflex", "sku": {"name": "Standard_LRS"}},
    {"type": "Microsoft.Web/sites", "name": "func-key", "kind": "functionapp",
     "properties": {"siteConfig": {"appSettings": [{"name": "AzureWebJobsStorage",
       "value": "[format('DefaultEndpointsProtocol=https;AccountName={0};AccountKey={1}', variables('st'), listKeys(resourceId('Microsoft.Storage/storageAccounts', variables('st')), '2023-01-01').keys[0].value)]"}]}}},
    {"type": "Microsoft.Web/sites", "name": "func-id", "kind": "functionapp",
     "properties": {"siteConfig": {"appSettings": [{"name": "AzureWebJobsStorage__blobServiceUri", "value": "https://stident.blob.core.windows.net"}]}}},
    {"type": "Microsoft.Web/sites", "name": "func-flex", "kind": "functionapp,linux",
     "properties": {"functionAppConfig": {"deployment": {"storage": {"type": "blobContainer",
       "value": "[concat(reference(resourceId('Microsoft.Storage/storageAccounts', 'stflex'), '2023-01-01').primaryEndpoints.blob, 'pkg')]",
       "authentication": {"type": "SystemAssignedIdentity"}}}}}}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	if a := appNamed(t, m, "Microsoft.Web/sites/func-param"); a.StorageAccount == nil || a.StorageAccount.Address != "Microsoft.Storage/storageAccounts/[parameters('stName')]" {
		t.Errorf("func-param: storage account %+v", a.StorageAccount)
	}
	for addr, want := range map[string]string{
		"Microsoft.Web/sites/func-key":  "sthost",
		"Microsoft.Web/sites/func-id":   "stident",
		"Microsoft.Web/sites/func-flex": "stflex",
	} {
		a := appNamed(t, m, addr)
		if a.StorageAccount == nil || a.StorageAccount.Name.V != want {
			t.Errorf("%s: storage account %+v, want %s", addr, a.StorageAccount, want)
		}
	}
	if a := appNamed(t, m, "Microsoft.Web/sites/func-key"); a.AppSettings.Items[0].Attribute.V != "listKeys" || a.AppSettings.Items[0].Source.V != string(model.SourceResource) {
		t.Errorf("AzureWebJobsStorage = %+v", a.AppSettings.Items[0])
	}
}

// A site on an FC1 plan without functionAppConfig is a Flex app.
func TestFlexByPlan(t *testing.T) {
	src := `{` + schema + `,
  "resources": [
    {"type": "Microsoft.Web/serverfarms", "name": "plan-flex", "sku": {"name": "FC1", "tier": "FlexConsumption"}},
    {"type": "Microsoft.Web/sites", "name": "func-a", "kind": "functionapp,linux",
     "properties": {"serverFarmId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan-flex"}}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := m.FunctionApps[0]
	if a.Flavor.V != "flex" || a.Plan == nil || a.Flavor.Range.Start.Line != 3 {
		t.Errorf("flavor %+v plan %v", a.Flavor, a.Plan)
	}
	if a.FTPBasicAuth.Note != "no FTP on Flex Consumption" {
		t.Errorf("no FTP on Flex: %+v", a.FTPBasicAuth)
	}
}

func TestWebAppsAreNotFunctionApps(t *testing.T) {
	src := `{` + schema + `,
  "resources": [
    {"type": "Microsoft.Web/sites", "name": "web", "kind": "app,linux", "resources": [{"type": "slots", "name": "s"}]},
    {"type": "Microsoft.Web/sites", "name": "nokind"}
  ]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	if len(m.FunctionApps) != 0 {
		t.Errorf("apps = %d", len(m.FunctionApps))
	}
}
