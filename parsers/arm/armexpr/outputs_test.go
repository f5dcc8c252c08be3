package armexpr

import (
	"strings"
	"testing"
)

// outputsCtx knows the outputs of one deployment, "plan".
type outputsCtx struct {
	NopContext
	asked []string
}

func (c *outputsCtx) DeploymentOutput(ref, name string) (Value, bool) {
	c.asked = append(c.asked, ref+" "+name)
	if !strings.HasSuffix(strings.ToLower(ref), "plan") || name != "id" {
		return nil, false
	}
	return "/plans/asp", true
}

func TestDeploymentOutput(t *testing.T) {
	tests := []struct {
		expr  string
		want  Value
		known bool
	}{
		{`[reference('plan').outputs.id.value]`, "/plans/asp", true},
		{`[reference('plan').outputs['id'].value]`, "/plans/asp", true},
		{`[reference(resourceId('Microsoft.Resources/deployments', 'plan'), '2022-09-01').outputs.id.value]`, "/plans/asp", true},
		{`[concat(reference('plan').outputs.id.value, '/x')]`, "/plans/asp/x", true},
		{`[empty(reference('plan').outputs.id.value)]`, false, true},
		// Not an output value, an unknown output or deployment: unknown.
		{`[reference('plan').outputs.id]`, nil, false},
		{`[reference('plan').outputs.other.value]`, nil, false},
		{`[reference('site').outputs.id.value]`, nil, false},
		{`[reference('plan').properties.outputs.id.value]`, nil, false},
	}
	for _, tt := range tests {
		ctx := &outputsCtx{}
		got, err := NewEvaluator(ctx, Options{}).EvalString(tt.expr)
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		_, unknown := got.(Unknown)
		switch {
		case tt.known && (unknown || !Equal(got, tt.want)):
			t.Errorf("%s = %#v, want %#v", tt.expr, got, tt.want)
		case !tt.known && !unknown:
			t.Errorf("%s = %#v, want unknown", tt.expr, got)
		}
	}
}

func TestOutputName(t *testing.T) {
	for path, want := range map[string]string{
		".outputs.id.value":            "id",
		".outputs['my id'].value":      "my id",
		".outputs['it''s'].value":      "it's",
		".outputs.id":                  "",
		".outputs.a.b.value":           "",
		".properties.outputs.id.value": "",
		".outputs..value":              "",
	} {
		got, ok := outputName(path)
		if ok != (want != "") || got != want {
			t.Errorf("outputName(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
}
