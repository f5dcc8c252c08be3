package terraform

import (
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/derive"
)

// link resolves the relations between the module's resources. A relation
// is found through the refMark a reference leaves on a value
// (azurerm_linux_function_app.app.id), or, for literal values, by name:
// an ARM id's /providers/Microsoft.Web/sites/<name> segment, a storage
// account name. Unresolved relations stay absent.
func (b *builder) link() {
	b.buildAzapi()
	ix := b.index()
	b.linkParents(ix)
	for _, e := range b.apps {
		if e.arm != nil {
			b.linkAzapiApp(ix, e)
			continue
		}
		b.linkStorage(ix, e)
		b.linkPlan(ix, e)
	}
	b.linkSwifts(ix)
	b.linkEndpoints(ix)
	b.linkDiagnostics(ix)
	b.linkNetworkRules(ix)
	derive.Module(b.mod)
	b.settleAzapi()
}

// linkIndex finds resources by address and by (lower-case) name.
type linkIndex struct {
	apps         map[string]*appEntry   // by address, apps and slots
	appsByName   map[string][]*appEntry // production apps only
	accounts     map[string]*accountEntry
	accountsByNm map[string]*accountEntry
	plans        map[string]*planEntry
	plansByName  map[string]*planEntry
}

func (b *builder) index() *linkIndex {
	ix := &linkIndex{
		apps: map[string]*appEntry{}, appsByName: map[string][]*appEntry{},
		accounts: map[string]*accountEntry{}, accountsByNm: map[string]*accountEntry{},
		plans: map[string]*planEntry{}, plansByName: map[string]*planEntry{},
	}
	for _, e := range b.apps {
		ix.apps[e.app.Address] = e
		if !e.kind.slot && e.app.Name.Origin == model.Explicit {
			n := strings.ToLower(e.app.Name.V)
			ix.appsByName[n] = append(ix.appsByName[n], e)
		}
	}
	for _, e := range b.accounts {
		ix.accounts[e.sa.Address] = e
		if e.sa.Name.Origin == model.Explicit {
			if _, dup := ix.accountsByNm[strings.ToLower(e.sa.Name.V)]; !dup {
				ix.accountsByNm[strings.ToLower(e.sa.Name.V)] = e
			}
		}
	}
	for _, e := range b.plans {
		ix.plans[e.plan.Address] = e
		if e.plan.Name.Origin == model.Explicit {
			if _, dup := ix.plansByName[strings.ToLower(e.plan.Name.V)]; !dup {
				ix.plansByName[strings.ToLower(e.plan.Name.V)] = e
			}
		}
	}
	return ix
}

// pickRef returns the first entry of index a value references, preferring
// a reference to the attribute prefer (id, name).
func pickRef[T any](v cty.Value, index map[string]T, prefer string) (T, bool) {
	var zero T
	if v == cty.NilVal {
		return zero, false
	}
	refs := marksOf(v).refs
	for _, r := range refs {
		if e, ok := index[r.Address]; ok && r.Attribute == prefer {
			return e, true
		}
	}
	for _, r := range refs {
		if e, ok := index[r.Address]; ok {
			return e, true
		}
	}
	return zero, false
}

// knownString returns v as a string when it is known now.
func knownString(v cty.Value) (string, bool) {
	if v == cty.NilVal {
		return "", false
	}
	raw := unmarked(v)
	if !raw.IsKnown() || raw.IsNull() {
		return "", false
	}
	s, err := toString(raw)
	return s, err == nil
}

// armSegment returns the name after /providers/<provider>/<type>/ in an
// ARM id (case-insensitive) and the rest of the path after it.
func armSegment(id, providerType string) (name string, rest []string, ok bool) {
	lower := strings.ToLower(id)
	if len(lower) != len(id) {
		id = lower
	}
	marker := "/providers/" + strings.ToLower(providerType) + "/"
	i := strings.Index(lower, marker)
	if i < 0 {
		return "", nil, false
	}
	parts := strings.Split(id[i+len(marker):], "/")
	if parts[0] == "" {
		return "", nil, false
	}
	return parts[0], parts[1:], true
}

