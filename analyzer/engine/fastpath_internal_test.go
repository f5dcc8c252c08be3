package engine

import (
	"cel.dev/cel-go/cel"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"

	"github.com/azfuncscan/azfuncscan/checks"
)

// TestFastExprAgreesWithCEL: every built-in expression of a shape
// fastExpr knows is evaluated without CEL when every field it reads is
// there and of a type its shape expects, or unknown (and may be in other
// cases: a conditional reads one branch); and whatever it answers is what
// CEL gives. Each field read takes, in every combination
// with the others, the values an app's data can hold there (true, false,
// an unknown of its own, null, strings, an object, a number) and the
// cases CEL must answer (missing, below a value that is not an object or
// is unknown). Expressions of other shapes have no fast path.
func TestFastExprAgreesWithCEL(t *testing.T) {
	all, err := LoadCached(checks.FS(), "checks", checks.Decoded())
	if err != nil {
		t.Fatal(err)
	}
	comp, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fast := 0
	// Under -short (the race detector's run in CI) a sample of a
	// quarter; the plain run takes the full one.
	limit := maxCombos
	if testing.Short() {
		limit /= 4
	}
	for _, c := range all {
		for _, x := range []*expr{c.logic.when, c.logic.fail, c.logic.lower} {
			if x == nil {
				continue
			}
			f := fastExprOf(mustNative(t, x))
			if (f != nil) != (x.fast != nil) || (f != nil && !reflect.DeepEqual(f, x.fast)) {
				t.Errorf("%s %s: fast path %+v, compiled with %+v", c.ID, x.field, f, x.fast)
			}
			if x.fast == nil {
				continue
			}
			fast++
			viaCEL := *x
			viaCEL.fast = nil
			leaves := x.fast.leaves(nil)
			fields := byPath(leaves)
			answered := 0
			hints := x.fast.strLits(nil)
			for _, combo := range sampled(variantCombos(fields, -7, hints), limit) {
				data := map[string]any{varApp: comp.sampleData, varItem: map[string]any{}}
				for i, f := range fields {
					v := combo[i]
					data = withField(data, f[0].path(), v.leaf, v.drop, v.parent)
				}
				item, hasItem := data[varItem]
				act := &activation{app: data[varApp], item: item, hasItem: hasItem}
				got, ok := x.fast.eval(act)
				if !ok && allHandled(leaves, data) {
					t.Errorf("%s %s (%s), %s: not answered without CEL", c.ID, x.field, x.src, comboName(combo))
				}
				if !ok {
					continue
				}
				answered++
				want := evaluate(ctx, &viaCEL, act)
				if got.v != want.v || !reflect.DeepEqual(got.unk, want.unk) || want.err != nil {
					t.Errorf("%s %s (%s), %s: fast path %+v, CEL %+v", c.ID, x.field, x.src, comboName(combo), got, want)
				}
			}
			// Three values at least of each field are answered: a
			// bool's true, false and unknown; a string's two and
			// unknown; anything or unknown for a null test.
			if answered < 3 && len(leaves) > 0 {
				t.Errorf("%s %s (%s): the fast path answered %d cases", c.ID, x.field, x.src, answered)
			}
		}
	}
	// 35 expressions were fields alone; the null tests, string
	// comparisons (trimmed and cased or not) and && and || of them made
	// 53; fields of item, lists, ! of a comparison, looks_secret and
	// tls_below 64; exists 68; int comparisons, sizes, string calls,
	// constants and conditionals 77; computed strings, and fields of app
	// within exists, 79; replace() and version_below 81.
	if fast < 81 {
		t.Errorf("%d expressions with a fast path, want the 81 of the built-in checks", fast)
	}
	for _, src := range []string{
		"app.a.b == true", "!app.a == true", "has(app.a.b)", `app.a["b"]`,
		"!(app.a && app.b)",
		`app.a.startsWith(app.b)`, `app.a.matches("(")`, `app.a.foo("x")`, `app.a in ["x", 1]`,
		"app.a < 1.5", "app.a < app.b", "size(app.a) > app.b", "app.a.size(1) > 0", "!(app.a ? app.b : app.c)",
		"app.a ? app.b : app.c.d()", `app.a in app.b`, `app.a in [app.b]`,
		`app.a.replace(app.b, "b") == "x"`, `app.a.replace("a", "b", 1) == "x"`, `trim(app.a) == "x"`,
		`version_below(app.a, app.b)`, `version_below(app.a, "x")`, `version_below("1", app.a)`,
		"!(app.a || app.b)", "other.a", "app", `tls_below(app.a, "x")`, `tls_below(app.a, app.b)`,
		"looks_secret(item.name.trim(), item.value)", `looks_secret(item.name, "x")`,
		"app.a.all(x, x.b)", "app.a.exists_one(x, x.b)",
		"app.a.exists(x, y.b)", "app.a.exists(x, x.b.exists(y, x.c))", "[true].exists(x, x)", "app.a.exists(x, x.size() > app.b)",
		"app.a == app.b + 1", `app.a == app.b.replace("x", app.c)`, "app.a + app.b == app.c.d()", "app.a == (app.b ? app.c : 1)",
	} {
		ast, iss := comp.appEnv.Parse(src)
		if iss != nil && iss.Err() != nil {
			t.Fatal(iss.Err())
		}
		if f := fastExprOf(ast.NativeRep().Expr()); f != nil {
			t.Errorf("%s: fast path %+v, want none", src, f)
		}
	}
	for src, want := range map[string]*fastExpr{
		"!app.a || app.b.c":                {op: opOr, args: [2]*fastExpr{{op: opField, names: []string{"a"}, not: true}, {op: opField, names: []string{"b", "c"}}}},
		`app.a != "x"`:                     {op: opEqString, names: []string{"a"}, lit: "x", not: true},
		"app.a.b == null":                  {op: opIsNull, names: []string{"a", "b"}},
		`app.a.trim().lowerAscii() == "x"`: {op: opEqString, names: []string{"a"}, lit: "x", norm: []stringFunc{{kind: sfTrim}, {kind: sfLowerASCII}}},
		`app.a.upperAscii().trim() != "X"`: {op: opEqString, names: []string{"a"}, lit: "X", not: true, norm: []stringFunc{{kind: sfUpperASCII}, {kind: sfTrim}}},
		`item.trim() == "*"`:               {op: opEqString, item: true, lit: "*", norm: []stringFunc{{kind: sfTrim}}},
		`app.a && item.b`:                  {op: opAnd, args: [2]*fastExpr{{op: opField, names: []string{"a"}}, {op: opField, names: []string{"b"}, item: true}}},
		`!(item.n.upperAscii() in ["A", "B"])`: {op: opInStrings, names: []string{"n"}, item: true, not: true,
			lits: []string{"A", "B"}, norm: []stringFunc{{kind: sfUpperASCII}}},
		`!(app.a == null)`:            {op: opIsNull, names: []string{"a"}, not: true},
		`!!app.a`:                     {op: opField, names: []string{"a"}},
		`tls_below(app.t, "TLS1_2")`:  {op: opTLSBelow, names: []string{"t"}, min: 12},
		"looks_secret(item.n, app.v)": {op: opLooksSecret, args: [2]*fastExpr{{op: opString, names: []string{"n"}, item: true}, {op: opString, names: []string{"v"}}}},
		`!app.a.exists(x, x.b == "y")`: {op: opExists, iter: "x", not: true, args: [2]*fastExpr{
			{op: opList, names: []string{"a"}}, {op: opEqString, names: []string{"b"}, loop: "x", lit: "y"}}},
		`"x" == app.a.trim()`: {op: opEqStrings, args: [2]*fastExpr{{op: opStrLit, lit: "x"}, {op: opStrField, names: []string{"a"}, norm: []stringFunc{{kind: sfTrim}}}}},
		`item.a != (app.b ? "x-" + app.c : "x")`: {op: opEqStrings, not: true, args: [2]*fastExpr{
			{op: opStrField, names: []string{"a"}, item: true},
			{op: opStrCond, cond: &fastExpr{op: opField, names: []string{"b"}}, args: [2]*fastExpr{
				{op: opStrConcat, args: [2]*fastExpr{{op: opStrLit, lit: "x-"}, {op: opStrField, names: []string{"c"}}}},
				{op: opStrLit, lit: "x"}}}}},
		"item.a.exists(x, x.b.exists(y, y))": {op: opExists, iter: "x", args: [2]*fastExpr{
			{op: opList, names: []string{"a"}, item: true},
			{op: opExists, iter: "y", args: [2]*fastExpr{{op: opList, names: []string{"b"}, loop: "x"}, {op: opField, loop: "y"}}}}},
	} {
		ast, iss := comp.appEnv.Parse(src)
		if iss != nil && iss.Err() != nil {
			t.Fatal(iss.Err())
		}
		if got := fastExprOf(ast.NativeRep().Expr()); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fast path %+v, want %+v", src, got, want)
		}
	}
}

