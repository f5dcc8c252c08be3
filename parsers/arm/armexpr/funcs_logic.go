package armexpr

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Argument helpers.

func (cc *callCtx) str(args []Value, i int) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", cc.errorf("argument %d must be a string, not %s", i+1, TypeName(args[i]))
	}
	return s, nil
}

func (cc *callCtx) integer(args []Value, i int) (int64, error) {
	switch t := args[i].(type) {
	case int64:
		return t, nil
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<63 {
			return int64(t), nil
		}
	}
	return 0, cc.errorf("argument %d must be an integer, not %s", i+1, TypeName(args[i]))
}

func (cc *callCtx) boolean(v Value, i int) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, cc.errorf("argument %d must be a bool, not %s", i+1, TypeName(v))
	}
	return b, nil
}

func (cc *callCtx) checkItems(n int) error {
	if n > cc.e.limits.MaxItems {
		return cc.errorf("result has %d items, more than the limit of %d", n, cc.e.limits.MaxItems)
	}
	return nil
}

func (cc *callCtx) checkString(s string) (Value, error) {
	if len(s) > cc.e.limits.MaxStringLen {
		return nil, cc.errorf("result is %d bytes long, more than the limit of %d", len(s), cc.e.limits.MaxStringLen)
	}
	return s, nil
}

func (cc *callCtx) evalArg(i int) (Value, error) {
	return cc.e.eval(cc.fr, cc.c.Args[i])
}

// Conditionals.

func fnIf(cc *callCtx) (Value, error) {
	cond, err := cc.evalArg(0)
	if err != nil {
		return nil, err
	}
	switch t := cond.(type) {
	case bool:
		if t {
			return cc.evalArg(1)
		}
		return cc.evalArg(2)
	case Unknown:
		// Either branch may be taken; a branch that fails to evaluate
		// does not make the expression fail.
		a, errA := cc.evalArg(1)
		b, errB := cc.evalArg(2)
		if errA == nil && errB == nil && equal(cc.e, a, b) && !isUnknownIn(cc.e, a) {
			return a, nil
		}
		vals := []Value{cond}
		if errA == nil {
			vals = append(vals, a)
		}
		if errB == nil {
			vals = append(vals, b)
		}
		u, _ := mergeUnknown(cc.e, vals...)
		if u.Source != t.Source {
			// A branch is more significant (say, a secret); say why the
			// choice is unknown too.
			u.Reason += "; chosen by a condition not known before deployment"
		}
		return u, nil
	}
	return nil, cc.errorf("the condition must be a bool, not %s", TypeName(cond))
}

func logical(cc *callCtx, short bool) (Value, error) {
	var unknowns []Value
	for i := range cc.c.Args {
		v, err := cc.evalArg(i)
		if err != nil {
			return nil, err
		}
		switch t := v.(type) {
		case bool:
			if t == short {
				return short, nil
			}
		case Unknown:
			unknowns = append(unknowns, t)
		default:
			return nil, cc.errorf("argument %d must be a bool, not %s", i+1, TypeName(v))
		}
	}
	if u, ok := mergeUnknown(cc.e, unknowns...); ok {
		return u, nil
	}
	return !short, nil
}

func fnAnd(cc *callCtx) (Value, error) { return logical(cc, false) }

func fnOr(cc *callCtx) (Value, error) { return logical(cc, true) }

func fnCoalesce(cc *callCtx) (Value, error) {
	for i := range cc.c.Args {
		v, err := cc.evalArg(i)
		if err != nil {
			return nil, err
		}
		if u, ok := v.(Unknown); ok {
			// Null or not is known only at deployment.
			return u, nil
		}
		if v != nil {
			return v, nil
		}
	}
	return nil, nil
}

func fnFail(cc *callCtx, args []Value) (Value, error) {
	msg := "the template calls fail()"
	if s, ok := args[0].(string); ok {
		msg = s
	}
	return nil, cc.errorf("%s", msg)
}