// armSite parses .../providers/Microsoft.Web/sites/<site>[/slots/<slot>].
func armSite(id string) (site, slot string, ok bool) {
	site, rest, ok := armSegment(id, "Microsoft.Web/sites")
	if !ok {
		return "", "", false
	}
	if len(rest) >= 2 && strings.EqualFold(rest[0], "slots") && rest[1] != "" {
		slot = rest[1]
	}
	return site, slot, true
}

// appByValue resolves a value that names a function app (or slot): a
// reference, an ARM id, or (byName) the app's name.
func (ix *linkIndex) appByValue(v cty.Value, b *builder, byName bool) (*appEntry, bool) {
	if e, ok := pickRef(v, ix.apps, "id"); ok {
		return e, true
	}
	s, ok := knownString(v)
	if !ok {
		return nil, false
	}
	if byName {
		return ix.uniqueApp(s)
	}
	site, slot, ok := armSite(s)
	if !ok {
		return nil, false
	}
	parent, ok := ix.uniqueApp(site)
	if !ok || slot == "" {
		return parent, ok
	}
	return b.slotOf(parent, slot)
}

func (ix *linkIndex) uniqueApp(name string) (*appEntry, bool) {
	if es := ix.appsByName[strings.ToLower(name)]; len(es) == 1 {
		return es[0], true
	}
	return nil, false
}

// slotOf finds the slot named slot of a production app.
func (b *builder) slotOf(parent *appEntry, slot string) (*appEntry, bool) {
	for _, e := range b.apps {
		if e.kind.slot && e.app.Parent.Origin == model.Explicit && e.app.Parent.V == parent.app.Address &&
			e.app.SlotName.Origin == model.Explicit && strings.EqualFold(e.app.SlotName.V, slot) {
			return e, true
		}
	}
	return nil, false
}

// accountByValue resolves a value that names a storage account.
func (ix *linkIndex) accountByValue(v cty.Value, byName bool) (*accountEntry, bool) {
	if e, ok := pickRef(v, ix.accounts, "name"); ok {
		return e, true
	}
	s, ok := knownString(v)
	if !ok {
		return nil, false
	}
	if !byName {
		if s, _, ok = armSegment(s, "Microsoft.Storage/storageAccounts"); !ok {
			return nil, false
		}
	}
	e, ok := ix.accountsByNm[strings.ToLower(s)]
	return e, ok
}

// linkParents sets the Parent of every slot from function_app_id (or the
// legacy function_app_name).
func (b *builder) linkParents(ix *linkIndex) {
	for _, e := range b.apps {
		if !e.kind.slot || e.arm != nil {
			continue
		}
		name, byName := "function_app_id", false
		if e.kind.legacy() {
			name, byName = "function_app_name", true
		}
		a := e.inst.body.attr(name)
		if a == nil {
			e.app.Parent = model.Unresolved[string](toRange(e.inst.res.def), e.app.Address, name+" is required but not set")
			continue
		}
		v := b.s.attrValue(a)
		parent, ok := ix.appByValue(v, b, byName)
		if ok && !parent.kind.slot {
			e.app.Parent = model.Set(parent.app.Address, toRange(a.rng), e.app.Address)
			inheritExistence(e.app, parent.app)
			continue
		}
		why := name + " does not name a function app of the scanned module"
		if raw := unmarked(v); !raw.IsWhollyKnown() {
			why = unknownWhy(name, marksOf(v))
		}
		e.app.Parent = model.Unresolved[string](toRange(a.rng), e.app.Address, why)
	}
}

// inheritExistence: a slot of an app that may not exist may not exist
// either.
func inheritExistence(slot, parent *model.FunctionApp) {
	if slot.UnknownExistence == "" && parent.UnknownExistence != "" {
		slot.UnknownExistence = "parent app " + parent.Address + ": " + parent.UnknownExistence
	}
}