// leaves appends the fields f reads, with the shape that reads each; an
// exists is one, reading its list (its elements' fields are the leaves of
// its condition).
func (f *fastExpr) leaves(out []*fastExpr) []*fastExpr {
	switch f.op {
	case opAnd, opOr, opLooksSecret, opEqStrings, opStrConcat:
		return f.args[1].leaves(f.args[0].leaves(out))
	case opCond, opStrCond:
		return f.args[1].leaves(f.args[0].leaves(f.cond.leaves(out)))
	case opConst, opStrLit:
		return out
	case opExists:
		// The exists, and the fields of app or item its condition
		// reads (those of its elements are its list's variants).
		out = append(out, f)
		for _, l := range f.args[1].leaves(nil) {
			if l.loopOf() == "" {
				out = append(out, l)
			}
		}
		return out
	}
	return append(out, f)
}

// loopOf is the variable of the exists whose element leaf l reads, or "".
func (f *fastExpr) loopOf() string {
	if f.op == opExists {
		return f.args[0].loop
	}
	return f.loop
}

// elementLeaves are the leaves of an exists' condition that read its
// element.
func (f *fastExpr) elementLeaves() []*fastExpr {
	var out []*fastExpr
	for _, l := range f.args[1].leaves(nil) {
		if l.loopOf() == f.iter {
			out = append(out, l)
		}
	}
	return out
}

