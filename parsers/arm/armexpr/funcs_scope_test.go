package armexpr

import (
	"reflect"
	"testing"
)

// TestKnownResourceID: resourceId() of known strings, written at once,
// is what resourceID builds of pieces, at every deployment scope level;
// the cases it leaves (unknowns, names to split, bad types, limits) are
// left to resourceID.
func TestKnownResourceID(t *testing.T) {
	u := Unknown{Source: SourceParameter, Ref: "p"}
	cases := [][]Value{
		{"Microsoft.Web/sites", "app"},
		{"Microsoft.Web/sites/config", "app", "web"},
		{"/Microsoft.Web/sites/", "app"},
		{"sub", "rg", "Microsoft.Web/sites", "app"},
		{"rg", "Microsoft.Storage/storageAccounts/blobServices/containers", "st", "default", "c"},
		{"Microsoft.Web/sites/config", "app/web"},
		{"Microsoft.Web//sites", "app"},
		{"Microsoft.Web", "app"},
		{"Microsoft.Web/sites", "app", "extra"},
		{"Microsoft.Web/sites"},
		{"Microsoft.Web/sites", u},
		{u, "Microsoft.Web/sites", "app"},
		{"Microsoft.Web/sites", int64(1)},
		{"a", "b", "c", "Microsoft.Web/sites", "app"},
		{"noslash", "x"},
		{"Microsoft.Web/sites", "ü-app"},
	}
	for _, level := range []string{"", "subscription", "managementGroup", "tenant", "ResourceGroup"} {
		for _, maxLen := range []int{0, 120} {
			ev := NewEvaluator(nil, Options{Scope: Scope{Level: level}, Limits: Limits{MaxStringLen: maxLen}})
			cc := &callCtx{e: ev, fr: &frame{}, c: &Call{Name: "resourceId"}, name: "resourceId"}
			fast := 0
			for _, args := range cases {
				want, wantErr := resourceID(cc, args)
				got, ok := knownResourceID(cc, args)
				if !ok {
					continue
				}
				fast++
				if wantErr != nil || !reflect.DeepEqual(Value(got), want) {
					t.Errorf("level %q, limit %d: resourceId%v = %q, want %#v (error %v)", level, maxLen, args, got, want, wantErr)
				}
			}
			if fast < 2 {
				t.Errorf("level %q, limit %d: only %d cases written at once", level, maxLen, fast)
			}
		}
	}
}

// TestFixedScopeValues: resourceGroup(), subscription(), tenant(),
// deployment() and environment() are built once per Evaluator and shared;
// functions that build on them leave them as they are.
func TestFixedScopeValues(t *testing.T) {
	ev, _ := newTestEvaluator(Options{})
	for _, fn := range []string{"resourceGroup", "subscription", "tenant", "deployment", "environment"} {
		before := evalJSONText(t, ev, "["+fn+"()]")
		evalJSONText(t, ev, "[union("+fn+"(), createObject('id', 'changed', 'name', 'changed'))]")
		evalJSONText(t, ev, "[shallowMerge(createArray("+fn+"(), createObject('name', 'x')))]")
		if after := evalJSONText(t, ev, "["+fn+"()]"); after != before {
			t.Errorf("%s() was %s, then %s", fn, before, after)
		}
		a, errA := ev.EvalString("[" + fn + "()]")
		b, errB := ev.EvalString("[" + fn + "()]")
		if errA != nil || errB != nil || a != b {
			t.Errorf("%s() built twice (%v, %v)", fn, errA, errB)
		}
	}
}
