package arm

import (
	"fmt"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
	"github.com/azfuncscan/azfuncscan/parsers/internal/fold"
)

// value is an evaluated ARM value (see armexpr).
type value = armexpr.Value

// Sources of unknown values this package adds to armexpr's.
const (
	// sourceKeyVaultParam: a parameter file's Key Vault reference.
	sourceKeyVaultParam armexpr.Source = "keyvault-parameter"
	// sourceError: evaluating the expression failed.
	sourceError armexpr.Source = "error"
	// sourceDeep: the JSON is nested deeper than this package reads.
	sourceDeep armexpr.Source = "too-deep"
)

func unknownValue(src armexpr.Source, reason, ref string) armexpr.Unknown {
	return armexpr.Unknown{Source: src, Reason: reason, Ref: ref}
}

// evalState tracks lazy evaluation (and cycles) of parameters and
// variables.
type evalState uint8

const (
	unevaluated evalState = iota
	evaluating
	evaluated
)

// param is a declared parameter of a template.
type param struct {
	name   string
	decl   *jval
	typ    string // lower case: string, securestring, int, bool, object, secureobject, array
	given  *given
	state  evalState
	val    value
	has    bool
	taint  taint
	tstate evalState
	// trail is where the parameter's value came from (see trail.go).
	trail   *model.Trail
	trstate evalState
}

// secure reports whether the parameter is a securestring or secureObject.
func (p *param) secure() bool { return p.typ == "securestring" || p.typ == "secureobject" }

// variable is a declared variable of a template; copy is set for a
// variable declared by the variables' copy section.
type variable struct {
	name   string
	decl   *jval
	copy   *jval // {name, count, input}
	state  evalState
	val    value
	taint  taint
	tstate evalState
	// trail is where the variable's value came from (see trail.go).
	trail   *model.Trail
	trstate evalState
}

// frame is one iteration of a copy loop being expanded.
type frame struct {
	name     string
	index    int64
	resource bool // a resource loop (copyIndex() without a name means it)
}

// tmpl is one template: the file's own, or the inline template of a
// nested deployment. It is the armexpr.Context its expressions are
// evaluated in.
type tmpl struct {
	l    *loader
	root *jval
	// parent is the deploying template of a nested one; with outer set,
	// parameters, variables and functions are the parent's
	// (expressionEvaluationOptions.scope outer, the default).
	parent *tmpl
	outer  bool
	// prefix is the address prefix of the template's resources:
	// "Microsoft.Resources/deployments/<name>/" for a nested one.
	prefix string
	depth  int
	uid    int // distinguishes templates of one file

	params map[string]*param
	vars   map[string]*variable
	funcs  map[string]*armexpr.UserFunction // "namespace.member", lower case

	ev     *armexpr.Evaluator
	frames []frame
	syms   map[string]*inst
	// taints memoizes taintOf by expression string.
	taints map[string]taint
	// bicep is the .bicep file the template was compiled from, when
	// found; deployedBy is the deployment resource of a nested template.
	bicep      *bicepIndex
	deployedBy *inst
	// outputs is the template's outputs section (nested deployments'
	// outputs resolve reference(...).outputs.x.value); outVals holds
	// those evaluated, by lower-case name.
	outputs *jval
	outVals map[string]*outVal
	// started marks the top-level declarations whose expansion has begun
	// (a deployment may be expanded on demand, before its turn).
	started map[*jval]bool
}