// strLits appends the string literals of f, for variants that make the
// comparisons it holds true.
func (f *fastExpr) strLits(out []string) []string {
	if f == nil {
		return out
	}
	if f.op == opStrLit || f.op == opEqString || f.op == opStrCall {
		out = append(out, f.lit)
	}
	out = append(out, f.lits...)
	return f.cond.strLits(f.args[1].strLits(f.args[0].strLits(out)))
}

// path is the field a leaf reads, from the variable it is of.
func (f *fastExpr) path() []string {
	if f.op == opExists {
		return f.args[0].path()
	}
	root := varApp
	switch {
	case f.loop != "":
		root = f.loop
	case f.item:
		root = varItem
	}
	return append([]string{root}, f.names...)
}

// maxCombos bounds the combinations of values TestFastExprAgreesWithCEL
// evaluates for one expression: AZFUNC-007's nested exists, with the app
// fields its condition reads, makes 146k.
const maxCombos = 20000

// sampled returns n of combos, picked at random with a fixed seed (every
// one when there are no more than n).
func sampled(combos [][]variant, n int) [][]variant {
	if len(combos) <= n {
		return combos
	}
	r := rand.New(rand.NewPCG(1, 2))
	picked := r.Perm(len(combos))[:n]
	slices.Sort(picked)
	out := make([][]variant, n)
	for i, j := range picked {
		out[i] = combos[j]
	}
	return out
}

// variant is one value a field read takes in TestFastExprAgreesWithCEL.
type variant struct {
	name   string
	leaf   any
	drop   bool // the field missing
	parent any  // replaces the field's object
}

// byPath groups leaves by the field they read, in the order of the
// first leaf of each: one field has one value in an app, however many
// leaves read it (AZFUNC-083 reads its runtime version 8 times).
func byPath(leaves []*fastExpr) [][]*fastExpr {
	var out [][]*fastExpr
	at := map[string]int{}
	for _, l := range leaves {
		key := strings.Join(l.path(), "\x00")
		if i, ok := at[key]; ok {
			out[i] = append(out[i], l)
			continue
		}
		at[key] = len(out)
		out = append(out, []*fastExpr{l})
	}
	return out
}

