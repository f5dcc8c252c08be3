package pulumi

import (
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/armsite"
	"github.com/azfuncscan/azfuncscan/parsers/internal/derive"
)

// Type tokens read (API version dropped).
const (
	tokWebApp     = "azure-native:web:WebApp"
	tokWebAppSlot = "azure-native:web:WebAppSlot"
	tokStorage    = "azure-native:storage:StorageAccount"
	tokPlan       = "azure-native:web:AppServicePlan"
	tokPricing    = "azure-native:security:Pricing"
	tokPE         = "azure-native:network:PrivateEndpoint"
	tokDiag       = "azure-native:insights:DiagnosticSetting"
)

func childOf(token string) (sub, name string, slot bool) {
	t, ok := strings.CutPrefix(token, "azure-native:web:")
	if !ok {
		return "", "", false
	}
	if s, cut := strings.CutSuffix(t, "Slot"); cut && s != "WebApp" {
		t, slot = s, true
	}
	switch t {
	case "WebAppApplicationSettings":
		return "config", "appsettings", slot
	case "WebAppConnectionStrings":
		return "config", "connectionstrings", slot
	case "WebAppSiteConfig", "WebAppConfiguration":
		return "config", "web", slot
	case "WebAppFtpAllowed":
		return "basicPublishingCredentialsPolicies", "ftp", slot
	case "WebAppScmAllowed":
		return "basicPublishingCredentialsPolicies", "scm", slot
	case "WebAppAuthSettingsV2":
		return "config", "authsettingsV2", slot
	case "WebAppAuthSettings":
		return "config", "authsettings", slot
	case "WebAppSwiftVirtualNetworkConnection":
		return "networkConfig", "virtualNetwork", slot
	case "WebAppBackupConfiguration":
		return "config", "backup", slot
	}
	return "", "", false
}

// armTop lists the members of an ARM resource that are not under
// properties; pulumiOnly those that are Pulumi's own.
func armTop(k string) bool {
	switch strings.ToLower(k) {
	case "name", "kind", "identity", "location", "tags", "sku", "extendedlocation", "id", "type", "managedby", "zones":
		return true
	}
	return false
}

func pulumiOnly(k string) bool {
	switch strings.ToLower(k) {
	case "resourcegroupname", "azureapiversion", "slot", "urn":
		return true
	}
	return false
}

// armBody wraps a flattened azure-native body into an ARM resource
// object: top-level ARM members stay, the rest goes under properties
// (renamed by rename), Pulumi's own members are dropped.
func armBody(b *model.Node, rename map[string]string) *model.Node {
	out := &model.Node{Kind: model.KindObject, Meta: b.Meta}
	props := &model.Node{Kind: model.KindObject, Meta: b.Meta}
	for _, f := range b.Fields {
		switch {
		case pulumiOnly(f.Name):
		case armTop(f.Name):
			out.Fields = append(out.Fields, f)
		case strings.EqualFold(f.Name, "properties") && f.Node.Kind == model.KindObject:
			props.Fields = append(props.Fields, f.Node.Fields...)
		default:
			name := f.Name
			if r, ok := rename[strings.ToLower(name)]; ok {
				name = r
			}
			props.Fields = append(props.Fields, model.Field{Name: name, Node: f.Node})
		}
	}
	out.Fields = append(out.Fields, model.Field{Name: "properties", Node: props})
	return out
}

// propsBody is a child's ARM object: {properties: <the members>}.
func propsBody(b *model.Node, inner bool) *model.Node {
	out := &model.Node{Kind: model.KindObject, Meta: b.Meta}
	if inner {
		if p := get(b, "properties"); p != nil {
			out.Fields = append(out.Fields, model.Field{Name: "properties", Node: p})
			return out
		}
	}
	props := &model.Node{Kind: model.KindObject, Meta: b.Meta}
	for _, f := range b.Fields {
		if pulumiOnly(f.Name) || armTop(f.Name) {
			continue
		}
		props.Fields = append(props.Fields, f)
	}
	out.Fields = append(out.Fields, model.Field{Name: "properties", Node: props})
	return out
}

// site is a mapped app with what links it.
type site struct {
	x       *res
	doc     armsite.Doc
	name    string // ARM site name
	slot    string
	rg      string
	app     *model.FunctionApp
	links   armsite.Links
	classic bool
}

