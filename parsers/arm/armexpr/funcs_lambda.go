package armexpr

import (
	"slices"
	"strconv"
	"strings"
)

// lambdaValue is a lambda(...) argument: parameter names and a body
// evaluated in the frame it was written in.
type lambdaValue struct {
	params []string
	body   Node
	fr     *frame
}

func fnLambdaOutside(cc *callCtx) (Value, error) {
	return nil, cc.errorf("a lambda can only be an argument of filter, map, reduce, sort, toObject, groupBy or mapValues")
}

// lambdaArg reads argument i, which must be written as lambda('a', …, body).
func (cc *callCtx) lambdaArg(i int, minParams, maxParams int) (*lambdaValue, error) {
	c, ok := cc.c.Args[i].(*Call)
	if !ok || c.Namespace != "" || !strings.EqualFold(c.Name, "lambda") {
		return nil, cc.errorf("argument %d must be a lambda(...)", i+1)
	}
	if len(c.Args) < 2 {
		return nil, &Error{Offset: c.Offset, Msg: "lambda: expects parameter names and a body"}
	}
	names := make([]string, 0, len(c.Args)-1)
	for _, a := range c.Args[:len(c.Args)-1] {
		lit, ok := a.(*Literal)
		s, isStr := lit.valueString()
		if !ok || !isStr {
			return nil, &Error{Offset: a.Pos(), Msg: "lambda: parameter names must be string literals"}
		}
		names = append(names, s)
	}
	if len(names) < minParams || len(names) > maxParams {
		if minParams == maxParams {
			return nil, &Error{Offset: c.Offset, Msg: cc.name + ": the lambda must take " + strconv.Itoa(minParams) + " parameter" + plural(minParams)}
		}
		return nil, &Error{Offset: c.Offset, Msg: cc.name + ": the lambda must take " + strconv.Itoa(minParams) + " to " + strconv.Itoa(maxParams) + " parameters"}
	}
	return &lambdaValue{params: names, body: c.Args[len(c.Args)-1], fr: cc.fr}, nil
}

func (l *Literal) valueString() (string, bool) {
	if l == nil {
		return "", false
	}
	s, ok := l.Value.(string)
	return s, ok
}

// apply evaluates the lambda with its parameters bound to the first
// len(params) of args.
func (cc *callCtx) apply(l *lambdaValue, args ...Value) (Value, error) {
	fr := &frame{fn: l.fr.fn, lambdas: l.fr.lambdas}
	vals := args
	for _, name := range l.params {
		if len(vals) == 0 {
			break
		}
		fr.lambdas = &lambdaVar{name: name, val: vals[0], next: fr.lambdas}
		vals = vals[1:]
	}
	return cc.e.eval(fr, l.body)
}

// arrayArg evaluates the first argument, which must be an array (or
// Unknown).
func (cc *callCtx) arrayArg() ([]any, *Unknown, error) {
	v, err := cc.evalArg(0)
	if err != nil {
		return nil, nil, err
	}
	switch t := v.(type) {
	case []any:
		return t, nil, nil
	case Unknown:
		t.Parts = nil
		return nil, &t, nil
	}
	return nil, nil, cc.errorf("argument 1 must be an array, not %s", TypeName(v))
}

func fnFilter(cc *callCtx) (Value, error) {
	arr, u, err := cc.arrayArg()
	if err != nil || u != nil {
		return unknownOr(u, err)
	}
	l, err := cc.lambdaArg(1, 1, 2)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for i, x := range arr {
		r, err := cc.apply(l, x, int64(i))
		if err != nil {
			return nil, err
		}
		switch t := r.(type) {
		case bool:
			if t {
				out = append(out, x)
			}
		case Unknown:
			t.Parts = nil
			return t, nil
		default:
			return nil, cc.errorf("the lambda must return a bool, not %s", TypeName(r))
		}
	}
	return out, nil
}

