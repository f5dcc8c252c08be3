package arm

import (
	"github.com/azfuncscan/azfuncscan/parsers/internal/derive"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
	"github.com/azfuncscan/azfuncscan/parsers/internal/armsite"
	"github.com/azfuncscan/azfuncscan/parsers/internal/fold"
)

// built is a function app mapped from a site or slot instance.
type built struct {
	in    *inst
	app   *model.FunctionApp
	links armsite.Links
	slot  bool
}

// index finds the instances the model is built from, by resource path
// and by name.
type index struct {
	apps       map[string]*built // by key: sites and slots
	appsByInst map[*inst]*built
	sites      map[string]*inst // sites and slots by key
	accounts   map[string]*model.StorageAccount
	accountsNm map[string]*model.StorageAccount // lower-case name
	plans      map[string]*model.Plan
	plansNm    map[string]*model.Plan
	children   map[*inst][]armsite.Doc // by the site or slot
}

// owner returns the site or slot a child belongs to: the resource it is
// declared in, else the one its type and name name.
func (ix *index) owner(in *inst) *inst {
	if p := in.parent; p != nil && (p.isType(armsite.TypeSite) || p.isType(armsite.TypeSlot)) {
		return p
	}
	key := in.key
	if isLegacyDiag(in.ltyp) {
		if i := strings.Index(key, "/providers/"); i >= 0 {
			return ix.sites[key[:i]]
		}
		return nil
	}
	return ix.sites[parentKey(key)]
}

// build maps the expanded instances into mod: storage accounts, plans,
// function apps and slots with their children, private endpoints and
// diagnostic settings, and links them.
func (l *loader) build(mod *model.Module) {
	ix := &index{
		apps: map[string]*built{}, appsByInst: map[*inst]*built{}, sites: map[string]*inst{},
		accounts: map[string]*model.StorageAccount{}, accountsNm: map[string]*model.StorageAccount{},
		plans: map[string]*model.Plan{}, plansNm: map[string]*model.Plan{}, children: map[*inst][]armsite.Doc{},
	}
	for _, in := range l.insts {
		if !in.existing && in.body != nil && (in.isType(armsite.TypeSite) || in.isType(armsite.TypeSlot)) {
			addFirst(ix.sites, in.key, in)
		}
	}
	for _, in := range l.insts {
		if in.existing || in.body == nil {
			continue
		}
		switch {
		case in.isType(armsite.TypeStorageAccount):
			sa := armsite.StorageAccount(in.doc(l))
			mod.StorageAccounts = append(mod.StorageAccounts, sa)
			addFirst(ix.accounts, in.key, sa)
			addFirst(ix.accountsNm, strings.ToLower(in.nameSym), sa)
		case in.isType(armsite.TypeServerFarm):
			p := armsite.Plan(in.doc(l))
			mod.Plans = append(mod.Plans, p)
			addFirst(ix.plans, in.key, p)
			addFirst(ix.plansNm, strings.ToLower(in.nameSym), p)
		case in.isType(armsite.TypeDefenderPricing):
			if p := armsite.DefenderPricing(in.doc(l)); p != nil {
				mod.DefenderPricings = append(mod.DefenderPricings, p)
			}
		case isSiteChild(in.ltyp) && !isLegacyDiag(in.ltyp):
			if o := ix.owner(in); o != nil {
				doc := in.doc(l)
				if in.maybe != "" && in.maybe != o.maybe {
					// A child that may not exist may or may not change
					// what the app's own properties or defaults say.
					doc.Body = maybeBody(doc.Body, doc.Resource.Address+" may or may not exist: "+in.maybe)
				}
				ix.children[o] = append(ix.children[o], doc)
			}
		}
	}

	var apps []*built
	for _, slots := range []bool{false, true} {
		for _, in := range l.insts {
			if in.existing || in.body == nil {
				continue
			}
			if slots && !in.isType(armsite.TypeSlot) || !slots && !in.isType(armsite.TypeSite) {
				continue
			}
			doc := in.doc(l)
			var opts armsite.SiteOptions
			if slots {
				var parent *built
				if o := ix.owner(in); o != nil {
					parent = ix.appsByInst[o]
				}
				if !armsite.IsFunctionApp(doc) {
					if _, hasKind := armsite.KindOf(doc); hasKind || armsite.KindUnknown(doc) || parent == nil {
						continue
					}
				}
				if parent != nil {
					if doc.Resource.UnknownExistence == "" {
						doc.Resource.UnknownExistence = parent.app.UnknownExistence
					}
					opts = armsite.SiteOptions{Parent: parent.app}
					if in.nameNode != nil {
						opts.ParentAt = in.nameNode.Meta.Range
					}
				}
			} else if !armsite.IsFunctionApp(doc) {
				continue
			}
			l.flexByPlan(ix, in)
			doc.Body = in.body
			app, links := armsite.Site(doc, ix.children[in], opts)
			b := &built{in: in, app: app, links: links, slot: slots}
			apps = append(apps, b)
			ix.appsByInst[in] = b
			if in.key != "" {
				if _, dup := ix.apps[in.key]; !dup {
					ix.apps[in.key] = b
				}
			}
			mod.FunctionApps = append(mod.FunctionApps, app)
		}
	}
	for _, b := range apps {
		l.link(ix, b)
	}
	l.endpoints(ix, mod)
	l.diagnostics(ix, mod)
	for _, b := range apps {
		armsite.Settle(b.app)
	}
	derive.Module(mod)
}

