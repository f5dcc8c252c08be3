package engine

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/overloads"
	"cel.dev/cel-go/common/types"
)

// fastExpr is an expression the engine answers without CEL in the cases
// it knows. Each is evaluated for every app, and for the simplest ones
// CEL's interpreter (its attribute resolution, the activation's lookups,
// the value's adaptation, an execution frame per evaluation) was most of
// their cost, where the fields they read are a few map lookups away in
// the app's data (celData). A field is one of app or of item (an item
// check's element, or the element itself), or, within an exists, of the
// element it is at. The shapes known, which are all 81 expressions of
// the built-in checks:
//
//   - a field, negated or not: app.https_only, !app.auth.enabled;
//   - a field compared with null: app.storage_account != null;
//   - a field compared with a string literal, maybe after trim(),
//     lowerAscii(), upperAscii() or replace() of two literals:
//     app.flavor != "flex",
//     app.site_config.ftps_state.trim().lowerAscii() == "allallowed",
//     item.trim() == "*";
//   - the same in a list of string literals: app.plan.tier in
//     ["Standard", "Premium"];
//   - looks_secret of two fields; tls_below of a field, and
//     version_below of a field (maybe after the string functions), and
//     a literal version: tls_below(app.site_config.min_tls_version, "1.2");
//   - startsWith, endsWith, contains and matches of a field (maybe after
//     the string functions) with a literal: app.type.startsWith("azure:");
//   - an int field, or the size of a list field, compared with an int
//     literal: app.storage_account.app_count >= 2,
//     size(app.diagnostic_settings) == 0;
//   - true and false; c ? a : b of these shapes;
//   - == and != of two strings made of string fields (after the string
//     functions), literals, + and ?: (s.trim() == (app.is_slot ?
//     "sites-" + app.slot_name : "sites"));
//   - ! of any of those but a field alone (which is above) and && and
//     ||: !(item.name.upperAscii() in ["A", "B"]);
//   - && and || of those: app.plan != null && app.plan.tier != "Dynamic";
//   - exists of a list field, negated or not, whose condition is one of
//     these shapes and reads its element and fields of app or item (not
//     the element of an exists around it):
//     !app.app_settings.exists(s, s.name.upperAscii() == "X"), and
//     exists within exists (pe.subresource_names.exists(s, …)).
//
// eval answers what CEL answers when every field read is there and of a
// type the shape expects (a bool for a field alone; anything or null for
// a null test; a string for a literal, a list or a function, and for
// tls_below and version_below one it reads as a version; an int, or a
// list for a size;
// for an exists, a list each element of which its condition answers), or
// unknown; of a conditional, only the branch its condition picks is
// read, as CEL reads it. It leaves every other case (a missing field, a
// field below a value that is not an object, an error CEL would report)
// to CEL, whatever the other operand of && or || gives.
type fastExpr struct {
	op fastOp
	// names is the field read by the ops that read one (not opAnd,
	// opOr, opCond, opLooksSecret, opExists, opEqStrings, opConst and
	// the string values but opStrField): of item when item is set
	// (none: item itself), of the element of the exists of variable
	// loop when loop is set, else of app.
	names []string
	item  bool
	loop  string
	// iter is opExists's variable: args[0] is the list (an opList),
	// args[1] what each element must satisfy.
	iter string
	// not negates the answer: !field, != null, != "literal", !exists.
	not  bool
	lit  string   // opEqString, opStrLit; opStrCall's argument; opVersionBelow's minimum
	lits []string // opInStrings
	min  int      // opTLSBelow: the minimum, as parseTLS reads it
	// rel and num: opCmpInt and opSize compare with num by rel.
	rel relOp
	num int64
	// fn is opStrCall's function (startsWith, endsWith, contains,
	// matches); re is matches' pattern, compiled.
	fn string
	re *regexp.Regexp
	// cond is the condition of opCond and opStrCond, args[0] and
	// args[1] their branches.
	cond *fastExpr
	// args are the operands of opAnd, opOr, opLooksSecret (two opString),
	// opEqStrings and opStrConcat (string values), and opExists.
	args [2]*fastExpr
	// norm are the string functions applied to the field before it is
	// read (opEqString, opInStrings, opStrCall, opStrField, opVersionBelow), first
	// applied first.
	norm []stringFunc
}

