package pulumi_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/pulumi"
)

const (
	sub      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
	siteID   = sub + "/providers/Microsoft.Web/sites/func-a"
	acctID   = sub + "/providers/Microsoft.Storage/storageAccounts/stfunc"
	planID   = sub + "/providers/Microsoft.Web/serverfarms/plan"
	envelope = `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", `
)

// stack writes a stack export holding resources (JSON objects) and loads it.
func stack(t *testing.T, resources ...string) (*model.Module, model.Diagnostics, string) {
	t.Helper()
	text := "{\n  \"version\": 3,\n  \"deployment\": {\n    \"manifest\": {},\n    \"resources\": [\n" +
		strings.Join(resources, ",\n") + "\n    ]\n  }\n}\n"
	var probe any
	if err := json.Unmarshal([]byte(text), &probe); err != nil {
		t.Fatalf("test stack is not JSON: %v\n%s", err, text)
	}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	mod, diags := pulumi.LoadFile(context.Background(), path)
	if mod == nil {
		t.Fatal("nil module")
	}
	return mod, diags, text
}

func res(urnName, token, id, outputs string, extra ...string) string {
	s := `{"urn": "urn:pulumi:dev::proj::` + token + `::` + urnName + `", "custom": true, "type": "` + token + `"`
	if id != "" {
		s += `, "id": "` + id + `"`
	}
	s += `, "outputs": ` + outputs
	for _, e := range extra {
		s += ", " + e
	}
	return s + "}"
}

// lineOf returns the 1-based line of the first occurrence of needle.
func lineOf(t *testing.T, text, needle string) int {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not in stack", needle)
	}
	return 1 + strings.Count(text[:i], "\n")
}

func onlyApp(t *testing.T, mod *model.Module) *model.FunctionApp {
	t.Helper()
	if len(mod.FunctionApps) != 1 {
		t.Fatalf("want 1 function app, got %d", len(mod.FunctionApps))
	}
	return mod.FunctionApps[0]
}

