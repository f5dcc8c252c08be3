package pulumi

import (
	"sort"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Classic azure provider tokens (azurerm under the hood).
const (
	tokClassicLinux    = "azure:appservice:LinuxFunctionApp"
	tokClassicWindows  = "azure:appservice:WindowsFunctionApp"
	tokClassicLegacy   = "azure:appservice:FunctionApp"
	tokClassicFlex     = "azure:appservice:FunctionAppFlexConsumption"
	tokClassicStorage  = "azure:storage:Account"
	tokClassicDiag     = "azure:monitoring:DiagnosticSetting"
	tokClassicPE       = "azure:privatelink:Endpoint"
	tokClassicSwift    = "azure:appservice:VirtualNetworkSwiftConnection"
	tokClassicSlotSwft = "azure:appservice:SlotVirtualNetworkSwiftConnection"
	classicSlotSuffix  = "Slot"
	noteClassicMissing = "not mapped for classic azure provider apps"
)

// classicFlavor returns the flavor and OS of a classic function app token,
// its slot-ness, and ok false for other tokens.
func classicFlavor(token string) (flavor, os string, slot, ok bool) {
	base, slot := strings.CutSuffix(token, classicSlotSuffix)
	switch base {
	case tokClassicLinux:
		return "linux", "linux", slot, true
	case tokClassicWindows:
		return "windows", "windows", slot, true
	case tokClassicLegacy:
		return "legacy", "", slot, true
	case tokClassicFlex:
		return "flex", "linux", slot, true
	}
	return "", "", false, false
}

// cr reads values of one classic resource with azurerm defaults.
type cr struct {
	l *loader
	x *res
}

func (c cr) def(note string) model.Meta { return c.l.defMeta(c.x, note) }

func (c cr) node(path string) *model.Node {
	n := c.x.body
	for _, p := range strings.Split(path, ".") {
		n = get(n, p)
		if n == nil {
			return nil
		}
	}
	if n.Kind == model.KindNull && n.Meta.Origin != model.Unknown {
		return nil
	}
	return n
}

func (c cr) boolean(path string, def bool, note string) model.Bool {
	n := c.node(path)
	if n == nil {
		return model.Bool{V: def, Meta: c.def(path + " not set; azurerm default " + note)}
	}
	m := c.l.meta(c.x, n)
	if m.Origin == model.Unknown {
		return model.Bool{Meta: m}
	}
	switch {
	case n.Kind == model.KindBool:
		return model.Bool{V: n.Bool, Meta: m}
	case n.Kind == model.KindString && (strings.EqualFold(n.Str, "true") || strings.EqualFold(n.Str, "false")):
		return model.Bool{V: strings.EqualFold(n.Str, "true"), Meta: m}
	}
	m.Origin, m.Note = model.Unknown, path+" has an unexpected value"
	return model.Bool{Meta: m}
}

func (c cr) str(path, def, note string) model.String {
	n := c.node(path)
	if n == nil {
		if note == "" {
			return model.Unresolved[string](c.x.header, c.x.urn, path+" not set")
		}
		return model.String{V: def, Meta: c.def(path + " not set; azurerm default " + note)}
	}
	return c.l.strVal(c.x, n, path)
}

// integer reads a whole number (written as a number or a numeric string).
func (c cr) integer(path string, def int64, note string) model.Int {
	n := c.node(path)
	if n == nil || n.Kind == model.KindNull {
		return model.Int{V: def, Meta: c.def(path + " not set; " + note)}
	}
	m := c.l.meta(c.x, n)
	if m.Origin == model.Unknown {
		return model.Int{Meta: m}
	}
	switch n.Kind {
	case model.KindInt:
		return model.Int{V: n.Int, Meta: m}
	case model.KindString:
		if v, err := strconv.ParseInt(strings.TrimSpace(n.Str), 10, 64); err == nil {
			return model.Int{V: v, Meta: m}
		}
	}
	m.Origin, m.Note = model.Unknown, path+" has an unexpected value"
	return model.Int{Meta: m}
}

// runtime reads the language of siteConfig.applicationStack, as the
// Terraform parser reads application_stack: dotnet (dotnet-isolated with
// useDotnetIsolatedRuntime), java, node, python, powershell.
func (c cr) runtime() (name, version model.String) {
	stack := c.node("siteConfig.applicationStack")
	if stack == nil || stack.Kind == model.KindNull {
		note := "no siteConfig.applicationStack"
		return model.String{Meta: c.def(note)}, model.String{Meta: c.def(note)}
	}
	for _, lang := range []struct{ prop, name string }{
		{"dotnetVersion", "dotnet"},
		{"javaVersion", "java"},
		{"nodeVersion", "node"},
		{"pythonVersion", "python"},
		{"powershellCoreVersion", "powershell"},
	} {
		v := get(stack, lang.prop)
		if v == nil || v.Kind == model.KindNull {
			continue
		}
		version = c.l.strVal(c.x, v, "siteConfig.applicationStack."+lang.prop)
		name = model.Set(lang.name, version.Range, c.x.urn)
		if lang.name == "dotnet" {
			iso := c.boolean("siteConfig.applicationStack.useDotnetIsolatedRuntime", false, "false")
			switch {
			case iso.Origin == model.Unknown:
				name = model.String{Meta: iso.Meta}
			case iso.V:
				name.V = "dotnet-isolated"
			}
		}
		return name, version
	}
	note := "siteConfig.applicationStack names no language version"
	return model.String{Meta: c.def(note)}, model.String{Meta: c.def(note)}
}

// backup reads the backup block (legacy azure:appservice:FunctionApp has none).
func (c cr) backup(flavor string) model.Backup {
	note := "no backup block"
	if flavor == "flex" || flavor == "legacy" {
		note = "backup is not available on this resource"
	}
	n := c.node("backup")
	if n == nil || n.Kind == model.KindNull || flavor == "flex" || flavor == "legacy" {
		return model.Backup{
			Configured:          model.Bool{V: false, Meta: c.def(note)},
			Enabled:             model.Bool{V: false, Meta: c.def(note)},
			StorageAccountURL:   model.Secret{Meta: c.def(note)},
			RetentionPeriodDays: model.Int{V: 0, Meta: c.def(note)},
		}
	}
	url := c.secret("backup.storageAccountUrl")
	return model.Backup{
		Configured:          model.Bool{V: true, Meta: c.l.meta(c.x, n)},
		Enabled:             c.boolean("backup.enabled", true, "true"),
		StorageAccountURL:   url,
		RetentionPeriodDays: c.integer("backup.schedule.retentionPeriodDays", 30, "azurerm default 30"),
	}
}

// legacyClientCert: azure:appservice:FunctionApp (azurerm_function_app)
// enables client certificates whenever clientCertMode is set.
func (c cr) legacyClientCert() (model.String, model.Bool) {
	if c.node("clientCertMode") == nil {
		const note = "clientCertMode not set; azure:appservice:FunctionApp enables client certificates only with it"
		return model.String{V: "Optional", Meta: c.def(note)}, model.Bool{V: false, Meta: c.def(note)}
	}
	mode := c.str("clientCertMode", "Optional", `"Optional"`)
	if !mode.Known() {
		return mode, model.Bool{Meta: mode.Meta}
	}
	return mode, model.Bool{V: strings.TrimSpace(mode.V) != "", Meta: mode.Meta}
}

// auth reads Easy Auth: authSettingsV2 when present, else the legacy
// authSettings (v1), else disabled (azurerm semantics, as the Terraform
// parser reads auth_settings_v2 and auth_settings).
func (c cr) auth() model.Auth {
	if n := c.node("authSettingsV2"); n != nil {
		const p = "authSettingsV2."
		if n.Meta.Origin == model.Unknown || n.Kind != model.KindObject {
			m := c.l.meta(c.x, n)
			m.Origin = model.Unknown
			return model.Auth{Enabled: model.Bool{Meta: m}, Version: model.String{V: "v2", Meta: m},
				RequireAuthentication: model.Bool{Meta: m}, UnauthenticatedAction: model.String{Meta: m},
				RequireHTTPS: model.Bool{Meta: m}, InlineSecrets: model.List[*model.Setting]{Meta: m}}
		}
		at := c.l.meta(c.x, n)
		return model.Auth{
			Enabled:               c.boolean(p+"authEnabled", false, "false"),
			Version:               model.String{V: "v2", Meta: at},
			RequireAuthentication: c.boolean(p+"requireAuthentication", false, "false"),
			UnauthenticatedAction: c.str(p+"unauthenticatedAction", "RedirectToLoginPage", `"RedirectToLoginPage"`),
			RequireHTTPS:          c.boolean(p+"requireHttps", true, "true"),
			InlineSecrets:         model.List[*model.Setting]{Meta: at},
		}
	}
	if n := c.node("authSettings"); n != nil {
		const p = "authSettings."
		at := c.l.meta(c.x, n)
		if at.Origin == model.Unknown || n.Kind != model.KindObject {
			at.Origin = model.Unknown
			return model.Auth{Enabled: model.Bool{Meta: at}, Version: model.String{V: "v1", Meta: at},
				RequireAuthentication: model.Bool{Meta: at}, UnauthenticatedAction: model.String{Meta: at},
				RequireHTTPS: model.Bool{Meta: at}, InlineSecrets: model.List[*model.Setting]{Meta: at}}
		}
		action := c.str(p+"unauthenticatedClientAction", "RedirectToLoginPage", `"RedirectToLoginPage"`)
		require := model.Bool{V: !strings.EqualFold(strings.TrimSpace(action.V), "AllowAnonymous"), Meta: action.Meta}
		return model.Auth{
			Enabled:               c.boolean(p+"enabled", false, "false"),
			Version:               model.String{V: "v1", Meta: at},
			RequireAuthentication: require,
			UnauthenticatedAction: action,
			RequireHTTPS:          model.Bool{V: true, Meta: c.def("authSettings (v1) has no requireHttps; HTTPS is required by default")},
			InlineSecrets:         c.inlineAuthSecrets(at),
		}
	}
	const none = "no authSettings or authSettingsV2"
	return model.Auth{
		Enabled:               model.Bool{V: false, Meta: c.def(none)},
		Version:               model.String{V: "", Meta: c.def(none)},
		RequireAuthentication: model.Bool{V: false, Meta: c.def(none)},
		UnauthenticatedAction: model.String{V: "RedirectToLoginPage", Meta: c.def(none)},
		RequireHTTPS:          model.Bool{V: true, Meta: c.def(none)},
		InlineSecrets:         model.List[*model.Setting]{Meta: c.def(none)},
	}
}

// inlineAuthSecrets lists identity-provider secrets written inline in
// authSettings (v1) instead of a *SettingName reference.
func (c cr) inlineAuthSecrets(at model.Meta) model.List[*model.Setting] {
	out := model.List[*model.Setting]{Meta: at}
	for _, p := range []string{
		"activeDirectory.clientSecret",
		"facebook.appSecret",
		"github.clientSecret",
		"google.clientSecret",
		"microsoft.clientSecret",
		"twitter.consumerSecret",
	} {
		path := "authSettings." + p
		n := c.node(path)
		if n == nil {
			continue
		}
		m := c.l.meta(c.x, n)
		st := &model.Setting{Name: model.String{V: path, Meta: m}, Attribute: model.String{Meta: m}, Type: model.String{Meta: m}}
		st.Value = c.secret(path)
		src := model.SourceLiteral
		switch {
		case c.l.d.sources[n].Kind != "":
			src = c.l.d.sources[n].Kind
		case m.Origin == model.Unknown:
			src = model.SourceUnknown
		}
		st.Source = model.String{V: string(src), Meta: m}
		out.Items = append(out.Items, st)
	}
	return out
}

// secret reads a sensitive string; a Pulumi secret (an encrypted value)
// is written but its value is not known here.
func (c cr) secret(path string) model.Secret {
	n := c.node(path)
	if n == nil || n.Kind == model.KindNull {
		return model.Secret{Meta: c.def(path + " not set")}
	}
	m := c.l.meta(c.x, n)
	if c.l.d.sources[n].Kind != "" || m.Origin == model.Unknown {
		m.Origin = model.Unknown
		if m.Note == "" {
			m.Note = path + " is known only at deployment"
		}
		return model.Secret{Meta: m}
	}
	text := n.Str
	if n.Kind != model.KindString {
		text = rawText(n)
	}
	return model.Secret{V: model.Sensitive(text), Meta: m}
}

// classic maps a classic azure provider function app (or slot); nil for
// other resources.
func (l *loader) classic(x *res) *site {
	flavor, osName, slot, ok := classicFlavor(x.token)
	if !ok {
		return nil
	}
	c := cr{l: l, x: x}
	app := &model.FunctionApp{Resource: x.resource()}
	s := &site{x: x, classic: true, app: app, rg: str(get(x.body, "resourceGroupName"))}
	s.name = str(get(x.body, "name"))
	app.Name = c.str("name", "", "")
	app.Flavor = model.Set(flavor, x.header, x.urn)
	if osName != "" {
		app.OS = model.Set(osName, x.header, x.urn)
	} else {
		app.OS = c.str("osType", "windows", "windows (os_type unset)")
	}
	app.IsSlot = model.Set(slot, x.header, x.urn)
	if slot {
		app.SlotName = app.Name
		app.Parent = c.str("functionAppId", "", "")
		s.slot = s.name
	} else {
		app.SlotName = model.Set("", x.header, x.urn)
		app.Parent = model.Set("", x.header, x.urn)
	}

	if flavor == "legacy" {
		app.PublicNetworkAccess = model.Bool{V: true, Meta: c.def("azure:appservice:FunctionApp has no publicNetworkAccessEnabled; public access is enabled")}
	} else {
		app.PublicNetworkAccess = c.boolean("publicNetworkAccessEnabled", true, "true")
	}
	app.PrivateEndpoints = model.List[*model.EndpointLink]{Meta: c.def("no private endpoint in the scanned files targets this app")}
	c.vnet(app, flavor)
	app.HTTPSOnly = c.boolean("httpsOnly", false, "false")
	if flavor == "legacy" {
		app.ClientCertMode, app.ClientCertEnabled = c.legacyClientCert()
	} else {
		app.ClientCertEnabled = c.boolean("clientCertificateEnabled", false, "false")
		app.ClientCertMode = c.str("clientCertificateMode", "Optional", `"Optional"`)
	}
	app.AdminIsolation = model.Bool{V: false, Meta: c.def("the classic azure provider has no argument for functionsRuntimeAdminIsolationEnabled")}
	app.KeyVaultReferenceIdentity = c.str("keyVaultReferenceIdentityId", "SystemAssigned", "SystemAssigned (Key Vault references use the system-assigned identity)")
	app.Auth = c.auth()
	if flavor == "flex" {
		app.FTPBasicAuth = model.Bool{V: false, Meta: c.def("no FTP on Flex Consumption")}
	} else {
		app.FTPBasicAuth = c.boolean("ftpPublishBasicAuthenticationEnabled", true, "true")
	}
	app.SCMBasicAuth = c.boolean("webdeployPublishBasicAuthenticationEnabled", true, "true")

	// Identity: block absent ⇒ none.
	if n := c.node("identity"); n == nil {
		app.Identity.Type = model.String{V: "None", Meta: c.def("identity not set; no managed identity")}
		app.Identity.IdentityIDs = model.List[model.String]{Meta: c.def("identity not set")}
	} else {
		app.Identity.Type = c.str("identity.type", "None", "None")
		app.Identity.IdentityIDs = l.strList(x, get(n, "identityIds"), "identity.identityIds")
	}

	// Site configuration.
	sc := &app.SiteConfig
	sc.MinTLSVersion = c.str("siteConfig.minimumTlsVersion", "1.2", "1.2")
	if flavor == "legacy" {
		sc.MinTLSVersion = c.str("siteConfig.minTlsVersion", "1.2", "1.2")
	}
	sc.SCMMinTLSVersion = c.str("siteConfig.scmMinimumTlsVersion", "1.2", "1.2")
	switch flavor {
	case "legacy":
		sc.FTPSState = c.str("siteConfig.ftpsState", "AllAllowed", "AllAllowed (azurerm_function_app)")
	case "flex":
		sc.FTPSState = model.String{V: "Disabled", Meta: c.def("no FTP on Flex Consumption")}
	default:
		sc.FTPSState = c.str("siteConfig.ftpsState", "Disabled", "Disabled")
	}
	sc.RemoteDebugging = c.boolean("siteConfig.remoteDebuggingEnabled", false, "false")
	if n := c.node("siteConfig.cors"); n == nil {
		sc.CORS.AllowedOrigins = model.List[model.String]{Meta: c.def("siteConfig.cors not set; no CORS")}
		sc.CORS.SupportCredentials = model.Bool{V: false, Meta: c.def("siteConfig.cors not set")}
	} else {
		sc.CORS.AllowedOrigins = l.strList(x, get(n, "allowedOrigins"), "siteConfig.cors.allowedOrigins")
		sc.CORS.SupportCredentials = c.boolean("siteConfig.cors.supportCredentials", false, "false")
	}

	c.restrictions(sc, flavor)

	switch flavor {
	case "legacy":
		app.FunctionsExtensionVersion = c.str("version", "~1", `"~1"`)
		app.BuiltinLogging = c.boolean("enableBuiltinLogging", true, "true")
	case "flex":
		app.FunctionsExtensionVersion = model.String{V: "~4", Meta: c.def("Flex Consumption runs the Functions host v4")}
		app.BuiltinLogging = model.Bool{V: false, Meta: c.def("built-in logging (AzureWebJobsDashboard) is not available on Flex Consumption")}
	default:
		app.FunctionsExtensionVersion = c.str("functionsExtensionVersion", "~4", `"~4"`)
		app.BuiltinLogging = c.boolean("builtinLoggingEnabled", true, "true")
	}
	app.DailyMemoryTimeQuota = c.integer("dailyMemoryTimeQuota", 0, "0 means no quota")
	if flavor == "flex" {
		app.MaximumInstanceCount = c.integer("maximumInstanceCount", 0, "the platform maximum applies")
		sc.AppScaleLimit = model.Int{Meta: c.def("appScaleLimit does not apply to Flex Consumption (see maximumInstanceCount)")}
		sc.RuntimeName = c.str("runtimeName", "", "")
		sc.RuntimeVersion = c.str("runtimeVersion", "", "")
	} else {
		app.MaximumInstanceCount = model.Int{Meta: c.def("maximumInstanceCount applies only to Flex Consumption")}
		sc.AppScaleLimit = c.integer("siteConfig.appScaleLimit", 0, "no scale-out limit")
		sc.RuntimeName, sc.RuntimeVersion = c.runtime()
	}
	app.Backup = c.backup(flavor)

	sc.AppInsightsConnectionString = c.secret("siteConfig.applicationInsightsConnectionString")
	sc.AppInsightsKey = c.secret("siteConfig.applicationInsightsKey")

	// Settings and host storage.
	app.AppSettings = l.classicSettings(x, c.node("appSettings"))
	app.ConnectionStrings = l.classicConnStrings(x, c.node("connectionStrings"))
	c.hostStorage(app, flavor)
	app.DiagnosticSettings = model.List[*model.DiagnosticSetting]{Meta: c.def("no diagnostic setting in the scanned files targets this app")}
	return s
}

// classicSettings maps an appSettings map; values keep their envelope
// annotation (secret_envelope) or are literals.
func (l *loader) classicSettings(x *res, n *model.Node) model.List[*model.Setting] {
	if n == nil || n.Kind == model.KindNull {
		return model.List[*model.Setting]{Meta: l.defMeta(x, "appSettings not set")}
	}
	out := model.List[*model.Setting]{Meta: l.meta(x, n)}
	if n.Meta.Origin == model.Unknown || n.Kind != model.KindObject {
		out.Origin = model.Unknown
		return out
	}
	fields := append([]model.Field(nil), n.Fields...)
	sort.SliceStable(fields, func(i, j int) bool { return fields[i].Name < fields[j].Name })
	for _, f := range fields {
		v := f.Node
		m := l.meta(x, v)
		// The name, source and kind are known even when the value is not
		// (a Pulumi secret).
		known := m
		known.Origin, known.Note = model.Explicit, ""
		st := &model.Setting{Name: model.String{V: f.Name, Meta: known}}
		src := model.SourceLiteral
		switch {
		case l.d.sources[v].Kind != "":
			src = l.d.sources[v].Kind
			st.Value = model.Secret{Meta: m}
		case m.Origin == model.Unknown:
			src = model.SourceUnknown
			st.Value = model.Secret{Meta: m}
		default:
			text := v.Str
			if v.Kind != model.KindString {
				text = rawText(v)
			}
			st.Value = model.Secret{V: model.Sensitive(text), Meta: m}
			if strings.HasPrefix(strings.TrimSpace(text), "@Microsoft.KeyVault(") {
				src = model.SourceKeyVault
			}
		}
		if src == model.SourceUnknown {
			known = m
		}
		st.Source = model.String{V: string(src), Meta: known}
		st.Attribute = model.String{Meta: known}
		st.Type = model.String{Meta: known}
		out.Items = append(out.Items, st)
	}
	return out
}

// classicConnStrings maps a connectionStrings list [{name, type, value}].
func (l *loader) classicConnStrings(x *res, n *model.Node) model.List[*model.Setting] {
	if n == nil || n.Kind == model.KindNull {
		return model.List[*model.Setting]{Meta: l.defMeta(x, "connectionStrings not set")}
	}
	out := model.List[*model.Setting]{Meta: l.meta(x, n)}
	if n.Meta.Origin == model.Unknown || n.Kind != model.KindList {
		out.Origin = model.Unknown
		return out
	}
	for _, it := range n.Items {
		m := l.meta(x, it)
		if it.Meta.Origin == model.Unknown || it.Kind != model.KindObject {
			m.Origin = model.Unknown
			out.Items = append(out.Items, &model.Setting{Name: model.String{Meta: m}, Value: model.Secret{Meta: m}, Source: model.String{V: string(model.SourceUnknown), Meta: m}})
			continue
		}
		obj := &model.Node{Kind: model.KindObject, Meta: it.Meta}
		name := str(get(it, "name"))
		if v := get(it, "value"); v != nil {
			obj.Fields = append(obj.Fields, model.Field{Name: name, Node: v})
		}
		one := l.classicSettings(x, obj)
		if len(one.Items) == 0 {
			continue
		}
		st := one.Items[0]
		st.Type = l.strVal(x, get(it, "type"), "connectionStrings.type")
		out.Items = append(out.Items, st)
	}
	return out
}

// rawText renders a scalar node as text.
func rawText(n *model.Node) string {
	switch n.Kind {
	case model.KindBool:
		return strconv.FormatBool(n.Bool)
	case model.KindInt:
		return strconv.FormatInt(n.Int, 10)
	}
	return n.Str
}

// classicStorage maps a classic azure:storage:Account with azurerm
// defaults; nil for other resources.
// classicPricing maps azure:securitycenter:SubscriptionPricing when it is
// the AppServices plan (resourceType, default VirtualMachines); nil
// otherwise. A resourceType not known may be AppServices: the tier is
// unknown then.
func (l *loader) classicPricing(x *res) *model.DefenderPricing {
	if x.token != "azure:securitycenter:SubscriptionPricing" {
		return nil
	}
	c := cr{l: l, x: x}
	p := &model.DefenderPricing{Resource: x.resource()}
	rt := c.str("resourceType", "VirtualMachines", "VirtualMachines")
	switch {
	case !rt.Known():
		p.Tier = model.String{Meta: rt.Meta}
		p.Tier.Note = "resourceType is not known: it may or may not be AppServices"
	case !strings.EqualFold(strings.TrimSpace(rt.V), "AppServices"):
		return nil
	default:
		p.Tier = c.str("tier", "", "")
	}
	return p
}

func (l *loader) classicStorage(x *res) *model.StorageAccount {
	if x.token != tokClassicStorage {
		return nil
	}
	c := cr{l: l, x: x}
	sa := &model.StorageAccount{Resource: x.resource()}
	sa.Name = c.str("name", "", "")
	sa.PublicNetworkAccess = c.boolean("publicNetworkAccessEnabled", true, "true")
	sa.NetworkDefaultAction = c.str("networkRules.defaultAction", "Allow", "Allow (no network rules)")
	sa.SharedKeyAccess = c.boolean("sharedAccessKeyEnabled", true, "true")
	sa.MinTLSVersion = c.str("minTlsVersion", "TLS1_2", "TLS1_2")
	if c.node("httpsTrafficOnlyEnabled") == nil && c.node("enableHttpsTrafficOnly") != nil {
		sa.HTTPSTrafficOnly = c.boolean("enableHttpsTrafficOnly", true, "true")
	} else {
		sa.HTTPSTrafficOnly = c.boolean("httpsTrafficOnlyEnabled", true, "true")
	}
	sa.AllowBlobPublicAccess = c.boolean("allowNestedItemsToBePublic", true, "true")
	sa.ReplicationType = c.str("accountReplicationType", "", "")
	sa.PrivateEndpoints = model.List[*model.EndpointLink]{Meta: c.def("no private endpoint in the scanned files targets this storage account")}
	return sa
}

// vnet reads VNet integration from virtualNetworkSubnetId (a swift
// connection resource may integrate the app later, see classicSwifts)
// and route-all from siteConfig.vnetRouteAllEnabled (azurerm default
// false).
func (c cr) vnet(app *model.FunctionApp, flavor string) {
	app.VNetSubnetID = c.str("virtualNetworkSubnetId", "", `"" (not VNet-integrated)`)
	switch sub := app.VNetSubnetID; {
	case sub.Origin == model.Unknown && c.node("virtualNetworkSubnetId") != nil:
		// Written, known only at deployment (another resource's id).
		app.VNetIntegrated = model.Bool{V: true, Meta: sub.Meta}
		app.VNetIntegrated.Origin = model.Explicit
	case sub.Origin == model.Unknown:
		app.VNetIntegrated = model.Bool{Meta: sub.Meta}
	case sub.Origin == model.Explicit:
		app.VNetIntegrated = model.Bool{V: strings.TrimSpace(sub.V) != "", Meta: sub.Meta}
	default:
		app.VNetIntegrated = model.Bool{V: false, Meta: c.def("no virtualNetworkSubnetId and no swift connection targets this app")}
	}
	note := "false"
	if flavor == "flex" {
		note = "false (platform default assumed for Flex Consumption)"
	}
	app.VNetRouteAll = c.boolean("siteConfig.vnetRouteAllEnabled", false, note)
}

// restrictions reads the access restrictions of siteConfig: ipRestrictions
// and scmIpRestrictions with their default actions (azurerm default
// Allow; the legacy azure:appservice:FunctionApp has none, so the
// platform's implicit behaviour applies), scmUseMainIpRestriction.
func (c cr) restrictions(sc *model.SiteConfig, flavor string) {
	sc.IPRestrictions = c.rules("siteConfig.ipRestrictions")
	sc.SCMIPRestrictions = c.rules("siteConfig.scmIpRestrictions")
	sc.SCMUseMainIPRestriction = c.boolean("siteConfig.scmUseMainIpRestriction", false, "false")
	if flavor == "legacy" {
		sc.IPRestrictionDefaultAction = c.implicitAction(sc.IPRestrictions, "ipRestrictions")
		sc.SCMIPRestrictionDefaultAction = c.implicitAction(sc.SCMIPRestrictions, "scmIpRestrictions")
		return
	}
	sc.IPRestrictionDefaultAction = c.str("siteConfig.ipRestrictionDefaultAction", "Allow", "Allow")
	sc.SCMIPRestrictionDefaultAction = c.str("siteConfig.scmIpRestrictionDefaultAction", "Allow", "Allow")
}

// implicitAction is the platform behaviour without a default action:
// allow all without rules, deny unmatched traffic once a rule exists.
func (c cr) implicitAction(rules model.List[*model.IPRestriction], name string) model.String {
	switch {
	case rules.Origin == model.Unknown:
		return model.String{Meta: rules.Meta}
	case len(rules.Items) > 0:
		m := rules.Meta
		m.Origin, m.Note = model.Default, "no "+name+" default action; with rules the platform denies unmatched traffic"
		return model.String{V: "Deny", Meta: m}
	}
	return model.String{V: "Allow", Meta: c.def("no " + name + " default action and no rules; the platform allows all traffic")}
}

// rules reads a list of access-restriction rules.
func (c cr) rules(path string) model.List[*model.IPRestriction] {
	n := c.node(path)
	if n == nil {
		return model.List[*model.IPRestriction]{Meta: c.def(path + " not set; no rules")}
	}
	out := model.List[*model.IPRestriction]{Meta: c.l.meta(c.x, n)}
	if out.Origin == model.Unknown {
		return out
	}
	if n.Kind != model.KindList {
		out.Origin, out.Note = model.Unknown, path+" is not a list"
		return out
	}
	for i, it := range n.Items {
		p := path + "[" + strconv.Itoa(i) + "]"
		m := c.l.meta(c.x, it)
		if m.Origin == model.Unknown || it.Kind != model.KindObject {
			m.Origin = model.Unknown
			out.Items = append(out.Items, &model.IPRestriction{Name: model.String{Meta: m}, Action: model.String{Meta: m},
				IPAddress: model.String{Meta: m}, ServiceTag: model.String{Meta: m}, SubnetID: model.String{Meta: m}, Priority: model.Int{Meta: m}})
			continue
		}
		// Defaults inside a rule are blamed on the rule.
		field := func(name, def string) model.String {
			v := get(it, name)
			if v == nil || v.Kind == model.KindNull {
				return model.String{V: def, Meta: model.Meta{Range: m.Range, Origin: model.Default, Resource: m.Resource, Note: p + "." + name + " not set"}}
			}
			return c.l.strVal(c.x, v, p+"."+name)
		}
		rule := &model.IPRestriction{
			Name:       field("name", ""),
			Action:     field("action", "Allow"),
			IPAddress:  field("ipAddress", ""),
			ServiceTag: field("serviceTag", ""),
			SubnetID:   field("virtualNetworkSubnetId", ""),
			Priority:   model.Int{V: 65000, Meta: model.Meta{Range: m.Range, Origin: model.Default, Resource: m.Resource, Note: p + ".priority not set; azurerm default 65000"}},
		}
		if v := get(it, "priority"); v != nil && v.Kind != model.KindNull {
			pm := c.l.meta(c.x, v)
			switch {
			case pm.Origin == model.Unknown:
				rule.Priority = model.Int{Meta: pm}
			case v.Kind == model.KindInt:
				rule.Priority = model.Int{V: v.Int, Meta: pm}
			}
		}
		out.Items = append(out.Items, rule)
	}
	return out
}

// classicSwifts integrates classic apps with the subnet of the
// azure:appservice:VirtualNetworkSwiftConnection (and its slot variant)
// whose appServiceId names them.
func (l *loader) classicSwifts(sites []*site) {
	for _, x := range l.res {
		if x.token != tokClassicSwift && x.token != tokClassicSlotSwft {
			continue
		}
		target := classicSite(sites, str(get(x.body, "appServiceId")))
		if target != nil && x.token == tokClassicSlotSwft {
			target = classicSlot(sites, target, str(get(x.body, "slotName")))
		}
		if target == nil {
			continue
		}
		app := target.app
		subnet := get(x.body, "subnetId")
		at := l.defMeta(x, "")
		if subnet != nil {
			at = l.meta(x, subnet)
		}
		app.VNetIntegrated = model.Bool{V: true, Meta: model.Meta{Range: at.Range, Origin: model.Explicit, Resource: x.urn,
			Note: x.token + " connects the app to a subnet"}}
		if app.VNetSubnetID.Origin == model.Default {
			app.VNetSubnetID = l.strVal(x, subnet, "subnetId")
		}
	}
}

// classicSite is the classic production app whose outputs.id is id.
func classicSite(sites []*site, id string) *site {
	for _, s := range sites {
		if s.app != nil && s.classic && !s.app.IsSlot.V && sameID(id, s.x.id) {
			return s
		}
	}
	return nil
}

// classicSlot is the classic slot named slot of the production app parent.
func classicSlot(sites []*site, parent *site, slot string) *site {
	for _, s := range sites {
		if s.app != nil && s.classic && s.app.IsSlot.V && strings.EqualFold(s.name, slot) &&
			sameID(str(get(s.x.body, "functionAppId")), parent.x.id) {
			return s
		}
	}
	return nil
}

// hostStorage maps the host storage arguments as azurerm does:
// storageAccountAccessKey or storageKeyVaultSecretId (the key, held in
// Key Vault) against storageUsesManagedIdentity; Flex
// storageAuthenticationType; the legacy FunctionApp always uses the key.
// With none of them set, derive reads the AzureWebJobsStorage settings.
func (c cr) hostStorage(app *model.FunctionApp, flavor string) {
	app.StorageKeyInKeyVault = model.Bool{V: false, Meta: c.def("storageKeyVaultSecretId not set")}
	set := func(path string) *model.Node {
		if n := c.node(path); n != nil && n.Kind != model.KindNull && (n.Kind != model.KindString || n.Str != "" || n.Meta.Origin == model.Unknown) && (n.Kind != model.KindBool || n.Bool) {
			return n
		}
		return nil
	}
	configured := func(n *model.Node) {
		app.StorageConfigured = model.Bool{V: true, Meta: c.l.meta(c.x, n)}
		app.StorageConfigured.Origin = model.Explicit
		app.StorageConfigured.Note = ""
	}
	if flavor == "flex" {
		app.StorageAccountName = c.str("storageContainerEndpoint", "", "storageContainerEndpoint not set")
		if ep := app.StorageAccountName; ep.Origin == model.Explicit {
			// https://<account>.blob.core.windows.net/<container>
			host := ep.V
			if _, after, ok := strings.Cut(host, "://"); ok {
				host = after
			}
			name, _, _ := strings.Cut(host, ".")
			app.StorageAccountName.V = name
		}
		app.StorageUsesIdentity = model.Bool{Meta: c.def("storageAuthenticationType not set")}
		if n := set("storageAuthenticationType"); n != nil {
			t := c.str("storageAuthenticationType", "", "")
			app.StorageUsesIdentity = model.Bool{V: t.V != "" && !strings.EqualFold(t.V, "StorageAccountConnectionString"), Meta: t.Meta}
			configured(n)
		}
		app.StorageAccessKey = c.secret("storageAccessKey")
		return
	}
	app.StorageAccountName = c.str("storageAccountName", "", "storageAccountName not set")
	app.StorageAccessKey = c.secret("storageAccountAccessKey")
	app.StorageUsesIdentity = c.boolean("storageUsesManagedIdentity", false, "false")
	if flavor == "legacy" {
		app.StorageUsesIdentity = model.Bool{V: false, Meta: c.def("azure:appservice:FunctionApp always authenticates to its storage with the access key")}
	}
	if n := set("storageKeyVaultSecretId"); n != nil {
		m := c.l.meta(c.x, n)
		m.Origin, m.Note = model.Explicit, ""
		app.StorageKeyInKeyVault = model.Bool{V: true, Meta: m}
		app.StorageUsesIdentity = model.Bool{V: false, Meta: m}
		app.StorageUsesIdentity.Note = "storageKeyVaultSecretId is set: the host connects with the account key held in Key Vault"
	} else if n := set("storageAccountAccessKey"); n != nil {
		m := c.l.meta(c.x, n)
		m.Origin, m.Note = model.Explicit, "storageAccountAccessKey is set: the host connects with the account key"
		app.StorageUsesIdentity = model.Bool{V: false, Meta: m}
	}
	for _, path := range []string{"storageAccountName", "storageAccountAccessKey", "storageUsesManagedIdentity", "storageKeyVaultSecretId"} {
		if n := set(path); n != nil {
			configured(n)
			return
		}
	}
}
