package armexpr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	rgID      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup"
	storageID = rgID + "/providers/Microsoft.Storage/storageAccounts/st"
	siteID    = rgID + "/providers/Microsoft.Web/sites/app"
)

func TestUnknown(t *testing.T) {
	listKeys := Unknown{Source: SourceRuntime, Reason: "listKeys(): returned by " + storageID + " at deployment", Ref: storageID, Attribute: "listKeys", Path: ".keys[0].value"}
	noValue := Unknown{Source: SourceParameter, Reason: `parameter "noValue" has no value`, Ref: "noValue", Attribute: "parameters"}
	pwd := Unknown{Source: SourceSecure, Reason: `secure parameter "pwd" has no value`, Ref: "pwd", Attribute: "parameters"}
	tests := []struct {
		expr string
		want Value
	}{
		// Sources.
		{`[parameters('noValue')]`, noValue},
		{`[parameters('pwd')]`, pwd},
		{`[parameters('secret').password]`, Unknown{Source: SourceSecure, Reason: `secure parameter "secret" has no value`, Ref: "secret", Attribute: "parameters", Path: ".password"}},
		{`[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2022-09-01').keys[0].value]`, listKeys},
		{`[listkeys(parameters('storageName'), '2022-09-01').keys[0].value]`,
			Unknown{Source: SourceRuntime, Reason: "listKeys(): returned by st at deployment", Ref: "st", Attribute: "listKeys", Path: ".keys[0].value"}},
		{`[listSecrets(resourceId('Microsoft.Web/sites/functions', 'app', 'f'), '2022-03-01').key]`,
			Unknown{Source: SourceRuntime, Reason: "listSecrets(): returned by " + siteID + "/functions/f at deployment", Ref: siteID + "/functions/f", Attribute: "listSecrets", Path: ".key"}},
		{`[listAnythingNew(parameters('noValue'), '2024-01-01')]`,
			Unknown{Source: SourceRuntime, Reason: "listAnythingNew(): returned by a resource at deployment", Attribute: "listAnythingNew"}},
		// reference() by symbolic name resolves the id through the Context.
		{`[reference('site').outputs['x'].value]`,
			Unknown{Source: SourceRuntime, Reason: "reference(): runtime state of " + siteID, Ref: siteID, Attribute: "reference", Path: ".outputs['x'].value"}},
		{`[reference(resourceId('Microsoft.Web/sites', 'other'), '2022-09-01', 'Full').identity.principalId]`,
			Unknown{Source: SourceRuntime, Reason: "reference(): runtime state of " + rgID + "/providers/Microsoft.Web/sites/other", Ref: rgID + "/providers/Microsoft.Web/sites/other", Attribute: "reference", Path: ".identity.principalId"}},
		{`[tryGet(reference('site'), 'x', 0)]`,
			Unknown{Source: SourceRuntime, Reason: "reference(): runtime state of " + siteID, Ref: siteID, Attribute: "reference", Path: ".?x?[0]"}},
		{`[foo(1)]`, Unknown{Source: SourceUnsupported, Reason: "function foo() is not supported", Ref: "foo", Attribute: "foo"}},

		// Strings keep their known parts.
		{`[concat('DefaultEndpointsProtocol=https;AccountName=', parameters('storageName'), ';AccountKey=', listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2022-09-01').keys[0].value, ';EndpointSuffix=', environment().suffixes.storage)]`,
			Unknown{Source: SourceRuntime, Reason: listKeys.Reason, Ref: storageID, Attribute: "listKeys", Path: ".keys[0].value",
				Parts: []Value{"DefaultEndpointsProtocol=https;AccountName=st;AccountKey=", listKeys, ";EndpointSuffix=core.windows.net"}}},
		{`[format('{0}-{1}-{2}', 'a', parameters('noValue'), parameters('pwd'))]`,
			Unknown{Source: SourceSecure, Reason: pwd.Reason, Ref: "pwd", Attribute: "parameters", Parts: []Value{"a-", noValue, "-", pwd}}},
		{`[concat(concat('a', parameters('noValue')), 'b')]`,
			Unknown{Source: SourceParameter, Reason: noValue.Reason, Ref: "noValue", Attribute: "parameters", Parts: []Value{"a", noValue, "b"}}},
		{`[join(createArray('a', parameters('noValue')), ',')]`,
			Unknown{Source: SourceParameter, Reason: noValue.Reason, Ref: "noValue", Attribute: "parameters", Parts: []Value{"a,", noValue}}},
		{`[resourceId('Microsoft.Web/sites', parameters('noValue'))]`,
			Unknown{Source: SourceParameter, Reason: noValue.Reason, Ref: "noValue", Attribute: "parameters", Parts: []Value{rgID + "/providers/Microsoft.Web/sites/", noValue}}},
		// …and functions that need the whole value propagate the unknown.
		{`[toLower(parameters('noValue'))]`, noValue},
		{`[equals(parameters('noValue'), 'a')]`, noValue},
		{`[equals(createArray(parameters('noValue')), createArray('a'))]`, noValue},
		{`[not(parameters('noValue'))]`, noValue},
		{`[uniqueString(parameters('noValue'))]`, noValue},
		{`[length(parameters('noValue'))]`, noValue},
		{`[parameters('noValue').x[0]]`, Unknown{Source: SourceParameter, Reason: noValue.Reason, Ref: "noValue", Attribute: "parameters", Path: ".x[0]"}},
		{`[createArray(1, 2)[parameters('noValue')]]`, noValue},
		{`[concat('a', foo())]`, Unknown{Source: SourceUnsupported, Reason: "function foo() is not supported", Ref: "foo", Attribute: "foo", Parts: []Value{"a", Unknown{Source: SourceUnsupported, Reason: "function foo() is not supported", Ref: "foo", Attribute: "foo"}}}},

		// Known results despite unknowns.
		{`[if(true(), 'a', parameters('noValue'))]`, "a"},
		{`[if(false(), parameters('pwd'), 'b')]`, "b"},
		{`[if(parameters('noValue'), 'same', 'same')]`, "same"},
		{`[coalesce('a', parameters('noValue'))]`, "a"},
		{`[coalesce(null(), 'b', parameters('noValue'))]`, "b"},
		{`[and(false(), parameters('noValue'))]`, false},
		{`[and(parameters('noValue'), false())]`, false},
		{`[or(parameters('noValue'), true())]`, true},
		{`[length(createArray(parameters('noValue'), 1))]`, int64(2)},
		{`[empty(createArray(parameters('noValue')))]`, false},
		{`[contains(createObject('k', parameters('noValue')), 'k')]`, true},
		{`[contains(createArray(parameters('noValue'), 'x'), 'x')]`, true},
		{`[createObject('k', parameters('noValue')).k]`, noValue},
		{`[first(createArray(parameters('noValue'), 1))]`, noValue},
		{`[last(createArray(parameters('noValue'), 1))]`, int64(1)},
		{`[tryGet(createObject('a', 1, 'b', parameters('noValue')), 'a')]`, int64(1)},

		// Unknown results.
		{`[if(parameters('noValue'), 'a', 'b')]`, noValue},
		{`[if(parameters('noValue'), 'a', parameters('pwd'))]`, Unknown{Source: SourceSecure, Reason: pwd.Reason + "; chosen by a condition not known before deployment", Ref: "pwd", Attribute: "parameters"}},
		{`[coalesce(null(), parameters('noValue'), 'x')]`, noValue},
		{`[and(true(), parameters('noValue'))]`, noValue},
		{`[or(false(), parameters('noValue'))]`, noValue},
		{`[contains(createArray(parameters('noValue')), 'x')]`, noValue},
		{`[filter(createArray(1, 2), lambda('x', equals(lambdaVariables('x'), parameters('noValue'))))]`, noValue},
		{`[union(createObject('a', 1), parameters('noValue'))]`, noValue},
	}
	for _, tt := range tests {
		ev, _ := newTestEvaluator(Options{})
		got, err := ev.EvalString(tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.expr, diff)
		}
	}
}

