package engine

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	celast "cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/operators"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/ext"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Evaluation limits of every check expression.
const (
	// CostLimit bounds the CEL runtime cost of one evaluation of one
	// expression; an evaluation that exceeds it is a check error.
	CostLimit = 1_000_000
	// interruptEvery is how many comprehension iterations pass between
	// checks of the context.
	interruptEvery = 100
)

// logic is the compiled form of a check.
type logic struct {
	each []attrPath
	when *expr // nil when the check has no precondition
	// whenPerItem: when refers to item and is evaluated for each element;
	// otherwise it is evaluated once per app.
	whenPerItem bool
	fail        *expr
	// lower is the condition of lower_severity, nil without one.
	lower   *expr
	blame   attrPath
	message msgTemplate
	// fixFrom are the paths of the values a fix with several settings
	// sets (the blame for a setting that names none), each once: a
	// failing finding records where each was decided.
	fixFrom []attrPath
}

// expr is one compiled CEL expression.
type expr struct {
	// field is the check file's key ("when", "fail") and line its line
	// there (0 when not known), for diagnostics about an evaluation.
	field string
	line  int
	src   string
	// program gives the expression's CEL program, built when first
	// asked for when the expression comes from the cache.
	program func() (cel.Program, error)
	// loops: the expression has a comprehension (all, exists, map,
	// filter). Only such an expression can cost more than a constant
	// times the size of the values it reads, so only it is evaluated
	// with a cost limit and under the context; the others are evaluated
	// without the tracker's and the context's overhead on every step.
	loops bool
	// app and item are what the expression reads of app and of item.
	app, item reads
	// fast, when set, evaluates the expression without CEL in the
	// cases it knows (see fastExpr).
	fast *fastExpr
}

// recorded is an expression as compiled, for the cache.
type recorded struct {
	ast      *cel.Ast
	compiled *compiledExpr
}

// compiler holds what compiling checks needs: the CEL environments, the
// view's types and the sample app that paths are validated against.
type compiler struct {
	appEnv     *cel.Env
	types      *viewTypes
	sample     *model.Node
	sampleData map[string]any
	// itemEnvs are the environments of checks with each, by item type.
	itemEnvs map[string]*cel.Env
	// ahead are the expressions of the file being compiled that were
	// compiled ahead (the cache), by field; record, when not nil,
	// receives every expression compiled, by field (to make the cache).
	ahead  map[string]*aheadExpr
	record map[string]recorded
}

func newCompiler() (*compiler, error) {
	sample := model.View(sampleApp())
	vt, err := newViewTypes(sample)
	if err != nil {
		return nil, fmt.Errorf("declaring the view's types: %w", err)
	}
	opts := append(vt.options(),
		ext.Strings(),
		cel.CrossTypeNumericComparisons(true))
	opts = append(opts, checkFunctions()...)
	appEnv, err := cel.NewEnv(opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the CEL environment: %w", err)
	}
	data, _ := celValue(sample, nil, nil, nil).(map[string]any)
	return &compiler{appEnv: appEnv, types: vt, sample: sample, sampleData: data, itemEnvs: map[string]*cel.Env{}}, nil
}

// itemEnv returns the environment of a check with each: app, and item
// typed as the elements of its lists.
func (c *compiler) itemEnv(elements []*model.Node) (*cel.Env, error) {
	t := c.types.itemType(elements)
	key := t.String()
	if env, ok := c.itemEnvs[key]; ok {
		return env, nil
	}
	env, err := c.appEnv.Extend(cel.Variable(varItem, t))
	if err != nil {
		return nil, fmt.Errorf("creating the CEL environment: %w", err)
	}
	c.itemEnvs[key] = env
	return env, nil
}

// fieldPos locates a YAML value so that problems inside an expression can
// be reported at the right line.
type fieldPos struct {
	line int
	// block is true for literal/folded block scalars (|, >), whose content
	// starts on the line after the key.
	block bool
}

// exprLine maps a 1-based line inside an expression to a file line.
func (p fieldPos) exprLine(line int) int {
	if p.line == 0 {
		return 0
	}
	if line < 1 {
		line = 1
	}
	if p.block {
		return p.line + line
	}
	return p.line + line - 1
}

