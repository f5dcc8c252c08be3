package armsite

import (
	"fmt"
	"github.com/azfuncscan/azfuncscan/parsers/internal/derive"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// SiteOptions carries what the caller resolved about a site.
type SiteOptions struct {
	// Parent is the production app of a slot, when the caller resolved
	// it: its address becomes the slot's Parent, and a slot without kind
	// takes its OS and flavor.
	Parent *model.FunctionApp
	// ParentAt locates the slot's reference to its parent (a parent_id, a
	// name prefix); zero means the slot's header.
	ParentAt model.Range
}

// Notes of defaults that later steps recognise or that several fields
// share.
const (
	notePublicDefault = "properties.publicNetworkAccess not set; ARM default: enabled, unless a private endpoint targets the app (which disables it)"
	notePublicPE      = "properties.publicNetworkAccess not set and a private endpoint targets the app; ARM then disables public access"
	noteFlexFTP       = "no FTP on Flex Consumption"
)

// builder maps one site (or patches one app) from its layers.
type builder struct {
	reader
	ls    layers
	app   *model.FunctionApp
	patch bool // Apply: change only what the documents write
	flex  bool // the app is a Flex Consumption app (functionAppConfig known present)
	links Links
}

// put stores v in dst unless the builder patches and v was not written.
func put[T any](b *builder, dst *T, v T, found bool) {
	if found || !b.patch {
		*dst = v
	}
}

// Site maps a Microsoft.Web/sites or Microsoft.Web/sites/slots document
// and the documents that configure it into a function app, with ARM
// defaults for everything not written. children are the site's ARM
// children (config web, appsettings, connectionstrings, authsettingsV2,
// authsettings, backup; basicPublishingCredentialsPolicies ftp and scm;
// networkConfig virtualNetwork; for a slot the same under
// Microsoft.Web/sites/slots/…) and patches of the site itself (documents
// of the site's own type, such as azapi_update_resource). A child
// overrides the inline siteConfig value it concerns; among children and
// patches a later one wins. Children of other types are ignored.
//
// Links returns the nodes naming the plan, the host storage account and
// the integration subnet, for the caller to resolve. Call [Settle] once
// private endpoints are linked.
func Site(site Doc, children []Doc, opts SiteOptions) (*model.FunctionApp, Links) {
	siteType := TypeSite
	if isType(site.Type, TypeSlot) {
		siteType = TypeSlot
	}
	b := &builder{
		reader: reader{addr: site.Resource.Address, at: site.at()},
		app:    &model.FunctionApp{Resource: site.header()},
	}
	b.ls = append(b.ls, layer{doc: &site, role: roleSite})
	for i := range children {
		if r := roleOf(siteType, &children[i]); r != roleIgnore {
			b.ls = append(b.ls, layer{doc: &children[i], role: r})
		}
	}
	b.identity(&site, siteType == TypeSlot, opts)
	b.fill()
	return b.app, b.links
}

// Apply patches app, mapped from another format (an azurerm function
// app), with ARM documents that target it: children of the site and
// patches of the site. Only values the documents write change; nothing is
// defaulted. It returns the nodes naming related resources that the
// documents write.
func Apply(app *model.FunctionApp, docs []Doc) Links {
	if app == nil {
		return Links{}
	}
	siteType := TypeSite
	if app.IsSlot.Known() && app.IsSlot.V {
		siteType = TypeSlot
	}
	b := &builder{
		reader: reader{addr: app.Address, at: app.Range},
		app:    app,
		patch:  true,
		flex:   app.Flavor.Known() && app.Flavor.V == "flex",
	}
	for i := range docs {
		if r := roleOf(siteType, &docs[i]); r != roleIgnore {
			b.ls = append(b.ls, layer{doc: &docs[i], role: r})
		}
	}
	b.fill()
	return b.links
}

// Settle finishes an app built by [Site]: the values derived from its
// settings ([derive.App]) and the defaults that depend on linked
// resources: with publicNetworkAccess not set, a private endpoint
// disables public access (MicrosoftDocs app-service
// overview-access-restrictions: "If the setting isn't set (the property is
// null), the default behavior is to enable access unless a private
// endpoint exists which changes the behavior to disable access").
//
// A private endpoint whose existence is unknown (an unknown condition or
// count) may or may not disable it: with no endpoint that surely exists,
// public access is then unknown.
func Settle(app *model.FunctionApp) {
	if app == nil {
		return
	}
	derive.App(app)
	p := app.PublicNetworkAccess
	if p.Origin != model.Default || p.Note != notePublicDefault {
		return
	}
	for _, pe := range app.PrivateEndpoints.Items {
		if pe != nil && pe.UnknownExistence == "" {
			app.PublicNetworkAccess = model.Defaulted(false, p.Range, p.Resource, notePublicPE)
			return
		}
	}
	if l := app.PrivateEndpoints; l.Origin == model.Unknown && len(l.Items) > 0 {
		app.PublicNetworkAccess = model.Unresolved[bool](p.Range, p.Resource,
			"publicNetworkAccess not set, and a private endpoint (which would disable public access) may or may not exist: "+l.Note)
	}
}

// prop finds a property of the site and its patches: path is
// "properties.<name>" (written out by callers, not joined per call).
func (b *builder) prop(path string) hit {
	return b.ls.find(src{roleSite, path})
}

// sc finds a site configuration value: siteConfigPath
// ("properties.siteConfig.<name>") of the site and its patches, or
// webPath ("properties.<name>") of a config "web" child.
func (b *builder) sc(siteConfigPath, webPath string) hit {
	return b.ls.find(src{roleSite, siteConfigPath}, src{roleWeb, webPath})
}

// identity fills what identifies the app: name, flavor, OS, slot.
func (b *builder) identity(site *Doc, slot bool, opts SiteOptions) {
	app := b.app
	at := b.at
	nameHit := hit{n: lookup(site.Body, "name"), doc: site, path: "name"}
	switch {
	case present(nameHit.n):
		app.Name = b.str(nameHit, "", "")
	case site.Name != "":
		app.Name = model.Set(site.Name, at, b.addr)
	default:
		app.Name = model.Unresolved[string](at, b.addr, "the resource name is not known")
	}

	// Flavor and OS: Flex when functionAppConfig is present, else from
	// kind ("linux" in the list) or properties.reserved.
	fac := b.prop("properties.functionAppConfig")
	kind := b.ls.find(src{roleSite, "kind"})
	reserved := b.prop("properties.reserved")
	switch {
	case fac.found() && unknown(fac.n):
		m := b.meta(fac)
		app.Flavor = model.String{Meta: m}
		app.OS = model.Set("linux", m.Range, m.Resource)
	case fac.found():
		b.flex = true
		app.Flavor = model.Set("flex", b.meta(fac).Range, b.addr)
		app.OS = model.Set("linux", b.meta(fac).Range, b.addr)
	case !kind.found() && slot && opts.Parent != nil:
		note := "kind not set; the slot runs like its parent app " + opts.Parent.Address
		app.Flavor = model.Value[string]{V: opts.Parent.Flavor.V, Meta: b.defaultMeta(note)}
		app.OS = model.Value[string]{V: opts.Parent.OS.V, Meta: b.defaultMeta(note)}
		if !opts.Parent.Flavor.Known() {
			app.Flavor.Meta = opts.Parent.Flavor.Meta
		}
		if app.Flavor.V == "legacy" {
			// "legacy" names the azurerm_function_app resource type; a
			// slot written as an ARM document (azapi) is not one and has
			// ARM semantics: its flavor is its OS.
			app.Flavor.V = opts.Parent.OS.V
			if !opts.Parent.OS.Known() {
				app.Flavor.Meta = opts.Parent.OS.Meta
			}
		}
		if !opts.Parent.OS.Known() {
			app.OS.Meta = opts.Parent.OS.Meta
		}
		b.flex = opts.Parent.Flavor.Known() && opts.Parent.Flavor.V == "flex"
	default:
		app.OS = b.osOf(kind, reserved)
		app.Flavor = app.OS
	}

	app.IsSlot = model.Set(slot, at, b.addr)
	if !slot {
		app.SlotName = model.Set("", at, b.addr)
		app.Parent = model.Set("", at, b.addr)
		return
	}
	if app.Name.Known() && !strings.Contains(app.Name.V, "/") && strings.Contains(site.Name, "/") {
		// Pulumi's WebAppSlot names the site in name and the slot in
		// slot; the document's name joins them as ARM does (site/slot).
		app.Name.V = site.Name
	}
	app.SlotName = app.Name
	if app.Name.Known() {
		app.SlotName.V = lastSegment(app.Name.V)
	}
	switch {
	case opts.Parent != nil:
		r := opts.ParentAt
		if r.IsZero() {
			r = at
		}
		app.Parent = model.Set(opts.Parent.Address, r, b.addr)
	default:
		app.Parent = model.Unresolved[string](at, b.addr, "the parent function app is not in the scanned files")
	}
}

// osOf decides linux or windows from kind and properties.reserved.
func (b *builder) osOf(kind, reserved hit) model.String {
	res := b.boolean(reserved, false, "")
	switch {
	case kind.found() && unknown(kind.n):
		return model.String{Meta: b.meta(kind)}
	case kind.found():
		k := b.str(kind, "", "")
		if !k.Known() {
			return k
		}
		switch {
		case kindHas(k.V, "linux"):
			k.V = "linux"
		case res.Known() && res.Origin == model.Explicit && res.V:
			return model.Set("linux", res.Range, res.Resource)
		default:
			k.V = "windows"
		}
		return k
	case res.Origin == model.Explicit && res.V:
		return model.Set("linux", res.Range, res.Resource)
	case !res.Known():
		return model.String{Meta: res.Meta}
	}
	return model.Defaulted("windows", b.at, b.addr, "kind does not list linux and properties.reserved is not true; the app runs on Windows")
}

// fill maps every other field.
func (b *builder) fill() {
	app := b.app
	b.network()
	b.transport()
	b.access()
	settings := b.settings()
	b.hostStorage(settings)
	b.runtime(settings)
	b.siteConfig(settings)
	b.backup()
	b.links.ServerFarm = nodeOf(b.prop("properties.serverFarmId"))
	if !b.patch {
		app.PrivateEndpoints = model.List[*model.EndpointLink]{Meta: b.defaultMeta("no private endpoint in the scanned files targets this app")}
		app.DiagnosticSettings = model.List[*model.DiagnosticSetting]{Meta: b.defaultMeta("no diagnostic setting in the scanned files targets this app")}
	}
}

func nodeOf(h hit) *model.Node { return h.n }

func (b *builder) network() {
	app := b.app
	h := b.ls.find(
		src{roleSite, "properties.siteConfig.publicNetworkAccess"},
		src{roleSite, "properties.publicNetworkAccess"},
		src{roleWeb, "properties.publicNetworkAccess"},
	)
	if h.found() && !unknown(h.n) && h.n.Kind == model.KindString && strings.TrimSpace(h.n.Str) == "" {
		h = hit{} // "" is "not set"
	}
	put(b, &app.PublicNetworkAccess, value(&b.reader, h, true, notePublicDefault, enabledDisabled), h.found())

	subnet := b.ls.find(src{roleSite, "properties.virtualNetworkSubnetId"}, src{roleVNet, "properties.subnetResourceId"})
	b.links.Subnet = subnet.n
	put(b, &app.VNetSubnetID, b.str(subnet, "", "properties.virtualNetworkSubnetId not set"), subnet.found())
	ase := b.prop("properties.hostingEnvironmentProfile.id")
	put(b, &app.VNetIntegrated, b.vnetIntegrated(subnet, ase), subnet.found() || ase.found())

	hs, ignored := b.routeAll()
	note := "neither vnetRouteAllEnabled nor outboundVnetRouting.allTraffic/applicationTraffic set; ARM default false"
	if ignored != "" {
		note = "no route-all setting of this api-version (" + ignored + "); ARM default false"
	}
	v, found := b.anyTrue(hs, note)
	if ase.found() && (!v.Known() || !v.V) {
		// An app in an App Service Environment runs inside the
		// environment's subnet: all its outbound traffic is in the VNet.
		if s := b.str(ase, "", ""); s.Known() && strings.TrimSpace(s.V) != "" {
			v, found = model.Bool{V: true, Meta: s.Meta}, true
			v.Note = "the app runs in an App Service Environment (hostingEnvironmentProfile): all outbound traffic leaves through its virtual network"
		}
	}
	put(b, &app.VNetRouteAll, v, found)
}

// outboundRoutingAPI is the first Microsoft.Web api-version with
// properties.outboundVnetRouting, which replaces properties.vnetRouteAllEnabled
// (outboundVnetRouting.applicationTraffic was "previously called
// VnetRouteAllEnabled"; REST API reference, OutboundVnetRouting).
const outboundRoutingAPI = "2024-11-01"

// routeAll returns the properties that route all outbound traffic through
// the VNet, each read only in the api-versions that have it:
// siteConfig.vnetRouteAllEnabled (and the web config child) always,
// properties.vnetRouteAllEnabled before 2024-11-01,
// properties.outboundVnetRouting.allTraffic/applicationTraffic from
// 2024-11-01 on. An unknown api-version (Pulumi's default token) reads
// both. ignored names a property written for the other api-versions.
func (b *builder) routeAll() (hs []hit, ignored string) {
	hs = []hit{b.ls.find(src{roleSite, "properties.siteConfig.vnetRouteAllEnabled"}, src{roleWeb, "properties.vnetRouteAllEnabled"})}
	if h := b.prop("properties.vnetRouteAllEnabled"); h.found() {
		if strings.TrimSpace(h.doc.APIVersion) == "" || !apiAtLeast(h.doc.APIVersion, outboundRoutingAPI) {
			hs = append(hs, h)
		} else {
			ignored = "properties.vnetRouteAllEnabled is replaced by outboundVnetRouting from api-version " + outboundRoutingAPI
		}
	}
	for _, p := range []string{"properties.outboundVnetRouting.allTraffic", "properties.outboundVnetRouting.applicationTraffic"} {
		if h := b.prop(p); h.found() {
			if apiAtLeast(h.doc.APIVersion, outboundRoutingAPI) {
				hs = append(hs, h)
			} else {
				ignored = "properties.outboundVnetRouting exists from api-version " + outboundRoutingAPI + ", this resource uses " + h.doc.APIVersion
			}
		}
	}
	return hs, ignored
}

// enabledDisabled converts "Enabled"/"Disabled" (case-insensitive).
func enabledDisabled(n *model.Node) (bool, bool) {
	if n.Kind != model.KindString {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(n.Str)) {
	case "enabled":
		return true, true
	case "disabled", "securedbyperimeter":
		return false, true
	}
	return false, false
}

// vnetIntegrated: a subnet id or an App Service Environment integrates
// the app. A subnet id taken from another resource at deployment is
// certainly set.
func (b *builder) vnetIntegrated(subnet, ase hit) model.Bool {
	var pending *model.Bool
	for _, h := range []hit{subnet, ase} {
		if !h.found() {
			continue
		}
		s := b.str(h, "", "")
		switch {
		case s.Origin != model.Unknown && strings.TrimSpace(s.V) != "":
			return model.Bool{V: true, Meta: s.Meta}
		case s.Origin != model.Unknown:
			continue
		case sourceOf(h).Kind == model.SourceResource:
			return model.Set(true, s.Range, s.Resource)
		case pending == nil:
			u := model.Bool{Meta: s.Meta}
			pending = &u
		}
	}
	if pending != nil {
		return *pending
	}
	if subnet.found() {
		return model.Set(false, b.meta(subnet).Range, b.meta(subnet).Resource)
	}
	return model.Value[bool]{Meta: b.defaultMeta("no properties.virtualNetworkSubnetId, networkConfig child or App Service Environment; ARM default: not integrated")}
}

// anyTrue combines booleans of which any one being true makes the result
// true: an explicit true wins, then an unknown, then an explicit false.
func (b *builder) anyTrue(hs []hit, note string) (model.Bool, bool) {
	var unk, explicitFalse *model.Bool
	found := false
	for _, h := range hs {
		if !h.found() {
			continue
		}
		found = true
		v := b.boolean(h, false, "")
		switch {
		case v.Origin == model.Unknown:
			if unk == nil {
				unk = &v
			}
		case v.V:
			return v, true
		case explicitFalse == nil:
			explicitFalse = &v
		}
	}
	switch {
	case unk != nil:
		return *unk, true
	case explicitFalse != nil:
		return *explicitFalse, true
	}
	return model.Value[bool]{Meta: b.defaultMeta(note)}, found
}

func (b *builder) transport() {
	app := b.app
	h := b.prop("properties.httpsOnly")
	put(b, &app.HTTPSOnly, b.boolean(h, false, "properties.httpsOnly not set; ARM default false"), h.found())
	h = b.prop("properties.clientCertEnabled")
	put(b, &app.ClientCertEnabled, b.boolean(h, false, "properties.clientCertEnabled not set; ARM default false"), h.found())
	h = b.prop("properties.clientCertMode")
	put(b, &app.ClientCertMode, b.str(h, "Required", "properties.clientCertMode not set; ARM default \"Required\" (the first ClientCertMode value; it only matters with clientCertEnabled)"), h.found())
	h = b.prop("properties.endToEndEncryptionEnabled")
	put(b, &app.EndToEndEncryption, b.boolean(h, false, "properties.endToEndEncryptionEnabled not set; ARM default false"), h.found())
}

func (b *builder) access() {
	app := b.app
	id := b.ls.find(src{roleSite, "identity"})
	if id.found() || !b.patch {
		app.Identity = b.managedIdentity(id)
	}
	h := b.prop("properties.keyVaultReferenceIdentity")
	put(b, &app.KeyVaultReferenceIdentity, b.str(h, "SystemAssigned", "properties.keyVaultReferenceIdentity not set; ARM default SystemAssigned (Key Vault references use the system-assigned identity)"), h.found())

	ftp := b.ls.find(src{roleFTP, "properties.allow"})
	if b.flex && !ftp.found() {
		put(b, &app.FTPBasicAuth, model.Value[bool]{Meta: b.defaultMeta(noteFlexFTP)}, false)
	} else {
		put(b, &app.FTPBasicAuth, b.boolean(ftp, true, "no basicPublishingCredentialsPolicies child \"ftp\" sets properties.allow; ARM default true (FTP basic authentication allowed)"), ftp.found())
	}
	scm := b.ls.find(src{roleSCM, "properties.allow"})
	put(b, &app.SCMBasicAuth, b.boolean(scm, true, "no basicPublishingCredentialsPolicies child \"scm\" sets properties.allow; ARM default true (SCM/WebDeploy basic authentication allowed)"), scm.found())

	h = b.prop("properties.functionsRuntimeAdminIsolationEnabled")
	put(b, &app.AdminIsolation, b.boolean(h, false, "properties.functionsRuntimeAdminIsolationEnabled not set; ARM default false"), h.found())
	b.auth()
}

// managedIdentity reads the top-level identity: type and the ids of
// userAssignedIdentities (an object keyed by id in ARM; a list of ids in
// Pulumi azure-native).
func (b *builder) managedIdentity(id hit) model.Identity {
	if !id.found() {
		const note = "no identity; ARM default None"
		return model.Identity{
			Type:        model.Defaulted("None", b.at, b.addr, note),
			IdentityIDs: model.List[model.String]{Meta: b.defaultMeta(note)},
		}
	}
	out := model.Identity{Type: b.str(id.at("type"), "None", "identity.type not set; ARM default None")}
	uai := id.at("userAssignedIdentities")
	switch {
	case !uai.found():
		out.IdentityIDs = model.List[model.String]{Meta: b.defaultMeta("identity.userAssignedIdentities not set")}
	case unknown(uai.n) || uai.n.Kind == model.KindList:
		out.IdentityIDs = b.strList(uai, "")
	case uai.n.Kind == model.KindObject:
		out.IdentityIDs = model.List[model.String]{Meta: b.meta(uai)}
		for _, f := range uai.n.Fields {
			m := b.meta(hit{n: f.Node, doc: uai.doc, path: uai.path})
			m.Origin, m.Note = model.Explicit, ""
			if strings.HasPrefix(f.Name, "[") && !strings.HasPrefix(f.Name, "[[") {
				// A key expression the parser could not evaluate.
				m.Origin, m.Note = model.Unknown, "the user-assigned identity id "+f.Name+" is not known before deployment"
			}
			out.IdentityIDs.Items = append(out.IdentityIDs.Items, model.String{V: f.Name, Meta: m})
		}
	default:
		m := b.meta(uai)
		m.Origin, m.Note = model.Unknown, uai.path+" is neither an object nor a list"
		out.IdentityIDs = model.List[model.String]{Meta: m}
	}
	return out
}

// auth reads Easy Auth from a config "authsettingsV2" child, a legacy
// config "authsettings" child or siteConfig.siteAuthEnabled. The first of
// them that enables auth (or might) decides; else the first present;
// else auth is off (no config resource ⇒ disabled).
func (b *builder) auth() {
	var cands []model.Auth
	if d, ok := b.ls.child(roleAuthV2); ok {
		cands = append(cands, b.authV2(body(d, roleAuthV2)))
	}
	if d, ok := b.ls.child(roleAuthV1); ok {
		cands = append(cands, b.authV1(body(d, roleAuthV1)))
	}
	if h := b.sc("properties.siteConfig.siteAuthEnabled", "properties.siteAuthEnabled"); h.found() {
		const note = "siteConfig.siteAuthEnabled is the legacy (v1) switch; no further settings"
		cands = append(cands, model.Auth{
			Enabled:               b.boolean(h, false, ""),
			Version:               model.Set("v1", b.meta(h).Range, b.meta(h).Resource),
			RequireAuthentication: model.Defaulted(true, b.at, b.addr, note+"; anonymous requests are redirected to login"),
			UnauthenticatedAction: model.Defaulted("RedirectToLoginPage", b.at, b.addr, note),
			RequireHTTPS:          model.Defaulted(true, b.at, b.addr, note),
			InlineSecrets:         model.List[*model.Setting]{Meta: b.defaultMeta(note)},
		})
	}
	for i := range cands {
		if !cands[i].Enabled.Known() || cands[i].Enabled.V {
			b.app.Auth = cands[i]
			return
		}
	}
	if len(cands) > 0 {
		b.app.Auth = cands[0]
		return
	}
	if b.patch {
		return
	}
	const none = "no config child authsettingsV2 or authsettings and no siteConfig.siteAuthEnabled; ARM default: authentication disabled"
	b.app.Auth = model.Auth{
		Enabled:               model.Defaulted(false, b.at, b.addr, none),
		Version:               model.Defaulted("", b.at, b.addr, none),
		RequireAuthentication: model.Defaulted(false, b.at, b.addr, none),
		UnauthenticatedAction: model.Defaulted("RedirectToLoginPage", b.at, b.addr, none),
		RequireHTTPS:          model.Defaulted(true, b.at, b.addr, none),
		InlineSecrets:         model.List[*model.Setting]{Meta: b.defaultMeta(none)},
	}
}

func (b *builder) authV2(c hit) model.Auth {
	r := b.childReader(c.doc)
	return model.Auth{
		Enabled:               r.boolean(c.at("properties.platform.enabled"), false, "authsettingsV2 properties.platform.enabled not set; ARM default false"),
		Version:               model.Set("v2", c.doc.at(), c.doc.Resource.Address),
		RequireAuthentication: r.boolean(c.at("properties.globalValidation.requireAuthentication"), false, "authsettingsV2 properties.globalValidation.requireAuthentication not set; ARM default false"),
		UnauthenticatedAction: r.str(c.at("properties.globalValidation.unauthenticatedClientAction"), "RedirectToLoginPage", "authsettingsV2 properties.globalValidation.unauthenticatedClientAction not set; ARM default RedirectToLoginPage"),
		RequireHTTPS:          r.boolean(c.at("properties.httpSettings.requireHttps"), true, "authsettingsV2 properties.httpSettings.requireHttps not set; taken as true, as azurerm documents (the ARM reference states no default)"),
		// v2 keeps provider secrets in app settings (clientSecretSettingName).
		InlineSecrets: model.List[*model.Setting]{Meta: model.Meta{Range: c.doc.at(), Origin: model.Explicit, Resource: c.doc.Resource.Address}},
	}
}

// authV1Secrets are the provider secrets the legacy settings hold inline.
func authV1Secrets() []string {
	return []string{"clientSecret", "facebookAppSecret", "gitHubClientSecret", "googleClientSecret", "microsoftAccountClientSecret", "twitterConsumerSecret"}
}

func (b *builder) authV1(c hit) model.Auth {
	r := b.childReader(c.doc)
	action := r.str(c.at("properties.unauthenticatedClientAction"), "RedirectToLoginPage", "authsettings properties.unauthenticatedClientAction not set; ARM default RedirectToLoginPage")
	secrets := model.List[*model.Setting]{Meta: model.Meta{Range: c.doc.at(), Origin: model.Explicit, Resource: c.doc.Resource.Address}}
	if p := c.at("properties"); p.found() && unknown(p.n) {
		secrets.Meta = r.meta(p)
	}
	for _, name := range authV1Secrets() {
		h := c.at("properties." + name)
		if !h.found() || unknown(c.at("properties").n) {
			continue
		}
		if s, ok := asString(h.n); ok && !unknown(h.n) && s == "" {
			continue
		}
		secrets.Items = append(secrets.Items, b.setting(model.Set(name, r.meta(h).Range, r.meta(h).Resource), h, h))
	}
	return model.Auth{
		Enabled:               r.boolean(c.at("properties.enabled"), false, "authsettings properties.enabled not set; ARM default false"),
		Version:               model.Set("v1", c.doc.at(), c.doc.Resource.Address),
		RequireAuthentication: model.Bool{V: action.V != "AllowAnonymous", Meta: action.Meta},
		UnauthenticatedAction: action,
		RequireHTTPS:          model.Defaulted(true, c.doc.at(), c.doc.Resource.Address, "authsettings (v1) has no requireHttps; HTTPS is required by default"),
		InlineSecrets:         secrets,
	}
}

// childReader blames defaults inside a child on the child.
func (b *builder) childReader(d *Doc) *reader {
	return &reader{addr: d.Resource.Address, at: d.at()}
}

func (b *builder) runtime(s settingsView) {
	app := b.app
	fev, found := s.value("FUNCTIONS_EXTENSION_VERSION")
	switch {
	case found:
		put(b, &app.FunctionsExtensionVersion, fev, true)
	case b.flex:
		put(b, &app.FunctionsExtensionVersion, model.Defaulted("~4", b.at, b.addr, "Flex Consumption runs the Functions host v4 (FUNCTIONS_EXTENSION_VERSION is not used)"), s.found)
	default:
		put(b, &app.FunctionsExtensionVersion, absent(b, s, "~1", "FUNCTIONS_EXTENSION_VERSION app setting not set; the Functions host defaults to ~1 (azure-functions-host Configuration Settings)"), s.found)
	}

	dash, found := s.value("AzureWebJobsDashboard")
	switch {
	case found && dash.Known():
		put(b, &app.BuiltinLogging, model.Bool{V: strings.TrimSpace(dash.V) != "", Meta: dash.Meta}, true)
	case found && (s.source("AzureWebJobsDashboard") == model.SourceResource || s.source("AzureWebJobsDashboard") == model.SourceSecretEnvelope):
		// A connection string built at deployment (listKeys(),
		// reference()) or kept as a Pulumi secret is not empty: the
		// setting is on.
		m := dash.Meta
		m.Origin = model.Explicit
		m.Note = "AzureWebJobsDashboard is set to a connection string known only at deployment"
		put(b, &app.BuiltinLogging, model.Bool{V: true, Meta: m}, true)
	case found:
		put(b, &app.BuiltinLogging, model.Bool{Meta: dash.Meta}, true)
	case b.flex:
		put(b, &app.BuiltinLogging, model.Defaulted(false, b.at, b.addr, "built-in logging (AzureWebJobsDashboard) is not available on Flex Consumption"), s.found)
	default:
		put(b, &app.BuiltinLogging, absent(b, s, false, "no AzureWebJobsDashboard app setting; built-in logging is off"), s.found)
	}

	h := b.prop("properties.dailyMemoryTimeQuota")
	put(b, &app.DailyMemoryTimeQuota, b.integer(h, 0, "properties.dailyMemoryTimeQuota not set; 0 means no quota"), h.found())
	if b.flex || b.patch {
		h = b.prop("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount")
		put(b, &app.MaximumInstanceCount, b.integer(h, 0, "properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount not set; the platform maximum applies"), h.found())
	} else {
		app.MaximumInstanceCount = model.Defaulted[int64](0, b.at, b.addr, "maximumInstanceCount applies only to Flex Consumption")
	}
}

func (b *builder) siteConfig(s settingsView) {
	c := &b.app.SiteConfig
	h := b.sc("properties.siteConfig.minTlsVersion", "properties.minTlsVersion")
	put(b, &c.MinTLSVersion, b.str(h, "1.2", "siteConfig.minTlsVersion not set; ARM default \"1.2\""), h.found())
	h = b.sc("properties.siteConfig.scmMinTlsVersion", "properties.scmMinTlsVersion")
	put(b, &c.SCMMinTLSVersion, b.str(h, "1.2", "siteConfig.scmMinTlsVersion not set; ARM default \"1.2\""), h.found())
	h = b.sc("properties.siteConfig.ftpsState", "properties.ftpsState")
	if b.flex && !h.found() {
		put(b, &c.FTPSState, model.Defaulted("Disabled", b.at, b.addr, "ftpsState does not apply: "+noteFlexFTP), false)
	} else {
		put(b, &c.FTPSState, b.str(h, "AllAllowed", "siteConfig.ftpsState not set; platform default \"AllAllowed\" (plain FTP allowed)"), h.found())
	}
	h = b.sc("properties.siteConfig.remoteDebuggingEnabled", "properties.remoteDebuggingEnabled")
	put(b, &c.RemoteDebugging, b.boolean(h, false, "siteConfig.remoteDebuggingEnabled not set; ARM default false"), h.found())

	cors := b.sc("properties.siteConfig.cors", "properties.cors")
	put(b, &c.CORS.AllowedOrigins, b.strList(cors.at("allowedOrigins"), "siteConfig.cors.allowedOrigins not set; no cross-origin requests are allowed"), cors.found())
	put(b, &c.CORS.SupportCredentials, b.boolean(cors.at("supportCredentials"), false, "siteConfig.cors.supportCredentials not set; ARM default false"), cors.found())

	rules := b.sc("properties.siteConfig.ipSecurityRestrictions", "properties.ipSecurityRestrictions")
	put(b, &c.IPRestrictions, b.restrictions(rules, "siteConfig.ipSecurityRestrictions"), rules.found())
	h = b.sc("properties.siteConfig.ipSecurityRestrictionsDefaultAction", "properties.ipSecurityRestrictionsDefaultAction")
	put(b, &c.IPRestrictionDefaultAction, b.defaultAction(h, c.IPRestrictions, "ipSecurityRestrictions"), h.found() || rules.found())
	scmRules := b.sc("properties.siteConfig.scmIpSecurityRestrictions", "properties.scmIpSecurityRestrictions")
	put(b, &c.SCMIPRestrictions, b.restrictions(scmRules, "siteConfig.scmIpSecurityRestrictions"), scmRules.found())
	h = b.sc("properties.siteConfig.scmIpSecurityRestrictionsDefaultAction", "properties.scmIpSecurityRestrictionsDefaultAction")
	put(b, &c.SCMIPRestrictionDefaultAction, b.defaultAction(h, c.SCMIPRestrictions, "scmIpSecurityRestrictions"), h.found() || scmRules.found())
	h = b.sc("properties.siteConfig.scmIpSecurityRestrictionsUseMain", "properties.scmIpSecurityRestrictionsUseMain")
	put(b, &c.SCMUseMainIPRestriction, b.boolean(h, false, "siteConfig.scmIpSecurityRestrictionsUseMain not set; ARM default false"), h.found())

	if b.flex {
		c.AppScaleLimit = model.Defaulted[int64](0, b.at, b.addr, "functionAppScaleLimit does not apply to Flex Consumption (see maximumInstanceCount)")
	} else {
		h = b.sc("properties.siteConfig.functionAppScaleLimit", "properties.functionAppScaleLimit")
		put(b, &c.AppScaleLimit, b.integer(h, 0, "siteConfig.functionAppScaleLimit not set; no scale-out limit"), h.found())
	}

	cs, found := s.secret("APPLICATIONINSIGHTS_CONNECTION_STRING")
	if !found {
		cs = absent(b, s, model.Sensitive(""), "no APPLICATIONINSIGHTS_CONNECTION_STRING app setting")
	}
	put(b, &c.AppInsightsConnectionString, cs, s.found)
	key, found := s.secret("APPINSIGHTS_INSTRUMENTATIONKEY")
	if !found {
		key = absent(b, s, model.Sensitive(""), "no APPINSIGHTS_INSTRUMENTATIONKEY app setting")
	}
	put(b, &c.AppInsightsKey, key, s.found)

	b.languageRuntime(s)
}

// languageRuntime derives the language runtime: Flex from
// functionAppConfig.runtime, others from FUNCTIONS_WORKER_RUNTIME and the
// version property of the stack (linuxFxVersion "PYTHON|3.11",
// netFrameworkVersion, powerShellVersion, javaVersion,
// WEBSITE_NODE_DEFAULT_VERSION).
func (b *builder) languageRuntime(s settingsView) {
	c := &b.app.SiteConfig
	if b.flex {
		h := b.prop("properties.functionAppConfig.runtime.name")
		put(b, &c.RuntimeName, b.str(h, "", "functionAppConfig.runtime.name not set"), h.found())
		h = b.prop("properties.functionAppConfig.runtime.version")
		put(b, &c.RuntimeVersion, b.str(h, "", "functionAppConfig.runtime.version not set"), h.found())
		return
	}
	name, nameFound := s.value("FUNCTIONS_WORKER_RUNTIME")
	if !nameFound {
		name = absent(b, s, "", "FUNCTIONS_WORKER_RUNTIME app setting not set")
	}
	version := model.Defaulted("", b.at, b.addr, "no runtime version set")
	versionFound := false
	fx := b.sc("properties.siteConfig.linuxFxVersion", "properties.linuxFxVersion")
	if fx.found() {
		v := b.str(fx, "", "")
		versionFound = true
		lang, ver, ok := strings.Cut(v.V, "|")
		switch {
		case !v.Known():
			version = v
		case ok:
			version = model.String{V: ver, Meta: v.Meta}
			if !nameFound {
				name, nameFound = model.String{V: strings.ToLower(lang), Meta: v.Meta}, true
			}
		default:
			versionFound = false
		}
	}
	if !versionFound && name.Known() {
		var h hit
		switch strings.ToLower(name.V) {
		case "dotnet", "dotnet-isolated":
			h = b.sc("properties.siteConfig.netFrameworkVersion", "properties.netFrameworkVersion")
		case "powershell":
			h = b.sc("properties.siteConfig.powerShellVersion", "properties.powerShellVersion")
		case "java":
			h = b.sc("properties.siteConfig.javaVersion", "properties.javaVersion")
		case "node":
			if v, ok := s.value("WEBSITE_NODE_DEFAULT_VERSION"); ok {
				version, versionFound = v, true
			}
		}
		if h.found() {
			version, versionFound = b.str(h, "", ""), true
		}
	}
	put(b, &c.RuntimeName, name, nameFound || s.found)
	put(b, &c.RuntimeVersion, version, versionFound)
}

// restrictions reads access-restriction rules.
func (b *builder) restrictions(h hit, path string) model.List[*model.IPRestriction] {
	if !h.found() {
		return model.List[*model.IPRestriction]{Meta: b.defaultMeta(path + " not set; no rules")}
	}
	m := b.meta(h)
	if m.Origin == model.Unknown {
		return model.List[*model.IPRestriction]{Meta: m}
	}
	if h.n.Kind != model.KindList {
		m.Origin, m.Note = model.Unknown, h.path+" is not a list"
		return model.List[*model.IPRestriction]{Meta: m}
	}
	out := model.List[*model.IPRestriction]{Meta: m}
	for i, it := range h.n.Items {
		item := hit{n: it, doc: h.doc, path: fmt.Sprintf("%s[%d]", h.path, i)}
		// Defaults inside a rule are blamed on the rule.
		r := &reader{addr: b.addr, at: b.meta(item).Range}
		p := item.path
		rule := &model.IPRestriction{
			Name:     r.str(item.at("name"), "", p+".name not set"),
			Action:   r.str(item.at("action"), "Allow", p+".action not set; ARM default Allow"),
			SubnetID: r.str(item.at("vnetSubnetResourceId"), "", p+".vnetSubnetResourceId not set"),
			Priority: r.integer(item.at("priority"), 0, p+".priority not set"),
		}
		addr := r.str(item.at("ipAddress"), "", p+".ipAddress not set")
		tag := r.str(item.at("tag"), "Default", p+".tag not set; ARM default Default")
		switch {
		case tag.Known() && strings.EqualFold(tag.V, "ServiceTag"):
			rule.ServiceTag = addr
			rule.IPAddress = model.Defaulted("", addr.Range, addr.Resource, p+" names a service tag, not an address")
		case !tag.Known():
			rule.IPAddress = addr
			rule.ServiceTag = model.String{Meta: tag.Meta}
		default:
			rule.IPAddress = addr
			rule.ServiceTag = r.str(hit{}, "", p+" is not a service-tag rule")
		}
		out.Items = append(out.Items, rule)
	}
	return out
}

// defaultAction is the written default action, else the platform's:
// without rules everything is allowed; once a rule exists unmatched
// traffic is denied (MicrosoftDocs overview-access-restrictions).
func (b *builder) defaultAction(h hit, rules model.List[*model.IPRestriction], name string) model.String {
	if h.found() {
		return b.str(h, "", "")
	}
	switch {
	case rules.Origin == model.Unknown:
		return model.Unresolved[string](rules.Range, rules.Resource, rules.Note)
	case len(rules.Items) > 0:
		return model.Defaulted("Deny", rules.Range, rules.Resource, name+"DefaultAction not set; with rules the platform denies unmatched traffic")
	}
	return model.Defaulted("Allow", b.at, b.addr, name+"DefaultAction not set and no rules; the platform allows all traffic")
}

func (b *builder) backup() {
	app := b.app
	d, ok := b.ls.child(roleBackup)
	switch {
	case !ok && b.patch:
		return
	case !ok:
		note := "no config child backup; backups are not configured"
		if b.flex {
			note = "backup is not available on Flex Consumption"
		}
		app.Backup = model.Backup{
			Configured:          model.Defaulted(false, b.at, b.addr, note),
			Enabled:             model.Defaulted(false, b.at, b.addr, note),
			StorageAccountURL:   model.Defaulted(model.Sensitive(""), b.at, b.addr, note),
			RetentionPeriodDays: model.Defaulted[int64](0, b.at, b.addr, note),
		}
		return
	}
	c := body(d, roleBackup)
	r := b.childReader(d)
	configured := model.Set(true, d.at(), d.Resource.Address)
	if unknown(c.n) {
		configured = model.Value[bool]{Meta: r.meta(c)}
	}
	url := c.at("properties.storageAccountUrl")
	storageURL := value(r, url, model.Sensitive(""), "", asSecret)
	if !url.found() {
		storageURL = model.Unresolved[model.Sensitive](d.at(), d.Resource.Address, "config/backup properties.storageAccountUrl is required but not set")
	}
	app.Backup = model.Backup{
		Configured:          configured,
		Enabled:             r.boolean(c.at("properties.enabled"), true, "config/backup properties.enabled not set; ARM default true"),
		StorageAccountURL:   storageURL,
		RetentionPeriodDays: r.integer(c.at("properties.backupSchedule.retentionPeriodInDays"), 30, "config/backup properties.backupSchedule.retentionPeriodInDays not set; ARM default 30"),
	}
}
