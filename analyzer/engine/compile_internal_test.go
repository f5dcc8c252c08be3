package engine

import (
	"testing"

	"cel.dev/cel-go/cel"
)

// TestHasComprehension: only an expression that iterates (the macros
// all, exists, exists_one, map, filter, at any depth) is evaluated with the
// cost limit; the others, whatever their size, are not.
func TestHasComprehension(t *testing.T) {
	env, err := cel.NewEnv(cel.Variable("s", cel.ListType(cel.StringType)), cel.Variable("x", cel.StringType))
	if err != nil {
		t.Fatal(err)
	}
	for src, want := range map[string]bool{
		`s.exists(v, v == "a")`:                      true,
		`x == "a" || s.all(v, v.startsWith("b"))`:    true,
		`size(s.filter(v, v != "")) > 0`:             true,
		`s.map(v, v + "x") == ["ax"]`:                true,
		`s.exists_one(v, v == "a")`:                  true,
		`x == "a" && size(s) > 2 && x.matches("b+")`: false,
		`"a" in s`: false,
	} {
		ast, iss := env.Compile(src)
		if iss.Err() != nil {
			t.Fatalf("%s: %v", src, iss.Err())
		}
		if got := hasComprehension(ast); got != want {
			t.Errorf("hasComprehension(%s) = %v, want %v", src, got, want)
		}
	}
}