// variantCombos returns every combination of the variants of each field
// (the leaves that read it): its unknown is its own (so that merged
// unknowns are compared), and the values its leaves' shapes meet (a
// string leaf's literal, versions around a minimum, …). Unknowns are
// numbered down from base.
func variantCombos(fields [][]*fastExpr, base int64, hints []string) [][]variant {
	combos := [][]variant{nil}
	for i, field := range fields {
		vs := fieldVariants(field, types.NewUnknown(base-int64(i), types.NewAttributeTrail(varApp)), base, hints)
		var next [][]variant
		for _, c := range combos {
			for _, v := range vs {
				next = append(next, append(slices.Clone(c), v))
			}
		}
		combos = next
	}
	return combos
}

// fieldVariants are the values of one field read by leaves: those of
// every type, and those each leaf's shape meets, each once.
func fieldVariants(leaves []*fastExpr, unk *types.Unknown, base int64, hints []string) []variant {
	var vs []variant
	seen := map[string]bool{}
	add := func(v variant) {
		key := fmt.Sprintf("%s\x00%#v\x00%v\x00%#v", v.name, v.leaf, v.drop, v.parent)
		if !seen[key] {
			seen[key] = true
			vs = append(vs, v)
		}
	}
	for _, l := range leaves {
		for _, v := range leafVariants(l, unk, base, hints) {
			add(v)
		}
	}
	return vs
}

// leafVariants are the values the field of leaf l takes.
func leafVariants(l *fastExpr, unk *types.Unknown, base int64, hints []string) []variant {
	vs := []variant{
		{name: "true", leaf: types.True},
		{name: "false", leaf: types.False},
		{name: "unknown", leaf: unk},
		{name: "null", leaf: nil},
		{name: "a string", leaf: types.String("yes")},
		{name: "an object", leaf: map[string]any{}},
		{name: "a number", leaf: types.Int(3)},
		{name: "missing", drop: true},
		{name: "parent not an object", parent: types.String("x")},
		{name: "parent unknown", parent: unk},
	}
	lits := l.lits
	if l.op == opEqString {
		lits = []string{l.lit}
	}
	for _, lit := range lits {
		// The literal, and strings trim(), lowerAscii() or
		// upperAscii() make it or not: spaced, in the other case,
		// with bytes that are not UTF-8 (U+FFFD to the case
		// functions).
		vs = append(vs,
			variant{name: "the literal " + lit, leaf: types.String(lit)},
			variant{name: "the literal spaced", leaf: types.String(" \t" + lit + "\n")},
			variant{name: "the literal upper-cased, spaced", leaf: types.String("  " + strings.ToUpper(lit) + " ")},
			variant{name: "the literal lower-cased", leaf: types.String(strings.ToLower(lit))},
			variant{name: "the literal after a byte that is not UTF-8", leaf: types.String("\xff" + lit)},
			variant{name: "a U+FFFD and the literal", leaf: types.String("\uFFFD" + lit)},
		)
	}
	// What replace() changes: its string once, twice, and around the
	// literals.
	for _, fn := range l.norm {
		if fn.kind != sfReplace {
			continue
		}
		ws := []string{fn.from, fn.from + fn.from, "x" + fn.from + "y" + fn.from}
		for _, lit := range append(slices.Clone(lits), l.lit) {
			ws = append(ws, fn.from+lit, lit+fn.from+fn.from, strings.ToLower(fn.from)+lit)
		}
		for _, w := range ws {
			vs = append(vs, variant{name: fmt.Sprintf("the string %q", w), leaf: types.String(w)})
		}
	}
	switch l.op {
	case opTLSBelow:
		// Versions below, at and above the minimum, as tls_below
		// reads them; and one it cannot read (CEL's error).
		for _, v := range []string{"1.0", "1.1", " 1.2", "TLS1_2", "TLSv1.3", "1.3", "12", "tls1.0", "1.9", "0.5"} {
			vs = append(vs, variant{name: "version " + v, leaf: types.String(v)})
		}
	case opVersionBelow:
		// Versions below, at and above the minimum, as
		// version_below reads them, and what the string functions
		// before it change; and ones it cannot read (CEL's error).
		for _, v := range []string{l.lit, "v" + l.lit, "~" + l.lit, l.lit + ".1", l.lit + "-preview", " " + l.lit,
			"0", "1.8", "8", "11", "3.9", "3.11", "3.12", "4.0", "v4.0", "~4", "6", "7.2", "7.4", "9.0", "10", "17-LTS", "20", "22",
			"", "abc", "v", "1..2", "x1.8"} {
			vs = append(vs, variant{name: fmt.Sprintf("version %q", v), leaf: types.String(v)})
		}
	case opString:
		for _, v := range []string{"password", "AccountKey=c2VjcmV0c2VjcmV0", "Server=x;Password=hunter2;", "", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=;"} {
			vs = append(vs, variant{name: "the string " + v, leaf: types.String(v)})
		}
	case opExists:
		vs = append(vs, listVariants(l, base-100, hints)...)
	case opStrField:
		// The literals of the expression (what a comparison with
		// a computed string can meet), and around them.
		for _, v := range slices.Compact(slices.Sorted(slices.Values(hints))) {
			for _, w := range []string{v, v + "x", " " + strings.ToUpper(v) + "X ", v + v} {
				vs = append(vs, variant{name: fmt.Sprintf("the string %q", w), leaf: types.String(w)})
			}
		}
		vs = append(vs, variant{name: `the string "x"`, leaf: types.String("x")}, variant{name: `the string "X"`, leaf: types.String("X")})
	case opCmpInt:
		for _, n := range []int64{l.num - 1, l.num, l.num + 1, 0, -1} {
			vs = append(vs, variant{name: fmt.Sprint("the int ", n), leaf: types.Int(n)})
		}
		vs = append(vs, variant{name: "the double", leaf: types.Double(l.num)})
	case opSize:
		for n := range max(l.num+2, 3) {
			vs = append(vs, variant{name: fmt.Sprint("a list of ", n), leaf: slices.Repeat([]any{types.String("x")}, int(n))})
		}
	case opStrCall:
		for _, v := range []string{l.lit, "a" + l.lit, l.lit + "b", "a" + l.lit + "b", strings.ToUpper(l.lit), " " + l.lit,
			"listkeys", "connection_strings", "secret", "", "~4", "4.1", "v10", "~3", "sas", "sig=abc", "SAS", "azurerm_x", "azure:y"} {
			vs = append(vs, variant{name: fmt.Sprintf("the string %q", v), leaf: types.String(v)})
		}
	}
	return vs
}

