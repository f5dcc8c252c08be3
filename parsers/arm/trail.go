package arm

import (
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
)

// Value trails: where the value of a template string came from, origin
// first, ending before the property that holds it. A parameter given by
// a parameter file starts at the file's value (HopParameterFile), then the
// template's parameter (HopParameter); one decided by its defaultValue
// starts at that defaultValue. Variables (HopVariable), the parameters a
// nested deployment passes (HopDeploymentParameter) and the outputs of
// nested deployments read through reference() (HopOutput) follow in the
// order the value passed them.
//
// The trail follows the expression's syntax, as taint does: a value built
// from one parameter or variable (parameters('x'), not(parameters('x')),
// variables('cfg').httpsOnly, format('{0}', parameters('x'))) has its
// trail; if() follows the branch taken (the condition when the branch is
// a literal); coalesce() the first argument that is not null. A value
// built from several sources has none: no single place decides it.

// paramName and varName are how hops name parameters and variables.
func paramName(name string) string { return "parameters('" + name + "')" }
func varName(name string) string   { return "variables('" + name + "')" }

// keyAt is the range of a member's key alone.
func (f *file) keyAt(fd *jfield) model.Range {
	end := fd.keyStart + len(fd.key) + 2
	if fd.val != nil && end > fd.val.start {
		end = fd.val.start
	}
	return f.span(fd.keyStart, end)
}

// trailOf returns the trail of a JSON string of the template; nil for a
// literal.
func (t *tmpl) trailOf(s string) *model.Trail {
	return t.trailString(s, 0)
}

func (t *tmpl) trailString(s string, depth int) *model.Trail {
	if !armexpr.IsExpression(s) || depth > maxTaintDepth {
		return nil
	}
	n, err := t.parse(s)
	if err != nil {
		return nil
	}
	return t.scopeOf().trailNode(n, depth)
}

// trailJSON is the trail of a JSON value: a string's, else none.
func (t *tmpl) trailJSON(v *jval, depth int) *model.Trail {
	if v.isString() {
		return t.trailString(v.str, depth)
	}
	return nil
}

// accessPath splits property accesses with literal keys off an
// expression: parameters('cfg').site.httpsOnly gives the parameters()
// call and [site httpsOnly]. An index that is not a literal ends the path
// (what is below it is not followed).
func accessPath(n armexpr.Node) (armexpr.Node, []string) {
	var rev []string
	for {
		a, ok := n.(*armexpr.Access)
		if !ok {
			break
		}
		if a.Index == nil {
			rev = append(rev, a.Property)
		} else if s, ok := literalString(a.Index); ok {
			rev = append(rev, s)
		} else {
			rev = rev[:0]
		}
		n = a.X
	}
	path := make([]string, len(rev))
	for i, s := range rev {
		path[len(rev)-1-i] = s
	}
	return n, path
}

// literalArg returns a call's only argument when it is a string literal.
func literalArg(c *armexpr.Call) (string, bool) {
	if len(c.Args) != 1 {
		return "", false
	}
	return literalString(c.Args[0])
}

// literalString returns a string literal's value.
func literalString(n armexpr.Node) (string, bool) {
	lit, ok := n.(*armexpr.Literal)
	if !ok {
		return "", false
	}
	s, ok := lit.Value.(string)
	return s, ok
}

// trailNode walks a parsed expression of the template (t is a scope).
func (t *tmpl) trailNode(n armexpr.Node, depth int) *model.Trail {
	if depth > maxTaintDepth {
		return nil
	}
	base, path := accessPath(n)
	c, ok := base.(*armexpr.Call)
	if !ok {
		return nil
	}
	if c.Namespace != "" {
		return t.unionTrail(c.Args, depth)
	}
	switch c.LowerName() {
	case "parameters":
		if name, ok := literalArg(c); ok {
			return t.paramTrail(name, path, depth)
		}
	case "variables":
		if name, ok := literalArg(c); ok {
			return t.varTrail(name, path, depth)
		}
	case "reference":
		if len(path) >= 3 && strings.EqualFold(path[0], "outputs") && strings.EqualFold(path[2], "value") && len(c.Args) > 0 {
			return t.outputTrail(c.Args[0], path[1], depth)
		}
	case "if":
		if len(c.Args) != 3 {
			break
		}
		if cond, err := t.ev.Eval(c.Args[0]); err == nil {
			if b, ok := cond.(bool); ok {
				branch := 2
				if b {
					branch = 1
				}
				if tr := t.trailNode(c.Args[branch], depth+1); tr != nil || readsValues(c.Args[branch], 0) {
					return tr
				}
				// A literal branch: the condition decided the value.
				return t.trailNode(c.Args[0], depth+1)
			}
		}
		return t.unionTrail(c.Args[1:], depth)
	case "coalesce":
		for _, a := range c.Args {
			v, err := t.ev.Eval(a)
			if err != nil {
				return nil
			}
			if v != nil {
				return t.trailNode(a, depth+1)
			}
		}
		return nil
	}
	return t.unionTrail(c.Args, depth)
}

