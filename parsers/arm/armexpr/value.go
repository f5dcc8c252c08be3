package armexpr

import (
	"iter"
	"strings"
	"unicode/utf8"
)

// Value is an evaluated ARM value: nil, bool, int64, float64, string,
// []any, *Object or Unknown.
type Value = any

// Object is an ARM object: keys keep their first insertion order and are
// looked up case-insensitively (ARM property names are case-insensitive:
// keys are equal when their strings.ToLower are). The zero value is an
// empty object ready to use.
type Object struct {
	keys []string
	vals []Value
	// idx maps lower-cased keys to positions, built once the object has
	// more than smallObject keys; smaller objects (most of a template's)
	// are searched in order.
	idx map[string]int
}

// smallObject is the most keys an Object holds without an index.
const smallObject = 16

// NewObject returns an empty object with room for n keys.
func NewObject(n int) *Object {
	if n < 0 {
		n = 0
	}
	o := &Object{keys: make([]string, 0, n), vals: make([]Value, 0, n)}
	if n > smallObject {
		o.idx = make(map[string]int, n)
	}
	return o
}

// find returns the position of key, -1 when absent.
func (o *Object) find(key string) int {
	if o.idx != nil {
		if i, ok := o.idx[strings.ToLower(key)]; ok {
			return i
		}
		return -1
	}
	for i, k := range o.keys {
		if sameKey(k, key) {
			return i
		}
	}
	return -1
}

// sameKey reports whether strings.ToLower(a) == strings.ToLower(b),
// without building them while a and b are ASCII: lower-casing keeps an
// ASCII byte in place, so the first ASCII bytes that differ but for case
// tell the keys apart, and an ASCII key that is, but for case, the start
// of a longer one is not equal to it (a character never lowers to
// nothing).
func sameKey(a, b string) bool {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := a[i], b[i]
		if ca|cb >= utf8.RuneSelf {
			// Not strings.EqualFold: it also matches keys that
			// lower-case differently ("ſ" and "s").
			la, lb := strings.ToLower(a), strings.ToLower(b)
			return la == lb
		}
		if ca != cb && lowerASCII(ca) != lowerASCII(cb) {
			return false
		}
	}
	return len(a) == len(b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Set sets key to v. A key that exists (case-insensitively) keeps its
// position and its original spelling.
func (o *Object) Set(key string, v Value) {
	if i := o.find(key); i >= 0 {
		o.vals[i] = v
		return
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	switch {
	case o.idx != nil:
		o.idx[strings.ToLower(key)] = len(o.keys) - 1
	case len(o.keys) > smallObject:
		o.idx = make(map[string]int, 2*len(o.keys))
		for i, k := range o.keys {
			o.idx[strings.ToLower(k)] = i // distinct: find kept them so
		}
	}
}

// Get returns the value of key, compared case-insensitively.
func (o *Object) Get(key string) (Value, bool) {
	if o == nil {
		return nil, false
	}
	i := o.find(key)
	if i < 0 {
		return nil, false
	}
	return o.vals[i], true
}

// Has reports whether the object has key (case-insensitively).
func (o *Object) Has(key string) bool {
	_, ok := o.Get(key)
	return ok
}

// Keys returns the keys in order. The slice must not be modified.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// Len returns the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// All iterates over the keys and values in order.
func (o *Object) All() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		if o == nil {
			return
		}
		for i, k := range o.keys {
			if !yield(k, o.vals[i]) {
				return
			}
		}
	}
}

// clone returns a shallow copy.
func (o *Object) clone() *Object {
	c := NewObject(o.Len())
	for k, v := range o.All() {
		c.Set(k, v)
	}
	return c
}

// Source tells why a value is unknown.
type Source string

// The sources of unknown values.
const (
	// SourceRuntime: known only at deployment (reference(), list*(),
	// utcNow(), newGuid(), deployment-specific data).
	SourceRuntime Source = "runtime"
	// SourceParameter: a parameter with neither a default nor a given value.
	SourceParameter Source = "parameter"
	// SourceSecure: a securestring or secureObject parameter without a value.
	SourceSecure Source = "secure"
	// SourceUnsupported: a function (or form of one) this package does not
	// evaluate. [Evaluator.Unsupported] counts them by name.
	SourceUnsupported Source = "unsupported"
)

