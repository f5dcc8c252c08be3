package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tidwall/gjson"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// maxPlanValueDepth bounds the nesting of one resource value read from a
// plan; deeper values are unknown (with a warning).
const maxPlanValueDepth = 64

// bodyBuilder turns the value of one resource instance of a plan ("after",
// "after_unknown", "after_sensitive") into an evalBody whose attributes are
// already evaluated: the structure the mapping reads for .tf resources.
//
// Blocks are the keys the resource type's blockSchema names (lists of
// objects in JSON); everything else is an attribute. null means not set:
// such attributes are left out, so the mapping applies its documented
// default. In hclMode (the resource's .tf block was found) an attribute
// the .tf block does not write is a provider default (providerDefaultMark,
// located at the block header), or left out when the plan does not know
// it yet. Without .tf, values are explicit and located in the plan file;
// an unknown attribute the configuration does not write is left out.
type bodyBuilder struct {
	p          *plan
	r          *planResource
	inst       *instance
	hclMode    bool
	haveConfig bool // the plan's configuration describes the resource
}

// body builds the body of a block. hb is the block's .tf body (nil when not
// written or not in hclMode), cfg its configuration expressions, def where
// the block is.
func (bb *bodyBuilder) body(after, unk, sens gjson.Result, sensAll bool, bs *blockSchema, hb hcl.Body, cfg gjson.Result, def hcl.Range, path string, depth int) *evalBody {
	eb := &evalBody{inst: bb.inst, def: def, attrs: map[string]*evalAttr{}, blocks: map[string][]*evalBody{}, dynamic: map[string][]hcl.Range{}}
	if depth > maxPlanValueDepth {
		bb.tooDeep(after)
		eb.unknown = path + " is nested too deeply to be read"
		return eb
	}
	afterM, order := members(after)
	unkM, unkOrder := members(unk)
	sensM, _ := members(sens)
	cfgM, _ := members(cfg)
	for _, k := range unkOrder {
		if _, ok := afterM[k]; !ok && (isTrue(unkM[k].val) || unkM[k].val.IsObject() || unkM[k].val.IsArray()) {
			order = append(order, k)
		}
	}
	for _, name := range order {
		a, u, se, c := afterM[name].val, unkM[name].val, sensM[name].val, cfgM[name].val
		sensitive := sensAll || isTrue(se)
		if bs != nil && bs.blocks[name] != nil {
			bb.blocks(eb, name, a, u, se, sensitive, bs.child(name), hb, c, join(path, name), depth)
			continue
		}
		bb.attr(eb, name, a, u, se, sensitive, hb, c, depth)
	}
	return eb
}

// blocks adds the nested blocks of one type.
func (bb *bodyBuilder) blocks(eb *evalBody, name string, a, u, se gjson.Result, sensAll bool, bs *blockSchema, hb hcl.Body, cfg gjson.Result, path string, depth int) {
	var (
		written   []*hcl.Block
		dyn       *hcl.Block
		isWritten = !bb.hclMode
	)
	if bb.hclMode && hb != nil {
		written, dyn = hclBlocks(hb, name)
		isWritten = len(written) > 0 || dyn != nil
	}
	if !bb.hclMode && bb.haveConfig && !cfg.Exists() {
		isWritten = false
	}
	if isTrue(u) {
		// The whole list of blocks is known only after apply.
		if !isWritten {
			return // computed by the provider: the mapping's default applies
		}
		where := eb.def
		if bb.hclMode && len(written) > 0 {
			where = written[0].DefRange
		} else if !bb.hclMode {
			where = bb.p.rangeOf(u)
		}
		eb.blocks[name] = []*evalBody{{inst: bb.inst, def: where, unknown: path + " is known only after apply"}}
		return
	}
	var elems []gjson.Result
	switch {
	case a.IsArray():
		elems = elements(a)
	case a.IsObject():
		elems = []gjson.Result{a}
	}
	uEls, sEls, cEls := elements(u), elements(se), elements(cfg)
	for i, el := range elems {
		if !el.IsObject() {
			continue
		}
		ui, si, ci := u, se, cfg
		if a.IsArray() {
			ui, si, ci = at(uEls, i), at(sEls, i), at(cEls, i)
			if !ci.Exists() && len(cEls) > 0 {
				ci = cEls[0] // more blocks than written ones: a dynamic block
			}
		}
		p := path
		if len(elems) > 1 {
			p = fmt.Sprintf("%s[%d]", path, i)
		}
		var (
			childHB hcl.Body
			def     hcl.Range
		)
		switch {
		case !bb.hclMode:
			def = bb.p.rangeOf(el)
		case len(written) > 0:
			blk := written[min(i, len(written)-1)]
			childHB, def = blk.Body, blk.DefRange
		case dyn != nil:
			childHB, def = dynamicContent(dyn), dyn.DefRange
			if childHB == nil {
				childHB = dyn.Body
			}
		default:
			// Not written: the provider filled the block in; everything in
			// it is a default, blamed on the resource block.
			def = bb.inst.res.def
		}
		child := bb.body(el, ui, si, sensAll, bs, childHB, ci, def, p, depth+1)
		eb.blocks[name] = append(eb.blocks[name], child)
	}
}

