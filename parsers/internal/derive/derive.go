// Package derive computes the parts of the model that follow from values
// every parser has already read, the same way for every format: which
// Application Insights settings an app configures ([App], called once an
// app's own values are read) and how many apps share a host storage
// account ([Module], called once the module's relations are linked).
package derive

import (
	"fmt"
	"slices"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// App settings that configure Application Insights (functions-app-settings).
const (
	settingConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING"
	settingKey              = "APPINSIGHTS_INSTRUMENTATIONKEY"
	settingAuthentication   = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"
)

// App fills app.AppInsights.
func App(app *model.FunctionApp) {
	if app == nil {
		return
	}
	app.AppInsights = appInsights(app)
	app.VNetRouteAll = routeAll(app)
	hostStorage(app)
	app.StorageURLs = storageURLs(app)
	app.FunctionKeysStorage, app.FunctionKeysVault = functionKeys(app)
	app.Auth.AnonymousAllowed = anonymousAllowed(app.Auth)
	app.KeyVaultReferenceIdentityAssigned = keyVaultIdentityAssigned(app)
}

// storageURLs collects the package URL settings and the backup URL (see
// model.FunctionApp.StorageURLs). Unknown app settings, or a backup
// whose configuration is unknown, make the list unknown.
func storageURLs(app *model.FunctionApp) model.List[*model.Setting] {
	out := model.List[*model.Setting]{Meta: app.AppSettings.Meta}
	for _, s := range app.AppSettings.Items {
		if s == nil {
			continue
		}
		switch strings.ToUpper(strings.TrimSpace(s.Name.V)) {
		case "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_USE_ZIP":
			out.Items = append(out.Items, s)
		}
	}
	bk := app.Backup
	switch {
	case bk.Configured.Origin == model.Unknown:
		out.Meta = bk.Configured.Meta
	case bk.Configured.V:
		url := bk.StorageAccountURL
		src := model.SourceLiteral
		if url.Origin == model.Unknown {
			src = model.SourceUnknown
		}
		at := writtenMeta(url.Meta)
		if url.Origin == model.Default {
			at = url.Meta
		}
		out.Items = append(out.Items, &model.Setting{
			Name:      model.String{V: "backup.storage_account_url", Meta: at},
			Value:     url,
			Source:    model.String{V: string(src), Meta: at},
			Attribute: model.String{Meta: at},
			Type:      model.String{Meta: at},
		})
	}
	return out
}

// settingRouteAll is the legacy app setting that routes all outbound
// traffic through the VNet integration when set to 1; still supported
// beside vnetRouteAllEnabled / outboundVnetRouting (MicrosoftDocs
// app-service configure-vnet-integration-routing: "The legacy
// vnetRouteAllEnabled site setting and WEBSITE_VNET_ROUTE_ALL app setting
// are still supported for backwards compatibility").
const settingRouteAll = "WEBSITE_VNET_ROUTE_ALL"

// routeAll is the app's route-all value, turned true by
// WEBSITE_VNET_ROUTE_ALL = 1. A setting whose value is not known (or app
// settings that are not known) leave a false value unknown.
func routeAll(app *model.FunctionApp) model.Bool {
	v := app.VNetRouteAll
	if v.Known() && v.V {
		return v
	}
	s := setting(app, settingRouteAll)
	switch {
	case s.ok && s.valueKnown && strings.TrimSpace(s.value) == "1":
		m := s.meta
		m.Note = settingRouteAll + " = 1 routes all outbound traffic through the virtual network"
		return model.Bool{V: true, Meta: m}
	case s.ok && !s.valueKnown && v.Known():
		m := s.meta
		m.Origin = model.Unknown
		m.Note = settingRouteAll + " is known only at deployment"
		return model.Bool{Meta: m}
	case s.unknown != nil && v.Known():
		return model.Bool{Meta: *s.unknown}
	}
	return v
}

// identityStorageSuffix reports whether rest (what follows
// AzureWebJobsStorage in a setting name, lower case) makes an
// identity-based host storage connection (functions-reference:
// "Connecting to host storage with an identity").
func identityStorageSuffix(rest string) bool {
	switch rest {
	case "__accountname", "__blobserviceuri", "__queueserviceuri", "__tableserviceuri", "__credential":
		return true
	}
	return false
}

// cutLowerPrefix is strings.CutPrefix(strings.ToLower(s), prefix) for a
// prefix of ASCII lower-case letters other than i and k, lowering only
// what follows it: no other character lowers to one of those letters
// (İ lowers to i, the Kelvin sign to k), so s starts with prefix in any
// case of its ASCII letters exactly when its lower case starts with it.
// Most app settings are told apart by their first bytes, unlowered.
func cutLowerPrefix(s, prefix string) (rest string, ok bool) {
	if len(s) < len(prefix) {
		return "", false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return "", false
		}
	}
	return strings.ToLower(s[len(prefix):]), true
}