// stringFunc is a call of one of the functions of cel-go's strings
// extension that fastExpr applies as the extension does.
type stringFunc struct {
	kind stringFuncKind
	// from and to are the literal arguments of replace.
	from, to string
}

type stringFuncKind uint8

const (
	sfTrim stringFuncKind = iota
	sfLowerASCII
	sfUpperASCII
	sfReplace
)

// stringFuncOf is the stringFunc call is, if any: trim(), lowerAscii()
// and upperAscii(), and replace() of two string literals.
func stringFuncOf(call celast.CallExpr) (stringFunc, bool) {
	if !call.IsMemberFunction() {
		return stringFunc{}, false
	}
	args := call.Args()
	switch name := call.FunctionName(); {
	case len(args) == 0 && name == "trim":
		return stringFunc{kind: sfTrim}, true
	case len(args) == 0 && name == "lowerAscii":
		return stringFunc{kind: sfLowerASCII}, true
	case len(args) == 0 && name == "upperAscii":
		return stringFunc{kind: sfUpperASCII}, true
	case len(args) == 2 && name == "replace":
		from, ok1 := stringLit(args[0])
		to, ok2 := stringLit(args[1])
		if ok1 && ok2 {
			return stringFunc{kind: sfReplace, from: from, to: to}, true
		}
	}
	return stringFunc{}, false
}

// stringLit is the string e is, when it is a string literal.
func stringLit(e celast.Expr) (string, bool) {
	if e.Kind() != celast.LiteralKind {
		return "", false
	}
	v, ok := e.AsLiteral().(types.String)
	return string(v), ok
}

