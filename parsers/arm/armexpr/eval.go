package armexpr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Limits bound the work done for one expression. A zero field takes the
// default from [DefaultLimits].
type Limits struct {
	// MaxExprLen is the maximum length in bytes of an expression string.
	MaxExprLen int
	// MaxDepth is the maximum nesting of calls and accesses, also across
	// variables and user functions evaluated from an expression.
	MaxDepth int
	// MaxSteps is the evaluation step budget of one top-level call
	// (EvalString or EvalJSON not made from within another evaluation).
	MaxSteps int
	// MaxItems is the maximum length of a generated array or object
	// (range(), union(), concat(), map()…).
	MaxItems int
	// MaxStringLen is the maximum length in bytes of a generated string.
	MaxStringLen int
}

// DefaultLimits returns the limits used for zero fields.
func DefaultLimits() Limits {
	return Limits{MaxExprLen: 64 << 10, MaxDepth: 512, MaxSteps: 1_000_000, MaxItems: 100_000, MaxStringLen: 4 << 20}
}

// Scope is the fake, deterministic deployment scope returned by
// resourceGroup(), subscription(), tenant(), managementGroup() and
// deployment(). Zero fields take the defaults of [DefaultScope].
type Scope struct {
	// Level is the deployment scope of the template: "resourceGroup"
	// (default), "subscription", "managementGroup" or "tenant". It decides
	// the form of resourceId() without subscription/resource group
	// arguments.
	Level           string
	SubscriptionID  string
	TenantID        string
	ResourceGroup   string
	Location        string
	ManagementGroup string
	DeploymentName  string
}

// DefaultScope returns clearly fake placeholder values: the all-zero GUID
// for subscription and tenant, resource group "resourceGroup" in location
// "resourceGroupLocation", management group "managementGroup" and
// deployment "deployment".
func DefaultScope() Scope {
	return Scope{
		Level:           "resourceGroup",
		SubscriptionID:  "00000000-0000-0000-0000-000000000000",
		TenantID:        "00000000-0000-0000-0000-000000000000",
		ResourceGroup:   "resourceGroup",
		Location:        "resourceGroupLocation",
		ManagementGroup: "managementGroup",
		DeploymentName:  "deployment",
	}
}

// Options configure an Evaluator.
type Options struct {
	Limits Limits
	Scope  Scope
	// Parsed, when set, holds the expressions parsed by every evaluator
	// given it (the templates of one scan), beside each evaluator's own.
	Parsed *ParseCache
}

// ParseCache holds parsed expressions for several evaluators, safe for
// concurrent use: the templates of a corpus repeat their expressions
// (1,000 generated templates: 53,971 expressions, 144 distinct), and a
// parsed expression is never changed by evaluating it. It holds at most
// maxShared expressions, then starts again.
type ParseCache struct {
	m sync.Map // parseKey → Node
	n atomic.Int64
}

// parseKey is an expression and the limits it was parsed under.
type parseKey struct {
	s             string
	maxLen, depth int
}

const maxShared = 1 << 14

// NewParseCache returns an empty ParseCache.
func NewParseCache() *ParseCache { return &ParseCache{} }

func (c *ParseCache) get(s string, l Limits) (Node, bool) {
	n, ok := c.m.Load(parseKey{s, l.MaxExprLen, l.MaxDepth})
	if !ok {
		return nil, false
	}
	return n.(Node), true
}

func (c *ParseCache) put(s string, l Limits, n Node) {
	if c.n.Add(1) > maxShared {
		c.m.Clear()
		c.n.Store(1)
	}
	c.m.Store(parseKey{s, l.MaxExprLen, l.MaxDepth}, n)
}

// Evaluator evaluates expressions against a Context. It is not safe for
// concurrent use; re-entrant calls from the Context (evaluating a variable
// while evaluating an expression) share its depth and step budget.
type Evaluator struct {
	ctx         Context
	limits      Limits
	scope       Scope
	unsupported map[string]int
	cache       map[string]Node
	parsed      *ParseCache // Options.Parsed
	// fixedVals holds the values of functions that depend on the
	// scope alone (fixed).
	fixedVals map[string]Value

	active int // nesting of EvalString/EvalJSON calls
	depth  int
	steps  int

	// top is the scope of an expression at template level: no function
	// parameters, no lambda variables. Every such evaluation shares it
	// (a frame is never changed once made; lambdas make their own), so
	// that evaluating one of the hundreds of expressions of a template
	// does not allocate a frame.
	top frame
}