// listVariants are the lists an exists' list takes: empty, of one
// element and of two, each element one the condition's leaves make (each
// combination of their variants); the second of two takes a sample of
// them, with unknowns of its own, so that the order unknowns are merged
// in shows.
func listVariants(l *fastExpr, base int64, hints []string) []variant {
	elements := func(base int64) (names []string, out []any) {
		fields := byPath(l.elementLeaves())
		for _, combo := range variantCombos(fields, base, hints) {
			data := map[string]any{l.iter: map[string]any{}}
			for i, f := range fields {
				v := combo[i]
				data = withField(data, f[0].path(), v.leaf, v.drop, v.parent)
			}
			if el, ok := data[l.iter]; ok {
				names, out = append(names, comboName(combo)), append(out, el)
			}
		}
		return names, out
	}
	firstNames, first := elements(base)
	secondNames, second := elements(base - 50)
	vs := []variant{{name: "an empty list", leaf: []any{}}}
	for i, el := range first {
		vs = append(vs, variant{name: "[" + firstNames[i] + "]", leaf: []any{el}})
		for j := 0; j < len(second); j += max(1, len(second)/7) {
			vs = append(vs, variant{name: "[" + firstNames[i] + "; " + secondNames[j] + "]", leaf: []any{el, second[j]}})
		}
	}
	return vs
}

func comboName(combo []variant) string {
	names := make([]string, len(combo))
	for i, v := range combo {
		names[i] = v.name
	}
	return strings.Join(names, ", ")
}

// allHandled reports whether every leaf's field is in data and of a
// type its shape expects, or unknown: when the fast path must answer.
func allHandled(leaves []*fastExpr, data map[string]any) bool {
	for _, l := range leaves {
		v, ok := field(data, l.path())
		if !ok || !handled(l, v) {
			return false
		}
	}
	return true
}