// newTmpl reads the declarations of a template object. given holds the
// parameter values passed in (parameter files, or a parent deployment's
// parameters).
func newTmpl(l *loader, root *jval, parent *tmpl, outer bool, given map[string]*given, prefix string, depth int) *tmpl {
	t := &tmpl{
		l: l, root: root, parent: parent, outer: outer, prefix: prefix, depth: depth,
		params: map[string]*param{}, vars: map[string]*variable{}, funcs: map[string]*armexpr.UserFunction{},
		syms: map[string]*inst{}, taints: map[string]taint{}, started: map[*jval]bool{},
	}
	t.outputs = root.get("outputs")
	if ps := root.get("parameters"); ps.isObject() {
		for i := range ps.fields {
			fd := &ps.fields[i]
			p := &param{name: fd.key, decl: fd.val}
			if ty := fd.val.get("type"); ty.isString() {
				p.typ = strings.ToLower(strings.TrimSpace(ty.str))
			}
			lk := l.lower(fd.key)
			p.given = given[lk]
			t.params[lk] = p
		}
	}
	if vs := root.get("variables"); vs.isObject() {
		for i := range vs.fields {
			fd := &vs.fields[i]
			if strings.EqualFold(fd.key, "copy") && fd.val.isList() {
				for _, c := range fd.val.items {
					if n := c.get("name"); n.isString() {
						t.vars[l.lower(n.str)] = &variable{name: n.str, copy: c}
					}
				}
				continue
			}
			t.vars[l.lower(fd.key)] = &variable{name: fd.key, decl: fd.val}
		}
	}
	if fs := root.get("functions"); fs.isList() {
		for _, ns := range fs.items {
			nsName := ns.get("namespace")
			members := ns.get("members")
			if !nsName.isString() || !members.isObject() {
				continue
			}
			for i := range members.fields {
				m := &members.fields[i]
				uf := &armexpr.UserFunction{Namespace: nsName.str, Name: m.key}
				if ps := m.val.get("parameters"); ps.isList() {
					for _, p := range ps.items {
						up := armexpr.UserParam{}
						if n := p.get("name"); n.isString() {
							up.Name = n.str
						}
						if ty := p.get("type"); ty.isString() {
							up.Type = ty.str
						}
						uf.Parameters = append(uf.Parameters, up)
					}
				}
				if out := m.val.get("output"); out.isObject() {
					uf.Output = plainValue(out.get("value"))
				}
				t.funcs[strings.ToLower(nsName.str+"."+m.key)] = uf
			}
		}
	}
	l.tmpls++
	t.uid = l.tmpls
	t.ev = armexpr.NewEvaluator(t, armexpr.Options{Parsed: l.exprs})
	return t
}

// parse parses an expression of t's text through t's evaluator, which
// keeps each distinct expression parsed (bounded) for its evaluations and
// for the trails and taints read from it.
func (t *tmpl) parse(s string) (armexpr.Node, error) {
	if t.ev == nil {
		return armexpr.Parse(s)
	}
	return t.ev.Parse(s)
}

// scopeOf returns the template whose declarations expressions of t see.
func (t *tmpl) scopeOf() *tmpl {
	for t.outer && t.parent != nil {
		t = t.parent
	}
	return t
}

// Parameter implements armexpr.Context.
func (t *tmpl) Parameter(name string) (armexpr.Param, error) {
	s := t.scopeOf()
	p := s.params[t.l.lower(name)]
	if p == nil {
		return armexpr.Param{}, fmt.Errorf("parameter %q: %w", name, armexpr.ErrNotFound)
	}
	s.evalParam(p)
	if !p.has {
		// A parameter without a value is unknown; its Ref names the
		// template too, so that equal placeholders mean the same
		// parameter when resources are matched (symText).
		src := armexpr.SourceParameter
		if p.secure() {
			src = armexpr.SourceSecure
		}
		return armexpr.Param{Type: p.typ, HasValue: true, Value: armexpr.Unknown{
			Source: src, Reason: "parameter " + p.name + " has no value (no defaultValue and no parameter file value)",
			Ref: fmt.Sprintf("%s@%d", p.name, s.uid), Attribute: "parameters",
		}}, nil
	}
	return armexpr.Param{Type: p.typ, Value: p.val, HasValue: true}, nil
}

