package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// The evaluation budget (limits.EvalBudget) bounds the work of
// evaluating one module tree, counted in the elements (list, set, tuple,
// map and object members) and string bytes of every function result and
// every evaluated expression: a few lines of for, range, concat, flatten,
// setproduct or doubling strings can otherwise ask for gigabytes. Real
// configurations stay far below it.
//
// The scan's budget (limits.ScanEvalBudget), shared by every tree, bounds
// only what heavy trees spend together: a tree charges it with what it
// spends beyond a free allowance of its own (limits.EvalAllowance), so
// ordinary trees, however many, never touch it, and their values never
// depend on the order trees are evaluated in. Once a tree's own budget
// is spent, or it is past its allowance and the scan's is spent, its
// function results and expression values are unknown, and one diagnostic
// names the expression where it ran out.

// maxSmallValue is the size of an expression's value that stays known
// when the budget is spent (see chargeResult).
const maxSmallValue = 64

// evalBudget is what a tree has left to spend on evaluation.
type evalBudget struct {
	max      int64          // the tree's budget
	free     int64          // spent before the scan's budget is charged
	scan     *limits.Budget // the scan's, shared; nil: none
	spent    int64
	reported bool
}

// newEvalBudget returns the budget of a tree evaluated under l, sharing
// scan (nil: none) beyond its allowance.
func newEvalBudget(l limits.Limits, scan *limits.Budget) evalBudget {
	return evalBudget{max: l.MaxEvalBudget(), free: min(limits.EvalAllowance, l.MaxEvalBudget()), scan: scan}
}

// own reports whether the tree's own budget is spent.
func (b *evalBudget) own() bool { return b.spent > b.max }

// exhausted reports whether nothing is left: the tree's own budget is
// spent, or its allowance is and so is the scan's budget. A tree within
// its allowance never depends on the scan's budget.
func (b *evalBudget) exhausted() bool {
	return b.own() || (b.spent > b.free && b.scan.Exhausted())
}

// charge spends the size of v (counted up to what is left) and reports
// whether the budget still holds. Only what goes beyond the tree's
// allowance is charged to the scan's budget.
func (b *evalBudget) charge(v cty.Value) bool {
	return b.chargeSized(v, nil)
}

// chargeSized is charge for a value whose size m remembers (nil: none).
func (b *evalBudget) chargeSized(v cty.Value, m *sizeMemo) bool {
	if b.exhausted() {
		return false
	}
	n := m.size(v, b.max-b.spent+1)
	before := b.spent
	b.spent += n
	if over := b.spent - max(before, b.free); over > 0 && !b.scan.Charge(over) {
		return false
	}
	return !b.own()
}

// valueSize counts the elements and string bytes of v, stopping once the
// count passes limit.
//
// Where it stops depends on the order elements are counted in, so the
// count is the one of ElementIterator's order (objects' attributes by
// name). It is first taken in any order, which spares sorting the names
// of every object: when that count stays within limit it is the whole
// size, which no order changes; only past limit is it taken again in
// order.
func valueSize(v cty.Value, limit int64) int64 {
	if n := sizeOf(v, limit, false); n <= limit {
		return n
	}
	return sizeOf(v, limit, true)
}

// sizeMemo remembers the size of a value that is built once and then
// charged each time an expression hands it on whole: a resource's
// instance object (a hundred attributes, most of them marked unknowns,
// whose marks valueSize copies to look inside) or its collection of
// them. The zero value remembers nothing.
type sizeMemo struct {
	n     int64
	exact bool // n is the whole size
	// elems are, once n is, the sizes of the attributes of the value
	// when it is an unmarked object (a for_each resource's collection),
	// for the for expressions that hand them on (see forResultSize).
	elems map[string]int64
}

// size is valueSize(v, limit), v being the value m is of; m may be nil.
// A size counted within some limit is the whole size, the same for any
// limit it stays within; past limit it depends on where counting
// stopped, so only whole sizes are remembered.
func (m *sizeMemo) size(v cty.Value, limit int64) int64 {
	if m == nil {
		return valueSize(v, limit)
	}
	if m.exact && m.n <= limit {
		return m.n
	}
	if n, elems, ok := objectSize(v, limit); ok {
		m.n, m.exact, m.elems = n, true, elems
		return n
	}
	n := valueSize(v, limit)
	if n <= limit {
		m.n, m.exact = n, true
	}
	return n
}

