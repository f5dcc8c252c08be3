package armexpr

import (
	"reflect"
	"strings"
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

// TestScopeLookup: parameters('x') and variables('x'), which call
// evaluates without its general path, give what the general path gives
// (an argument that is not a literal takes it: string('x')), values,
// unknowns and errors, inside user functions too, for the same steps (the
// general form spends more, on string()).
func TestScopeLookup(t *testing.T) {
	exprs := []string{
		"parameters('name')", "parameters('NAME')", "parameters('obj').B.c", "parameters('noValue')", "parameters('pwd')",
		"parameters('secret')", "parameters('missing')", "variables('prefix')", "variables('nested').list[0]",
		"variables('self')", "variables('missing')", "contoso.usesVariables()", "contoso.upper('x')",
	}
	general := func(expr string) string {
		for _, fn := range []string{"parameters", "variables"} {
			if i := strings.Index(expr, fn+"('"); i >= 0 {
				j := strings.Index(expr[i:], "')") + i
				return expr[:i] + fn + "(string('" + expr[i+len(fn)+2:j] + "'))" + expr[j+2:]
			}
		}
		return expr
	}
	steps := func(expr string) int {
		ev, _ := newTestEvaluator(Options{})
		evalJSONText(t, ev, expr)
		return ev.steps
	}
	wrapper := steps("[string('x')]") - steps("['x']")
	if wrapper <= 0 {
		t.Fatalf("string() costs %d steps", wrapper)
	}
	for _, expr := range exprs {
		ev, _ := newTestEvaluator(Options{})
		got := evalJSONText(t, ev, "["+expr+"]")
		gotSteps := ev.steps
		ev, _ = newTestEvaluator(Options{})
		want := evalJSONText(t, ev, "["+general(expr)+"]")
		wantSteps := ev.steps
		if general(expr) != expr {
			wantSteps -= wrapper
		}
		if strings.HasPrefix(want, "error: offset ") {
			// Offsets inside the expression move with string().
			got, want = strings.SplitN(got, ":", 3)[len(strings.SplitN(got, ":", 3))-1], strings.SplitN(want, ":", 3)[2]
		}
		if got != want || gotSteps != wantSteps {
			t.Errorf("[%s] = %s in %d steps; the general path gives %s in %d", expr, got, gotSteps, want, wantSteps)
		}
	}
}