// evalParam decides a parameter's value: the given one, else its
// defaultValue, else none.
func (t *tmpl) evalParam(p *param) {
	switch p.state {
	case evaluated:
		return
	case evaluating:
		p.val, p.has = unknownValue(sourceError, "parameter "+p.name+" refers to itself", p.name), true
		return
	}
	p.state = evaluating
	defer func() { p.state = evaluated }()
	if p.given != nil && (p.given.val != nil || p.decl.field("defaultValue") == nil) {
		// A null passed for a parameter with a default takes the
		// default, as ARM does (Bicep modules pass tryGet(…) results).
		p.val, p.has = p.given.val, true
		if p.given.keyVault {
			p.val = unknownValue(armexpr.SourceSecure, "parameter "+p.name+" is read from Key Vault at deployment", p.name)
		}
		return
	}
	if d := p.decl.field("defaultValue"); d != nil {
		p.val, p.has = t.evalJSON(d.val), true
		return
	}
	if n, ok := t.evalJSON(p.decl.get("nullable")).(bool); ok && n {
		// languageVersion 2.0: a nullable parameter without a value is
		// null.
		p.val, p.has = nil, true
		return
	}
	p.has = false
}

// Variable implements armexpr.Context.
func (t *tmpl) Variable(name string) (value, error) {
	s := t.scopeOf()
	v := s.vars[t.l.lower(name)]
	if v == nil {
		return nil, fmt.Errorf("variable %q: %w", name, armexpr.ErrNotFound)
	}
	switch v.state {
	case evaluated:
		return v.val, nil
	case evaluating:
		return nil, fmt.Errorf("variable %q refers to itself", name)
	}
	v.state = evaluating
	if v.copy != nil {
		v.val = s.evalCopy(v.copy)
	} else {
		v.val = s.evalJSON(v.decl)
	}
	v.state = evaluated
	return v.val, nil
}

// UserFunction implements armexpr.Context.
func (t *tmpl) UserFunction(namespace, name string) (*armexpr.UserFunction, bool) {
	f, ok := t.scopeOf().funcs[strings.ToLower(namespace+"."+name)]
	return f, ok
}

// CopyIndex implements armexpr.Context: the named loop, or without a name
// the resource loop being expanded (else the innermost loop).
func (t *tmpl) CopyIndex(loop string) (int64, bool) {
	for i := len(t.frames) - 1; i >= 0; i-- {
		f := t.frames[i]
		if loop != "" && strings.EqualFold(f.name, loop) {
			return f.index, true
		}
	}
	if loop != "" {
		return 0, false
	}
	for i := len(t.frames) - 1; i >= 0; i-- {
		if t.frames[i].resource {
			return t.frames[i].index, true
		}
	}
	if len(t.frames) > 0 {
		return t.frames[len(t.frames)-1].index, true
	}
	return 0, false
}

// Resource implements armexpr.Context: a symbolic name of this template
// (languageVersion 2.0), else a resource id or name of a resource
// expanded so far.
func (t *tmpl) Resource(nameOrID string) (armexpr.ResourceView, bool) {
	// Symbolic names (languageVersion 2.0) first; most templates have
	// none, and then the id is not lowered to look one up.
	if len(t.syms) > 0 {
		if in := t.syms[strings.ToLower(nameOrID)]; in != nil {
			return in.view(), true
		}
	}
	key := pathOfID(nameOrID)
	for _, in := range t.l.insts {
		if in.key != "" && strings.EqualFold(in.key, key) {
			return in.view(), true
		}
	}
	return armexpr.ResourceView{}, false
}

// evalJSON evaluates a JSON value of the template without positions:
// every string is an expression or a literal; objects with a copy
// section (property iteration) are expanded.
func (t *tmpl) evalJSON(v *jval) value {
	return t.evalJSONDepth(v, 0)
}

func (t *tmpl) evalJSONDepth(v *jval, depth int) value {
	if v == nil {
		return nil
	}
	if depth > maxJSONDepth || v.deep {
		return unknownValue(sourceDeep, "the value is nested too deeply to be read", "")
	}
	switch v.kind {
	case model.KindString:
		return t.evalString(v)
	case model.KindList:
		out := make([]any, 0, len(v.items))
		for _, it := range v.items {
			out = append(out, t.evalJSONDepth(it, depth+1))
		}
		return out
	case model.KindObject:
		o := armexpr.NewObject(len(v.fields))
		for i := range v.fields {
			fd := &v.fields[i]
			if fold.MayEqual(fd.key, "copy") && strings.EqualFold(fd.key, "copy") && fd.val.isList() && isCopySpecs(fd.val) {
				for _, c := range fd.val.items {
					if n := c.get("name"); n.isString() {
						o.Set(n.str, t.evalCopy(c))
					}
				}
				continue
			}
			o.Set(fd.key, t.evalJSONDepth(fd.val, depth+1))
		}
		return o
	}
	return plainValue(v)
}