func (l *loader) doc(x *res, typ, name string, body *model.Node) armsite.Doc {
	return armsite.Doc{
		Type: typ, APIVersion: x.apiVer, Name: name,
		Resource: x.resource(), Header: x.header,
		Body: body, Sources: l.d.sources,
	}
}

// build maps the stack's resources into the module.
func (l *loader) build() {
	var sites []*site
	accounts := map[*res]*model.StorageAccount{}
	plans := map[*res]*model.Plan{}
	for _, x := range l.res {
		switch x.token {
		case tokWebApp, tokWebAppSlot:
			s := &site{x: x, rg: str(get(x.body, "resourceGroupName"))}
			s.name = str(get(x.body, "name"))
			typ := armsite.TypeSite
			full := s.name
			if x.token == tokWebAppSlot {
				typ = armsite.TypeSlot
				s.slot = str(get(x.body, "slot"))
				if a, b, ok := strings.Cut(s.name, "/"); ok {
					s.name, s.slot = a, b
				}
				full = s.name + "/" + s.slot
			}
			s.doc = l.doc(x, typ, full, armBody(x.body, nil))
			sites = append(sites, s)
		case tokStorage:
			body := armBody(x.body, map[string]string{"enablehttpstrafficonly": "supportsHttpsTrafficOnly", "networkruleset": "networkAcls"})
			name := str(get(x.body, "name"))
			if name == "" {
				name = str(get(x.body, "accountName"))
			}
			sa := armsite.StorageAccount(l.doc(x, armsite.TypeStorageAccount, name, body))
			accounts[x] = sa
			l.mod.StorageAccounts = append(l.mod.StorageAccounts, sa)
		case tokPlan:
			p := armsite.Plan(l.doc(x, armsite.TypeServerFarm, str(get(x.body, "name")), armBody(x.body, nil)))
			plans[x] = p
			l.mod.Plans = append(l.mod.Plans, p)
		case tokPricing:
			name := str(get(x.body, "pricingName"))
			if name == "" {
				name = str(get(x.body, "name"))
			}
			if p := armsite.DefenderPricing(l.doc(x, armsite.TypeDefenderPricing, name, armBody(x.body, nil))); p != nil {
				l.mod.DefenderPricings = append(l.mod.DefenderPricings, p)
			}
		default:
			if s := l.classic(x); s != nil {
				sites = append(sites, s)
			} else if sa := l.classicStorage(x); sa != nil {
				accounts[x] = sa
				l.mod.StorageAccounts = append(l.mod.StorageAccounts, sa)
			} else if p := l.classicPricing(x); p != nil {
				l.mod.DefenderPricings = append(l.mod.DefenderPricings, p)
			}
		}
	}

	// Children, by site name (+ slot, + group), else by dependency URN.
	children := map[*site][]armsite.Doc{}
	for _, x := range l.res {
		sub, cname, slot := childOf(x.token)
		if sub == "" {
			continue
		}
		// The inputs name the site (the outputs name the child: "ftp");
		// else the child's id does (…/sites/<site>/…).
		name := str(get(x.inputs, "name"))
		if name == "" {
			name = siteOfID(x.id)
		}
		if name == "" {
			name = str(get(x.body, "name"))
		}
		slotName := str(get(x.body, "slot"))
		rg := str(get(x.body, "resourceGroupName"))
		// By name (+ slot, + resource group) first: a child may depend on
		// other sites too; its dependencies decide only without a name.
		var target *site
		if name != "" {
			for _, s := range sites {
				if s.classic || (s.slot != "") != slot || !strings.EqualFold(s.name, name) || name == "" {
					continue
				}
				if slot && !strings.EqualFold(s.slot, slotName) {
					continue
				}
				if rg != "" && s.rg != "" && !strings.EqualFold(rg, s.rg) {
					continue
				}
				target = s
				break
			}
		}
		if target == nil && name == "" {
			for _, s := range sites {
				if !s.classic && (s.slot != "") == slot && hasDep(x, s.x.urn) {
					target = s
					break
				}
			}
		}
		if target == nil {
			continue
		}
		typ := armsite.TypeSite + "/" + sub
		if slot {
			typ = armsite.TypeSlot + "/" + sub
		}
		var body *model.Node
		switch cname {
		case "appsettings", "connectionstrings":
			body = propsBody(x.body, true)
		default:
			body = propsBody(x.body, false)
		}
		if x.maybe != "" {
			// What a child that may not exist sets may not apply.
			doubt(body, x.urn+" may or may not exist: "+x.maybe)
		}
		children[target] = append(children[target], l.doc(x, typ, target.doc.Name+"/"+cname, body))
	}

	// Sites: production apps first so slots find their parent.
	for pass := 0; pass < 2; pass++ {
		for _, s := range sites {
			if s.classic || (s.slot != "") != (pass == 1) {
				continue
			}
			// A slot without kind inherits its parent's.
			inherits := pass == 1 && !present(get(s.doc.Body, "kind")) && l.parentOf(sites, s) != nil
			if !armsite.IsFunctionApp(s.doc) && !inherits {
				continue
			}
			var opts armsite.SiteOptions
			if pass == 1 {
				if p := l.parentOf(sites, s); p != nil {
					opts.Parent = p.app
				}
			}
			s.app, s.links = armsite.Site(s.doc, children[s], opts)
			if p := opts.Parent; p != nil && s.app.UnknownExistence == "" && p.UnknownExistence != "" {
				s.app.UnknownExistence = "parent app " + p.Address + ": " + p.UnknownExistence
			}
		}
	}
	for _, s := range sites {
		if s.app == nil {
			continue
		}
		if s.classic && s.slot != "" {
			inheritClassic(sites, s)
		}
		l.mod.FunctionApps = append(l.mod.FunctionApps, s.app)
		l.link(s, accounts, plans)
	}
	l.classicSwifts(sites)
	l.endpoints(sites, accounts)
	l.diagnostics(sites)
	for _, s := range sites {
		switch {
		case s.app == nil:
		case s.classic:
			derive.App(s.app)
		default:
			armsite.Settle(s.app)
		}
	}
	derive.Module(l.mod)
}

