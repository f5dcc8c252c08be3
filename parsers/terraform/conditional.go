package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// branchesAgree decides a conditional (cond ? a : b) whose condition is
// not known before apply but whose branches are the same known value
// (var.x ? true : true, or both branches the same literal): whichever way
// the condition goes, the value is that one, so it is known. v is the
// value HCL gave the expression; ok is false when v stands, because it is
// known, the expression is not a conditional, or the branches differ or
// are not known.
func (s *scope) branchesAgree(expr hcl.Expression, v cty.Value, inst *instance, it *iterator) (cty.Value, bool) {
	// The expression first: every value is asked, few are conditionals,
	// and UnmarkDeep copies the value.
	c, ok := unparen(expr).(*hclsyntax.ConditionalExpr)
	if !ok {
		return cty.NilVal, false
	}
	if raw := unmarked(v); raw.IsWhollyKnown() {
		return cty.NilVal, false
	}
	if cond := unmarked(s.evalIn(c.Condition, inst, it)); cond.IsKnown() {
		return cty.NilVal, false // HCL decided; the unknown is in the branch taken
	}
	t, f := s.evalIn(c.TrueResult, inst, it), s.evalIn(c.FalseResult, inst, it)
	tr := unmarked(t)
	fr := unmarked(f)
	if !tr.IsWhollyKnown() || !fr.IsWhollyKnown() || !tr.Type().Equals(fr.Type()) || !tr.RawEquals(fr) {
		return cty.NilVal, false
	}
	return t, true
}

// unparen looks through parentheses.
func unparen(expr hcl.Expression) hcl.Expression {
	for {
		p, ok := expr.(*hclsyntax.ParenthesesExpr)
		if !ok {
			return expr
		}
		expr = p.Expression
	}
}
