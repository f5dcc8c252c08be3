package armexpr

import (
	"errors"
	"testing"
)

func FuzzEvalString(f *testing.F) {
	for _, tt := range functionTests {
		f.Add(tt.expr)
	}
	for _, s := range []string{
		"[", "]", "[]", "[[", "[[x]", "['", "[''']", "[a.b.c(]", "[x(]", "[x(,)]", "[1.]", "[-]", "[f()[?]]",
		"[parameters('obj').?a?.b?[0]]", "[concat(", "[format('{', 1)]", "[format('{0:D99}', 1)]", "[format('{0,99999}', 1)]",
		"[resourceId('a/b/c/d', 'x', 'y', 'z')]", "[split('', createArray(''))]", "[substring('é😀', 1, 1)]",
		"[json('[[[[[[[[[[[[[[[[[[[[')]", "[range(2147483647, 1)]", "[padLeft('', 1000000000)]", "[listKeys()]",
		"[copyIndex(createArray())]", "[contoso.pair(1, 'x')]", "[sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ev, _ := newTestEvaluator(Options{Limits: Limits{MaxSteps: 20000, MaxItems: 1000, MaxStringLen: 1 << 16}})
		v, err := ev.EvalString(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%q: error %T %v is not an *Error", s, err, err)
			}
			if e.Offset < 0 || e.Offset > len(s) {
				t.Fatalf("%q: offset %d outside the string", s, e.Offset)
			}
			return
		}
		if _, ok := v.(*lambdaValue); ok {
			t.Fatalf("%q: a lambda escaped", s)
		}
		if !IsUnknown(v) {
			if _, err := ToJSON(v); err != nil {
				t.Fatalf("%q: result %#v does not serialise: %v", s, v, err)
			}
		}
		if IsExpression(s) {
			if _, err := Parse(s); err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("%q: parse error %v is not an *Error", s, err)
				}
			}
		}
	})
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,2.5,"x",null,true]}`, `"\u00e9"`, `1e400`, `{"a":1,"A":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := DecodeJSON([]byte(s))
		if err != nil {
			return
		}
		out, err := ToJSON(v)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if _, err := DecodeJSON([]byte(out)); err != nil {
			t.Fatalf("%q: re-decoding %q: %v", s, out, err)
		}
	})
}
