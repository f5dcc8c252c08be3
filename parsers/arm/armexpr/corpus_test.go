package armexpr

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// corpusContext is a permissive Context: every parameter and variable is
// declared without a value, copy loops are at index 0, and user functions
// come from the template's functions section when it could be decoded.
type corpusContext struct {
	funcs map[string]*UserFunction
}

func (c corpusContext) Parameter(name string) (Param, error) { return Param{Type: "string"}, nil }

func (c corpusContext) Variable(name string) (Value, error) {
	return Unknown{Source: SourceParameter, Reason: "corpus test", Ref: name, Attribute: "variables"}, nil
}

func (c corpusContext) UserFunction(ns, name string) (*UserFunction, bool) {
	f, ok := c.funcs[strings.ToLower(ns+"."+name)]
	return f, ok
}

func (c corpusContext) CopyIndex(string) (int64, bool) { return 0, true }

func (c corpusContext) Resource(string) (ResourceView, bool) { return ResourceView{}, false }

// jsonStrings returns every string literal of a JSON(C) text, tolerating
// files encoding/json rejects (raw control characters inside strings).
func jsonStrings(data []byte) []string {
	var out []string
	for i := 0; i < len(data); i++ {
		if data[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(data) && data[j] != '"' {
			if data[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(data) {
			break
		}
		raw := strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(string(data[i : j+1]))
		var s string
		if err := json.Unmarshal([]byte(raw), &s); err == nil {
			out = append(out, s)
		}
		i = j
	}
	return out
}

// templateFunctions reads the user-defined functions of a decoded template
// (and of templates nested in it).
func templateFunctions(v Value, into map[string]*UserFunction) {
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			templateFunctions(x, into)
		}
	case *Object:
		for k, x := range t.All() {
			if strings.EqualFold(k, "functions") {
				addFunctions(x, into)
			}
			templateFunctions(x, into)
		}
	}
}

func addFunctions(v Value, into map[string]*UserFunction) {
	list, _ := v.([]any)
	for _, ns := range list {
		o, ok := ns.(*Object)
		if !ok {
			continue
		}
		nsName, _ := o.Get("namespace")
		members, _ := o.Get("members")
		mo, ok := members.(*Object)
		if !ok {
			continue
		}
		for name, m := range mo.All() {
			mobj, ok := m.(*Object)
			if !ok {
				continue
			}
			uf := &UserFunction{Namespace: nsName.(string), Name: name}
			if ps, ok := mobj.Get("parameters"); ok {
				pl, _ := ps.([]any)
				for _, p := range pl {
					if po, ok := p.(*Object); ok {
						n, _ := po.Get("name")
						typ, _ := po.Get("type")
						ns, _ := n.(string)
						ts, _ := typ.(string)
						uf.Parameters = append(uf.Parameters, UserParam{Name: ns, Type: ts})
					}
				}
			}
			if out, ok := mobj.Get("output"); ok {
				if oo, ok := out.(*Object); ok {
					uf.Output, _ = oo.Get("value")
				}
			}
			into[strings.ToLower(uf.Namespace+"."+name)] = uf
		}
	}
}

func TestCorpus(t *testing.T) {
	corpusDir := sharedtest.Dir(t, "corpus", "arm")
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	exprs, evalErrs, paramFileErrs := 0, 0, 0
	errKinds := map[string]int{}
	tcKinds := map[string]int{}
	tcExprs, tcErrs := 0, 0
	unsupported := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data = jsonc.ToJSON(data)
		// Values in parameter files are not template expressions; some
		// hold placeholders such as "[YOUR-LOCATION]".
		paramFile := strings.Contains(string(data), "deploymentParameters.json")
		ctx := corpusContext{funcs: map[string]*UserFunction{}}
		var tmpl Value
		if v, err := DecodeJSON(data); err == nil {
			tmpl = v
			templateFunctions(v, ctx.funcs)
		}
		ev := NewEvaluator(ctx, Options{})
		for _, s := range jsonStrings(data) {
			if !IsExpression(s) {
				continue
			}
			exprs++
			n, err := Parse(s)
			if err != nil {
				if paramFile {
					paramFileErrs++
					continue
				}
				t.Errorf("%s: %q: %v", f, s, err)
				continue
			}
			Inspect(n, func(n Node) bool {
				if c, ok := n.(*Call); ok && c.Namespace == "" && !Supported(c.Name) {
					unsupported[c.Name]++
					t.Errorf("%s: %q: function %s() is not supported", f, s, c.Name)
				}
				return true
			})
			v, err := ev.EvalString(s)
			if err != nil {
				evalErrs++
				var e *Error
				if errors.As(err, &e) {
					msg := e.Msg
					if i := strings.IndexAny(msg, "\"'"); i > 0 {
						msg = msg[:i]
					}
					errKinds[msg]++
				}
				continue
			}
			if u, ok := FindUnknown(v); ok && u.Source == SourceUnsupported {
				t.Errorf("%s: %q: unknown because of an unsupported function: %s", f, s, u.Reason)
			}
		}
		if tmpl != nil {
			tc := newTemplateContext(tmpl, ctx.funcs)
			tc.walk(t, f, tmpl, tcKinds)
			tcExprs += tc.evaluated
			tcErrs += tc.errs
		}
		for name, n := range ev.Unsupported() {
			unsupported[name] += n
		}
	}
	t.Logf("%d files, %d expressions (%d unparsable placeholders in parameter files), %d evaluation errors with the permissive context", len(files), exprs, paramFileErrs, evalErrs)
	t.Logf("with each template's parameters and variables: %d evaluated, %d errors:", tcExprs, tcErrs)
	logKinds(t, tcKinds)
	logKinds(t, errKinds)
	if len(unsupported) > 0 {
		t.Errorf("unsupported functions: %v", unsupported)
	}
	if exprs == 0 {
		t.Error("no expressions found in the corpus")
	}
}