// problem is a validation error before it is given its file.
type problem struct {
	line  int
	field string
	msg   string
}

// compile validates and compiles the logic of cf. pos locates its fields.
func (c *compiler) compile(cf *checkFile, pos func(key string) fieldPos) (*logic, []problem) {
	var probs []problem
	add := func(field string, line int, format string, args ...any) {
		probs = append(probs, problem{line: line, field: field, msg: fmt.Sprintf(format, args...)})
	}
	l := &logic{}

	// each: list paths from app.
	for i, s := range cf.Each {
		at := pos(fmt.Sprintf("each[%d]", i)).line
		if at == 0 {
			at = pos("each").line
		}
		p, err := parseAttrPath(s)
		if err != nil {
			add("each", at, "%v", err)
			continue
		}
		if p.root != varApp {
			add("each", at, "path %q must start with %s.", s, varApp)
			continue
		}
		n, ok := rootLocated(c.sample).follow(p.segs)
		if !ok {
			add("each", at, "%s: %s", s, c.missing(p))
			continue
		}
		if n.node.Kind != model.KindList {
			add("each", at, "%s is %s, not a list", s, kindName(n.node))
			continue
		}
		l.each = append(l.each, p)
	}
	hasEach := len(cf.Each) > 0
	elements := c.sampleElements(l.each)
	env := c.appEnv
	if hasEach {
		e, err := c.itemEnv(elements)
		if err != nil {
			add("each", pos("each").line, "%v", err)
			return l, probs
		}
		env = e
	}

	if strings.TrimSpace(cf.When) != "" {
		x, perItem, ps := c.compileExpr(env, "when", cf.When, pos("when"), elements)
		probs = append(probs, ps...)
		l.when, l.whenPerItem = x, perItem
	}
	if strings.TrimSpace(cf.Fail) == "" {
		add("fail", pos("fail").line, "required: a CEL expression that is true when the check fails")
	} else {
		x, _, ps := c.compileExpr(env, "fail", cf.Fail, pos("fail"), elements)
		probs = append(probs, ps...)
		l.fail = x
	}

	if cf.LowerSeverity != nil {
		if strings.TrimSpace(cf.LowerSeverity.When) == "" {
			add("lower_severity.when", pos("lower_severity.when").line, "required: a CEL expression that is true when the finding is less severe")
		} else {
			x, _, ps := c.compileExpr(env, "lower_severity.when", cf.LowerSeverity.When, pos("lower_severity.when"), elements)
			probs = append(probs, ps...)
			l.lower = x
		}
	}

	// blame: a path from app or item; by default the element (with each)
	// or the app itself.
	blame := cf.Blame
	if strings.TrimSpace(blame) == "" {
		blame = varApp
		if hasEach {
			blame = varItem
		}
	}
	var blameSample *model.Node
	if p, err := parseAttrPath(blame); err != nil {
		add("blame", pos("blame").line, "%v", err)
	} else if n, ps := c.resolveSample(p, hasEach, elements); len(ps) > 0 {
		add("blame", pos("blame").line, "%s: %s", blame, ps[0])
	} else {
		l.blame, blameSample = p, n
	}

	// fix settings: from paths, like blame.
	for _, f := range slices.Sorted(maps.Keys(cf.Fix)) {
		settings := cf.Fix[f].Settings
		for i, s := range settings {
			from := strings.TrimSpace(s.From)
			if from == "" {
				from = l.blame.text
			}
			if from == "" || slices.ContainsFunc(l.fixFrom, func(p attrPath) bool { return p.text == from }) {
				continue
			}
			key := fmt.Sprintf("fix.%s.settings[%d].from", f, i)
			p, err := parseAttrPath(from)
			if err != nil {
				add(key, pos(key).line, "%v", err)
				continue
			}
			n, ps := c.resolveSample(p, hasEach, elements)
			switch {
			case len(ps) > 0:
				add(key, pos(key).line, "%s: %s", from, ps[0])
			case n.Kind != model.KindBool && n.Kind != model.KindString && n.Kind != model.KindInt:
				add(key, pos(key).line, "%s is %s, not a single value", from, kindName(n))
			default:
				l.fixFrom = append(l.fixFrom, p)
			}
		}
	}

	if strings.TrimSpace(cf.Message) == "" {
		add("message", pos("message").line, "required: the finding's text")
	} else {
		t, err := parseTemplate(cf.Message)
		if err == nil {
			err = c.validateTemplate(t, hasEach, elements, blameSample)
		}
		if err != nil {
			add("message", pos("message").line, "%v", err)
		}
		l.message = t
	}
	return l, probs
}

