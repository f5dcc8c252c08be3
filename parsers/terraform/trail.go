package terraform

import (
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Value trails.
//
// A value's trail (model.Trail) is carried through evaluation as a cty
// mark, trailMark, so it follows the value through expressions, function
// calls, collections and module boundaries as every other mark does. The
// places a value passes through add a hop with withHop:
//
//   - a tfvars, *.auto.tfvars or -var-file assignment (HopVarFile at the
//     assigned value) or a -var flag (HopVarFile without a range);
//   - a root or module variable (HopVariable at its declaration; at its
//     default when the default decided);
//   - a module call's argument (HopModuleArgument, module.app.name);
//   - a local value (HopLocal) and a module output (HopOutput);
//   - an override file's attribute (HopOverride; see override.go).
//
// The model value takes the trail of the value that reached its attribute
// (fields.fromValue); the attribute itself is the final hop Meta.Hops adds.
//
// When several marked inputs combine into one value (var.a && var.b,
// merge(local.x, var.y), a conditional whose condition is marked too),
// the value carries several trails; the model keeps one, deterministically:
// the longest (the value that travelled furthest, usually the one passed
// down from the root), ties broken by source order of the hops (file,
// line, column, then kind and name). Functions flatten the marks of their
// arguments onto their result, so an attribute of merge(a, b) may be given
// the trail of an attribute of the other argument; the chosen trail is
// still one of the places the value passed through.
//
// Marks are taken off (UnmarkDeep) wherever a value leaves cty: model
// values are plain Go values and never carry marks.

// computedMark is on a value that carries a trail and that an expression
// computed (an operator, a function call, a template such as "${var.a}",
// a conditional, a for or splat expression) instead of handing on what
// the trail's origin wrote; it follows the value on as every mark does,
// and sets model.Meta.Computed (no fix may then set the origin).
type computedMark struct{}

// passThroughExpr reports whether expr hands on a value unchanged: a
// literal, a plain reference (var.x, local.y, module.m.out), either in
// parentheses. Anything else computes, even "${var.a}" (it converts to
// a string); so does every JSON-syntax expression.
func passThroughExpr(expr hcl.Expression) bool {
	switch x := expr.(type) {
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr:
		return true
	case *hclsyntax.TemplateExpr:
		return x.IsStringLiteral()
	case *hclsyntax.ParenthesesExpr:
		return passThroughExpr(x.Expression)
	}
	return false
}

// viaExpr marks v, the value of expr, computed when it carries a trail
// and expr does not hand it on unchanged. (A value without a trail is a
// literal or computed from literals: it is fixed where it is written, if
// at all, and stays unmarked.)
func viaExpr(v cty.Value, expr hcl.Expression) cty.Value {
	if v == cty.NilVal || expr == nil || passThroughExpr(expr) || !hasTrail(v) {
		return v
	}
	return v.Mark(computedMark{})
}

// hasTrail reports whether v or anything in it carries a trail.
func hasTrail(v cty.Value) bool {
	return anyMark(v, func(m any) bool {
		_, ok := m.(trailMark)
		return ok
	})
}

// trailMark carries a value's trail through evaluation. Marks are map
// keys, so it holds the pointer: equal trails built separately are
// different marks, which only means more candidates for bestTrail.
type trailMark struct{ t *model.Trail }

// withHop returns v with hop h after every trail it carries, at every
// path inside it, and with the trail [h] on the whole value when it has
// no trail of its own there (a literal written at h).
func withHop(v cty.Value, h model.Hop) cty.Value {
	if v == cty.NilVal {
		return v
	}
	if raw, marks := v.Unmark(); !raw.IsKnown() || raw.IsNull() || raw.Type().IsPrimitiveType() {
		// A value that holds no others has marks at its top only: the
		// same marks as below, without the copies of the paths.
		out := make(cty.ValueMarks, len(marks)+1)
		top := false
		for m := range marks {
			if tm, ok := m.(trailMark); ok {
				m = trailMark{t: tm.t.Then(h)}
				top = true
			}
			out[m] = struct{}{}
		}
		if !top {
			out[trailMark{t: model.TrailOf(h)}] = struct{}{}
		}
		return raw.WithMarks(out)
	}
	raw, pvm := v.UnmarkDeepWithPaths()
	out := make([]cty.PathValueMarks, 0, len(pvm)+1)
	top := false
	for _, p := range pvm {
		marks := make(cty.ValueMarks, len(p.Marks))
		for m := range p.Marks {
			if tm, ok := m.(trailMark); ok {
				m = trailMark{t: tm.t.Then(h)}
				if len(p.Path) == 0 {
					top = true
				}
			}
			marks[m] = struct{}{}
		}
		out = append(out, cty.PathValueMarks{Path: p.Path, Marks: marks})
	}
	if !top {
		out = append(out, cty.PathValueMarks{Path: cty.Path{}, Marks: cty.NewValueMarks(trailMark{t: model.TrailOf(h)})})
	}
	return raw.MarkWithPaths(out)
}

// betterTrail reports whether trail a is to be preferred to b: longer,
// or as long and earlier in source order.
func betterTrail(a, b *model.Trail) bool {
	if b == nil {
		return a != nil
	}
	if a.Len() != b.Len() {
		return a.Len() > b.Len()
	}
	ha, hb := a.Hops(), b.Hops()
	for i := range ha {
		if c := compareHops(ha[i], hb[i]); c != 0 {
			return c < 0
		}
	}
	return false
}

// compareHops orders hops by place (file, line, column), then kind and
// name.
func compareHops(a, b model.Hop) int {
	ra, rb := a.Range, b.Range
	switch {
	case ra.Filename != rb.Filename:
		return cmpStr(ra.Filename, rb.Filename)
	case ra.Start.Line != rb.Start.Line:
		return ra.Start.Line - rb.Start.Line
	case ra.Start.Column != rb.Start.Column:
		return ra.Start.Column - rb.Start.Column
	case a.Kind != b.Kind:
		return cmpStr(string(a.Kind), string(b.Kind))
	}
	return cmpStr(a.Name, b.Name)
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// bestTrail is the best of the trails among marks (see betterTrail).
func bestTrail(marks cty.ValueMarks) *model.Trail {
	var best *model.Trail
	for m := range marks {
		if tm, ok := m.(trailMark); ok && betterTrail(tm.t, best) {
			best = tm.t
		}
	}
	return best
}

// withTrail returns m with the trail v carries.
func withTrail(m model.Meta, v cty.Value) model.Meta {
	if v == cty.NilVal {
		return m
	}
	ms := marksOf(v)
	m = m.WithTrail(ms.trail)
	m.Computed = ms.computed && ms.trail != nil
	return m
}

// varHop is the hop of a variable: at its default when the default
// decided, else at its declaration.
func varHop(v *variable, fromDefault bool) model.Hop {
	r := v.decl
	if fromDefault && v.dflt != nil {
		r = v.dflt.Range()
	}
	return model.Hop{Kind: model.HopVariable, Name: "var." + v.name, Range: toRange(r)}
}

// viaOverride adds an override hop to the value of an expression written
// in an override file (override.tf, x_override.tf and their JSON and
// OpenTofu forms): the override replaced what the other files wrote.
func viaOverride(v cty.Value, expr hcl.Expression, name string) cty.Value {
	if !inOverrideFile(expr) {
		return v
	}
	return withHop(v, model.Hop{Kind: model.HopOverride, Name: name, Range: toRange(expr.Range())})
}

// inOverrideFile reports whether expr (nil: none) is written in an
// override file.
func inOverrideFile(expr hcl.Expression) bool {
	return expr != nil && isOverrideFile(filepath.Base(expr.Range().Filename))
}
