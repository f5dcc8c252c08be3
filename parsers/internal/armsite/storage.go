package armsite

import (
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// StorageAccount maps a Microsoft.Storage/storageAccounts document. The
// defaults follow the storage REST specification of the document's own
// api-version:
//
//   - publicNetworkAccess absent ⇒ Enabled (networkAcls then decide);
//     SecuredByPerimeter counts as not public.
//   - networkAcls.defaultAction absent ⇒ Allow.
//   - allowSharedKeyAccess absent or null ⇒ true ("The default value is
//     null, which is equivalent to true").
//   - minimumTlsVersion absent ⇒ TLS1_0 in every api-version ("The
//     default interpretation is TLS 1.0 for this property").
//   - supportsHttpsTrafficOnly absent ⇒ true from 2019-04-01, false
//     before ("The default value is true since API version 2019-04-01").
//   - allowBlobPublicAccess absent ⇒ false from 2023-01-01, true before
//     ("The default interpretation is false/true for this property").
//   - sku.name Standard_GRS ⇒ replication type GRS (the part after the
//     tier, as azurerm's account_replication_type).
func StorageAccount(d Doc) *model.StorageAccount {
	r := &reader{addr: d.Resource.Address, at: d.at()}
	ls := layers{{doc: &d, role: roleSite}}
	p := func(path string) hit { return ls.find(src{roleSite, "properties." + path}) }
	sa := &model.StorageAccount{Resource: d.header()}
	sa.Name = docName(r, &d)

	h := p("publicNetworkAccess")
	sa.PublicNetworkAccess = value(r, h, true, "properties.publicNetworkAccess not set; ARM default Enabled (networkAcls decide)", enabledDisabled)
	h = p("networkAcls.defaultAction")
	sa.NetworkDefaultAction = r.str(h, "Allow", "properties.networkAcls.defaultAction not set; ARM default Allow (all networks)")
	h = p("allowSharedKeyAccess")
	sa.SharedKeyAccess = r.boolean(h, true, "properties.allowSharedKeyAccess not set; ARM default null, which is equivalent to true")
	h = p("minimumTlsVersion")
	sa.MinTLSVersion = r.str(h, "TLS1_0", "properties.minimumTlsVersion not set; ARM default TLS1_0")

	api := d.APIVersion
	if api == "" {
		api = "the newest api-version"
	}
	h = p("supportsHttpsTrafficOnly")
	httpsDefault := apiAtLeast(d.APIVersion, "2019-04-01")
	sa.HTTPSTrafficOnly = r.boolean(h, httpsDefault, "properties.supportsHttpsTrafficOnly not set; ARM default "+boolWord(httpsDefault)+" for "+api+" (true since 2019-04-01)")
	h = p("allowBlobPublicAccess")
	blobDefault := !apiAtLeast(d.APIVersion, "2023-01-01")
	sa.AllowBlobPublicAccess = r.boolean(h, blobDefault, "properties.allowBlobPublicAccess not set; ARM default "+boolWord(blobDefault)+" for "+api+" (false since 2023-01-01)")

	sku := ls.find(src{roleSite, "sku.name"})
	if !sku.found() {
		sa.ReplicationType = model.Unresolved[string](r.at, r.addr, "sku.name is required but not set")
	} else {
		sa.ReplicationType = r.str(sku, "", "")
		if sa.ReplicationType.Known() {
			if _, repl, ok := strings.Cut(sa.ReplicationType.V, "_"); ok {
				sa.ReplicationType.V = repl
			}
		}
	}
	sa.PrivateEndpoints = model.List[*model.EndpointLink]{Meta: r.defaultMeta("no private endpoint in the scanned files targets this storage account")}
	return sa
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// docName is the name node of a document, else its ARM name.
func docName(r *reader, d *Doc) model.String {
	if n := lookup(d.Body, "name"); present(n) {
		return r.str(hit{n: n, doc: d, path: "name"}, "", "")
	}
	if d.Name != "" {
		return model.Set(d.Name, r.at, r.addr)
	}
	return model.Unresolved[string](r.at, r.addr, "the resource name is not known")
}

// Plan maps a Microsoft.Web/serverfarms document: the SKU from sku.name
// (Y1, FC1, EP1, P1v3, …), Linux when properties.reserved is true or the
// kind lists linux, zone redundancy from properties.zoneRedundant
// (default false).
func Plan(d Doc) *model.Plan {
	r := &reader{addr: d.Resource.Address, at: d.at()}
	ls := layers{{doc: &d, role: roleSite}}
	p := &model.Plan{Resource: d.header()}
	p.Name = docName(r, &d)
	sku := ls.find(src{roleSite, "sku.name"})
	if sku.found() {
		p.SKU = r.str(sku, "", "")
	} else {
		p.SKU = model.Unresolved[string](r.at, r.addr, "sku.name not set")
	}
	reserved := r.boolean(ls.find(src{roleSite, "properties.reserved"}), false, "properties.reserved not set; ARM default false (Windows)")
	kind := ls.find(src{roleSite, "kind"})
	switch {
	case kind.found() && !unknown(kind.n) && kind.n.Kind == model.KindString && kindHas(kind.n.Str, "linux"):
		p.OS = model.Set("Linux", r.meta(kind).Range, r.addr)
	case !reserved.Known():
		p.OS = model.String{Meta: reserved.Meta}
	case reserved.V:
		p.OS = model.String{V: "Linux", Meta: reserved.Meta}
	default:
		p.OS = model.String{V: "Windows", Meta: reserved.Meta}
	}
	p.ZoneRedundant = r.boolean(ls.find(src{roleSite, "properties.zoneRedundant"}), false, "properties.zoneRedundant not set; ARM default false")
	return p
}

// DefenderPricing maps a Microsoft.Security/pricings document: the
// AppServices plan of Microsoft Defender for Cloud, its tier from
// properties.pricingTier (Required: Free or Standard). A pricing of
// another plan gives nil; one whose name is not known may be the
// AppServices plan, so its tier is unknown.
func DefenderPricing(d Doc) *model.DefenderPricing {
	r := &reader{addr: d.Resource.Address, at: d.at()}
	ls := layers{{doc: &d, role: roleSite}}
	p := &model.DefenderPricing{Resource: d.header()}
	name := docName(r, &d)
	if !name.Known() {
		p.Tier = model.Unresolved[string](name.Range, r.addr, "the pricing's name is not known: it may or may not be the AppServices plan")
		return p
	}
	if i := strings.LastIndex(name.V, "/"); i >= 0 {
		name.V = name.V[i+1:]
	}
	if !strings.EqualFold(strings.TrimSpace(name.V), "AppServices") {
		return nil
	}
	if tier := ls.find(src{roleSite, "properties.pricingTier"}); tier.found() {
		p.Tier = r.str(tier, "", "")
	} else {
		p.Tier = model.Unresolved[string](r.at, r.addr, "properties.pricingTier not set (it is required)")
	}
	return p
}
