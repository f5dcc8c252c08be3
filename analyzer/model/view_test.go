package model

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestViewInheritsOwnerRangeAndRedacts(t *testing.T) {
	block := Range{Filename: "main.tf", Start: Pos{Line: 3, Column: 1}}
	app := &FunctionApp{Resource: Resource{Address: "azurerm_linux_function_app.a", Type: "azurerm_linux_function_app", Range: block}}
	app.HTTPSOnly = Defaulted(false, Range{}, "", "provider default")
	app.SiteConfig.MinTLSVersion = Set("1.0", Range{Filename: "main.tf", Start: Pos{Line: 9, Column: 5}}, app.Address)
	app.AppSettings.Items = []*Setting{{Name: Set("DB_PASSWORD", block, app.Address), Value: Set(Sensitive("hunter2"), block, app.Address)}}

	n := View(app)
	if got := n.Lookup("address").Str; got != app.Address {
		t.Errorf("address = %q", got)
	}
	https := n.Lookup("https_only")
	if https.Meta.Range.Start.Line != 3 || https.Meta.Origin != Default || https.Meta.Resource != app.Address {
		t.Errorf("defaulted https_only meta = %+v, want the block's range", https.Meta)
	}
	if got := n.Lookup("site_config.min_tls_version").Meta.Range.Start.Line; got != 9 {
		t.Errorf("min_tls_version line = %d, want 9", got)
	}
	// A field no parser filled is unknown and blamed on the resource block.
	if m := n.Lookup("client_cert_enabled").Meta; m.Origin != Unknown || m.Range.Start.Line != 3 {
		t.Errorf("unfilled field meta = %+v", m)
	}
	if got := n.Lookup("app_settings[0].value"); got == nil || got.Str != "hunter2" || !got.Sensitive {
		t.Fatalf("app_settings[0].value = %+v", got)
	}
	if n.Lookup("storage_account").Kind != KindNull {
		t.Error("nil storage account should be a null node")
	}
	native := n.Native().(map[string]any)
	if native["https_only"] != false || native["storage_account"] != nil {
		t.Errorf("native view wrong: https_only=%v storage=%v", native["https_only"], native["storage_account"])
	}
	out, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "hunter2") || !strings.Contains(string(out), Redacted) {
		t.Errorf("JSON view leaks or misses redaction: %s", out)
	}
	if !json.Valid(out) {
		t.Errorf("invalid JSON: %s", out)
	}
}

func TestLookupPaths(t *testing.T) {
	n := View(&FunctionApp{SiteConfig: SiteConfig{CORS: CORS{AllowedOrigins: List[String]{Items: []String{{V: "a"}, {V: "*"}}}}}})
	if got := n.Lookup("site_config.cors.allowed_origins[1]"); got == nil || got.Str != "*" {
		t.Fatalf("indexed lookup = %+v", got)
	}
	for _, p := range []string{"nope", "site_config.cors.allowed_origins[5]", "https_only.x"} {
		if n.Lookup(p) != nil {
			t.Errorf("Lookup(%q) should be nil", p)
		}
	}
}

// TestViewAllocations: a view allocates its nodes, in slabs of 64, and
// their member and element slices, nothing per value besides (no boxed
// Meta or Resource, no growing field lists).
func TestViewAllocations(t *testing.T) {
	block := Range{Filename: "main.tf", Start: Pos{Line: 3, Column: 1}}
	app := &FunctionApp{Resource: Resource{Address: "azurerm_linux_function_app.a", Type: "azurerm_linux_function_app", Range: block}}
	app.AppSettings.Items = []*Setting{{Name: Set("A", block, app.Address)}, {Name: Set("B", block, app.Address)}}
	var vw Viewer
	n := vw.View(app)
	nodes, slices := 0, 0
	n.Walk(func(_ string, x *Node) {
		nodes++
		if len(x.Fields) > 0 || len(x.Items) > 0 {
			slices++
		}
	})
	got := testing.AllocsPerRun(20, func() { vw.View(app) })
	if want := float64((nodes+63)/64 + slices); got > want {
		t.Errorf("%v allocations for %d nodes and %d member or element lists", got, nodes, slices)
	}
}