// attr adds one attribute, unless it is not set.
func (bb *bodyBuilder) attr(eb *evalBody, name string, a, u, se gjson.Result, sensitive bool, hb hcl.Body, cfg gjson.Result, depth int) {
	unknown := isTrue(u)
	if !unknown && (!a.Exists() || a.Type == gjson.Null) {
		return // null: not set
	}
	var ha *hcl.Attribute
	if bb.hclMode {
		ha = hclAttr(hb, name)
	}

	// References: the .tf expression's when at hand (per item of an object
	// constructor), else the configuration's.
	var (
		refs     []planRef
		itemRefs map[string][]planRef
	)
	if ha != nil {
		refs = bb.p.resolve(bb.r, ha.Expr.Variables())
		if oc, ok := ha.Expr.(*hclsyntax.ObjectConsExpr); ok {
			itemRefs = map[string][]planRef{}
			for _, item := range oc.Items {
				k, ok := literalKey(item.KeyExpr)
				if _, dup := itemRefs[k]; ok && !dup {
					itemRefs[k] = bb.p.resolve(bb.r, item.ValueExpr.Variables())
				}
			}
		}
	} else {
		refs = bb.p.resolve(bb.r, configRefs(cfg))
	}

	cv := &valueConv{bb: bb}
	v := cv.value(a, u, se, sensitive, refs, itemRefs, depth)

	var (
		rng  hcl.Range
		expr hcl.Expression
	)
	switch {
	case bb.hclMode && ha == nil:
		raw := unmarked(v)
		if !raw.IsWhollyKnown() {
			return // computed by the provider, not known yet: the mapping's default applies
		}
		v = v.Mark(providerDefaultMark{})
		rng = bb.inst.res.def
	case bb.hclMode:
		rng = ha.Expr.Range()
		raw := unmarked(v)
		expr = synthExpr(ha.Expr, raw, 0)
	default:
		if unknown && bb.haveConfig && !cfg.Exists() {
			return // computed by the provider, not written: the mapping's default applies
		}
		src := a
		if !a.Exists() {
			src = u
		}
		rng = bb.p.rangeOf(src)
		expr = bb.planItemsExpr(src, 0)
	}
	eb.attrs[name] = &evalAttr{name: name, expr: expr, rng: rng, inst: bb.inst, s: bb.p.s, state: done, val: v}
}