// handled reports whether v is a value the shape of leaf l answers: of
// the type it expects, or unknown; for an exists, a list each element of
// which its condition's leaves handle.
func handled(l *fastExpr, v any) bool {
	switch s := v.(type) {
	case *types.Unknown:
		return true
	case types.Bool:
		return l.op == opField || l.op == opIsNull
	case types.String:
		switch l.op {
		case opTLSBelow:
			_, err := parseTLS(string(s))
			return err == nil
		case opVersionBelow:
			v := string(s)
			for _, fn := range l.norm {
				v = fn.apply(v)
			}
			_, err := parseVersion(v)
			return err == nil
		case opIsNull, opEqString, opInStrings, opString, opStrCall, opStrField:
			return true
		}
		return false
	case []any:
		switch l.op {
		case opExists:
			for _, el := range s {
				if !allHandled(l.elementLeaves(), map[string]any{l.iter: el}) {
					return false
				}
			}
			return true
		case opSize, opIsNull:
			return true
		}
		return false
	case types.Int:
		return l.op == opIsNull || l.op == opCmpInt
	case nil, map[string]any:
		return l.op == opIsNull
	}
	return false
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

// TestFastExprStringFuncs: trim(), lowerAscii() and upperAscii() before
// a comparison give what cel-go's strings extension gives, on strings
// where the difference shows: Unicode spaces, non-ASCII letters (left as
// they are), bytes that are not UTF-8 (U+FFFD to the case functions, not
// to trim).
func TestFastExprStringFuncs(t *testing.T) {
	comp, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	exprs := []string{
		`app.flavor.trim() == "x"`,
		`app.flavor.lowerAscii() == "\uFFFDx"`,
		`app.flavor.upperAscii() == "\uFFFDX"`,
		`app.flavor.lowerAscii() == "Éx"`,
		`app.flavor.trim().lowerAscii() != "x é"`,
		`app.flavor.upperAscii().trim() == "X\uFFFD"`,
	}
	values := []string{"x", " x ", "\u00a0x\u2003", "\xffx", "\xffX", "ÉX", "Éx", "X É", " x é\t", "x\xff ", "X\uFFFD", ""}
	for _, src := range exprs {
		f, prg := compileFast(t, comp, src)
		if len(f.norm) == 0 {
			t.Fatalf("%s: fast path %+v, want one with string functions", src, f)
		}
		for _, v := range values {
			data := map[string]any{"flavor": types.String(v)}
			got, ok := f.eval(&activation{app: data})
			if !ok {
				t.Fatalf("%s on %q: not answered", src, v)
			}
			out, _, err := prg.Eval(map[string]any{varApp: data})
			if err != nil {
				t.Fatal(err)
			}
			if want := truthOf(out == types.True); got != want {
				t.Errorf("%s on %q: fast path %+v, CEL %v", src, v, got, out)
			}
		}
	}
}

// TestFastExprCalls: tls_below and looks_secret, a list, the constants,
// a conditional, the string functions and sizes, answered
// without CEL give what CEL gives, also with minima and values the
// built-in checks do not use (a minimum of 1.5, where TLS 1.3 and later
// are never below).
func TestFastExprCalls(t *testing.T) {
	comp, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	exprs := []string{
		`tls_below(app.flavor, "1.0")`,
		`tls_below(app.flavor, "1.2")`,
		`!tls_below(app.flavor, "1.3")`,
		`tls_below(app.flavor, "TLS1_3")`,
		`tls_below(app.flavor, "1.5")`,
		`looks_secret(app.flavor, app.type)`,
		`!looks_secret(app.type, app.flavor)`,
		`app.flavor.trim() in ["1.2", "password", ""]`,
		`!(app.flavor in [])`,
		`!true || app.flavor == "1.2"`,
		`false ? true : app.flavor.endsWith("2")`,
		`app.flavor.lowerAscii().matches("^(tls)?1[._]?[0-2]$") && !app.flavor.contains(" ")`,
		`!app.flavor.startsWith("1") ? size(app.private_endpoints) >= 1 : app.maximum_instance_count <= 0`,
		`app.maximum_instance_count < 3 || app.private_endpoints.size() != 0`,
		`app.maximum_instance_count > 3 && app.maximum_instance_count != 5 || app.maximum_instance_count == 0`,
		`version_below(app.flavor, "1.2")`,
		`!version_below(app.flavor, "1.10")`,
		`version_below(app.flavor.replace("1.", "v"), "2")`,
		`app.flavor.replace("1", "").replace(".", "-") == "-2"`,
		`app.flavor.replace("1", "11").startsWith("11.11")`,
		`app.flavor.upperAscii().replace("TLS", "") in ["1_2", "V1.4", "13"]`,
	}
	values := []string{"1.0", "1.1", "1.2", "TLS1_2", "1.3", "tls13", "TLSv1.4", "1.9", "password", "Password=x;", "", " 1.2 ",
		"1.10", "1.1.1", "v1.12", "~1", "1.2-preview", "11.1"}
	for _, src := range exprs {
		f, prg := compileFast(t, comp, src)
		for _, v := range values {
			data := map[string]any{"flavor": types.String(v), "type": types.String("AccountKey=" + v),
				"private_endpoints": []any{}, "maximum_instance_count": types.Int(len(v))}
			out, _, err := prg.Eval(map[string]any{varApp: data})
			got, ok := f.eval(&activation{app: data})
			if err != nil {
				// CEL's error (a version tls_below or version_below
				// cannot read) is left to CEL.
				if ok {
					t.Errorf("%s on %q: fast path %+v, CEL error %v", src, v, got, err)
				}
				continue
			}
			if !ok {
				t.Errorf("%s on %q: not answered", src, v)
				continue
			}
			if want := truthOf(out == types.True); got != want {
				t.Errorf("%s on %q: fast path %+v, CEL %v", src, v, got, out)
			}
		}
	}
}

// compileFast compiles src for app and returns its fast path, which it
// must have, and its CEL program.
func compileFast(t *testing.T, comp *compiler, src string) (*fastExpr, cel.Program) {
	t.Helper()
	ast, iss := comp.appEnv.Compile(src)
	if iss != nil && iss.Err() != nil {
		t.Fatal(iss.Err())
	}
	f := fastExprOf(ast.NativeRep().Expr())
	if f == nil {
		t.Fatalf("%s: no fast path", src)
	}
	prg, err := comp.appEnv.Program(ast)
	if err != nil {
		t.Fatal(err)
	}
	return f, prg
}

// TestFastExprStringValues: comparisons of computed strings, with their
// operands known or unknown (each its own, so that the merge of two shows),
// give what CEL gives.
func TestFastExprStringValues(t *testing.T) {
	comp, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	exprs := []string{
		`app.flavor + app.type == "xy"`,
		`app.flavor.lowerAscii() != app.flavor`,
		`app.flavor == app.type`,
		`app.type != (app.https_only ? "x-" + app.flavor : app.flavor + "-x")`,
	}
	values := []any{types.String("x"), types.String("X"), types.String("y"), types.String("x-x"), nil}
	for _, src := range exprs {
		f, prg := compileFast(t, comp, src)
		for i, a := range values {
			for j, b := range values {
				for _, https := range []any{types.True, types.False, nil} {
					data := map[string]any{"flavor": a, "type": b, "https_only": https}
					// nil stands for an unknown of the field's own.
					for k, name := range []string{"flavor", "type", "https_only"} {
						if data[name] == nil {
							data[name] = types.NewUnknown(int64(-1-k), types.NewAttributeTrail(varApp))
						}
					}
					got, ok := f.eval(&activation{app: data})
					if !ok {
						t.Errorf("%s on %d, %d: not answered", src, i, j)
						continue
					}
					want := evaluate(context.Background(), &expr{src: src, program: func() (cel.Program, error) { return prg, nil }}, &activation{app: data})
					if got.v != want.v || !reflect.DeepEqual(got.unk, want.unk) {
						t.Errorf("%s on %v, %v, %v: fast path %+v, CEL %+v", src, data["flavor"], data["type"], data["https_only"], got, want)
					}
				}
			}
		}
	}
}