// TestViewInReusesNodes: views built in a ViewBuffer, one after the
// other, are the views View builds, and once the buffer has held the
// largest, allocate nothing: the nodes and their member and element lists
// are those of the views before, cleared.
func TestViewInReusesNodes(t *testing.T) {
	block := Range{Filename: "main.tf", Start: Pos{Line: 3, Column: 1}}
	apps := make([]*FunctionApp, 3)
	for i := range apps {
		apps[i] = &FunctionApp{Resource: Resource{Address: "azurerm_linux_function_app.a" + strconv.Itoa(i), Type: "azurerm_linux_function_app", Range: block}}
		for j := range 40 * i {
			apps[i].AppSettings.Items = append(apps[i].AppSettings.Items, &Setting{Name: Set("S"+strconv.Itoa(j), block, apps[i].Address)})
		}
	}
	var vw Viewer
	var buf ViewBuffer
	for _, i := range []int{2, 0, 1, 2} {
		buf.Reset()
		if got, want := vw.ViewIn(&buf, apps[i]), vw.View(apps[i]); !reflect.DeepEqual(got, want) {
			t.Fatalf("app %d: the view in a buffer differs from View's", i)
		}
	}
	got := testing.AllocsPerRun(20, func() {
		for _, i := range []int{1, 2, 0} {
			buf.Reset()
			vw.ViewIn(&buf, apps[i])
		}
	})
	if got > 0 {
		t.Errorf("%v allocations for three views in a buffer that held them before", got)
	}
	// A view's lists are its own: appending to one does not write into
	// the next list in the slab.
	buf.Reset()
	n := vw.ViewIn(&buf, apps[1])
	settings := n.Get("app_settings")
	first := settings.Items[0].Fields[0]
	_ = append(settings.Items[0].Fields, Field{Name: "extra"})
	if settings.Items[0].Fields[0] != first || settings.Items[1].Fields[0].Name == "extra" {
		t.Error("appending to a view's field list wrote into another list")
	}
}

// TestNodesIsWalkOrder: Nodes yields what Walk visits, in the same order,
// and stops when asked.
func TestNodesIsWalkOrder(t *testing.T) {
	block := Range{Filename: "main.tf", Start: Pos{Line: 3, Column: 1}}
	app := &FunctionApp{Resource: Resource{Address: "azurerm_linux_function_app.a", Type: "azurerm_linux_function_app", Range: block}}
	app.AppSettings.Items = []*Setting{{Name: Set("A", block, app.Address)}, {Name: Set("B", block, app.Address)}}
	app.SiteConfig.CORS.AllowedOrigins.Items = []String{{V: "a"}, {V: "*"}}
	n := View(app)
	var walked, ranged []*Node
	n.Walk(func(_ string, x *Node) { walked = append(walked, x) })
	for x := range n.Nodes() {
		ranged = append(ranged, x)
	}
	if len(walked) < 10 || len(ranged) != len(walked) {
		t.Fatalf("Nodes gave %d nodes, Walk %d", len(ranged), len(walked))
	}
	for i := range walked {
		if walked[i] != ranged[i] {
			t.Fatalf("node %d differs", i)
		}
	}
	count := 0
	for range n.Nodes() {
		count++
		if count == 3 {
			break
		}
	}
	if count != 3 {
		t.Errorf("stopped after %d nodes, want 3", count)
	}
}

// BenchmarkViewIn is what the engine does for each function app: build
// its view in the buffer the app before used.
func BenchmarkViewIn(b *testing.B) {
	block := Range{Filename: "main.tf", Start: Pos{Line: 3, Column: 1}}
	app := &FunctionApp{Resource: Resource{Address: "azurerm_linux_function_app.a", Type: "azurerm_linux_function_app", Range: block}}
	for j := range 20 {
		app.AppSettings.Items = append(app.AppSettings.Items, &Setting{Name: Set("S"+strconv.Itoa(j), block, app.Address), Value: Set(Sensitive("v"), block, app.Address)})
	}
	app.StorageAccount = &StorageAccount{Resource: Resource{Address: "azurerm_storage_account.s", Type: "azurerm_storage_account", Range: block}}
	var vw Viewer
	var buf ViewBuffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		vw.ViewIn(&buf, app)
	}
}

// hintA and hintB are two struct types met at the same place of a view
// (TestViewHintsFollowTypes).
type hintA struct{ A string }
type hintB struct {
	B int
	C bool
}

type hintOuter struct {
	X any
	L []any
}

// TestViewHintsFollowTypes: a place of a view that holds structs of
// different types, from one value to the next (a field of interface
// type) or within one list, views each as its own type, whatever the
// Viewer saw there before: the views are those a new Viewer builds.
func TestViewHintsFollowTypes(t *testing.T) {
	values := []hintOuter{
		{X: hintA{A: "a"}, L: []any{hintA{A: "x"}, hintB{B: 1, C: true}, &hintA{A: "y"}}},
		{X: &hintB{B: 2}, L: []any{hintB{B: 3}, hintA{A: "z"}}},
		{X: hintA{A: "b"}, L: []any{hintB{B: 4}, hintB{B: 5}, hintA{}}},
	}
	var vw Viewer
	var buf ViewBuffer
	for round := range 2 {
		for i, v := range values {
			buf.Reset()
			want := new(Viewer).View(v)
			if got := vw.ViewIn(&buf, v); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, value %d: the view differs from a new Viewer's", round, i)
			}
			if got := vw.View(v); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, value %d: View differs from a new Viewer's", round, i)
			}
		}
	}
	// And as its own type: a hintB after a hintA has B and C.
	n := vw.View(values[0])
	if el := n.Get("L").Items[1]; el.Get("C") == nil || el.Get("B").Int != 1 || el.Get("A") != nil {
		t.Errorf("element 1 of L is not viewed as a hintB: %+v", el.Fields)
	}
	if x := vw.View(values[1]).Get("X"); x.Get("B") == nil || x.Get("A") != nil {
		t.Errorf("X of value 1 is not viewed as a hintB: %+v", x.Fields)
	}
}
