package derive

import (
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func TestModuleCountsAppsPerStorageAccount(t *testing.T) {
	shared := &model.StorageAccount{Resource: model.Resource{Address: "st.shared"}}
	own := &model.StorageAccount{Resource: model.Resource{Address: "st.own"}}
	unused := &model.StorageAccount{Resource: model.Resource{Address: "st.unused"}}
	app := func(addr string, sa *model.StorageAccount) *model.FunctionApp {
		return &model.FunctionApp{Resource: model.Resource{Address: addr}, StorageAccount: sa}
	}
	a, b, c := app("app.a", shared), app("app.b", shared), app("app.c", own)
	slot := app("app.a_staging", shared)
	slot.IsSlot = model.Set(true, model.Range{}, slot.Address)
	slot.Parent = model.Set("app.a", model.Range{}, slot.Address)
	m := &model.Module{FunctionApps: []*model.FunctionApp{a, slot, b, c}, StorageAccounts: []*model.StorageAccount{shared, own, unused}}
	Module(m)
	for _, tt := range []struct {
		sa   *model.StorageAccount
		want int64
		note string
	}{
		{shared, 2, "host storage of app.a, app.b"}, // the slot counts with app.a
		{own, 1, "host storage of app.c"},
		{unused, 0, "host storage of no function app in the module"},
	} {
		if tt.sa.AppCount.V != tt.want || tt.sa.AppCount.Origin != model.Explicit || tt.sa.AppCount.Note != tt.note {
			t.Errorf("%s: AppCount = %d (%s, %q), want %d (%q)", tt.sa.Address, tt.sa.AppCount.V, tt.sa.AppCount.Origin, tt.sa.AppCount.Note, tt.want, tt.note)
		}
	}
}

func TestAppInsights(t *testing.T) {
	r := model.Range{Filename: "main.tf", Start: model.Pos{Line: 3}}
	setting := func(name, value string, src model.ValueSource) *model.Setting {
		return &model.Setting{Name: model.Set(name, r, "app"), Value: model.Set(model.Sensitive(value), r, "app"), Source: model.Set(string(src), r, "app")}
	}
	for _, tt := range []struct {
		name                  string
		settings              []*model.Setting
		cs                    model.Secret
		configured, cstr, aad model.Origin
		wantConf, wantAAD     bool
	}{
		{"nothing", nil, model.Secret{Meta: model.Meta{Origin: model.Default}}, model.Default, model.Default, model.Default, false, false},
		{"reference in site_config", nil, model.Unresolved[model.Sensitive](r, "app", "apply time"), model.Explicit, model.Explicit, model.Default, true, false},
		{"key setting and AAD", []*model.Setting{
			setting("APPINSIGHTS_INSTRUMENTATIONKEY", "00000000-0000-4000-8000-000000000000", model.SourceLiteral),
			setting("applicationinsights_authentication_string", "Authorization = AAD;ClientId=x", model.SourceLiteral),
		}, model.Secret{Meta: model.Meta{Origin: model.Default}}, model.Explicit, model.Default, model.Explicit, true, true},
		{"connection string from a Key Vault reference, other auth", []*model.Setting{
			setting("APPLICATIONINSIGHTS_CONNECTION_STRING", "@Microsoft.KeyVault(SecretUri=https://kv/secrets/ai)", model.SourceKeyVault),
			setting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "ClientId=x", model.SourceLiteral),
		}, model.Secret{Meta: model.Meta{Origin: model.Default}}, model.Explicit, model.Explicit, model.Explicit, true, false},
		{"empty setting", []*model.Setting{setting("APPLICATIONINSIGHTS_CONNECTION_STRING", " ", model.SourceLiteral)},
			model.Secret{Meta: model.Meta{Origin: model.Default}}, model.Default, model.Default, model.Default, false, false},
	} {
		a := &model.FunctionApp{Resource: model.Resource{Address: "app"}}
		a.AppSettings = model.List[*model.Setting]{Items: tt.settings, Meta: model.Meta{Origin: model.Explicit}}
		a.SiteConfig.AppInsightsConnectionString = tt.cs
		a.SiteConfig.AppInsightsKey = model.Secret{Meta: model.Meta{Origin: model.Default}}
		App(a)
		ai := a.AppInsights
		if ai.Configured.Origin != tt.configured || ai.ConnectionString.Origin != tt.cstr || ai.EntraAuth.Origin != tt.aad ||
			ai.Configured.V != tt.wantConf || ai.EntraAuth.V != tt.wantAAD {
			t.Errorf("%s: configured %v (%s), connection string %v (%s), entra %v (%s)", tt.name,
				ai.Configured.V, ai.Configured.Origin, ai.ConnectionString.V, ai.ConnectionString.Origin, ai.EntraAuth.V, ai.EntraAuth.Origin)
		}
	}

	// Unknown app settings: whether a setting is there cannot be told.
	a := &model.FunctionApp{Resource: model.Resource{Address: "app"}}
	a.AppSettings = model.List[*model.Setting]{Meta: model.Meta{Origin: model.Unknown, Range: r}}
	a.SiteConfig.AppInsightsConnectionString = model.Secret{Meta: model.Meta{Origin: model.Default}}
	a.SiteConfig.AppInsightsKey = model.Secret{Meta: model.Meta{Origin: model.Default}}
	App(a)
	if a.AppInsights.Configured.Origin != model.Unknown || a.AppInsights.EntraAuth.Origin != model.Unknown {
		t.Errorf("unknown settings: configured %s, entra %s; want unknown", a.AppInsights.Configured.Origin, a.AppInsights.EntraAuth.Origin)
	}
}