const maxCache = 4096

// NewEvaluator returns an Evaluator for ctx (nil means [NopContext]).
func NewEvaluator(ctx Context, opts Options) *Evaluator {
	if ctx == nil {
		ctx = NopContext{}
	}
	d := DefaultLimits()
	l := opts.Limits
	if l.MaxExprLen <= 0 {
		l.MaxExprLen = d.MaxExprLen
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxSteps <= 0 {
		l.MaxSteps = d.MaxSteps
	}
	if l.MaxItems <= 0 {
		l.MaxItems = d.MaxItems
	}
	if l.MaxStringLen <= 0 {
		l.MaxStringLen = d.MaxStringLen
	}
	ds := DefaultScope()
	s := opts.Scope
	fill := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	fill(&s.Level, ds.Level)
	fill(&s.SubscriptionID, ds.SubscriptionID)
	fill(&s.TenantID, ds.TenantID)
	fill(&s.ResourceGroup, ds.ResourceGroup)
	fill(&s.Location, ds.Location)
	fill(&s.ManagementGroup, ds.ManagementGroup)
	fill(&s.DeploymentName, ds.DeploymentName)
	// Level is only compared (the forms of resourceId()): in lower case.
	s.Level = strings.ToLower(s.Level)
	return &Evaluator{ctx: ctx, limits: l, scope: s, unsupported: map[string]int{}, cache: map[string]Node{}, parsed: opts.Parsed}
}

// frame is the lexical scope of an evaluation: the parameters of the user
// function being evaluated (nil at template level) and the lambda
// variables in scope.
type frame struct {
	fn      *userScope
	lambdas *lambdaVar
}

type userScope struct {
	name   string
	params map[string]Value // lower-cased name
}

type lambdaVar struct {
	name string
	val  Value
	next *lambdaVar
}

// EvalString evaluates a JSON string value: an expression is evaluated, an
// escaped "[[…" literal loses its first "[", any other string is returned
// as is. The error is an *Error.
func (e *Evaluator) EvalString(s string) (Value, error) {
	return e.evalString(&e.top, s)
}

// EvalJSON evaluates a JSON value tree (as from [DecodeJSON]; map[string]any
// with sorted keys, float64 and json.Number are accepted too): every string
// is passed to EvalString, objects and arrays are rebuilt. Object keys are
// not evaluated.
func (e *Evaluator) EvalJSON(v any) (Value, error) {
	return e.evalJSON(&e.top, v)
}

// Eval evaluates a parsed expression.
func (e *Evaluator) Eval(n Node) (Value, error) {
	if n == nil {
		return nil, &Error{Msg: "nil expression"}
	}
	e.begin()
	defer e.end()
	v, err := e.eval(&e.top, n)
	if err != nil {
		return nil, err
	}
	if err := e.checkSize(n.Pos(), v); err != nil {
		return nil, err
	}
	return v, nil
}

// Unsupported returns how many times each unsupported function name
// (lower case) produced an Unknown with SourceUnsupported since the
// Evaluator was created. The map must not be modified.
func (e *Evaluator) Unsupported() map[string]int { return e.unsupported }

func (e *Evaluator) begin() {
	if e.active == 0 {
		e.steps = 0
		e.depth = 0
	}
	e.active++
}

func (e *Evaluator) end() { e.active-- }

// Parse parses s as [Parse] does, with the Evaluator's limits, through the
// cache of parsed expressions its evaluations use (bounded): a template's
// readers that walk an expression's tree (trails, taints) and its
// evaluation parse each distinct expression once. The Node returned is
// shared and must not be modified.
func (e *Evaluator) Parse(s string) (Node, error) { return e.parse(s) }

func (e *Evaluator) parse(s string) (Node, error) {
	if n, ok := e.cache[s]; ok {
		return n, nil
	}
	n, ok := Node(nil), false
	if e.parsed != nil {
		n, ok = e.parsed.get(s, e.limits)
	}
	if !ok {
		var err error
		if n, err = parse(s, e.limits); err != nil {
			return nil, err
		}
		if e.parsed != nil {
			e.parsed.put(s, e.limits, n)
		}
	}
	if len(e.cache) >= maxCache {
		clear(e.cache)
	}
	e.cache[s] = n
	return n, nil
}

func (e *Evaluator) evalString(fr *frame, s string) (Value, error) {
	if !IsExpression(s) {
		return Unescape(s), nil
	}
	e.begin()
	defer e.end()
	n, err := e.parse(s)
	if err != nil {
		return nil, err
	}
	v, err := e.eval(fr, n)
	if err != nil {
		return nil, err
	}
	if err := e.checkSize(0, v); err != nil {
		return nil, err
	}
	return v, nil
}

func (e *Evaluator) evalJSON(fr *frame, v any) (Value, error) {
	e.begin()
	defer e.end()
	r, err := e.walkJSON(fr, v)
	if err != nil {
		return nil, err
	}
	if err := e.checkSize(0, r); err != nil {
		return nil, err
	}
	return r, nil
}

func (e *Evaluator) walkJSON(fr *frame, v any) (Value, error) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > e.limits.MaxDepth {
		return nil, &Error{Msg: fmt.Sprintf("value nested more than %d levels deep", e.limits.MaxDepth)}
	}
	v, err := normalize(v)
	if err != nil {
		return nil, &Error{Msg: err.Error()}
	}
	switch t := v.(type) {
	case string:
		return e.evalString(fr, t)
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			r, err := e.walkJSON(fr, x)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case *Object:
		out := NewObject(t.Len())
		for k, x := range t.All() {
			r, err := e.walkJSON(fr, x)
			if err != nil {
				return nil, err
			}
			out.Set(k, r)
		}
		return out, nil
	}
	return v, nil
}