// sampleElements returns the sample element of each each-list.
func (c *compiler) sampleElements(each []attrPath) []*model.Node {
	var out []*model.Node
	for _, p := range each {
		if n, ok := rootLocated(c.sample).follow(p.segs); ok && n.node.Kind == model.KindList && len(n.node.Items) > 0 {
			out = append(out, n.node.Items[0])
		}
	}
	return out
}

// resolveSample resolves p in the sample app (for item paths: in every
// sample element) and returns the node reached.
func (c *compiler) resolveSample(p attrPath, hasEach bool, elements []*model.Node) (*model.Node, []string) {
	switch p.root {
	case varApp:
		n, ok := rootLocated(c.sample).follow(p.segs)
		if !ok {
			return nil, []string{c.missing(p)}
		}
		return n.node, nil
	case varItem:
		if !hasEach {
			return nil, []string{"item is only defined in a check with each"}
		}
		var last *model.Node
		for _, el := range elements {
			n, ok := located{node: el, res: el}.follow(p.segs)
			if !ok {
				return nil, []string{"no such field in the elements of the each lists"}
			}
			last = n.node
		}
		return last, nil
	}
	return nil, []string{fmt.Sprintf("a path starts with %s or %s", varApp, varItem)}
}

// missing explains why an app path does not resolve in the sample.
func (c *compiler) missing(p attrPath) string {
	l := rootLocated(c.sample)
	for _, s := range p.segs {
		var next located
		var ok bool
		if s.name != "" {
			next, ok = l.field(s.name)
			if !ok && l.node.Kind == model.KindObject {
				return fmt.Sprintf("no field %q in %s%s", s.name, displayOr(l.appPath(), varApp), suggest(s.name, l.node))
			}
		} else {
			next, ok = l.index(0)
		}
		if !ok {
			return fmt.Sprintf("%s is %s", displayOr(l.appPath(), varApp), kindName(l.node))
		}
		l = next
	}
	return "not found"
}

func displayOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return fallback + "." + s
}