func TestIsStackExport(t *testing.T) {
	for _, tc := range []struct {
		head string
		want bool
	}{
		{`{"version": 3, "deployment": {"manifest": {}, "resources": []}}`, true},
		{"\ufeff{\n \"version\": 3,\n \"deployment\": {\"resources\": [{\"urn\": \"x\"", true}, // cut off by the sniff size
		{`{"version": 2, "deployment": {"resources": []}}`, false},
		{`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}`, false},
		{`{"format_version": "1.2", "planned_values": {}}`, false},
		{`[]`, false},
		{``, false},
	} {
		if got := pulumi.IsStackExport([]byte(tc.head)); got != tc.want {
			t.Errorf("IsStackExport(%.40q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

func TestNativeWebAppAndChildren(t *testing.T) {
	mod, diags, text := stack(t,
		res("func-a", "azure-native:web:WebApp", siteID,
			`{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp,linux", "httpsOnly": false, "resourceGroupName": "rg",
			  "serverFarmId": "`+planID+`", "identity": {"type": "SystemAssigned"},
			  "siteConfig": {"minTlsVersion": "1.0", "cors": {"allowedOrigins": ["*"]}}}`),
		res("func-a-settings", "azure-native:web:WebAppApplicationSettings", "",
			`{"name": "func-a", "resourceGroupName": "rg", "properties": {"AzureWebJobsStorage__accountName": "stfunc", "FUNCTIONS_EXTENSION_VERSION": "~4"}}`),
		res("func-a-ftp", "azure-native:web:WebAppFtpAllowed", "", `{"name": "func-a", "resourceGroupName": "rg", "allow": false}`),
		res("func-a-scm", "azure-native:web:WebAppScmAllowed", "", `{"name": "func-a", "resourceGroupName": "rg", "allow": true}`),
		res("func-a-web", "azure-native:web:WebAppSiteConfig", "", `{"name": "func-a", "resourceGroupName": "rg", "ftpsState": "FtpsOnly", "remoteDebuggingEnabled": true}`),
		res("func-a-auth", "azure-native:web:WebAppAuthSettingsV2", "", `{"name": "func-a", "resourceGroupName": "rg", "platform": {"enabled": true}}`),
		res("plan", "azure-native:web:AppServicePlan", planID, `{"id": "`+planID+`", "name": "plan", "kind": "linux", "reserved": true, "sku": {"name": "EP1", "tier": "ElasticPremium"}}`),
		res("st", "azure-native:storage:StorageAccount", acctID,
			`{"id": "`+acctID+`", "name": "stfunc", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "enableHttpsTrafficOnly": false, "networkRuleSet": {"defaultAction": "Deny"}, "azureApiVersion": "2023-01-01"}`),
	)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	app := onlyApp(t, mod)
	if app.Address != "urn:pulumi:dev::proj::azure-native:web:WebApp::func-a" || app.Type != "azure-native:web:WebApp" {
		t.Errorf("identity %q %q", app.Address, app.Type)
	}
	if mod.Format != model.Pulumi {
		t.Errorf("format %q", mod.Format)
	}
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("https_only", app.HTTPSOnly.V, false)
	check("https_only line", app.HTTPSOnly.Range.Start.Line, lineOf(t, text, `"httpsOnly": false`))
	check("https_only note", app.HTTPSOnly.Note, "from outputs")
	check("identity", app.Identity.Type.V, "SystemAssigned")
	check("min tls", app.SiteConfig.MinTLSVersion.V, "1.0")
	check("ftps (config/web child)", app.SiteConfig.FTPSState.V, "FtpsOnly")
	check("remote debugging (child)", app.SiteConfig.RemoteDebugging.V, true)
	check("ftp basic auth (WebAppFtpAllowed)", app.FTPBasicAuth.V, false)
	check("ftp origin", app.FTPBasicAuth.Origin, model.Explicit)
	check("scm basic auth (WebAppScmAllowed)", app.SCMBasicAuth.V, true)
	check("auth enabled", app.Auth.Enabled.V, true)
	check("cors", len(app.SiteConfig.CORS.AllowedOrigins.Items), 1)
	check("extension version (appsettings child)", app.FunctionsExtensionVersion.V, "~4")
	check("public access default", app.PublicNetworkAccess.Origin, model.Default)
	check("public access default line", app.PublicNetworkAccess.Range.Start.Line, lineOf(t, text, `"urn": "urn:pulumi:dev::proj::azure-native:web:WebApp::func-a"`))
	if app.Plan == nil || app.Plan.SKU.V != "EP1" || app.Plan.OS.V != "Linux" {
		t.Errorf("plan not linked or wrong: %+v", app.Plan)
	}
	if app.StorageAccount == nil {
		t.Fatal("host storage account not linked")
	}
	sa := app.StorageAccount
	check("storage https (enableHttpsTrafficOnly)", sa.HTTPSTrafficOnly.V, false)
	check("storage https origin", sa.HTTPSTrafficOnly.Origin, model.Explicit)
	check("storage default action (networkRuleSet)", sa.NetworkDefaultAction.V, "Deny")
	check("storage replication", sa.ReplicationType.V, "LRS")
}

func TestVersionedTokenAndWebAppIgnored(t *testing.T) {
	mod, _, _ := stack(t,
		res("func-v", "azure-native:web/v20230101:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp", "httpsOnly": true, "clientCertEnabled": null}`,
			`"inputs": {"clientCertEnabled": true}`),
		res("web", "azure-native:web:WebApp", sub+"/providers/Microsoft.Web/sites/web", `{"name": "web", "kind": "app,linux"}`),
	)
	app := onlyApp(t, mod)
	if app.Type != "azure-native:web/v20230101:WebApp" {
		t.Errorf("type %q", app.Type)
	}
	if !app.HTTPSOnly.V || app.Name.V != "func-a" {
		t.Errorf("versioned token app: https %v name %q", app.HTTPSOnly.V, app.Name.V)
	}
	if !app.ClientCertEnabled.V || app.ClientCertEnabled.Note != "from inputs" {
		t.Errorf("a null output falls back to inputs: %+v", app.ClientCertEnabled)
	}
}

func TestClassicLinuxFunctionApp(t *testing.T) {
	mod, diags, text := stack(t,
		res("func-c", "azure:appservice:LinuxFunctionApp", siteID,
			`{"id": "`+siteID+`", "name": "func-c", "httpsOnly": true, "storageAccountName": "stc",
			  "siteConfig": {"minimumTlsVersion": "1.1", "cors": {"allowedOrigins": ["*"]}},
			  "appSettings": {"API_KEY": "`+"Password=hunter2"+`", "SECRET": `+envelope+`"ciphertext": "v1:abc"}},
			  "connectionStrings": [{"name": "Db", "type": "SQLAzure", "value": "Server=x;Password=p"}]}`),
		res("stc", "azure:storage:Account", acctID, `{"id": "`+acctID+`", "name": "stc", "httpsTrafficOnlyEnabled": false, "accountReplicationType": "ZRS"}`),
	)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	app := onlyApp(t, mod)
	if app.Flavor.V != "linux" || app.OS.V != "linux" || !app.HTTPSOnly.V {
		t.Errorf("flavor %q os %q https %v", app.Flavor.V, app.OS.V, app.HTTPSOnly.V)
	}
	if app.PublicNetworkAccess.Origin != model.Default || !app.PublicNetworkAccess.V {
		t.Errorf("public access: %+v", app.PublicNetworkAccess)
	}
	if app.FTPBasicAuth.Origin != model.Default || !app.FTPBasicAuth.V || !app.SCMBasicAuth.V {
		t.Errorf("basic auth defaults: %+v %+v", app.FTPBasicAuth, app.SCMBasicAuth)
	}
	if app.Identity.Type.V != "None" {
		t.Errorf("identity %q", app.Identity.Type.V)
	}
	if app.SiteConfig.MinTLSVersion.V != "1.1" || app.SiteConfig.MinTLSVersion.Range.Start.Line != lineOf(t, text, `"minimumTlsVersion"`) {
		t.Errorf("min tls %+v", app.SiteConfig.MinTLSVersion)
	}
	if app.SiteConfig.FTPSState.V != "Disabled" || app.SiteConfig.FTPSState.Origin != model.Default {
		t.Errorf("ftps %+v", app.SiteConfig.FTPSState)
	}
	src := map[string]string{}
	for _, s := range app.AppSettings.Items {
		src[s.Name.V] = s.Source.V
	}
	if src["API_KEY"] != string(model.SourceLiteral) || src["SECRET"] != string(model.SourceSecretEnvelope) {
		t.Errorf("setting sources %v", src)
	}
	if cs := app.ConnectionStrings.Items; len(cs) != 1 || cs[0].Name.V != "Db" || cs[0].Type.V != "SQLAzure" || cs[0].Source.V != string(model.SourceLiteral) {
		t.Errorf("connection strings %+v", app.ConnectionStrings)
	}
	if app.StorageAccount == nil || app.StorageAccount.HTTPSTrafficOnly.V || app.StorageAccount.ReplicationType.V != "ZRS" {
		t.Errorf("classic storage %+v", app.StorageAccount)
	}
}

func TestPrivateEndpointAndDiagnosticSetting(t *testing.T) {
	mod, _, _ := stack(t,
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp"}`),
		res("pe", "azure-native:network:PrivateEndpoint", sub+"/providers/Microsoft.Network/privateEndpoints/pe",
			`{"name": "pe", "privateLinkServiceConnections": [{"name": "c", "privateLinkServiceId": "`+strings.ToUpper(siteID)+`", "groupIds": ["sites"]}]}`),
		res("diag", "azure-native:insights:DiagnosticSetting", "",
			`{"name": "diag", "resourceUri": "`+siteID+`", "workspaceId": "/w", "logs": [{"category": "FunctionAppLogs", "enabled": true}, {"category": "Other", "enabled": false}]}`),
	)
	app := onlyApp(t, mod)
	if len(app.PrivateEndpoints.Items) != 1 || app.PrivateEndpoints.Items[0].SubresourceNames.Items[0].V != "sites" {
		t.Fatalf("private endpoint not linked: %+v", app.PrivateEndpoints)
	}
	if app.PublicNetworkAccess.V || app.PublicNetworkAccess.Origin != model.Default {
		t.Errorf("a private endpoint disables unset public access: %+v", app.PublicNetworkAccess)
	}
	if len(app.DiagnosticSettings.Items) != 1 {
		t.Fatalf("diagnostic setting not linked")
	}
	ds := app.DiagnosticSettings.Items[0]
	if len(ds.LogCategories.Items) != 1 || ds.LogCategories.Items[0].V != "FunctionAppLogs" || !ds.HasDestination.V {
		t.Errorf("diagnostic setting %+v", ds)
	}
}

func TestSecretEnvelopes(t *testing.T) {
	mod, _, text := stack(t,
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp"}`,
			`"inputs": {"siteConfig": {"appSettings": [
				{"name": "CIPHER", "value": `+envelope+`"ciphertext": "v1:AAAA"}},
				{"name": "PLAIN", "value": `+envelope+`"plaintext": "\"Password=s3cr3t-value\""}},
				{"name": "MISSING"}]}}`),
	)
	app := onlyApp(t, mod)
	got := map[string]*model.Setting{}
	for _, s := range app.AppSettings.Items {
		got[s.Name.V] = s
	}
	if s := got["CIPHER"]; s == nil || s.Source.V != string(model.SourceSecretEnvelope) || s.Value.Known() {
		t.Errorf("ciphertext envelope: %+v", s)
	}
	if s := got["PLAIN"]; s == nil || s.Source.V != string(model.SourceLiteral) || string(s.Value.V) != "Password=s3cr3t-value" {
		t.Errorf("plaintext envelope: %+v", s)
	} else if s.Value.Range.Start.Line != lineOf(t, text, `{"name": "PLAIN"`) || s.Value.Note != "from inputs" {
		t.Errorf("plaintext envelope located at %v (%q)", s.Value.Range, s.Value.Note)
	}
	b, err := json.Marshal(model.View(app))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "s3cr3t") {
		t.Error("the plaintext secret appears in the model view")
	}
}

func TestBrokenJSONAndPendingOperations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.stack.json")
	if err := os.WriteFile(path, []byte("{\n  \"version\": 3,\n  \"deployment\": {\n    \"resources\": [,]\n  }\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mod, diags := pulumi.LoadFile(context.Background(), path)
	if mod == nil || len(mod.FunctionApps) != 0 {
		t.Fatal("broken stack should give an empty module")
	}
	if len(diags) != 1 || diags[0].Severity != model.SevError || diags[0].Range.Start.Line != 4 {
		t.Fatalf("want one error at line 4, got %+v", diags)
	}

	dir := t.TempDir()
	p := filepath.Join(dir, "export.json")
	text := `{"version": 3, "deployment": {"resources": [` +
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp"}`) +
		`], "pending_operations": [{"resource": {"urn": "x", "type": "azure-native:web:WebApp"}, "type": "creating"}]}}`
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	mod, diags = pulumi.LoadFile(context.Background(), p)
	if diags.HasErrors() || len(mod.FunctionApps) != 1 {
		t.Fatalf("pending operations: %d apps, %+v", len(mod.FunctionApps), diags)
	}
}
