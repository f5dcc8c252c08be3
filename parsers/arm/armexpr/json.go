package armexpr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// DecodeJSON decodes JSON text into Values: objects become *Object in
// source key order, integral numbers int64, other numbers float64. Text
// after the first value is an error.
func DecodeJSON(data []byte) (Value, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	v, err := decodeValue(d, 0)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: text after the value")
	}
	return v, nil
}

const maxJSONDepth = 1000

func decodeValue(d *json.Decoder, depth int) (Value, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("invalid JSON: nested more than %d levels", maxJSONDepth)
	}
	tok, err := d.Token()
	if err != nil {
		return nil, tokenError(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := NewObject(4)
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, tokenError(err)
				}
				k, ok := kt.(string)
				if !ok {
					return nil, errors.New("invalid JSON: object key is not a string")
				}
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				o.Set(k, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, tokenError(err)
			}
			return o, nil
		case '[':
			a := []any{}
			for d.More() {
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, tokenError(err)
			}
			return a, nil
		}
		return nil, fmt.Errorf("invalid JSON: unexpected %v", t)
	case json.Number:
		return numberValue(t)
	case string, bool, nil:
		return t, nil
	}
	return nil, fmt.Errorf("invalid JSON token %v", tok)
}

func tokenError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("invalid JSON: unexpected end")
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

func numberValue(n json.Number) (Value, error) {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("invalid JSON number %s", s)
	}
	return f, nil
}

// normalize converts values of other Go JSON representations
// (map[string]any, json.Number, float64 holding an integer, int, string
// slices) to this package's Values. It does not evaluate anything.
func normalize(v any) (Value, error) {
	switch t := v.(type) {
	case nil, bool, int64, string, Unknown:
		return t, nil
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
			return int64(t), nil
		}
		return t, nil
	case float32:
		return normalize(float64(t))
	case int:
		return int64(t), nil
	case int32:
		return int64(t), nil
	case json.Number:
		return numberValue(t)
	case *Object:
		return t, nil
	case []any:
		return t, nil
	case []string:
		a := make([]any, len(t))
		for i, s := range t {
			a[i] = s
		}
		return a, nil
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		o := NewObject(len(keys))
		for _, k := range keys {
			o.Set(k, t[k])
		}
		return o, nil
	}
	return nil, fmt.Errorf("unsupported value of Go type %T", v)
}

// ToJSON serialises a known value compactly, as ARM's string() does
// ({"a":1,"b":[true,null]}), keeping object key order. An Unknown inside
// is an error.
func ToJSON(v Value) (string, error) {
	return toJSON(nil, v)
}

// toJSON is ToJSON charging each value to e's step budget (e may be nil)
// and bounded by its string length limit.
func toJSON(e *Evaluator, v Value) (string, error) {
	var b strings.Builder
	if err := writeJSON(e, &b, v, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

var errBudget = errors.New("evaluation step budget exhausted")

func writeJSON(e *Evaluator, b *strings.Builder, v Value, depth int) error {
	if depth > maxJSONDepth {
		return fmt.Errorf("value nested more than %d levels", maxJSONDepth)
	}
	if !e.tick() {
		return errBudget
	}
	if e != nil && b.Len() > e.limits.MaxStringLen {
		return fmt.Errorf("result is longer than the limit of %d bytes", e.limits.MaxStringLen)
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case int64:
		b.WriteString(strconv.FormatInt(t, 10))
	case float64:
		b.WriteString(formatFloat(t))
	case string:
		writeJSONString(b, t)
	case []any:
		b.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(e, b, x, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case *Object:
		b.WriteByte('{')
		i := 0
		for k, x := range t.All() {
			if i > 0 {
				b.WriteByte(',')
			}
			i++
			writeJSONString(b, k)
			b.WriteByte(':')
			if err := writeJSON(e, b, x, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case Unknown:
		return errors.New("value is not known before deployment")
	default:
		return fmt.Errorf("invalid value of Go type %T", v)
	}
	return nil
}

func writeJSONString(b *strings.Builder, s string) {
	// encoding/json escapes <, > and & for HTML; ARM (Newtonsoft) does not.
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}

func formatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.Quote(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Equal reports whether two known values are equal the way ARM's equals()
// compares them: strings case-sensitively, numbers by value, arrays element
// by element, objects by keys (case-insensitively) and values. Values
// holding an Unknown compare equal only when structurally identical.
func Equal(a, b Value) bool {
	return equal(nil, a, b)
}

// equal is Equal charging each compared value to e's step budget (e may
// be nil); it reports false once the budget is spent.
func equal(e *Evaluator, a, b Value) bool {
	if !e.tick() {
		return false
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return float64(x) == y
		}
		return false
	case float64:
		switch y := b.(type) {
		case int64:
			return x == float64(y)
		case float64:
			return x == y
		}
		return false
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(e, x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for k, v := range x.All() {
			w, ok := y.Get(k)
			if !ok || !equal(e, v, w) {
				return false
			}
		}
		return true
	case Unknown:
		y, ok := b.(Unknown)
		if !ok || x.Source != y.Source || x.Ref != y.Ref || x.Attribute != y.Attribute || x.Path != y.Path || len(x.Parts) != len(y.Parts) {
			return false
		}
		for i := range x.Parts {
			if !equal(e, x.Parts[i], y.Parts[i]) {
				return false
			}
		}
		return true
	}
	return false
}
