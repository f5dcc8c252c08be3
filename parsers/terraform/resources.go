package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/derive"
)

// builder maps evaluated resources to the model and keeps what link needs
// to relate them.
type builder struct {
	s   *scope
	mod *model.Module

	apps         []*appEntry
	accounts     []*accountEntry
	plans        []*planEntry
	endpoints    []*endpointEntry
	diagSettings []*diagEntry
	swifts       []*instance
	netRules     []*instance
	azapi        azapiState // azapi resources, mapped in link (azapi.go)
}

type appEntry struct {
	app  *model.FunctionApp
	inst *instance
	kind appKind
	arm  *azapiApp // set for function apps mapped from azapi (azapi.go)
}

type accountEntry struct {
	sa   *model.StorageAccount
	inst *instance
}

type planEntry struct {
	plan *model.Plan
	inst *instance
}

type endpointEntry struct {
	link   *model.EndpointLink
	inst   *instance
	target cty.Value // private_connection_resource_id
	at     hcl.Range // where target is written, else the resource header
}

type diagEntry struct {
	ds     *model.DiagnosticSetting
	inst   *instance
	target cty.Value // target_resource_id (azapi: parent_id)
	attr   string    // the attribute target comes from
	at     hcl.Range // where target is written, else the resource header
}

// Swift connection resource types (regional VNet integration).
const (
	swiftConnection     = "azurerm_app_service_virtual_network_swift_connection"
	slotSwiftConnection = "azurerm_app_service_slot_virtual_network_swift_connection"
)

func newBuilder(s *scope, mod *model.Module) *builder { return &builder{s: s, mod: mod} }

// build maps every managed resource instance of the root module and of
// the modules it calls: each module's resources in file order, then its
// module calls in file order, each instance in key order.
func (b *builder) build() { b.buildScope(b.s) }

func (b *builder) buildScope(s *scope) {
	if s != b.s {
		s.evalLocals() // the root's are evaluated before building
	}
	for _, r := range s.cfg.resources {
		if s.cancelled() {
			return
		}
		build := instanceBuilder(r.typ)
		if r.mode != managed || build == nil {
			continue
		}
		for _, inst := range s.instances(r) {
			build(b, inst)
		}
	}
	for _, c := range s.cfg.calls {
		for _, mi := range s.moduleInstances(c) {
			if mi.child != nil {
				b.buildScope(mi.child)
			}
		}
	}
}

// buildInstance adds what the model holds of one resource instance.
func (b *builder) buildInstance(inst *instance) {
	if build := instanceBuilder(inst.res.typ); build != nil {
		build(b, inst)
	}
}

// instanceBuilder is what the model makes of an instance of a resource of
// type typ, or nil when it holds nothing of that type: buildScope then
// leaves such resources to the expressions that refer to them.
func instanceBuilder(typ string) func(b *builder, inst *instance) {
	if k, ok := appKindOf(typ); ok {
		return func(b *builder, inst *instance) {
			app := b.functionApp(inst, k)
			derive.App(app)
			kvIdentityByReference(b.s, inst, app)
			b.apps = append(b.apps, &appEntry{app: app, inst: inst, kind: k})
			b.mod.FunctionApps = append(b.mod.FunctionApps, app)
		}
	}
	switch typ {
	case "azurerm_storage_account":
		return func(b *builder, inst *instance) {
			sa := b.storageAccount(inst)
			b.accounts = append(b.accounts, &accountEntry{sa: sa, inst: inst})
			b.mod.StorageAccounts = append(b.mod.StorageAccounts, sa)
		}
	case "azurerm_service_plan", "azurerm_app_service_plan":
		return func(b *builder, inst *instance) {
			p := b.plan(inst)
			b.plans = append(b.plans, &planEntry{plan: p, inst: inst})
			b.mod.Plans = append(b.mod.Plans, p)
		}
	case "azurerm_security_center_subscription_pricing":
		return func(b *builder, inst *instance) {
			if p := b.defenderPricing(inst); p != nil {
				b.mod.DefenderPricings = append(b.mod.DefenderPricings, p)
			}
		}
	case "azurerm_private_endpoint":
		return func(b *builder, inst *instance) {
			e := b.privateEndpoint(inst)
			b.endpoints = append(b.endpoints, e)
			b.mod.PrivateEndpoints = append(b.mod.PrivateEndpoints, e.link)
		}
	case "azurerm_monitor_diagnostic_setting":
		return func(b *builder, inst *instance) {
			d := b.diagnosticSetting(inst)
			b.diagSettings = append(b.diagSettings, d)
			b.mod.DiagnosticSettings = append(b.mod.DiagnosticSettings, d.ds)
		}
	case swiftConnection, slotSwiftConnection:
		return func(b *builder, inst *instance) { b.swifts = append(b.swifts, inst) }
	case "azurerm_storage_account_network_rules":
		return func(b *builder, inst *instance) { b.netRules = append(b.netRules, inst) }
	case azapiResource, azapiUpdateResource:
		return func(b *builder, inst *instance) { b.azapi.insts = append(b.azapi.insts, inst) }
	}
	return nil
}