func logKinds(t *testing.T, kinds map[string]int) {
	t.Helper()
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if kinds[keys[i]] != kinds[keys[j]] {
			return kinds[keys[i]] > kinds[keys[j]]
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		t.Logf("  %5d %s", kinds[k], k)
	}
}

// templateContext evaluates a template's parameters (default values) and
// variables (including copy variables) lazily, the way the template
// parser does.
type templateContext struct {
	ev        *Evaluator
	params    *Object
	vars      *Object
	funcs     map[string]*UserFunction
	varCache  map[string]Value
	busy      map[string]bool
	loops     []loopIndex
	errs      int
	evaluated int
}

// walk evaluates every expression of the template tmpl with tc; nested
// templates with inner scope get their own context.
func (tc *templateContext) walk(t *testing.T, file string, v Value, kinds map[string]int) {
	t.Helper()
	switch x := v.(type) {
	case string:
		if !IsExpression(x) {
			return
		}
		r, err := tc.ev.EvalString(x)
		if err != nil {
			tc.errs++
			msg := err.Error()
			var e *Error
			if errors.As(err, &e) {
				for e.Err != nil && errors.As(e.Err, &e) {
				}
				msg = e.Msg
			}
			if os.Getenv("ARMEXPR_CORPUS_ERRORS") != "" {
				t.Logf("%s: %q: %v", file, x, err)
			}
			if i := strings.IndexAny(msg, "\"'("); i > 0 {
				msg = msg[:i]
			}
			kinds[msg]++
			return
		}
		tc.evaluated++
		if u, ok := FindUnknown(r); ok && u.Source == SourceUnsupported {
			t.Errorf("%s: %q: unknown because of an unsupported function: %s", file, x, u.Reason)
		}
	case []any:
		for _, e := range x {
			tc.walk(t, file, e, kinds)
		}
	case *Object:
		inner := false
		if opts, ok := x.Get("expressionEvaluationOptions"); ok {
			if oo, ok := opts.(*Object); ok {
				sc, _ := oo.Get("scope")
				inner = strings.EqualFold(fmt.Sprint(sc), "inner")
			}
		}
		for k, e := range x.All() {
			switch {
			case strings.EqualFold(k, "template") && inner:
				nested := newTemplateContext(e, tc.funcs)
				if o, ok := e.(*Object); ok {
					if fs, ok := o.Get("functions"); ok {
						nested.funcs = map[string]*UserFunction{}
						addFunctions(fs, nested.funcs)
					}
				}
				nested.walk(t, file, e, kinds)
				tc.evaluated += nested.evaluated
				tc.errs += nested.errs
			case strings.EqualFold(k, "functions"), strings.EqualFold(k, "copy"):
				// Evaluated through the function calls and by the parser.
			default:
				tc.walk(t, file, e, kinds)
			}
		}
	}
}