// hostStorage fills StorageConfigured, and for an app whose parser read
// no host storage arguments (StorageConfigured not already true), how the
// AzureWebJobsStorage app setting connects: an identity-based form
// (AzureWebJobsStorage__accountName, __blobServiceUri, …) or a connection
// string, whose key may be a Key Vault reference.
func hostStorage(app *model.FunctionApp) {
	if c := app.StorageConfigured; c.Origin == model.Explicit && c.V {
		return
	}
	block := model.Meta{Range: app.Range, Origin: model.Default, Resource: app.Address}
	var conn *model.Setting
	for _, s := range app.AppSettings.Items {
		if s == nil {
			continue
		}
		if rest, ok := cutLowerPrefix(strings.TrimSpace(s.Name.V), "azurewebjobsstorage"); ok {
			if identityStorageSuffix(rest) {
				app.StorageConfigured = model.Bool{V: true, Meta: s.Name.Meta}
				if app.StorageUsesIdentity.Origin != model.Explicit {
					app.StorageUsesIdentity = model.Bool{V: true, Meta: withNote(s.Name.Meta, s.Name.V+" connects with a managed identity")}
				}
				return
			}
			if rest == "" {
				conn = s
			}
		}
	}
	switch {
	case conn != nil:
		// Where the connection string is written, whether or not its
		// value is known before deployment.
		at := writtenMeta(conn.Name.Meta)
		if !conn.Value.Range.IsZero() {
			at = writtenMeta(conn.Value.Meta)
		}
		app.StorageConfigured = model.Bool{V: true, Meta: conn.Name.Meta}
		if app.StorageUsesIdentity.Origin != model.Explicit {
			app.StorageUsesIdentity = model.Bool{V: false, Meta: withNote(at, "AzureWebJobsStorage is a connection string: the host connects with the account key")}
		}
		if model.ValueSource(conn.Source.V) == model.SourceKeyVault {
			app.StorageKeyInKeyVault = model.Bool{V: true, Meta: at}
		}
	case app.AppSettings.Origin == model.Unknown:
		app.StorageConfigured = model.Bool{Meta: app.AppSettings.Meta}
	default:
		app.StorageConfigured = model.Bool{V: false, Meta: withNote(block, "no host storage connection in the code (no storage arguments, no AzureWebJobsStorage app setting)")}
	}
	if app.StorageKeyInKeyVault.Origin == model.Unknown && app.StorageKeyInKeyVault.Range.IsZero() {
		app.StorageKeyInKeyVault = model.Bool{V: false, Meta: withNote(block, "the storage key is not held in Key Vault")}
	}
}

// anonymousAllowed: Easy Auth lets unauthenticated requests through when
// authentication is not required, or when the action for unauthenticated
// requests is AllowAnonymous. The result has the Meta of the value that
// decides (for a pass, of require_authentication).
func anonymousAllowed(a model.Auth) model.Bool {
	req, act := a.RequireAuthentication, a.UnauthenticatedAction
	if req.Known() && !req.V {
		return model.Bool{V: true, Meta: req.Meta}
	}
	if act.Known() && strings.EqualFold(strings.TrimSpace(act.V), "AllowAnonymous") {
		return model.Bool{V: true, Meta: act.Meta}
	}
	switch {
	case !req.Known():
		return model.Bool{Meta: req.Meta}
	case !act.Known():
		return model.Bool{Meta: act.Meta}
	}
	return model.Bool{V: false, Meta: req.Meta}
}

