package armexpr

import (
	"errors"
	"strings"
	"testing"
)

// testCtx is a Context for tests: parameters with values or without,
// variables as JSON evaluated lazily (re-entering the evaluator), user
// functions, copy loops and resources.
type testCtx struct {
	params map[string]Param
	vars   map[string]string // JSON text
	funcs  map[string]*UserFunction
	loops  map[string]int64 // "" is the innermost loop
	res    map[string]ResourceView
	ev     *Evaluator
}

func newTestCtx() *testCtx {
	return &testCtx{
		params: map[string]Param{
			"name":        {Type: "string", Value: "app", HasValue: true},
			"count":       {Type: "int", Value: int64(3), HasValue: true},
			"flag":        {Type: "bool", Value: true, HasValue: true},
			"obj":         {Type: "object", Value: mustJSON(`{"a":1,"B":{"c":"x"},"list":[1,2]}`), HasValue: true},
			"arr":         {Type: "array", Value: mustJSON(`["one","two","three"]`), HasValue: true},
			"noValue":     {Type: "string"},
			"pwd":         {Type: "securestring"},
			"secret":      {Type: "secureObject"},
			"storageName": {Type: "string", Value: "st", HasValue: true},
		},
		vars: map[string]string{
			"prefix": `"[concat('pre-', parameters('name'))]"`,
			"nested": `{"id": "[variables('prefix')]", "list": ["[parameters('count')]", 2]}`,
			"self":   `"[variables('self')]"`,
			"dogs": `[
				{"name": "Evie", "age": 5, "interests": ["Ball", "Frisbee"]},
				{"name": "Casper", "age": 3, "interests": ["Other dogs"]},
				{"name": "Indy", "age": 2, "interests": ["Butter"]},
				{"name": "Kira", "age": 8, "interests": ["Rubs"]}
			]`,
		},
		funcs: map[string]*UserFunction{
			"contoso.uniquename": {
				Namespace: "contoso", Name: "uniqueName",
				Parameters: []UserParam{{Name: "namePrefix", Type: "string"}},
				Output:     "[concat(toLower(parameters('namePrefix')), uniqueString(resourceGroup().id))]",
			},
			"contoso.pair": {
				Namespace: "contoso", Name: "pair",
				Parameters: []UserParam{{Name: "a", Type: "string"}, {Name: "b", Type: "int"}},
				Output:     mustJSON(`{"first": "[parameters('a')]", "second": "[add(parameters('b'), 1)]", "up": "[contoso.upper(parameters('a'))]"}`),
			},
			"contoso.upper": {
				Namespace: "contoso", Name: "upper",
				Parameters: []UserParam{{Name: "s", Type: "string"}},
				Output:     "[toUpper(parameters('s'))]",
			},
			"contoso.usesvariables": {
				Namespace: "contoso", Name: "usesVariables",
				Output: "[variables('prefix')]",
			},
		},
		loops: map[string]int64{"": 2, "outer": 5},
		res: map[string]ResourceView{
			"site": {ID: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup/providers/Microsoft.Web/sites/app", Type: "Microsoft.Web/sites", APIVersion: "2022-09-01"},
		},
	}
}

func mustJSON(s string) Value {
	v, err := DecodeJSON([]byte(s))
	if err != nil {
		panic(err)
	}
	return v
}

func (c *testCtx) Parameter(name string) (Param, error) {
	for k, p := range c.params {
		if strings.EqualFold(k, name) {
			return p, nil
		}
	}
	return Param{}, ErrNotFound
}

func (c *testCtx) Variable(name string) (Value, error) {
	for k, text := range c.vars {
		if strings.EqualFold(k, name) {
			return c.ev.EvalJSON(mustJSON(text))
		}
	}
	return nil, ErrNotFound
}

func (c *testCtx) UserFunction(ns, name string) (*UserFunction, bool) {
	f, ok := c.funcs[strings.ToLower(ns+"."+name)]
	return f, ok
}

func (c *testCtx) CopyIndex(loop string) (int64, bool) {
	i, ok := c.loops[strings.ToLower(loop)]
	return i, ok
}

func (c *testCtx) Resource(nameOrID string) (ResourceView, bool) {
	r, ok := c.res[nameOrID]
	return r, ok
}

func newTestEvaluator(opts Options) (*Evaluator, *testCtx) {
	c := newTestCtx()
	c.ev = NewEvaluator(c, opts)
	return c.ev, c
}

// evalJSONText evaluates expr and renders the result as compact JSON, or
// "error: …" / "unknown(source)".
func evalJSONText(t *testing.T, ev *Evaluator, expr string) string {
	t.Helper()
	v, err := ev.EvalString(expr)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %v is not an *Error", expr, err)
		}
		return "error: " + err.Error()
	}
	if u, ok := FindUnknown(v); ok {
		return "unknown(" + string(u.Source) + ")"
	}
	s, err := ToJSON(v)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return s
}
