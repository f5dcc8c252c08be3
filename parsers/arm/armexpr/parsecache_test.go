package armexpr

import (
	"fmt"
	"reflect"
	"testing"
)

// TestEvaluatorParseCaches: Evaluator.Parse gives what Parse gives, parses
// each distinct expression once for itself and for the evaluations (the
// same Node every time, also after EvalString parsed it), keeps no
// failure, and holds at most maxCache expressions.
func TestEvaluatorParseCaches(t *testing.T) {
	e := NewEvaluator(nil, Options{})
	const s = "[concat('a', parameters('p'), 'b')]"
	n1, err := e.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(n1, want) {
		t.Errorf("Evaluator.Parse = %#v, Parse = %#v", n1, want)
	}
	n2, _ := e.Parse(s)
	if n1 != n2 {
		t.Error("the same expression was parsed twice")
	}
	const ev = "[concat('x', 'y')]"
	if v, err := e.EvalString(ev); err != nil || v != "xy" {
		t.Fatalf("EvalString = %v, %v", v, err)
	}
	if e.cache[ev] == nil {
		t.Fatal("EvalString did not keep its parse")
	}
	if n, _ := e.Parse(ev); n != e.cache[ev] {
		t.Error("Parse after EvalString parsed again")
	}
	if _, err := e.Parse("[concat('a'"); err == nil {
		t.Error("a broken expression parsed")
	}
	if _, ok := e.cache["[concat('a'"]; ok {
		t.Error("a failure was cached")
	}
	for i := range maxCache + 10 {
		if _, err := e.Parse(fmt.Sprintf("[add(%d, 1)]", i)); err != nil {
			t.Fatal(err)
		}
		if len(e.cache) > maxCache {
			t.Fatalf("%d expressions cached, more than %d", len(e.cache), maxCache)
		}
	}
}