// objectSize is valueSize(v, limit) of an unmarked, known object value
// whose size stays within limit, counted attribute by attribute, and the
// sizes of its attributes by name; ok is false for any other value and
// when the size passes limit (where it stops counting then depends on
// the order, which valueSize keeps).
func objectSize(v cty.Value, limit int64) (n int64, elems map[string]int64, ok bool) {
	if v.IsMarked() || !v.Type().IsObjectType() || !v.IsKnown() || v.IsNull() {
		return 0, nil, false
	}
	n = int64(v.LengthInt())
	elems = make(map[string]int64, n)
	for name := range v.Type().AttributeTypes() {
		if n > limit {
			return 0, nil, false
		}
		e := valueSize(v.GetAttr(name), limit-n)
		elems[name] = e
		n += e
	}
	return n, elems, n <= limit
}

// forResultSize is the memo of the size of v, the value of expr, when
// expr is a for expression that hands on the elements of a for_each
// resource's collection unchanged, filtered or not ({ for k, a in
// type.name : k => a if ... }): each attribute of v is the collection's
// of the same name, whose size the collection's memo (in sizes, see
// evalContext) holds. It is nil for any other expression or value.
func forResultSize(expr hcl.Expression, v cty.Value, sizes map[string]*sizeMemo) *sizeMemo {
	fe, ok := unparen(expr).(*hclsyntax.ForExpr)
	if !ok || fe.Group || fe.KeyVar == "" || !isSymbol(fe.KeyExpr, fe.KeyVar) || !isSymbol(fe.ValExpr, fe.ValVar) {
		return nil
	}
	ce, ok := fe.CollExpr.(chargedExpr)
	if !ok {
		return nil
	}
	addr, ok := wholeRef(ce.Expression, nil) // in expr's own context: no for symbols
	if !ok {
		return nil
	}
	coll := sizes[addr]
	if coll == nil || !coll.exact || coll.elems == nil {
		return nil
	}
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() {
		return nil
	}
	n := int64(v.LengthInt())
	for name := range v.Type().AttributeTypes() {
		e, ok := coll.elems[name]
		if !ok {
			return nil
		}
		n += e
	}
	return &sizeMemo{n: n, exact: true}
}

// isSymbol reports whether expr is a reference to name alone.
func isSymbol(expr hcl.Expression, name string) bool {
	e, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(e.Traversal) != 1 {
		return false
	}
	root, ok := e.Traversal[0].(hcl.TraverseRoot)
	return ok && root.Name == name
}

// sizeOf is valueSize, its elements counted in ElementIterator's order
// when ordered is set, else in any order.
func sizeOf(v cty.Value, limit int64, ordered bool) int64 {
	var n int64
	var walk func(v cty.Value) bool
	walk = func(v cty.Value) bool {
		// One level at a time (UnmarkDeep copies it all); first, as
		// IsKnown and IsNull copy the marks of a marked value.
		v, _ = v.Unmark()
		ty := v.Type()
		if !v.IsKnown() { // its type may still be large: a tuple's
			n++
			switch {
			case ty.IsTupleType():
				n += int64(len(ty.TupleElementTypes()))
			case ty.IsObjectType():
				n += int64(len(ty.AttributeTypes()))
			}
			return n <= limit
		}
		if n > limit || v.IsNull() {
			return n <= limit
		}
		switch {
		case ty == cty.String:
			n += int64(len(v.AsString()))
		case ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType():
			n += int64(v.LengthInt())
			if n > limit {
				return false
			}
			if ordered {
				for it := v.ElementIterator(); it.Next() && n <= limit; {
					_, e := it.Element()
					walk(e)
				}
			} else {
				eachElement(v, walk)
			}
		default:
			n++
		}
		return n <= limit
	}
	walk(v)
	return n
}

// budgeted wraps a function so that its results are charged to the
// tree's evaluation budget: once spent, the function returns an unknown
// value of its type without running.
func (t *tree) budgeted(f function.Function) function.Function {
	spec := &function.Spec{
		Description: f.Description(),
		Params:      f.Params(),
		VarParam:    f.VarParam(),
		Type: func(args []cty.Value) (cty.Type, error) {
			if t.eval.exhausted() {
				// Not even the type: concat's is as large as its value.
				return cty.DynamicPseudoType, nil
			}
			return f.ReturnTypeForValues(args)
		},
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			if t.eval.exhausted() {
				return cty.DynamicVal, nil
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			if !t.eval.charge(v) {
				return cty.UnknownVal(retType), nil
			}
			return v, nil
		},
	}
	return function.New(spec)
}

// chargeResult charges an evaluated expression's value; when the budget
// is spent (by it or by the functions it called) the value is unknown,
// and the first expression it happens to is reported.
//
// Small values (names, flags, a few settings) stay known even then: they
// are already computed and cost nothing more, and the rest of the
// configuration is still worth checking.
func (s *scope) chargeResult(expr hcl.Expression, v cty.Value) cty.Value {
	return s.chargeSizedResult(expr, v, nil)
}

