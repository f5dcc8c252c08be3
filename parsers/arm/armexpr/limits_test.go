package armexpr

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestLimits(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		expr string
		msg  string
	}{
		{"length", Options{}, "['" + strings.Repeat("a", 70000) + "']", "more than the limit of 65536"},
		{"parse depth", Options{}, "[" + strings.Repeat("not(", 600) + "true()" + strings.Repeat(")", 600) + "]", "nested more than 512 levels"},
		{"access chain", Options{}, "[createObject()" + strings.Repeat(".a", 600) + "]", "nested more than 512 levels"},
		{"steps", Options{Limits: Limits{MaxSteps: 100}}, "[map(range(0, 1000), lambda('i', lambdaVariables('i')))]", "budget of 100 steps"},
		{"range", Options{}, "[range(0, 20000)]", "between 0 and 10000"},
		{"items", Options{Limits: Limits{MaxItems: 10}}, "[range(0, 11)]", "more than the limit of 10"},
		{"string", Options{Limits: Limits{MaxStringLen: 10}}, "[padLeft('a', 11)]", "more than the limit of 10"},
		{"concat", Options{Limits: Limits{MaxStringLen: 10}}, "[concat('aaaaaa', 'bbbbbb')]", "longer than the limit of 10"},
		{"replace", Options{Limits: Limits{MaxStringLen: 10}}, "[replace('aaaa', 'a', 'bbb')]", "longer than the limit of 10"},
		{"union", Options{Limits: Limits{MaxItems: 3}}, "[union(range(0, 3), range(3, 3))]", "more than the limit of 3"},
		{"eval depth", Options{Limits: Limits{MaxDepth: 20}}, "[variables('self')]", "more than 20 levels"},
		// Values sharing parts: 2^60 leaves reachable from 60 arrays.
		{"shared value", Options{}, "[reduce(range(0, 60), createArray(), lambda('a', 'b', createArray(lambdaVariables('a'), lambdaVariables('a'))))]", "the value is too large"},
		{"shared string", Options{}, "[string(reduce(range(0, 60), createArray(), lambda('a', 'b', createArray(lambdaVariables('a'), lambdaVariables('a')))))]", "budget of 1000000 steps"},
		{"shared equals", Options{}, "[equals(reduce(range(0, 60), createArray(), lambda('a', 'b', createArray(lambdaVariables('a'), lambdaVariables('a')))), createArray())]", "budget of 1000000 steps"},
		{"quadratic union", Options{Limits: Limits{MaxSteps: 100000}}, "[union(range(0, 5000), range(5000, 5000))]", "budget of 100000 steps"},
	}
	for _, tt := range tests {
		ev, _ := newTestEvaluator(tt.opts)
		_, err := ev.EvalString(tt.expr)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: got %v, want an *Error containing %q", tt.name, err, tt.msg)
		}
	}
}

