package engine

import (
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
)

// reads is the part of a view that a set of expressions can read, as a
// tree of field names from app or item. Converting only that part to CEL
// data (celData) gives every expression the values it would get from the
// whole view: an app's view has many values no loaded check reads (the
// host storage account's every setting, the plan's), and converting
// them for every app was most of the data's cost.
type reads struct {
	// all: the whole value is read (it is passed to a function, compared,
	// iterated, printed by string()): nothing below it is left out.
	all bool
	// fields are the fields of an object read through a selection
	// (app.site_config.cors), by name. An object node with neither all
	// nor fields is only compared with null: an empty map stands for it.
	fields map[string]*reads
}

// child returns the reads of field name, adding it.
func (r *reads) child(name string) *reads {
	if r.fields == nil {
		r.fields = map[string]*reads{}
	}
	c := r.fields[name]
	if c == nil {
		c = &reads{}
		r.fields[name] = c
	}
	return c
}

// merge adds what o reads to r.
func (r *reads) merge(o *reads) {
	if o == nil {
		return
	}
	r.all = r.all || o.all
	for name, c := range o.fields {
		r.child(name).merge(c)
	}
}

// readsOf collects what the expression e reads from app and item into
// the two trees. A path of selections (app.site_config.cors, also
// app["auth"]) is followed field by field; where the path ends, the value
// it reaches is read whole, unless it is only compared with null, which
// needs no more than whether it is an object. A has() test reads its field
// whole. Anything else (an index by number or by a computed key, a
// comprehension over a list) ends the path before it, so what is read
// through a comprehension variable lies inside a value read whole.
// Comprehension variables that shadow app or item are taken for them:
// that can only read more.
func readsOf(e celast.Expr, app, item *reads) {
	rc := readCollector{app: app, item: item}
	rc.collect(e)
}

type readCollector struct {
	app, item *reads
}

// path returns the reads of the value e reaches when e is a path from app
// or item made of selections and constant string indexes.
func (rc readCollector) path(e celast.Expr) (*reads, bool) {
	switch e.Kind() {
	case celast.IdentKind:
		switch e.AsIdent() {
		case varApp:
			return rc.app, true
		case varItem:
			return rc.item, true
		}
	case celast.SelectKind:
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			return nil, false
		}
		if base, ok := rc.path(sel.Operand()); ok {
			return base.child(sel.FieldName()), true
		}
	case celast.CallKind:
		call := e.AsCall()
		if call.FunctionName() != operators.Index || len(call.Args()) != 2 || call.IsMemberFunction() {
			return nil, false
		}
		key := call.Args()[1]
		if key.Kind() != celast.LiteralKind {
			return nil, false
		}
		k, ok := key.AsLiteral().(types.String)
		if !ok {
			return nil, false
		}
		if base, ok := rc.path(call.Args()[0]); ok {
			return base.child(string(k)), true
		}
	}
	return nil, false
}

func (rc readCollector) collect(e celast.Expr) {
	if e == nil {
		return
	}
	if r, ok := rc.path(e); ok {
		r.all = true
		return
	}
	switch e.Kind() {
	case celast.SelectKind:
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			if base, ok := rc.path(sel.Operand()); ok {
				base.child(sel.FieldName()).all = true
				return
			}
		}
		rc.collect(sel.Operand())
	case celast.CallKind:
		call := e.AsCall()
		if fn := call.FunctionName(); (fn == operators.Equals || fn == operators.NotEquals) && len(call.Args()) == 2 {
			for i, a := range call.Args() {
				other := call.Args()[1-i]
				if isNullLiteral(other) {
					if _, ok := rc.path(a); ok {
						// The path is recorded (rc.path adds it) but not
						// read whole: null or an object is all that
						// matters.
						return
					}
				}
			}
		}
		if call.IsMemberFunction() {
			rc.collect(call.Target())
		}
		for _, a := range call.Args() {
			rc.collect(a)
		}
	case celast.ListKind:
		for _, el := range e.AsList().Elements() {
			rc.collect(el)
		}
	case celast.MapKind:
		for _, en := range e.AsMap().Entries() {
			rc.collect(en.AsMapEntry().Key())
			rc.collect(en.AsMapEntry().Value())
		}
	case celast.StructKind:
		for _, f := range e.AsStruct().Fields() {
			rc.collect(f.AsStructField().Value())
		}
	case celast.ComprehensionKind:
		cp := e.AsComprehension()
		rc.collect(cp.IterRange())
		rc.collect(cp.AccuInit())
		rc.collect(cp.LoopCondition())
		rc.collect(cp.LoopStep())
		rc.collect(cp.Result())
	}
}

func isNullLiteral(e celast.Expr) bool {
	if e.Kind() != celast.LiteralKind {
		return false
	}
	_, ok := e.AsLiteral().(types.Null)
	return ok
}
