package armsite

import (
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// ARM resource types this package reads.
const (
	TypeSite           = "Microsoft.Web/sites"
	TypeSlot           = "Microsoft.Web/sites/slots"
	TypeStorageAccount = "Microsoft.Storage/storageAccounts"
	TypeServerFarm     = "Microsoft.Web/serverfarms"
	// TypeDefenderPricing is a Microsoft Defender for Cloud plan's pricing.
	TypeDefenderPricing = "Microsoft.Security/pricings"
)

// Doc is one ARM resource as a parser found it.
type Doc struct {
	// Type is the ARM resource type without api-version:
	// Microsoft.Web/sites, Microsoft.Web/sites/slots,
	// Microsoft.Web/sites/config, Microsoft.Web/sites/slots/config,
	// Microsoft.Web/sites/basicPublishingCredentialsPolicies,
	// Microsoft.Web/sites/networkConfig, Microsoft.Storage/storageAccounts,
	// Microsoft.Web/serverfarms. Compared case-insensitively.
	Type string
	// APIVersion is the resource's api-version (2024-04-01); some defaults
	// depend on it.
	APIVersion string
	// Name is the full ARM name when known: "app", "app/staging",
	// "app/web", "app/staging/web", "app/ftp". For children only the last
	// segment matters; "" when the parser could not resolve it.
	Name string
	// Resource is the identity the model value carries: the parser's
	// address for findings (Terraform address, ARM symbolic name or
	// resource id, Pulumi URN), the source type (azapi_resource,
	// Microsoft.Web/sites, azure-native:web:WebApp; Type when empty), the
	// range of the whole resource, the module and module calls.
	Resource model.Resource
	// Header is where defaults are blamed, typically the first line of the
	// resource (a Terraform block header); zero means Resource.Range.
	Header model.Range
	// Body is the ARM resource object: name, kind, identity, sku,
	// properties, … A nil Body is an empty resource.
	Body *model.Node
	// Sources annotates nodes of Body whose origin the node cannot tell
	// (see the package documentation). It may be nil and may be shared by
	// all documents of a parse.
	Sources map[*model.Node]Source
}

// Source says where a value comes from, for nodes whose Meta cannot: see
// the package documentation.
type Source struct {
	// Kind is one of the model.Source* constants.
	Kind model.ValueSource
	// Attribute names the attribute of another resource a
	// model.SourceResource value is read from (primary_access_key,
	// listKeys), when the parser knows it.
	Attribute string
}

// Links holds the nodes of a site whose values name other resources. A
// parser resolves them (by reference, resource id or name) to link the
// plan, the host storage account and the integration subnet. A nil field
// means the site does not name such a resource.
type Links struct {
	// ServerFarm is properties.serverFarmId.
	ServerFarm *model.Node
	// Storage is the value that names the host storage account:
	// the AzureWebJobsStorage__accountName, __blobServiceUri,
	// __queueServiceUri or __tableServiceUri app setting, else the
	// AzureWebJobsStorage connection string, else (Flex Consumption)
	// properties.functionAppConfig.deployment.storage.value.
	Storage *model.Node
	// StorageSetting is the name of the app setting Storage came from
	// ("" for the Flex deployment storage): a connection string needs its
	// AccountName= part, a service URI its host.
	StorageSetting string
	// Subnet is properties.virtualNetworkSubnetId or the networkConfig
	// child's properties.subnetResourceId.
	Subnet *model.Node
}

// IsFunctionApp reports whether d is a site or slot whose kind lists
// functionapp (a comma-separated list, case-insensitive): "functionapp",
// "functionapp,linux", "functionapp,linux,container,azurecontainerapps".
// Web apps ("app", "app,linux") are not; neither is a site whose kind is
// absent or unknown (a slot without kind may inherit its parent's; the
// caller decides with [KindOf]).
func IsFunctionApp(d Doc) bool {
	if !isType(d.Type, TypeSite) && !isType(d.Type, TypeSlot) {
		return false
	}
	kind, ok := KindOf(d)
	return ok && kindHas(kind, "functionapp")
}

// KindOf returns the kind of a resource when it is a known string; ok is
// false when the kind is absent, null or unknown.
func KindOf(d Doc) (kind string, ok bool) {
	n := lookup(d.Body, "kind")
	if n == nil || unknown(n) || n.Kind != model.KindString {
		return "", false
	}
	return n.Str, true
}

// KindUnknown reports whether the kind of d is written but unknown before
// deployment (a variable without value): the resource might be a
// function app.
func KindUnknown(d Doc) bool { return unknown(lookup(d.Body, "kind")) }

// kindHas reports whether a comma-separated kind lists token.
func kindHas(kind, token string) bool {
	for _, k := range strings.Split(kind, ",") {
		if strings.EqualFold(strings.TrimSpace(k), token) {
			return true
		}
	}
	return false
}

// isType compares ARM resource types case-insensitively.
func isType(typ, want string) bool { return strings.EqualFold(strings.TrimSpace(typ), want) }

// SplitType splits an azapi-style type "Microsoft.Web/sites@2024-04-01"
// into the resource type and api-version.
func SplitType(s string) (typ, apiVersion string) {
	typ, apiVersion, _ = strings.Cut(strings.TrimSpace(s), "@")
	return typ, apiVersion
}

// lastSegment returns the part of an ARM name after the last slash.
func lastSegment(name string) string {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		return name[i+1:]
	}
	return name
}

// header returns the model identity of d, with the source type defaulted.
func (d *Doc) header() model.Resource {
	r := d.Resource
	if r.Type == "" {
		r.Type = d.Type
	}
	return r
}

// at is where defaults of d are blamed.
func (d *Doc) at() model.Range {
	if !d.Header.IsZero() {
		return d.Header
	}
	return d.Resource.Range
}