func (e *Evaluator) eval(fr *frame, n Node) (Value, error) {
	if !e.tick() {
		return nil, e.budgetError(n.Pos())
	}
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > e.limits.MaxDepth {
		return nil, &Error{Offset: n.Pos(), Msg: fmt.Sprintf("evaluation nested more than %d levels deep", e.limits.MaxDepth)}
	}
	switch t := n.(type) {
	case *Literal:
		return t.Value, nil
	case *Access:
		return e.access(fr, t)
	case *Call:
		return e.call(fr, t)
	}
	return nil, &Error{Offset: n.Pos(), Msg: fmt.Sprintf("invalid expression node %T", n)}
}

func (e *Evaluator) access(fr *frame, a *Access) (Value, error) {
	x, err := e.eval(fr, a.X)
	if err != nil {
		return nil, err
	}
	var key Value = a.Property
	if a.Index != nil {
		key, err = e.eval(fr, a.Index)
		if err != nil {
			return nil, err
		}
	}
	v, err := index(a.Offset, x, key, a.Index == nil, a.Safe)
	if err != nil {
		return nil, err
	}
	if u, ok := v.(Unknown); ok {
		return e.deploymentOutput(u), nil
	}
	return v, nil
}

// deploymentOutput replaces reference(<deployment>).outputs.<name>.value
// by the output's value when the Context knows it (see [OutputContext]).
func (e *Evaluator) deploymentOutput(u Unknown) Value {
	oc, ok := e.ctx.(OutputContext)
	if !ok || u.Source != SourceRuntime || u.Attribute != "reference" || u.Ref == "" || len(u.Parts) > 0 {
		return u
	}
	name, ok := outputName(u.Path)
	if !ok {
		return u
	}
	if v, ok := oc.DeploymentOutput(u.Ref, name); ok {
		return v
	}
	return u
}

// outputName returns <name> of an access path .outputs.<name>.value (or
// .outputs['<name>'].value).
func outputName(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, ".outputs")
	if !ok {
		return "", false
	}
	rest, ok = strings.CutSuffix(rest, ".value")
	if !ok {
		return "", false
	}
	switch {
	case strings.HasPrefix(rest, ".") && !strings.ContainsAny(rest[1:], ".["):
		return rest[1:], rest != "."
	case strings.HasPrefix(rest, "['") && strings.HasSuffix(rest, "']") && len(rest) > 4:
		name := rest[2 : len(rest)-2]
		if strings.Contains(strings.ReplaceAll(name, "''", ""), "'") {
			return "", false
		}
		return strings.ReplaceAll(name, "''", "'"), true
	}
	return "", false
}