// doubt makes every value below n unknown, with note: what a resource
// that may not exist sets may not apply. Objects stay known, so that
// their members are still found (and found unknown).
func doubt(n *model.Node, note string) {
	if n == nil {
		return
	}
	if n.Kind != model.KindObject {
		n.Meta.Origin, n.Meta.Note = model.Unknown, note
	}
	for _, it := range n.Items {
		doubt(it, note)
	}
	for _, f := range n.Fields {
		doubt(f.Node, note)
	}
}

// inheritClassic: a classic slot whose functionAppId is the id of an app
// that may not exist may not exist either.
func inheritClassic(sites []*site, s *site) {
	if s.app.UnknownExistence != "" || !s.app.Parent.Known() {
		return
	}
	for _, p := range sites {
		if p.classic && p.slot == "" && p.app != nil && sameID(s.app.Parent.V, p.x.id) && p.app.UnknownExistence != "" {
			s.app.UnknownExistence = "parent app " + p.app.Address + ": " + p.app.UnknownExistence
			return
		}
	}
}

// siteOfID returns the site name in a resource id below
// Microsoft.Web/sites, "" for other ids.
func siteOfID(id string) string {
	segs := strings.Split(id, "/")
	for i := 0; i+1 < len(segs); i++ {
		if strings.EqualFold(segs[i], "sites") && i > 0 && strings.EqualFold(segs[i-1], "Microsoft.Web") {
			return segs[i+1]
		}
	}
	return ""
}

func present(n *model.Node) bool {
	return n != nil && (n.Meta.Origin == model.Unknown || n.Kind != model.KindNull)
}

// parentOf returns the production app of a slot.
func (l *loader) parentOf(sites []*site, s *site) *site {
	for _, p := range sites {
		if p.slot == "" && p.app != nil && p.classic == s.classic && strings.EqualFold(p.name, s.name) && (s.rg == "" || p.rg == "" || strings.EqualFold(s.rg, p.rg)) {
			return p
		}
	}
	return nil
}

