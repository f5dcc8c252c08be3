package terraform

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Marks carried by cty values. They survive templates, functions and
// collections, so a value remembers what it was built from.

// refMark records that a value was read from another resource's (or data
// source's, or module's) attribute. Unknown is true when that attribute had
// no value before apply (not written in configuration).
type refMark struct {
	Address   string // e.g. azurerm_storage_account.sa, data.azurerm_key_vault.kv
	Attribute string // e.g. primary_access_key, identity[0].principal_id
	Unknown   bool
}

// sensitiveMark is set on values of variables declared sensitive and on
// results of sensitive().
type sensitiveMark struct{}

// unsetVarMark is set on the unknown value of a variable without a value.
type unsetVarMark struct{ Name string }

// funcMark is set on the unknown result of a function that is not evaluated.
type funcMark struct{ Name string }

// expansionMark is set on count.index and each.* (and the iterator of a
// dynamic block) when count/for_each is not known, so instances cannot be
// expanded.
type expansionMark struct{ Symbol string }

// evalErrorMark is set on the unknown value of an expression that could
// not be evaluated (a diagnostic says why) or that is part of a cycle.
type evalErrorMark struct{}

// tree is what the scopes of one root module and the modules it calls
// share: the loader's parse cache, the diagnostics, the function table and
// the downloaded-modules manifest. One goroutine evaluates a tree.
type tree struct {
	ctx     context.Context
	loader  *Loader
	rootDir string
	root    *scope

	manifest       map[string]string // modules.json: module key → directory
	manifestLoaded bool
	// parsedDirs are the directories the tree read, by absolute path, in
	// the order first read (dirOrder); the loader may drop them after.
	parsedDirs map[string]*parsedDir
	dirOrder   []string
	// funcs is the function table of the tree's scopes (see useFuncs);
	// allFuncs is set once it holds every built-in function.
	funcs    map[string]function.Function
	allFuncs bool
	// refSizes are the memos of the sizes of resources the expression
	// being evaluated holds whole, by address (see evalContext).
	refSizes  map[string]*sizeMemo
	instances int // resource, module and dynamic-block instances made
	// overInstances is set once "Too many instances" was reported.
	overInstances bool
	eval          evalBudget

	// schemas are the block schemas of resource types (schemaFor) the
	// tree has looked up.
	schemas map[string]*blockSchema

	warnedFuncs map[string]bool
	seenDiags   map[string]int // index in diags
	diags       model.Diagnostics
	diagCount   []int // how many times each of diags was met
}

func newTree(ctx context.Context, l *Loader, rootDir string) *tree {
	if ctx == nil {
		ctx = context.Background()
	}
	t := &tree{
		ctx:         ctx,
		loader:      l,
		rootDir:     rootDir,
		warnedFuncs: map[string]bool{},
		seenDiags:   map[string]int{},
		parsedDirs:  map[string]*parsedDir{},
		schemas:     map[string]*blockSchema{},
		eval:        newEvalBudget(l.opts.Limits, l.opts.ScanBudget),
	}
	t.root = &scope{
		t:      t,
		ctx:    ctx,
		dir:    rootDir,
		cfg:    newConfig(),
		vars:   map[string]cty.Value{},
		varObj: cty.EmptyObjectVal,
		parser: newParser(),
	}
	t.funcs = map[string]function.Function{chargeFunc: t.chargeFunction()}
	t.root.funcs = t.funcs
	return t
}

// useFuncs adds to the tree's function table, wrapped in its budget (see
// budgeted), the built-in functions of names that it lacks; nil names
// every built-in function. The table starts without them: a tree wraps
// the functions the files it reads call (sourceFile.funcs), not the
// whole table for every root of a scan. Scopes share the table, so what
// is added is seen by every scope of the tree.
func (t *tree) useFuncs(names map[string]bool) {
	if t.allFuncs {
		return
	}
	base := t.loader.functions()
	if names == nil {
		t.allFuncs = true
		for name, f := range base {
			if _, ok := t.funcs[name]; !ok {
				t.funcs[name] = t.budgeted(f)
			}
		}
		return
	}
	for name := range names {
		if f, ok := base[name]; ok {
			if _, done := t.funcs[name]; !done {
				t.funcs[name] = t.budgeted(f)
			}
		}
	}
}

// parsed returns the parsed files of a directory the tree reads; the
// tree holds on to them until it is done, whatever the loader drops.
func (t *tree) parsed(dir string) *parsedDir {
	abs := absPath(dir)
	if pd := t.parsedDirs[abs]; pd != nil {
		return pd
	}
	pd := t.loader.dir(t.ctx, dir)
	for _, f := range pd.files {
		t.useFuncs(f.funcs)
	}
	t.parsedDirs[abs] = pd
	t.dirOrder = append(t.dirOrder, abs)
	return pd
}

// scope evaluates the expressions of one module instance: the root module
// or one instance of a module call. Everything it computes is cached on its
// config objects, so each expression is evaluated once per instance.
type scope struct {
	t      *tree
	ctx    context.Context
	dir    string
	module string // module address prefix: "" for the root, `module.a["k"].module.b` below
	key    string // modules.json key: "" for the root, "a.b" below (no instance keys)
	// calls are the module call blocks that led here, outermost first.
	calls  []model.Hop
	parent *scope
	depth  int
	// call is the module instance whose arguments set this scope's
	// variables; nil for the root module.
	call *moduleInstance
	cfg  *config
	// maybe, when set, says why this module instance may or may not
	// exist; every resource in it inherits the reason.
	maybe string

	// objNames are the names instance objects offer (offeredNames).
	objNames []string

	vars   map[string]cty.Value // root module: every variable's value
	varObj cty.Value
	funcs  map[string]function.Function
	// parser is for reading files outside the parse cache (plan input
	// beside its configuration); nil in called modules.
	parser *hclparse.Parser
}

// newScope returns the root scope of a fresh tree over dir with its own
// loader; tests use it to evaluate expressions.
func newScope(ctx context.Context, dir string) *scope {
	t := newTree(ctx, NewLoader(Options{}), dir)
	t.useFuncs(nil) // expressions tests parse call any function
	return t.root
}

