package armexpr

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

func fnContains(cc *callCtx, args []Value) (Value, error) {
	item := args[1]
	switch t := args[0].(type) {
	case string:
		var find string
		switch x := item.(type) {
		case string:
			find = x
		case int64:
			find = strconv.FormatInt(x, 10)
		default:
			return nil, cc.errorf("cannot look for %s in a string", TypeName(item))
		}
		// The string comparison is case-sensitive (ARM docs).
		return strings.Contains(t, find), nil
	case []any:
		var unknown []Value
		for _, x := range t {
			if equal(cc.e, x, item) {
				return true, nil
			}
			unknown = append(unknown, x)
		}
		if u, ok := mergeUnknown(cc.e, append(unknown, item)...); ok {
			return u, nil
		}
		return false, nil
	case *Object:
		key, ok := item.(string)
		if !ok {
			if u, ok := item.(Unknown); ok {
				return u, nil
			}
			return nil, cc.errorf("an object key must be a string, not %s", TypeName(item))
		}
		// Keys compare case-insensitively.
		return t.Has(key), nil
	case nil:
		return false, nil
	}
	return nil, cc.errorf("argument 1 must be a string, an array or an object, not %s", TypeName(args[0]))
}

func fnEmpty(cc *callCtx, args []Value) (Value, error) {
	switch t := args[0].(type) {
	case nil:
		return true, nil
	case string:
		return t == "", nil
	case []any:
		return len(t) == 0, nil
	case *Object:
		return t.Len() == 0, nil
	}
	return nil, cc.errorf("argument 1 must be a string, an array, an object or null, not %s", TypeName(args[0]))
}

func fnLength(cc *callCtx, args []Value) (Value, error) {
	switch t := args[0].(type) {
	case string:
		return int64(len16(t)), nil
	case []any:
		return int64(len(t)), nil
	case *Object:
		return int64(t.Len()), nil
	}
	return nil, cc.errorf("argument 1 must be a string, an array or an object, not %s", TypeName(args[0]))
}

func fnFirst(cc *callCtx, args []Value) (Value, error) {
	switch t := args[0].(type) {
	case string:
		if t == "" {
			return "", nil
		}
		return slice16(t, 0, 1), nil
	case []any:
		if len(t) == 0 {
			return nil, nil
		}
		return t[0], nil
	}
	return nil, cc.errorf("argument 1 must be a string or an array, not %s", TypeName(args[0]))
}

func fnLast(cc *callCtx, args []Value) (Value, error) {
	switch t := args[0].(type) {
	case string:
		n := len16(t)
		if n == 0 {
			return "", nil
		}
		return slice16(t, n-1, n), nil
	case []any:
		if len(t) == 0 {
			return nil, nil
		}
		return t[len(t)-1], nil
	}
	return nil, cc.errorf("argument 1 must be a string or an array, not %s", TypeName(args[0]))
}

func clamp(n, lo, hi int64) int64 {
	return max(lo, min(n, hi))
}

func takeSkip(cc *callCtx, args []Value, take bool) (Value, error) {
	n, err := cc.integer(args, 1)
	if err != nil {
		return nil, err
	}
	switch t := args[0].(type) {
	case string:
		l := int64(len16(t))
		n = clamp(n, 0, l)
		if take {
			return slice16(t, 0, int(n)), nil
		}
		return slice16(t, int(n), int(l)), nil
	case []any:
		n = clamp(n, 0, int64(len(t)))
		if take {
			return slices.Clone(t[:n]), nil
		}
		return slices.Clone(t[n:]), nil
	}
	return nil, cc.errorf("argument 1 must be a string or an array, not %s", TypeName(args[0]))
}

func fnTake(cc *callCtx, args []Value) (Value, error) { return takeSkip(cc, args, true) }

func fnSkip(cc *callCtx, args []Value) (Value, error) { return takeSkip(cc, args, false) }

func fnCreateArray(cc *callCtx, args []Value) (Value, error) {
	if err := cc.checkItems(len(args)); err != nil {
		return nil, err
	}
	return slices.Clone(args), nil
}

func fnCreateObject(cc *callCtx, args []Value) (Value, error) {
	if len(args)%2 != 0 {
		return nil, cc.errorf("expects an even number of arguments (key, value, …), got %d", len(args))
	}
	o := NewObject(len(args) / 2)
	for i := 0; i < len(args); i += 2 {
		switch k := args[i].(type) {
		case string:
			o.Set(k, args[i+1])
		case Unknown:
			k.Parts = nil
			return k, nil
		default:
			return nil, cc.errorf("argument %d: a key must be a string, not %s", i+1, TypeName(args[i]))
		}
	}
	return o, nil
}