func addFirst[T any](m map[string]T, key string, v T) {
	if key == "" {
		return
	}
	if _, ok := m[key]; !ok {
		m[key] = v
	}
}

// maybeBody copies a child resource's body with every value under its
// properties unknown (note says why), keeping the name armsite tells
// children apart by.
func maybeBody(body *model.Node, note string) *model.Node {
	if body == nil {
		return nil
	}
	out := *body
	out.Fields = make([]model.Field, len(body.Fields))
	for i, f := range body.Fields {
		if !strings.EqualFold(f.Name, "name") {
			f.Node = unknownTree(f.Node, note, 0)
		}
		out.Fields[i] = f
	}
	return &out
}

// unknownTree copies n with its scalars and empty lists unknown.
func unknownTree(n *model.Node, note string, depth int) *model.Node {
	if n == nil || depth > maxJSONDepth {
		return n
	}
	out := *n
	switch {
	case n.Kind == model.KindObject && n.Meta.Origin != model.Unknown:
		out.Fields = make([]model.Field, len(n.Fields))
		for i, f := range n.Fields {
			f.Node = unknownTree(f.Node, note, depth+1)
			out.Fields[i] = f
		}
	case n.Kind == model.KindList && len(n.Items) > 0 && n.Meta.Origin != model.Unknown:
		out.Items = make([]*model.Node, len(n.Items))
		for i, it := range n.Items {
			out.Items[i] = unknownTree(it, note, depth+1)
		}
	case n.Meta.Origin != model.Unknown:
		out.Meta.Origin, out.Meta.Note = model.Unknown, note
	}
	return &out
}

// isSiteChild reports whether t (a type in lower case) is a child type
// of a site or slot (config, basicPublishingCredentialsPolicies,
// networkConfig, …), not a slot itself.
func isSiteChild(t string) bool {
	return strings.HasPrefix(t, "microsoft.web/sites/") && t != "microsoft.web/sites/slots"
}

// parentKey is the key of the resource a child belongs to: its key
// without the last type/name pair.
func parentKey(key string) string {
	parts := strings.Split(key, "/")
	if len(parts) < 5 {
		return ""
	}
	return strings.Join(parts[:len(parts)-2], "/")
}

