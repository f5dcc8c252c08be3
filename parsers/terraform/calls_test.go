package terraform

import (
	"reflect"
	"testing"
)

func TestModuleCalls(t *testing.T) {
	cases := []struct {
		module string
		want   []string
	}{
		{"", nil},
		{"module.api", []string{"module.api"}},
		{"module.a.module.b", []string{"module.a", "module.a.module.b"}},
		{`module.a["x.module.y"].module.b[0]`, []string{`module.a["x.module.y"]`, `module.a["x.module.y"].module.b[0]`}},
		{`module.a["q\"]"].module.b`, []string{`module.a["q\"]"]`, `module.a["q\"]"].module.b`}},
		{"nested/deployment", nil},
		{"module.", nil},
		{`module.a["open`, nil},
		{"module.a.x", nil},
	}
	for _, tc := range cases {
		if got := moduleCalls(tc.module); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("moduleCalls(%q) = %q, want %q", tc.module, got, tc.want)
		}
	}
}