// isCopySpecs reports whether a "copy" member is a list of property
// iterations ({name, count, input}).
func isCopySpecs(v *jval) bool {
	if len(v.items) == 0 {
		return false
	}
	for _, c := range v.items {
		if !c.isObject() || c.get("name") == nil || c.get("count") == nil || c.field("input") == nil {
			return false
		}
	}
	return true
}

// evalCopy expands a {name, count, input} iteration into an array. An
// unknown count gives an unknown array.
func (t *tmpl) evalCopy(c *jval) value {
	name := strOf(c.get("name"))
	n, ok := t.count(c.get("count"))
	if !ok {
		return unknownValue(armexpr.SourceRuntime, "the copy count of "+name+" is not known before deployment", "")
	}
	input := c.get("input")
	out := make([]any, 0, n)
	for i := 0; i < n; i++ {
		t.frames = append(t.frames, frame{name: name, index: int64(i)})
		out = append(out, t.evalJSON(input))
		t.frames = t.frames[:len(t.frames)-1]
	}
	return out
}

// maxCopy is ARM's limit on copy loop iterations.
const maxCopy = 800

// count evaluates a copy count; ok is false when it is not known.
func (t *tmpl) count(v *jval) (int, bool) {
	val := t.evalJSON(v)
	var n int64
	switch x := val.(type) {
	case int64:
		n = x
	case float64:
		n = int64(x)
	case string:
		if _, err := fmt.Sscan(x, &n); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if n < 0 {
		n = 0
	}
	if n > maxCopy {
		t.l.diag(model.SevWarning, "Copy count over the ARM limit",
			fmt.Sprintf("the copy count %d exceeds ARM's limit of %d; the first %d iterations are analysed", n, maxCopy, maxCopy), t.l.rngOf(v))
		n = maxCopy
	}
	return int(n), true
}

// evalString evaluates one JSON string of the template, reporting errors
// and unsupported functions at its position.
func (t *tmpl) evalString(v *jval) value {
	if !armexpr.IsExpression(v.str) {
		return armexpr.Unescape(v.str)
	}
	before := t.l.unsupportedTotal(t.ev)
	val, err := t.ev.EvalString(v.str)
	t.l.noteUnsupported(t.ev, before, v)
	if err != nil {
		t.l.evalError(v, err)
		return unknownValue(sourceError, "the expression could not be evaluated: "+errText(err), "")
	}
	return val
}

// plainValue converts JSON to a value without evaluating anything
// (parameter files, function bodies).
func plainValue(v *jval) value {
	return plainValueDepth(v, 0)
}

func plainValueDepth(v *jval, depth int) value {
	if v == nil {
		return nil
	}
	if v.deep || depth > maxJSONDepth {
		return unknownValue(sourceDeep, "the value is nested too deeply to be read", "")
	}
	switch v.kind {
	case model.KindBool:
		return v.b
	case model.KindString:
		return v.str
	case model.KindInt:
		if v.isInt {
			return v.num
		}
		var f float64
		if _, err := fmt.Sscan(v.str, &f); err == nil {
			return f
		}
		return v.str
	case model.KindList:
		out := make([]any, 0, len(v.items))
		for _, it := range v.items {
			out = append(out, plainValueDepth(it, depth+1))
		}
		return out
	case model.KindObject:
		o := armexpr.NewObject(len(v.fields))
		for i := range v.fields {
			o.Set(v.fields[i].key, plainValueDepth(v.fields[i].val, depth+1))
		}
		return o
	}
	return nil
}

// errText is an evaluation error without its Go decoration.
func errText(err error) string {
	var e *armexpr.Error
	if ok := asExprError(err, &e); ok {
		if e.Err != nil {
			return e.Msg + ": " + e.Err.Error()
		}
		return e.Msg
	}
	return err.Error()
}