// flexByPlan makes a site on a Flex Consumption plan (sku FC1) without
// functionAppConfig a Flex app: an empty functionAppConfig located at the
// plan's SKU.
func (l *loader) flexByPlan(ix *index, in *inst) {
	props := in.body.Get("properties")
	if props == nil || props.Kind != model.KindObject || props.Meta.Origin == model.Unknown {
		return
	}
	var farm *model.Node
	for _, f := range props.Fields {
		if strings.EqualFold(f.Name, "functionAppConfig") {
			return
		}
		if strings.EqualFold(f.Name, "serverFarmId") {
			farm = f.Node
		}
	}
	p, _ := l.planOf(ix, in, farm)
	if p == nil || !p.SKU.Known() || !strings.EqualFold(p.SKU.V, "FC1") {
		return
	}
	props.Fields = append(props.Fields, model.Field{Name: "functionAppConfig", Node: &model.Node{
		Kind: model.KindObject,
		Meta: model.Meta{Range: p.SKU.Range, Origin: model.Explicit, Resource: p.Address, Note: "the plan's SKU is FC1 (Flex Consumption)"},
	}})
}

// link resolves an app's plan and host storage account, saying where
// and why each was linked (FunctionApp.PlanLink, StorageLink). A value
// naming them that is not known, in a module that has plans or storage
// accounts it could name, makes the link unknown.
func (l *loader) link(ix *index, b *built) {
	app := b.app
	var why string
	app.Plan, why = l.planOf(ix, b.in, b.links.ServerFarm)
	if app.Plan != nil {
		app.PlanLink = linkMeta(b.links.ServerFarm, app.Address, why)
	}
	if app.Plan == nil && b.slot {
		if o := ix.owner(b.in); o != nil && ix.appsByInst[o] != nil {
			parent := ix.appsByInst[o].app
			if app.Plan = parent.Plan; app.Plan != nil {
				app.PlanLink = parent.PlanLink
				app.PlanLink.Note = "the slot runs on the plan of " + parent.Address + ": " + parent.PlanLink.Note
			}
		}
	}
	if app.Plan == nil && len(ix.plans) > 0 {
		app.PlanLink = unknownLink(b.links.ServerFarm, app.Address, "serverFarmId")
	}
	if b.links.Storage != nil {
		app.StorageAccount, why = l.accountOf(ix, b.in, b.links.Storage, b.links.StorageSetting)
		if app.StorageAccount != nil {
			app.StorageLink = linkMeta(b.links.Storage, app.Address, why)
		}
	}
	if app.StorageAccount == nil && app.StorageAccountName.Origin == model.Explicit && app.StorageAccountName.V != "" {
		if sa := ix.accountsNm[strings.ToLower(app.StorageAccountName.V)]; sa != nil {
			app.StorageAccount = sa
			app.StorageLink = model.LinkedBy(app.StorageAccountName.Range, app.Address,
				"the storage account name "+app.StorageAccountName.V+" names "+resourceName(sa.Resource, sa.Name)).WithTrail(app.StorageAccountName.Trail)
		}
	}
	if app.StorageAccount == nil && len(ix.accounts) > 0 {
		setting := b.links.StorageSetting
		if setting == "" {
			setting = "the deployment storage"
		}
		app.StorageLink = unknownLink(b.links.Storage, app.Address, setting)
	}
}

// linkMeta is the Meta of a link written at node n (with n's trail).
func linkMeta(n *model.Node, owner, why string) model.Meta {
	return model.LinkedBy(n.Meta.Range, owner, why).WithTrail(n.Meta.Trail)
}

// unknownLink is the Meta of a link whose value is not known; zero when
// the value is known (it names a resource outside the template, or
// nothing) or absent.
func unknownLink(n *model.Node, owner, what string) model.Meta {
	if n == nil || n.Meta.Origin != model.Unknown {
		return model.Meta{}
	}
	m := linkMeta(n, owner, what+" is not known before deployment, so the resource it names cannot be told")
	m.Origin = model.Unknown
	if n.Meta.Note != "" {
		m.Note += " (" + n.Meta.Note + ")"
	}
	return m
}

// resourceName names a resource for link reasons: its type and name
// (Microsoft.Web/serverfarms 'asp'), else its address.
func resourceName(r model.Resource, name model.String) string {
	if name.Known() && name.V != "" {
		return r.Type + " '" + name.V + "'"
	}
	return r.Address
}