// header is the identity of a resource instance: its address, and in a
// called module the module's address and the calls that led there. The
// instance knows its scope; s is used only for instances without one.
func header(s *scope, inst *instance) model.Resource {
	if inst.s != nil {
		s = inst.s
	}
	return model.Resource{Address: inst.addr, Type: inst.res.typ, Range: toRange(inst.res.whole), Module: s.module, Calls: s.calls,
		UnknownExistence: inst.maybe}
}

func (b *builder) storageAccount(inst *instance) *model.StorageAccount {
	f := newFields(b.s, inst)
	body := inst.body
	sa := &model.StorageAccount{Resource: header(b.s, inst)}
	sa.Name = required(f, body, "", "name", toString)
	sa.PublicNetworkAccess = f.boolean(body, "", "public_network_access_enabled", true, "")
	if nr := body.sub("network_rules"); nr != nil {
		sa.NetworkDefaultAction = required(f, nr, "network_rules", "default_action", toString)
	} else {
		sa.NetworkDefaultAction = model.Defaulted("Allow", f.at, f.addr, "no network_rules block; all networks are allowed")
	}
	sa.SharedKeyAccess = f.boolean(body, "", "shared_access_key_enabled", true, "")
	sa.MinTLSVersion = f.str(body, "", "min_tls_version", "TLS1_2", "")
	if body.attr("https_traffic_only_enabled") != nil {
		sa.HTTPSTrafficOnly = f.boolean(body, "", "https_traffic_only_enabled", true, "")
	} else {
		sa.HTTPSTrafficOnly = f.boolean(body, "", "enable_https_traffic_only", true, "https_traffic_only_enabled not set; azurerm default true")
	}
	if body.attr("allow_nested_items_to_be_public") == nil && body.attr("allow_blob_public_access") != nil {
		sa.AllowBlobPublicAccess = f.boolean(body, "", "allow_blob_public_access", true, "")
	} else {
		sa.AllowBlobPublicAccess = f.boolean(body, "", "allow_nested_items_to_be_public", true,
			"allow_nested_items_to_be_public not set; azurerm 3.x/4.x default true (5.0 defaults to false)")
	}
	sa.ReplicationType = required(f, body, "", "account_replication_type", toString)
	sa.PrivateEndpoints = model.List[*model.EndpointLink]{Meta: f.defaultMeta("no azurerm_private_endpoint in the module targets this storage account")}
	return sa
}

func (b *builder) plan(inst *instance) *model.Plan {
	f := newFields(b.s, inst)
	body := inst.body
	p := &model.Plan{Resource: header(b.s, inst)}
	p.Name = required(f, body, "", "name", toString)
	if inst.res.typ == "azurerm_service_plan" {
		p.SKU = required(f, body, "", "sku_name", toString)
		p.OS = required(f, body, "", "os_type", toString)
		p.ZoneRedundant = f.boolean(body, "", "zone_balancing_enabled", false, "")
		return p
	}
	// Legacy azurerm_app_service_plan: sku { tier, size }, kind, reserved.
	p.SKU = required(f, body.sub("sku"), "sku", "size", toString)
	kind := f.str(body, "", "kind", "Windows", "")
	reserved := f.boolean(body, "", "reserved", false, "")
	switch {
	case kind.Origin == model.Unknown:
		p.OS = kind
	case strings.EqualFold(kind.V, "linux"):
		p.OS = model.String{V: "Linux", Meta: kind.Meta}
	case reserved.Origin == model.Unknown:
		p.OS = model.Unresolved[string](reserved.Range, f.addr, reserved.Note)
	case reserved.V:
		p.OS = model.String{V: "Linux", Meta: reserved.Meta}
	default:
		p.OS = model.String{V: "Windows", Meta: kind.Meta}
	}
	p.ZoneRedundant = f.boolean(body, "", "zone_redundant", false, "")
	return p
}

