package armsite

import (
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func TestIsFunctionApp(t *testing.T) {
	for _, tc := range []struct {
		typ, body string
		want      bool
	}{
		{"Microsoft.Web/sites", `{"kind": "functionapp"}`, true},
		{"Microsoft.Web/sites", `{"kind": "functionapp,linux"}`, true},
		{"Microsoft.Web/sites", `{"kind": "FunctionApp, Linux"}`, true},
		{"Microsoft.Web/sites", `{"kind": "functionapp,linux,container,azurecontainerapps"}`, true},
		{"microsoft.web/SITES", `{"kind": "functionapp"}`, true},
		{"Microsoft.Web/sites/slots", `{"kind": "functionapp"}`, true},
		{"Microsoft.Web/sites", `{"kind": "app"}`, false},
		{"Microsoft.Web/sites", `{"kind": "app,linux"}`, false},
		{"Microsoft.Web/sites", `{"kind": "app,linux,functionapplike"}`, false},
		{"Microsoft.Web/sites", `{}`, false},
		{"Microsoft.Web/sites", `{"kind": null}`, false},
		{"Microsoft.Web/sites", `{"kind": "<unknown>"}`, false},
		{"Microsoft.Web/serverfarms", `{"kind": "functionapp"}`, false},
		{"Microsoft.Web/sites/config", `{"kind": "functionapp"}`, false},
	} {
		d := doc(t, tc.typ, "x", "x", tc.body)
		if got := IsFunctionApp(d); got != tc.want {
			t.Errorf("IsFunctionApp(%s %s) = %v, want %v", tc.typ, tc.body, got, tc.want)
		}
	}
	if !KindUnknown(doc(t, TypeSite, "x", "x", `{"kind": "<unknown>"}`)) || KindUnknown(doc(t, TypeSite, "x", "x", `{"kind": "app"}`)) {
		t.Error("KindUnknown")
	}
	if IsFunctionApp(Doc{Type: TypeSite}) {
		t.Error("a site without body is not a function app")
	}
}

func TestSplitType(t *testing.T) {
	typ, api := SplitType(" Microsoft.Web/sites@2024-04-01 ")
	if typ != "Microsoft.Web/sites" || api != "2024-04-01" {
		t.Errorf("SplitType = %q, %q", typ, api)
	}
	if typ, api := SplitType("Microsoft.Web/sites"); typ != "Microsoft.Web/sites" || api != "" {
		t.Errorf("SplitType without version = %q, %q", typ, api)
	}
}

// TestSiteDefaults: a function app that writes nothing gets every ARM
// default, blamed on the resource header with a note.
func TestSiteDefaults(t *testing.T) {
	a, links := Site(site(t, `{"name": "app", "kind": "functionapp", "properties": {}}`), nil, SiteOptions{})
	const d = model.Default
	want(t, "name", a.Name, "app", model.Explicit, 1)
	want(t, "flavor", a.Flavor, "windows", model.Explicit, 1)
	want(t, "os", a.OS, "windows", model.Explicit, 1)
	want(t, "is_slot", a.IsSlot, false, model.Explicit, 1)
	want(t, "public_network_access", a.PublicNetworkAccess, true, d, 1)
	want(t, "vnet_subnet_id", a.VNetSubnetID, "", d, 1)
	want(t, "vnet_integrated", a.VNetIntegrated, false, d, 1)
	want(t, "vnet_route_all", a.VNetRouteAll, false, d, 1)
	want(t, "https_only", a.HTTPSOnly, false, d, 1)
	want(t, "client_cert_enabled", a.ClientCertEnabled, false, d, 1)
	want(t, "client_cert_mode", a.ClientCertMode, "Required", d, 1)
	want(t, "end_to_end_encryption", a.EndToEndEncryption, false, d, 1)
	want(t, "identity.type", a.Identity.Type, "None", d, 1)
	want(t, "key_vault_reference_identity", a.KeyVaultReferenceIdentity, "SystemAssigned", d, 1)
	want(t, "ftp_basic_auth", a.FTPBasicAuth, true, d, 1)
	want(t, "scm_basic_auth", a.SCMBasicAuth, true, d, 1)
	want(t, "admin_isolation", a.AdminIsolation, false, d, 1)
	want(t, "auth.enabled", a.Auth.Enabled, false, d, 1)
	want(t, "auth.require_https", a.Auth.RequireHTTPS, true, d, 1)
	want(t, "storage_account_name", a.StorageAccountName, "", d, 1)
	want(t, "storage_uses_identity", a.StorageUsesIdentity, false, d, 1)
	want(t, "functions_extension_version", a.FunctionsExtensionVersion, "~1", d, 1)
	want(t, "builtin_logging", a.BuiltinLogging, false, d, 1)
	want(t, "daily_memory_time_quota", a.DailyMemoryTimeQuota, 0, d, 1)
	want(t, "maximum_instance_count", a.MaximumInstanceCount, 0, d, 1)
	sc := a.SiteConfig
	want(t, "min_tls_version", sc.MinTLSVersion, "1.2", d, 1)
	want(t, "scm_min_tls_version", sc.SCMMinTLSVersion, "1.2", d, 1)
	want(t, "ftps_state", sc.FTPSState, "AllAllowed", d, 1)
	want(t, "remote_debugging", sc.RemoteDebugging, false, d, 1)
	want(t, "ip_restriction_default_action", sc.IPRestrictionDefaultAction, "Allow", d, 1)
	want(t, "scm_ip_restriction_default_action", sc.SCMIPRestrictionDefaultAction, "Allow", d, 1)
	want(t, "scm_use_main_ip_restriction", sc.SCMUseMainIPRestriction, false, d, 1)
	want(t, "app_scale_limit", sc.AppScaleLimit, 0, d, 1)
	want(t, "backup.configured", a.Backup.Configured, false, d, 1)
	for what, m := range map[string]model.Meta{
		"cors.allowed_origins": sc.CORS.AllowedOrigins.Meta,
		"ip_restrictions":      sc.IPRestrictions.Meta,
		"scm_ip_restrictions":  sc.SCMIPRestrictions.Meta,
		"identity_ids":         a.Identity.IdentityIDs.Meta,
		"app_settings":         a.AppSettings.Meta,
		"connection_strings":   a.ConnectionStrings.Meta,
		"private_endpoints":    a.PrivateEndpoints.Meta,
		"diagnostic_settings":  a.DiagnosticSettings.Meta,
		"auth.inline_secrets":  a.Auth.InlineSecrets.Meta,
	} {
		if m.Origin != d || m.Range.Start.Line != 1 || m.Note == "" || m.Resource != "site" {
			t.Errorf("%s: meta = %+v, want a default at line 1 with a note", what, m)
		}
	}
	if !strings.Contains(a.HTTPSOnly.Note, "ARM default false") || !strings.Contains(sc.FTPSState.Note, "AllAllowed") {
		t.Errorf("notes should name the default: %q, %q", a.HTTPSOnly.Note, sc.FTPSState.Note)
	}
	if links.ServerFarm != nil || links.Storage != nil || links.Subnet != nil {
		t.Errorf("links = %+v, want none", links)
	}
	if a.Address != "site" || a.Type != "azapi_resource" || a.Range.Start.Line != 1 {
		t.Errorf("resource = %+v", a.Resource)
	}
}

// TestSiteExplicit: every field read from where ARM writes it, located at
// its node.
func TestSiteExplicit(t *testing.T) {
	src := `{
  "name": "func-x",
  "kind": "functionapp,linux",
  "identity": {
    "type": "SystemAssigned, UserAssigned",
    "userAssignedIdentities": {
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1": {}
    }
  },
  "properties": {
    "serverFarmId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/plan",
    "httpsOnly": true,
    "publicNetworkAccess": "Disabled",
    "virtualNetworkSubnetId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s1",
    "vnetRouteAllEnabled": true,
    "clientCertEnabled": true,
    "clientCertMode": "Optional",
    "endToEndEncryptionEnabled": true,
    "keyVaultReferenceIdentity": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1",
    "functionsRuntimeAdminIsolationEnabled": true,
    "dailyMemoryTimeQuota": 5000,
    "siteConfig": {
      "minTlsVersion": "1.3",
      "scmMinTlsVersion": 1.2,
      "ftpsState": "FtpsOnly",
      "remoteDebuggingEnabled": false,
      "functionAppScaleLimit": 10,
      "linuxFxVersion": "PYTHON|3.11",
      "cors": {"allowedOrigins": ["https://a.example", "*"], "supportCredentials": true},
      "ipSecurityRestrictions": [
        {"name": "office", "ipAddress": "203.0.113.0/24", "action": "Allow", "priority": 100},
        {"name": "fd", "ipAddress": "AzureFrontDoor.Backend", "tag": "ServiceTag", "priority": 200}
      ],
      "ipSecurityRestrictionsDefaultAction": "Deny",
      "scmIpSecurityRestrictionsUseMain": true,
      "appSettings": [
        {"name": "FUNCTIONS_EXTENSION_VERSION", "value": "~4"},
        {"name": "FUNCTIONS_WORKER_RUNTIME", "value": "python"},
        {"name": "AzureWebJobsStorage", "value": "DefaultEndpointsProtocol=https;AccountName=stx;AccountKey=abc==;EndpointSuffix=core.windows.net"},
        {"name": "AzureWebJobsDashboard", "value": "UseDevelopmentStorage=true"},
        {"name": "APPLICATIONINSIGHTS_CONNECTION_STRING", "value": "InstrumentationKey=k"}
      ],
      "connectionStrings": [
        {"name": "db", "connectionString": "Server=x;Password=p", "type": "SQLAzure"}
      ]
    }
  }
}`
	a, links := Site(site(t, src), nil, SiteOptions{})
	e := model.Explicit
	line := func(s string) int { return lineOf(t, src, s) }
	want(t, "name", a.Name, "func-x", e, line(`"func-x"`))
	want(t, "flavor", a.Flavor, "linux", e, line(`"functionapp,linux"`))
	want(t, "os", a.OS, "linux", e, line(`"functionapp,linux"`))
	want(t, "public_network_access", a.PublicNetworkAccess, false, e, line(`"Disabled"`))
	want(t, "https_only", a.HTTPSOnly, true, e, line(`"httpsOnly"`))
	want(t, "vnet_subnet_id", a.VNetSubnetID, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s1", e, line(`"virtualNetworkSubnetId"`))
	want(t, "vnet_integrated", a.VNetIntegrated, true, e, line(`"virtualNetworkSubnetId"`))
	want(t, "vnet_route_all", a.VNetRouteAll, true, e, line(`"vnetRouteAllEnabled"`))
	want(t, "client_cert_enabled", a.ClientCertEnabled, true, e, 0)
	want(t, "client_cert_mode", a.ClientCertMode, "Optional", e, 0)
	want(t, "end_to_end_encryption", a.EndToEndEncryption, true, e, 0)
	want(t, "identity.type", a.Identity.Type, "SystemAssigned, UserAssigned", e, line(`"SystemAssigned, UserAssigned"`))
	if ids := a.Identity.IdentityIDs; len(ids.Items) != 1 || !strings.HasSuffix(ids.Items[0].V, "/id1") || ids.Origin != e {
		t.Errorf("identity_ids = %+v", ids)
	}
	want(t, "admin_isolation", a.AdminIsolation, true, e, line(`"functionsRuntimeAdminIsolationEnabled"`))
	want(t, "daily_memory_time_quota", a.DailyMemoryTimeQuota, 5000, e, 0)
	want(t, "functions_extension_version", a.FunctionsExtensionVersion, "~4", e, line(`"~4"`))
	want(t, "builtin_logging", a.BuiltinLogging, true, e, line(`"UseDevelopmentStorage=true"`))
	want(t, "storage_account_name", a.StorageAccountName, "stx", e, line(`AccountName=stx`))
	want(t, "storage_uses_identity", a.StorageUsesIdentity, false, e, line(`"AzureWebJobsStorage"`))
	want(t, "storage_access_key", a.StorageAccessKey, model.Sensitive("abc=="), e, 0)
	sc := a.SiteConfig
	want(t, "min_tls_version", sc.MinTLSVersion, "1.3", e, line(`"1.3"`))
	want(t, "scm_min_tls_version", sc.SCMMinTLSVersion, "1.2", e, line(`1.2,`))
	want(t, "ftps_state", sc.FTPSState, "FtpsOnly", e, 0)
	want(t, "remote_debugging", sc.RemoteDebugging, false, e, 0)
	want(t, "app_scale_limit", sc.AppScaleLimit, 10, e, 0)
	want(t, "runtime_name", sc.RuntimeName, "python", e, 0)
	want(t, "runtime_version", sc.RuntimeVersion, "3.11", e, line(`PYTHON|3.11`))
	want(t, "app_insights_connection_string", sc.AppInsightsConnectionString, model.Sensitive("InstrumentationKey=k"), e, 0)
	if o := sc.CORS.AllowedOrigins; len(o.Items) != 2 || o.Items[1].V != "*" || o.Items[1].Range.Start.Line != line(`"*"`) {
		t.Errorf("cors = %+v", o)
	}
	want(t, "cors.support_credentials", sc.CORS.SupportCredentials, true, e, 0)
	if r := sc.IPRestrictions; len(r.Items) != 2 || r.Items[0].IPAddress.V != "203.0.113.0/24" || r.Items[0].Priority.V != 100 ||
		r.Items[1].ServiceTag.V != "AzureFrontDoor.Backend" || r.Items[1].IPAddress.V != "" || r.Items[1].Action.V != "Allow" || r.Items[1].Action.Origin != model.Default {
		t.Errorf("ip restrictions = %+v %+v", r.Items[0], r.Items[1])
	}
	want(t, "ip_restriction_default_action", sc.IPRestrictionDefaultAction, "Deny", e, 0)
	want(t, "scm_use_main_ip_restriction", sc.SCMUseMainIPRestriction, true, e, 0)
	if n := len(a.AppSettings.Items); n != 5 || a.AppSettings.Origin != e {
		t.Errorf("app settings: %d, %s", n, a.AppSettings.Origin)
	}
	cs := settingNamed(t, a.ConnectionStrings, "db")
	want(t, "connection string value", cs.Value, model.Sensitive("Server=x;Password=p"), e, 0)
	want(t, "connection string type", cs.Type, "SQLAzure", e, 0)
	want(t, "connection string source", cs.Source, string(model.SourceLiteral), e, 0)
	if links.ServerFarm == nil || !strings.HasSuffix(links.ServerFarm.Str, "/serverfarms/plan") {
		t.Errorf("links.ServerFarm = %+v", links.ServerFarm)
	}
	if links.Storage == nil || links.StorageSetting != "AzureWebJobsStorage" || links.Subnet == nil {
		t.Errorf("links = %+v", links)
	}
}

// TestChildrenOverride: children override the inline values they concern,
// in any order, and their values point into the child.
func TestChildrenOverride(t *testing.T) {
	s := site(t, `{"kind": "functionapp", "properties": {
  "siteConfig": {
    "minTlsVersion": "1.0",
    "ftpsState": "AllAllowed",
    "publicNetworkAccess": "Enabled",
    "cors": {"allowedOrigins": ["*"]},
    "appSettings": [{"name": "INLINE", "value": "1"}],
    "connectionStrings": [{"name": "inline", "connectionString": "x", "type": "Custom"}]
  }}}`)
	webSrc := `{"properties": {
  "minTlsVersion": "1.2",
  "ftpsState": "Disabled",
  "publicNetworkAccess": "Disabled",
  "remoteDebuggingEnabled": true,
  "cors": {"allowedOrigins": []}
}}`
	children := []Doc{
		doc(t, "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01", "app/ftp", "ftp", `{"properties": {"allow": false}}`),
		doc(t, "Microsoft.Web/sites/config@2023-12-01", "app/web", "web", webSrc),
		doc(t, "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01", "scm", "scm", `{"properties": {"allow": false}}`),
		doc(t, "Microsoft.Web/sites/config@2023-12-01", "appsettings", "appsettings", `{"properties": {"FUNCTIONS_EXTENSION_VERSION": "~4", "AzureWebJobsStorage__accountName": "sthost"}}`),
		doc(t, "Microsoft.Web/sites/config@2023-12-01", "app/connectionstrings", "cs", `{"properties": {"db": {"value": "Server=x", "type": "SQLAzure"}}}`),
		doc(t, "Microsoft.Web/sites/networkConfig@2023-12-01", "app/virtualNetwork", "vnet", `{"properties": {"subnetResourceId": "/subscriptions/s/x/subnets/a"}}`),
		doc(t, "Microsoft.Web/sites/config@2023-12-01", "app/authsettingsV2", "auth", `{"properties": {"platform": {"enabled": true}, "globalValidation": {"requireAuthentication": true, "unauthenticatedClientAction": "Return401"}}}`),
		doc(t, "Microsoft.Web/sites/config@2023-12-01", "app/backup", "backup", `{"properties": {"storageAccountUrl": "https://st.blob.core.windows.net/b?sig=x", "backupSchedule": {"retentionPeriodInDays": 7}}}`),
		doc(t, "Microsoft.Web/sites/config@2023-12-01", "app/logs", "logs", `{"properties": {}}`),
		doc(t, "Microsoft.Web/sites/slots/config@2023-12-01", "app/staging/web", "slotweb", `{"properties": {"minTlsVersion": "1.0"}}`),
		doc(t, "Microsoft.Web/sites/hostNameBindings@2023-12-01", "app/www", "host", `{"properties": {}}`),
	}
	a, links := Site(s, children, SiteOptions{})
	e := model.Explicit
	sc := a.SiteConfig
	want(t, "min_tls_version", sc.MinTLSVersion, "1.2", e, lineOf(t, webSrc, `"1.2"`))
	if sc.MinTLSVersion.Resource != "web" {
		t.Errorf("min_tls_version resource = %q, want the config child", sc.MinTLSVersion.Resource)
	}
	want(t, "ftps_state", sc.FTPSState, "Disabled", e, 0)
	want(t, "remote_debugging", sc.RemoteDebugging, true, e, 0)
	want(t, "public_network_access", a.PublicNetworkAccess, false, e, 0)
	if o := sc.CORS.AllowedOrigins; len(o.Items) != 0 || o.Origin != e || o.Resource != "web" {
		t.Errorf("cors = %+v, want the child's empty list", o)
	}
	want(t, "ftp_basic_auth", a.FTPBasicAuth, false, e, 1)
	if a.FTPBasicAuth.Resource != "ftp" {
		t.Errorf("ftp_basic_auth resource = %q", a.FTPBasicAuth.Resource)
	}
	want(t, "scm_basic_auth", a.SCMBasicAuth, false, e, 1)
	if len(a.AppSettings.Items) != 2 || a.AppSettings.Resource != "appsettings" {
		t.Errorf("app settings = %+v, want the child's two", a.AppSettings)
	}
	want(t, "functions_extension_version", a.FunctionsExtensionVersion, "~4", e, 1)
	want(t, "storage_account_name", a.StorageAccountName, "sthost", e, 1)
	want(t, "storage_uses_identity", a.StorageUsesIdentity, true, e, 1)
	if links.StorageSetting != "AzureWebJobsStorage__accountName" || links.Storage == nil || links.Storage.Str != "sthost" {
		t.Errorf("storage link = %+v", links)
	}
	cs := settingNamed(t, a.ConnectionStrings, "db")
	want(t, "cs type", cs.Type, "SQLAzure", e, 1)
	want(t, "vnet_subnet_id", a.VNetSubnetID, "/subscriptions/s/x/subnets/a", e, 1)
	want(t, "vnet_integrated", a.VNetIntegrated, true, e, 1)
	want(t, "auth.enabled", a.Auth.Enabled, true, e, 1)
	want(t, "auth.version", a.Auth.Version, "v2", e, 1)
	want(t, "auth.require_authentication", a.Auth.RequireAuthentication, true, e, 1)
	want(t, "auth.unauthenticated_action", a.Auth.UnauthenticatedAction, "Return401", e, 1)
	want(t, "auth.require_https", a.Auth.RequireHTTPS, true, model.Default, 1)
	want(t, "backup.configured", a.Backup.Configured, true, e, 1)
	want(t, "backup.enabled", a.Backup.Enabled, true, model.Default, 1)
	want(t, "backup.retention", a.Backup.RetentionPeriodDays, 7, e, 1)
	if a.Backup.StorageAccountURL.Resource != "backup" || a.Backup.Enabled.Resource != "backup" {
		t.Errorf("backup values should belong to the backup child: %+v", a.Backup)
	}
}

// TestChildOrder: among children, a later one wins; the site's own
// property beats its inline siteConfig copy.
func TestChildOrder(t *testing.T) {
	s := site(t, `{"kind": "functionapp", "properties": {"publicNetworkAccess": "Disabled", "siteConfig": {"publicNetworkAccess": "Enabled"}}}`)
	a, _ := Site(s, nil, SiteOptions{})
	want(t, "site property wins", a.PublicNetworkAccess, false, model.Explicit, 0)

	w1 := doc(t, "Microsoft.Web/sites/config", "web", "w1", `{"properties": {"minTlsVersion": "1.0"}}`)
	w2 := doc(t, "Microsoft.Web/sites/config", "web", "w2", `{"properties": {"minTlsVersion": "1.2"}}`)
	a, _ = Site(s, []Doc{w1, w2}, SiteOptions{})
	if a.SiteConfig.MinTLSVersion.Resource != "w2" {
		t.Errorf("later child should win, got %+v", a.SiteConfig.MinTLSVersion)
	}
	// A null in a child does not erase the site's value.
	w3 := doc(t, "Microsoft.Web/sites/config", "web", "w3", `{"properties": {"publicNetworkAccess": null}}`)
	a, _ = Site(s, []Doc{w3}, SiteOptions{})
	want(t, "null is absent", a.PublicNetworkAccess, false, model.Explicit, 0)
	// An empty string is "not set".
	a, _ = Site(site(t, `{"kind": "functionapp", "properties": {"publicNetworkAccess": ""}}`), nil, SiteOptions{})
	want(t, "empty is default", a.PublicNetworkAccess, true, model.Default, 1)
}

// TestPatch: a document of the site's own type (azapi_update_resource)
// patches it.
func TestPatch(t *testing.T) {
	s := site(t, `{"kind": "functionapp", "properties": {"httpsOnly": false}}`)
	p := doc(t, "Microsoft.Web/sites@2024-04-01", "app", "upd", `{"properties": {"httpsOnly": true, "functionsRuntimeAdminIsolationEnabled": true}}`)
	a, _ := Site(s, []Doc{p}, SiteOptions{})
	want(t, "https_only", a.HTTPSOnly, true, model.Explicit, 1)
	if a.HTTPSOnly.Resource != "upd" {
		t.Errorf("https_only resource = %q", a.HTTPSOnly.Resource)
	}
	want(t, "admin_isolation", a.AdminIsolation, true, model.Explicit, 1)
	want(t, "name from Doc.Name", a.Name, "app", model.Explicit, 1)
}

func TestSlot(t *testing.T) {
	parent, _ := Site(site(t, `{"kind": "functionapp,linux"}`), nil, SiteOptions{})
	slotDoc := doc(t, "Microsoft.Web/sites/slots@2024-04-01", "app/staging", "slot", `{"name": "app/staging", "properties": {}}`)
	at := model.Range{Filename: testFile, Start: model.Pos{Line: 7, Column: 1}}
	s, _ := Site(slotDoc, []Doc{
		doc(t, "Microsoft.Web/sites/slots/basicPublishingCredentialsPolicies", "app/staging/ftp", "slotftp", `{"properties": {"allow": false}}`),
		doc(t, "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "app/scm", "siteScm", `{"properties": {"allow": false}}`),
	}, SiteOptions{Parent: parent, ParentAt: at})
	want(t, "is_slot", s.IsSlot, true, model.Explicit, 1)
	want(t, "slot_name", s.SlotName, "staging", model.Explicit, 1)
	want(t, "parent", s.Parent, "site", model.Explicit, 7)
	want(t, "os inherited", s.OS, "linux", model.Default, 1)
	want(t, "flavor inherited", s.Flavor, "linux", model.Default, 1)
	want(t, "slot ftp child", s.FTPBasicAuth, false, model.Explicit, 1)
	want(t, "site scm child does not apply to the slot", s.SCMBasicAuth, true, model.Default, 1)

	s, _ = Site(doc(t, "Microsoft.Web/sites/slots", "staging", "slot", `{"kind": "functionapp"}`), nil, SiteOptions{})
	want(t, "parent unknown", s.Parent, "", model.Unknown, 1)
	want(t, "slot_name", s.SlotName, "staging", model.Explicit, 1)
	want(t, "os from own kind", s.OS, "windows", model.Explicit, 1)
}

func TestFlex(t *testing.T) {
	src := `{"kind": "functionapp,linux", "properties": {
  "functionAppConfig": {
    "deployment": {"storage": {"type": "blobContainer", "value": "https://stflex.blob.core.windows.net/deploy", "authentication": {"type": "SystemAssignedIdentity"}}},
    "scaleAndConcurrency": {"maximumInstanceCount": 40, "instanceMemoryMB": 2048},
    "runtime": {"name": "python", "version": "3.11"}
  }
}}`
	a, links := Site(site(t, src), nil, SiteOptions{})
	want(t, "flavor", a.Flavor, "flex", model.Explicit, lineOf(t, src, `"functionAppConfig"`))
	want(t, "os", a.OS, "linux", model.Explicit, 0)
	want(t, "ftp_basic_auth", a.FTPBasicAuth, false, model.Default, 1)
	if a.FTPBasicAuth.Note != noteFlexFTP {
		t.Errorf("ftp note = %q", a.FTPBasicAuth.Note)
	}
	want(t, "ftps_state", a.SiteConfig.FTPSState, "Disabled", model.Default, 1)
	want(t, "maximum_instance_count", a.MaximumInstanceCount, 40, model.Explicit, 0)
	want(t, "functions_extension_version", a.FunctionsExtensionVersion, "~4", model.Default, 1)
	want(t, "runtime_name", a.SiteConfig.RuntimeName, "python", model.Explicit, 0)
	want(t, "runtime_version", a.SiteConfig.RuntimeVersion, "3.11", model.Explicit, 0)
	want(t, "storage_account_name", a.StorageAccountName, "stflex", model.Explicit, 0)
	want(t, "storage_uses_identity", a.StorageUsesIdentity, true, model.Explicit, 0)
	want(t, "backup.configured", a.Backup.Configured, false, model.Default, 1)
	if links.Storage == nil || links.StorageSetting != "" {
		t.Errorf("links = %+v", links)
	}

	// functionAppConfig unknown: the flavor is unknown.
	a, _ = Site(site(t, `{"kind": "functionapp", "properties": {"functionAppConfig": "<unknown:var.fc1 has no value>"}}`), nil, SiteOptions{})
	want(t, "flavor unknown", a.Flavor, "", model.Unknown, 1)
	if a.Flavor.Note != "var.fc1 has no value" {
		t.Errorf("flavor note = %q", a.Flavor.Note)
	}
}

func TestCaseInsensitiveKeys(t *testing.T) {
	src := `{"KIND": "FunctionApp", "Identity": {"Type": "SystemAssigned"}, "Properties": {
  "HTTPSONLY": true,
  "SiteConfig": {"MinTlsVersion": "1.1", "FTPSState": "Disabled", "AppSettings": [{"Name": "azurewebjobsstorage__ACCOUNTNAME", "Value": "st1"}]}
}}`
	d := site(t, src)
	if !IsFunctionApp(d) {
		t.Fatal("KIND should be read")
	}
	a, _ := Site(d, []Doc{doc(t, "MICROSOFT.WEB/SITES/BASICPUBLISHINGCREDENTIALSPOLICIES", "app/FTP", "ftp", `{"Properties": {"Allow": false}}`)}, SiteOptions{})
	want(t, "https_only", a.HTTPSOnly, true, model.Explicit, 0)
	want(t, "identity", a.Identity.Type, "SystemAssigned", model.Explicit, 0)
	want(t, "min_tls", a.SiteConfig.MinTLSVersion, "1.1", model.Explicit, 0)
	want(t, "ftps", a.SiteConfig.FTPSState, "Disabled", model.Explicit, 0)
	want(t, "ftp", a.FTPBasicAuth, false, model.Explicit, 0)
	want(t, "storage", a.StorageAccountName, "st1", model.Explicit, 0)
	// An exact match wins over a case-folded one.
	a, _ = Site(site(t, `{"kind": "functionapp", "properties": {"HttpsOnly": false, "httpsOnly": true}}`), nil, SiteOptions{})
	want(t, "exact key wins", a.HTTPSOnly, true, model.Explicit, 0)
}

// TestUnknown: unknown values stay unknown, with the parser's note, and
// an unknown object makes everything inside it unknown.
func TestUnknown(t *testing.T) {
	a, _ := Site(site(t, `{"kind": "functionapp", "properties": "<unknown:var.props has no value>"}`), nil, SiteOptions{})
	for what, m := range map[string]model.Meta{
		"https_only":      a.HTTPSOnly.Meta,
		"public":          a.PublicNetworkAccess.Meta,
		"min_tls":         a.SiteConfig.MinTLSVersion.Meta,
		"cors":            a.SiteConfig.CORS.AllowedOrigins.Meta,
		"app_settings":    a.AppSettings.Meta,
		"fev":             a.FunctionsExtensionVersion.Meta,
		"storage":         a.StorageAccountName.Meta,
		"ip_rules":        a.SiteConfig.IPRestrictions.Meta,
		"ip_default":      a.SiteConfig.IPRestrictionDefaultAction.Meta,
		"appinsights_key": a.SiteConfig.AppInsightsKey.Meta,
		"flavor":          a.Flavor.Meta,
	} {
		if m.Origin != model.Unknown || m.Note != "var.props has no value" || m.Range.Start.Line != 1 {
			t.Errorf("%s: %+v, want unknown with the parser's note", what, m)
		}
	}
	// An unknown child body makes what the child concerns unknown.
	ftp := doc(t, "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "ftp", "ftp", `"<unknown:local.policy has no value>"`)
	a, _ = Site(site(t, `{"kind": "functionapp"}`), []Doc{ftp}, SiteOptions{})
	want(t, "ftp unknown", a.FTPBasicAuth, false, model.Unknown, 0)
	want(t, "scm untouched", a.SCMBasicAuth, true, model.Default, 1)
	// A node of an unexpected kind is unknown with a note, never a panic.
	a, _ = Site(site(t, `{"kind": "functionapp", "properties": {"httpsOnly": [1], "siteConfig": {"cors": "x", "ipSecurityRestrictions": {}, "appSettings": 3}}}`), nil, SiteOptions{})
	want(t, "odd https_only", a.HTTPSOnly, false, model.Unknown, 0)
	if a.SiteConfig.IPRestrictions.Origin != model.Unknown || a.AppSettings.Origin != model.Unknown {
		t.Errorf("odd lists should be unknown: %+v %+v", a.SiteConfig.IPRestrictions.Meta, a.AppSettings.Meta)
	}
	// A missing name keeps the app addressable.
	a, _ = Site(Doc{Type: TypeSite, Resource: model.Resource{Address: "x", Range: model.Range{Filename: testFile, Start: model.Pos{Line: 1}}}}, nil, SiteOptions{})
	want(t, "name", a.Name, "", model.Unknown, 0)
}

func TestAccessRestrictionDefaultAction(t *testing.T) {
	for _, tc := range []struct {
		name, siteConfig string
		action           string
		origin           model.Origin
	}{
		{"no rules", `{}`, "Allow", model.Default},
		{"empty rules", `{"ipSecurityRestrictions": []}`, "Allow", model.Default},
		{"one allow rule", `{"ipSecurityRestrictions": [{"ipAddress": "10.0.0.0/8", "action": "Allow"}]}`, "Deny", model.Default},
		{"explicit allow", `{"ipSecurityRestrictions": [{"ipAddress": "10.0.0.0/8"}], "ipSecurityRestrictionsDefaultAction": "Allow"}`, "Allow", model.Explicit},
		{"unknown rules", `{"ipSecurityRestrictions": "<unknown>"}`, "", model.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, _ := Site(site(t, `{"kind": "functionapp", "properties": {"siteConfig": `+tc.siteConfig+`}}`), nil, SiteOptions{})
			want(t, "default action", a.SiteConfig.IPRestrictionDefaultAction, tc.action, tc.origin, 0)
			want(t, "scm default action", a.SiteConfig.SCMIPRestrictionDefaultAction, "Allow", model.Default, 1)
		})
	}
}

func TestVNetIntegration(t *testing.T) {
	for _, tc := range []struct {
		name, props string
		want        bool
		origin      model.Origin
	}{
		{"subnet", `{"virtualNetworkSubnetId": "/s/subnets/a"}`, true, model.Explicit},
		{"empty subnet", `{"virtualNetworkSubnetId": ""}`, false, model.Explicit},
		{"subnet from another resource", `{"virtualNetworkSubnetId": "<ref:id>"}`, true, model.Explicit},
		{"subnet from an unset variable", `{"virtualNetworkSubnetId": "<unknown>"}`, false, model.Unknown},
		{"app service environment", `{"hostingEnvironmentProfile": {"id": "/s/hostingEnvironments/ase"}}`, true, model.Explicit},
		{"none", `{}`, false, model.Default},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, _ := Site(site(t, `{"kind": "functionapp", "properties": `+tc.props+`}`), nil, SiteOptions{})
			want(t, "vnet_integrated", a.VNetIntegrated, tc.want, tc.origin, 0)
		})
	}
}

func TestVNetRouteAll(t *testing.T) {
	for _, tc := range []struct {
		name, api, props string
		want             bool
		origin           model.Origin
	}{
		{"old property", "2024-04-01", `{"vnetRouteAllEnabled": true}`, true, model.Explicit},
		{"old property after 2024-11-01 is not read", "2024-11-01", `{"vnetRouteAllEnabled": true}`, false, model.Default},
		{"siteConfig", "2024-04-01", `{"siteConfig": {"vnetRouteAllEnabled": true}}`, true, model.Explicit},
		{"siteConfig after 2024-11-01", "2024-11-01", `{"siteConfig": {"vnetRouteAllEnabled": true}}`, true, model.Explicit},
		{"outbound all", "2024-11-01", `{"outboundVnetRouting": {"allTraffic": true}}`, true, model.Explicit},
		{"outbound before 2024-11-01 is not read", "2024-04-01", `{"outboundVnetRouting": {"allTraffic": true}}`, false, model.Default},
		{"outbound application", "2025-03-01", `{"outboundVnetRouting": {"allTraffic": false, "applicationTraffic": true}}`, true, model.Explicit},
		{"outbound off", "2024-11-01", `{"outboundVnetRouting": {"allTraffic": false}}`, false, model.Explicit},
		{"unknown", "2024-11-01", `{"outboundVnetRouting": {"allTraffic": "<unknown>"}}`, false, model.Unknown},
		{"unknown api-version reads both", "", `{"outboundVnetRouting": {"applicationTraffic": true}}`, true, model.Explicit},
		{"App Service Environment", "2024-04-01", `{"hostingEnvironmentProfile": {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/hostingEnvironments/ase"}}`, true, model.Explicit},
		{"none", "2024-04-01", `{}`, false, model.Default},
	} {
		t.Run(tc.name, func(t *testing.T) {
			typ := "Microsoft.Web/sites"
			if tc.api != "" {
				typ += "@" + tc.api
			}
			a, _ := Site(doc(t, typ, "app", "site", `{"kind": "functionapp", "properties": `+tc.props+`}`), nil, SiteOptions{})
			want(t, "vnet_route_all", a.VNetRouteAll, tc.want, tc.origin, 0)
		})
	}
}

func TestIdentity(t *testing.T) {
	a, _ := Site(site(t, `{"kind": "functionapp", "identity": {"type": "UserAssigned", "userAssignedIdentities": ["/id/a", "<unknown>"]}}`), nil, SiteOptions{})
	ids := a.Identity.IdentityIDs
	if len(ids.Items) != 2 || ids.Items[0].V != "/id/a" || ids.Items[1].Origin != model.Unknown {
		t.Errorf("list form: %+v", ids)
	}
	a, _ = Site(site(t, `{"kind": "functionapp", "identity": {"type": "UserAssigned", "userAssignedIdentities": "<unknown>"}}`), nil, SiteOptions{})
	if a.Identity.IdentityIDs.Origin != model.Unknown {
		t.Errorf("unknown ids: %+v", a.Identity.IdentityIDs)
	}
	a, _ = Site(site(t, `{"kind": "functionapp", "identity": {}}`), nil, SiteOptions{})
	want(t, "type", a.Identity.Type, "None", model.Default, 1)
}

func TestAuthLegacy(t *testing.T) {
	a, _ := Site(site(t, `{"kind": "functionapp", "properties": {"siteConfig": {"siteAuthEnabled": true}}}`), nil, SiteOptions{})
	want(t, "siteAuthEnabled", a.Auth.Enabled, true, model.Explicit, 0)
	want(t, "version", a.Auth.Version, "v1", model.Explicit, 0)

	v1 := doc(t, "Microsoft.Web/sites/config", "app/authsettings", "v1", `{"properties": {"enabled": true, "unauthenticatedClientAction": "AllowAnonymous", "clientSecret": "s3cr3t", "googleClientSecret": ""}}`)
	a, _ = Site(site(t, `{"kind": "functionapp"}`), []Doc{v1}, SiteOptions{})
	want(t, "v1 enabled", a.Auth.Enabled, true, model.Explicit, 1)
	want(t, "v1 anonymous", a.Auth.RequireAuthentication, false, model.Explicit, 1)
	if s := a.Auth.InlineSecrets; len(s.Items) != 1 || s.Items[0].Name.V != "clientSecret" || s.Items[0].Source.V != string(model.SourceLiteral) {
		t.Errorf("inline secrets = %+v", s)
	}
	// A disabled v2 child does not hide an enabled v1 child.
	v2 := doc(t, "Microsoft.Web/sites/config", "app/authsettingsV2", "v2", `{"properties": {"platform": {"enabled": false}}}`)
	a, _ = Site(site(t, `{"kind": "functionapp"}`), []Doc{v2, v1}, SiteOptions{})
	want(t, "v1 wins when v2 is off", a.Auth.Version, "v1", model.Explicit, 1)
	a, _ = Site(site(t, `{"kind": "functionapp"}`), []Doc{v2}, SiteOptions{})
	want(t, "v2 off", a.Auth.Enabled, false, model.Explicit, 1)
	want(t, "v2 require auth default", a.Auth.RequireAuthentication, false, model.Default, 1)
	if a.Auth.RequireAuthentication.Resource != "v2" {
		t.Errorf("defaults inside a child belong to it: %q", a.Auth.RequireAuthentication.Resource)
	}
}

// TestSettingSources: where a setting value comes from.
func TestSettingSources(t *testing.T) {
	src := `{"kind": "functionapp", "properties": {"siteConfig": {"appSettings": [
  {"name": "LIT", "value": "plain"},
  {"name": "KV", "value": "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/s)"},
  {"name": "KVLOWER", "value": "  @microsoft.keyvault(VaultName=v;SecretName=s)"},
  {"name": "KVUNKNOWN", "value": "<kvref>"},
  {"name": "REF", "value": "<ref:primary_connection_string>"},
  {"name": "SENS", "value": "<sensitive:hunter2>"},
  {"name": "UNK", "value": "<unknown:var.x has no value>"},
  {"name": "NUM", "value": 3},
  {"name": "NOVALUE"},
  {"value": "nameless"}
]}}}`
	a, _ := Site(site(t, src), nil, SiteOptions{})
	for _, tc := range []struct {
		name   string
		source model.ValueSource
		attr   string
		origin model.Origin
		value  string
	}{
		{"LIT", model.SourceLiteral, "", model.Explicit, "plain"},
		{"KV", model.SourceKeyVault, "", model.Explicit, "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/s)"},
		{"KVLOWER", model.SourceKeyVault, "", model.Explicit, "  @microsoft.keyvault(VaultName=v;SecretName=s)"},
		{"KVUNKNOWN", model.SourceKeyVault, "", model.Unknown, ""},
		{"REF", model.SourceResource, "primary_connection_string", model.Unknown, ""},
		{"SENS", model.SourceSensitiveInput, "", model.Explicit, "hunter2"},
		{"UNK", model.SourceUnknown, "", model.Unknown, ""},
		{"NUM", model.SourceLiteral, "", model.Explicit, "3"},
		{"NOVALUE", model.SourceLiteral, "", model.Default, ""},
	} {
		s := settingNamed(t, a.AppSettings, tc.name)
		if s.Source.V != string(tc.source) || s.Attribute.V != tc.attr {
			t.Errorf("%s: source %q attribute %q, want %q %q", tc.name, s.Source.V, s.Attribute.V, tc.source, tc.attr)
		}
		want(t, tc.name, s.Value, model.Sensitive(tc.value), tc.origin, lineOf(t, src, `"`+tc.name+`"`))
		want(t, tc.name+" name", s.Name, tc.name, model.Explicit, lineOf(t, src, `"`+tc.name+`"`))
	}
	if n := len(a.AppSettings.Items); n != 10 {
		t.Fatalf("%d settings", n)
	}
	if u := a.AppSettings.Items[9]; u.Name.Origin != model.Unknown || u.Value.V != "nameless" {
		t.Errorf("nameless setting = %+v", u)
	}
	want(t, "unknown note", settingNamed(t, a.AppSettings, "UNK").Value, "", model.Unknown, 0)
	if n := settingNamed(t, a.AppSettings, "UNK").Value.Note; n != "var.x has no value" {
		t.Errorf("unknown note = %q", n)
	}
}

func TestHostStorageSettings(t *testing.T) {
	for _, tc := range []struct {
		name, settings string
		account        string
		origin         model.Origin
		identity       bool
	}{
		{"account name", `{"name": "AzureWebJobsStorage__accountName", "value": "sta"}`, "sta", model.Explicit, true},
		{"blob uri", `{"name": "AzureWebJobsStorage__blobServiceUri", "value": "https://stb.blob.core.windows.net"}`, "stb", model.Explicit, true},
		{"connection string", `{"name": "AzureWebJobsStorage", "value": "AccountName=stc;AccountKey=k"}`, "stc", model.Explicit, false},
		{"connection string from a resource", `{"name": "AzureWebJobsStorage", "value": "<ref:primary_connection_string>"}`, "", model.Unknown, false},
		{"key vault", `{"name": "AzureWebJobsStorage", "value": "@Microsoft.KeyVault(SecretUri=x)"}`, "", model.Unknown, false},
		{"identity preferred", `{"name": "AzureWebJobsStorage", "value": "AccountName=old"}, {"name": "AzureWebJobsStorage__accountName", "value": "new"}`, "new", model.Explicit, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, links := Site(site(t, `{"kind": "functionapp", "properties": {"siteConfig": {"appSettings": [`+tc.settings+`]}}}`), nil, SiteOptions{})
			want(t, "storage_account_name", a.StorageAccountName, tc.account, tc.origin, 0)
			want(t, "storage_uses_identity", a.StorageUsesIdentity, tc.identity, model.Explicit, 0)
			if links.Storage == nil {
				t.Error("no storage link")
			}
		})
	}
}