// chargeSizedResult is chargeResult for a value whose size m remembers
// (nil: none).
func (s *scope) chargeSizedResult(expr hcl.Expression, v cty.Value, m *sizeMemo) cty.Value {
	if s.t.eval.chargeSized(v, m) || m.size(v, maxSmallValue) <= maxSmallValue {
		return v
	}
	switch {
	case s.t.eval.reported:
	case s.t.eval.own():
		s.t.eval.reported = true
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Evaluation budget spent",
			Detail: fmt.Sprintf("evaluating this expression passed the %d elements and string bytes azfuncscan computes for one module tree (--eval-budget); "+
				"its value and the larger values computed after it are treated as unknown.", s.t.eval.max),
			Range: toRange(expr.Range()),
		})
	case s.t.eval.scan.Report():
		// Once per scan: the first heavy tree to meet it says so.
		// Which expression that is depends on the order heavy trees
		// run in; trees within their allowance are never affected.
		s.t.eval.reported = true
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Scan evaluation budget spent",
			Detail: fmt.Sprintf("the module trees of this scan that each computed more than %d elements and string bytes together computed %d more (--scan-eval-budget); "+
				"this value and the larger values computed after it, here and in the other trees past %d still being evaluated, are treated as unknown.",
				s.t.eval.free, s.t.loader.opts.Limits.MaxScanEvalBudget(), s.t.eval.free),
			Range: toRange(expr.Range()),
		})
	default:
		s.t.eval.reported = true
	}
	return cty.DynamicVal
}

// chargeFunc names the function through which the collections of for
// expressions are charged; no HCL call can name it.
const chargeFunc = "\x00charge"

// chargeFunction charges its argument to the tree's budget and returns
// it, or an unknown value once the budget is spent. A second argument,
// when given, is the address (type.name) of the resource the first is
// the value of, whose size the expression being evaluated may remember
// (tree.refSizes).
func (t *tree) chargeFunction() function.Function {
	return function.New(&function.Spec{
		Params:   []function.Parameter{{Name: "v", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowMarked: true, AllowDynamicType: true}},
		VarParam: &function.Parameter{Name: "address", Type: cty.String},
		Type:     func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			var m *sizeMemo
			if len(args) > 1 {
				m = t.refSizes[args[1].AsString()]
			}
			if !t.eval.chargeSized(args[0], m) {
				return cty.UnknownVal(retType), nil
			}
			return args[0], nil
		},
	})
}

// valueWithSizes evaluates expr in ctx while refSizes holds sizes, the
// memos evalContext found for ctx.
func (t *tree) valueWithSizes(expr hcl.Expression, ctx *hcl.EvalContext, sizes map[string]*sizeMemo) (cty.Value, hcl.Diagnostics) {
	prev := t.refSizes
	t.refSizes = sizes
	defer func() { t.refSizes = prev }()
	return expr.Value(ctx)
}

// wholeRef is the address (type.name) expr refers to when it is a
// reference of two names whose first is not a for expression's symbol
// in ctx: a resource referenced whole, if anything, whose size the
// context may remember (see evalContext).
func wholeRef(expr hcl.Expression, ctx *hcl.EvalContext) (string, bool) {
	e, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(e.Traversal) != 2 {
		return "", false
	}
	root, ok1 := e.Traversal[0].(hcl.TraverseRoot)
	name, ok2 := e.Traversal[1].(hcl.TraverseAttr)
	if !ok1 || !ok2 {
		return "", false
	}
	for c := ctx; c != nil && c.Parent() != nil; c = c.Parent() {
		if _, shadowed := c.Variables[root.Name]; shadowed {
			return "", false
		}
	}
	return root.Name + "." + name.Name, true
}

// chargedExpr is the collection of a for expression, charged each time
// it is evaluated: nested for expressions over one list produce its
// length to the power of their depth without calling any function. It is
// a ParenthesesExpr so that walks over the syntax tree (Variables) still
// visit the expression it wraps.
type chargedExpr struct {
	*hclsyntax.ParenthesesExpr
}

func (e chargedExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, diags := e.Expression.Value(ctx)
	root := ctx
	for root != nil && root.Parent() != nil {
		root = root.Parent()
	}
	if root != nil {
		if f, ok := root.Functions[chargeFunc]; ok {
			args := []cty.Value{v}
			if addr, ok := wholeRef(e.Expression, ctx); ok {
				args = append(args, cty.StringVal(addr))
			}
			if cv, err := f.Call(args); err == nil {
				v = cv
			}
		}
	}
	return v, diags
}