// compileExpr compiles one CEL expression, checks its attribute paths
// against the sample app and evaluates it on the sample.
func (c *compiler) compileExpr(env *cel.Env, field, src string, at fieldPos, elements []*model.Node) (*expr, bool, []problem) {
	var probs []problem
	celErrors := func(iss *cel.Issues) []problem {
		var out []problem
		for _, e := range iss.Errors() {
			out = append(out, problem{line: at.exprLine(e.Location.Line()), field: field, msg: cleanCELMessage(e.Message)})
		}
		return out
	}
	if a := c.ahead[field]; a != nil {
		// Compiled ahead, from this very source (its file is unchanged):
		// its paths and types passed then, its program was built and
		// evaluated on the sample. The fast path answers most
		// evaluations; the checked expression is decoded and its
		// program built at the first it does not (most scans never
		// build most programs).
		x, err := a.compiled.expr(field, at.exprLine(1), src)
		if err == nil {
			opts := programOptions(x.loops)
			x.program = sync.OnceValues(func() (cel.Program, error) {
				ast, err := a.ast()
				if err != nil {
					// Not expected (the cache is the binary's own):
					// compiled from the source.
					var iss *cel.Issues
					if ast, iss = env.Compile(src); iss != nil && iss.Err() != nil {
						return nil, iss.Err()
					}
				}
				return env.Program(ast, opts...)
			})
			return x, a.compiled.PerItem, nil
		}
	}
	parsed, iss := env.Parse(src)
	if iss != nil && iss.Err() != nil {
		return nil, false, celErrors(iss)
	}
	// Paths first: a misspelt field gets a "did you mean", which the
	// type checker's "undefined field" has not.
	pc := &pathChecker{info: parsed.NativeRep().SourceInfo()}
	scopes := []map[string]sref{{varApp: {node: c.sample, name: varApp}}}
	if len(elements) > 0 {
		scopes = scopes[:0]
		for _, el := range elements {
			scopes = append(scopes, map[string]sref{varApp: {node: c.sample, name: varApp}, varItem: {node: el, name: varItem}})
		}
	}
	for _, sc := range scopes {
		pc.walk(parsed.NativeRep().Expr(), sc)
	}
	for _, p := range pc.problems() {
		probs = append(probs, problem{line: at.exprLine(p.line), field: field, msg: p.msg})
	}
	if len(probs) > 0 {
		return nil, false, probs
	}
	// Then types: the view's declared types reject comparing a bool
	// with a string, a string with a number, and functions given the
	// wrong kind of value.
	ast, iss := env.Check(parsed)
	if iss != nil && iss.Err() != nil {
		return nil, false, celErrors(iss)
	}
	if t := ast.OutputType(); !t.IsExactType(cel.BoolType) && !t.IsExactType(cel.DynType) {
		probs = append(probs, problem{line: at.line, field: field, msg: fmt.Sprintf("must be a bool expression, not %s", t)})
		return nil, false, probs
	}
	native := ast.NativeRep()
	perItem := refersTo(native.Expr(), varItem)
	loops := hasComprehension(ast)
	x := &expr{field: field, line: at.exprLine(1), src: src, loops: loops}
	readsOf(native.Expr(), &x.app, &x.item)
	x.fast = fastExprOf(native.Expr())
	prg, err := env.Program(ast, programOptions(loops)...)
	if err != nil {
		return nil, false, []problem{{line: at.line, field: field, msg: err.Error()}}
	}
	x.program = func() (cel.Program, error) { return prg, nil }
	// Evaluate on the sample: this finds runtime type errors
	// (string < double) in the branches the sample reaches.
	samples := []map[string]any{{varApp: c.sampleData}}
	if len(elements) > 0 {
		samples = samples[:0]
		for _, el := range elements {
			item := celValue(el, nil, nil, nil)
			samples = append(samples, map[string]any{varApp: c.sampleData, varItem: item})
		}
	}
	for _, vars := range samples {
		out, _, err := prg.Eval(vars)
		switch {
		case err != nil && structuralError(err):
			return nil, false, []problem{{line: at.line, field: field, msg: "on a sample app: " + cleanCELMessage(err.Error())}}
		case err != nil:
			// A value error (a conversion, a TLS version the sample's
			// placeholder strings cannot be): the expression is sound.
		default:
			if _, ok := out.(types.Bool); !ok {
				return nil, false, []problem{{line: at.line, field: field, msg: fmt.Sprintf("must evaluate to a bool, got %s", out.Type().TypeName())}}
			}
		}
	}
	if c.record != nil {
		c.record[field] = recorded{ast: ast, compiled: compiledOf(x, perItem)}
	}
	return x, perItem, nil
}

// programOptions are the options of an expression's CEL program.
// OptOptimize folds constants and compiles the regular expressions of
// matches() once, when the program is built, rather than at every
// evaluation; an expression with loops is evaluated with a cost limit
// and under the context.
func programOptions(loops bool) []cel.ProgramOption {
	opts := []cel.ProgramOption{cel.EvalOptions(cel.OptOptimize)}
	if loops {
		opts = append(opts, cel.CostLimit(CostLimit), cel.InterruptCheckFrequency(interruptEvery))
	}
	return opts
}

// structuralError reports whether an error met on the sample app is about
// the expression's shape (a missing key, an operator applied to the wrong
// types) rather than about the sample's placeholder values.
func structuralError(err error) bool {
	if errors.Is(err, errBadValue) {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"no such key", "no such overload", "no matching overload", "no such attribute", "no such field", "unsupported"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func cleanCELMessage(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, " (in container '')", ""))
}

// refersTo reports whether the variable name appears in e.
func refersTo(e celast.Expr, name string) bool {
	found := false
	visit(e, func(x celast.Expr) {
		if x.Kind() == celast.IdentKind && x.AsIdent() == name {
			found = true
		}
	})
	return found
}