type loopIndex struct {
	name string
	i    int64
}

func newTemplateContext(tmpl Value, funcs map[string]*UserFunction) *templateContext {
	tc := &templateContext{funcs: funcs, varCache: map[string]Value{}, busy: map[string]bool{}, params: NewObject(0), vars: NewObject(0)}
	if o, ok := tmpl.(*Object); ok {
		if p, ok := o.Get("parameters"); ok {
			if po, ok := p.(*Object); ok {
				tc.params = po
			}
		}
		if v, ok := o.Get("variables"); ok {
			if vo, ok := v.(*Object); ok {
				tc.vars = vo
			}
		}
	}
	tc.ev = NewEvaluator(tc, Options{})
	return tc
}

func (tc *templateContext) Parameter(name string) (Param, error) {
	d, ok := tc.params.Get(name)
	if !ok {
		return Param{}, ErrNotFound
	}
	do, _ := d.(*Object)
	typ, _ := do.Get("type")
	ts, _ := typ.(string)
	def, ok := do.Get("defaultValue")
	if !ok {
		return Param{Type: ts}, nil
	}
	key := "p:" + strings.ToLower(name)
	if tc.busy[key] {
		return Param{}, errors.New("parameter refers to itself")
	}
	tc.busy[key] = true
	defer delete(tc.busy, key)
	v, err := tc.ev.EvalJSON(def)
	if err != nil {
		return Param{}, err
	}
	return Param{Type: ts, Value: v, HasValue: true}, nil
}

func (tc *templateContext) Variable(name string) (Value, error) {
	key := strings.ToLower(name)
	if v, ok := tc.varCache[key]; ok {
		return v, nil
	}
	if tc.busy[key] {
		return nil, errors.New("variable refers to itself")
	}
	tc.busy[key] = true
	defer delete(tc.busy, key)
	var v Value
	var err error
	if def, ok := tc.vars.Get(name); ok {
		v, err = tc.ev.EvalJSON(def)
	} else if v, err = tc.copyVariable(name); err == nil && v == nil {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	tc.varCache[key] = v
	return v, nil
}

// copyVariable evaluates a variable declared in the variables' copy
// section.
func (tc *templateContext) copyVariable(name string) (Value, error) {
	c, _ := tc.vars.Get("copy")
	list, _ := c.([]any)
	for _, x := range list {
		o, ok := x.(*Object)
		if !ok {
			continue
		}
		n, _ := o.Get("name")
		if s, _ := n.(string); !strings.EqualFold(s, name) {
			continue
		}
		cnt, _ := o.Get("count")
		cv, err := tc.ev.EvalJSON(cnt)
		if err != nil {
			return nil, err
		}
		count, ok := cv.(int64)
		if !ok {
			if u, ok := cv.(Unknown); ok {
				return u, nil
			}
			return nil, errors.New("copy count is not an integer")
		}
		input, _ := o.Get("input")
		out := []any{}
		for i := range count {
			tc.loops = append(tc.loops, loopIndex{name: name, i: i})
			v, err := tc.ev.EvalJSON(input)
			tc.loops = tc.loops[:len(tc.loops)-1]
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, nil
}

func (tc *templateContext) UserFunction(ns, name string) (*UserFunction, bool) {
	f, ok := tc.funcs[strings.ToLower(ns+"."+name)]
	return f, ok
}

func (tc *templateContext) CopyIndex(loop string) (int64, bool) {
	for i := len(tc.loops) - 1; i >= 0; i-- {
		if loop == "" || strings.EqualFold(tc.loops[i].name, loop) {
			return tc.loops[i].i, true
		}
	}
	// Resource and property loops are the parser's; take index 0.
	return 0, true
}

func (tc *templateContext) Resource(string) (ResourceView, bool) { return ResourceView{}, false }