// link resolves an app's plan and host storage account, saying where and
// why each was linked (FunctionApp.PlanLink, StorageLink): the plan whose
// id (or name) serverFarmId / servicePlanId / appServicePlanId is; the storage account the
// AzureWebJobsStorage__accountName setting names, or the AccountName= of
// the AzureWebJobsStorage connection string, or the host of a service
// URI setting, or storageAccountName (classic); else, when that value is
// a secret or unknown, the only storage account the app depends on. A
// value naming them that is not known makes the link unknown, and so
// does a linked resource that may not exist.
func (l *loader) link(s *site, accounts map[*res]*model.StorageAccount, plans map[*res]*model.Plan) {
	app := s.app
	farm, farmWhat := s.links.ServerFarm, "serverFarmId"
	if s.classic {
		farm, farmWhat = get(s.x.body, "servicePlanId"), "servicePlanId"
		if farm == nil {
			// The legacy azure:appservice:FunctionApp (and its slot)
			// names its plan appServicePlanId.
			farm, farmWhat = get(s.x.body, "appServicePlanId"), "appServicePlanId"
		}
	}
	if farm != nil {
		id := str(farm)
		for _, p := range sortedPlans(l, plans) {
			why := ""
			switch {
			case sameID(id, p.id):
				why = farmWhat + " is the id of " + p.p.Address
			case !strings.Contains(id, "/") && strings.EqualFold(id, p.p.Name.V):
				why = farmWhat + " names " + p.p.Address
			default:
				continue
			}
			app.Plan = p.p
			app.PlanLink = mayExist(linkMeta(farm.Meta, app.Address, why), &p.p.Resource)
			break
		}
		if app.Plan == nil && farm.Meta.Origin == model.Unknown && len(plans) > 0 {
			app.PlanLink = unknownLink(farm.Meta, app.Address, farmWhat)
		}
	}

	var name, what string
	var at model.Meta
	if n := s.links.Storage; n != nil {
		v := str(n)
		at = n.Meta
		switch setting := s.links.StorageSetting; {
		case strings.EqualFold(setting, "AzureWebJobsStorage__accountName"):
			name, what = v, "app setting "+setting
		case strings.EqualFold(setting, "AzureWebJobsStorage"):
			name, what = connField(v, "AccountName"), "app setting "+setting+" AccountName="
		case setting == "":
			name, what = hostLabel(v), "functionAppConfig.deployment.storage.value"
		default:
			name, what = hostLabel(v), "app setting "+setting
		}
	}
	if name == "" && app.StorageAccountName.Known() && app.StorageAccountName.V != "" {
		name, what, at = app.StorageAccountName.V, "storageAccountName", app.StorageAccountName.Meta
	}
	if name != "" {
		for _, x := range l.res {
			if sa := accounts[x]; sa != nil && strings.EqualFold(sa.Name.V, name) {
				// The name is not quoted: it may come from a secret.
				app.StorageAccount = sa
				app.StorageLink = mayExist(linkMeta(at, app.Address, what+" names "+sa.Address), &sa.Resource)
				return
			}
		}
		return
	}
	// The setting is a secret or unknown (or absent): a single storage
	// account the app depends on is its host.
	var only *res
	n := 0
	for _, x := range l.res {
		if accounts[x] != nil && hasDep(s.x, x.urn) {
			only, n = x, n+1
		}
	}
	if n == 1 {
		sa := accounts[only]
		app.StorageAccount = sa
		why := "the only storage account " + app.Address + " depends on"
		if what != "" {
			why += " (" + what + " is not known)"
		}
		app.StorageLink = mayExist(model.LinkedBy(s.x.depAt[only.urn], app.Address, why), &sa.Resource)
		return
	}
	if what != "" && at.Origin == model.Unknown && len(accounts) > 0 {
		app.StorageLink = unknownLink(at, app.Address, what)
	}
}

// linkMeta is the Meta of a link written at a value with Meta m (with its
// trail).
func linkMeta(m model.Meta, owner, why string) model.Meta {
	return model.LinkedBy(m.Range, owner, why).WithTrail(m.Trail)
}

// unknownLink is the Meta of a link whose value is not known.
func unknownLink(m model.Meta, owner, what string) model.Meta {
	link := model.LinkedBy(m.Range, owner, what+" is not known; the resource it names cannot be told").WithTrail(m.Trail)
	link.Origin = model.Unknown
	return link
}

// mayExist makes link unknown when the linked resource r may or may not
// exist.
func mayExist(link model.Meta, r *model.Resource) model.Meta {
	if r.UnknownExistence != "" {
		link.Origin = model.Unknown
		link.Note += "; " + r.Address + " may or may not exist: " + r.UnknownExistence
	}
	return link
}

type planAt struct {
	id string
	p  *model.Plan
}

// sortedPlans lists plans in stack order.
func sortedPlans(l *loader, plans map[*res]*model.Plan) []planAt {
	var out []planAt
	for _, x := range l.res {
		if p := plans[x]; p != nil {
			out = append(out, planAt{id: x.id, p: p})
		}
	}
	return out
}