// defenderPricing maps azurerm_security_center_subscription_pricing when
// it is the AppServices plan (resource_type, default VirtualMachines); nil
// otherwise. A resource_type not known may be AppServices: the tier is
// unknown then.
func (b *builder) defenderPricing(inst *instance) *model.DefenderPricing {
	f := newFields(b.s, inst)
	body := inst.body
	p := &model.DefenderPricing{Resource: header(b.s, inst)}
	rt := f.str(body, "", "resource_type", "VirtualMachines", "")
	switch {
	case rt.Origin == model.Unknown:
		p.Tier = model.Unresolved[string](rt.Range, f.addr, "resource_type is not known: it may or may not be AppServices")
	case !strings.EqualFold(strings.TrimSpace(rt.V), "AppServices"):
		return nil
	default:
		p.Tier = required(f, body, "", "tier", toString)
	}
	return p
}

func (b *builder) privateEndpoint(inst *instance) *endpointEntry {
	f := newFields(b.s, inst)
	body := inst.body
	link := &model.EndpointLink{Resource: header(b.s, inst)}
	link.Name = required(f, body, "", "name", toString)
	e := &endpointEntry{link: link, inst: inst, target: cty.NullVal(cty.String), at: inst.res.def}
	psc := body.sub("private_service_connection")
	if psc == nil {
		link.SubresourceNames = model.List[model.String]{Meta: f.defaultMeta("no private_service_connection block")}
		return e
	}
	link.SubresourceNames = f.strList(psc, "private_service_connection", "subresource_names", "")
	if a := psc.attr("private_connection_resource_id"); a != nil {
		e.target, e.at = b.s.attrValue(a), a.rng
	}
	return e
}

func (b *builder) diagnosticSetting(inst *instance) *diagEntry {
	f := newFields(b.s, inst)
	body := inst.body
	ds := &model.DiagnosticSetting{Resource: header(b.s, inst)}
	ds.Name = required(f, body, "", "name", toString)
	ds.LogCategories = logCategories(f, body)
	ds.HasDestination = hasDestination(f, body)
	d := &diagEntry{ds: ds, inst: inst, target: cty.NullVal(cty.String), attr: "target_resource_id", at: inst.res.def}
	if a := body.attr("target_resource_id"); a != nil {
		d.target, d.at = b.s.attrValue(a), a.rng
	}
	return d
}

// logCategories lists the enabled categories and category groups of
// enabled_log blocks and legacy log blocks (enabled defaults to true).
func logCategories(f *fields, body *evalBody) model.List[model.String] {
	for _, name := range []string{"enabled_log", "log"} {
		if body.isDynamic(name) {
			return model.List[model.String]{Meta: f.unknownMeta(body.dynamic[name][0], name+" is generated by a dynamic block whose for_each is not known before apply")}
		}
	}
	out := model.List[model.String]{Meta: f.defaultMeta("no enabled_log block")}
	seen := false
	for _, name := range []string{"enabled_log", "log"} {
		for i, blk := range body.blocks[name] {
			if !seen {
				out.Meta, seen = f.meta(blk.def), true
			}
			p := fmt.Sprintf("%s[%d]", name, i)
			if name == "log" {
				enabled := f.boolean(blk, p, "enabled", true, "")
				if enabled.Origin == model.Unknown {
					out.Items = append(out.Items, model.Unresolved[string](enabled.Range, f.addr, enabled.Note))
					continue
				}
				if !enabled.V {
					continue
				}
			}
			attr := "category"
			if blk.attr("category") == nil && blk.attr("category_group") != nil {
				attr = "category_group"
			}
			out.Items = append(out.Items, required(f, blk, p, attr, toString))
		}
	}
	return out
}

// hasDestination tells whether logs go anywhere. A reference to a
// workspace's id is unknown until apply but certainly set.
func hasDestination(f *fields, body *evalBody) model.Bool {
	var unknown *model.Bool
	for _, name := range []string{"log_analytics_workspace_id", "storage_account_id", "eventhub_authorization_rule_id", "partner_solution_id"} {
		a := body.attr(name)
		if a == nil {
			continue
		}
		v := f.s.attrValue(a)
		raw := unmarked(v)
		switch {
		case raw.IsKnown() && !raw.IsNull():
			return model.Set(true, toRange(a.rng), f.addr)
		case raw.IsKnown():
			continue // null: not set
		case hasComputedRef(marksOf(v)) || raw.Range().DefinitelyNotNull():
			return model.Set(true, toRange(a.rng), f.addr)
		case unknown == nil:
			u := model.Unresolved[bool](toRange(a.rng), f.addr, unknownWhy(name, marksOf(v)))
			unknown = &u
		}
	}
	if unknown != nil {
		return *unknown
	}
	return model.Defaulted(false, f.at, f.addr, "no log_analytics_workspace_id, storage_account_id, eventhub_authorization_rule_id or partner_solution_id")
}