// synthExpr mirrors the object and tuple constructors of a .tf
// expression (looking through parentheses and jsonencode) as literal
// expressions located where each item is written, so that the mapping
// locates app settings, list elements and azapi body values without
// evaluating anything in the plan's empty scope. raw is the plan's
// (unmarked) value; a tuple is mirrored only when the plan holds its
// literal elements in the written order (a set may be sorted
// differently). Anything else is one literal at the expression.
func synthExpr(expr hcl.Expression, raw cty.Value, depth int) hclsyntax.Expression {
	for range maxUnwrap {
		if pe, ok := expr.(*hclsyntax.ParenthesesExpr); ok {
			expr = pe.Expression
			continue
		}
		if fc, ok := expr.(*hclsyntax.FunctionCallExpr); ok && fc.Name == "jsonencode" && len(fc.Args) == 1 && !fc.ExpandFinal {
			expr = fc.Args[0]
			continue
		}
		break
	}
	leaf := &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: expr.Range()}
	if depth > maxPlanValueDepth || raw == cty.NilVal || !raw.IsKnown() || raw.IsNull() {
		return leaf
	}
	ty := raw.Type()
	switch e := expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		if !ty.IsObjectType() && !ty.IsMapType() {
			return leaf
		}
		oc := &hclsyntax.ObjectConsExpr{SrcRange: e.SrcRange, OpenRange: e.OpenRange}
		seen := map[string]bool{}
		for _, item := range e.Items {
			k, ok := literalKey(item.KeyExpr)
			if !ok || seen[k] {
				continue
			}
			seen[k] = true
			el := cty.NilVal
			if v, ok := element(raw, k); ok {
				el = v
			}
			oc.Items = append(oc.Items, hclsyntax.ObjectConsItem{
				KeyExpr:   &hclsyntax.LiteralValueExpr{Val: cty.StringVal(k), SrcRange: item.KeyExpr.Range()},
				ValueExpr: synthExpr(item.ValueExpr, el, depth+1),
			})
		}
		return oc
	case *hclsyntax.TupleConsExpr:
		if !raw.CanIterateElements() || ty.IsMapType() || ty.IsObjectType() || raw.LengthInt() != len(e.Exprs) {
			return leaf
		}
		tc := &hclsyntax.TupleConsExpr{SrcRange: e.SrcRange, OpenRange: e.OpenRange}
		i := 0
		for it := raw.ElementIterator(); it.Next(); i++ {
			_, el := it.Element()
			x := e.Exprs[i]
			if lit, ok := literalStrings([]hclsyntax.Expression{x}); ok && (!el.IsKnown() || el.IsNull() || el.Type() != cty.String || el.AsString() != lit[0]) {
				return leaf // a set the plan sorted differently
			}
			tc.Exprs = append(tc.Exprs, synthExpr(x, el, depth+1))
		}
		return tc
	}
	return leaf
}

// planItemsExpr mirrors a JSON value of the plan as literal expressions
// located at each item and element, so that the mapping locates app
// settings, list elements and azapi body values in the plan file.
func (bb *bodyBuilder) planItemsExpr(src gjson.Result, depth int) hclsyntax.Expression {
	rng := bb.p.rangeOf(src)
	switch {
	case depth > maxPlanValueDepth:
	case src.IsObject():
		oc := &hclsyntax.ObjectConsExpr{SrcRange: rng, OpenRange: rng}
		m, order := members(src)
		for _, k := range order {
			oc.Items = append(oc.Items, hclsyntax.ObjectConsItem{
				KeyExpr:   &hclsyntax.LiteralValueExpr{Val: cty.StringVal(k), SrcRange: bb.p.rangeOf(m[k].key)},
				ValueExpr: bb.planItemsExpr(m[k].val, depth+1),
			})
		}
		return oc
	case src.IsArray():
		tc := &hclsyntax.TupleConsExpr{SrcRange: rng, OpenRange: rng}
		for _, el := range elements(src) {
			tc.Exprs = append(tc.Exprs, bb.planItemsExpr(el, depth+1))
		}
		return tc
	}
	return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: rng}
}

// tooDeep warns once per resource about a value nested beyond
// maxPlanValueDepth.
func (bb *bodyBuilder) tooDeep(where gjson.Result) {
	if bb.p.warnedDeep[bb.r.addr] {
		return
	}
	bb.p.warnedDeep[bb.r.addr] = true
	bb.p.diag(model.SevWarning, "Value nested too deeply",
		fmt.Sprintf("a value of %s is nested more than %d levels deep; it is treated as unknown.", bb.r.addr, maxPlanValueDepth),
		toRange(bb.p.rangeOf(where)))
}

