package arm

import (
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
	"github.com/azfuncscan/azfuncscan/parsers/internal/armsite"
	"github.com/azfuncscan/azfuncscan/parsers/internal/fold"
)

// node converts a JSON value of a resource into a model node, evaluating
// expressions: a written value is located at its JSON text, an evaluated
// one at the string that held the expression. Objects with a copy section
// (property iteration) get one list per iteration name.
func (t *tmpl) node(v *jval, depth int) *model.Node {
	r := t.l.f.rng(v)
	if v.deep || depth > maxJSONDepth {
		return t.l.unknownNode(unknownValue(sourceDeep, "the value is nested too deeply to be read", ""), r, 0)
	}
	switch v.kind {
	case model.KindString:
		if !armexpr.IsExpression(v.str) {
			return t.l.explicit(model.Node{Kind: model.KindString, Str: armexpr.Unescape(v.str)}, r)
		}
		val := t.evalString(v)
		t.l.countStats(val)
		n := t.l.valueNode(val, r, t.taintOf(v.str), 0)
		setTrail(n, t.trailOf(v.str), 0)
		nullExpr := n.Kind == model.KindNull && n.Meta.Origin == model.Explicit
		if n.Kind == model.KindObject || n.Kind == model.KindList || nullExpr || t.computes(v.str, 0) {
			// Computed, or an object whose members' trail ends at the
			// whole object rather than where each member was written,
			// or no value (a nullable parameter without one): the
			// property is written, as an expression, so the default
			// read in its place cannot be added there (armsite).
			setComputed(n, 0)
		}
		return n
	case model.KindBool:
		return t.l.explicit(model.Node{Kind: model.KindBool, Bool: v.b}, r)
	case model.KindInt:
		if v.isInt {
			return t.l.explicit(model.Node{Kind: model.KindInt, Int: v.num}, r)
		}
		return t.l.explicit(model.Node{Kind: model.KindString, Str: v.str}, r)
	case model.KindList:
		n := t.l.explicit(model.Node{Kind: model.KindList, Items: make([]*model.Node, 0, len(v.items))}, r)
		for _, it := range v.items {
			n.Items = append(n.Items, t.node(it, depth+1))
		}
		return n
	case model.KindObject:
		n := t.l.explicit(model.Node{Kind: model.KindObject, Fields: make([]model.Field, 0, len(v.fields))}, r)
		for i := range v.fields {
			fd := &v.fields[i]
			if fold.MayEqual(fd.key, "copy") && strings.EqualFold(fd.key, "copy") && fd.val.isList() && isCopySpecs(fd.val) {
				for _, c := range fd.val.items {
					n.Fields = append(n.Fields, model.Field{Name: strOf(c.get("name")), Node: t.copyNode(c, depth+1)})
				}
				continue
			}
			n.Fields = append(n.Fields, model.Field{Name: t.key(fd.key), Node: t.node(fd.val, depth+1)})
		}
		return n
	}
	return t.l.explicit(model.Node{Kind: model.KindNull}, r)
}

// key evaluates a property name written as an expression (ARM evaluates
// them: userAssignedIdentities keyed by
// "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', …)]");
// a name that does not evaluate to a string is kept as written.
func (t *tmpl) key(k string) string {
	if !armexpr.IsExpression(k) {
		return armexpr.Unescape(k)
	}
	if v, err := t.ev.EvalString(k); err == nil {
		if s, ok := v.(string); ok {
			return s
		}
	}
	return k
}

// copyNode expands a property iteration {name, count, input} into a list
// located at the iteration.
func (t *tmpl) copyNode(c *jval, depth int) *model.Node {
	r := t.l.f.rng(c)
	name := strOf(c.get("name"))
	n, ok := t.count(c.get("count"))
	if !ok {
		return t.l.unknownNode(unknownValue(armexpr.SourceRuntime, "the copy count of "+name+" is not known before deployment", ""), r, 0)
	}
	out := t.l.explicit(model.Node{Kind: model.KindList, Items: make([]*model.Node, 0, n)}, r)
	input := c.get("input")
	for i := 0; i < n; i++ {
		t.frames = append(t.frames, frame{name: name, index: int64(i)})
		out.Items = append(out.Items, t.node(input, depth+1))
		t.frames = t.frames[:len(t.frames)-1]
	}
	return out
}

func (l *loader) explicit(n model.Node, r model.Range) *model.Node {
	n.Meta = model.Meta{Range: r, Origin: model.Explicit}
	return l.newNode(n)
}

// nodeSlab is how many model nodes are allocated at once: 39 of 208
// bytes fill an 8 KiB size class of the Go allocator (a template
// converts hundreds, all dropped with its model).
const nodeSlab = 39

// newNode returns a copy of n from the loader's slab of nodes.
func (l *loader) newNode(n model.Node) *model.Node {
	if len(l.nodes) == cap(l.nodes) {
		// Each slab twice the last, up to nodeSlab: a small template
		// wastes little.
		l.nodes = make([]model.Node, 0, min(max(2*cap(l.nodes), nodeSlab/8), nodeSlab))
	}
	l.nodes = append(l.nodes, n)
	return &l.nodes[len(l.nodes)-1]
}