func connField(cs, field string) string {
	for _, part := range strings.Split(cs, ";") {
		k, v, ok := strings.Cut(part, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), field) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func hostLabel(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	name, _, ok := strings.Cut(u, ".")
	if !ok {
		return ""
	}
	return name
}

// endpoints maps private endpoints and links each to the app or storage
// account whose outputs.id its connection names exactly.
func (l *loader) endpoints(sites []*site, accounts map[*res]*model.StorageAccount) {
	for _, x := range l.res {
		classicPE := x.token == tokClassicPE
		if x.token != tokPE && !classicPE {
			continue
		}
		link := &model.EndpointLink{Resource: x.resource()}
		link.Name = l.strVal(x, get(x.body, "name"), "name")
		var conns []*model.Node
		for _, key := range []string{"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"} {
			if c := get(x.body, key); c != nil && c.Kind == model.KindList && c.Meta.Origin != model.Unknown {
				conns = append(conns, c.Items...)
			}
		}
		if c := get(x.body, "privateServiceConnection"); classicPE && c != nil && c.Kind == model.KindObject {
			// Classic: one privateServiceConnection {privateConnectionResourceId, subresourceNames}.
			conns = append(conns, c)
		}
		var app *model.FunctionApp
		var appSite *site
		var sa *model.StorageAccount
		var groups, linkID *model.Node
		for _, c := range conns {
			id := get(c, "privateLinkServiceId")
			g := get(c, "groupIds")
			if classicPE {
				id, g = get(c, "privateConnectionResourceId"), get(c, "subresourceNames")
			}
			if p := get(c, "properties"); p != nil {
				if id == nil {
					id = get(p, "privateLinkServiceId")
				}
				if g == nil {
					g = get(p, "groupIds")
				}
			}
			if groups == nil {
				groups = g
			}
			for _, s := range sites {
				if s.app != nil && s.slot == "" && sameID(str(id), s.x.id) {
					app, appSite, groups, linkID = s.app, s, g, id
				}
			}
			for _, y := range l.res {
				if accounts[y] != nil && sameID(str(id), y.id) {
					sa, groups, linkID = accounts[y], g, id
				}
			}
			if app != nil || sa != nil {
				break
			}
		}
		link.SubresourceNames = l.strList(x, groups, "groupIds")
		idField := "privateLinkServiceId"
		if classicPE {
			idField = "privateServiceConnection.privateConnectionResourceId"
		}
		if app != nil {
			link.Link = linkMeta(linkID.Meta, link.Address, idField+" is the id of "+app.Address)
			// A group id sites-<slot> targets the slot.
			for i := range link.SubresourceNames.Items {
				g := &link.SubresourceNames.Items[i]
				if slot, ok := strings.CutPrefix(strings.ToLower(g.V), "sites-"); ok {
					if appSite.classic {
						if s := classicSlot(sites, appSite, slot); s != nil {
							link.Link = linkMeta(g.Meta, link.Address, idField+" is the id of "+app.Address+" and subresource name "+g.V+" names its slot "+s.app.Address)
							app = s.app
						}
						continue
					}
					for _, s := range sites {
						if s.app != nil && strings.EqualFold(s.slot, slot) && strings.EqualFold(s.name, app.Name.V) {
							link.Link = linkMeta(g.Meta, link.Address, "privateLinkServiceId is the id of "+app.Address+" and group id "+g.V+" names its slot "+s.app.Address)
							app = s.app
						}
					}
				}
			}
		}
		if sa != nil {
			link.Link = linkMeta(linkID.Meta, link.Address, idField+" is the id of "+sa.Address)
		}
		l.mod.PrivateEndpoints = append(l.mod.PrivateEndpoints, link)
		switch {
		case app != nil:
			app.PrivateEndpoints = model.AppendLinked(app.PrivateEndpoints, link, app.Address)
		case sa != nil:
			sa.PrivateEndpoints = model.AppendLinked(sa.PrivateEndpoints, link, sa.Address)
		}
	}
}

// diagnostics maps diagnostic settings and links each to the app whose
// outputs.id its resourceUri names.
func (l *loader) diagnostics(sites []*site) {
	for _, x := range l.res {
		classicDiag := x.token == tokClassicDiag
		if x.token != tokDiag && !classicDiag {
			continue
		}
		ds := &model.DiagnosticSetting{Resource: x.resource()}
		ds.Name = l.strVal(x, get(x.body, "name"), "name")
		logs := get(x.body, "logs")
		if classicDiag {
			logs = get(x.body, "enabledLogs")
		}
		switch {
		case logs == nil || logs.Kind == model.KindNull:
			ds.LogCategories = model.List[model.String]{Meta: l.defMeta(x, "logs not set; no log category is enabled")}
		case logs.Meta.Origin == model.Unknown || logs.Kind != model.KindList:
			ds.LogCategories = model.List[model.String]{Meta: l.meta(x, logs)}
			ds.LogCategories.Origin = model.Unknown
		default:
			ds.LogCategories = model.List[model.String]{Meta: l.meta(x, logs)}
			for _, it := range logs.Items {
				en := get(it, "enabled")
				on := en != nil && (en.Meta.Origin == model.Unknown || en.Kind == model.KindBool && en.Bool) || classicDiag
				if !on {
					continue
				}
				c := get(it, "category")
				if c == nil || c.Kind == model.KindNull || str(c) == "" && c.Meta.Origin != model.Unknown {
					c = get(it, "categoryGroup")
				}
				if c == nil || c.Kind == model.KindNull {
					continue
				}
				ds.LogCategories.Items = append(ds.LogCategories.Items, l.strVal(x, c, "category"))
			}
		}
		ds.HasDestination = model.Value[bool]{Meta: l.defMeta(x, "no workspaceId, storageAccountId, eventHubAuthorizationRuleId or marketplacePartnerId")}
		for _, key := range []string{"workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId", "logAnalyticsWorkspaceId", "eventhubAuthorizationRuleId", "partnerSolutionId"} {
			n := get(x.body, key)
			if n == nil || n.Kind == model.KindNull && n.Meta.Origin != model.Unknown {
				continue
			}
			if n.Meta.Origin == model.Unknown {
				ds.HasDestination = model.Bool{Meta: l.meta(x, n)}
				continue
			}
			if strings.TrimSpace(n.Str) != "" {
				ds.HasDestination = model.Value[bool]{V: true, Meta: l.meta(x, n)}
				break
			}
		}
		l.mod.DiagnosticSettings = append(l.mod.DiagnosticSettings, ds)
		what := "resourceUri"
		if classicDiag {
			what = "targetResourceId"
		}
		at := get(x.body, what)
		for _, s := range sites {
			if s.app != nil && at != nil && sameID(str(at), s.x.id) {
				ds.Link = linkMeta(l.meta(x, at), ds.Address, what+" is the id of "+s.app.Address)
				s.app.DiagnosticSettings = model.AppendLinked(s.app.DiagnosticSettings, ds, s.app.Address)
				break
			}
		}
	}
}

// meta is the Meta of a node of x.
func (l *loader) meta(x *res, n *model.Node) model.Meta {
	m := n.Meta
	if m.Range.IsZero() {
		m.Range = x.header
	}
	if m.Resource == "" {
		m.Resource = x.urn
	}
	return m
}

func (l *loader) defMeta(x *res, note string) model.Meta {
	return model.Meta{Range: x.header, Origin: model.Default, Resource: x.urn, Note: note}
}

// strVal converts a string node of x; absent is unknown.
func (l *loader) strVal(x *res, n *model.Node, what string) model.String {
	if n == nil || n.Kind == model.KindNull {
		return model.Unresolved[string](x.header, x.urn, what+" not set")
	}
	m := l.meta(x, n)
	if m.Origin == model.Unknown {
		return model.String{Meta: m}
	}
	switch n.Kind {
	case model.KindString:
		return model.String{V: n.Str, Meta: m}
	case model.KindBool:
		if n.Bool {
			return model.String{V: "true", Meta: m}
		}
		return model.String{V: "false", Meta: m}
	}
	m.Origin, m.Note = model.Unknown, what+" has an unexpected value"
	return model.String{Meta: m}
}

func (l *loader) strList(x *res, n *model.Node, what string) model.List[model.String] {
	if n == nil || n.Kind == model.KindNull {
		return model.List[model.String]{Meta: l.defMeta(x, what+" not set")}
	}
	out := model.List[model.String]{Meta: l.meta(x, n)}
	if n.Kind != model.KindList {
		out.Origin = model.Unknown
		return out
	}
	for _, it := range n.Items {
		out.Items = append(out.Items, l.strVal(x, it, what))
	}
	return out
}