// planOf resolves a serverFarmId value to a plan, and says how.
func (l *loader) planOf(ix *index, in *inst, n *model.Node) (*model.Plan, string) {
	if n == nil {
		return nil, ""
	}
	v := l.valueOf(n)
	if s, _ := symText(v); s != "" {
		if p := ix.plans[strings.ToLower(pathOfID(s))]; p != nil {
			return p, "serverFarmId references " + resourceName(p.Resource, p.Name)
		}
		if !strings.Contains(s, "/") {
			if p := ix.plansNm[strings.ToLower(s)]; p != nil {
				return p, "serverFarmId names " + resourceName(p.Resource, p.Name)
			}
		}
	}
	for _, key := range l.refKeys(in, v) {
		if p := ix.plans[key]; p != nil {
			return p, "serverFarmId is read from " + resourceName(p.Resource, p.Name)
		}
	}
	return nil, ""
}

// accountOf resolves the value naming the host storage account: an
// account name, a service URI, a connection string's AccountName=, or a
// value read from the account (listKeys(), reference()).
func (l *loader) accountOf(ix *index, in *inst, n *model.Node, setting string) (*model.StorageAccount, string) {
	v := l.valueOf(n)
	s := looseText(v)
	var name, how string
	what := setting
	if what == "" {
		what = "functionAppConfig.deployment.storage.value"
	}
	switch {
	case strings.EqualFold(setting, "AzureWebJobsStorage__accountName"):
		name, how = s, what+" names "
	case strings.EqualFold(setting, "AzureWebJobsStorage"):
		name, how = connField(s, "AccountName"), what+" AccountName= names "
	default:
		name, how = hostLabel(s), "the host of "+what+" names "
	}
	if name != "" && !strings.Contains(name, opaque) {
		if sa := ix.accountsNm[strings.ToLower(name)]; sa != nil {
			return sa, how + resourceName(sa.Resource, sa.Name)
		}
	}
	for _, key := range l.refKeys(in, v) {
		if sa := ix.accounts[key]; sa != nil {
			return sa, what + " is read from " + resourceName(sa.Resource, sa.Name)
		}
	}
	return nil, ""
}

// refKeys lists the resources an unknown value was read from
// (reference(), list*() of a resource id or symbolic name), as keys.
func (l *loader) refKeys(in *inst, v value) []string {
	var out []string
	var walk func(value, int)
	walk = func(v value, depth int) {
		u, ok := v.(armexpr.Unknown)
		if !ok || depth > maxJSONDepth {
			return
		}
		if u.Ref != "" && isResourceFunction(u.Attribute) {
			if r := in.t.syms[strings.ToLower(u.Ref)]; r != nil && r.key != "" {
				out = append(out, r.key)
			} else {
				out = append(out, strings.ToLower(pathOfID(u.Ref)))
			}
		}
		for _, p := range u.Parts {
			walk(p, depth+1)
		}
	}
	walk(v, 0)
	return out
}