// apply gives what the strings extension gives: trim is strings.TrimSpace;
// replace(from, to) is strings.ReplaceAll; lowerAscii and upperAscii
// change the case of ASCII letters only, of s read as runes (bytes that
// are not UTF-8 read as U+FFFD, as the extension's conversion to runes
// reads them).
func (fn stringFunc) apply(s string) string {
	switch fn.kind {
	case sfTrim:
		return strings.TrimSpace(s)
	case sfReplace:
		return strings.ReplaceAll(s, fn.from, fn.to)
	}
	if isASCII(s) {
		// What the loop below gives, without converting to runes
		// (strings.ToLower and ToUpper return s itself when nothing
		// changes).
		if fn.kind == sfLowerASCII {
			return strings.ToLower(s)
		}
		return strings.ToUpper(s)
	}
	runes := []rune(s)
	for i, r := range runes {
		if r <= unicode.MaxASCII {
			if fn.kind == sfLowerASCII {
				runes[i] = unicode.ToLower(r)
			} else {
				runes[i] = unicode.ToUpper(r)
			}
		}
	}
	return string(runes)
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

type fastOp uint8

const (
	opField        fastOp = iota // a bool field
	opIsNull                     // field == null
	opEqString                   // field == "literal"
	opInStrings                  // field in ["literal", …]
	opString                     // a string field: an argument of opLooksSecret
	opLooksSecret                // looks_secret(field, field)
	opTLSBelow                   // tls_below(field, "literal")
	opVersionBelow               // version_below(field, "literal")
	opList                       // a list field: the range of opExists
	opExists                     // field.exists(x, …)
	opCmpInt                     // field < 3 (an int field, any of the six comparisons)
	opSize                       // size(field) == 0 (a list field)
	opStrCall                    // field.startsWith("literal"), endsWith, contains, matches
	opConst                      // true (false: not set)
	opCond                       // c ? a : b
	opEqStrings                  // a == b, both string values (opStr…)
	opStrLit                     // a string value: "literal"
	opStrField                   // a string value: a string field, after string functions
	opStrConcat                  // a string value: a + b
	opStrCond                    // a string value: c ? a : b
	opAnd
	opOr
)

// relOp is a comparison of ints.
type relOp uint8

const (
	relEq relOp = iota
	relNe
	relLt
	relLe
	relGt
	relGe
)

// relOpNamed is the comparison CEL calls name, if any.
func relOpNamed(name string) (relOp, bool) {
	switch name {
	case operators.Equals:
		return relEq, true
	case operators.NotEquals:
		return relNe, true
	case operators.Less:
		return relLt, true
	case operators.LessEquals:
		return relLe, true
	case operators.Greater:
		return relGt, true
	case operators.GreaterEquals:
		return relGe, true
	}
	return 0, false
}

func (r relOp) holds(a, b int64) bool {
	switch r {
	case relEq:
		return a == b
	case relNe:
		return a != b
	case relLt:
		return a < b
	case relLe:
		return a <= b
	case relGt:
		return a > b
	}
	return a >= b
}

// isStrCall reports whether opStrCall calls the string function name.
func isStrCall(name string) bool {
	switch name {
	case overloads.StartsWith, overloads.EndsWith, overloads.Contains, overloads.Matches:
		return true
	}
	return false
}

// strCall calls the string function fn on s with arg (re: arg compiled,
// for matches) as CEL's string type does; CEL's matches is
// regexp.MatchString of the pattern: RE2 syntax, unanchored.
func strCall(fn, s, arg string, re *regexp.Regexp) bool {
	switch fn {
	case overloads.StartsWith:
		return strings.HasPrefix(s, arg)
	case overloads.EndsWith:
		return strings.HasSuffix(s, arg)
	case overloads.Contains:
		return strings.Contains(s, arg)
	}
	return re.MatchString(s)
}

// fastExprOf returns the fastExpr e is, or nil.
func fastExprOf(e celast.Expr) *fastExpr { return fastExprIn(e, "") }

// fastExprIn returns the fastExpr e is, within the exists of variable
// loop ("" at the top, where fields are of app or item; within an exists
// they are of its element alone), or nil.
func fastExprIn(e celast.Expr, loop string) *fastExpr {
	switch e.Kind() {
	case celast.ComprehensionKind:
		return existsOf(e, loop)
	case celast.LiteralKind:
		if b, ok := e.AsLiteral().(types.Bool); ok {
			return &fastExpr{op: opConst, not: !bool(b)}
		}
		return nil
	case celast.CallKind:
	default:
		return fieldOf(e, opField, loop)
	}
	call := e.AsCall()
	args := call.Args()
	if call.IsMemberFunction() {
		return strCallOf(call, loop)
	}
	if fn := call.FunctionName(); fn == operators.Conditional && len(args) == 3 {
		c, a, b := fastExprIn(args[0], loop), fastExprIn(args[1], loop), fastExprIn(args[2], loop)
		if c == nil || a == nil || b == nil {
			return nil
		}
		return &fastExpr{op: opCond, cond: c, args: [2]*fastExpr{a, b}}
	}
	if len(args) == 0 || len(args) > 2 {
		return nil
	}
	if rel, ok := relOpNamed(call.FunctionName()); ok && len(args) == 2 && args[1].Kind() == celast.LiteralKind {
		if n, ok := args[1].AsLiteral().(types.Int); ok {
			return intCmpOf(args[0], rel, int64(n), loop)
		}
	}
	switch fn := call.FunctionName(); {
	case fn == operators.LogicalNot && len(args) == 1:
		f := fieldOf(args[0], opField, loop)
		if f == nil {
			// !(…) of a comparison, a call, an exists or a constant,
			// not of &&, || or ?:.
			if f = fastExprIn(args[0], loop); f != nil && (f.op == opAnd || f.op == opOr || f.op == opCond) {
				return nil
			}
		}
		if f != nil {
			f.not = !f.not
		}
		return f
	case (fn == operators.LogicalAnd || fn == operators.LogicalOr) && len(args) == 2:
		l, r := fastExprIn(args[0], loop), fastExprIn(args[1], loop)
		if l == nil || r == nil {
			return nil
		}
		op := opAnd
		if fn == operators.LogicalOr {
			op = opOr
		}
		return &fastExpr{op: op, args: [2]*fastExpr{l, r}}
	case (fn == operators.Equals || fn == operators.NotEquals) && len(args) == 2:
		var f *fastExpr
		if lit := args[1]; lit.Kind() == celast.LiteralKind {
			switch v := lit.AsLiteral().(type) {
			case types.Null:
				f = fieldOf(args[0], opIsNull, loop)
			case types.String:
				if f = normalizedField(args[0], opEqString, loop); f != nil {
					f.lit = string(v)
				}
			}
		}
		if f == nil {
			// Two strings made of fields, literals, + and ?:.
			if l, r := strValOf(args[0], loop), strValOf(args[1], loop); l != nil && r != nil {
				f = &fastExpr{op: opEqStrings, args: [2]*fastExpr{l, r}}
			}
		}
		if f != nil {
			f.not = fn == operators.NotEquals
		}
		return f
	case fn == operators.In && len(args) == 2:
		lits, ok := stringList(args[1])
		if !ok {
			return nil
		}
		f := normalizedField(args[0], opInStrings, loop)
		if f != nil {
			f.lits = lits
		}
		return f
	case fn == "looks_secret" && len(args) == 2:
		name, value := fieldOf(args[0], opString, loop), fieldOf(args[1], opString, loop)
		if name == nil || value == nil {
			return nil
		}
		return &fastExpr{op: opLooksSecret, args: [2]*fastExpr{name, value}}
	case fn == "tls_below" && len(args) == 2:
		lit, ok := stringLit(args[1])
		if !ok {
			return nil
		}
		// A minimum tls_below cannot read is CEL's error to report.
		m, err := parseTLS(lit)
		f := fieldOf(args[0], opTLSBelow, loop)
		if err != nil || f == nil {
			return nil
		}
		f.min = m
		return f
	case fn == "version_below" && len(args) == 2:
		lit, ok := stringLit(args[1])
		if !ok {
			return nil
		}
		// A minimum version_below cannot read is CEL's error to report.
		if _, err := parseVersion(lit); err != nil {
			return nil
		}
		f := normalizedField(args[0], opVersionBelow, loop)
		if f != nil {
			f.lit = lit
		}
		return f
	}
	return nil
}

// strValOf returns the string value e is (opStrLit, opStrField,
// opStrConcat, opStrCond), or nil.
func strValOf(e celast.Expr, loop string) *fastExpr {
	switch e.Kind() {
	case celast.LiteralKind:
		if v, ok := stringLit(e); ok {
			return &fastExpr{op: opStrLit, lit: v}
		}
		return nil
	case celast.CallKind:
		call := e.AsCall()
		args := call.Args()
		switch {
		case call.IsMemberFunction():
		case call.FunctionName() == operators.Add && len(args) == 2:
			a, b := strValOf(args[0], loop), strValOf(args[1], loop)
			if a == nil || b == nil {
				return nil
			}
			return &fastExpr{op: opStrConcat, args: [2]*fastExpr{a, b}}
		case call.FunctionName() == operators.Conditional && len(args) == 3:
			c, a, b := fastExprIn(args[0], loop), strValOf(args[1], loop), strValOf(args[2], loop)
			if c == nil || a == nil || b == nil {
				return nil
			}
			return &fastExpr{op: opStrCond, cond: c, args: [2]*fastExpr{a, b}}
		default:
			return nil
		}
	}
	return normalizedField(e, opStrField, loop)
}

// strVal evaluates a string value as CEL does: a field's unknown is
// given back; + gives its operands' unknowns (both: merged, left first);
// ?: its condition's unknown, else the branch it picks. ok is false
// when CEL must (a field missing or not a string, a condition CEL would
// not answer the same).
func (f *fastExpr) strVal(act *activation) (s string, unk *types.Unknown, ok bool) {
	switch f.op {
	case opStrLit:
		return f.lit, nil, true
	case opStrConcat:
		a, b, unk, ok := f.strPair(act)
		if !ok || unk != nil {
			return "", unk, ok
		}
		return a + b, nil, true
	case opStrCond:
		c, ok := f.cond.eval(act)
		switch {
		case !ok:
			return "", nil, false
		case c.v == isUnknown:
			return "", c.unk, true
		case c.v == isTrue:
			return f.args[0].strVal(act)
		}
		return f.args[1].strVal(act)
	}
	return f.str(act)
}

// strPair reads f.args, two string values: both strings, or the unknown
// CEL gives for a binary call (==, +, a function) with an unknown
// operand, the two merged, left first, when both are; ok is false when
// CEL must answer.
func (f *fastExpr) strPair(act *activation) (a, b string, unk *types.Unknown, ok bool) {
	a, ua, ok := f.args[0].strVal(act)
	if !ok {
		return "", "", nil, false
	}
	b, ub, ok := f.args[1].strVal(act)
	switch {
	case !ok:
		return "", "", nil, false
	case ua != nil && ub != nil:
		return "", "", types.MergeUnknowns(ua, ub), true
	case ua != nil:
		return "", "", ua, true
	case ub != nil:
		return "", "", ub, true
	}
	return a, b, nil, true
}

// intCmpOf returns the comparison of e, an int field or the size() of a
// list field, with n, or nil.
func intCmpOf(e celast.Expr, rel relOp, n int64, loop string) *fastExpr {
	op := opCmpInt
	if e.Kind() == celast.CallKind && e.AsCall().FunctionName() == overloads.Size {
		c := e.AsCall()
		switch {
		case c.IsMemberFunction() && len(c.Args()) == 0:
			e = c.Target()
		case !c.IsMemberFunction() && len(c.Args()) == 1:
			e = c.Args()[0]
		default:
			return nil
		}
		op = opSize
	}
	f := fieldOf(e, op, loop)
	if f != nil {
		f.rel, f.num = rel, n
	}
	return f
}

// strCallOf returns the opStrCall call is, field.fn("literal") after
// string functions, or nil.
func strCallOf(call celast.CallExpr, loop string) *fastExpr {
	args := call.Args()
	if !isStrCall(call.FunctionName()) || len(args) != 1 {
		return nil
	}
	lit, ok := stringLit(args[0])
	if !ok {
		return nil
	}
	var re *regexp.Regexp
	if call.FunctionName() == overloads.Matches {
		var err error
		if re, err = regexp.Compile(lit); err != nil {
			return nil // CEL's error to report
		}
	}
	f := normalizedField(call.Target(), opStrCall, loop)
	if f != nil {
		f.fn, f.lit, f.re = call.FunctionName(), lit, re
	}
	return f
}

// stringList returns the strings of e, a list of string literals.
func stringList(e celast.Expr) ([]string, bool) {
	if e.Kind() != celast.ListKind {
		return nil, false
	}
	list := e.AsList()
	if len(list.OptionalIndices()) > 0 {
		return nil, false
	}
	lits := make([]string, 0, list.Size())
	for _, el := range list.Elements() {
		s, ok := stringLit(el)
		if !ok {
			return nil, false
		}
		lits = append(lits, s)
	}
	return lits, true
}

// normalized splits e, a value with string functions applied to it
// (app.x.trim().lowerAscii()), into that value and the functions, first
// applied first.
func normalized(e celast.Expr) (celast.Expr, []stringFunc) {
	var norm []stringFunc
	for e.Kind() == celast.CallKind {
		call := e.AsCall()
		fn, ok := stringFuncOf(call)
		if !ok {
			break
		}
		norm = append(norm, fn)
		e = call.Target()
	}
	slices.Reverse(norm)
	return e, norm
}

// normalizedField is fieldOf the value e applies string functions to,
// with those functions as its norm.
func normalizedField(e celast.Expr, op fastOp, loop string) *fastExpr {
	target, norm := normalized(e)
	f := fieldOf(target, op, loop)
	if f != nil {
		f.norm = norm
	}
	return f
}

// existsOf returns the opExists e is, list.exists(x, p) as CEL's macro
// expands it, within the exists of variable loop (see fastExprIn), or
// nil.
func existsOf(e celast.Expr, loop string) *fastExpr {
	c := e.AsComprehension()
	accu := c.AccuVar()
	isAccu := func(x celast.Expr) bool { return x.Kind() == celast.IdentKind && x.AsIdent() == accu }
	// call is x's arguments when x calls fn with n of them, else nil.
	call := func(x celast.Expr, fn string, n int) []celast.Expr {
		if x.Kind() != celast.CallKind || x.AsCall().FunctionName() != fn || x.AsCall().IsMemberFunction() || len(x.AsCall().Args()) != n {
			return nil
		}
		return x.AsCall().Args()
	}
	if c.HasIterVar2() || c.IterVar() == accu || !isAccu(c.Result()) {
		return nil
	}
	if init := c.AccuInit(); init.Kind() != celast.LiteralKind || init.AsLiteral() != types.False {
		return nil
	}
	cond := call(c.LoopCondition(), operators.NotStrictlyFalse, 1)
	if len(cond) != 1 {
		return nil
	}
	if not := call(cond[0], operators.LogicalNot, 1); len(not) != 1 || !isAccu(not[0]) {
		return nil
	}
	step := call(c.LoopStep(), operators.LogicalOr, 2)
	if len(step) != 2 || !isAccu(step[0]) {
		return nil
	}
	list := fieldOf(c.IterRange(), opList, loop)
	pred := fastExprIn(step[1], c.IterVar())
	if list == nil || pred == nil {
		return nil
	}
	return &fastExpr{op: opExists, iter: c.IterVar(), args: [2]*fastExpr{list, pred}}
}

// fieldOf returns the fastExpr of kind op that reads the field e
// selects: of app, or of item or item itself, or within the exists of
// variable loop (when set) of its element or the element itself; or nil
// when e is not one (the variable of an exists around that one among
// them).
func fieldOf(e celast.Expr, op fastOp, loop string) *fastExpr {
	var names []string
	for e.Kind() == celast.SelectKind {
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			return nil
		}
		names = append(names, sel.FieldName())
		e = sel.Operand()
	}
	if e.Kind() != celast.IdentKind {
		return nil
	}
	slices.Reverse(names)
	if loop != "" && e.AsIdent() == loop {
		return &fastExpr{op: op, names: names, loop: loop}
	}
	item := e.AsIdent() == varItem
	if !item && (e.AsIdent() != varApp || len(names) == 0) {
		return nil
	}
	return &fastExpr{op: op, names: names, item: item}
}