// linkStorage links an app to its host storage account, saying where and
// why in StorageLink.
func (b *builder) linkStorage(ix *linkIndex, e *appEntry) {
	body := e.inst.body
	link := func(acc *accountEntry, at hcl.Range, why string) {
		e.app.StorageAccount = acc.sa
		e.app.StorageLink = model.LinkedBy(toRange(at), e.app.Address, why)
	}
	for _, name := range []string{"storage_account_name", "function_app_storage_account_name", "storage_container_endpoint"} {
		a := body.attr(name)
		if a == nil {
			continue
		}
		v := b.s.attrValue(a)
		if acc, ok := ix.accountByValue(v, true); ok {
			link(acc, a.rng, linkReason(name, v, acc.sa.Resource, acc.sa.Name))
			return
		}
	}
	if n := e.app.StorageAccountName; n.Origin == model.Explicit && n.V != "" {
		if acc, ok := ix.accountsByNm[strings.ToLower(n.V)]; ok {
			e.app.StorageAccount = acc.sa
			e.app.StorageLink = model.LinkedBy(n.Range, e.app.Address, "the storage account name "+quoteName(n.V)+" is the name of "+acc.sa.Address)
			return
		}
	}
	// Apps may name their storage only in app settings.
	if a := body.attr("app_settings"); a != nil {
		settings, _ := b.s.attrValue(a).Unmark()
		if !settings.IsKnown() || settings.IsNull() || (!settings.Type().IsMapType() && !settings.Type().IsObjectType()) {
			return
		}
		for _, key := range []string{"AzureWebJobsStorage__accountName", "AzureWebJobsStorage"} {
			v, ok := element(settings, key)
			if !ok {
				continue
			}
			what := "app setting " + key
			if acc, ok := ix.accountByValue(v, false); ok {
				link(acc, a.rng, linkReason(what, v, acc.sa.Resource, acc.sa.Name))
				return
			}
			s, ok := knownString(v)
			if !ok {
				continue
			}
			if key == "AzureWebJobsStorage" {
				s, what = connectionStringField(s, "AccountName"), what+" AccountName="
			}
			if acc, ok := ix.accountsByNm[strings.ToLower(s)]; ok && s != "" {
				link(acc, a.rng, what+" names "+acc.sa.Address)
				return
			}
		}
	}
}

// linkReason says why the value of what links to the resource r (whose
// name is name): it references r, or it names r (an ARM id or a name
// written out).
func linkReason(what string, v cty.Value, r model.Resource, name model.String) string {
	for _, ref := range marksOf(v).refs {
		if ref.Address == r.Address {
			return what + " references " + r.Address
		}
	}
	if name.Known() && name.V != "" {
		return what + " names " + r.Address + " (" + quoteName(name.V) + ")"
	}
	return what + " names " + r.Address
}

// quoteName quotes a resource name for a reason.
func quoteName(s string) string { return strconv.Quote(s) }

// element returns m[key] of a known map or object.
func element(m cty.Value, key string) (cty.Value, bool) {
	switch {
	case m.Type().IsObjectType():
		if m.Type().HasAttribute(key) {
			return m.GetAttr(key), true
		}
	case m.Type().IsMapType():
		k := cty.StringVal(key)
		if m.HasIndex(k).True() {
			return m.Index(k), true
		}
	}
	return cty.NilVal, false
}

