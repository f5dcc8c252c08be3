package arm

import (
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
)

// taint records what an expression's value is built from, beyond what
// the value itself says.
type taint uint8

const (
	// taintSecure: built from a securestring or secureObject parameter.
	taintSecure taint = 1 << iota
	// taintScope: built from the deployment scope (resourceGroup(),
	// subscription(), deployment(), …), which armexpr fills with fake
	// placeholders: the value is not the one ARM will see.
	taintScope
)

// scopeFunction reports whether armexpr fakes the results of a function
// (its name in lower case).
func scopeFunction(lname string) bool {
	switch lname {
	case "resourcegroup", "subscription", "tenant", "managementgroup", "deployment", "newguid", "utcnow":
		return true
	}
	return false
}

// maxTaintDepth bounds the walk through variables and parameters.
const maxTaintDepth = 64

// taintOf returns the taint of a JSON string of the template.
func (t *tmpl) taintOf(s string) taint {
	return t.taintString(s, 0)
}

func (t *tmpl) taintString(s string, depth int) taint {
	if !armexpr.IsExpression(s) || depth > maxTaintDepth {
		return 0
	}
	sc := t.scopeOf()
	if tt, ok := sc.taints[s]; ok {
		return tt
	}
	n, err := t.parse(s)
	if err != nil {
		sc.taints[s] = 0
		return 0
	}
	tt := sc.taintNode(n, depth)
	sc.taints[s] = tt
	return tt
}

// taintNode walks a parsed expression.
func (t *tmpl) taintNode(n armexpr.Node, depth int) taint {
	var out taint
	switch x := n.(type) {
	case *armexpr.Call:
		// A user function's body sees only its own parameters; its
		// arguments are walked below.
		if x.Namespace == "" && scopeFunction(x.LowerName()) {
			out |= taintScope
		}
		if x.Namespace == "" && len(x.Args) == 1 {
			if lit, ok := x.Args[0].(*armexpr.Literal); ok {
				if name, ok := lit.Value.(string); ok {
					switch x.LowerName() {
					case "parameters":
						out |= t.taintParam(name, depth)
					case "variables":
						out |= t.taintVariable(name, depth)
					}
				}
			}
		}
		for _, a := range x.Args {
			out |= t.taintNode(a, depth)
		}
	case *armexpr.Access:
		out |= t.taintNode(x.X, depth)
		if x.Index != nil {
			out |= t.taintNode(x.Index, depth)
		}
	}
	return out
}

func (t *tmpl) taintParam(name string, depth int) taint {
	p := t.params[t.l.lower(name)]
	if p == nil {
		return 0
	}
	var out taint
	if p.secure() {
		out |= taintSecure
	}
	switch p.tstate {
	case evaluated:
		return out | p.taint
	case evaluating:
		return out
	}
	p.tstate = evaluating
	switch {
	case p.given != nil:
		p.taint = p.given.taint
	case p.decl.field("defaultValue") != nil:
		p.taint = t.taintJSON(p.decl.get("defaultValue"), depth+1)
	}
	p.tstate = evaluated
	return out | p.taint
}

func (t *tmpl) taintVariable(name string, depth int) taint {
	v := t.vars[t.l.lower(name)]
	if v == nil {
		return 0
	}
	switch v.tstate {
	case evaluated:
		return v.taint
	case evaluating:
		return 0
	}
	v.tstate = evaluating
	if v.copy != nil {
		v.taint = t.taintJSON(v.copy.get("input"), depth+1) | t.taintJSON(v.copy.get("count"), depth+1)
	} else {
		v.taint = t.taintJSON(v.decl, depth+1)
	}
	v.tstate = evaluated
	return v.taint
}

// taintJSON is the union of the taints of the strings in a JSON value.
func (t *tmpl) taintJSON(v *jval, depth int) taint {
	if v == nil || depth > maxTaintDepth {
		return 0
	}
	switch v.kind {
	case model.KindString:
		return t.taintString(v.str, depth)
	case model.KindList:
		var out taint
		for _, it := range v.items {
			out |= t.taintJSON(it, depth+1)
		}
		return out
	case model.KindObject:
		var out taint
		for i := range v.fields {
			out |= t.taintJSON(v.fields[i].val, depth+1)
		}
		return out
	}
	return 0
}