// readsValues reports whether an expression reads parameters, variables
// or deployment outputs (its value is not a literal).
func readsValues(n armexpr.Node, depth int) bool {
	if depth > maxTaintDepth {
		return true
	}
	switch x := n.(type) {
	case *armexpr.Access:
		return readsValues(x.X, depth+1) || x.Index != nil && readsValues(x.Index, depth+1)
	case *armexpr.Call:
		if x.Namespace == "" {
			switch x.LowerName() {
			case "parameters", "variables", "reference":
				return true
			}
		}
		for _, a := range x.Args {
			if readsValues(a, depth+1) {
				return true
			}
		}
	}
	return false
}

// unionTrail is the trail shared by the arguments that have one; nil when
// none has one or two differ.
func (t *tmpl) unionTrail(args []armexpr.Node, depth int) *model.Trail {
	var out *model.Trail
	for _, a := range args {
		tr := t.trailNode(a, depth+1)
		switch {
		case tr == nil:
		case out == nil:
			out = tr
		case !sameTrail(out, tr):
			return nil
		}
	}
	return out
}

func sameTrail(a, b *model.Trail) bool {
	if a == b {
		return true
	}
	ha, hb := a.Hops(), b.Hops()
	if len(ha) != len(hb) {
		return false
	}
	for i := range ha {
		if ha[i] != hb[i] {
			return false
		}
	}
	return true
}

// descend follows a property path into a JSON object as far as it goes;
// n is how many members it went through.
func descend(v *jval, path []string) (at *jval, n int) {
	for _, k := range path {
		next := v.get(k)
		if next == nil {
			return v, n
		}
		v, n = next, n+1
	}
	return v, n
}

// memberName is name followed by the first n members of path.
func memberName(name string, path []string, n int) string {
	if n == 0 {
		return name
	}
	return name + "." + strings.Join(path[:n], ".")
}

// paramTrail is the trail of a parameter of t (a scope), narrowed to a
// member of an object value when path names one in the JSON it was
// written as.
func (t *tmpl) paramTrail(name string, path []string, depth int) *model.Trail {
	p := t.params[t.l.lower(name)]
	if p == nil {
		return nil
	}
	if len(path) == 0 && p.trstate == evaluated {
		return p.trail
	}
	if p.trstate == evaluating {
		return nil
	}
	p.trstate = evaluating
	tr := t.computeParamTrail(p, path, depth)
	p.trstate = unevaluated
	if len(path) == 0 {
		p.trail, p.trstate = tr, evaluated
	}
	return tr
}

func (t *tmpl) computeParamTrail(p *param, path []string, depth int) *model.Trail {
	f := t.l.f
	declAt := f.rng(p.decl)
	if pf := t.root.get("parameters").field(p.name); pf != nil {
		declAt = f.keyAt(pf)
	}
	hop := model.Hop{Kind: model.HopParameter, Name: paramName(p.name), Range: declAt}
	d := p.decl.field("defaultValue")
	switch {
	case p.given != nil && (p.given.val != nil || d == nil):
		g := p.given
		tr := g.trail
		if g.at != nil && g.file != nil && len(path) > 0 {
			if at, n := descend(g.at, path); n > 0 {
				// The member of an object written in a parameter file.
				tr = model.TrailOf(model.Hop{Kind: model.HopParameterFile, Name: memberName(g.name, path, n), Range: g.file.rng(at)})
			}
		}
		return tr.Then(hop)
	case d != nil:
		at, n := descend(d.val, path)
		hop.Range = f.rng(at)
		hop.Name = memberName(hop.Name, path, n)
		return t.trailJSON(at, depth+1).Then(hop)
	}
	return model.TrailOf(hop)
}