// valueNode converts an evaluated value into nodes located at r. Unknown
// parts become unknown nodes, annotated with where they come from.
func (l *loader) valueNode(v value, r model.Range, tt taint, depth int) *model.Node {
	if depth > maxJSONDepth {
		return l.unknownNode(unknownValue(sourceDeep, "the value is nested too deeply to be read", ""), r, tt)
	}
	var n *model.Node
	switch x := v.(type) {
	case nil:
		n = l.explicit(model.Node{Kind: model.KindNull}, r)
	case bool:
		n = l.explicit(model.Node{Kind: model.KindBool, Bool: x}, r)
	case int64:
		n = l.explicit(model.Node{Kind: model.KindInt, Int: x}, r)
	case float64:
		if x == float64(int64(x)) && x < 1e18 && x > -1e18 {
			n = l.explicit(model.Node{Kind: model.KindInt, Int: int64(x)}, r)
		} else {
			n = l.explicit(model.Node{Kind: model.KindString, Str: strconv.FormatFloat(x, 'f', -1, 64)}, r)
		}
	case string:
		n = l.explicit(model.Node{Kind: model.KindString, Str: x}, r)
	case []any:
		n = l.explicit(model.Node{Kind: model.KindList, Items: make([]*model.Node, 0, len(x))}, r)
		for _, e := range x {
			n.Items = append(n.Items, l.valueNode(e, r, tt, depth+1))
		}
		return n
	case *armexpr.Object:
		n = l.explicit(model.Node{Kind: model.KindObject, Fields: make([]model.Field, 0, x.Len())}, r)
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			n.Fields = append(n.Fields, model.Field{Name: k, Node: l.valueNode(e, r, tt, depth+1)})
		}
		return n
	case armexpr.Unknown:
		return l.unknownNode(x, r, tt)
	default:
		n = l.unknownNode(unknownValue(sourceError, "the expression has a value of an unexpected kind", ""), r, tt)
	}
	if tt&taintSecure != 0 {
		l.sources[n] = armsite.Source{Kind: model.SourceSensitiveInput}
	}
	return n
}

// unknownNode is a node standing for an unknown value, with a note saying
// why and, for values read from other resources or secure parameters, a
// source annotation.
func (l *loader) unknownNode(u armexpr.Unknown, r model.Range, tt taint) *model.Node {
	note := u.Reason
	if note == "" {
		note = "the value is known only at deployment"
	}
	n := l.newNode(model.Node{Kind: model.KindString, Meta: model.Meta{Range: r, Origin: model.Unknown, Note: note}})
	l.vals[n] = u
	switch src := sourceOfUnknown(u); {
	case src.Kind != "":
		l.sources[n] = src
	case tt&taintSecure != 0:
		l.sources[n] = armsite.Source{Kind: model.SourceSensitiveInput}
	}
	return n
}

// sourceOfUnknown classifies an unknown value: read from another
// resource at deployment (reference(), list*()), or a secure input.
func sourceOfUnknown(u armexpr.Unknown) armsite.Source {
	switch u.Source {
	case armexpr.SourceSecure, sourceKeyVaultParam:
		return armsite.Source{Kind: model.SourceSensitiveInput}
	case armexpr.SourceRuntime:
		if isResourceFunction(u.Attribute) {
			return armsite.Source{Kind: model.SourceResource, Attribute: u.Attribute}
		}
	}
	for _, p := range u.Parts {
		if pu, ok := p.(armexpr.Unknown); ok {
			if s := sourceOfUnknown(pu); s.Kind != "" {
				return s
			}
		}
	}
	return armsite.Source{}
}

// isResourceFunction reports whether a function reads another resource:
// reference() or a list*() function (listKeys, listConnectionStrings, …).
func isResourceFunction(name string) bool {
	l := strings.ToLower(name)
	return l == "reference" || strings.HasPrefix(l, "list")
}

// symText renders a value as text for matching resources by name or id:
// known strings as they are, unknown values as a placeholder that is
// equal exactly when the unknowns are the same (the same parameter
// without a value, the same property of the same reference()). Slashes
// inside placeholders are escaped so that names split into segments.
// known is false when the value is not fully known; text is "" when the
// value cannot be matched at all (an unsupported function, an error).
func symText(v value) (text string, known bool) {
	return symTextOf(v, false)
}

// opaque stands, in loose symText, for a part that cannot be matched.
const opaque = "\x00?\x00"

// looseText is symText where parts that cannot be matched are opaque
// instead of spoiling the whole text: a connection string whose key comes
// from listKeys() still has its AccountName=.
func looseText(v value) string {
	s, _ := symTextOf(v, true)
	return s
}

func symTextOf(v value, loose bool) (text string, known bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case bool:
		return strconv.FormatBool(x), true
	case armexpr.Unknown:
		if len(x.Parts) > 0 {
			var b strings.Builder
			for _, p := range x.Parts {
				s, _ := symTextOf(p, loose)
				if s == "" {
					return "", false
				}
				b.WriteString(s)
			}
			return b.String(), false
		}
		unmatched := "" // what a part that cannot be matched gives
		if loose {
			unmatched = opaque
		}
		switch x.Source {
		case armexpr.SourceParameter, armexpr.SourceSecure, sourceKeyVaultParam:
		case armexpr.SourceRuntime:
			if x.Ref == "" {
				return unmatched, false
			}
		default:
			return unmatched, false
		}
		ph := string(x.Source) + ":" + x.Ref + ":" + x.Attribute + x.Path
		return "\x00" + strings.ReplaceAll(ph, "/", "\x01") + "\x00", false
	}
	return "", false
}

// valueOf returns the value a node was converted from: its side-table
// entry for unknown nodes, else the node's own scalar.
func (l *loader) valueOf(n *model.Node) value {
	if n == nil {
		return nil
	}
	if v, ok := l.vals[n]; ok {
		return v
	}
	switch n.Kind {
	case model.KindString:
		return n.Str
	case model.KindInt:
		return n.Int
	case model.KindBool:
		return n.Bool
	}
	return nil
}