// valueConv converts a JSON value of a plan to cty, with marks: refMark
// for every instance the configuration refers to (Unknown where the plan
// does not know the value yet), planUnknownMark for unknown values whose
// origin no reference tells, planSensitiveMark where the plan says
// sensitive.
type valueConv struct {
	bb *bodyBuilder
}

func (cv *valueConv) value(a, u, se gjson.Result, sensitive bool, refs []planRef, itemRefs map[string][]planRef, depth int) cty.Value {
	sensitive = sensitive || isTrue(se)
	if depth > maxPlanValueDepth {
		cv.bb.tooDeep(a)
		return cty.DynamicVal.Mark(evalErrorMark{})
	}
	if isTrue(u) {
		return cv.mark(cty.DynamicVal, gjson.Result{}, sensitive, refs)
	}
	var v cty.Value
	switch a.Type {
	case gjson.Null:
		return cty.NullVal(cty.DynamicPseudoType)
	case gjson.True, gjson.False:
		v = cty.BoolVal(a.Type == gjson.True)
	case gjson.Number:
		n, err := cty.ParseNumberVal(a.Raw)
		if err != nil {
			n = cty.NumberFloatVal(a.Num)
		}
		v = n
	case gjson.String:
		v = cty.StringVal(a.Str)
	case gjson.JSON:
		return cv.collection(a, u, se, sensitive, refs, itemRefs, depth)
	default:
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return cv.mark(v, a, sensitive, refs)
}

// collection converts an array (to a tuple) or an object (to an object).
func (cv *valueConv) collection(a, u, se gjson.Result, sensitive bool, refs []planRef, itemRefs map[string][]planRef, depth int) cty.Value {
	if a.IsArray() {
		els := elements(a)
		if len(els) == 0 {
			return cv.mark(cty.EmptyTupleVal, a, sensitive, nil)
		}
		vals := make([]cty.Value, len(els))
		uEls, sEls := elements(u), elements(se)
		for i, el := range els {
			vals[i] = cv.value(el, at(uEls, i), at(sEls, i), sensitive, refs, nil, depth+1)
		}
		return cty.TupleVal(vals)
	}
	am, order := members(a)
	um, uorder := members(u)
	sm, _ := members(se)
	for _, k := range uorder {
		if _, ok := am[k]; !ok && isTrue(um[k].val) {
			order = append(order, k)
		}
	}
	if len(order) == 0 {
		return cv.mark(cty.EmptyObjectVal, a, sensitive, nil)
	}
	vals := make(map[string]cty.Value, len(order))
	for _, k := range order {
		r := refs
		if ir, ok := itemRefs[k]; ok {
			r = ir
		}
		vals[k] = cv.value(am[k].val, um[k].val, sm[k].val, sensitive, r, nil, depth+1)
	}
	return cty.ObjectVal(vals)
}

// mark adds the marks of a leaf value; known is its JSON value, absent
// when the plan does not know it yet. A refMark says Unknown when the value
// is unknown, or when it is known but equals an attribute the referenced
// resource computes (a plan of existing resources knows their keys and
// connection strings; they are still not written in any source).
func (cv *valueConv) mark(v cty.Value, known gjson.Result, sensitive bool, refs []planRef) cty.Value {
	marks := make([]any, 0, len(refs)+2)
	for i := range refs {
		m := refs[i].mark
		m.Unknown = !known.Exists() || (refs[i].computed && sameJSON(known, refs[i].value))
		marks = append(marks, m)
	}
	if !known.Exists() && len(refs) == 0 {
		marks = append(marks, planUnknownMark{})
	}
	if sensitive {
		marks = append(marks, planSensitiveMark{})
	}
	if len(marks) == 0 {
		return v
	}
	return v.WithMarks(cty.NewValueMarks(marks...))
}

// sameJSON reports whether two JSON scalars are equal.
func sameJSON(a, b gjson.Result) bool {
	if !a.Exists() || !b.Exists() || a.Type != b.Type {
		return false
	}
	if a.Type == gjson.String {
		return a.Str == b.Str
	}
	return a.Type != gjson.JSON && a.Raw == b.Raw
}