// Comparison.

func fnEquals(cc *callCtx, args []Value) (Value, error) {
	return equal(cc.e, args[0], args[1]), nil
}

func fnNot(cc *callCtx, args []Value) (Value, error) {
	b, err := cc.boolean(args[0], 0)
	if err != nil {
		return nil, err
	}
	return !b, nil
}

func compareFn(ok func(int) bool) func(*callCtx, []Value) (Value, error) {
	return func(cc *callCtx, args []Value) (Value, error) {
		c, err := compareValues(cc, args[0], args[1])
		if err != nil {
			return nil, err
		}
		return ok(c), nil
	}
}

func compareValues(cc *callCtx, a, b Value) (int, error) {
	if x, ok := a.(string); ok {
		y, ok := b.(string)
		if !ok {
			return 0, cc.errorf("cannot compare a string with %s", TypeName(b))
		}
		return strings.Compare(x, y), nil
	}
	x, okA := toFloat(a)
	y, okB := toFloat(b)
	if !okA || !okB {
		return 0, cc.errorf("can compare only two numbers or two strings, not %s and %s", TypeName(a), TypeName(b))
	}
	if xi, ok := a.(int64); ok {
		if yi, ok := b.(int64); ok {
			switch {
			case xi < yi:
				return -1, nil
			case xi > yi:
				return 1, nil
			}
			return 0, nil
		}
	}
	switch {
	case x < y:
		return -1, nil
	case x > y:
		return 1, nil
	}
	return 0, nil
}

func toFloat(v Value) (float64, bool) {
	switch t := v.(type) {
	case int64:
		return float64(t), true
	case float64:
		return t, true
	}
	return 0, false
}

// Conversions.

func fnBool(cc *callCtx, args []Value) (Value, error) {
	switch t := args[0].(type) {
	case bool:
		return t, nil
	case int64:
		return t != 0, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, cc.errorf("cannot convert %q to a bool", t)
	}
	return nil, cc.errorf("cannot convert %s to a bool", TypeName(args[0]))
}

func fnInt(cc *callCtx, args []Value) (Value, error) {
	switch t := args[0].(type) {
	case int64:
		return t, nil
	case float64:
		if math.IsNaN(t) || math.Abs(t) >= 1<<63 {
			return nil, cc.errorf("%v is out of the integer range", t)
		}
		return int64(t), nil
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
		if err != nil {
			return nil, cc.errorf("cannot convert %q to an integer", t)
		}
		return i, nil
	}
	return nil, cc.errorf("cannot convert %s to an integer", TypeName(args[0]))
}

func fnFloat(cc *callCtx, args []Value) (Value, error) {
	switch t := args[0].(type) {
	case int64:
		return float64(t), nil
	case float64:
		return t, nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil {
			return nil, cc.errorf("cannot convert %q to a float", t)
		}
		return f, nil
	}
	return nil, cc.errorf("cannot convert %s to a float", TypeName(args[0]))
}

// scalarString renders a scalar the way ARM does inside strings: booleans
// as .NET prints them ("True"), null as "".
func scalarString(v Value) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case int64:
		return strconv.FormatInt(t, 10), true
	case float64:
		return formatFloat(t), true
	case bool:
		if t {
			return "True", true
		}
		return "False", true
	case nil:
		return "", true
	}
	return "", false
}

func fnString(cc *callCtx, args []Value) (Value, error) {
	if s, ok := scalarString(args[0]); ok {
		return cc.checkString(s)
	}
	s, err := toJSON(cc.e, args[0])
	if err != nil {
		return nil, cc.errorf("%v", err)
	}
	return cc.checkString(s)
}

func fnJSON(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	v, err := DecodeJSON([]byte(s))
	if err != nil {
		return nil, cc.errorf("%v", err)
	}
	return v, nil
}

