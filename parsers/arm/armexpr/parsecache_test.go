package armexpr

import (
	"fmt"
	"reflect"
	"sync"
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

// TestSharedParseCache: evaluators given the same ParseCache (the
// templates of a scan) share each expression's parse, only under the same
// limits (a tighter limit still refuses a long expression another
// evaluator parsed), never a failure, and at most maxShared expressions;
// evaluating concurrently through it gives each evaluator its own values.
func TestSharedParseCache(t *testing.T) {
	c := NewParseCache()
	a, b := NewEvaluator(nil, Options{Parsed: c}), NewEvaluator(nil, Options{Parsed: c})
	const s = "[concat('a', 'b', 'cdefghij')]"
	na, err := a.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	if nb, _ := b.Parse(s); nb != na {
		t.Error("the second evaluator parsed the expression again")
	}
	short := NewEvaluator(nil, Options{Parsed: c, Limits: Limits{MaxExprLen: 10}})
	if _, err := short.Parse(s); err == nil {
		t.Error("an expression longer than the evaluator's limit was taken from the cache")
	}
	if _, err := a.Parse("[concat('a'"); err == nil {
		t.Error("a broken expression parsed")
	}
	if _, ok := c.get("[concat('a'", a.limits); ok {
		t.Error("a failure was shared")
	}
	for i := range maxShared + 10 {
		c.put(fmt.Sprintf("[add(%d, 1)]", i), a.limits, na)
	}
	n := 0
	c.m.Range(func(any, any) bool { n++; return true })
	if n > maxShared {
		t.Errorf("%d expressions shared, more than %d", n, maxShared)
	}

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			e := NewEvaluator(nil, Options{Parsed: c})
			for i := range 200 {
				expr := fmt.Sprintf("[add(%d, %d)]", i%20, g)
				v, err := e.EvalString(expr)
				if want := int64(i%20 + g); err != nil || v != want {
					t.Errorf("%s = %v, %v; want %d", expr, v, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
}