// cancelled reports whether the scan was cancelled; the parser then stops
// reading more files and resources.
func (s *scope) cancelled() bool { return s.ctx.Err() != nil }

// address returns the full address of a config address in this module.
func (s *scope) address(configAddr string) string {
	if s.module == "" {
		return configAddr
	}
	return s.module + "." + configAddr
}

// instance is one instance of a resource (or, with res nil, of a module
// call: then only key and each matter, for the call's arguments). key is
// cty.NilVal without count/for_each, count.index or each.key once
// expanded, and an unknown value when count/for_each is not known.
type instance struct {
	s    *scope
	res  *resource
	addr string
	key  cty.Value // count.index or each.key
	each cty.Value // each.value (see eachValue)
	// eachOf, when set, is the resource instance each.value is, built
	// into each when read whole (see forEachResource).
	eachOf *instance
	body   *evalBody
	obj    cty.Value // the instance as an object value, once built
	// objSize remembers the size of obj (see sizeMemo).
	objSize sizeMemo
	// maybe, when set, says why the instance may or may not exist (see
	// instanceKey.maybe).
	maybe string
}

// eachValue is each.value of inst: the instance eachOf as an object,
// built the first time it is read whole.
func (inst *instance) eachValue() cty.Value {
	if inst.each == cty.NilVal && inst.eachOf != nil {
		inst.each = inst.eachOf.s.instanceObject(inst.eachOf)
	}
	return inst.each
}

// attrValue evaluates an attribute once and caches the result.
func (s *scope) attrValue(a *evalAttr) cty.Value {
	if a.s != nil && a.s != s {
		return a.s.attrValue(a)
	}
	switch a.state {
	case done:
		return a.val
	case evaluating:
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Reference cycle",
			Detail:   "The value of " + a.name + " depends on itself; it is treated as unknown.",
			Range:    toRange(a.rng),
		})
		return cty.DynamicVal.Mark(evalErrorMark{})
	}
	a.state = evaluating
	a.val = viaExpr(s.evalIn(a.expr, a.inst, a.it), a.expr)
	if inOverrideFile(a.expr) {
		a.val = viaOverride(a.val, a.expr, a.hopName())
	}
	a.state = done
	return a.val
}

// local returns the value of local.name.
func (s *scope) local(l *local) cty.Value {
	switch l.state {
	case done:
		return l.val
	case evaluating:
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Cycle in local values",
			Detail:   "local." + l.name + " depends on itself; it is treated as unknown.",
			Range:    toRange(l.expr.Range()),
		})
		return cty.DynamicVal.Mark(evalErrorMark{})
	}
	l.state = evaluating
	v := viaOverride(s.eval(l.expr), l.expr, "local."+l.name)
	l.val = withHop(v, model.Hop{Kind: model.HopLocal, Name: "local." + l.name, Range: toRange(l.expr.Range())})
	l.state = done
	return l.val
}

// evalLocals evaluates every local value in dependency order (each one
// evaluates what it references first), so cycles and evaluation problems
// are reported even for locals nothing uses.
func (s *scope) evalLocals() {
	for _, l := range s.cfg.locals {
		if s.cancelled() {
			return
		}
		s.local(l)
	}
}

// maxUnknownFuncRetries bounds re-evaluation after unknown functions were
// stubbed; each pass can only discover new names.
const maxUnknownFuncRetries = 16

// eval evaluates an expression outside resources (locals, outputs,
// count, for_each). It never fails: problems become warnings and the value
// becomes unknown.
func (s *scope) eval(expr hcl.Expression) cty.Value {
	return s.evalIn(expr, nil, nil)
}

// evalIn evaluates an expression in the context of inst (a resource or
// module call instance, for count.index and each.*; nil outside them)
// and of the iterators of the dynamic blocks around it. It never fails:
// problems become warnings and the value becomes unknown.
func (s *scope) evalIn(expr hcl.Expression, inst *instance, it *iterator) (val cty.Value) {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	defer func() {
		if r := recover(); r != nil {
			s.addDiag(model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Expression could not be evaluated",
				Detail:   fmt.Sprintf("internal error: %v", r),
				Range:    toRange(expr.Range()),
			})
			val = cty.DynamicVal.Mark(evalErrorMark{})
		}
	}()
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		// A plain reference (var.x, local.y, azurerm_x.y.id), the most
		// common expression: the value HCL would give, without the
		// evaluation context (see traversalValue).
		if v, diags, ok := s.eachAttr(e.Traversal, inst); ok && !it.names("each") {
			return s.shortcut(expr, s.chargeResult(expr, s.settle(v, diags, expr.Range())), inst, it)
		}
		if len(e.Traversal) > 0 {
			v, m, diags := s.traversalValue(e.Traversal, inst, it)
			return s.chargeSizedResult(expr, s.settle(v, diags, expr.Range()), m)
		}
	case *hclsyntax.RelativeTraversalExpr:
		// azurerm_x.y[each.key].id: as a plain reference, without the
		// collection of every instance of azurerm_x.y (see indexedRef).
		if v, ok := s.indexedRef(e, inst, it); ok {
			return s.shortcut(expr, s.chargeResult(expr, s.settle(v, nil, expr.Range())), inst, it)
		}
	case *hclsyntax.LiteralValueExpr:
		// true, 3: HCL gives the literal.
		return s.chargeResult(expr, s.settle(e.Val, nil, expr.Range()))
	case *hclsyntax.ObjectConsKeyExpr:
		// A key written as a name ({ FOO = 1 }): HCL gives the name.
		if name, ok := keywordKey(e); ok {
			return s.chargeResult(expr, s.settle(cty.StringVal(name), nil, expr.Range()))
		}
	case *hclsyntax.TemplateExpr:
		// "Standard": HCL gives the string of its one literal part.
		if lit, ok := stringLiteral(e); ok {
			return s.chargeResult(expr, s.settle(lit, nil, expr.Range()))
		}
	}
	ectx, sizes := s.evalContext(expr, inst, it)
	for range maxUnknownFuncRetries {
		v, diags := s.t.valueWithSizes(expr, ectx, sizes)
		if !s.stubUnknownFunctions(diags) {
			v = s.settle(v, diags, expr.Range())
			v = s.chargeSizedResult(expr, v, forResultSize(expr, v, sizes))
			if agreed, ok := s.branchesAgree(expr, v, inst, it); ok {
				return agreed
			}
			return v
		}
	}
	return cty.DynamicVal.Mark(evalErrorMark{})
}