func TestRouteAllSetting(t *testing.T) {
	r := model.Range{Filename: "main.tf", Start: model.Pos{Line: 7}}
	setting := func(value string, src model.ValueSource) *model.Setting {
		return &model.Setting{Name: model.Set("website_vnet_route_all", r, "app"), Value: model.Set(model.Sensitive(value), r, "app"), Source: model.Set(string(src), r, "app")}
	}
	off := model.Defaulted(false, model.Range{Filename: "main.tf", Start: model.Pos{Line: 1}}, "app", "vnet_route_all_enabled not set")
	for _, tt := range []struct {
		name     string
		settings model.List[*model.Setting]
		route    model.Bool
		want     model.Origin
		wantV    bool
	}{
		{"no setting", model.List[*model.Setting]{Meta: model.Meta{Origin: model.Default}}, off, model.Default, false},
		{"setting 1", model.List[*model.Setting]{Items: []*model.Setting{setting(" 1 ", model.SourceLiteral)}, Meta: model.Meta{Origin: model.Explicit}}, off, model.Explicit, true},
		{"setting 0", model.List[*model.Setting]{Items: []*model.Setting{setting("0", model.SourceLiteral)}, Meta: model.Meta{Origin: model.Explicit}}, off, model.Default, false},
		{"setting from a reference", model.List[*model.Setting]{Items: []*model.Setting{setting("", model.SourceResource)}, Meta: model.Meta{Origin: model.Explicit}}, off, model.Unknown, false},
		{"settings unknown", model.List[*model.Setting]{Meta: model.Meta{Origin: model.Unknown, Note: "var.settings"}}, off, model.Unknown, false},
		{"already routed", model.List[*model.Setting]{Meta: model.Meta{Origin: model.Unknown}}, model.Set(true, r, "app"), model.Explicit, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			app := &model.FunctionApp{AppSettings: tt.settings, VNetRouteAll: tt.route}
			App(app)
			got := app.VNetRouteAll
			if got.Origin != tt.want || got.V != tt.wantV {
				t.Errorf("VNetRouteAll = %v (%s), want %v (%s)", got.V, got.Origin, tt.wantV, tt.want)
			}
			if tt.wantV && got.Origin == model.Explicit && got.Range.Start.Line != 7 && tt.name == "setting 1" {
				t.Errorf("VNetRouteAll at line %d, want the setting's line 7", got.Range.Start.Line)
			}
		})
	}
}

// TestCutLowerPrefix: cutLowerPrefix finds the prefix and what follows it
// in lower case exactly as lowering the whole name and cutting does, for
// names in every case, with wide characters (ſ folds to s but does not
// lower to it; İ lowers to i and the Kelvin sign to k, letters the
// prefix does not hold) and invalid UTF-8.
func TestCutLowerPrefix(t *testing.T) {
	const prefix = "azurewebjobsstorage"
	for _, name := range []string{
		"AzureWebJobsStorage", "AZUREWEBJOBSSTORAGE__accountName", "azurewebjobsstorage__BlobServiceUri",
		"AzureWebJobsStorage__credential", "AzureWebJobsStorageX", "AzureWebJobſStorage", "AzureWebJobsStorage__\u0130d",
		"AzureWebJobsStorage__\u212aey", "AzureWebJobsStorage\xff", "AzureWebJobsStorag", "AzureWebJobsDashboard",
		"WEBSITE_RUN_FROM_PACKAGE", "", "\u0130AzureWebJobsStorage", "azurewebjobsstorage",
	} {
		wantRest, wantOK := strings.CutPrefix(strings.ToLower(name), prefix)
		rest, ok := cutLowerPrefix(name, prefix)
		if ok != wantOK || ok && rest != wantRest {
			t.Errorf("cutLowerPrefix(%q) = %q, %v; lowering and cutting gives %q, %v", name, rest, ok, wantRest, wantOK)
		}
	}
}