// App settings that say where the Functions host keeps its keys
// (functions-app-settings: "Blob storage is the default behavior when
// AzureWebJobsSecretStorageType isn't set").
const (
	settingSecretStorageType = "AzureWebJobsSecretStorageType"         //nolint:gosec // a setting name, not a credential
	settingSecretVaultURI    = "AzureWebJobsSecretStorageKeyVaultUri"  //nolint:gosec // a setting name, not a credential
	settingSecretVaultName   = "AzureWebJobsSecretStorageKeyVaultName" //nolint:gosec // a setting name, not a credential
)

// functionKeys reads where function and host keys are kept and whether
// the vault for keyvault storage is named.
func functionKeys(app *model.FunctionApp) (model.String, model.Bool) {
	block := model.Meta{Range: app.Range, Origin: model.Default, Resource: app.Address}
	var storage model.String
	switch t := setting(app, settingSecretStorageType); {
	case t.ok && t.valueKnown:
		storage = model.String{V: strings.TrimSpace(t.value), Meta: t.meta}
	case t.ok:
		m := t.meta
		m.Origin = model.Unknown
		m.Note = settingSecretStorageType + " is known only at deployment"
		storage = model.String{Meta: m}
	case t.unknown != nil:
		storage = model.String{Meta: *t.unknown}
	default:
		storage = model.String{V: "blob", Meta: withNote(block, settingSecretStorageType+" app setting not set; the Functions host keeps keys in blob storage")}
	}
	var vault model.Bool
	switch v := firstSet(setting(app, settingSecretVaultURI), setting(app, settingSecretVaultName)); {
	case v.ok:
		// A reference to a vault's URI is known only at deployment but
		// is certainly set.
		vault = model.Bool{V: true, Meta: v.meta}
	case v.unknown != nil:
		vault = model.Bool{Meta: *v.unknown}
	default:
		vault = model.Bool{V: false, Meta: withNote(block, "no "+settingSecretVaultURI+" app setting")}
	}
	return storage, vault
}

// keyVaultIdentityAssigned decides whether the identity that resolves
// Key Vault references is assigned to the app: the system-assigned
// identity (KeyVaultReferenceIdentity SystemAssigned, the default) needs
// an identity type with SystemAssigned; a user-assigned identity, named
// by its resource id, must be among the app's user-assigned identities.
// The result carries the Meta of KeyVaultReferenceIdentity.
func keyVaultIdentityAssigned(app *model.FunctionApp) model.Bool {
	kv, id := app.KeyVaultReferenceIdentity, app.Identity
	if !kv.Known() {
		return model.Bool{Meta: kv.Meta}
	}
	unknown := func(m model.Meta) model.Bool {
		if m.Note == "" {
			m.Note = "the app's managed identity is not known"
		}
		m.Origin = model.Unknown
		return model.Bool{Meta: m}
	}
	if !id.Type.Known() {
		return unknown(id.Type.Meta)
	}
	typ := strings.ToLower(strings.ReplaceAll(id.Type.V, " ", ""))
	want := strings.TrimSpace(kv.V)
	if want == "" || strings.EqualFold(want, "SystemAssigned") {
		return model.Bool{V: strings.Contains(typ, "systemassigned"), Meta: kv.Meta}
	}
	if !strings.Contains(typ, "userassigned") {
		return model.Bool{V: false, Meta: kv.Meta}
	}
	if id.IdentityIDs.Origin == model.Unknown {
		return unknown(id.IdentityIDs.Meta)
	}
	var unk *model.Meta
	for k := range id.IdentityIDs.Items {
		i := &id.IdentityIDs.Items[k]
		if !i.Known() {
			if unk == nil {
				m := i.Meta
				unk = &m
			}
			continue
		}
		if sameID(i.V, want) {
			return model.Bool{V: true, Meta: kv.Meta}
		}
	}
	if unk != nil {
		return unknown(*unk)
	}
	return model.Bool{V: false, Meta: kv.Meta}
}