func TestUnknownInsideValues(t *testing.T) {
	ev, _ := newTestEvaluator(Options{})
	v, err := ev.EvalString(`[union(createArray(createObject('name', 'AzureWebJobsStorage', 'value', listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2022-09-01').keys[0].value)), createArray(createObject('name', 'X', 'value', 'y')))]`)
	if err != nil {
		t.Fatal(err)
	}
	arr, ok := v.([]any)
	if !ok || len(arr) != 2 {
		t.Fatalf("got %#v, want two app settings", v)
	}
	first := arr[0].(*Object)
	val, _ := first.Get("value")
	u, ok := val.(Unknown)
	if !ok || u.Ref != storageID || u.Attribute != "listKeys" {
		t.Errorf("value = %#v", val)
	}
	if !IsUnknown(v) {
		t.Error("IsUnknown = false")
	}
	if fu, _ := FindUnknown(v); fu.Ref != storageID {
		t.Errorf("FindUnknown = %#v", fu)
	}
}

func TestUnsupportedCounted(t *testing.T) {
	ev, _ := newTestEvaluator(Options{})
	for _, s := range []string{"[foo()]", "[concat(Foo(), bar())]", "[listKeys('x', '1')]"} {
		if _, err := ev.EvalString(s); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]int{"foo": 2, "bar": 1}
	if diff := cmp.Diff(want, ev.Unsupported()); diff != "" {
		t.Errorf("Unsupported (-want +got):\n%s", diff)
	}
	if Supported("foo") || !Supported("listWhatever") || !Supported("UNIQUESTRING") {
		t.Error("Supported is wrong")
	}
}

