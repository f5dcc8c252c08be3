package engine

import (
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// fieldPath is an expression that reads one field of app, maybe negated:
// app.https_only, !app.auth.enabled. 35 of the 86 expressions of the
// built-in checks are one, and each is evaluated for every app: CEL's
// interpreter (its attribute resolution, the activation's lookups, the
// value's adaptation) was most of their cost, where the field is a few
// map lookups away in the app's data (celData). eval answers what CEL
// answers for the cases it knows (every field on the way there, a bool
// or an unknown at the end) and leaves every other case (a missing
// field, null, an error CEL would report) to CEL.
type fieldPath struct {
	names []string
	not   bool
}

// fieldPathOf returns the fieldPath e is, or nil.
func fieldPathOf(e celast.Expr) *fieldPath {
	p := &fieldPath{}
	if e.Kind() == celast.CallKind {
		call := e.AsCall()
		if call.FunctionName() != operators.LogicalNot || len(call.Args()) != 1 || call.IsMemberFunction() {
			return nil
		}
		p.not, e = true, call.Args()[0]
	}
	for e.Kind() == celast.SelectKind {
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			return nil
		}
		p.names = append(p.names, sel.FieldName())
		e = sel.Operand()
	}
	if e.Kind() != celast.IdentKind || e.AsIdent() != varApp || len(p.names) == 0 {
		return nil
	}
	for i, j := 0, len(p.names)-1; i < j; i, j = i+1, j-1 {
		p.names[i], p.names[j] = p.names[j], p.names[i]
	}
	return p
}

// eval evaluates the path on the app's data (act's app); ok is false
// when CEL must (see fieldPath).
func (p *fieldPath) eval(act *activation) (evalResult, bool) {
	v := act.app
	for _, name := range p.names {
		m, ok := v.(map[string]any)
		if !ok {
			return evalResult{}, false
		}
		if v, ok = m[name]; !ok {
			return evalResult{}, false
		}
	}
	switch v := v.(type) {
	case types.Bool:
		if bool(v) != p.not {
			return evalResult{v: isTrue}, true
		}
		return evalResult{v: isFalse}, true
	case *types.Unknown:
		// CEL gives an unknown operand back, negated or not.
		return evalResult{v: isUnknown, unk: v}, true
	}
	return evalResult{}, false
}