// value is the value of the field f reads, when it is there (see field).
func (f *fastExpr) value(act *activation) (any, bool) {
	if f.loop != "" {
		for i := len(act.vars) - 1; i >= 0; i-- {
			if act.vars[i].name == f.loop {
				return field(act.vars[i].v, f.names)
			}
		}
		return nil, false
	}
	if !f.item {
		return field(act.app, f.names)
	}
	if !act.hasItem {
		return nil, false
	}
	return field(act.item, f.names)
}

// str is the string field f reads, with f.norm applied, or its unknown;
// ok is false when it is neither.
func (f *fastExpr) str(act *activation) (s string, unk *types.Unknown, ok bool) {
	v, ok := f.value(act)
	if !ok {
		return "", nil, false
	}
	switch x := v.(type) {
	case *types.Unknown:
		return "", x, true
	case types.String:
		s = string(x)
		for _, fn := range f.norm {
			s = fn.apply(s)
		}
		return s, nil, true
	}
	return "", nil, false
}

// eval evaluates the expression on the app's data (act's app); ok is
// false when CEL must (see fastExpr).
func (f *fastExpr) eval(act *activation) (evalResult, bool) {
	switch f.op {
	case opAnd, opOr:
		return f.logical(act)
	case opExists:
		return f.exists(act)
	case opConst:
		return truthOf(!f.not), true
	case opCond:
		// CEL gives an unknown condition back; else the branch it
		// picks, the other not evaluated.
		c, ok := f.cond.eval(act)
		switch {
		case !ok:
			return evalResult{}, false
		case c.v == isUnknown:
			return c, true
		case c.v == isTrue:
			return f.args[0].eval(act)
		}
		return f.args[1].eval(act)
	case opEqString, opInStrings, opStrCall, opTLSBelow, opVersionBelow:
		s, unk, ok := f.str(act)
		switch {
		case !ok:
			return evalResult{}, false
		case unk != nil:
			// CEL gives an unknown operand back, negated, compared or
			// passed to a function.
			return evalResult{v: isUnknown, unk: unk}, true
		}
		b, ok := f.testString(s)
		if !ok {
			return evalResult{}, false // CEL's error to report
		}
		return truthOf(b != f.not), true
	case opEqStrings, opLooksSecret:
		// As CEL's == and a function of two strings: the operands'
		// unknowns, else the strings compared or tested.
		a, b, unk, ok := f.strPair(act)
		switch {
		case !ok:
			return evalResult{}, false
		case unk != nil:
			return evalResult{v: isUnknown, unk: unk}, true
		case f.op == opLooksSecret:
			return truthOf(looksSecret(a, b) != f.not), true
		}
		return truthOf((a == b) != f.not), true
	case opCmpInt, opSize:
		v, ok := f.value(act)
		if !ok {
			return evalResult{}, false
		}
		var n int64
		switch x := v.(type) {
		case *types.Unknown:
			return evalResult{v: isUnknown, unk: x}, true
		case types.Int:
			if f.op != opCmpInt {
				return evalResult{}, false
			}
			n = int64(x)
		case []any:
			if f.op != opSize {
				return evalResult{}, false
			}
			n = int64(len(x))
		default:
			return evalResult{}, false
		}
		return truthOf(f.rel.holds(n, f.num) != f.not), true
	}
	v, ok := f.value(act)
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
	}
	return truthOf(b != f.not), true
}