func TestStepBudgetIsPerTopLevelCall(t *testing.T) {
	ev, _ := newTestEvaluator(Options{Limits: Limits{MaxSteps: 50}})
	for range 10 {
		if _, err := ev.EvalString("[concat('a', 'b', 'c')]"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEvalJSON(t *testing.T) {
	ev, _ := newTestEvaluator(Options{})
	in := mustJSON(`{"z": "[parameters('name')]", "a": ["[add(1, 2)]", "[[literal]", 1.5, 2], "m": {"k": "[variables('prefix')]"}}`)
	v, err := ev.EvalJSON(in)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := ToJSON(v)
	if want := `{"z":"app","a":[3,"[literal]",1.5,2],"m":{"k":"pre-app"}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// Other Go representations of JSON.
	v, err = ev.EvalJSON(map[string]any{"b": "[parameters('count')]", "a": float64(2), "c": []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = ToJSON(v)
	if want := `{"a":2,"b":3,"c":["x"]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := ev.EvalJSON(struct{}{}); err == nil {
		t.Error("want an error for an unsupported Go type")
	}
}

func TestDecodeJSON(t *testing.T) {
	v, err := DecodeJSON([]byte(`{"b": 1, "A": {"y": [1, 2.5, -3, 1e3, 12345678901234567890]}, "a": "<&>"}`))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	if got := o.Keys(); len(got) != 2 || got[0] != "b" || got[1] != "A" {
		t.Errorf("keys = %v (a duplicate key, case-insensitively, keeps its first place)", got)
	}
	got, _ := ToJSON(v)
	if want := `{"b":1,"A":"<&>"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	v, _ = DecodeJSON([]byte(`[1, 2.5, -3, 1e3, 12345678901234567890, "\u0001\n"]`))
	got, _ = ToJSON(v)
	if want := `[1,2.5,-3,1000,1.2345678901234567e+19,"\u0001\n"]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	for _, bad := range []string{``, `{`, `[1,]`, `{"a" 1}`, `1 2`, strings.Repeat("[", 2000) + strings.Repeat("]", 2000)} {
		if _, err := DecodeJSON([]byte(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if _, err := ToJSON(Unknown{}); err == nil {
		t.Error("ToJSON(Unknown) without error")
	}
}

func TestObject(t *testing.T) {
	var o Object
	o.Set("Name", 1)
	o.Set("name", 2)
	o.Set("other", 3)
	if v, ok := o.Get("NAME"); !ok || v != 2 {
		t.Errorf("Get = %v, %v", v, ok)
	}
	if o.Len() != 2 || o.Keys()[0] != "Name" || !o.Has("OTHER") || o.Has("x") {
		t.Errorf("object = %v", o.Keys())
	}
	var nilObj *Object
	if nilObj.Len() != 0 || nilObj.Has("a") || len(nilObj.Keys()) != 0 {
		t.Error("nil object")
	}
	for range nilObj.All() {
		t.Error("nil object iterates")
	}
	if TypeName(&o) != "object" || TypeName(Unknown{}) != "unknown" || TypeName(struct{}{}) != "invalid" {
		t.Error("TypeName")
	}
}

// TestObjectKeys: keys are the same when their strings.ToLower are,
// whether the object is searched in order (small) or through its index
// (more than smallObject keys), also for keys that lower-case to other
// lengths or that strings.EqualFold would match.
func TestObjectKeys(t *testing.T) {
	keys := []string{"name", "Name", "NAME", "nam", "names", "İd", "i̇d", "id", "ID", "ſ", "s", "S",
		"K", "k", "k", "straße", "STRASSE", "Straße", "é", "É", "e", "", "a\x80", "A\x80", "ﬁ", "FI",
		"nameİ", "NAMEİ", "namei", "NAMEK", "namek", "name\x80", "NAME\x80", "İ", "i", "I",
		"alpha", "Beta", "gamma", "Delta", "epsilon", "zeta", "ETA", "theta", "iota", "kappa", "BETA"}
	for _, a := range keys {
		for _, b := range keys {
			la, lb := strings.ToLower(a), strings.ToLower(b)
			if got, want := sameKey(a, b), la == lb; got != want {
				t.Errorf("sameKey(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
	for _, n := range []int{0, smallObject, 3 * smallObject} {
		o := NewObject(n)
		want := map[string]int{} // lower-cased key → value last set
		var order []string
		for i, k := range keys {
			o.Set(k, i)
			lk := strings.ToLower(k)
			if _, ok := want[lk]; !ok {
				order = append(order, k)
			}
			want[lk] = i
		}
		if got := o.Keys(); !slices.Equal(got, order) {
			t.Errorf("NewObject(%d): keys %q, want %q", n, got, order)
		}
		for _, k := range append(keys, "nope", "NAMES") {
			v, ok := o.Get(k)
			w, wok := want[strings.ToLower(k)]
			if ok != wok || (ok && v != w) {
				t.Errorf("NewObject(%d): Get(%q) = %v, %v; want %v, %v", n, k, v, ok, w, wok)
			}
		}
		if o.Len() <= smallObject || o.idx == nil {
			t.Errorf("NewObject(%d): %d keys, indexed %v: the index is not tested", n, o.Len(), o.idx != nil)
		}
	}
}