func TestUserFunctionScope(t *testing.T) {
	ev, _ := newTestEvaluator(Options{})
	if _, err := ev.EvalString("[contoso.usesVariables()]"); err == nil {
		t.Error("a user function used variables() without an error")
	}
	// A user function's parameters hide the template's.
	c := newTestCtx()
	c.funcs["ns.name"] = &UserFunction{Namespace: "ns", Name: "name", Parameters: []UserParam{{Name: "name"}}, Output: "[parameters('name')]"}
	c.funcs["ns.count"] = &UserFunction{Namespace: "ns", Name: "count", Output: "[parameters('count')]"}
	c.ev = NewEvaluator(c, Options{})
	if got := evalJSONText(t, c.ev, "[ns.name('inner')]"); got != `"inner"` {
		t.Errorf("got %s", got)
	}
	if got := evalJSONText(t, c.ev, "[ns.count()]"); got == "3" {
		t.Errorf("a user function saw the template parameter count")
	}
}

func TestResourceIDs(t *testing.T) {
	tests := []struct {
		level, expr, want string
	}{
		{"", `[resourceId('Microsoft.Storage/storageAccounts', 'st')]`, storageID},
		{"", `[resourceId('otherRG', 'Microsoft.Storage/storageAccounts', 'st')]`, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/otherRG/providers/Microsoft.Storage/storageAccounts/st"},
		{"", `[resourceId('11111111-1111-1111-1111-111111111111', 'otherRG', 'Microsoft.Storage/storageAccounts', 'st')]`, "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/otherRG/providers/Microsoft.Storage/storageAccounts/st"},
		{"", `[resourceId('Microsoft.Web/sites/config', 'app', 'web')]`, siteID + "/config/web"},
		{"", `[resourceId('Microsoft.Web/sites/config', 'app/web')]`, siteID + "/config/web"},
		{"", `[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'snet')]`, rgID + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"},
		{"", `[resourceId('Microsoft.Web/sites/config', 'app')]`, `error: offset 1: resourceId: resource type "Microsoft.Web/sites/config" needs 2 names, got 1`},
		{"", `[resourceId('a', 'b', 'c', 'Microsoft.Web/sites', 'x')]`, "error: offset 1: resourceId: expects [subscriptionId], [resourceGroupName], resourceType, resourceName…; found 3 arguments before the resource type"},
		{"", `[resourceId('noType')]`, "error: offset 1: resourceId: expects at least 2 arguments, got 1"},
		{"", `[resourceId('x', 'y')]`, "error: offset 1: resourceId: no resource type argument ({namespace}/{type})"},
		{"", `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]`, "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"},
		{"", `[subscriptionResourceId('11111111-1111-1111-1111-111111111111', 'Microsoft.Resources/resourceGroups', 'rg')]`, "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Resources/resourceGroups/rg"},
		{"", `[tenantResourceId('Microsoft.Authorization/policyDefinitions', 'p')]`, "/providers/Microsoft.Authorization/policyDefinitions/p"},
		{"", `[extensionResourceId(resourceId('Microsoft.Web/sites', 'app'), 'Microsoft.Insights/diagnosticSettings', 'diag')]`, siteID + "/providers/Microsoft.Insights/diagnosticSettings/diag"},
		{"", `[managementGroupResourceId('Microsoft.Authorization/policyDefinitions', 'p')]`, "/providers/Microsoft.Management/managementGroups/managementGroup/providers/Microsoft.Authorization/policyDefinitions/p"},
		{"", `[managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p')]`, "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p"},
		{"", `[resourceInfo('site').id]`, siteID},
		{"subscription", `[resourceId('Microsoft.Resources/resourceGroups', 'rg')]`, "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Resources/resourceGroups/rg"},
		{"subscription", `[resourceId('rg', 'Microsoft.Web/sites', 'app')]`, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/app"},
		{"tenant", `[resourceId('Microsoft.Management/managementGroups', 'mg')]`, "/providers/Microsoft.Management/managementGroups/mg"},
	}
	for _, tt := range tests {
		c := newTestCtx()
		c.ev = NewEvaluator(c, Options{Scope: Scope{Level: tt.level}})
		v, err := c.ev.EvalString(tt.expr)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else if s, ok := v.(string); ok {
			got = s
		} else {
			got = TypeName(v)
		}
		if got != tt.want {
			t.Errorf("%s (%s)\n got %s\nwant %s", tt.expr, tt.level, got, tt.want)
		}
	}
}

func TestScopeOverride(t *testing.T) {
	ev := NewEvaluator(nil, Options{Scope: Scope{SubscriptionID: "sub", ResourceGroup: "rg", Location: "westeurope"}})
	for expr, want := range map[string]string{
		"[resourceGroup().id]":       "/subscriptions/sub/resourceGroups/rg",
		"[resourceGroup().location]": "westeurope",
		"[deployment().name]":        "deployment",
	} {
		if got, err := ev.EvalString(expr); err != nil || got != want {
			t.Errorf("%s = %v, %v; want %s", expr, got, err, want)
		}
	}
}
