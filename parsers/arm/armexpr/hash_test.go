package armexpr

import "testing"

func TestUniqueString(t *testing.T) {
	// Values returned by Azure Resource Manager deployments (and Bicep).
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"aaa"}, "zavj67f3en4hc"},
		{[]string{"bbb"}, "w5eragfxe33cy"},
		{[]string{"zzz"}, "cryksdzzzawae"},
		{[]string{"xxx", "yyy", "zzz"}, "lghi7k5js7itq"},
		{[]string{"test"}, "rbgf3xv4ufgzg"},
		{[]string{"hello", "world"}, "a7wkljktk6wne"},
		{[]string{"abc"}, "cgtzqvhu4i23s"},
		{[]string{"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg"}, "bmg7c6xu4tw46"},
		{[]string{"foo", "bar", "baz"}, "xzi4ioaxtmth4"},
	}
	for _, tt := range tests {
		args := make([]Value, len(tt.args))
		expr := "[uniqueString("
		for i, a := range tt.args {
			args[i] = a
			if i > 0 {
				expr += ", "
			}
			expr += "'" + a + "'"
		}
		expr += ")]"
		got := evalOK(t, NopContext{}, expr)
		if got != tt.want {
			t.Errorf("%s = %v, want %s", expr, got, tt.want)
		}
	}
}

func TestGUID(t *testing.T) {
	// guid('test', 'value') as returned by ARM (AzExpression module docs).
	if got := evalOK(t, NopContext{}, "[guid('test', 'value')]"); got != "95b33d6a-06a0-5961-9b94-a0f6c648352b" {
		t.Errorf("guid('test', 'value') = %v", got)
	}
	g := GUID("")
	if len(g) != 36 || g[14] != '5' {
		t.Errorf("GUID(\"\") = %s, want a version 5 UUID", g)
	}
}

func evalOK(t *testing.T, ctx Context, expr string) Value {
	t.Helper()
	v, err := NewEvaluator(ctx, Options{}).EvalString(expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