// shortcut returns v, the value of expr a shortcut gave (eachAttr,
// indexedRef), after handing it to Options.compareIndexed with the value
// the evaluation context gives, when a test set it.
func (s *scope) shortcut(expr hcl.Expression, v cty.Value, inst *instance, it *iterator) cty.Value {
	if cmp := s.t.loader.opts.compareIndexed; cmp != nil {
		ectx, sizes := s.evalContext(expr, inst, it)
		full, diags := s.t.valueWithSizes(expr, ectx, sizes)
		cmp(expr, v, s.settle(full, diags, expr.Range()))
	}
	return v
}

// keywordKey is the name an object constructor's key written as a name
// stands for, as ObjectConsKeyExpr.Value reads it; ok is false for any
// other key (an expression, a dotted name it reports as ambiguous).
func keywordKey(e *hclsyntax.ObjectConsKeyExpr) (string, bool) {
	if e.ForceNonLiteral {
		return "", false
	}
	if t, ok := e.Wrapped.(*hclsyntax.ScopeTraversalExpr); ok && len(t.Traversal) > 1 {
		return "", false
	}
	name := hcl.ExprAsKeyword(e.Wrapped)
	return name, name != ""
}

// stringLiteral is the value of a template that is one literal string
// ("Standard"), as TemplateExpr.Value makes it: the same string.
func stringLiteral(e *hclsyntax.TemplateExpr) (cty.Value, bool) {
	if !e.IsStringLiteral() {
		return cty.NilVal, false
	}
	v := e.Parts[0].(*hclsyntax.LiteralValueExpr).Val
	if v.IsMarked() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return cty.NilVal, false
	}
	return v, true
}

// evalConst evaluates an expression that may not reference anything
// (variable defaults, tfvars values).
func (s *scope) evalConst(expr hcl.Expression, what string) cty.Value {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	if len(expr.Variables()) > 0 {
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Variables not allowed",
			Detail:   what + " cannot refer to other values; it is treated as unknown.",
			Range:    toRange(expr.Range()),
		})
		return cty.DynamicVal
	}
	return s.eval(expr)
}

// settle turns evaluation diagnostics into warnings; a value whose
// evaluation failed is unknown. at locates diagnostics without a subject.
func (s *scope) settle(v cty.Value, diags hcl.Diagnostics, at hcl.Range) cty.Value {
	if v == cty.NilVal {
		v = cty.DynamicVal
	}
	if !diags.HasErrors() {
		return v
	}
	for _, d := range diags {
		if d == nil || d.Severity != hcl.DiagError {
			continue
		}
		md := model.Diagnostic{Severity: model.SevWarning, Summary: "Expression could not be evaluated", Detail: d.Summary + ": " + d.Detail, Range: toRange(at)}
		if d.Subject != nil {
			md.Range = toRange(*d.Subject)
		}
		s.addDiag(md)
	}
	return cty.DynamicVal.Mark(evalErrorMark{})
}

// stubUnknownFunctions registers an unknown-result stub for every function
// the diagnostics say is unknown, warning once per name. It reports
// whether any stub was added (the expression is then evaluated again).
func (s *scope) stubUnknownFunctions(diags hcl.Diagnostics) bool {
	added := false
	for _, d := range diags {
		if d == nil {
			continue
		}
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallUnknownDiagExtra](d)
		if !ok {
			continue
		}
		name := extra.CalledFunctionNamespace() + extra.CalledFunctionName()
		if _, exists := s.funcs[name]; exists {
			continue
		}
		if _, builtin := s.t.loader.functions()[name]; builtin {
			// An expression from a file the tree did not list the calls
			// of (see useFuncs): every built-in, and evaluate again.
			s.t.useFuncs(nil)
			added = true
			continue
		}
		s.funcs[name] = unknownResultFunc(name)
		added = true
		if !s.t.warnedFuncs[name] {
			s.t.warnedFuncs[name] = true
			md := model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Function not evaluated",
				Detail:   "azfuncscan does not evaluate " + name + "(); values that use it are unknown.",
			}
			if d.Subject != nil {
				md.Range = toRange(*d.Subject)
			}
			s.addDiag(md)
		}
	}
	return added
}

// evalContext builds the variables an expression refers to. References to
// resources and data sources are resolved through the traversals the
// expression contains, so that attributes not written in configuration
// exist as unknown values carrying a refMark.
//
// sizes remembers, by address (type.name), the sizes of the resources
// the context holds whole and unchanged (see sizedResourceTree), for the
// for expressions that go over them (see chargedExpr).
func (s *scope) evalContext(expr hcl.Expression, inst *instance, it *iterator) (ctx *hcl.EvalContext, sizes map[string]*sizeMemo) {
	byRoot := map[string][]hcl.Traversal{}
	for _, t := range expr.Variables() {
		if len(t) == 0 {
			continue
		}
		root := t.RootName()
		byRoot[root] = append(byRoot[root], t)
	}
	roots := make([]string, 0, len(byRoot))
	for r := range byRoot {
		roots = append(roots, r)
	}
	sort.Strings(roots)
	vars := make(map[string]cty.Value, len(roots))
	for _, root := range roots {
		if v, ok := it.lookup(root); ok {
			vars[root] = v
			continue
		}
		if s.isResourceType(root) { // as rootValue
			v, m := s.sizedResourceTree(root, byRoot[root])
			vars[root] = v
			for name, memo := range m {
				if sizes == nil {
					sizes = map[string]*sizeMemo{}
				}
				sizes[root+"."+name] = memo
			}
			continue
		}
		vars[root] = s.rootValue(root, byRoot[root], inst)
	}
	return &hcl.EvalContext{Variables: vars, Functions: s.funcs}, sizes
}