// varTrail is the trail of a variable of t (a scope), narrowed to the
// member path names when the variable is written as a JSON object.
func (t *tmpl) varTrail(name string, path []string, depth int) *model.Trail {
	v := t.vars[t.l.lower(name)]
	if v == nil {
		return nil
	}
	if len(path) == 0 && v.trstate == evaluated {
		return v.trail
	}
	if v.trstate == evaluating {
		return nil
	}
	v.trstate = evaluating
	var tr *model.Trail
	hop := model.Hop{Kind: model.HopVariable, Name: varName(v.name)}
	if v.copy != nil {
		in := v.copy.get("input")
		hop.Range = t.l.f.rng(in)
		tr = t.trailJSON(in, depth+1).Then(hop)
	} else {
		at, n := descend(v.decl, path)
		hop.Range = t.l.f.rng(at)
		hop.Name = memberName(hop.Name, path, n)
		tr = t.trailJSON(at, depth+1).Then(hop)
	}
	v.trstate = unevaluated
	if len(path) == 0 {
		v.trail, v.trstate = tr, evaluated
	}
	return tr
}

// outputTrail is the trail of reference(<deployment>).outputs.<name>.value:
// the output value's own trail in the nested template, then the output.
func (t *tmpl) outputTrail(arg armexpr.Node, name string, depth int) *model.Trail {
	ref, err := t.ev.Eval(arg)
	if err != nil {
		return nil
	}
	s, ok := ref.(string)
	if !ok {
		return nil
	}
	dep := t.deploymentFor(s)
	if dep == nil || dep.nested == nil {
		return nil
	}
	of := dep.nested.outputs.field(name)
	if of == nil {
		return nil
	}
	out := of.val.get("value")
	if out == nil {
		return nil
	}
	hop := model.Hop{Kind: model.HopOutput, Name: "reference('" + dep.displayName() + "').outputs." + of.key + ".value", Range: t.l.f.rng(out)}
	return dep.nested.trailJSON(out, depth+1).Then(hop)
}

// displayName is the deployment's name as written when known, else its
// address.
func (in *inst) displayName() string {
	if in.name != "" {
		return in.name
	}
	return in.addr
}

// setTrail gives a converted node and the nodes inside it the trail tr,
// where they have none.
func setTrail(n *model.Node, tr *model.Trail, depth int) {
	if n == nil || tr == nil || depth > maxJSONDepth {
		return
	}
	if n.Meta.Trail == nil {
		n.Meta.Trail = tr
	}
	for _, it := range n.Items {
		setTrail(it, tr, depth+1)
	}
	for i := range n.Fields {
		setTrail(n.Fields[i].Node, tr, depth+1)
	}
}

// computes reports whether the template string s computes its value
// instead of handing on one written elsewhere: anything but a parameter or
// variable read (with literal member accesses), followed into the
// parameter's defaultValue and the variable's declaration. A fix that
// sets the origin of a computed value would not give the property the
// value the check wants (model.Meta.Computed).
func (t *tmpl) computes(s string, depth int) bool {
	if !armexpr.IsExpression(s) {
		return false
	}
	if depth > maxTaintDepth {
		return true
	}
	n, err := t.parse(s)
	if err != nil {
		return true
	}
	for x := n; ; {
		a, ok := x.(*armexpr.Access)
		if !ok {
			break
		}
		if a.Index != nil {
			if _, lit := literalString(a.Index); !lit {
				return true
			}
		}
		x = a.X
	}
	base, path := accessPath(n)
	c, ok := base.(*armexpr.Call)
	if !ok || c.Namespace != "" {
		return true
	}
	name, ok := literalArg(c)
	if !ok {
		return true
	}
	sc := t.scopeOf()
	switch c.LowerName() {
	case "parameters":
		p := sc.params[t.l.lower(name)]
		if p == nil {
			return true
		}
		d := p.decl.get("defaultValue")
		if p.given != nil && (p.given.val != nil || d == nil) || d == nil {
			// A parameter file's value is a literal; a nested
			// deployment's parameter is its own hop.
			return false
		}
		at, k := descend(d, path)
		return k < len(path) || at.isString() && sc.computes(at.str, depth+1)
	case "variables":
		v := sc.vars[t.l.lower(name)]
		if v == nil || v.copy != nil {
			return true
		}
		at, k := descend(v.decl, path)
		return k < len(path) || at.isString() && sc.computes(at.str, depth+1)
	}
	return true
}

// setComputed marks n and everything below it computed.
func setComputed(n *model.Node, depth int) {
	if n == nil || depth > maxJSONDepth {
		return
	}
	n.Meta.Computed = true
	for _, it := range n.Items {
		setComputed(it, depth+1)
	}
	for i := range n.Fields {
		setComputed(n.Fields[i].Node, depth+1)
	}
}
