package armsite

import (
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func TestStorageAccountDefaults(t *testing.T) {
	for _, tc := range []struct {
		api         string
		https, blob bool
	}{
		{"2018-07-01", false, true},
		{"2019-04-01", true, true},
		{"2022-09-01", true, true},
		{"2023-01-01", true, false},
		{"2023-05-01", true, false},
		{"2025-01-01-preview", true, false},
		{"", true, false},
	} {
		t.Run(tc.api, func(t *testing.T) {
			typ := TypeStorageAccount
			if tc.api != "" {
				typ += "@" + tc.api
			}
			sa := StorageAccount(doc(t, typ, "st", "sa", `{"sku": {"name": "Standard_LRS"}, "properties": {}}`))
			d := model.Default
			want(t, "https_traffic_only", sa.HTTPSTrafficOnly, tc.https, d, 1)
			want(t, "allow_blob_public_access", sa.AllowBlobPublicAccess, tc.blob, d, 1)
			want(t, "public_network_access", sa.PublicNetworkAccess, true, d, 1)
			want(t, "network_default_action", sa.NetworkDefaultAction, "Allow", d, 1)
			want(t, "shared_key_access", sa.SharedKeyAccess, true, d, 1)
			want(t, "min_tls_version", sa.MinTLSVersion, "TLS1_0", d, 1)
			want(t, "replication_type", sa.ReplicationType, "LRS", model.Explicit, 1)
			want(t, "name", sa.Name, "st", model.Explicit, 1)
			if sa.PrivateEndpoints.Origin != d {
				t.Errorf("private endpoints: %+v", sa.PrivateEndpoints.Meta)
			}
		})
	}
}

func TestStorageAccountExplicit(t *testing.T) {
	src := `{"name": "sthost", "sku": {"name": "Standard_RAGZRS"}, "properties": {
  "publicNetworkAccess": "Disabled",
  "networkAcls": {"defaultAction": "Deny"},
  "allowSharedKeyAccess": null,
  "minimumTlsVersion": "TLS1_2",
  "supportsHttpsTrafficOnly": false,
  "allowBlobPublicAccess": true
}}`
	sa := StorageAccount(doc(t, "Microsoft.Storage/storageAccounts@2023-01-01", "", "sa", src))
	e := model.Explicit
	want(t, "name", sa.Name, "sthost", e, 1)
	want(t, "public", sa.PublicNetworkAccess, false, e, lineOf(t, src, `"Disabled"`))
	want(t, "acl", sa.NetworkDefaultAction, "Deny", e, 0)
	want(t, "shared key null", sa.SharedKeyAccess, true, model.Default, 1)
	want(t, "tls", sa.MinTLSVersion, "TLS1_2", e, 0)
	want(t, "https", sa.HTTPSTrafficOnly, false, e, lineOf(t, src, `"supportsHttpsTrafficOnly"`))
	want(t, "blob", sa.AllowBlobPublicAccess, true, e, 0)
	want(t, "replication", sa.ReplicationType, "RAGZRS", e, 1)

	sa = StorageAccount(doc(t, TypeStorageAccount, "", "sa", `{"properties": {"publicNetworkAccess": "SecuredByPerimeter"}}`))
	want(t, "perimeter", sa.PublicNetworkAccess, false, e, 1)
	want(t, "no sku", sa.ReplicationType, "", model.Unknown, 1)
	want(t, "no name", sa.Name, "", model.Unknown, 1)
}

func TestPlan(t *testing.T) {
	p := Plan(doc(t, "Microsoft.Web/serverfarms@2024-04-01", "plan", "azapi_resource.plan", `{"kind": "functionapp", "sku": {"name": "FC1", "tier": "FlexConsumption"}, "properties": {"reserved": true, "zoneRedundant": true}}`))
	want(t, "sku", p.SKU, "FC1", model.Explicit, 1)
	want(t, "os", p.OS, "Linux", model.Explicit, 1)
	want(t, "zone", p.ZoneRedundant, true, model.Explicit, 1)
	want(t, "name", p.Name, "plan", model.Explicit, 1)
	p = Plan(doc(t, TypeServerFarm, "plan", "p", `{"sku": {"name": "<unknown>"}}`))
	want(t, "sku unknown", p.SKU, "", model.Unknown, 1)
	want(t, "os default", p.OS, "Windows", model.Default, 1)
	want(t, "zone default", p.ZoneRedundant, false, model.Default, 1)
	p = Plan(doc(t, TypeServerFarm, "plan", "p", `{"kind": "linux"}`))
	want(t, "linux kind", p.OS, "Linux", model.Explicit, 1)
	want(t, "no sku", p.SKU, "", model.Unknown, 1)
}

// TestNoPanics feeds odd shapes everywhere a mapping looks.
func TestNoPanics(t *testing.T) {
	bodies := []string{
		`null`, `3`, `"x"`, `[]`, `{}`, `"<unknown>"`,
		`{"kind": 3, "identity": [], "properties": []}`,
		`{"kind": "functionapp", "identity": {"type": 3, "userAssignedIdentities": 5}, "properties": {"siteConfig": [], "functionAppConfig": 1}}`,
		`{"kind": "functionapp", "properties": {"siteConfig": {"appSettings": [3, null, "<unknown>", {"name": 4, "value": []}], "connectionStrings": {}, "ipSecurityRestrictions": [null, 1, {"tag": "<unknown>"}], "cors": {"allowedOrigins": [1, null]}}}}`,
		`{"kind": "functionapp", "properties": {"functionAppConfig": {"deployment": {"storage": {"value": "nohost"}}}}}`,
		`{"sku": [], "properties": {"publicNetworkAccess": 1, "networkAcls": "x"}}`,
	}
	for _, b := range bodies {
		var docs []Doc
		for _, typ := range []string{"Microsoft.Web/sites/config", "Microsoft.Web/sites/basicPublishingCredentialsPolicies", "Microsoft.Web/sites/networkConfig", "Microsoft.Web/sites"} {
			for _, name := range []string{"web", "appsettings", "connectionstrings", "authsettingsV2", "authsettings", "backup", "ftp", "scm", "virtualNetwork", ""} {
				docs = append(docs, doc(t, typ, name, "c", b))
			}
		}
		for _, typ := range []string{TypeSite, TypeSlot} {
			a, _ := Site(doc(t, typ, "app/s", "x", b), docs, SiteOptions{})
			Settle(a)
			Apply(a, docs)
		}
		StorageAccount(doc(t, TypeStorageAccount, "", "x", b))
		Plan(doc(t, TypeServerFarm, "", "x", b))
		IsFunctionApp(doc(t, TypeSite, "", "x", b))
	}
	Site(Doc{}, []Doc{{}}, SiteOptions{})
	StorageAccount(Doc{})
	Plan(Doc{})
}

// TestIsKeyVaultRef: a Key Vault reference is told by the lower-cased,
// trimmed value's start, also when non-ASCII characters lower-case to
// other lengths.
func TestIsKeyVaultRef(t *testing.T) {
	for _, s := range []string{
		"@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/s/)", "  @microsoft.keyvault(VaultName=v;SecretName=s)",
		"@Microsoft.KeyVault", "@Microsoft.KeyVaultx(", "DefaultEndpointsProtocol=https;AccountName=st", "", " ",
		"@microsoft.\u212Aeyvault(x)", "@MİCROSOFT.KEYVAULT(x)", "\u00e9@microsoft.keyvault(", "@microsoft.keyvault(\u00e9",
	} {
		want := strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "@microsoft.keyvault(")
		if got := isKeyVaultRef(s); got != want {
			t.Errorf("isKeyVaultRef(%q) = %v, want %v", s, got, want)
		}
	}
}