// traversalValue is the value of an absolute traversal t (a plain
// reference) as HCL gives it in the evaluation context evalContext makes
// for an expression made of t alone: the root symbol's value for t, then
// the steps after the root. A reference to an attribute of a declared
// resource is read without building the objects around it: the steps
// that name keys only lead to the value sizedRef gives. m remembers the
// value's size when it is a value the resource keeps (nil: none).
func (s *scope) traversalValue(t hcl.Traversal, inst *instance, it *iterator) (v cty.Value, m *sizeMemo, diags hcl.Diagnostics) {
	root := t.RootName()
	if v, ok := it.lookup(root); ok {
		v, diags = t.SimpleSplit().Rel.TraverseRel(v)
		return v, nil, diags
	}
	if leaf, ok := s.symbolLeaf(root, t, inst); ok {
		v, diags = t[2:].TraverseRel(leaf)
		return v, nil, diags
	}
	if leaf, m, rest, ok := s.resourceLeaf(root, t); ok {
		if len(rest) == 0 {
			return leaf, m, nil
		}
		v, diags = rest.TraverseRel(leaf)
		return v, nil, diags
	}
	v, diags = t.SimpleSplit().Rel.TraverseRel(s.rootValue(root, []hcl.Traversal{t}, inst))
	return v, nil, diags
}

// indexedRef is the value of e when e reads one attribute of one instance
// of a resource through an index that is a plain reference whose value is
// known (azurerm_x.y[each.key].id, azurerm_x.y[count.index].name): the
// value the evaluation context gives, the attribute of the instance object
// (marked, as that object is, with the instance's address), without the
// context. The context holds the collection of every instance object of
// the resource, and an instance object holds every attribute of the
// instance evaluated: a private endpoint per app, each naming its app
// this way, built every app's object, though the endpoint reads one
// attribute of one. ok is false, and the context decides, for anything
// else: another root, a resource without count or for_each, an unknown
// or null key, a key no instance has, instances not expanded, more
// than one step after the index, or an attribute that is a block, is
// generated, or is neither written nor offered (see instanceObject).
func (s *scope) indexedRef(e *hclsyntax.RelativeTraversalExpr, inst *instance, it *iterator) (cty.Value, bool) {
	ix, isIndex := e.Source.(*hclsyntax.IndexExpr)
	if !isIndex || len(e.Traversal) != 1 {
		return cty.NilVal, false
	}
	attr, isAttr := e.Traversal[0].(hcl.TraverseAttr)
	coll, isRef := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
	keyRef, keyIsRef := ix.Key.(*hclsyntax.ScopeTraversalExpr)
	if !isAttr || !isRef || !keyIsRef || len(coll.Traversal) != 2 {
		return cty.NilVal, false
	}
	root := coll.Traversal.RootName()
	name, isName := coll.Traversal[1].(hcl.TraverseAttr)
	if it.names(root) || !isName {
		return cty.NilVal, false
	}
	r := s.declaredResource(root, name.Name)
	if r == nil || !r.multi() {
		return cty.NilVal, false
	}
	key, _, diags := s.traversalValue(keyRef.Traversal, inst, it)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	// A marked key (the trail of a variable) selects as its value does;
	// hcl.Index leaves its marks out of the element.
	key, _ = key.Unmark()
	if !key.IsKnown() || key.IsNull() || (key.Type() != cty.String && key.Type() != cty.Number) {
		return cty.NilVal, false
	}
	target := selectInstance(s.instances(r), key, r.count != nil)
	if target == nil || target.key == cty.NilVal || !target.key.IsKnown() {
		return cty.NilVal, false
	}
	return s.instanceAttr(target, attr.Name)
}

// instanceAttr is the attribute name of the instance object of target
// (see instanceObject), without building the object: the attribute's
// value, or the unknown the object offers for an attribute not written,
// marked with the instance's address as the object is. ok is false for a
// block, a dynamic block, a name cty would normalize and a name neither
// written nor offered.
func (s *scope) instanceAttr(target *instance, name string) (cty.Value, bool) {
	if cty.NormalizeString(name) != name {
		return cty.NilVal, false
	}
	b, objMark := target.body, refMark{Address: target.addr}
	if _, isBlock := b.blocks[name]; isBlock || b.isDynamic(name) {
		return cty.NilVal, false
	}
	if a := b.attrs[name]; a != nil {
		return target.s.attrValue(a).Mark(objMark), true
	}
	if bs := s.t.schemaFor(target.res.typ); bs != nil {
		if _, isBlock := bs.blocks[name]; isBlock {
			return cty.NilVal, false
		}
	}
	if slices.Contains(target.s.offeredNames(), name) {
		return cty.DynamicVal.WithMarks(cty.NewValueMarks(refMark{Address: target.addr, Attribute: name, Unknown: true}, objMark)), true
	}
	return cty.NilVal, false
}

// readsEachValue reports whether t (a traversal from each) may read
// each.value: each alone, each.value, or a step that is not a name.
func readsEachValue(t hcl.Traversal) bool {
	name, ok := stepName(t, 1)
	return !ok || name == "value"
}

// eachAttr is the value of each.value.name... in inst when each.value is
// a resource instance not built yet (instanceKey.eachOf): its attribute
// (instanceAttr), then the steps after it, as the built object would give
// them. ok is false for any other traversal, and when instanceAttr
// declines.
func (s *scope) eachAttr(t hcl.Traversal, inst *instance) (v cty.Value, diags hcl.Diagnostics, ok bool) {
	if inst == nil || inst.eachOf == nil || inst.each != cty.NilVal || len(t) < 3 || t.RootName() != "each" {
		return cty.NilVal, nil, false
	}
	value, isValue := t[1].(hcl.TraverseAttr)
	attr, isAttr := t[2].(hcl.TraverseAttr)
	if !isValue || value.Name != "value" || !isAttr {
		return cty.NilVal, nil, false
	}
	v, ok = s.instanceAttr(inst.eachOf, attr.Name)
	if !ok {
		return cty.NilVal, nil, false
	}
	if len(t) > 3 {
		v, diags = t[3:].TraverseRel(v)
	}
	return v, diags, true
}

