package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
)

const mainTF = "main.tf"

func at(line int) model.Range {
	return model.Range{Filename: mainTF, Start: model.Pos{Line: line, Column: 3}, End: model.Pos{Line: line, Column: 40}}
}

func block(line int) model.Range {
	return model.Range{Filename: mainTF, Start: model.Pos{Line: line, Column: 1}, End: model.Pos{Line: line + 40, Column: 2}}
}

func explicitList(r model.Range, addr string) model.Meta {
	return model.Meta{Range: r, Origin: model.Explicit, Resource: addr}
}

func setting(name, value string, source model.ValueSource, line int, addr string) *model.Setting {
	return &model.Setting{
		Name:   model.Set(name, at(line), addr),
		Value:  model.Set(model.Sensitive(value), at(line), addr),
		Source: model.Set(string(source), at(line), addr),
	}
}

// storage returns a hardened host storage account declared at line 200.
func storage() *model.StorageAccount {
	const addr = "azurerm_storage_account.host"
	return &model.StorageAccount{
		Resource:              model.Resource{Address: addr, Type: "azurerm_storage_account", Range: block(200)},
		Name:                  model.Set("sthost", at(201), addr),
		PublicNetworkAccess:   model.Set(false, at(202), addr),
		NetworkDefaultAction:  model.Set("Deny", at(203), addr),
		SharedKeyAccess:       model.Set(false, at(204), addr),
		HTTPSTrafficOnly:      model.Set(true, at(205), addr),
		MinTLSVersion:         model.Set("TLS1_2", at(206), addr),
		AllowBlobPublicAccess: model.Set(false, at(207), addr),
		ReplicationType:       model.Set("ZRS", at(208), addr),
		PrivateEndpoints: model.List[*model.EndpointLink]{
			Items: []*model.EndpointLink{{
				Resource: model.Resource{Address: "azurerm_private_endpoint.host_blob", Type: "azurerm_private_endpoint", Range: block(220)},
				Name:     model.Set("pe-host-blob", at(221), "azurerm_private_endpoint.host_blob"),
				SubresourceNames: model.List[model.String]{
					Items: []model.String{model.Set("blob", at(222), "azurerm_private_endpoint.host_blob")},
					Meta:  explicitList(at(222), "azurerm_private_endpoint.host_blob"),
				},
			}},
			Meta: explicitList(block(220), addr),
		},
		AppCount: model.Set[int64](1, block(200), addr),
	}
}

// secureApp returns a hardened Linux function app whose block starts at
// line l; every value the built-in checks read is written explicitly on
// its own line (l+1 … l+13).
func withAttribute(s *model.Setting, attr string) *model.Setting {
	s.Attribute = model.Set(attr, s.Source.Range, s.Source.Resource)
	return s
}

func secureApp(name string, l int) *model.FunctionApp {
	addr := "azurerm_linux_function_app." + name
	a := &model.FunctionApp{Resource: model.Resource{Address: addr, Type: "azurerm_linux_function_app", Range: block(l)}}
	a.Name = model.Set("func-"+name, at(l+1), addr)
	a.Flavor = model.Set("linux", block(l), addr)
	a.Flavor.Origin = model.Explicit
	a.PublicNetworkAccess = model.Set(false, at(l+3), addr)
	a.HTTPSOnly = model.Set(true, at(l+4), addr)
	a.FTPBasicAuth = model.Set(false, at(l+5), addr)
	a.SCMBasicAuth = model.Set(false, at(l+6), addr)
	a.Identity.Type = model.Set("SystemAssigned", at(l+7), addr)
	a.SiteConfig.MinTLSVersion = model.Set("1.2", at(l+8), addr)
	a.SiteConfig.SCMMinTLSVersion = model.Set("1.2", at(l+8), addr)
	a.BuiltinLogging = model.Set(false, at(l+12), addr)
	a.StorageUsesIdentity = model.Set(true, at(l+2), addr)
	a.FunctionsExtensionVersion = model.Set("~4", at(l+2), addr)
	a.MaximumInstanceCount = model.Set[int64](40, at(l+2), addr) // read on Flex only
	a.DailyMemoryTimeQuota = model.Defaulted[int64](0, block(l), addr, "no quota")
	a.SiteConfig.AppScaleLimit = model.Defaulted[int64](0, block(l), addr, "no limit")
	a.SiteConfig.RuntimeName = model.Set("python", at(l+2), addr)
	a.SiteConfig.RuntimeVersion = model.Set("3.12", at(l+2), addr)
	a.WeakerThanParent = model.List[model.String]{Meta: model.Meta{Range: block(l), Origin: model.Default, Resource: addr}}
	a.VNetIntegrated = model.Set(true, at(l+2), addr)
	a.VNetRouteAll = model.Set(true, at(l+2), addr)
	a.SiteConfig.IPRestrictions = model.List[*model.IPRestriction]{Meta: model.Meta{Range: block(l), Origin: model.Default, Resource: addr}}
	a.SiteConfig.SCMIPRestrictions = model.List[*model.IPRestriction]{Meta: model.Meta{Range: block(l), Origin: model.Default, Resource: addr}}
	a.SiteConfig.IPRestrictionDefaultAction = model.Set("Deny", at(l+3), addr)
	a.SiteConfig.SCMIPRestrictionDefaultAction = model.Set("Deny", at(l+3), addr)
	a.SiteConfig.SCMUseMainIPRestriction = model.Set(true, at(l+3), addr)
	peAddr := "azurerm_private_endpoint." + name
	a.PrivateEndpoints = model.List[*model.EndpointLink]{
		Items: []*model.EndpointLink{{
			Resource: model.Resource{Address: peAddr, Type: "azurerm_private_endpoint", Range: block(l + 60)},
			Name:     model.Set("pe-"+name, at(l+61), peAddr),
			SubresourceNames: model.List[model.String]{
				Items: []model.String{model.Set("sites", at(l+62), peAddr)},
				Meta:  explicitList(at(l+62), peAddr),
			},
		}},
		Meta: explicitList(block(l+60), addr),
	}
	a.IsSlot = model.Set(false, block(l), addr)
	a.SlotName = model.Set("", block(l), addr)
	a.AppInsights = model.AppInsights{
		Configured:       model.Set(true, at(l+12), addr),
		ConnectionString: model.Set(true, at(l+12), addr),
		EntraAuth:        model.Set(true, at(l+12), addr),
	}
	a.Auth.Enabled = model.Set(true, at(l+7), addr)
	a.Auth.AnonymousAllowed = model.Set(false, at(l+7), addr)
	a.Auth.RequireHTTPS = model.Set(true, at(l+7), addr)
	a.AdminIsolation = model.Set(true, at(l+2), addr)
	a.FunctionKeysStorage = model.Set("keyvault", at(l+12), addr)
	a.FunctionKeysVault = model.Set(true, at(l+12), addr)
	a.ClientCertEnabled = model.Set(true, at(l+4), addr)
	a.ClientCertMode = model.Set("Required", at(l+4), addr)
	a.KeyVaultReferenceIdentity = model.Set("SystemAssigned", at(l+7), addr)
	a.KeyVaultReferenceIdentityAssigned = model.Set(true, at(l+7), addr)
	a.SiteConfig.FTPSState = model.Set("Disabled", at(l+9), addr)
	a.SiteConfig.RemoteDebugging = model.Set(false, at(l+10), addr)
	a.SiteConfig.CORS.AllowedOrigins = model.List[model.String]{
		Items: []model.String{model.Set("https://contoso.example", at(l+11), addr)},
		Meta:  explicitList(at(l+11), addr),
	}
	a.AppSettings = model.List[*model.Setting]{
		Items: []*model.Setting{
			setting("FUNCTIONS_WORKER_RUNTIME", "python", model.SourceLiteral, l+12, addr),
			setting("DB_PASSWORD", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)", model.SourceKeyVault, l+13, addr),
		},
		Meta: explicitList(at(l+12), addr),
	}
	a.ConnectionStrings = model.List[*model.Setting]{Meta: explicitList(block(l), addr)}
	a.Auth.InlineSecrets = model.List[*model.Setting]{Meta: explicitList(block(l), addr)}
	a.StorageURLs = model.List[*model.Setting]{Meta: explicitList(block(l), addr)}
	diagAddr := "azurerm_monitor_diagnostic_setting." + name
	a.DiagnosticSettings = model.List[*model.DiagnosticSetting]{
		Items: []*model.DiagnosticSetting{{
			Resource: model.Resource{Address: diagAddr, Type: "azurerm_monitor_diagnostic_setting", Range: block(l + 50)},
			Name:     model.Set("diag-"+name, at(l+51), diagAddr),
			LogCategories: model.List[model.String]{
				Items: []model.String{model.Set("FunctionAppLogs", at(l+52), diagAddr)},
				Meta:  explicitList(at(l+52), diagAddr),
			},
			HasDestination: model.Set(true, at(l+53), diagAddr),
		}},
		Meta: explicitList(block(l), addr),
	}
	a.StorageAccount = storage()
	return a
}