func TestSettle(t *testing.T) {
	a, _ := Site(site(t, `{"kind": "functionapp"}`), nil, SiteOptions{})
	Settle(a)
	want(t, "no endpoint", a.PublicNetworkAccess, true, model.Default, 1)
	a.PrivateEndpoints.Items = append(a.PrivateEndpoints.Items, &model.EndpointLink{})
	Settle(a)
	want(t, "private endpoint", a.PublicNetworkAccess, false, model.Default, 1)
	if a.PublicNetworkAccess.Note != notePublicPE {
		t.Errorf("note = %q", a.PublicNetworkAccess.Note)
	}
	b, _ := Site(site(t, `{"kind": "functionapp", "properties": {"publicNetworkAccess": "Enabled"}}`), nil, SiteOptions{})
	b.PrivateEndpoints.Items = append(b.PrivateEndpoints.Items, &model.EndpointLink{})
	Settle(b)
	want(t, "explicit stays", b.PublicNetworkAccess, true, model.Explicit, 0)
	Settle(nil)
}

// TestApply: children patch an app built elsewhere; nothing else changes.
func TestApply(t *testing.T) {
	at := model.Range{Filename: "main.tf", Start: model.Pos{Line: 3, Column: 1}}
	app := &model.FunctionApp{Resource: model.Resource{Address: "azurerm_linux_function_app.x", Range: at}}
	app.Flavor = model.Set("linux", at, app.Address)
	app.IsSlot = model.Set(false, at, app.Address)
	app.HTTPSOnly = model.Set(true, at, app.Address)
	app.FTPBasicAuth = model.Defaulted(true, at, app.Address, "azurerm default")
	app.AppSettings = model.List[*model.Setting]{Meta: model.Meta{Range: at, Origin: model.Explicit}}
	links := Apply(app, []Doc{
		doc(t, "Microsoft.Web/sites/basicPublishingCredentialsPolicies@2022-09-01", "ftp", "azapi_resource.ftp", `{"properties": {"allow": false}}`),
		doc(t, "Microsoft.Web/sites@2022-09-01", "", "azapi_update_resource.iso", `{"properties": {"functionsRuntimeAdminIsolationEnabled": true, "virtualNetworkSubnetId": "/s/subnets/a"}}`),
		doc(t, "Microsoft.Web/sites/slots/config", "web", "azapi_resource.slotweb", `{"properties": {"minTlsVersion": "1.0"}}`),
	})
	want(t, "ftp", app.FTPBasicAuth, false, model.Explicit, 1)
	want(t, "admin_isolation", app.AdminIsolation, true, model.Explicit, 1)
	want(t, "vnet", app.VNetIntegrated, true, model.Explicit, 1)
	want(t, "https_only untouched", app.HTTPSOnly, true, model.Explicit, 3)
	if app.SiteConfig.MinTLSVersion.Origin != model.Unknown || app.SiteConfig.MinTLSVersion.Note != "" {
		t.Errorf("a slot child must not touch the app: %+v", app.SiteConfig.MinTLSVersion)
	}
	if app.AppSettings.Range != at || app.Identity.Type.Origin != model.Unknown || app.Auth.Enabled.Origin != model.Unknown || app.Backup.Configured.Origin != model.Unknown {
		t.Error("Apply changed values no document writes")
	}
	if links.Subnet == nil {
		t.Error("no subnet link")
	}
	if Apply(nil, nil) != (Links{}) {
		t.Error("Apply(nil)")
	}
}

func TestRuntimeWindows(t *testing.T) {
	a, _ := Site(site(t, `{"kind": "functionapp", "properties": {"siteConfig": {"netFrameworkVersion": "v8.0", "appSettings": [{"name": "FUNCTIONS_WORKER_RUNTIME", "value": "dotnet-isolated"}]}}}`), nil, SiteOptions{})
	want(t, "runtime_name", a.SiteConfig.RuntimeName, "dotnet-isolated", model.Explicit, 0)
	want(t, "runtime_version", a.SiteConfig.RuntimeVersion, "v8.0", model.Explicit, 0)
	a, _ = Site(site(t, `{"kind": "functionapp", "properties": {"reserved": true}}`), nil, SiteOptions{})
	want(t, "reserved means linux", a.OS, "linux", model.Explicit, 0)
}