// rank orders sources when several unknowns combine into one: the result
// reports the most significant one (unsupported, then secure, runtime,
// parameter).
func (s Source) rank() int {
	switch s {
	case SourceUnsupported:
		return 4
	case SourceSecure:
		return 3
	case SourceRuntime:
		return 2
	case SourceParameter:
		return 1
	}
	return 0
}

// Unknown is a value that cannot be known before deployment.
type Unknown struct {
	Source Source
	// Reason is a short human-readable explanation.
	Reason string
	// Ref is what the value belongs to: for SourceRuntime from reference()
	// and list*() the resource id (or name / symbolic name) given as first
	// argument, "" when that is itself unknown; for SourceParameter and
	// SourceSecure the parameter name; for SourceUnsupported the function.
	Ref string
	// Attribute is the function that produced the value with its canonical
	// spelling, e.g. "listKeys", "reference", "parameters", "utcNow".
	Attribute string
	// Path is the property access applied after the function, in ARM
	// syntax, e.g. ".keys[0].value" or ".outputs.id.value".
	Path string
	// Parts, when set, are the pieces of a string built by concat(),
	// format() or similar, in order: known strings and Unknown values
	// (themselves without Parts).
	Parts []Value
}

// IsUnknown reports whether v is an Unknown or holds one anywhere inside
// (array elements, object values).
func IsUnknown(v Value) bool {
	_, ok := findUnknown(nil, v)
	return ok
}

// FindUnknown returns the most significant Unknown in v (v itself, or one
// inside its arrays and objects); see [Source] for the order.
func FindUnknown(v Value) (Unknown, bool) {
	return findUnknown(nil, v)
}

// findUnknown is FindUnknown charging each visited value to e's step
// budget (e may be nil); it gives up when the budget is spent.
func findUnknown(e *Evaluator, v Value) (Unknown, bool) {
	if !e.tick() {
		return Unknown{}, false
	}
	switch t := v.(type) {
	case Unknown:
		return t, true
	case []any:
		var best Unknown
		found := false
		for _, x := range t {
			if u, ok := findUnknown(e, x); ok && (!found || u.Source.rank() > best.Source.rank()) {
				best, found = u, true
			}
		}
		return best, found
	case *Object:
		var best Unknown
		found := false
		for _, x := range t.vals {
			if u, ok := findUnknown(e, x); ok && (!found || u.Source.rank() > best.Source.rank()) {
				best, found = u, true
			}
		}
		return best, found
	}
	return Unknown{}, false
}

// mergeUnknown returns the most significant unknown among vals (searched
// deeply), without Parts. ok is false when none of vals is unknown.
func mergeUnknown(e *Evaluator, vals ...Value) (Unknown, bool) {
	var best Unknown
	found := false
	for _, v := range vals {
		if u, ok := findUnknown(e, v); ok && (!found || u.Source.rank() > best.Source.rank()) {
			best, found = u, true
		}
	}
	best.Parts = nil
	return best, found
}

// topUnknown is mergeUnknown over the values that are themselves Unknown
// (not the ones holding an Unknown inside).
func topUnknown(vals ...Value) (Unknown, bool) {
	var best Unknown
	found := false
	for _, v := range vals {
		if u, ok := v.(Unknown); ok && (!found || u.Source.rank() > best.Source.rank()) {
			best, found = u, true
		}
	}
	best.Parts = nil
	return best, found
}

// TypeName returns the ARM type name of v: null, bool, int, float, string,
// array, object or unknown.
func TypeName(v Value) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "string"
	case []any:
		return "array"
	case *Object:
		return "object"
	case Unknown:
		return "unknown"
	}
	return "invalid"
}

func isUnknownIn(e *Evaluator, v Value) bool {
	_, ok := findUnknown(e, v)
	return ok
}