func module(apps ...*model.FunctionApp) *model.Module {
	m := &model.Module{Format: model.Terraform, Path: "."}
	m.FunctionApps = apps
	for _, a := range apps {
		if a.StorageAccount != nil {
			m.StorageAccounts = append(m.StorageAccounts, a.StorageAccount)
		}
	}
	return m
}

func builtinEngine(t testing.TB, opts engine.Options) *engine.Engine {
	t.Helper()
	cs, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(cs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// got is the comparable summary of a finding.
type got struct {
	Check  string
	Status string
	Line   int
	Path   string
	Origin string
}

func summarize(fs []engine.Finding) []got {
	out := make([]got, 0, len(fs))
	for i := range fs {
		f := &fs[i]
		out = append(out, got{f.CheckID, f.Status.String(), f.Range.Start.Line, f.Path, f.Origin.String()})
	}
	return out
}

const base = 10 // secureApp line in the table below

func TestBuiltinChecks(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	const addr = "azurerm_linux_function_app.a"
	tests := []struct {
		name   string
		mutate func(a *model.FunctionApp)
		want   []got
	}{
		{"secure app", func(*model.FunctionApp) {}, nil},

		// The secure app has a private endpoint: public access also makes it half-private (008).
		{"001 explicit", func(a *model.FunctionApp) { a.PublicNetworkAccess = model.Set(true, at(13), addr) },
			[]got{{"AZFUNC-001", "fail", 13, "public_network_access", "explicit"}, {"AZFUNC-008", "fail", 13, "public_network_access", "explicit"}}},
		{"001 default", func(a *model.FunctionApp) {
			a.PublicNetworkAccess = model.Defaulted(true, block(base), addr, "")
		}, []got{{"AZFUNC-001", "fail", base, "public_network_access", "default"}, {"AZFUNC-008", "fail", base, "public_network_access", "default"}}},
		{"001 unknown", func(a *model.FunctionApp) {
			a.PublicNetworkAccess = model.Unresolved[bool](at(13), addr, "var.public has no value")
		}, []got{{"AZFUNC-001", "undetermined", 13, "public_network_access", "unknown"}, {"AZFUNC-008", "undetermined", 13, "public_network_access", "unknown"}}},

		{"009 wildcard", func(a *model.FunctionApp) {
			a.SiteConfig.CORS.AllowedOrigins.Items = append(a.SiteConfig.CORS.AllowedOrigins.Items, model.Set(" * ", at(30), addr))
		}, []got{{"AZFUNC-009", "fail", 30, "site_config.cors.allowed_origins[\" * \"]", "explicit"}}},
		{"009 unknown origin", func(a *model.FunctionApp) {
			a.SiteConfig.CORS.AllowedOrigins.Items = append(a.SiteConfig.CORS.AllowedOrigins.Items, model.Unresolved[string](at(30), addr, "var.origin"))
		}, []got{{"AZFUNC-009", "undetermined", 30, "site_config.cors.allowed_origins[1]", "unknown"}}},
		{"009 no cors", func(a *model.FunctionApp) {
			a.SiteConfig.CORS.AllowedOrigins = model.List[model.String]{Meta: model.Meta{Range: block(base), Origin: model.Default, Resource: addr}}
		}, nil},
		{"009 unknown list", func(a *model.FunctionApp) {
			a.SiteConfig.CORS.AllowedOrigins = model.List[model.String]{Meta: model.Meta{Range: at(31), Resource: addr, Note: "dynamic block"}}
		}, []got{{"AZFUNC-009", "undetermined", 31, "site_config.cors.allowed_origins", "unknown"}}},

		{"023 no identity block", func(a *model.FunctionApp) {
			a.Identity.Type = model.Defaulted("None", block(base), addr, "")
		}, []got{{"AZFUNC-023", "fail", base, "identity.type", "default"}}},
		{"023 empty type", func(a *model.FunctionApp) { a.Identity.Type = model.Set("", at(17), addr) },
			[]got{{"AZFUNC-023", "fail", 17, "identity.type", "explicit"}}},
		{"023 user assigned", func(a *model.FunctionApp) { a.Identity.Type = model.Set("UserAssigned", at(17), addr) }, nil},
		{"023 unknown", func(a *model.FunctionApp) { a.Identity.Type = model.Unresolved[string](at(17), addr, "") },
			[]got{{"AZFUNC-023", "undetermined", 17, "identity.type", "unknown"}}},

		{"024 enabled", func(a *model.FunctionApp) { a.FTPBasicAuth = model.Set(true, at(15), addr) },
			[]got{{"AZFUNC-024", "fail", 15, "ftp_basic_auth", "explicit"}}},
		{"024 flex is not applicable", func(a *model.FunctionApp) {
			a.Flavor = model.Set("flex", block(base), addr)
			a.FTPBasicAuth = model.Set(true, at(15), addr)
		}, nil},
		{"024 unknown flavor, ftp off passes", func(a *model.FunctionApp) {
			a.Flavor = model.Unresolved[string](at(12), addr, "")
		}, []got{
			// Whether the app is Flex or legacy decides these two.
			{"AZFUNC-081", "undetermined", 12, "flavor", "unknown"},
			{"AZFUNC-085", "undetermined", 12, "flavor", "unknown"},
		}},
		{"024 unknown flavor, ftp on", func(a *model.FunctionApp) {
			a.Flavor = model.Unresolved[string](at(12), addr, "")
			a.FTPBasicAuth = model.Set(true, at(15), addr)
		}, []got{
			{"AZFUNC-024", "undetermined", 12, "flavor", "unknown"},
			{"AZFUNC-081", "undetermined", 12, "flavor", "unknown"},
			{"AZFUNC-085", "undetermined", 12, "flavor", "unknown"},
		}},

		{"025 enabled", func(a *model.FunctionApp) { a.SCMBasicAuth = model.Defaulted(true, block(base), addr, "") },
			[]got{{"AZFUNC-025", "fail", base, "scm_basic_auth", "default"}}},
		{"025 unknown", func(a *model.FunctionApp) { a.SCMBasicAuth = model.Unresolved[bool](at(16), addr, "") },
			[]got{{"AZFUNC-025", "undetermined", 16, "scm_basic_auth", "unknown"}}},

		{"030 secrets", func(a *model.FunctionApp) {
			a.AppSettings.Items = append(a.AppSettings.Items,
				setting("DB_PASSWORD_2", "Sup3r-S3cret-Passw0rd!", model.SourceLiteral, 40, addr),
				setting("API_TOKEN", "tok_live_5f0c8e2b9a7d4c1e", model.SourceLiteral, 41, addr),
				setting("FEATURE_TOKEN_ENABLED", "true", model.SourceLiteral, 42, addr),
				withAttribute(setting("STORAGE_CONNECTION", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==", model.SourceResource, 43, addr), "primary_connection_string"),
				&model.Setting{
					Name:   model.Set("SQL_PASSWORD", at(44), addr),
					Value:  model.Unresolved[model.Sensitive](at(44), addr, "sensitive variable"),
					Source: model.Set(string(model.SourceSensitiveInput), at(44), addr),
				},
			)
			a.ConnectionStrings.Items = append(a.ConnectionStrings.Items,
				setting("Reporting", "Server=tcp:sql;Database=r;User ID=app;Password=Pa55-w0rd-fake;", model.SourceLiteral, 45, addr))
		}, []got{
			{"AZFUNC-030", "fail", 40, "app_settings[DB_PASSWORD_2].value", "explicit"},
			{"AZFUNC-030", "fail", 41, "app_settings[API_TOKEN].value", "explicit"},
			// Not plaintext, but placed in the settings at deployment.
			{"AZFUNC-034", "fail", 43, "app_settings[STORAGE_CONNECTION].value", "explicit"},
			{"AZFUNC-034", "fail", 44, "app_settings[SQL_PASSWORD].value", "unknown"},
			{"AZFUNC-030", "fail", 45, "connection_strings[Reporting].value", "explicit"},
		}},
		{"030 unknown literal", func(a *model.FunctionApp) {
			a.AppSettings.Items = append(a.AppSettings.Items, &model.Setting{
				Name:   model.Set("API_KEY", at(40), addr),
				Value:  model.Unresolved[model.Sensitive](at(40), addr, "var.key has no value"),
				Source: model.Set(string(model.SourceLiteral), at(40), addr),
			})
		}, []got{{"AZFUNC-030", "undetermined", 40, "app_settings[API_KEY].value", "unknown"}}},

		{"040 explicit false", func(a *model.FunctionApp) { a.HTTPSOnly = model.Set(false, at(14), addr) },
			[]got{{"AZFUNC-040", "fail", 14, "https_only", "explicit"}}},
		{"040 default", func(a *model.FunctionApp) { a.HTTPSOnly = model.Defaulted(false, model.Range{}, "", "") },
			[]got{{"AZFUNC-040", "fail", base, "https_only", "default"}}},

		{"040 unknown", func(a *model.FunctionApp) { a.HTTPSOnly = model.Unresolved[bool](at(14), addr, "var.https") },
			[]got{{"AZFUNC-040", "undetermined", 14, "https_only", "unknown"}}},

		{"041 unknown", func(a *model.FunctionApp) { a.SiteConfig.MinTLSVersion = model.Unresolved[string](at(18), addr, "") },
			[]got{{"AZFUNC-041", "undetermined", 18, "site_config.min_tls_version", "unknown"}}},
		{"041 1.0", func(a *model.FunctionApp) { a.SiteConfig.MinTLSVersion = model.Set("1.0", at(18), addr) },
			[]got{{"AZFUNC-041", "fail", 18, "site_config.min_tls_version", "explicit"}}},
		{"041 TLS1_1", func(a *model.FunctionApp) { a.SiteConfig.MinTLSVersion = model.Set("TLS1_1", at(18), addr) },
			[]got{{"AZFUNC-041", "fail", 18, "site_config.min_tls_version", "explicit"}}},
		{"041 1.3", func(a *model.FunctionApp) { a.SiteConfig.MinTLSVersion = model.Set("1.3", at(18), addr) }, nil},
		// A TLS version tls_below cannot read is a check error, not a
		// finding: TestEvaluationErrorsAreCheckErrors.

		{"043 AllAllowed", func(a *model.FunctionApp) { a.SiteConfig.FTPSState = model.Set("AllAllowed", at(19), addr) },
			[]got{{"AZFUNC-043", "fail", 19, "site_config.ftps_state", "explicit"}}},
		{"043 unknown", func(a *model.FunctionApp) { a.SiteConfig.FTPSState = model.Unresolved[string](at(19), addr, "") },
			[]got{{"AZFUNC-043", "undetermined", 19, "site_config.ftps_state", "unknown"}}},
		{"043 FtpsOnly", func(a *model.FunctionApp) { a.SiteConfig.FTPSState = model.Set("FtpsOnly", at(19), addr) }, nil},
		{"043 flex", func(a *model.FunctionApp) {
			a.Flavor = model.Set("flex", block(base), addr)
			a.SiteConfig.FTPSState = model.Set("AllAllowed", at(19), addr)
		}, nil},

		{"050 none", func(a *model.FunctionApp) {
			a.DiagnosticSettings = model.List[*model.DiagnosticSetting]{Meta: explicitList(block(base), addr)}
		}, []got{{"AZFUNC-050", "fail", base, "diagnostic_settings", "explicit"}}},
		{"050 unresolved", func(a *model.FunctionApp) {
			a.DiagnosticSettings = model.List[*model.DiagnosticSetting]{}
		}, []got{
			{"AZFUNC-050", "undetermined", base, "diagnostic_settings", "unknown"},
			// An unknown list of settings may hold one that exports nothing.
			{"AZFUNC-051", "undetermined", base, "diagnostic_settings", "unknown"},
		}},

		{"063 http", func(a *model.FunctionApp) {
			a.StorageAccount.HTTPSTrafficOnly = model.Set(false, at(205), a.StorageAccount.Address)
		}, []got{{"AZFUNC-063", "fail", 205, "https_traffic_only", "explicit"}}},
		{"063 unknown", func(a *model.FunctionApp) {
			a.StorageAccount.HTTPSTrafficOnly = model.Unresolved[bool](at(205), a.StorageAccount.Address, "")
		}, []got{{"AZFUNC-063", "undetermined", 205, "https_traffic_only", "unknown"}}},
		{"063 no storage account", func(a *model.FunctionApp) { a.StorageAccount = nil }, nil},
		{"063 defaulted https", func(a *model.FunctionApp) {
			a.StorageAccount.HTTPSTrafficOnly = model.Defaulted(true, block(200), a.StorageAccount.Address, "")
		}, nil},

		{"080 enabled", func(a *model.FunctionApp) { a.SiteConfig.RemoteDebugging = model.Set(true, at(20), addr) },
			[]got{{"AZFUNC-080", "fail", 20, "site_config.remote_debugging", "explicit"}}},
		{"080 unknown", func(a *model.FunctionApp) { a.SiteConfig.RemoteDebugging = model.Unresolved[bool](at(20), addr, "") },
			[]got{{"AZFUNC-080", "undetermined", 20, "site_config.remote_debugging", "unknown"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := secureApp("a", base)
			tt.mutate(a)
			res := e.Run(context.Background(), module(a))
			g := summarize(res.Findings)
			if tt.want == nil {
				tt.want = []got{}
			}
			if !reflect.DeepEqual(g, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%v", describe(res.Findings), tt.want)
			}
			for _, f := range res.Findings {
				if f.Range.Start.Line < 1 || f.Range.Filename == "" {
					t.Errorf("finding without a location: %+v", f)
				}
				if f.Message == "" || f.Fingerprint == "" || f.Resource == "" || f.ResourceType == "" {
					t.Errorf("incomplete finding: %+v", f)
				}
			}
		})
	}
}

func describe(fs []engine.Finding) string {
	var b strings.Builder
	for i := range fs {
		f := &fs[i]
		fmt.Fprintf(&b, "  %s:%d %s %s %s %s: %s\n", f.Range.Filename, f.Range.Start.Line, f.CheckID, f.Status, f.Path, f.Origin, f.Message)
	}
	return b.String()
}

func TestDefaultedValueIsBlamedOnTheBlock(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	a := secureApp("a", 30)
	a.HTTPSOnly = model.Defaulted(false, model.Range{}, "", "") // the view gives it the block's range
	res := e.Run(context.Background(), module(a))
	if len(res.Findings) != 1 {
		t.Fatalf("findings:\n%s", describe(res.Findings))
	}
	f := res.Findings[0]
	if f.Origin != model.Default || f.Range.Start.Line != 30 || f.Range.Filename != mainTF {
		t.Errorf("defaulted finding at %v origin %v, want %s:30 default", f.Range, f.Origin, mainTF)
	}
	want := "Function app func-a does not enforce HTTPS-only (defaulted: not set, the platform default applies)"
	if f.Message != want {
		t.Errorf("message = %q\nwant      %q", f.Message, want)
	}
	if f.Resource != a.Address || f.ResourceType != "azurerm_linux_function_app" {
		t.Errorf("resource = %s (%s)", f.Resource, f.ResourceType)
	}
}

func TestFingerprintsStableWhenLinesMove(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	insecure := func(l int) *model.FunctionApp {
		a := secureApp("a", l)
		a.HTTPSOnly = model.Set(false, at(l+4), a.Address)
		a.SiteConfig.MinTLSVersion = model.Set("1.0", at(l+8), a.Address)
		a.AppSettings.Items = append(a.AppSettings.Items, setting("DB_PASSWORD_2", "hunter2hunter2", model.SourceLiteral, l+20, a.Address))
		a.StorageAccount.HTTPSTrafficOnly = model.Set(false, at(205), a.StorageAccount.Address)
		return a
	}
	prints := func(l int) (map[string]string, []int) {
		res := e.Run(context.Background(), module(insecure(l)))
		out := map[string]string{}
		var lines []int
		for _, f := range res.Findings {
			out[f.CheckID+" "+f.Path] = f.Fingerprint
			lines = append(lines, f.Range.Start.Line)
		}
		return out, lines
	}
	a, linesA := prints(10)
	b, linesB := prints(70)
	if len(a) != 4 || !reflect.DeepEqual(a, b) {
		t.Errorf("fingerprints changed with lines:\n%v\n%v", a, b)
	}
	if reflect.DeepEqual(linesA, linesB) {
		t.Errorf("lines did not move: %v", linesA)
	}
	if got := engine.Fingerprint("AZFUNC-040", ".", "main.tf", "azurerm_linux_function_app.a", "https_only"); got != a["AZFUNC-040 https_only"] || len(got) != 32 {
		t.Errorf("Fingerprint() = %s, finding has %s", got, a["AZFUNC-040 https_only"])
	}
}

// customChecks loads check files written for a test.
func customChecks(t *testing.T, files map[string]string) []*engine.Check {
	t.Helper()
	cs, err := load(t, files)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func custom(id, logic string) string {
	return fmt.Sprintf("id: %s\ntitle: test %s\nseverity: low\nsecurity_severity: 1.0\nformats: [terraform]\ndescription: test\n%s\n", id, id, logic)
}

func TestSensitiveValuesNeverInFindings(t *testing.T) {
	secrets := []string{"hunter2hunter2", "Pa55-w0rd-fake", "sv=2022&sig=abcdefSIG", "s3cr3t-storage-key", "ikey-0000-secret"}
	cs := customChecks(t, map[string]string{
		// A check whose evaluation fails on the secret value: the error
		// of tls_below quotes the string it could not read.
		"T-001.yaml": custom("TEST-001", "each: app.app_settings\nfail: tls_below(item.value, \"1.2\")\nmessage: \"{{element}} is old\""),
		"T-002.yaml": custom("TEST-002", "fail: app.storage_access_key != \"\" && int(app.storage_access_key) > 0\nmessage: \"key\""),
	})
	builtin, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(append(builtin, cs...), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := secureApp("a", 10)
	addr := a.Address
	a.AppSettings.Items = append(a.AppSettings.Items,
		setting("DB_PASSWORD_2", secrets[0], model.SourceLiteral, 40, addr),
		setting("PACKAGE_URL", "https://st.blob.core.windows.net/p.zip?"+secrets[2], model.SourceLiteral, 41, addr))
	a.ConnectionStrings.Items = append(a.ConnectionStrings.Items,
		setting("Reporting", "Server=x;Password="+secrets[1]+";", model.SourceLiteral, 42, addr))
	a.StorageAccessKey = model.Set(model.Sensitive(secrets[3]), at(43), addr)
	a.SiteConfig.AppInsightsKey = model.Set(model.Sensitive(secrets[4]), at(44), addr)
	a.Backup.StorageAccountURL = model.Defaulted(model.Sensitive(secrets[2]), block(10), addr, "")
	res := e.Run(context.Background(), module(a))
	scrubbed := false
	for _, d := range res.Diagnostics {
		scrubbed = scrubbed || strings.Contains(d.Summary, model.Redacted)
		for _, s := range []string{d.Summary, d.Detail} {
			for _, secret := range secrets {
				if strings.Contains(s, secret) {
					t.Errorf("check error leaks a secret in %q", s)
				}
			}
		}
	}
	if res.Stats.Failed == 0 || res.Stats.Errors == 0 || !scrubbed {
		t.Fatalf("the test needs failures and errors: %+v\n%s", res.Stats, describe(res.Findings))
	}
	for _, f := range res.Findings {
		for _, s := range stringsOf(reflect.ValueOf(f)) {
			for _, secret := range secrets {
				if strings.Contains(s, secret) {
					t.Errorf("finding %s leaks a secret in %q", f.CheckID, s)
				}
			}
		}
	}
}

// stringsOf returns every string reachable from v.
func stringsOf(v reflect.Value) []string {
	switch v.Kind() {
	case reflect.String:
		return []string{v.String()}
	case reflect.Struct:
		var out []string
		for i := range v.NumField() {
			out = append(out, stringsOf(v.Field(i))...)
		}
		return out
	case reflect.Slice, reflect.Array:
		var out []string
		for i := range v.Len() {
			out = append(out, stringsOf(v.Index(i))...)
		}
		return out
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return stringsOf(v.Elem())
	case reflect.Map:
		var out []string
		for _, k := range v.MapKeys() {
			out = append(out, stringsOf(k)...)
			out = append(out, stringsOf(v.MapIndex(k))...)
		}
		return out
	}
	return nil
}

func TestEvaluationErrorsAreCheckErrors(t *testing.T) {
	cs := customChecks(t, map[string]string{
		"T-001.yaml": custom("TEST-001", "fail: app.app_settings[1000].name == \"X\"\nblame: app.app_settings\nmessage: \"out of range\""),
		"T-002.yaml": custom("TEST-002", "fail: |\n  app.https_only &&\n    app.app_settings.all(a, app.app_settings.all(b, app.app_settings.all(c, a.name != \"\" || true)))\nmessage: \"slow\""),
		"T-003.yaml": custom("TEST-003", "each: app.app_settings\nwhen: item.name == \"S1\"\nfail: int(item.value) > 3\nmessage: \"{{element}} too big\""),
	})
	builtin, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(append(builtin, cs...), engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := secureApp("a", 10)
	// A TLS version tls_below cannot read.
	a.SiteConfig.MinTLSVersion = model.Set("latest", at(18), a.Address)
	for i := range 300 {
		a.AppSettings.Items = append(a.AppSettings.Items, setting(fmt.Sprintf("S%d", i), "plain-value", model.SourceLiteral, 100+i, a.Address))
	}
	res := e.Run(context.Background(), module(a))
	for _, f := range res.Findings {
		if strings.HasPrefix(f.CheckID, "TEST-") || f.CheckID == "AZFUNC-041" {
			t.Errorf("an evaluation error gave a finding: %s %s %s", f.CheckID, f.Status, f.Message)
		}
	}
	if res.Stats.Errors != 4 || res.Stats.Undetermined != 0 {
		t.Errorf("stats %+v, want 4 errors and nothing undetermined", res.Stats)
	}
	if sum := res.Stats.Passed + res.Stats.Failed + res.Stats.Undetermined + res.Stats.NotApplicable + res.Stats.Errors; sum != res.Stats.Evaluated {
		t.Errorf("outcomes add up to %d, evaluated %d", sum, res.Stats.Evaluated)
	}
	want := []struct {
		line            int
		summary, detail string
	}{
		{base, "check TEST-002 could not be evaluated on azurerm_linux_function_app.a: operation cancelled: actual cost limit exceeded", "fail (checks/T-002.yaml:8): app.https_only && app.app_settings.all("},
		{18, "check AZFUNC-041 could not be evaluated on azurerm_linux_function_app.a.site_config.min_tls_version: ", "fail (checks/AZFUNC-041.yaml:"},
		{22, "check TEST-001 could not be evaluated on azurerm_linux_function_app.a.app_settings: ", "fail (checks/T-001.yaml:7): app.app_settings[1000].name == \"X\""},
		{22, "check TEST-003 could not be evaluated on azurerm_linux_function_app.a.app_settings[S1]: ", "fail (checks/T-003.yaml:9): int(item.value) > 3"},
	}
	if len(res.Diagnostics) != len(want) {
		t.Fatalf("diagnostics:\n%+v", res.Diagnostics)
	}
	for i, w := range want {
		d := res.Diagnostics[i]
		if d.Severity != model.SevError || d.Range.Start.Line != w.line || !strings.HasPrefix(d.Summary, w.summary) || !strings.HasPrefix(d.Detail, w.detail) {
			t.Errorf("diagnostic %d = %s:%d %s\n  %s\nwant line %d, %q…, %q…", i, d.Range.Filename, d.Range.Start.Line, d.Summary, d.Detail, w.line, w.summary, w.detail)
		}
	}
}

func TestSharedStorageReportedOnceAtTheStorageAccount(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	st := storage()
	st.HTTPSTrafficOnly = model.Set(false, at(205), st.Address)
	st.Calls = []model.Hop{{Kind: model.HopModuleCall, Name: "module.storage", Range: model.Range{Filename: "root.tf", Start: model.Pos{Line: 3, Column: 1}}}}
	a, b := secureApp("a", 10), secureApp("b", 100)
	a.StorageAccount, b.StorageAccount = st, st
	m := module(a, b)
	m.StorageAccounts = []*model.StorageAccount{st}
	res := e.Run(context.Background(), m)
	if len(res.Findings) != 1 {
		t.Fatalf("findings:\n%s", describe(res.Findings))
	}
	f := res.Findings[0]
	if f.CheckID != "AZFUNC-063" || f.Resource != st.Address || f.ResourceType != "azurerm_storage_account" || f.Path != "https_traffic_only" || f.Range.Start.Line != 205 {
		t.Errorf("finding = %+v", f)
	}
	if f.Message != "Host storage account sthost accepts plain HTTP (secure transfer is not required)" {
		t.Errorf("message = %q", f.Message)
	}
	wantRelated := []engine.Related{
		{Range: st.Calls[0].Range, Message: "module.storage is called here"},
		{Range: a.Range, Message: "used by function app " + a.Address},
		{Range: b.Range, Message: "used by function app " + b.Address},
	}
	if !reflect.DeepEqual(f.Related, wantRelated) {
		t.Errorf("related = %+v", f.Related)
	}
	if !slices.Equal(f.Apps, []string{a.Address, b.Address}) {
		t.Errorf("apps = %v, want both", f.Apps)
	}
	if res.Stats.Resources != 2 || res.Stats.Failed != 2 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

func TestResourceRelatedLocationsFollowModuleCalls(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	a := secureApp("a", 10)
	a.HTTPSOnly = model.Set(false, at(12), a.Address)
	a.Calls = []model.Hop{{Kind: model.HopModuleCall, Range: model.Range{Filename: "root.tf", Start: model.Pos{Line: 3, Column: 1}}}}
	decl := model.Range{Filename: "main.bicep", Start: model.Pos{Line: 7, Column: 1}}
	a.Related = []model.RelatedRange{{Range: decl, Message: "declared in Bicep here"}}
	res := e.Run(context.Background(), module(a))
	var f *engine.Finding
	for i := range res.Findings {
		if res.Findings[i].CheckID == "AZFUNC-040" {
			f = &res.Findings[i]
		}
	}
	if f == nil {
		t.Fatalf("no AZFUNC-040 finding:\n%s", describe(res.Findings))
	}
	want := []engine.Related{
		{Range: a.Calls[0].Range, Message: "module call"},
		{Range: decl, Message: "declared in Bicep here"},
	}
	if !reflect.DeepEqual(f.Related, want) {
		t.Errorf("related = %+v", f.Related)
	}
}

func TestUndeterminedPointsAtTheFirstUnknown(t *testing.T) {
	cs := customChecks(t, map[string]string{
		"T-001.yaml": custom("TEST-001", "fail: app.https_only && app.site_config.remote_debugging\nmessage: \"both\""),
		"T-002.yaml": custom("TEST-002", "fail: app.https_only && app.client_cert_enabled\nmessage: \"settled\""),
	})
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := secureApp("a", 10)
	a.HTTPSOnly = model.Unresolved[bool](at(25), a.Address, "var.https")
	a.SiteConfig.RemoteDebugging = model.Unresolved[bool](at(21), a.Address, "var.debug")
	a.ClientCertEnabled = model.Set(false, at(22), a.Address) // unknown && false is false
	res := e.Run(context.Background(), module(a))
	want := []got{{"TEST-001", "undetermined", 21, "site_config.remote_debugging", "unknown"}}
	if g := summarize(res.Findings); !reflect.DeepEqual(g, want) {
		t.Fatalf("findings:\n%s", describe(res.Findings))
	}
	msg := res.Findings[0].Message
	if !strings.Contains(msg, "site_config.remote_debugging is not known before deployment (var.debug)") {
		t.Errorf("message = %q", msg)
	}
	if res.Stats.Passed != 1 || res.Stats.Undetermined != 1 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

func TestElementPaths(t *testing.T) {
	cs := customChecks(t, map[string]string{
		"T-001.yaml": custom("TEST-001", "each: app.app_settings\nfail: item.name.startsWith(\"X\")\nblame: item.name\nmessage: \"{{item.name}} in {{element}} at {{path}}\""),
	})
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := secureApp("a", 10)
	a.AppSettings.Items = append(a.AppSettings.Items,
		setting("X_ONE", "1", model.SourceLiteral, 30, a.Address),
		setting("X_TWO", "2", model.SourceLiteral, 31, a.Address),
		setting("X_TWO", "3", model.SourceLiteral, 32, a.Address),
		&model.Setting{Name: model.Unresolved[string](at(33), a.Address, ""), Source: model.Set("literal", at(33), a.Address)},
	)
	res := e.Run(context.Background(), module(a))
	var paths, msgs []string
	for _, f := range res.Findings {
		paths = append(paths, f.Status.String()+" "+f.Path)
		msgs = append(msgs, f.Message)
	}
	want := []string{"fail app_settings[X_ONE].name", "fail app_settings[3].name", "fail app_settings[4].name", "undetermined app_settings[5].name"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
	if msgs[0] != "X_ONE in app_settings[X_ONE] at app_settings[X_ONE].name" {
		t.Errorf("message = %q", msgs[0])
	}
}

func TestOptions(t *testing.T) {
	cs := customChecks(t, map[string]string{
		"a.yaml": custom("TEST-002", "fail: \"true\"\nmessage: m"),
		"b.yaml": custom("TEST-001", "enabled_by_default: false\nfail: \"true\"\nmessage: m"),
		"c.yaml": custom("TEST-003", "fail: \"true\"\nmessage: m"),
	})
	ids := func(cs []*engine.Check) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return strings.Join(out, ",")
	}
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(e.Checks()); got != "TEST-002,TEST-003" {
		t.Errorf("default checks = %s", got)
	}
	if got := ids(e.All()); got != "TEST-001,TEST-002,TEST-003" {
		t.Errorf("all checks = %s", got)
	}
	e, err = engine.New(cs, engine.Options{Enable: []string{"TEST-001"}, Disable: []string{"TEST-003"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(e.Checks()); got != "TEST-001,TEST-002" {
		t.Errorf("checks = %s", got)
	}
	if !e.Active("TEST-001") || e.Active("TEST-003") || e.Check("TEST-003") == nil {
		t.Error("Active/Check disagree with Checks")
	}
	for _, opts := range []engine.Options{{Enable: []string{"NOPE-001"}}, {Disable: []string{"TEST-001", "NOPE-002"}}} {
		if _, err := engine.New(cs, opts); err == nil || !strings.Contains(err.Error(), "unknown check id NOPE-00") {
			t.Errorf("New(%+v) error = %v", opts, err)
		}
	}
	if _, err := engine.New(append(cs, cs[0]), engine.Options{}); err == nil {
		t.Error("duplicate check accepted")
	}
	if _, err := engine.New([]*engine.Check{{ID: "X-001"}}, engine.Options{}); err == nil {
		t.Error("hand-made check accepted")
	}
}

func TestFormatsSelectChecks(t *testing.T) {
	cs := customChecks(t, map[string]string{
		"a.yaml": strings.Replace(custom("TEST-001", "fail: \"true\"\nmessage: m"), "formats: [terraform]", "formats: [arm]", 1),
	})
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := module(secureApp("a", 10))
	if res := e.Run(context.Background(), m); len(res.Findings) != 0 || res.Stats.Evaluated != 0 {
		t.Errorf("an ARM check ran on a Terraform module: %+v", res.Stats)
	}
	m.Format = model.ARM
	if res := e.Run(context.Background(), m); len(res.Findings) != 1 {
		t.Errorf("the ARM check did not run on an ARM module: %+v", res.Stats)
	}
}

func TestNoLocationGivesLineOne(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	a := &model.FunctionApp{Resource: model.Resource{Address: "azurerm_linux_function_app.x", Type: "azurerm_linux_function_app"}}
	a.HTTPSOnly = model.Set(false, model.Range{}, a.Address)
	res := e.Run(context.Background(), &model.Module{Format: model.Terraform, FunctionApps: []*model.FunctionApp{a}})
	if len(res.Findings) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range res.Findings {
		if f.Range.Start.Line < 1 {
			t.Errorf("finding at line 0: %+v", f)
		}
	}
}

func TestFindingsSortedAndStats(t *testing.T) {
	// Four built-in checks, so that the counts do not move when checks are added.
	cs, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	cs = slices.DeleteFunc(cs, func(c *engine.Check) bool {
		return !slices.Contains([]string{"AZFUNC-024", "AZFUNC-040", "AZFUNC-043", "AZFUNC-080"}, c.ID)
	})
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := secureApp("a", 100), secureApp("b", 10)
	a.HTTPSOnly = model.Set(false, at(104), a.Address)
	b.SiteConfig.RemoteDebugging = model.Set(true, at(20), b.Address)
	b.HTTPSOnly = model.Set(false, at(14), b.Address)
	b.Flavor = model.Set("flex", block(10), b.Address) // 024 and 043 not applicable
	res := e.Run(context.Background(), module(a, b))
	sorted := sort.SliceIsSorted(res.Findings, func(i, j int) bool {
		return res.Findings[i].Range.Start.Line < res.Findings[j].Range.Start.Line
	})
	if !sorted || len(res.Findings) != 3 {
		t.Errorf("findings:\n%s", describe(res.Findings))
	}
	want := engine.Stats{Resources: 2, Evaluated: 8, Failed: 3, NotApplicable: 2, Passed: 3}
	if res.Stats != want {
		t.Errorf("stats = %+v, want %+v", res.Stats, want)
	}
	// Every outcome, per app, passes and checks that do not apply included.
	outcomes := map[string]string{}
	for _, ao := range res.Apps {
		var parts []string
		for _, co := range ao.Checks {
			parts = append(parts, co.CheckID[len("AZFUNC-"):]+"="+co.Status.String())
		}
		outcomes[ao.Name] = strings.Join(parts, " ")
	}
	wantOutcomes := map[string]string{
		"func-a": "024=pass 040=fail 043=pass 080=pass",
		"func-b": "024=not_applicable 040=fail 043=not_applicable 080=fail",
	}
	if !reflect.DeepEqual(outcomes, wantOutcomes) || len(res.Apps) != 2 || res.Apps[0].Address != a.Address || res.Apps[0].Slot {
		t.Errorf("outcomes = %v (%+v), want %v", outcomes, res.Apps, wantOutcomes)
	}
	for _, f := range res.Findings {
		wantApp := a.Address
		if f.Range.Start.Line < 100 {
			wantApp = b.Address
		}
		if !slices.Equal(f.Apps, []string{wantApp}) {
			t.Errorf("%s at line %d: apps %v, want %s", f.CheckID, f.Range.Start.Line, f.Apps, wantApp)
		}
	}
}

func TestConcurrentRuns(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	mk := func() *model.Module {
		a := secureApp("a", 10)
		a.HTTPSOnly = model.Set(false, at(14), a.Address)
		a.SiteConfig.MinTLSVersion = model.Unresolved[string](at(18), a.Address, "")
		return module(a)
	}
	want := summarize(e.Run(context.Background(), mk()).Findings)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 16 {
		wg.Go(func() {
			if g := summarize(e.Run(context.Background(), mk()).Findings); !reflect.DeepEqual(g, want) {
				errs <- fmt.Sprint(g)
			}
		})
	}
	wg.Wait()
	close(errs)
	for s := range errs {
		t.Errorf("concurrent run differs: %s", s)
	}
}

func TestCancelledContextStops(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := secureApp("a", 10)
	a.HTTPSOnly = model.Set(false, at(14), a.Address)
	res := e.Run(ctx, module(a))
	if len(res.Findings) != 0 || res.Stats.Resources != 0 {
		t.Errorf("a cancelled run evaluated: %+v", res.Stats)
	}
}

// An app that may not exist (count over an unknown value) is analysed:
// what would fail is reported undetermined, with the reason.
// TestSharedProblemFailsThroughOneAppOnly: a storage account shared by an
// app and one that may not exist fails once, as the first app's finding;
// the second app's outcome is undetermined and the finding does not name
// it among its apps.
func TestSharedProblemFailsThroughOneAppOnly(t *testing.T) {
	cs, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	cs = slices.DeleteFunc(cs, func(c *engine.Check) bool { return c.ID != "AZFUNC-063" })
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := storage()
	st.HTTPSTrafficOnly = model.Set(false, at(205), st.Address)
	sure, maybe := secureApp("a", 10), secureApp("b", 100)
	maybe.UnknownExistence = "count = var.b ? 1 : 0 is not known before apply"
	sure.StorageAccount, maybe.StorageAccount = st, st
	m := module(maybe, sure)
	m.StorageAccounts = []*model.StorageAccount{st}
	res := e.Run(context.Background(), m)
	if len(res.Findings) != 1 || res.Findings[0].Status != engine.Fail {
		t.Fatalf("findings:\n%s", describe(res.Findings))
	}
	if apps := res.Findings[0].Apps; !slices.Equal(apps, []string{sure.Address}) {
		t.Errorf("apps = %v, want only %s", apps, sure.Address)
	}
	got := map[string]engine.Status{}
	for _, ao := range res.Apps {
		got[ao.Address] = ao.Checks[0].Status
	}
	if got[sure.Address] != engine.Fail || got[maybe.Address] != engine.Undetermined {
		t.Errorf("outcomes = %v", got)
	}
}

func TestAppOfUnknownExistenceIsUndetermined(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	a := secureApp("a", 10)
	a.HTTPSOnly = model.Set(false, at(12), a.Address)
	a.UnknownExistence = "count = var.enabled ? 1 : 0 is not known before apply"
	res := e.Run(context.Background(), module(a))
	if len(res.Findings) != 1 {
		t.Fatalf("findings:\n%s", describe(res.Findings))
	}
	f := res.Findings[0]
	if f.CheckID != "AZFUNC-040" || f.Status != engine.Undetermined || !strings.Contains(f.Message, "may not exist: count = var.enabled") {
		t.Errorf("finding = %+v", f)
	}
	if res.Stats.Failed != 0 || res.Stats.Undetermined != 1 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

// maybeDiag is a diagnostic setting whose existence is unknown, declared
// at line l, that exports nothing.
func maybeDiag(name string, l int) *model.DiagnosticSetting {
	addr := "azurerm_monitor_diagnostic_setting." + name
	return &model.DiagnosticSetting{
		Resource:       model.Resource{Address: addr, Type: "azurerm_monitor_diagnostic_setting", Range: block(l), UnknownExistence: "count = var.diag ? 1 : 0 is not known before apply"},
		Name:           model.Set(name, at(l+1), addr),
		LogCategories:  model.List[model.String]{Meta: model.Meta{Range: block(l), Origin: model.Default, Resource: addr}},
		HasDestination: model.Defaulted(false, block(l), addr, "no destination"),
	}
}

// TestUnknownManyRelation: a relation list holding a resource that may not
// exist is unknown-many, so what depends on it is undetermined, also when
// another member surely exists (a known limit: CEL sees the whole list as
// unknown); a member that may not exist and would fail is undetermined,
// with the reason.
func TestUnknownManyRelation(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	withSure := secureApp("a", 10)
	withSure.DiagnosticSettings = model.AppendLinked(withSure.DiagnosticSettings, maybeDiag("a_maybe", 300), withSure.Address)
	onlyMaybe := secureApp("b", 100)
	onlyMaybe.DiagnosticSettings = model.List[*model.DiagnosticSetting]{Meta: model.Meta{Range: block(100), Origin: model.Default, Resource: onlyMaybe.Address}}
	onlyMaybe.DiagnosticSettings = model.AppendLinked(onlyMaybe.DiagnosticSettings, maybeDiag("b_maybe", 400), onlyMaybe.Address)
	if withSure.DiagnosticSettings.Origin != model.Unknown {
		t.Fatalf("AppendLinked of a resource that may not exist: list %+v, want unknown-many", withSure.DiagnosticSettings.Meta)
	}
	res := e.Run(context.Background(), module(withSure, onlyMaybe))
	var fs []engine.Finding
	for _, f := range res.Findings {
		if f.CheckID == "AZFUNC-050" || f.CheckID == "AZFUNC-051" {
			fs = append(fs, f)
		}
	}
	want := []got{
		{"AZFUNC-050", "undetermined", 300, "diagnostic_settings", "unknown"},
		{"AZFUNC-051", "undetermined", 300, "diagnostic_settings", "unknown"},
		{"AZFUNC-051", "undetermined", 300, "", "explicit"},
		{"AZFUNC-050", "undetermined", 400, "diagnostic_settings", "unknown"},
		{"AZFUNC-051", "undetermined", 400, "diagnostic_settings", "unknown"},
		{"AZFUNC-051", "undetermined", 400, "", "explicit"},
	}
	if diff := cmp.Diff(want, summarize(fs)); diff != "" {
		t.Errorf("findings (-want +got):\n%s\n%s", diff, describe(fs))
	}
	for _, f := range fs {
		if f.Origin == model.Explicit && !strings.Contains(f.Message, "may not exist: count = var.diag") {
			t.Errorf("undetermined without the reason: %s", f.Message)
		}
	}
}

// TestIdentityRelativeToRepoRoot: Finding.Root and the fingerprint name
// the root and the file relative to Options.RepoRoot, wherever the parsers'
// names were relative to; outside the repository root they are absolute.
func TestIdentityRelativeToRepoRoot(t *testing.T) {
	repo := filepath.FromSlash("/repo")
	insecure := func() *model.Module {
		a := secureApp("a", 10)
		a.HTTPSOnly = model.Set(false, at(14), a.Address)
		return module(a) // Path ".", files "main.tf"
	}
	for _, tc := range []struct {
		name           string
		opts           engine.Options
		wantRoot, file string
	}{
		{"no repository root", engine.Options{}, ".", "main.tf"},
		{"scan started in envs/dev", engine.Options{RepoRoot: repo, WorkDir: filepath.Join(repo, "envs", "dev")}, "envs/dev", "envs/dev/main.tf"},
		{"relative repository root", engine.Options{RepoRoot: "../..", WorkDir: filepath.Join(repo, "envs", "dev")}, "envs/dev", "envs/dev/main.tf"},
		{"scan started at the root", engine.Options{RepoRoot: repo, WorkDir: repo}, ".", "main.tf"},
		{"outside the repository", engine.Options{RepoRoot: repo, WorkDir: filepath.FromSlash("/elsewhere")}, "/elsewhere", "/elsewhere/main.tf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := builtinEngine(t, tc.opts)
			res := e.Run(context.Background(), insecure())
			if len(res.Findings) != 1 {
				t.Fatalf("findings:\n%s", describe(res.Findings))
			}
			f := res.Findings[0]
			if f.Root != tc.wantRoot {
				t.Errorf("Root = %q, want %q", f.Root, tc.wantRoot)
			}
			if want := engine.Fingerprint(f.CheckID, tc.wantRoot, tc.file, f.Resource, f.Path); f.Fingerprint != want {
				t.Errorf("fingerprint %s, want that of root %s, file %s (%s)", f.Fingerprint, tc.wantRoot, tc.file, want)
			}
		})
	}
}

// TestLinkedResourceOfUnknownExistence: a failure about the host storage
// account, which may not exist (a Pulumi resource pending deletion, a
// count over an unknown value), is undetermined, with the reason, and
// counted so.
func TestLinkedResourceOfUnknownExistence(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	a := secureApp("a", 10)
	a.StorageAccount.HTTPSTrafficOnly = model.Set(false, at(205), a.StorageAccount.Address)
	a.StorageAccount.UnknownExistence = "it is pending deletion (delete: true in the stack export)"
	res := e.Run(context.Background(), module(a))
	if len(res.Findings) != 1 {
		t.Fatalf("findings:\n%s", describe(res.Findings))
	}
	f := res.Findings[0]
	if f.CheckID != "AZFUNC-063" || f.Status != engine.Undetermined || !strings.Contains(f.Message, a.StorageAccount.Address+" may not exist: it is pending deletion") {
		t.Errorf("finding = %+v", f)
	}
	if res.Stats.Failed != 0 || res.Stats.Undetermined != 1 {
		t.Errorf("stats = %+v", res.Stats)
	}
}

func TestLowerSeverity(t *testing.T) {
	cs := customChecks(t, map[string]string{
		"T-001.yaml": strings.Replace(custom("TEST-001",
			"each: app.app_settings\nfail: item.name.startsWith(\"S\")\nmessage: \"{{element}}\"\nlower_severity:\n  to: low\n  when: item.source == \"keyvault_reference\"\n  reason: held in Key Vault"),
			"severity: low\nsecurity_severity: 1.0", "severity: high\nsecurity_severity: 7.0", 1),
	})
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := secureApp("a", 10)
	unknownSource := setting("S_UNKNOWN", "x", model.SourceLiteral, 42, a.Address)
	unknownSource.Source = model.Unresolved[string](at(42), a.Address, "not known")
	a.AppSettings.Items = append(a.AppSettings.Items,
		setting("S_LITERAL", "x", model.SourceLiteral, 40, a.Address),
		setting("S_VAULT", "@Microsoft.KeyVault(SecretUri=https://kv/secrets/s)", model.SourceKeyVault, 41, a.Address),
		unknownSource)
	res := e.Run(context.Background(), module(a))
	got := map[string]string{}
	for _, f := range res.Findings {
		got[f.Path] = string(f.Severity) + " " + f.Message
	}
	want := map[string]string{
		"app_settings[S_LITERAL]": "high app_settings[S_LITERAL]",
		"app_settings[S_VAULT]":   "low app_settings[S_VAULT] (severity lowered to low: held in Key Vault)",
		"app_settings[S_UNKNOWN]": "high app_settings[S_UNKNOWN]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestSecretOnLine: a finding located on the line where a sensitive value
// is written (the access key argument 031 points at) says so, so that no
// writer prints that line.
func TestSecretOnLine(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	a := secureApp("a", 10)
	a.StorageConfigured = model.Set(true, at(12), a.Address)
	a.StorageUsesIdentity = model.Set(false, at(12), a.Address)
	a.StorageAccessKey = model.Set(model.Sensitive("s3cr3t-storage-key"), at(12), a.Address)
	a.StorageKeyInKeyVault = model.Set(false, at(12), a.Address)
	a.HTTPSOnly = model.Set(false, at(14), a.Address)
	res := e.Run(context.Background(), module(a))
	got := map[string]bool{}
	for _, f := range res.Findings {
		got[f.CheckID] = f.SecretOnLine
	}
	want := map[string]bool{"AZFUNC-031": true, "AZFUNC-040": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SecretOnLine by check (-want +got):\n%s", diff)
	}
}

// TestRunsKeepTheirOwnFindings: the findings of a Run are gathered in a
// buffer the next Run reuses; a Result keeps its findings however many
// Runs follow (one finding, already in order, is finalized in place), and
// a Run without findings has none (nil, as when nothing was found).
func TestRunsKeepTheirOwnFindings(t *testing.T) {
	e := builtinEngine(t, engine.Options{})
	one := secureApp("a", 10)
	one.HTTPSOnly = model.Set(false, at(14), one.Address)
	first := e.Run(context.Background(), module(one))
	if len(first.Findings) != 1 {
		t.Fatalf("want one finding:\n%s", describe(first.Findings))
	}
	want := summarize(first.Findings)
	for range 3 {
		many := secureApp("b", 10)
		many.HTTPSOnly = model.Set(false, at(20), many.Address)
		many.SiteConfig.RemoteDebugging = model.Set(true, at(12), many.Address)
		if res := e.Run(context.Background(), module(many)); len(res.Findings) < 2 {
			t.Fatalf("want two findings or more:\n%s", describe(res.Findings))
		}
	}
	if got := summarize(first.Findings); !reflect.DeepEqual(got, want) || first.Findings[0].Resource != one.Address {
		t.Errorf("a later Run changed the findings of an earlier one: %v, want %v", got, want)
	}
	if res := e.Run(context.Background(), module(secureApp("c", 10))); res.Findings != nil {
		t.Errorf("a Run without findings has %#v", res.Findings)
	}
}

// TestMessagesAndFingerprintsHoldNoSource: a parser's strings are often
// slices of the file it read; a finding's strings, its message and
// fingerprint among them (which detach keeps as they are, made for the
// finding), hold none of it, even a message that is one placeholder.
func TestMessagesAndFingerprintsHoldNoSource(t *testing.T) {
	text := strings.Repeat(" ", 100) + "func-from-source SETTING_FROM_SOURCE value-from-source"
	in := func(s string) string {
		i := strings.Index(text, s)
		return text[i : i+len(s)]
	}
	cs := customChecks(t, map[string]string{
		"T-001.yaml": custom("TEST-001", "fail: \"true\"\nmessage: \"{{name}}\""),
		"T-002.yaml": custom("TEST-002", "each: app.app_settings\nwhen: item.name == \"SETTING_FROM_SOURCE\"\nfail: \"true\"\nmessage: \"{{item.name}}\""),
		"T-003.yaml": custom("TEST-003", "each: app.app_settings\nwhen: item.name == \"SETTING_FROM_SOURCE\"\nfail: \"true\"\nmessage: \"{{element}}\""),
	})
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := secureApp("a", 10)
	a.Name = model.Set(in("func-from-source"), at(11), a.Address)
	a.AppSettings.Items = append(a.AppSettings.Items, setting(in("SETTING_FROM_SOURCE"), in("value-from-source"), model.SourceLiteral, 40, a.Address))
	res := e.RunShared(context.Background(), module(a), &engine.Strings{})
	want := map[string]string{"TEST-001": "func-from-source", "TEST-002": "SETTING_FROM_SOURCE", "TEST-003": "app_settings[SETTING_FROM_SOURCE]"}
	if len(res.Findings) != len(want) {
		t.Fatalf("findings:\n%s", describe(res.Findings))
	}
	lo := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	for _, f := range res.Findings {
		if f.Message != want[f.CheckID] || len(f.Fingerprint) != 32 {
			t.Errorf("%s: message %q, fingerprint %q", f.CheckID, f.Message, f.Fingerprint)
		}
		for _, s := range stringsOf(reflect.ValueOf(f)) {
			if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); s != "" && p >= lo && p < lo+uintptr(len(text)) {
				t.Errorf("%s: %q points into the source text", f.CheckID, s)
			}
		}
	}
}