// prepareSyntax walks the syntax tree of a parsed native-syntax file
// once: it makes the collections of its for expressions charged (see
// chargedExpr) and returns the attribute names its expressions use after
// a dot (app.default_hostname, each.value.id; see parsedDir.attrNames)
// and the names of the functions they call (see tree.useFuncs). It
// returns nils for other bodies (JSON).
func prepareSyntax(body hcl.Body) (names, funcs map[string]bool) {
	b, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil, nil
	}
	p := syntaxPrep{names: map[string]bool{}, funcs: map[string]bool{}}
	p.body(b)
	return p.names, p.funcs
}

// syntaxPrep is prepareSyntax's walk. It visits what hclsyntax.VisitAll
// visits, in a type switch instead of VisitAll's closures and
// diagnostics for every node, and without the scope map VisitAll makes
// at every for expression: the walk was a tenth of the cost of parsing
// the file. A node of a type it does not know (hclsyntax may add some)
// is handed to VisitAll, so nothing below it is missed.
type syntaxPrep struct {
	names, funcs map[string]bool
}

func (p *syntaxPrep) body(b *hclsyntax.Body) {
	for _, a := range b.Attributes {
		p.expr(a.Expr)
	}
	for _, blk := range b.Blocks {
		p.body(blk.Body)
	}
}

func (p *syntaxPrep) traversal(t hcl.Traversal) {
	for _, step := range t {
		if a, ok := step.(hcl.TraverseAttr); ok {
			p.names[a.Name] = true
		}
	}
}

func (p *syntaxPrep) expr(e hclsyntax.Expression) {
	switch e := e.(type) {
	case nil:
	case *hclsyntax.LiteralValueExpr, *hclsyntax.AnonSymbolExpr, *hclsyntax.ExprSyntaxError:
	case *hclsyntax.ScopeTraversalExpr:
		p.traversal(e.Traversal)
	case *hclsyntax.RelativeTraversalExpr:
		p.traversal(e.Traversal)
		p.expr(e.Source)
	case *hclsyntax.FunctionCallExpr:
		p.funcs[e.Name] = true
		for _, a := range e.Args {
			p.expr(a)
		}
	case *hclsyntax.ForExpr:
		charge(e)
		p.expr(e.CollExpr)
		p.expr(e.KeyExpr)
		p.expr(e.ValExpr)
		p.expr(e.CondExpr)
	case chargedExpr:
		p.expr(e.Expression)
	case *hclsyntax.ParenthesesExpr:
		p.expr(e.Expression)
	case *hclsyntax.ConditionalExpr:
		p.expr(e.Condition)
		p.expr(e.TrueResult)
		p.expr(e.FalseResult)
	case *hclsyntax.IndexExpr:
		p.expr(e.Collection)
		p.expr(e.Key)
	case *hclsyntax.TupleConsExpr:
		for _, x := range e.Exprs {
			p.expr(x)
		}
	case *hclsyntax.ObjectConsExpr:
		for _, it := range e.Items {
			p.expr(it.KeyExpr)
			p.expr(it.ValueExpr)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		// A key read as a literal name is not an expression (what
		// VisitAll skips too).
		if hcl.ExprAsKeyword(e.Wrapped) == "" {
			p.expr(e.Wrapped)
		}
	case *hclsyntax.SplatExpr:
		p.expr(e.Source)
		p.expr(e.Each)
	case *hclsyntax.BinaryOpExpr:
		p.expr(e.LHS)
		p.expr(e.RHS)
	case *hclsyntax.UnaryOpExpr:
		p.expr(e.Val)
	case *hclsyntax.TemplateExpr:
		for _, x := range e.Parts {
			p.expr(x)
		}
	case *hclsyntax.TemplateJoinExpr:
		p.expr(e.Tuple)
	case *hclsyntax.TemplateWrapExpr:
		p.expr(e.Wrapped)
	default:
		_ = hclsyntax.VisitAll(e, p.visit)
	}
}

// charge makes the collection of e charged (chargedExpr), once.
func charge(e *hclsyntax.ForExpr) {
	if _, done := e.CollExpr.(chargedExpr); !done {
		e.CollExpr = chargedExpr{&hclsyntax.ParenthesesExpr{Expression: e.CollExpr, SrcRange: e.CollExpr.Range()}}
	}
}

// visit is the walk of a node through hclsyntax.VisitAll (a type the
// switch of expr does not know).
func (p *syntaxPrep) visit(n hclsyntax.Node) hcl.Diagnostics {
	switch e := n.(type) {
	case *hclsyntax.FunctionCallExpr:
		p.funcs[e.Name] = true
	case *hclsyntax.ForExpr:
		charge(e)
	case *hclsyntax.ScopeTraversalExpr:
		p.traversal(e.Traversal)
	case *hclsyntax.RelativeTraversalExpr:
		p.traversal(e.Traversal)
	}
	return nil
}