// fnUnion merges arrays (keeping the first occurrence of equal values) or
// objects (later values win; nested objects merge recursively, arrays
// inside objects are replaced). Null arguments are skipped.
func fnUnion(cc *callCtx, args []Value) (Value, error) {
	var kind string
	for i, a := range args {
		switch a.(type) {
		case nil:
		case []any:
			if kind == "object" {
				return nil, cc.errorf("argument %d: cannot mix arrays and objects", i+1)
			}
			kind = "array"
		case *Object:
			if kind == "array" {
				return nil, cc.errorf("argument %d: cannot mix arrays and objects", i+1)
			}
			kind = "object"
		default:
			return nil, cc.errorf("argument %d must be an array or an object, not %s", i+1, TypeName(a))
		}
	}
	switch kind {
	case "array":
		out := []any{}
		for _, a := range args {
			x, _ := a.([]any)
			for _, e := range x {
				if !slices.ContainsFunc(out, func(o Value) bool { return equal(cc.e, o, e) }) {
					out = append(out, e)
				}
			}
			if err := cc.checkItems(len(out)); err != nil {
				return nil, err
			}
		}
		return out, nil
	case "object":
		out := NewObject(0)
		for _, a := range args {
			if x, ok := a.(*Object); ok {
				out = mergeObjects(out, x)
			}
			if err := cc.checkItems(out.Len()); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, nil
}

func mergeObjects(a, b *Object) *Object {
	out := a.clone()
	for k, v := range b.All() {
		if old, ok := out.Get(k); ok {
			oa, ok1 := old.(*Object)
			ob, ok2 := v.(*Object)
			if ok1 && ok2 {
				out.Set(k, mergeObjects(oa, ob))
				continue
			}
		}
		out.Set(k, v)
	}
	return out
}

func fnIntersection(cc *callCtx, args []Value) (Value, error) {
	switch first := args[0].(type) {
	case []any:
		rest := make([][]any, 0, len(args)-1)
		for i, a := range args[1:] {
			x, ok := a.([]any)
			if !ok {
				return nil, cc.errorf("argument %d must be an array, not %s", i+2, TypeName(a))
			}
			rest = append(rest, x)
		}
		out := []any{}
		for _, e := range first {
			if slices.ContainsFunc(out, func(o Value) bool { return equal(cc.e, o, e) }) {
				continue
			}
			inAll := true
			for _, r := range rest {
				if !slices.ContainsFunc(r, func(o Value) bool { return equal(cc.e, o, e) }) {
					inAll = false
					break
				}
			}
			if inAll {
				out = append(out, e)
			}
		}
		return out, nil
	case *Object:
		rest := make([]*Object, 0, len(args)-1)
		for i, a := range args[1:] {
			x, ok := a.(*Object)
			if !ok {
				return nil, cc.errorf("argument %d must be an object, not %s", i+2, TypeName(a))
			}
			rest = append(rest, x)
		}
		out := NewObject(0)
		for k, v := range first.All() {
			inAll := true
			for _, r := range rest {
				w, ok := r.Get(k)
				if !ok || !equal(cc.e, v, w) {
					inAll = false
					break
				}
			}
			if inAll {
				out.Set(k, v)
			}
		}
		return out, nil
	}
	return nil, cc.errorf("argument 1 must be an array or an object, not %s", TypeName(args[0]))
}

// maxRange is ARM's limit on range() counts.
const maxRange = 10000

func fnRange(cc *callCtx, args []Value) (Value, error) {
	start, err := cc.integer(args, 0)
	if err != nil {
		return nil, err
	}
	count, err := cc.integer(args, 1)
	if err != nil {
		return nil, err
	}
	if count < 0 || count > maxRange {
		return nil, cc.errorf("count %d must be between 0 and %d", count, maxRange)
	}
	if start > math.MaxInt32-count || start < math.MinInt32 {
		return nil, cc.errorf("start %d plus count %d is out of range", start, count)
	}
	if err := cc.checkItems(int(count)); err != nil {
		return nil, err
	}
	out := make([]any, count)
	for i := range out {
		out[i] = start + int64(i)
	}
	return out, nil
}

func minMax(sign int) func(*callCtx, []Value) (Value, error) {
	return func(cc *callCtx, args []Value) (Value, error) {
		vals := args
		if len(args) == 1 {
			if a, ok := args[0].([]any); ok {
				vals = a
			}
		}
		if len(vals) == 0 {
			return nil, cc.errorf("needs at least one number")
		}
		var best Value
		for i, v := range vals {
			if _, ok := toFloat(v); !ok {
				return nil, cc.errorf("value %d is %s, not a number", i+1, TypeName(v))
			}
			if best == nil {
				best = v
				continue
			}
			c, err := compareValues(cc, v, best)
			if err != nil {
				return nil, err
			}
			if c*sign > 0 {
				best = v
			}
		}
		return best, nil
	}
}

func fnFlatten(cc *callCtx, args []Value) (Value, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, cc.errorf("argument 1 must be an array, not %s", TypeName(args[0]))
	}
	out := []any{}
	for i, x := range arr {
		switch t := x.(type) {
		case []any:
			out = append(out, t...)
		case Unknown:
			t.Parts = nil
			return t, nil
		default:
			return nil, cc.errorf("element %d is %s, not an array", i, TypeName(x))
		}
		if err := cc.checkItems(len(out)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func fnIndexFromEnd(try bool) func(*callCtx, []Value) (Value, error) {
	return func(cc *callCtx, args []Value) (Value, error) {
		arr, ok := args[0].([]any)
		if !ok {
			if try && args[0] == nil {
				return nil, nil
			}
			return nil, cc.errorf("argument 1 must be an array, not %s", TypeName(args[0]))
		}
		n, err := cc.integer(args, 1)
		if err != nil {
			return nil, err
		}
		if n < 1 || n > int64(len(arr)) {
			if try {
				return nil, nil
			}
			return nil, cc.errorf("reverse index %d is outside the array of length %d", n, len(arr))
		}
		return arr[int64(len(arr))-n], nil
	}
}

// sortedKeys orders keys the way items() lists them: alphabetically,
// case-insensitively, ties broken ordinally.
func sortedKeys(o *Object) []string {
	keys := slices.Clone(o.Keys())
	slices.SortStableFunc(keys, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}

func fnItems(cc *callCtx, args []Value) (Value, error) {
	o, ok := args[0].(*Object)
	if !ok {
		return nil, cc.errorf("argument 1 must be an object, not %s", TypeName(args[0]))
	}
	out := make([]any, 0, o.Len())
	for _, k := range sortedKeys(o) {
		v, _ := o.Get(k)
		item := NewObject(2)
		item.Set("key", k)
		item.Set("value", v)
		out = append(out, item)
	}
	return out, nil
}

func fnObjectKeys(cc *callCtx, args []Value) (Value, error) {
	o, ok := args[0].(*Object)
	if !ok {
		return nil, cc.errorf("argument 1 must be an object, not %s", TypeName(args[0]))
	}
	out := make([]any, 0, o.Len())
	for _, k := range sortedKeys(o) {
		out = append(out, k)
	}
	return out, nil
}

// fnTryGet looks up a chain of keys or indexes, returning null for any
// that is missing.
func fnTryGet(cc *callCtx, args []Value) (Value, error) {
	v := args[0]
	for _, key := range args[1:] {
		if u, ok := v.(Unknown); ok {
			u.Parts = nil
			if s, ok := key.(string); ok {
				u.Path += ".?" + s
			} else {
				u.Path += "?" + pathSegment(key, false)
			}
			v = u
			continue
		}
		if u, ok := key.(Unknown); ok {
			u.Parts = nil
			return u, nil
		}
		switch t := v.(type) {
		case *Object:
			s, ok := key.(string)
			if !ok {
				return nil, nil
			}
			x, ok := t.Get(s)
			if !ok {
				return nil, nil
			}
			v = x
		case []any:
			i, ok := asIndex(key)
			if !ok || i < 0 || i >= int64(len(t)) {
				return nil, nil
			}
			v = t[i]
		default:
			return nil, nil
		}
	}
	return v, nil
}

func fnShallowMerge(cc *callCtx, args []Value) (Value, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, cc.errorf("argument 1 must be an array of objects, not %s", TypeName(args[0]))
	}
	out := NewObject(0)
	for i, x := range arr {
		switch t := x.(type) {
		case nil:
		case *Object:
			for k, v := range t.All() {
				out.Set(k, v)
			}
		case Unknown:
			t.Parts = nil
			return t, nil
		default:
			return nil, cc.errorf("element %d is %s, not an object", i, TypeName(x))
		}
	}
	return out, nil
}

func arith(op byte) func(*callCtx, []Value) (Value, error) {
	return func(cc *callCtx, args []Value) (Value, error) {
		a, err := cc.integer(args, 0)
		if err != nil {
			return nil, err
		}
		b, err := cc.integer(args, 1)
		if err != nil {
			return nil, err
		}
		var r int64
		overflow := false
		switch op {
		case '+':
			r = a + b
			overflow = (a > 0 && b > 0 && r < 0) || (a < 0 && b < 0 && r >= 0)
		case '-':
			r = a - b
			overflow = (a >= 0 && b < 0 && r < 0) || (a < 0 && b > 0 && r >= 0)
		case '*':
			r = a * b
			overflow = a != 0 && (r/a != b || (a == -1 && b == math.MinInt64))
		case '/', '%':
			if b == 0 {
				return nil, cc.errorf("division by zero")
			}
			if a == math.MinInt64 && b == -1 {
				overflow = true
				break
			}
			if op == '/' {
				r = a / b
			} else {
				r = a % b
			}
		}
		if overflow {
			return nil, cc.errorf("integer overflow")
		}
		return r, nil
	}
}