// connField returns a field of a connection string (case-insensitive
// key).
func connField(cs, field string) string {
	for _, part := range strings.Split(cs, ";") {
		k, v, ok := strings.Cut(part, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), field) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// hostLabel returns the first label of a URL's host
// (https://<account>.blob.core.windows.net/… gives <account>).
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
// account its connection targets.
func (l *loader) endpoints(ix *index, mod *model.Module) {
	for _, in := range l.insts {
		if in.existing || in.body == nil || !in.isType(typePrivateEndpoint) {
			continue
		}
		r := &reader{l: l, in: in}
		link := &model.EndpointLink{Resource: in.doc(l).Resource, Name: r.name()}
		props := in.body.Get("properties")
		var conns []*model.Node
		for _, key := range []string{"privateLinkServiceConnections", "manualPrivateLinkServiceConnections"} {
			if c := getFold(props, key); c != nil && c.Kind == model.KindList && c.Meta.Origin != model.Unknown {
				conns = append(conns, c.Items...)
			}
		}
		var target *built
		var account *model.StorageAccount
		var groups, linkID *model.Node
		for _, c := range conns {
			cp := getFold(c, "properties")
			id := getFold(cp, "privateLinkServiceId")
			g := getFold(cp, "groupIds")
			if groups == nil {
				groups = g
			}
			key := l.idKey(in, id)
			if key == "" {
				continue
			}
			if b := ix.apps[key]; b != nil {
				target, groups, linkID = b, g, id
				break
			}
			if sa := ix.accounts[key]; sa != nil {
				account, groups, linkID = sa, g, id
				break
			}
		}
		link.SubresourceNames = r.strList(groups, "groupIds")
		switch {
		case target != nil:
			why := "privateLinkServiceId references " + resourceName(target.app.Resource, target.app.Name)
			if slot := slotOf(ix, target, link.SubresourceNames); slot != target {
				why += " and groupIds names its slot " + resourceName(slot.app.Resource, slot.app.Name)
				target = slot
			}
			link.Link = linkMeta(linkID, in.addr, why)
		case account != nil:
			link.Link = linkMeta(linkID, in.addr, "privateLinkServiceId references "+resourceName(account.Resource, account.Name))
		}
		mod.PrivateEndpoints = append(mod.PrivateEndpoints, link)
		switch {
		case target != nil:
			target.app.PrivateEndpoints = appendMaybe(target.app.PrivateEndpoints, link, target.app.Address)
		case account != nil:
			account.PrivateEndpoints = appendMaybe(account.PrivateEndpoints, link, account.Address)
		}
	}
}

// appendMaybe links a related resource (private endpoint, diagnostic
// setting) to the list of its target. One whose existence is unknown
// (condition or copy count) makes the list unknown-many: some members may
// exist that cannot be counted, so what depends on the list is
// undetermined, not decided by the members seen.
func appendMaybe[T interface{ Header() *model.Resource }](l model.List[T], item T, owner string) model.List[T] {
	l = model.AppendLinked(l, item, owner)
	if why := item.Header().UnknownExistence; why != "" && l.Origin != model.Unknown {
		l.Origin = model.Unknown
		l.Note = item.Header().Address + " may or may not exist: " + why
	}
	return l
}

// slotOf returns the slot a private endpoint to a site targets through
// the group id sites-<slot>, else the site.
func slotOf(ix *index, site *built, groups model.List[model.String]) *built {
	for i := range groups.Items {
		g := &groups.Items[i]
		if !g.Known() {
			continue
		}
		slot, ok := strings.CutPrefix(strings.ToLower(g.V), "sites-")
		if !ok || slot == "" {
			continue
		}
		if b := ix.apps[site.in.key+"/slots/"+slot]; b != nil {
			return b
		}
	}
	return site
}

// idKey is the key of the resource a resource id value names.
func (l *loader) idKey(in *inst, n *model.Node) string {
	if n == nil {
		return ""
	}
	v := l.valueOf(n)
	if s, _ := symText(v); s != "" {
		if !strings.Contains(s, "/") {
			if r := in.t.syms[strings.ToLower(s)]; r != nil {
				return r.key
			}
		}
		return strings.ToLower(pathOfID(s))
	}
	return ""
}

// diagnostics maps diagnostic settings (extension resources scoped to a
// site or slot, and the legacy Microsoft.Web/sites/providers/
// diagnosticSettings children) and links each to its app.
func (l *loader) diagnostics(ix *index, mod *model.Module) {
	for _, in := range l.insts {
		if in.existing || in.body == nil {
			continue
		}
		var target *built
		var why string
		var tr *model.Trail
		at := in.header
		switch {
		case in.isType(typeDiagSettings):
			if in.scopeKey != "" {
				target = ix.apps[in.scopeKey]
				why = "scope references "
				if sf := in.obj.field("scope"); sf != nil {
					at, tr = l.f.rng(sf.val), in.t.trailJSON(sf.val, 0)
				}
			}
		case isLegacyDiag(in.ltyp):
			if o := ix.owner(in); o != nil {
				target = ix.appsByInst[o]
				why = "declared as providers/diagnosticSettings of "
				if in.nameNode != nil {
					at = in.nameNode.Meta.Range
				}
			}
		default:
			continue
		}
		ds := l.diagSetting(in)
		mod.DiagnosticSettings = append(mod.DiagnosticSettings, ds)
		if target != nil {
			ds.Link = model.LinkedBy(at, in.addr, why+resourceName(target.app.Resource, target.app.Name)).WithTrail(tr)
			target.app.DiagnosticSettings = appendMaybe(target.app.DiagnosticSettings, ds, target.app.Address)
		}
	}
}

// isLegacyDiag reports whether t (a type in lower case) is the nested
// diagnostic settings type of a site or slot
// (Microsoft.Web/sites/providers/diagnosticSettings).
func isLegacyDiag(t string) bool {
	return t == "microsoft.web/sites/providers/diagnosticsettings" || t == "microsoft.web/sites/slots/providers/diagnosticsettings"
}

// diagSetting maps a diagnostic setting: the enabled log categories and
// category groups of properties.logs, and whether a destination is set.
func (l *loader) diagSetting(in *inst) *model.DiagnosticSetting {
	r := &reader{l: l, in: in}
	ds := &model.DiagnosticSetting{Resource: in.doc(l).Resource, Name: r.name()}
	props := in.body.Get("properties")
	if props != nil && props.Meta.Origin == model.Unknown {
		ds.LogCategories = model.List[model.String]{Meta: r.meta(props)}
		ds.HasDestination = model.Bool{Meta: r.meta(props)}
		return ds
	}
	logs := getFold(props, "logs")
	switch {
	case logs == nil || logs.Kind == model.KindNull:
		ds.LogCategories = model.List[model.String]{Meta: r.defaultMeta("properties.logs not set; no log category is enabled")}
	case logs.Meta.Origin == model.Unknown:
		ds.LogCategories = model.List[model.String]{Meta: r.meta(logs)}
	case logs.Kind != model.KindList:
		m := r.meta(logs)
		m.Origin, m.Note = model.Unknown, "properties.logs is not a list"
		ds.LogCategories = model.List[model.String]{Meta: m}
	default:
		ds.LogCategories = model.List[model.String]{Meta: r.meta(logs)}
		for _, it := range logs.Items {
			if it.Meta.Origin == model.Unknown {
				ds.LogCategories.Items = append(ds.LogCategories.Items, model.String{Meta: r.meta(it)})
				continue
			}
			enabled := getFold(it, "enabled")
			switch {
			case enabled == nil || enabled.Kind == model.KindNull:
				// ARM requires enabled; absent counts as not enabled.
				continue
			case enabled.Meta.Origin == model.Unknown:
				ds.LogCategories.Items = append(ds.LogCategories.Items, model.String{Meta: r.meta(enabled)})
				continue
			case !truthy(enabled):
				continue
			}
			c := getFold(it, "category")
			if c == nil || c.Kind == model.KindNull {
				c = getFold(it, "categoryGroup")
			}
			if c == nil || c.Kind == model.KindNull {
				continue
			}
			ds.LogCategories.Items = append(ds.LogCategories.Items, r.str(c))
		}
	}
	ds.HasDestination = r.hasDestination(props)
	return ds
}

// hasDestination: any of workspaceId, storageAccountId,
// eventHubAuthorizationRuleId, marketplacePartnerId set. An id read from
// another resource at deployment is set.
func (r *reader) hasDestination(props *model.Node) model.Bool {
	var unknown *model.Bool
	for _, key := range []string{"workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"} {
		n := getFold(props, key)
		if n == nil || n.Kind == model.KindNull && n.Meta.Origin != model.Unknown {
			continue
		}
		if n.Meta.Origin == model.Unknown {
			if src := r.l.sources[n]; src.Kind == model.SourceResource {
				return model.Set(true, n.Meta.Range, r.in.addr)
			}
			if unknown == nil {
				u := model.Bool{Meta: r.meta(n)}
				unknown = &u
			}
			continue
		}
		if n.Kind == model.KindString && strings.TrimSpace(n.Str) == "" {
			continue
		}
		return model.Set(true, n.Meta.Range, r.in.addr)
	}
	if unknown != nil {
		return *unknown
	}
	return model.Value[bool]{Meta: r.defaultMeta("no workspaceId, storageAccountId, eventHubAuthorizationRuleId or marketplacePartnerId")}
}

func truthy(n *model.Node) bool {
	switch n.Kind {
	case model.KindBool:
		return n.Bool
	case model.KindString:
		return strings.EqualFold(strings.TrimSpace(n.Str), "true")
	}
	return false
}

// getFold returns the member of an object node called key, matched
// case-insensitively; nil when n is not a known object.
func getFold(n *model.Node, key string) *model.Node {
	if n == nil || n.Kind != model.KindObject || n.Meta.Origin == model.Unknown {
		return nil
	}
	for _, f := range n.Fields {
		if f.Name == key {
			return f.Node
		}
	}
	for _, f := range n.Fields {
		if fold.MayEqual(f.Name, key) && strings.EqualFold(f.Name, key) {
			return f.Node
		}
	}
	return nil
}

// reader turns nodes of a resource that armsite does not map into model
// values: explicit at the node, defaults at the resource's "type" line.
type reader struct {
	l  *loader
	in *inst
}

func (r *reader) meta(n *model.Node) model.Meta {
	m := n.Meta
	if m.Range.IsZero() {
		m.Range = r.in.header
	}
	if m.Resource == "" {
		m.Resource = r.in.addr
	}
	if m.Origin == model.Unknown && m.Note == "" {
		m.Note = "the value is known only at deployment"
	}
	return m
}

func (r *reader) defaultMeta(note string) model.Meta {
	return model.Meta{Range: r.in.header, Origin: model.Default, Resource: r.in.addr, Note: note}
}

// name is the resource's name.
func (r *reader) name() model.String {
	if n := r.in.nameNode; n != nil {
		return r.str(n)
	}
	return model.Unresolved[string](r.in.header, r.in.addr, "the resource has no name")
}

// str converts a scalar node.
func (r *reader) str(n *model.Node) model.String {
	m := r.meta(n)
	if m.Origin == model.Unknown {
		return model.String{Meta: m}
	}
	switch n.Kind {
	case model.KindString:
		return model.String{V: n.Str, Meta: m}
	case model.KindInt, model.KindBool:
		return model.String{V: scalarText(n), Meta: m}
	}
	m.Origin, m.Note = model.Unknown, "the value is not a string"
	return model.String{Meta: m}
}

func scalarText(n *model.Node) string {
	if n.Kind == model.KindBool {
		if n.Bool {
			return "true"
		}
		return "false"
	}
	return strconv.FormatInt(n.Int, 10)
}

// strList converts a list of strings; absent is an empty list defaulted
// at the resource.
func (r *reader) strList(n *model.Node, what string) model.List[model.String] {
	if n == nil || n.Kind == model.KindNull && n.Meta.Origin != model.Unknown {
		return model.List[model.String]{Meta: r.defaultMeta(what + " not set")}
	}
	m := r.meta(n)
	if m.Origin == model.Unknown {
		return model.List[model.String]{Meta: m}
	}
	if n.Kind != model.KindList {
		m.Origin, m.Note = model.Unknown, what+" is not a list"
		return model.List[model.String]{Meta: m}
	}
	out := model.List[model.String]{Meta: m}
	for _, it := range n.Items {
		out.Items = append(out.Items, r.str(it))
	}
	return out
}

// anchor rewrites the symbolic names (languageVersion 2.0) that unknown
// values of template t refer to (reference('storage'), listKeys('storage',
// …)) into resource paths, so that the values still name their resources
// once passed to another template (module parameters and outputs).
func anchor(t *tmpl, v value, depth int) value {
	if depth > maxJSONDepth {
		return v
	}
	switch x := v.(type) {
	case armexpr.Unknown:
		if x.Ref != "" && isResourceFunction(x.Attribute) {
			if r := t.syms[strings.ToLower(x.Ref)]; r != nil && r.key != "" {
				x.Ref = r.key
			}
		}
		if len(x.Parts) > 0 {
			parts := make([]any, len(x.Parts))
			for i, p := range x.Parts {
				parts[i] = anchor(t, p, depth+1)
			}
			x.Parts = parts
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = anchor(t, e, depth+1)
		}
		return out
	case *armexpr.Object:
		out := armexpr.NewObject(x.Len())
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			out.Set(k, anchor(t, e, depth+1))
		}
		return out
	}
	return v
}
