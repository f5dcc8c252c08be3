package armexpr

import "strings"

// Value is an evaluated ARM value: nil, bool, int64, float64, string,
// []any, *Object or Unknown.
type Value = any

// Object is an ARM object: keys keep their first insertion order and are
// looked up case-insensitively (ARM property names are case-insensitive).
// The zero value is an empty object ready to use.
type Object struct {
	keys []string
	vals []Value
	idx  map[string]int // lower-cased key → position
}

// NewObject returns an empty object with room for n keys.
func NewObject(n int) *Object {
	return &Object{keys: make([]string, 0, n), vals: make([]Value, 0, n), idx: make(map[string]int, n)}
}

// Set sets key to v. A key that exists (case-insensitively) keeps its
// position and its original spelling.
func (o *Object) Set(key string, v Value) {
	if o.idx == nil {
		o.idx = map[string]int{}
	}
	lk := strings.ToLower(key)
	if i, ok := o.idx[lk]; ok {
		o.vals[i] = v
		return
	}
	o.idx[lk] = len(o.keys)
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
}

// Get returns the value of key, compared case-insensitively.
func (o *Object) Get(key string) (Value, bool) {
	if o == nil || o.idx == nil {
		return nil, false
	}
	i, ok := o.idx[strings.ToLower(key)]
	if !ok {
		return nil, false
	}
	return o.vals[i], true
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
	// format() or similar, in order: known strings and Unknown values.
	Parts []Value
}

// IsUnknown reports whether v is an Unknown or holds one anywhere inside
// (array elements, object values).
func IsUnknown(v Value) bool {
	switch t := v.(type) {
	case Unknown:
		return true
	case []any:
		for _, e := range t {
			if IsUnknown(e) {
				return true
			}
		}
	case *Object:
		for _, e := range t.vals {
			if IsUnknown(e) {
				return true
			}
		}
	}
	return false
}
