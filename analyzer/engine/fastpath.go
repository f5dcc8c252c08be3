package engine

import (
	"slices"
	"strings"
	"unicode"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// fastExpr is an expression the engine answers without CEL in the cases
// it knows. Each is evaluated for every app, and for the simplest ones
// CEL's interpreter (its attribute resolution, the activation's lookups,
// the value's adaptation, an execution frame per evaluation) was most of
// their cost, where the fields they read are a few map lookups away in
// the app's data (celData). The shapes known, which are 53 of the
// expressions of the built-in checks:
//
//   - a field of app, negated or not: app.https_only, !app.auth.enabled;
//   - a field compared with null: app.storage_account != null;
//   - a field compared with a string literal, maybe after trim(),
//     lowerAscii() or upperAscii(): app.flavor != "flex",
//     app.site_config.ftps_state.trim().lowerAscii() == "allallowed";
//   - && and || of those: app.plan != null && app.plan.tier != "Dynamic".
//
// eval answers what CEL answers when every field read is there and of a
// type the shape expects (a bool for a field alone; anything or null for
// a null test; a string for a literal), or unknown; it leaves every
// other case (a missing field, a field below a value that is not an
// object, an error CEL would report) to CEL, whatever the other operand
// of && or || gives.
type fastExpr struct {
	op    fastOp
	names []string // the field of app read (all but opAnd, opOr)
	// not negates the answer: !field, != null, != "literal".
	not  bool
	lit  string       // opEqString
	args [2]*fastExpr // opAnd, opOr
	// norm are the string functions applied to the field before it is
	// compared (opEqString), first applied first.
	norm []stringFunc
}

// stringFunc is one of the functions of cel-go's strings extension that
// fastExpr applies as the extension does.
type stringFunc uint8

const (
	fnTrim stringFunc = iota
	fnLowerASCII
	fnUpperASCII
)

// stringFuncNamed is the stringFunc CEL calls name, if any.
func stringFuncNamed(name string) (stringFunc, bool) {
	switch name {
	case "trim":
		return fnTrim, true
	case "lowerAscii":
		return fnLowerASCII, true
	case "upperAscii":
		return fnUpperASCII, true
	}
	return 0, false
}

// apply gives what the strings extension gives: trim is strings.TrimSpace;
// lowerAscii and upperAscii change the case of ASCII letters only, of s
// read as runes (bytes that are not UTF-8 read as U+FFFD, as the
// extension's conversion to runes reads them).
func (fn stringFunc) apply(s string) string {
	if fn == fnTrim {
		return strings.TrimSpace(s)
	}
	runes := []rune(s)
	for i, r := range runes {
		if r <= unicode.MaxASCII {
			if fn == fnLowerASCII {
				runes[i] = unicode.ToLower(r)
			} else {
				runes[i] = unicode.ToUpper(r)
			}
		}
	}
	return string(runes)
}

type fastOp uint8

const (
	opField    fastOp = iota // a bool field
	opIsNull                 // field == null
	opEqString               // field == "literal"
	opAnd
	opOr
)

// fastExprOf returns the fastExpr e is, or nil.
func fastExprOf(e celast.Expr) *fastExpr {
	if e.Kind() != celast.CallKind {
		return fieldOf(e, opField)
	}
	call := e.AsCall()
	args := call.Args()
	if call.IsMemberFunction() || len(args) == 0 || len(args) > 2 {
		return nil
	}
	switch fn := call.FunctionName(); {
	case fn == operators.LogicalNot && len(args) == 1:
		f := fieldOf(args[0], opField)
		if f != nil {
			f.not = true
		}
		return f
	case (fn == operators.LogicalAnd || fn == operators.LogicalOr) && len(args) == 2:
		l, r := fastExprOf(args[0]), fastExprOf(args[1])
		if l == nil || r == nil {
			return nil
		}
		op := opAnd
		if fn == operators.LogicalOr {
			op = opOr
		}
		return &fastExpr{op: op, args: [2]*fastExpr{l, r}}
	case (fn == operators.Equals || fn == operators.NotEquals) && len(args) == 2:
		lit := args[1]
		if lit.Kind() != celast.LiteralKind {
			return nil
		}
		var f *fastExpr
		switch v := lit.AsLiteral().(type) {
		case types.Null:
			f = fieldOf(args[0], opIsNull)
		case types.String:
			target, norm := normalized(args[0])
			if f = fieldOf(target, opEqString); f != nil {
				f.lit, f.norm = string(v), norm
			}
		}
		if f != nil {
			f.not = fn == operators.NotEquals
		}
		return f
	}
	return nil
}

// normalized splits e, a value with string functions applied to it
// (app.x.trim().lowerAscii()), into that value and the functions, first
// applied first.
func normalized(e celast.Expr) (celast.Expr, []stringFunc) {
	var norm []stringFunc
	for e.Kind() == celast.CallKind {
		call := e.AsCall()
		fn, ok := stringFuncNamed(call.FunctionName())
		if !ok || !call.IsMemberFunction() || len(call.Args()) != 0 {
			break
		}
		norm = append(norm, fn)
		e = call.Target()
	}
	slices.Reverse(norm)
	return e, norm
}

// fieldOf returns the fastExpr of kind op that reads the field of app e
// selects, or nil when e is not a field of app.
func fieldOf(e celast.Expr, op fastOp) *fastExpr {
	var names []string
	for e.Kind() == celast.SelectKind {
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			return nil
		}
		names = append(names, sel.FieldName())
		e = sel.Operand()
	}
	if e.Kind() != celast.IdentKind || e.AsIdent() != varApp || len(names) == 0 {
		return nil
	}
	for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
		names[i], names[j] = names[j], names[i]
	}
	return &fastExpr{op: op, names: names}
}