func fnMap(cc *callCtx) (Value, error) {
	arr, u, err := cc.arrayArg()
	if err != nil || u != nil {
		return unknownOr(u, err)
	}
	l, err := cc.lambdaArg(1, 1, 2)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(arr))
	for i, x := range arr {
		r, err := cc.apply(l, x, int64(i))
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func fnReduce(cc *callCtx) (Value, error) {
	arr, u, err := cc.arrayArg()
	if err != nil || u != nil {
		return unknownOr(u, err)
	}
	acc, err := cc.evalArg(1)
	if err != nil {
		return nil, err
	}
	l, err := cc.lambdaArg(2, 2, 3)
	if err != nil {
		return nil, err
	}
	for i, x := range arr {
		if acc, err = cc.apply(l, acc, x, int64(i)); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func fnSort(cc *callCtx) (Value, error) {
	arr, u, err := cc.arrayArg()
	if err != nil || u != nil {
		return unknownOr(u, err)
	}
	l, err := cc.lambdaArg(1, 2, 2)
	if err != nil {
		return nil, err
	}
	less := func(a, b Value) (bool, *Unknown, error) {
		r, err := cc.apply(l, a, b)
		if err != nil {
			return false, nil, err
		}
		switch t := r.(type) {
		case bool:
			return t, nil, nil
		case Unknown:
			t.Parts = nil
			return false, &t, nil
		}
		return false, nil, cc.errorf("the lambda must return a bool, not %s", TypeName(r))
	}
	// Insertion sort: stable, few comparisons for the short arrays of
	// templates, and it stops at the first unknown or error.
	out := slices.Clone(arr)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0; j-- {
			lt, u, err := less(out[j], out[j-1])
			if err != nil || u != nil {
				return unknownOr(u, err)
			}
			if !lt {
				break
			}
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, nil
}

func fnToObject(cc *callCtx) (Value, error) {
	arr, u, err := cc.arrayArg()
	if err != nil || u != nil {
		return unknownOr(u, err)
	}
	keyFn, err := cc.lambdaArg(1, 1, 1)
	if err != nil {
		return nil, err
	}
	var valFn *lambdaValue
	if len(cc.c.Args) > 2 {
		if valFn, err = cc.lambdaArg(2, 1, 1); err != nil {
			return nil, err
		}
	}
	out := NewObject(len(arr))
	for _, x := range arr {
		k, err := cc.apply(keyFn, x)
		if err != nil {
			return nil, err
		}
		var key string
		switch t := k.(type) {
		case string:
			key = t
		case Unknown:
			t.Parts = nil
			return t, nil
		default:
			return nil, cc.errorf("the key lambda must return a string, not %s", TypeName(k))
		}
		v := x
		if valFn != nil {
			if v, err = cc.apply(valFn, x); err != nil {
				return nil, err
			}
		}
		out.Set(key, v)
	}
	return out, nil
}

func fnGroupBy(cc *callCtx) (Value, error) {
	arr, u, err := cc.arrayArg()
	if err != nil || u != nil {
		return unknownOr(u, err)
	}
	keyFn, err := cc.lambdaArg(1, 1, 1)
	if err != nil {
		return nil, err
	}
	out := NewObject(0)
	for _, x := range arr {
		k, err := cc.apply(keyFn, x)
		if err != nil {
			return nil, err
		}
		key, ok := k.(string)
		if !ok {
			if t, ok := k.(Unknown); ok {
				t.Parts = nil
				return t, nil
			}
			return nil, cc.errorf("the key lambda must return a string, not %s", TypeName(k))
		}
		prev, _ := out.Get(key)
		group, _ := prev.([]any)
		out.Set(key, append(slices.Clip(group), x))
	}
	return out, nil
}

func fnMapValues(cc *callCtx) (Value, error) {
	v, err := cc.evalArg(0)
	if err != nil {
		return nil, err
	}
	var obj *Object
	switch t := v.(type) {
	case *Object:
		obj = t
	case Unknown:
		t.Parts = nil
		return t, nil
	default:
		return nil, cc.errorf("argument 1 must be an object, not %s", TypeName(v))
	}
	l, err := cc.lambdaArg(1, 1, 1)
	if err != nil {
		return nil, err
	}
	out := NewObject(obj.Len())
	for k, x := range obj.All() {
		r, err := cc.apply(l, x)
		if err != nil {
			return nil, err
		}
		out.Set(k, r)
	}
	return out, nil
}

func unknownOr(u *Unknown, err error) (Value, error) {
	if err != nil {
		return nil, err
	}
	return *u, nil
}