// pathSegment renders one access in ARM syntax.
func pathSegment(key Value, prop bool) string {
	switch k := key.(type) {
	case string:
		if prop {
			return "." + k
		}
		return "['" + strings.ReplaceAll(k, "'", "''") + "']"
	case int64:
		return "[" + strconv.FormatInt(k, 10) + "]"
	case float64:
		return "[" + formatFloat(k) + "]"
	}
	return "[*]"
}

// index applies one property access or index to x.
func index(off int, x, key Value, prop, safe bool) (Value, error) {
	if u, ok := x.(Unknown); ok {
		u.Parts = nil
		u.Path += pathSegment(key, prop)
		return u, nil
	}
	if u, ok := key.(Unknown); ok {
		u.Parts = nil
		return u, nil
	}
	switch t := x.(type) {
	case nil:
		if safe {
			return nil, nil
		}
		return nil, &Error{Offset: off, Msg: fmt.Sprintf("cannot access %s of a null value", describeKey(key))}
	case *Object:
		k, ok := key.(string)
		if !ok {
			return nil, &Error{Offset: off, Msg: fmt.Sprintf("an object's property name must be a string, not %s", TypeName(key))}
		}
		v, ok := t.Get(k)
		if !ok {
			if safe {
				return nil, nil
			}
			return nil, &Error{Offset: off, Msg: fmt.Sprintf("the object has no property %q%s", k, availableKeys(t))}
		}
		return v, nil
	case []any:
		i, ok := asIndex(key)
		if !ok {
			return nil, &Error{Offset: off, Msg: fmt.Sprintf("an array index must be an integer, not %s", TypeName(key))}
		}
		if i < 0 || i >= int64(len(t)) {
			if safe {
				return nil, nil
			}
			return nil, &Error{Offset: off, Msg: fmt.Sprintf("index %d is outside the array of length %d", i, len(t))}
		}
		return t[i], nil
	}
	if safe {
		return nil, nil
	}
	return nil, &Error{Offset: off, Msg: fmt.Sprintf("cannot access %s of a %s", describeKey(key), TypeName(x))}
}

func asIndex(v Value) (int64, bool) {
	switch t := v.(type) {
	case int64:
		return t, true
	case float64:
		if t == float64(int64(t)) {
			return int64(t), true
		}
	}
	return 0, false
}

func describeKey(key Value) string {
	if s, ok := key.(string); ok {
		return fmt.Sprintf("property %q", s)
	}
	return "index " + pathSegment(key, false)
}

func availableKeys(o *Object) string {
	if o.Len() == 0 {
		return " (it is empty)"
	}
	keys := o.Keys()
	if len(keys) > 10 {
		return " (it has " + strings.Join(keys[:10], ", ") + ", …)"
	}
	return " (it has " + strings.Join(keys, ", ") + ")"
}

// callCtx is what a built-in function sees.
type callCtx struct {
	e    *Evaluator
	fr   *frame
	c    *Call
	name string // canonical spelling
}

func (cc *callCtx) errorf(format string, args ...any) error {
	return &Error{Offset: cc.c.Offset, Msg: cc.name + ": " + fmt.Sprintf(format, args...)}
}

func (cc *callCtx) wrap(msg string, err error) error {
	var inner *Error
	if errors.As(err, &inner) && inner.Offset == cc.c.Offset {
		return err
	}
	return &Error{Offset: cc.c.Offset, Msg: cc.name + ": " + msg, Err: err}
}