// visit calls fn on e and every expression below it.
func visit(e celast.Expr, fn func(celast.Expr)) {
	if e == nil {
		return
	}
	fn(e)
	switch e.Kind() {
	case celast.SelectKind:
		visit(e.AsSelect().Operand(), fn)
	case celast.CallKind:
		call := e.AsCall()
		if call.IsMemberFunction() {
			visit(call.Target(), fn)
		}
		for _, a := range call.Args() {
			visit(a, fn)
		}
	case celast.ListKind:
		for _, el := range e.AsList().Elements() {
			visit(el, fn)
		}
	case celast.MapKind:
		for _, en := range e.AsMap().Entries() {
			visit(en.AsMapEntry().Key(), fn)
			visit(en.AsMapEntry().Value(), fn)
		}
	case celast.StructKind:
		for _, f := range e.AsStruct().Fields() {
			visit(f.AsStructField().Value(), fn)
		}
	case celast.ComprehensionKind:
		cp := e.AsComprehension()
		visit(cp.IterRange(), fn)
		visit(cp.AccuInit(), fn)
		visit(cp.LoopCondition(), fn)
		visit(cp.LoopStep(), fn)
		visit(cp.Result(), fn)
	}
}

// sref is a sample node an expression reaches, with a name for messages.
type sref struct {
	node *model.Node
	name string
}

// pathChecker reports attribute paths that do not exist in the model:
// app.htps_only, item.valeu, s.nmae inside app.app_settings.exists(s, …).
type pathChecker struct {
	info *celast.SourceInfo
	seen map[string]bool
	list []problem
}

func (pc *pathChecker) report(id int64, msg string) {
	if pc.seen == nil {
		pc.seen = map[string]bool{}
	}
	line := pc.info.GetStartLocation(id).Line()
	key := fmt.Sprintf("%d\x00%s", line, msg)
	if pc.seen[key] {
		return
	}
	pc.seen[key] = true
	pc.list = append(pc.list, problem{line: line, msg: msg})
}

func (pc *pathChecker) problems() []problem {
	sort.SliceStable(pc.list, func(i, j int) bool { return pc.list[i].line < pc.list[j].line })
	return pc.list
}

func (pc *pathChecker) walk(e celast.Expr, scope map[string]sref) {
	switch e.Kind() {
	case celast.SelectKind:
		sel := e.AsSelect()
		if base, ok := pc.resolve(sel.Operand(), scope); ok {
			pc.checkField(e.ID(), base, sel.FieldName())
			return
		}
		pc.walk(sel.Operand(), scope)
	case celast.CallKind:
		call := e.AsCall()
		if call.FunctionName() == operators.Index && len(call.Args()) == 2 {
			if base, ok := pc.resolve(call.Args()[0], scope); ok {
				pc.checkIndex(e.ID(), base, call.Args()[1])
				pc.walk(call.Args()[1], scope)
				return
			}
		}
		if call.IsMemberFunction() {
			pc.walk(call.Target(), scope)
		}
		for _, a := range call.Args() {
			pc.walk(a, scope)
		}
	case celast.ListKind:
		for _, el := range e.AsList().Elements() {
			pc.walk(el, scope)
		}
	case celast.MapKind:
		for _, en := range e.AsMap().Entries() {
			pc.walk(en.AsMapEntry().Key(), scope)
			pc.walk(en.AsMapEntry().Value(), scope)
		}
	case celast.StructKind:
		for _, f := range e.AsStruct().Fields() {
			pc.walk(f.AsStructField().Value(), scope)
		}
	case celast.ComprehensionKind:
		cp := e.AsComprehension()
		pc.walk(cp.IterRange(), scope)
		pc.walk(cp.AccuInit(), scope)
		inner := make(map[string]sref, len(scope)+1)
		for k, v := range scope {
			inner[k] = v
		}
		delete(inner, cp.IterVar())
		delete(inner, cp.AccuVar())
		elemVar := cp.IterVar()
		if cp.HasIterVar2() {
			delete(inner, cp.IterVar2())
			elemVar = cp.IterVar2()
		}
		if r, ok := pc.resolve(cp.IterRange(), scope); ok && r.node.Kind == model.KindList && len(r.node.Items) > 0 {
			inner[elemVar] = sref{node: r.node.Items[0], name: elemVar}
		}
		pc.walk(cp.LoopCondition(), inner)
		pc.walk(cp.LoopStep(), inner)
		pc.walk(cp.Result(), inner)
	}
}