// eval evaluates the expression on the app's data (act's app); ok is
// false when CEL must (see fastExpr).
func (f *fastExpr) eval(act *activation) (evalResult, bool) {
	switch f.op {
	case opAnd, opOr:
		return f.logical(act)
	}
	v, ok := field(act.app, f.names)
	if !ok {
		return evalResult{}, false
	}
	if unk, ok := v.(*types.Unknown); ok {
		// CEL gives an unknown operand back, negated or compared.
		return evalResult{v: isUnknown, unk: unk}, true
	}
	var b bool
	switch f.op {
	case opField:
		bv, ok := v.(types.Bool)
		if !ok {
			return evalResult{}, false
		}
		b = bool(bv)
	case opIsNull:
		switch v.(type) {
		case nil:
			b = true
		case types.Bool, types.String, types.Int, map[string]any, []any:
		default:
			return evalResult{}, false
		}
	case opEqString:
		s, ok := v.(types.String)
		if !ok {
			return evalResult{}, false
		}
		str := string(s)
		for _, fn := range f.norm {
			str = fn.apply(str)
		}
		b = str == f.lit
	}
	return truthOf(b != f.not), true
}

// logical evaluates && and || as CEL does: a false operand of && (true
// of ||) decides, whatever the other; else an unknown operand gives the
// unknown (both: merged, left first); else the other value.
func (f *fastExpr) logical(act *activation) (evalResult, bool) {
	l, ok := f.args[0].eval(act)
	if !ok {
		return evalResult{}, false
	}
	r, ok := f.args[1].eval(act)
	if !ok {
		return evalResult{}, false
	}
	decides := isFalse
	if f.op == opOr {
		decides = isTrue
	}
	switch {
	case l.v == decides || r.v == decides:
		return evalResult{v: decides}, true
	case l.v == isUnknown && r.v == isUnknown:
		return evalResult{v: isUnknown, unk: types.MergeUnknowns(l.unk, r.unk)}, true
	case l.v == isUnknown:
		return l, true
	}
	return r, true
}

// field is the value at names in data, when every value on the way
// there is an object that has the next name.
func field(data any, names []string) (any, bool) {
	v := data
	for _, name := range names {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[name]; !ok {
			return nil, false
		}
	}
	return v, true
}

func truthOf(b bool) evalResult {
	if b {
		return evalResult{v: isTrue}
	}
	return evalResult{v: isFalse}
}