// sameID compares Azure resource ids: case-insensitive, ignoring a
// trailing slash and surrounding space.
func sameID(a, b string) bool {
	norm := func(s string) string { return strings.TrimRight(strings.TrimSpace(s), "/") }
	return strings.EqualFold(norm(a), norm(b))
}

func appInsights(app *model.FunctionApp) model.AppInsights {
	block := model.Meta{Range: app.Range, Origin: model.Default, Resource: app.Address}
	sc := &app.SiteConfig
	cs := firstSet(secretFound(sc.AppInsightsConnectionString), setting(app, settingConnectionString))
	key := firstSet(secretFound(sc.AppInsightsKey), setting(app, settingKey))

	var ai model.AppInsights
	switch {
	case cs.ok:
		ai.ConnectionString = model.Bool{V: true, Meta: cs.meta}
	case cs.unknown != nil:
		ai.ConnectionString = model.Bool{Meta: *cs.unknown}
	default:
		ai.ConnectionString = model.Bool{V: false, Meta: withNote(block, "no Application Insights connection string (site_config or "+settingConnectionString+" app setting)")}
	}
	switch {
	case cs.ok:
		ai.Configured = ai.ConnectionString
	case key.ok:
		ai.Configured = model.Bool{V: true, Meta: key.meta}
	case cs.unknown != nil:
		ai.Configured = model.Bool{Meta: *cs.unknown}
	case key.unknown != nil:
		ai.Configured = model.Bool{Meta: *key.unknown}
	default:
		ai.Configured = model.Bool{V: false, Meta: withNote(block, "neither a connection string nor an instrumentation key for Application Insights is configured")}
	}

	auth := setting(app, settingAuthentication)
	switch {
	case auth.unknown != nil:
		ai.EntraAuth = model.Bool{Meta: *auth.unknown}
	case auth.ok && auth.valueKnown:
		aad := strings.Contains(strings.ToLower(strings.ReplaceAll(auth.value, " ", "")), "authorization=aad")
		ai.EntraAuth = model.Bool{V: aad, Meta: auth.meta}
	case auth.ok:
		// Written, but its value is known only at deployment.
		m := auth.meta
		m.Origin = model.Unknown
		m.Note = settingAuthentication + " is known only at deployment"
		ai.EntraAuth = model.Bool{Meta: m}
	default:
		ai.EntraAuth = model.Bool{V: false, Meta: withNote(block, "no "+settingAuthentication+" app setting; telemetry is sent with the instrumentation key (local authentication)")}
	}
	return ai
}

func withNote(m model.Meta, note string) model.Meta {
	m.Note = note
	return m
}

// found describes where a value is configured: ok when it is written (its
// value may still be known only at deployment: a reference to another
// resource's connection string is still a configured connection
// string), unknown when whether it is written cannot be told.
type found struct {
	ok         bool
	meta       model.Meta
	value      string
	valueKnown bool
	unknown    *model.Meta
}

// secretFound classifies a model secret: written (explicit, or unknown
// at a range of its own), not written (default), or unknown.
func secretFound(v model.Secret) found {
	switch v.Origin {
	case model.Explicit:
		if strings.TrimSpace(string(v.V)) == "" {
			return found{}
		}
		return found{ok: true, meta: v.Meta, value: string(v.V), valueKnown: true}
	case model.Unknown:
		if v.Range.Start.Line > 0 {
			// Written, with a value known only at deployment.
			return found{ok: true, meta: writtenMeta(v.Meta)}
		}
		m := v.Meta
		return found{unknown: &m}
	}
	return found{}
}

// writtenMeta is the Meta of "this is written" for a value written at m
// whose value is known only at deployment.
func writtenMeta(m model.Meta) model.Meta {
	m.Origin = model.Explicit
	m.Note = ""
	return m
}

