package armexpr

import (
	"fmt"
	"strings"
)

func obj(kv ...Value) *Object {
	o := NewObject(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

func runtimeUnknown(attr, reason string) Unknown {
	return Unknown{Source: SourceRuntime, Reason: reason, Attribute: attr}
}

func (e *Evaluator) resourceGroupID() string {
	return "/subscriptions/" + e.scope.SubscriptionID + "/resourceGroups/" + e.scope.ResourceGroup
}

// fixed returns the value of a function without arguments that depends
// only on the Evaluator's scope, built once by build: values are never
// modified once made (every function builds new arrays and objects), so
// its callers may share it as they share a variable's value.
func (e *Evaluator) fixed(name string, build func(*Evaluator) Value) Value {
	if v, ok := e.fixedVals[name]; ok {
		return v
	}
	v := build(e)
	if e.fixedVals == nil {
		e.fixedVals = map[string]Value{}
	}
	e.fixedVals[name] = v
	return v
}

func fnResourceGroup(cc *callCtx, _ []Value) (Value, error) {
	return cc.e.fixed("resourceGroup", resourceGroupValue), nil
}

func resourceGroupValue(e *Evaluator) Value {
	s := e.scope
	return obj(
		"id", e.resourceGroupID(),
		"name", s.ResourceGroup,
		"type", "Microsoft.Resources/resourceGroups",
		"location", s.Location,
		"tags", NewObject(0),
		"properties", obj("provisioningState", "Succeeded"),
	)
}

func fnSubscription(cc *callCtx, _ []Value) (Value, error) {
	return cc.e.fixed("subscription", subscriptionValue), nil
}

func subscriptionValue(e *Evaluator) Value {
	s := e.scope
	return obj(
		"id", "/subscriptions/"+s.SubscriptionID,
		"subscriptionId", s.SubscriptionID,
		"tenantId", s.TenantID,
		"displayName", "subscription",
	)
}

func fnTenant(cc *callCtx, _ []Value) (Value, error) {
	return cc.e.fixed("tenant", tenantValue), nil
}

func tenantValue(e *Evaluator) Value {
	s := e.scope
	return obj(
		"id", "/tenants/"+s.TenantID,
		"tenantId", s.TenantID,
		"countryCode", runtimeUnknown("tenant", "tenant().countryCode: a property of the deploying tenant"),
		"displayName", runtimeUnknown("tenant", "tenant().displayName: a property of the deploying tenant"),
	)
}

func fnManagementGroup(cc *callCtx, args []Value) (Value, error) {
	name := cc.e.scope.ManagementGroup
	if len(args) == 1 {
		s, err := cc.str(args, 0)
		if err != nil {
			return nil, err
		}
		name = s
	}
	return obj(
		"id", "/providers/Microsoft.Management/managementGroups/"+name,
		"name", name,
		"type", "Microsoft.Management/managementGroups",
		"properties", obj(
			"tenantId", cc.e.scope.TenantID,
			"displayName", name,
		),
	), nil
}

func fnDeployment(cc *callCtx, _ []Value) (Value, error) {
	return cc.e.fixed("deployment", deploymentValue), nil
}

func deploymentValue(e *Evaluator) Value {
	return obj(
		"name", e.scope.DeploymentName,
		"properties", obj(
			"templateLink", runtimeUnknown("deployment", "deployment().properties.templateLink: set only when the template is deployed from a URI"),
			"template", obj("contentVersion", "1.0.0.0"),
			"templateHash", runtimeUnknown("deployment", "deployment().properties.templateHash: computed by Azure Resource Manager"),
			"parameters", NewObject(0),
			"mode", "Incremental",
			"provisioningState", "Accepted",
		),
	)
}

// fnEnvironment returns the public AzureCloud environment.
func fnEnvironment(cc *callCtx, _ []Value) (Value, error) {
	return cc.e.fixed("environment", environmentValue), nil
}

func environmentValue(*Evaluator) Value {
	return obj(
		"name", "AzureCloud",
		"gallery", "https://gallery.azure.com/",
		"graph", "https://graph.windows.net/",
		"portal", "https://portal.azure.com",
		"graphAudience", "https://graph.windows.net/",
		"activeDirectoryDataLake", "https://datalake.azure.net/",
		"batch", "https://batch.core.windows.net/",
		"media", "https://rest.media.azure.net",
		"sqlManagement", "https://management.core.windows.net:8443/",
		"vmImageAliasDoc", "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
		"resourceManager", "https://management.azure.com/",
		"authentication", obj(
			"loginEndpoint", "https://login.microsoftonline.com/",
			"audiences", []any{"https://management.core.windows.net/", "https://management.azure.com/"},
			"tenant", "common",
			"identityProvider", "AAD",
		),
		"suffixes", obj(
			"acrLoginServer", ".azurecr.io",
			"azureDatalakeAnalyticsCatalogAndJob", "azuredatalakeanalytics.net",
			"azureDatalakeStoreFileSystem", "azuredatalakestore.net",
			"azureFrontDoorEndpointSuffix", "azurefd.net",
			"keyvaultDns", ".vault.azure.net",
			"sqlServerHostname", ".database.windows.net",
			"storage", "core.windows.net",
		),
	)
}

// typeIndex returns the position of the first argument that is a known
// string containing '/', the resource type.
func typeIndex(args []Value) int {
	for i, a := range args {
		if s, ok := a.(string); ok && strings.Contains(s, "/") {
			return i
		}
	}
	return -1
}

// providerPath builds "/providers/{namespace}/{type1}/{name1}/{type2}/{name2}…"
// as pieces for buildString.
func providerPath(cc *callCtx, typ Value, names []Value) ([]Value, error) {
	if u, ok := typ.(Unknown); ok {
		u.Parts = nil
		return []Value{"/providers/", u}, nil
	}
	t, ok := typ.(string)
	if !ok {
		return nil, cc.errorf("the resource type must be a string, not %s", TypeName(typ))
	}
	segs := strings.Split(strings.Trim(t, "/"), "/")
	if len(segs) < 2 || slicesContainsEmpty(segs) {
		return nil, cc.errorf("invalid resource type %q: expected {namespace}/{type}[/{childType}…]", t)
	}
	for i, n := range names {
		switch n.(type) {
		case string, Unknown:
		default:
			return nil, cc.errorf("resource name %d must be a string, not %s", i+1, TypeName(n))
		}
	}
	want := len(segs) - 1
	if len(names) != want {
		// Tolerate names written with slashes ('site/web') when they
		// split into the right number of segments.
		if split, ok := splitNames(names); ok && len(split) == want {
			names = split
		} else {
			return nil, cc.errorf("resource type %q needs %d name%s, got %d", t, want, plural(want), len(names))
		}
	}
	pieces := []Value{"/providers/", segs[0]}
	for i, n := range names {
		pieces = append(pieces, "/", segs[i+1], "/", n)
	}
	return pieces, nil
}

func slicesContainsEmpty(s []string) bool {
	for _, x := range s {
		if x == "" {
			return true
		}
	}
	return false
}

func splitNames(names []Value) ([]Value, bool) {
	var out []Value
	for _, n := range names {
		s, ok := n.(string)
		if !ok {
			return nil, false
		}
		for _, p := range strings.Split(s, "/") {
			out = append(out, p)
		}
	}
	return out, true
}

func fnResourceID(cc *callCtx, args []Value) (Value, error) {
	if id, ok := knownResourceID(cc, args); ok {
		return id, nil
	}
	return resourceID(cc, args)
}

// knownResourceID is resourceId() of arguments that are all strings, as
// resourceID makes it, written at once; ok is false for the other cases
// (unknown or non-string arguments, names to split, errors), which
// resourceID handles.
func knownResourceID(cc *callCtx, args []Value) (id string, ok bool) {
	k := typeIndex(args)
	if k < 0 || k > 2 {
		return "", false
	}
	for _, a := range args {
		if _, ok := a.(string); !ok {
			return "", false
		}
	}
	typ := strings.Trim(args[k].(string), "/")
	names := args[k+1:]
	if strings.Count(typ, "/") != len(names) || len(names) == 0 || strings.Contains(typ, "//") {
		return "", false
	}
	s := cc.e.scope
	var prefix [4]string
	switch k {
	case 0:
		switch s.Level {
		case "subscription":
			prefix = [4]string{"/subscriptions/", s.SubscriptionID}
		case "managementgroup":
			prefix = [4]string{"/providers/Microsoft.Management/managementGroups/", s.ManagementGroup}
		case "tenant":
		default:
			prefix = [4]string{"/subscriptions/", s.SubscriptionID, "/resourceGroups/", s.ResourceGroup}
		}
	case 1:
		prefix = [4]string{"/subscriptions/", s.SubscriptionID, "/resourceGroups/", args[0].(string)}
	case 2:
		prefix = [4]string{"/subscriptions/", args[0].(string), "/resourceGroups/", args[1].(string)}
	}
	n := len("/providers/") + len(typ) + len(names)
	for _, p := range prefix {
		n += len(p)
	}
	for _, name := range names {
		n += len(name.(string))
	}
	if n > cc.e.limits.MaxStringLen {
		return "", false
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range prefix {
		b.WriteString(p)
	}
	b.WriteString("/providers/")
	seg, rest, _ := strings.Cut(typ, "/")
	b.WriteString(seg)
	for _, name := range names {
		seg, rest, _ = strings.Cut(rest, "/")
		b.WriteString("/")
		b.WriteString(seg)
		b.WriteString("/")
		b.WriteString(name.(string))
	}
	return b.String(), true
}

// resourceID is resourceId(): the ids of unknown names are unknown, built
// of their pieces.
func resourceID(cc *callCtx, args []Value) (Value, error) {
	k := typeIndex(args)
	if k < 0 {
		if u, ok := mergeUnknown(cc.e, args...); ok {
			return u, nil
		}
		return nil, cc.errorf("no resource type argument ({namespace}/{type})")
	}
	if k > 2 {
		return nil, cc.errorf("expects [subscriptionId], [resourceGroupName], resourceType, resourceName…; found %d arguments before the resource type", k)
	}
	s := cc.e.scope
	var prefix []Value
	switch k {
	case 0:
		switch s.Level {
		case "subscription":
			prefix = []Value{"/subscriptions/", s.SubscriptionID}
		case "managementgroup":
			prefix = []Value{"/providers/Microsoft.Management/managementGroups/", s.ManagementGroup}
		case "tenant":
		default:
			prefix = []Value{"/subscriptions/", s.SubscriptionID, "/resourceGroups/", s.ResourceGroup}
		}
	case 1:
		prefix = []Value{"/subscriptions/", s.SubscriptionID, "/resourceGroups/", args[0]}
	case 2:
		prefix = []Value{"/subscriptions/", args[0], "/resourceGroups/", args[1]}
	}
	for i, p := range prefix {
		switch p.(type) {
		case string, Unknown:
		default:
			return nil, cc.errorf("argument %d must be a string, not %s", i/2+1, TypeName(p))
		}
	}
	rest, err := providerPath(cc, args[k], args[k+1:])
	if err != nil {
		return nil, err
	}
	return buildString(cc, append(prefix, rest...))
}

func fnSubscriptionResourceID(cc *callCtx, args []Value) (Value, error) {
	k := typeIndex(args)
	if k < 0 || k > 1 {
		if u, ok := mergeUnknown(cc.e, args...); ok && k < 0 {
			return u, nil
		}
		return nil, cc.errorf("expects [subscriptionId], resourceType, resourceName…")
	}
	var sub Value = cc.e.scope.SubscriptionID
	if k == 1 {
		sub = args[0]
	}
	rest, err := providerPath(cc, args[k], args[k+1:])
	if err != nil {
		return nil, err
	}
	return buildString(cc, append([]Value{"/subscriptions/", sub}, rest...))
}

func fnTenantResourceID(cc *callCtx, args []Value) (Value, error) {
	rest, err := providerPath(cc, args[0], args[1:])
	if err != nil {
		return nil, err
	}
	return buildString(cc, rest)
}

func fnManagementGroupResourceID(cc *callCtx, args []Value) (Value, error) {
	k := typeIndex(args)
	if k < 0 || k > 1 {
		if u, ok := mergeUnknown(cc.e, args...); ok && k < 0 {
			return u, nil
		}
		return nil, cc.errorf("expects [managementGroupName], resourceType, resourceName…")
	}
	var mg Value = cc.e.scope.ManagementGroup
	if k == 1 {
		mg = args[0]
	}
	rest, err := providerPath(cc, args[k], args[k+1:])
	if err != nil {
		return nil, err
	}
	return buildString(cc, append([]Value{"/providers/Microsoft.Management/managementGroups/", mg}, rest...))
}

func fnExtensionResourceID(cc *callCtx, args []Value) (Value, error) {
	base := args[0]
	switch b := base.(type) {
	case string:
		base = strings.TrimSuffix(b, "/")
	case Unknown:
	default:
		return nil, cc.errorf("argument 1 must be a resource id, not %s", TypeName(base))
	}
	rest, err := providerPath(cc, args[1], args[2:])
	if err != nil {
		return nil, err
	}
	return buildString(cc, append([]Value{base}, rest...))
}

// resourceRef is what reference() and list*() remember about the
// resource they read: its id when the Context knows the resource, else
// the name or id as written; "" when that is unknown.
func resourceRef(cc *callCtx, v Value) string {
	s, ok := v.(string)
	if !ok {
		return ""
	}
	if view, ok := cc.e.ctx.Resource(s); ok && view.ID != "" {
		return view.ID
	}
	return s
}

func fnReference(cc *callCtx, args []Value) (Value, error) {
	switch args[0].(type) {
	case string, Unknown:
	default:
		return nil, cc.errorf("argument 1 must be a resource name or id, not %s", TypeName(args[0]))
	}
	ref := resourceRef(cc, args[0])
	what := ref
	if what == "" {
		what = "a resource"
	}
	return Unknown{Source: SourceRuntime, Reason: fmt.Sprintf("reference(): runtime state of %s", what), Ref: ref, Attribute: "reference"}, nil
}

// listCanonical spells the common list functions the way the docs do.
func listCanonical(name string) string {
	switch strings.ToLower(name) {
	case "list":
		return "list"
	case "listkeys":
		return "listKeys"
	case "listsecrets":
		return "listSecrets"
	case "listaccountsas":
		return "listAccountSas"
	case "listservicesas":
		return "listServiceSas"
	case "listconnectionstrings":
		return "listConnectionStrings"
	case "listcredentials":
		return "listCredentials"
	case "listcredential":
		return "listCredential"
	case "listadminkeys":
		return "listAdminKeys"
	case "listquerykeys":
		return "listQueryKeys"
	case "listkeyvalue":
		return "listKeyValue"
	case "listcallbackurl":
		return "listCallbackUrl"
	}
	return name
}

// listFunction handles list*() (listKeys, listSecrets, …): runtime
// values, usually secrets, that are never fetched or made up.
func listFunction(cc *callCtx, args []Value) (Value, error) {
	name := listCanonical(cc.c.Name)
	cc.name = name
	if len(args) < 1 {
		return nil, cc.errorf("expects a resource name or id")
	}
	switch args[0].(type) {
	case string, Unknown:
	default:
		return nil, cc.errorf("argument 1 must be a resource name or id, not %s", TypeName(args[0]))
	}
	ref := resourceRef(cc, args[0])
	what := ref
	if what == "" {
		what = "a resource"
	}
	return Unknown{Source: SourceRuntime, Reason: fmt.Sprintf("%s(): returned by %s at deployment", name, what), Ref: ref, Attribute: name}, nil
}

func fnResourceInfo(cc *callCtx, args []Value) (Value, error) {
	name, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	view, ok := cc.e.ctx.Resource(name)
	if !ok {
		return nil, cc.errorf("no resource with symbolic name %q", name)
	}
	var id Value = view.ID
	if view.ID == "" {
		id = runtimeUnknown("resourceInfo", "resourceInfo(): id of "+name)
	}
	return obj("id", id, "type", view.Type, "apiVersion", view.APIVersion), nil
}