// testString is what the shape of f, one of a string field, says of s,
// the field's value after its string functions; ok is false for a
// version tls_below or version_below cannot read (CEL's error to report).
func (f *fastExpr) testString(s string) (b, ok bool) {
	switch f.op {
	case opEqString:
		return s == f.lit, true
	case opInStrings:
		return slices.Contains(f.lits, s), true
	case opStrCall:
		return strCall(f.fn, s, f.lit, f.re), true
	case opTLSBelow:
		v, err := parseTLS(s)
		return err == nil && v < 13 && v < f.min, err == nil
	}
	below, err := versionBelow(s, f.lit)
	return below, err == nil
}

// exists evaluates list.exists(x, p) as CEL's expansion of the macro
// does: an unknown list gives its unknown; else true when p is true of an
// element (CEL stops there; the unknowns of elements before are dropped);
// else the unknowns p gives, merged in order, or false. It answers only
// when the list is a list or unknown and p is answered for every
// element.
func (f *fastExpr) exists(act *activation) (evalResult, bool) {
	v, ok := f.args[0].value(act)
	if !ok {
		return evalResult{}, false
	}
	var list []any
	switch x := v.(type) {
	case *types.Unknown:
		return evalResult{v: isUnknown, unk: x}, true
	case []any:
		list = x
	default:
		return evalResult{}, false
	}
	n := len(act.vars)
	defer func() { act.vars = act.vars[:n] }()
	acc := evalResult{v: isFalse}
	found := false
	for _, el := range list {
		act.vars = append(act.vars[:n], loopVar{f.iter, el})
		r, ok := f.args[1].eval(act)
		if !ok {
			return evalResult{}, false
		}
		switch {
		case r.v == isTrue:
			found = true
		case r.v == isUnknown && !found && acc.v == isUnknown:
			acc.unk = types.MergeUnknowns(acc.unk, r.unk)
		case r.v == isUnknown && !found:
			acc = r
		}
	}
	if acc.v == isUnknown && !found {
		return acc, true // negated or not
	}
	return truthOf(found != f.not), true
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