// connectionStringField returns a field of a storage connection string.
func connectionStringField(cs, field string) string {
	for _, part := range strings.Split(cs, ";") {
		k, v, ok := strings.Cut(part, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), field) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// linkPlan links an app to its hosting plan; a slot without its own plan
// runs on its parent's.
func (b *builder) linkPlan(ix *linkIndex, e *appEntry) {
	name := "service_plan_id"
	if e.kind.legacy() {
		name = "app_service_plan_id"
	}
	a := e.inst.body.attr(name)
	if a == nil {
		if e.kind.slot && e.app.Parent.Origin == model.Explicit {
			if parent := ix.apps[e.app.Parent.V]; parent != nil {
				b.linkPlan(ix, parent)
				inheritPlan(e.app, parent.app, name)
			}
		}
		return
	}
	v := b.s.attrValue(a)
	p, ok := pickRef(v, ix.plans, "id")
	if !ok {
		if s, known := knownString(v); known {
			if n, _, isFarm := armSegment(s, "Microsoft.Web/serverfarms"); isFarm {
				p = ix.plansByName[strings.ToLower(n)]
				ok = p != nil
			}
		}
	}
	if ok {
		e.app.Plan = p.plan
		e.app.PlanLink = model.LinkedBy(toRange(a.rng), e.app.Address, linkReason(name, v, p.plan.Resource, p.plan.Name))
	}
}

// inheritPlan: a slot without its own plan runs on its app's.
func inheritPlan(slot, parent *model.FunctionApp, attr string) {
	if parent.Plan == nil {
		return
	}
	why := "no " + attr + ": the slot runs on the plan of its app " + parent.Address
	if parent.PlanLink.Note != "" {
		why += " (" + parent.PlanLink.Note + ")"
	}
	slot.Plan = parent.Plan
	slot.PlanLink = model.LinkedBy(slot.Parent.Range, slot.Address, why)
}

// linkSwifts applies swift connections (regional VNet integration done by
// a separate resource) to the apps and slots they target.
func (b *builder) linkSwifts(ix *linkIndex) {
	// Connections that surely exist first: one that may not exist changes
	// nothing an existing one decided.
	swifts := append([]*instance(nil), b.swifts...)
	sort.SliceStable(swifts, func(i, j int) bool { return swifts[i].maybe == "" && swifts[j].maybe != "" })
	for _, inst := range swifts {
		a := inst.body.attr("app_service_id")
		if a == nil {
			continue
		}
		target, ok := ix.appByValue(b.s.attrValue(a), b, false)
		if !ok {
			continue
		}
		if inst.res.typ == slotSwiftConnection {
			slot := inst.body.attr("slot_name")
			if slot == nil {
				continue
			}
			name, ok := knownString(b.s.attrValue(slot))
			if !ok {
				continue
			}
			if target, ok = b.slotOf(target, name); !ok {
				continue
			}
		}
		app := target.app
		at := toRange(inst.res.def)
		if inst.maybe != "" {
			// The connection may or may not exist: unless the app is
			// integrated anyway, whether it is is unknown.
			why := inst.addr + " may or may not exist: " + inst.maybe
			if !app.VNetIntegrated.Known() || !app.VNetIntegrated.V {
				app.VNetIntegrated = model.Unresolved[bool](at, app.Address, why)
			}
			if app.VNetSubnetID.Origin == model.Default {
				app.VNetSubnetID = model.Unresolved[string](at, app.Address, why)
			}
			continue
		}
		f := &fields{s: b.s, addr: app.Address, at: at}
		app.VNetIntegrated = model.Set(true, at, app.Address)
		if app.VNetSubnetID.Origin == model.Default {
			app.VNetSubnetID = f.str(inst.body, "", "subnet_id", "", "")
		}
	}
}

// linkEndpoints appends each private endpoint to the app, slot or storage
// account its connection targets.
func (b *builder) linkEndpoints(ix *linkIndex) {
	const what = "private_connection_resource_id"
	for _, pe := range b.endpoints {
		if app, ok := ix.appByValue(pe.target, b, false); ok {
			why := linkReason(what, pe.target, app.app.Resource, app.app.Name)
			if slot, ok := b.endpointSlot(app, pe.link.SubresourceNames); ok {
				why += " and subresource_names names its slot " + slot.app.Address
				app = slot
			}
			pe.link.Link = model.LinkedBy(toRange(pe.at), pe.link.Address, why)
			app.app.PrivateEndpoints = model.AppendLinked(app.app.PrivateEndpoints, pe.link, app.app.Address)
			continue
		}
		if acc, ok := ix.accountByValue(pe.target, false); ok {
			pe.link.Link = model.LinkedBy(toRange(pe.at), pe.link.Address, linkReason(what, pe.target, acc.sa.Resource, acc.sa.Name))
			acc.sa.PrivateEndpoints = model.AppendLinked(acc.sa.PrivateEndpoints, pe.link, acc.sa.Address)
			continue
		}
		b.unknownEndpoint(pe)
	}
}

// unknownEndpoint handles a private endpoint whose target is neither an
// app nor a storage account of the module. When the target is not known
// (an unset variable, an unevaluated function; not a literal id and not a
// reference to another resource or a data source, which name something
// else) and its subresource names allow a site (sites, sites-<slot>, or
// unknown), it may be the endpoint of any app of the module: their
// private-endpoint lists become unknown.
func (b *builder) unknownEndpoint(pe *endpointEntry) {
	if _, ok := knownString(pe.target); ok || pe.target == cty.NilVal || pe.target.IsNull() {
		return
	}
	ms := marksOf(pe.target)
	for _, r := range ms.refs {
		if !strings.HasPrefix(r.Address, "var.") && !strings.HasPrefix(r.Address, "local.") {
			return // another resource or a data source: not an app of this module
		}
	}
	groups := pe.link.SubresourceNames
	site, slots := groups.Origin == model.Unknown, map[string]bool{}
	for i := range groups.Items {
		g := &groups.Items[i]
		v := strings.ToLower(strings.TrimSpace(g.V))
		switch {
		case !g.Known():
			site = true
		case v == "sites":
			site = true
		case strings.HasPrefix(v, "sites-"):
			slots[strings.TrimPrefix(v, "sites-")] = true
		}
	}
	why := pe.link.Address + " may target this app: " + unknownWhy("private_connection_resource_id", ms)
	for _, e := range b.apps {
		l := &e.app.PrivateEndpoints
		applies := site && !e.kind.slot
		if e.kind.slot && e.app.SlotName.Known() {
			applies = slots[strings.ToLower(e.app.SlotName.V)] || groups.Origin == model.Unknown
		}
		if !applies || l.Origin == model.Unknown {
			continue
		}
		l.Meta = model.Meta{Range: toRange(pe.at), Origin: model.Unknown, Resource: e.app.Address, Note: why}
	}
}

// endpointSlot returns the slot of app a private endpoint targets through
// the subresource sites-<slot> (the endpoint names the production app's
// id; the group id picks the slot's endpoint).
func (b *builder) endpointSlot(app *appEntry, groups model.List[model.String]) (*appEntry, bool) {
	if app.kind.slot {
		return nil, false
	}
	for i := range groups.Items {
		g := &groups.Items[i]
		if !g.Known() {
			continue
		}
		if slot, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(g.V)), "sites-"); ok && slot != "" {
			if e, ok := b.slotOf(app, slot); ok {
				return e, true
			}
		}
	}
	return nil, false
}