// symbolLeaf is, for a traversal t of a local value, a called module's
// variable, count.index, each.key or each.value (its first two steps), the
// attribute of the object rootValue gives for the symbol that t's second
// step selects; ok is false for any other traversal, and when the
// attribute does not exist.
func (s *scope) symbolLeaf(root string, t hcl.Traversal, inst *instance) (cty.Value, bool) {
	name, ok := stepName(t, 1)
	if !ok {
		return cty.NilVal, false
	}
	switch root {
	case "local":
		if l := s.cfg.localByNm[name]; l != nil {
			return s.local(l), true
		}
	case "var":
		if s.call == nil {
			return cty.NilVal, false // the root module's variables: s.varObj
		}
		if v := s.cfg.varByName[name]; v != nil {
			return s.moduleVar(v), true
		}
	case "count":
		if name == "index" {
			if inst != nil && inst.key != cty.NilVal && inst.key.IsKnown() && inst.key.Type() == cty.Number {
				return inst.key, true
			}
			return cty.UnknownVal(cty.Number).Mark(expansionMark{Symbol: "count.index"}), true
		}
	case "each":
		known := inst != nil && inst.key != cty.NilVal && inst.key.IsKnown() && inst.key.Type() == cty.String
		switch {
		case name == "key" && known:
			return inst.key, true
		case name == "key":
			return cty.UnknownVal(cty.String).Mark(expansionMark{Symbol: "each.key"}), true
		case name == "value" && known:
			return inst.eachValue(), true
		case name == "value":
			return cty.DynamicVal.Mark(expansionMark{Symbol: "each.value"}), true
		}
	}
	return cty.NilVal, false
}

// resourceLeaf is, for a traversal t into a declared managed resource
// (type.name...), the value resourceTree places at the end of the steps
// of t that name keys, and the steps after them; ok is false for any
// other traversal. m remembers the leaf's size when the leaf is a value
// the resource keeps (see sizedRef).
func (s *scope) resourceLeaf(root string, t hcl.Traversal) (leaf cty.Value, m *sizeMemo, rest hcl.Traversal, ok bool) {
	if !s.isResourceType(root) {
		return cty.NilVal, nil, nil, false
	}
	keys, n := keyPath(t)
	if n < 2 {
		return cty.NilVal, nil, nil, false
	}
	r := s.declaredResource(root, keys[1])
	if r == nil {
		return cty.NilVal, nil, nil, false
	}
	leaf, m = s.sizedRef(r, t[2:n])
	return leaf, m, t[n:], true
}

// declaredResource is the resource of type root named name declared in
// the scope's module, or nil (root is a symbol, such as var or each, or
// no resource of that type and name is declared).
func (s *scope) declaredResource(root, name string) *resource {
	if !s.isResourceType(root) {
		return nil
	}
	return s.cfg.byAddr[root+"."+name]
}

// isResourceType reports whether root names a type of resource declared
// in the scope's module, not a symbol.
func (s *scope) isResourceType(root string) bool {
	return !isSymbolRoot(root) && s.cfg.types[root]
}

// isSymbolRoot reports whether root is one of the symbols rootValue
// resolves before resource types.
func isSymbolRoot(root string) bool {
	switch root {
	case "var", "local", "count", "each", "path", "terraform", "self", "data", "module":
		return true
	}
	return false
}

// rootValue is the value of one root symbol (var, local, a resource type…).
func (s *scope) rootValue(root string, ts []hcl.Traversal, inst *instance) cty.Value {
	switch root {
	case "var":
		if s.call != nil {
			return s.moduleVars(ts)
		}
		return s.varObj
	case "local":
		m := map[string]cty.Value{}
		for _, t := range ts {
			if name, ok := stepName(t, 1); ok {
				if l := s.cfg.localByNm[name]; l != nil {
					m[name] = s.local(l)
				}
			}
		}
		return cty.ObjectVal(m)
	case "count":
		index := cty.UnknownVal(cty.Number).Mark(expansionMark{Symbol: "count.index"})
		if inst != nil && inst.key != cty.NilVal && inst.key.IsKnown() && inst.key.Type() == cty.Number {
			index = inst.key
		}
		return cty.ObjectVal(map[string]cty.Value{"index": index})
	case "each":
		key := cty.UnknownVal(cty.String).Mark(expansionMark{Symbol: "each.key"})
		value := cty.DynamicVal.Mark(expansionMark{Symbol: "each.value"})
		if inst != nil && inst.key != cty.NilVal && inst.key.IsKnown() && inst.key.Type() == cty.String {
			key, value = inst.key, cty.DynamicVal
			// each.value is built only when the expression reads it: a
			// resource instance not built yet (instanceKey.eachOf) is
			// left so when the expression reads each.key alone.
			if inst.eachOf == nil || inst.each != cty.NilVal || slices.ContainsFunc(ts, readsEachValue) {
				value = inst.eachValue()
			}
		}
		return cty.ObjectVal(map[string]cty.Value{"key": key, "value": value})
	case "path":
		return cty.ObjectVal(map[string]cty.Value{
			"module": cty.StringVal(s.dir),
			"root":   cty.StringVal(s.t.rootDir),
			"cwd":    cty.UnknownVal(cty.String),
		})
	case "terraform":
		return cty.ObjectVal(map[string]cty.Value{"workspace": cty.UnknownVal(cty.String)})
	case "self":
		return cty.DynamicVal
	case "data":
		return s.unknownTree(ts, 3)
	case "module":
		return s.moduleTree(ts)
	}
	if s.cfg.types[root] {
		return s.resourceTree(root, ts)
	}
	if strings.Contains(root, "_") {
		// A resource type declared nowhere we could read (a broken file,
		// a typo): its attributes are unknown but still remembered.
		return s.unknownTree(ts, 2)
	}
	return cty.DynamicVal
}