// resolve follows an expression that is a plain path (ident, selects,
// constant indexes) to its sample node.
func (pc *pathChecker) resolve(e celast.Expr, scope map[string]sref) (sref, bool) {
	switch e.Kind() {
	case celast.IdentKind:
		r, ok := scope[e.AsIdent()]
		return r, ok
	case celast.SelectKind:
		sel := e.AsSelect()
		if sel.IsTestOnly() {
			return sref{}, false
		}
		base, ok := pc.resolve(sel.Operand(), scope)
		if !ok || base.node.Kind != model.KindObject {
			return sref{}, false
		}
		child := base.node.Get(sel.FieldName())
		if child == nil {
			return sref{}, false
		}
		return sref{node: child, name: base.name + "." + sel.FieldName()}, true
	case celast.CallKind:
		call := e.AsCall()
		if call.FunctionName() != operators.Index || len(call.Args()) != 2 {
			return sref{}, false
		}
		base, ok := pc.resolve(call.Args()[0], scope)
		if !ok {
			return sref{}, false
		}
		key := call.Args()[1]
		if key.Kind() != celast.LiteralKind {
			return sref{}, false
		}
		switch k := key.AsLiteral().(type) {
		case types.Int, types.Uint:
			if base.node.Kind == model.KindList && len(base.node.Items) > 0 {
				return sref{node: base.node.Items[0], name: base.name + "[…]"}, true
			}
		case types.String:
			if base.node.Kind == model.KindObject {
				if child := base.node.Get(string(k)); child != nil {
					return sref{node: child, name: base.name + "." + string(k)}, true
				}
			}
		}
	}
	return sref{}, false
}

func (pc *pathChecker) checkField(id int64, base sref, field string) {
	switch base.node.Kind {
	case model.KindObject:
		if base.node.Get(field) == nil {
			pc.report(id, fmt.Sprintf("undeclared reference to '%s' in %s%s", field, base.name, suggest(field, base.node)))
		}
	case model.KindNull:
	case model.KindList:
		pc.report(id, fmt.Sprintf("%s is a list; it has no field '%s' (use exists(), all(), filter() or an index)", base.name, field))
	default:
		pc.report(id, fmt.Sprintf("%s is %s; it has no field '%s'", base.name, kindName(base.node), field))
	}
}

func (pc *pathChecker) checkIndex(id int64, base sref, key celast.Expr) {
	if key.Kind() != celast.LiteralKind {
		return
	}
	switch k := key.AsLiteral().(type) {
	case types.String:
		pc.checkField(id, base, string(k))
	case types.Int, types.Uint:
		if base.node.Kind != model.KindList {
			pc.report(id, fmt.Sprintf("%s is %s; it cannot be indexed by a number", base.name, kindName(base.node)))
		}
	}
}

// kindName describes a node's kind for messages.
func kindName(n *model.Node) string {
	if n == nil {
		return "absent"
	}
	switch n.Kind {
	case model.KindBool:
		return "a bool"
	case model.KindString:
		return "a string"
	case model.KindInt:
		return "an int"
	case model.KindList:
		return "a list"
	case model.KindObject:
		return "an object"
	}
	return "null"
}

// suggest proposes the closest field name of obj to a misspelt one.
func suggest(name string, obj *model.Node) string {
	best, bestD := "", 0
	for _, f := range obj.Fields {
		d := editDistance(name, f.Name)
		if best == "" || d < bestD {
			best, bestD = f.Name, d
		}
	}
	if best == "" || bestD > 3 || bestD > max(1, len(name)/2) {
		return ""
	}
	return fmt.Sprintf(" (did you mean '%s'?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// hasComprehension reports whether a checked expression iterates (the
// macros all, exists, exists_one, map and filter expand to
// comprehensions).
func hasComprehension(a *cel.Ast) bool {
	found := false
	celast.PostOrderVisit(a.NativeRep().Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() == celast.ComprehensionKind {
			found = true
		}
	}))
	return found
}