// linkDiagnostics appends each diagnostic setting to the app it targets.
func (b *builder) linkDiagnostics(ix *linkIndex) {
	for _, d := range b.diagSettings {
		if app, ok := ix.appByValue(d.target, b, false); ok {
			d.ds.Link = model.LinkedBy(toRange(d.at), d.ds.Address, linkReason(d.attr, d.target, app.app.Resource, app.app.Name))
			app.app.DiagnosticSettings = model.AppendLinked(app.app.DiagnosticSettings, d.ds, app.app.Address)
		}
	}
}

// linkNetworkRules applies azurerm_storage_account_network_rules resources
// to their storage account.
func (b *builder) linkNetworkRules(ix *linkIndex) {
	for _, inst := range b.netRules {
		var (
			acc *accountEntry
			ok  bool
		)
		if a := inst.body.attr("storage_account_id"); a != nil {
			acc, ok = ix.accountByValue(b.s.attrValue(a), false)
		} else if a := inst.body.attr("storage_account_name"); a != nil {
			acc, ok = ix.accountByValue(b.s.attrValue(a), true)
		}
		if !ok {
			continue
		}
		f := &fields{s: b.s, addr: acc.sa.Address, at: toRange(inst.res.def)}
		acc.sa.NetworkDefaultAction = required(f, inst.body, "", "default_action", toString)
	}
}