// stepName returns the attribute name at step i of t, accepting ["name"]
// index syntax as well.
func stepName(t hcl.Traversal, i int) (string, bool) {
	if i >= len(t) {
		return "", false
	}
	return stepKey(t[i])
}

// stepKey renders a traversal step as an object key.
func stepKey(step hcl.Traverser) (string, bool) {
	switch st := step.(type) {
	case hcl.TraverseRoot:
		return st.Name, true
	case hcl.TraverseAttr:
		return st.Name, true
	case hcl.TraverseIndex:
		k := st.Key
		if k.IsMarked() {
			k, _ = k.Unmark()
		}
		if !k.IsKnown() || k.IsNull() {
			return "", false
		}
		switch k.Type() {
		case cty.String:
			return k.AsString(), true
		case cty.Number:
			return k.AsBigFloat().Text('f', -1), true
		}
	}
	return "", false
}

// pathString renders a relative traversal as an attribute path:
// identity[0].principal_id.
func pathString(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch st := step.(type) {
		case hcl.TraverseAttr:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(st.Name)
		case hcl.TraverseIndex:
			k, ok := stepKey(st)
			if !ok {
				b.WriteString("[?]")
				continue
			}
			if st.Key.Type() == cty.String {
				fmt.Fprintf(&b, "[%q]", k)
			} else {
				b.WriteString("[" + k + "]")
			}
		case hcl.TraverseSplat:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// keyPath returns the object keys of t's steps up to the first one that
// cannot be a key (a splat), and how many steps that is.
func keyPath(t hcl.Traversal) ([]string, int) {
	keys := make([]string, 0, len(t))
	for _, step := range t {
		k, ok := stepKey(step)
		if !ok {
			break
		}
		keys = append(keys, k)
	}
	return keys, len(keys)
}

// refTree assembles the object a root symbol must be for a set of
// traversals, each ending in its resolved value.
type refTree struct {
	leaf    cty.Value
	hasLeaf bool
	kids    map[string]*refTree
}

func (t *refTree) insert(keys []string, v cty.Value) {
	cur := t
	for _, k := range keys {
		if cur.kids == nil {
			cur.kids = map[string]*refTree{}
		}
		next := cur.kids[k]
		if next == nil {
			next = &refTree{}
			cur.kids[k] = next
		}
		cur = next
	}
	if !cur.hasLeaf {
		cur.leaf, cur.hasLeaf = v, true
	}
}

// value builds the tree's value. A leaf that is a known object gains the
// attributes deeper traversals need, so a whole-resource reference and an
// attribute reference can live side by side.
func (t *refTree) value() cty.Value {
	kidVals := func(m map[string]cty.Value) map[string]cty.Value {
		for k, kid := range t.kids {
			if _, exists := m[k]; !exists {
				m[k] = kid.value()
			}
		}
		return m
	}
	if !t.hasLeaf {
		return cty.ObjectVal(kidVals(map[string]cty.Value{}))
	}
	if len(t.kids) == 0 {
		return t.leaf
	}
	base, marks := t.leaf.Unmark()
	if !base.IsKnown() || base.IsNull() || !base.Type().IsObjectType() {
		return t.leaf
	}
	m := base.AsValueMap()
	if m == nil {
		m = map[string]cty.Value{}
	}
	return cty.ObjectVal(kidVals(m)).WithMarks(marks)
}

// unknownTree is the value of a root whose members are all unknown: data
// sources, module outputs, undeclared resources. addrSteps is how many
// steps (root included) make the address (data.type.name: 3).
func (s *scope) unknownTree(ts []hcl.Traversal, addrSteps int) cty.Value {
	tree := &refTree{}
	for _, t := range ts {
		s.insertUnknown(tree, t, addrSteps)
	}
	return tree.value()
}

// insertUnknown adds one traversal of an unknown root to tree: an unknown
// value remembering the address and attribute it was read from.
func (s *scope) insertUnknown(tree *refTree, t hcl.Traversal, addrSteps int) {
	// keys include the root; the tree is the root's value, so paths
	// into it start at keys[1].
	keys, n := keyPath(t)
	if n < addrSteps {
		// Not even a whole address (data.azurerm_x): a dynamic value.
		tree.insert(keys[1:], cty.DynamicVal)
		return
	}
	addr := s.address(strings.Join(keys[:addrSteps], "."))
	// An instance key (data.x.y[0]) selects an instance, not an attribute.
	relStart := addrSteps
	if relStart < n {
		if _, isIndex := t[relStart].(hcl.TraverseIndex); isIndex {
			relStart++
		}
	}
	rel := t[relStart:n]
	leaf := keys[1:relStart]
	if len(rel) > 0 {
		leaf = keys[1 : relStart+1]
	}
	tree.insert(leaf, cty.DynamicVal.Mark(refMark{Address: addr, Attribute: pathString(rel), Unknown: true}))
}

// resourceTree is the value of a managed resource type symbol for the
// traversals an expression makes through it.
func (s *scope) resourceTree(typ string, ts []hcl.Traversal) cty.Value {
	v, _ := s.sizedResourceTree(typ, ts)
	return v
}

// sizedResourceTree is resourceTree, and by name the memos of the sizes
// of the resources (type.name) whose collection or instance object the
// value holds as sizedRef gives it: referenced whole, and by no
// traversal that goes deeper through them or stops at the type, for
// which refTree.value builds a new object around them.
func (s *scope) sizedResourceTree(typ string, ts []hcl.Traversal) (cty.Value, map[string]*sizeMemo) {
	tree := &refTree{}
	var sizes map[string]*sizeMemo
	for _, t := range ts {
		keys, n := keyPath(t) // keys[0] is the type
		if n < 2 {
			tree.insert(nil, cty.DynamicVal)
			continue
		}
		r := s.cfg.byAddr[typ+"."+keys[1]]
		rel := t[2:n]
		if r == nil {
			leaf := keys[1:2]
			if len(rel) > 0 {
				leaf = keys[1:3]
			}
			mark := refMark{Address: s.address(typ + "." + keys[1]), Attribute: pathString(rel), Unknown: true}
			tree.insert(leaf, cty.DynamicVal.Mark(mark))
			continue
		}
		v, m := s.sizedRef(r, rel)
		if n == 2 && (tree.kids[keys[1]] == nil || !tree.kids[keys[1]].hasLeaf) {
			// The first value inserted there is the one the tree keeps.
			if sizes == nil {
				sizes = map[string]*sizeMemo{}
			}
			sizes[keys[1]] = m
		}
		tree.insert(keys[1:n], v)
	}
	for name, m := range sizes {
		if kid := tree.kids[name]; m == nil || tree.hasLeaf || len(kid.kids) > 0 {
			delete(sizes, name)
		}
	}
	return tree.value(), sizes
}

// sizedRef is the value of traversal rel (after type.name) into resource
// r, marked with where it came from. Without rel it is the resource as a
// whole: one instance's object, or for count a tuple and for for_each an
// object of them. m is the memo of the value's size when it is one the
// resource keeps, its collection or an instance object (nil for any
// other value).
func (s *scope) sizedRef(r *resource, rel hcl.Traversal) (cty.Value, *sizeMemo) {
	insts := s.instances(r)
	addr := s.address(r.configAddr())
	if !r.multi() {
		if len(insts) == 0 { // a reference cycle through the resource
			return cty.DynamicVal.Mark(refMark{Address: addr, Attribute: pathString(rel), Unknown: true}), nil
		}
		return s.instanceRef(insts[0], rel)
	}
	if len(rel) == 0 {
		v := s.collection(r, insts)
		if r.coll == cty.NilVal { // not final: built anew each time
			return v, nil
		}
		return v, &r.collSize
	}
	idx, ok := rel[0].(hcl.TraverseIndex)
	if !ok {
		// An attribute of the resource without an instance key: Terraform
		// rejects it; the value is unknown.
		return cty.DynamicVal.Mark(refMark{Address: addr, Attribute: pathString(rel), Unknown: true}), nil
	}
	inst := selectInstance(insts, idx.Key, r.count != nil)
	if inst == nil {
		return cty.DynamicVal.Mark(refMark{Address: addr + instanceKeySuffix(idx.Key), Attribute: pathString(rel[1:]), Unknown: true}), nil
	}
	return s.instanceRef(inst, rel[1:])
}

// instanceRef is the value of traversal rel into one resource instance,
// and the memo of its size when it is the instance object.
func (s *scope) instanceRef(inst *instance, rel hcl.Traversal) (cty.Value, *sizeMemo) {
	if len(rel) == 0 {
		return s.instanceObject(inst), &inst.objSize
	}
	v, written := s.walkBody(inst.body, rel)
	return v.Mark(refMark{Address: inst.addr, Attribute: pathString(rel), Unknown: !written}), nil
}

// walkBody follows rel through a decoded body. It reports whether the
// value was written in configuration: attributes that are not (computed
// at apply time), and blocks generated by dynamic blocks, are unknown.
func (s *scope) walkBody(b *evalBody, rel hcl.Traversal) (cty.Value, bool) {
	if len(rel) == 0 {
		return s.bodyObject(b), true
	}
	name, ok := stepKey(rel[0])
	if !ok {
		return cty.DynamicVal, false
	}
	rest := rel[1:]
	if a := b.attrs[name]; a != nil {
		v := s.attrValue(a)
		if len(rest) == 0 {
			return v, true
		}
		out, diags := rest.TraverseRel(v)
		if diags.HasErrors() {
			return cty.DynamicVal, false
		}
		return out, true
	}
	if b.isDynamic(name) {
		return cty.DynamicVal, false
	}
	bl, ok := b.blocks[name]
	if !ok {
		return cty.DynamicVal, false
	}
	if len(rest) == 0 {
		vals := make([]cty.Value, len(bl))
		for i, nb := range bl {
			vals[i] = s.bodyObject(nb)
		}
		return cty.TupleVal(vals), true
	}
	idx, ok := rest[0].(hcl.TraverseIndex)
	if !ok {
		return cty.DynamicVal, false
	}
	k := idx.Key
	if k.IsMarked() {
		k, _ = k.Unmark()
	}
	if !k.IsKnown() || k.IsNull() || k.Type() != cty.Number {
		return cty.DynamicVal, false
	}
	i, acc := k.AsBigFloat().Int64()
	if acc != 0 || i < 0 || i >= int64(len(bl)) {
		return cty.DynamicVal, false
	}
	return s.walkBody(bl[i], rest[1:])
}

// bodyObject is the value of a whole block: its written attributes and
// nested blocks (as tuples).
func (s *scope) bodyObject(b *evalBody) cty.Value {
	return cty.ObjectVal(s.bodyAttrs(b))
}

// bodyAttrs are the attributes of bodyObject's object, in a new map.
func (s *scope) bodyAttrs(b *evalBody) map[string]cty.Value {
	m := make(map[string]cty.Value, len(b.attrs)+len(b.blocks)+len(b.dynamic))
	for _, name := range sortedKeys(b.attrs) {
		m[name] = s.attrValue(b.attrs[name])
	}
	for _, name := range sortedKeys(b.blocks) {
		bl := b.blocks[name]
		vals := make([]cty.Value, len(bl))
		for i, nb := range bl {
			vals[i] = s.bodyObject(nb)
		}
		m[name] = cty.TupleVal(vals)
	}
	for name := range b.dynamic {
		m[name] = cty.DynamicVal
	}
	return m
}

// sortedKeys returns the keys of a string-keyed map in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// marksOf collects the marks of v and everything inside it.
type markSet struct {
	refs      []refMark
	sensitive bool
	unsetVars []string
	funcs     []string
	expansion []string
	evalError bool
	// computed: an expression computed the value (computedMark).
	computed bool
	// trail is the best of the trails the value carries (see betterTrail).
	trail *model.Trail
}

// deepMarks adds the marks of v and of everything in it to into, without
// the copy of v UnmarkDeep makes.
func deepMarks(v cty.Value, into cty.ValueMarks) {
	if v.IsMarked() {
		// The marks read where they are: Unmark copies them, and only a
		// value that may hold others is unmarked, to look inside.
		for m := range cty.ValueMarksOfType[any](v) {
			into[m] = struct{}{}
		}
		if !mayHoldValues(v.Type()) {
			return
		}
		v, _ = v.Unmark()
	}
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return
	}
	// Keys carry no marks of their own: map and object keys are plain
	// strings, list indexes numbers, and a set's keys are its elements.
	eachElement(v, func(e cty.Value) bool {
		deepMarks(e, into)
		return true
	})
}

// unmarked is v without its marks, at every depth, as UnmarkDeep gives
// it, without UnmarkDeep's copies for a value that holds no other values
// (a string, a number, a bool, an unknown or a null).
func unmarked(v cty.Value) cty.Value {
	// Unmarked first: IsKnown and IsNull copy the marks of a marked value.
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() || v.Type().IsPrimitiveType() {
		return v
	}
	v, _ = v.UnmarkDeep()
	return v
}

// anyMark reports whether v or anything in it carries a mark for which
// match is true, without the copy of v UnmarkDeep makes and stopping at
// the first.
func anyMark(v cty.Value, match func(any) bool) bool {
	if v.IsMarked() {
		// As deepMarks: without the copy of the marks Unmark makes.
		for m := range cty.ValueMarksOfType[any](v) {
			if match(m) {
				return true
			}
		}
		if !mayHoldValues(v.Type()) {
			return false
		}
		v, _ = v.Unmark()
	}
	if !holdsValues(v) {
		return false
	}
	found := false
	eachElement(v, func(e cty.Value) bool {
		found = anyMark(e, match)
		return !found
	})
	return found
}

// hasMarkDeep reports whether v or anything in it carries mark, as
// anyMark does but without copying the marks of values that hold no
// others.
func hasMarkDeep(v cty.Value, mark any) bool {
	if v.HasMark(mark) {
		return true
	}
	if !mayHoldValues(v.Type()) {
		return false
	}
	v, _ = v.Unmark() // before holdsValues, whose IsKnown would copy the marks
	if !holdsValues(v) {
		return false
	}
	found := false
	eachElement(v, func(e cty.Value) bool {
		found = hasMarkDeep(e, mark)
		return !found
	})
	return found
}

// mayHoldValues reports whether a value of type ty may hold others: a
// collection or structural type. A value of any other type (a primitive,
// a capsule, or DynamicPseudoType, which only unknown and null values
// have) holds none, whether known or not, so its marks are all there is.
func mayHoldValues(ty cty.Type) bool {
	return ty.IsCollectionType() || ty.IsObjectType() || ty.IsTupleType()
}

// holdsValues reports whether v (unmarked) is a known, non-null
// collection or structural value, whose elements ElementIterator gives.
func holdsValues(v cty.Value) bool {
	return v.IsKnown() && !v.IsNull() && mayHoldValues(v.Type())
}

// eachElement calls f with the elements of v (known, not null, unmarked,
// a collection or a structural type) until f returns false. An object's
// attributes come in no particular order: without the sorted names and
// the key values ElementIterator makes for each object, so only for uses
// whose result does not depend on the order.
func eachElement(v cty.Value, f func(cty.Value) bool) {
	if ty := v.Type(); ty.IsObjectType() {
		for name := range ty.AttributeTypes() {
			if !f(v.GetAttr(name)) {
				return
			}
		}
		return
	}
	for it := v.ElementIterator(); it.Next(); {
		if _, e := it.Element(); !f(e) {
			return
		}
	}
}

func marksOf(v cty.Value) markSet {
	var ms markSet
	if v == cty.NilVal {
		return ms
	}
	marks := cty.ValueMarks{}
	deepMarks(v, marks)
	for m := range marks {
		switch mk := m.(type) {
		case refMark:
			ms.refs = append(ms.refs, mk)
		case sensitiveMark:
			ms.sensitive = true
		case unsetVarMark:
			ms.unsetVars = append(ms.unsetVars, mk.Name)
		case funcMark:
			ms.funcs = append(ms.funcs, mk.Name)
		case expansionMark:
			ms.expansion = append(ms.expansion, mk.Symbol)
		case evalErrorMark:
			ms.evalError = true
		case computedMark:
			ms.computed = true
		case trailMark:
			if betterTrail(mk.t, ms.trail) {
				ms.trail = mk.t
			}
		}
	}
	sort.Slice(ms.refs, func(i, j int) bool {
		a, b := ms.refs[i], ms.refs[j]
		if a.Address != b.Address {
			return a.Address < b.Address
		}
		if a.Attribute != b.Attribute {
			return a.Attribute < b.Attribute
		}
		return !a.Unknown && b.Unknown
	})
	sort.Strings(ms.unsetVars)
	sort.Strings(ms.funcs)
	sort.Strings(ms.expansion)
	return ms
}

// unknownWhy explains why a value is unknown, for Meta.Note.
func unknownWhy(what string, ms markSet) string {
	switch {
	case len(ms.unsetVars) > 0:
		return fmt.Sprintf("%s depends on var.%s, which has no value", what, ms.unsetVars[0])
	case len(ms.funcs) > 0:
		return fmt.Sprintf("%s uses %s(), which is not evaluated", what, ms.funcs[0])
	case len(ms.expansion) > 0:
		return fmt.Sprintf("%s depends on %s, which is not known before apply (count/for_each cannot be expanded)", what, ms.expansion[0])
	case ms.evalError:
		return what + " could not be evaluated (see the diagnostics)"
	}
	for _, r := range ms.refs {
		if r.Unknown {
			ref := r.Address
			if r.Attribute != "" {
				ref += "." + r.Attribute
			}
			return fmt.Sprintf("%s is known only after apply (%s)", what, ref)
		}
	}
	return what + " cannot be determined before apply"
}