func (e *Evaluator) call(fr *frame, c *Call) (Value, error) {
	if c.Namespace != "" {
		return e.callUser(fr, c)
	}
	lname := c.LowerName()
	if v, ok, err := e.scopeLookup(fr, c, lname); ok {
		return v, err
	}
	cc := &callCtx{e: e, fr: fr, c: c, name: c.Name}
	if sp, ok := lazyBuiltin(lname); ok {
		cc.name = sp.name
		if err := sp.checkArity(cc, len(c.Args)); err != nil {
			return nil, err
		}
		return e.checkBudget(c)(sp.lazy(cc))
	}
	args := make([]Value, len(c.Args))
	for i, a := range c.Args {
		v, err := e.eval(fr, a)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	sp, ok := builtin(lname)
	if !ok {
		if strings.HasPrefix(lname, "list") {
			return listFunction(cc, args)
		}
		e.unsupported[lname]++
		return Unknown{Source: SourceUnsupported, Reason: fmt.Sprintf("function %s() is not supported", c.Name), Ref: c.Name, Attribute: c.Name}, nil
	}
	cc.name = sp.name
	if err := sp.checkArity(cc, len(args)); err != nil {
		return nil, err
	}
	switch sp.unknown {
	case unkDeep:
		if u, ok := mergeUnknown(e, args...); ok {
			return u, nil
		}
	case unkTop:
		if u, ok := topUnknown(args...); ok {
			return u, nil
		}
	}
	return e.checkBudget(c)(sp.fn(cc, args))
}

// scopeLookup is parameters('name') and variables('name') outside user
// functions, the most common calls, as the general path of call makes
// them (the same steps charged, depth checked, errors and budget) without
// its argument list and callCtx; ok is false for every other call, and
// where the depth limit is reached (the general path then reports it).
func (e *Evaluator) scopeLookup(fr *frame, c *Call, lname string) (v Value, ok bool, err error) {
	if len(c.Args) != 1 || fr.fn != nil || (lname != "parameters" && lname != "variables") {
		return nil, false, nil
	}
	lit, isLit := c.Args[0].(*Literal)
	if !isLit {
		return nil, false, nil
	}
	name, isStr := lit.Value.(string)
	if !isStr || e.depth+1 > e.limits.MaxDepth {
		return nil, false, nil
	}
	// The literal argument, as eval charges it.
	if !e.tick() {
		return nil, true, e.budgetError(lit.Pos())
	}
	if lname == "parameters" {
		v, err = templateParameter(e, fr, c, name)
	} else {
		v, err = templateVariable(e, fr, c, name)
	}
	v, err = e.checkBudget(c)(v, err)
	return v, true, err
}

// tick charges one step of work; it reports false once the budget is
// spent. A nil Evaluator is unlimited.
func (e *Evaluator) tick() bool {
	if e == nil {
		return true
	}
	e.steps++
	return e.steps <= e.limits.MaxSteps
}

func (e *Evaluator) budgetError(off int) error {
	return &Error{Offset: off, Msg: fmt.Sprintf("evaluation exceeded the budget of %d steps", e.limits.MaxSteps)}
}

// checkBudget turns the result of a built-in into a budget error when the
// function's work (comparing, serialising, searching values) spent the
// budget.
func (e *Evaluator) checkBudget(c *Call) func(Value, error) (Value, error) {
	return func(v Value, err error) (Value, error) {
		if e.steps > e.limits.MaxSteps {
			return nil, e.budgetError(c.Offset)
		}
		return v, err
	}
}

// checkSize charges the size of a result to the budget, so that values
// built from shared parts (an array holding the same array twice, n times
// over) cannot grow beyond what the budget allows: callers can then walk
// any returned value.
func (e *Evaluator) checkSize(off int, v Value) error {
	var walk func(Value) bool
	walk = func(v Value) bool {
		if !e.tick() {
			return false
		}
		switch t := v.(type) {
		case []any:
			for _, x := range t {
				if !walk(x) {
					return false
				}
			}
		case *Object:
			for _, x := range t.vals {
				if !walk(x) {
					return false
				}
			}
		}
		return true
	}
	if !walk(v) {
		return &Error{Offset: off, Msg: fmt.Sprintf("the value is too large: walking it exceeded the budget of %d steps", e.limits.MaxSteps)}
	}
	return nil
}

func (e *Evaluator) callUser(fr *frame, c *Call) (Value, error) {
	qualified := c.Namespace + "." + c.Name
	uf, ok := e.ctx.UserFunction(c.Namespace, c.Name)
	if !ok || uf == nil {
		return nil, &Error{Offset: c.Offset, Msg: fmt.Sprintf("user-defined function %s is not declared", qualified)}
	}
	if len(c.Args) != len(uf.Parameters) {
		return nil, &Error{Offset: c.Offset, Msg: fmt.Sprintf("%s: expects %d arguments, got %d", qualified, len(uf.Parameters), len(c.Args))}
	}
	scope := &userScope{name: qualified, params: make(map[string]Value, len(c.Args))}
	for i, a := range c.Args {
		v, err := e.eval(fr, a)
		if err != nil {
			return nil, err
		}
		scope.params[strings.ToLower(uf.Parameters[i].Name)] = v
	}
	v, err := e.walkJSON(&frame{fn: scope}, uf.Output)
	if err != nil {
		return nil, &Error{Offset: c.Offset, Msg: "in user-defined function " + qualified, Err: err}
	}
	return v, nil
}
