package engine

import (
	"context"
	"reflect"
	"testing"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"

	"github.com/azfuncscan/azfuncscan/checks"
)

// TestFieldPathAgreesWithCEL: every built-in expression that is a field
// of app, negated or not, is evaluated without CEL, and gives what CEL
// gives, on the sample app with the field true, false and unknown; and
// where the field is missing, null, of another type or below a value
// that is not an object, the fast path leaves it to CEL. Expressions
// that are not one field have no fast path.
func TestFieldPathAgreesWithCEL(t *testing.T) {
	all, err := LoadCached(checks.FS(), "checks", checks.Decoded())
	if err != nil {
		t.Fatal(err)
	}
	comp, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	paths := 0
	for _, c := range all {
		for _, x := range []*expr{c.logic.when, c.logic.fail, c.logic.lower} {
			if x == nil {
				continue
			}
			p := fieldPathOf(mustNative(t, x))
			if (p != nil) != (x.path != nil) || (p != nil && !reflect.DeepEqual(p, x.path)) {
				t.Errorf("%s %s: fast path %+v, compiled with %+v", c.ID, x.field, p, x.path)
			}
			if x.path == nil {
				continue
			}
			paths++
			viaCEL := *x
			viaCEL.path = nil
			unk := types.NewUnknown(-7, types.NewAttributeTrail(varApp))
			for _, tc := range []struct {
				name   string
				leaf   any
				drop   bool // the field missing
				parent any  // replaces the field's object
				fast   bool // answered without CEL
			}{
				{name: "true", leaf: types.True, fast: true},
				{name: "false", leaf: types.False, fast: true},
				{name: "unknown", leaf: unk, fast: true},
				{name: "null", leaf: nil},
				{name: "a string", leaf: types.String("yes")},
				{name: "missing", drop: true},
				{name: "parent not an object", parent: types.String("x")},
				{name: "parent unknown", parent: unk},
			} {
				data := withField(comp.sampleData, x.path.names, tc.leaf, tc.drop, tc.parent)
				act := &activation{app: data}
				got, ok := x.path.eval(act)
				if ok != tc.fast {
					t.Errorf("%s %s (%s), %s: answered without CEL %v, want %v", c.ID, x.field, x.src, tc.name, ok, tc.fast)
				}
				if !ok {
					continue
				}
				want := evaluate(ctx, &viaCEL, act)
				if got.v != want.v || got.unk != want.unk || (want.err != nil) {
					t.Errorf("%s %s (%s), %s: fast path %+v, CEL %+v", c.ID, x.field, x.src, tc.name, got, want)
				}
			}
		}
	}
	if paths < 30 {
		t.Errorf("%d expressions with a fast path, want the 35 of the built-in checks", paths)
	}
	for _, src := range []string{"app.a.b == true", "!app.a == true", "has(app.a.b)", "app.a[\"b\"]", "item.a", "!app.a || app.b"} {
		ast, iss := comp.appEnv.Parse(src)
		if iss != nil && iss.Err() != nil {
			t.Fatal(iss.Err())
		}
		if p := fieldPathOf(ast.NativeRep().Expr()); p != nil {
			t.Errorf("%s: fast path %+v, want none", src, p)
		}
	}
}

// mustNative is x's expression as parsed again from its source.
func mustNative(t *testing.T, x *expr) celast.Expr {
	t.Helper()
	comp, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	ast, iss := comp.appEnv.Parse(x.src)
	if iss != nil && iss.Err() != nil {
		t.Fatal(iss.Err())
	}
	return ast.NativeRep().Expr()
}

// withField copies data along names and sets the last one to leaf (or
// drops it), or replaces the object holding it with parent when set.
func withField(data map[string]any, names []string, leaf any, drop bool, parent any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		out[k] = v
	}
	if len(names) == 1 {
		switch {
		case drop:
			delete(out, names[0])
		default:
			out[names[0]] = leaf
		}
		return out
	}
	if parent != nil && len(names) == 2 {
		out[names[0]] = parent
		return out
	}
	inner, _ := out[names[0]].(map[string]any)
	if inner == nil {
		inner = map[string]any{}
	}
	out[names[0]] = withField(inner, names[1:], leaf, drop, parent)
	return out
}
