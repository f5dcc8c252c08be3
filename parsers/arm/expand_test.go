package arm

import (
	"strings"
	"testing"
)

// TestInterleave: the resource path of a type and a name pairs their
// segments as splitting both on '/' does, and is "" when they do not pair
// up.
func TestInterleave(t *testing.T) {
	split := func(typ, name string) string {
		ts, ns := strings.Split(typ, "/"), strings.Split(name, "/")
		if len(ts) < 2 || len(ts)-1 != len(ns) {
			return ""
		}
		out := ts[0]
		for i, n := range ns {
			out += "/" + ts[i+1] + "/" + n
		}
		return out
	}
	types := []string{"", "/", "Microsoft.Web", "Microsoft.Web/sites", "Microsoft.Web/sites/config", "a/b/c/d", "a//b", "/a/", "a/"}
	names := []string{"", "/", "app", "app/web", "app/web/x", "a//b", "/x", "x/"}
	for _, typ := range types {
		for _, name := range names {
			if got, want := interleave(typ, name), split(typ, name); got != want {
				t.Errorf("interleave(%q, %q) = %q, want %q", typ, name, got, want)
			}
		}
	}
	if got := interleave("Microsoft.Web/sites/config", "app/web"); got != "Microsoft.Web/sites/app/config/web" {
		t.Errorf("interleave = %q", got)
	}
}