func firstSet(fs ...found) found {
	var unk *model.Meta
	for i := range fs {
		if fs[i].ok {
			return fs[i]
		}
		if fs[i].unknown != nil && unk == nil {
			unk = fs[i].unknown
		}
	}
	return found{unknown: unk}
}

// setting finds an app setting by name (case-insensitive). When the app
// settings themselves are unknown, so is the setting.
func setting(app *model.FunctionApp, name string) found {
	for _, s := range app.AppSettings.Items {
		if s == nil || !strings.EqualFold(strings.TrimSpace(s.Name.V), name) {
			continue
		}
		switch model.ValueSource(s.Source.V) {
		case model.SourceKeyVault, model.SourceResource, model.SourceSensitiveInput, model.SourceSecretEnvelope:
			// Written; its value is resolved at deployment or hidden.
			return found{ok: true, meta: writtenMeta(s.Name.Meta)}
		}
		f := secretFound(s.Value)
		if f.ok && f.meta.Range.IsZero() {
			f.meta = writtenMeta(s.Name.Meta)
		}
		return f
	}
	if app.AppSettings.Origin == model.Unknown {
		m := app.AppSettings.Meta
		return found{unknown: &m}
	}
	return found{}
}

// Module fills what depends on the module's relations: each storage
// account's AppCount, the number of production apps hosted on it (a slot
// counts with its app); each plan's Tier; each slot's WeakerThanParent.
func Module(m *model.Module) {
	if m == nil {
		return
	}
	slots(m)
	defender(m)
	apps := map[*model.StorageAccount][]string{}
	for _, a := range m.FunctionApps {
		if a == nil || a.StorageAccount == nil {
			continue
		}
		key := a.Address
		if a.IsSlot.V && a.Parent.V != "" {
			key = a.Parent.V
		}
		if !slices.Contains(apps[a.StorageAccount], key) {
			apps[a.StorageAccount] = append(apps[a.StorageAccount], key)
		}
	}
	for _, p := range m.Plans {
		if p != nil {
			p.Tier = model.String{V: Tier(p.SKU.V), Meta: p.SKU.Meta}
		}
	}
	for _, sa := range m.StorageAccounts {
		if sa == nil {
			continue
		}
		names := apps[sa]
		slices.Sort(names)
		note := "host storage of no function app in the module"
		if len(names) > 0 {
			note = fmt.Sprintf("host storage of %s", strings.Join(names, ", "))
		}
		sa.AppCount = model.Value[int64]{V: int64(len(names)), Meta: model.Meta{Range: sa.Range, Origin: model.Explicit, Resource: sa.Address, Note: note}}
	}
}

// Tier returns the pricing tier of an App Service plan SKU name (Y1 →
// Dynamic, FC1 → FlexConsumption, EP2 → ElasticPremium, P1v3 → Premium,
// S1 → Standard, I2v2 → Isolated, …), or "" when the name is not one.
func Tier(sku string) string {
	s := strings.ToUpper(strings.TrimSpace(sku))
	switch {
	case s == "":
		return ""
	case s == "Y1":
		return "Dynamic"
	case s == "FC1":
		return "FlexConsumption"
	case strings.HasPrefix(s, "EP"):
		return "ElasticPremium"
	case strings.HasPrefix(s, "WS"):
		return "WorkflowStandard"
	case s == "F1" || s == "FREE":
		return "Free"
	case s == "D1" || s == "SHARED":
		return "Shared"
	}
	switch s[0] {
	case 'B':
		return "Basic"
	case 'S':
		return "Standard"
	case 'P':
		return "Premium"
	case 'I':
		return "Isolated"
	}
	return ""
}

