package arm

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
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

// TestNewNode: model nodes come from slabs that fill a size class of the
// allocator; each keeps its own value across slabs.
func TestNewNode(t *testing.T) {
	if n := nodeSlab * int(unsafe.Sizeof(model.Node{})); n > 8192 || n < 8192-int(unsafe.Sizeof(model.Node{})) {
		t.Errorf("a slab of %d nodes is %d bytes, not filling 8 KiB", nodeSlab, n)
	}
	l := &loader{}
	var nodes []*model.Node
	for i := range 3*nodeSlab + 1 {
		nodes = append(nodes, l.explicit(model.Node{Kind: model.KindInt, Int: int64(i)}, model.Range{Filename: "f"}))
	}
	seen := map[*model.Node]bool{}
	for i, n := range nodes {
		if n.Int != int64(i) || n.Meta.Origin != model.Explicit || n.Meta.Range.Filename != "f" || seen[n] {
			t.Fatalf("node %d: %+v (seen %v)", i, *n, seen[n])
		}
		seen[n] = true
	}
}

// TestPathOfID: the path after the last /providers/, found in any case,
// as lower-casing the id finds it.
func TestPathOfID(t *testing.T) {
	for _, id := range []string{
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app",
		"/subscriptions/s/resourceGroups/rg/PROVIDERS/Microsoft.Web/sites/app/Providers/Microsoft.Insights/diagnosticSettings/d",
		"Microsoft.Web/sites/app", " /providers/ ", "/providers/", "providers/x", "/provider/x", "", "/x/providers",
		"/subscriptions/s/resourceGroups/é/providers/Microsoft.Web/sites/app", "/İ/providers/Microsoft.Web/sites/a",
	} {
		want := strings.LastIndex(strings.ToLower(id), "/providers/")
		if got := lastProviders(id); got != want {
			t.Errorf("lastProviders(%q) = %d, want %d", id, got, want)
		}
	}
	if got := pathOfID(" /subscriptions/s/resourceGroups/rg/Providers/Microsoft.Web/sites/app/ "); got != "Microsoft.Web/sites/app" {
		t.Errorf("pathOfID = %q", got)
	}
}