func fnArray(cc *callCtx, args []Value) (Value, error) {
	if a, ok := args[0].([]any); ok {
		return a, nil
	}
	return []any{args[0]}, nil
}

// Scope lookups.

func isSecureType(t string) bool {
	switch strings.ToLower(t) {
	case "securestring", "secureobject":
		return true
	}
	return false
}

func fnParameters(cc *callCtx, args []Value) (Value, error) {
	name, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	if fn := cc.fr.fn; fn != nil {
		v, ok := fn.params[strings.ToLower(name)]
		if !ok {
			return nil, cc.errorf("user-defined function %s has no parameter %q", fn.name, name)
		}
		return v, nil
	}
	return templateParameter(cc.e, cc.fr, cc.c, name)
}

// templateParameter is parameters(name) outside user functions; the
// callCtx of c is made only for an error.
func templateParameter(e *Evaluator, fr *frame, c *Call, name string) (Value, error) {
	p, err := e.ctx.Parameter(name)
	if err != nil {
		cc := &callCtx{e: e, fr: fr, c: c, name: "parameters"}
		if errors.Is(err, ErrNotFound) {
			return nil, cc.wrap(fmt.Sprintf("parameter %q is not declared", name), err)
		}
		return nil, cc.wrap(fmt.Sprintf("parameter %q", name), err)
	}
	if !p.HasValue {
		if isSecureType(p.Type) {
			return Unknown{Source: SourceSecure, Reason: fmt.Sprintf("secure parameter %q has no value", name), Ref: name, Attribute: "parameters"}, nil
		}
		return Unknown{Source: SourceParameter, Reason: fmt.Sprintf("parameter %q has no value", name), Ref: name, Attribute: "parameters"}, nil
	}
	return p.Value, nil
}

func fnVariables(cc *callCtx, args []Value) (Value, error) {
	name, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	if fn := cc.fr.fn; fn != nil {
		return nil, cc.errorf("user-defined function %s cannot use variables", fn.name)
	}
	return templateVariable(cc.e, cc.fr, cc.c, name)
}

// templateVariable is variables(name) outside user functions; the
// callCtx of c is made only for an error.
func templateVariable(e *Evaluator, fr *frame, c *Call, name string) (Value, error) {
	v, err := e.ctx.Variable(name)
	if err != nil {
		cc := &callCtx{e: e, fr: fr, c: c, name: "variables"}
		if errors.Is(err, ErrNotFound) {
			return nil, cc.wrap(fmt.Sprintf("variable %q is not declared", name), err)
		}
		return nil, cc.wrap(fmt.Sprintf("variable %q", name), err)
	}
	return v, nil
}

func fnLambdaVariables(cc *callCtx, args []Value) (Value, error) {
	name, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	for l := cc.fr.lambdas; l != nil; l = l.next {
		if strings.EqualFold(l.name, name) {
			return l.val, nil
		}
	}
	return nil, cc.errorf("no lambda variable %q in scope", name)
}

func fnCopyIndex(cc *callCtx, args []Value) (Value, error) {
	loop := ""
	var offset int64
	switch len(args) {
	case 1:
		switch t := args[0].(type) {
		case string:
			loop = t
		default:
			o, err := cc.integer(args, 0)
			if err != nil {
				return nil, cc.errorf("argument 1 must be a loop name or an offset, not %s", TypeName(args[0]))
			}
			offset = o
		}
	case 2:
		s, err := cc.str(args, 0)
		if err != nil {
			return nil, err
		}
		loop = s
		o, err := cc.integer(args, 1)
		if err != nil {
			return nil, err
		}
		offset = o
	}
	i, ok := cc.e.ctx.CopyIndex(loop)
	if !ok {
		if loop != "" {
			return nil, cc.errorf("no copy loop named %q is being evaluated", loop)
		}
		return nil, cc.errorf("used outside a copy loop")
	}
	return i + offset, nil
}