// slots fills WeakerThanParent: a slot is reachable on its own host name,
// so every setting it relaxes against its production app is a weaker
// door into the same code and data.
func slots(m *model.Module) {
	byAddr := map[string]*model.FunctionApp{}
	byName := map[string][]*model.FunctionApp{}
	for _, a := range m.FunctionApps {
		if a != nil && !a.IsSlot.V {
			byAddr[a.Address] = a
			n := strings.ToLower(a.Name.V)
			byName[n] = append(byName[n], a)
		}
	}
	for _, a := range m.FunctionApps {
		if a == nil {
			continue
		}
		block := model.Meta{Range: a.Range, Origin: model.Default, Resource: a.Address}
		if !a.IsSlot.V {
			a.WeakerThanParent = model.List[model.String]{Meta: withNote(block, "not a deployment slot")}
			continue
		}
		parent := byAddr[a.Parent.V]
		if parent == nil {
			// Pulumi's classic slots name their app by resource id.
			if i := strings.LastIndex(strings.ToLower(a.Parent.V), "/microsoft.web/sites/"); i >= 0 {
				if c := byName[strings.ToLower(a.Parent.V[i+len("/microsoft.web/sites/"):])]; len(c) == 1 {
					parent = c[0]
				}
			}
		}
		if parent == nil {
			m := a.Parent.Meta
			m.Origin = model.Unknown
			m.Note = "the production app of this slot is not in the scanned module"
			a.WeakerThanParent = model.List[model.String]{Meta: m}
			continue
		}
		a.WeakerThanParent = weaker(a, parent)
	}
}

func weaker(slot, parent *model.FunctionApp) model.List[model.String] {
	l := model.List[model.String]{Meta: model.Meta{Range: slot.Range, Origin: model.Explicit, Resource: slot.Address,
		Note: "compared with " + parent.Address}}
	add := func(field string, m model.Meta) {
		l.Items = append(l.Items, model.String{V: field, Meta: m})
	}
	boolWeaker := func(field string, s, p model.Bool, insecure bool) {
		if s.Known() && p.Known() && s.V == insecure && p.V != insecure {
			add(field, s.Meta)
		}
	}
	boolWeaker("public_network_access", slot.PublicNetworkAccess, parent.PublicNetworkAccess, true)
	boolWeaker("https_only", slot.HTTPSOnly, parent.HTTPSOnly, false)
	boolWeaker("ftp_basic_auth", slot.FTPBasicAuth, parent.FTPBasicAuth, true)
	boolWeaker("scm_basic_auth", slot.SCMBasicAuth, parent.SCMBasicAuth, true)
	boolWeaker("site_config.remote_debugging", slot.SiteConfig.RemoteDebugging, parent.SiteConfig.RemoteDebugging, true)
	if s, p := slot.SiteConfig.MinTLSVersion, parent.SiteConfig.MinTLSVersion; s.Known() && p.Known() {
		if sv, ok := model.ParseTLSVersion(s.V); ok {
			if pv, ok := model.ParseTLSVersion(p.V); ok && sv < pv {
				add("site_config.min_tls_version", s.Meta)
			}
		}
	}
	if s, p := slot.SiteConfig.FTPSState, parent.SiteConfig.FTPSState; s.Known() && p.Known() {
		if ftpsRank(s.V) < ftpsRank(p.V) {
			add("site_config.ftps_state", s.Meta)
		}
	}
	return l
}

// ftpsRank orders FTP states from the most open: AllAllowed, FtpsOnly,
// Disabled.
func ftpsRank(v string) int {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "allallowed":
		return 0
	case "ftpsonly":
		return 1
	case "disabled":
		return 2
	}
	return 1
}

// defender links every function app to the module's Microsoft Defender
// for App Service pricing, which covers the whole subscription: the first
// one, in source order. Without one, DefenderPricing stays nil.
func defender(m *model.Module) {
	if len(m.DefenderPricings) == 0 {
		return
	}
	p := m.DefenderPricings[0]
	for _, a := range m.FunctionApps {
		if a == nil || a.DefenderPricing != nil {
			continue
		}
		a.DefenderPricing = p
		a.DefenderLink = model.LinkedBy(p.Range, a.Address, p.Address+" sets Defender for App Service for the whole subscription")
	}
}
