package model

import (
	"encoding/json"
	"reflect"
	"testing"
)

func rng(file string, line int) Range {
	return Range{Filename: file, Start: Pos{Line: line, Column: 1}}
}

// Extending a trail leaves it unchanged, so two values derived from one
// variable share its hops and each gets its own continuation.
func TestTrailIsImmutableAndShared(t *testing.T) {
	tfvars := Hop{Kind: HopVarFile, Name: "https_only", Range: rng("envs/dev/terraform.tfvars", 1)}
	root := TrailOf(tfvars, Hop{Kind: HopVariable, Name: "var.https_only", Range: rng("envs/dev/variables.tf", 3)})
	a := root.Then(Hop{Kind: HopModuleArgument, Name: "module.app", Range: rng("envs/dev/main.tf", 4)})
	b := root.Then(Hop{Kind: HopLocal, Name: "local.x", Range: rng("envs/dev/main.tf", 9)})
	if root.Len() != 2 || a.Len() != 3 || b.Len() != 3 {
		t.Fatalf("lengths %d %d %d", root.Len(), a.Len(), b.Len())
	}
	if o, _ := a.Origin(); o != tfvars {
		t.Errorf("origin = %+v", o)
	}
	if l, _ := b.Last(); l.Name != "local.x" {
		t.Errorf("last = %+v", l)
	}
	if got := a.Hops(); got[0] != tfvars || got[2].Kind != HopModuleArgument {
		t.Errorf("hops = %+v", got)
	}
	if root.Then(Hop{Kind: HopVariable, Name: "var.https_only", Range: rng("envs/dev/variables.tf", 3)}) != root {
		t.Error("repeating the last hop must not add one")
	}
	var empty *Trail
	if empty.Len() != 0 || empty.Hops() != nil {
		t.Error("nil trail is empty")
	}
	if _, ok := empty.Origin(); ok {
		t.Error("nil trail has no origin")
	}
	if got := empty.Join(a).Hops(); !reflect.DeepEqual(got, a.Hops()) {
		t.Errorf("join = %+v", got)
	}
}

// Meta.Hops ends at the value's own range: the attribute, or the block
// of a default.
func TestMetaHops(t *testing.T) {
	tr := TrailOf(Hop{Kind: HopVarFile, Name: "tls", Range: rng("a.tfvars", 2)})
	v := SetVia("1.0", rng("main.tf", 7), "azurerm_linux_function_app.a", tr)
	hops := v.Hops()
	if len(hops) != 2 || hops[0].Kind != HopVarFile || hops[1].Kind != HopAttribute || hops[1].Range.Start.Line != 7 {
		t.Errorf("hops = %+v", hops)
	}
	// A trail that ends where the value is, as the attribute would.
	at := SetVia("1.0", rng("main.tf", 7), "azurerm_linux_function_app.a", tr.Then(Hop{Kind: HopVariable, Name: "var.tls", Range: rng("main.tf", 7)}))
	if hops := at.Hops(); len(hops) != 2 || hops[0].Kind != HopVarFile || hops[1].Kind != HopVariable {
		t.Errorf("hops of a trail ending at the value = %+v", hops)
	}
	// Without a trail: the attribute alone.
	if hops := Set("1.0", rng("main.tf", 8), "azurerm_linux_function_app.a").Hops(); len(hops) != 1 || hops[0].Kind != HopAttribute || hops[0].Range.Start.Line != 8 {
		t.Errorf("hops without a trail = %+v", hops)
	}
	d := Defaulted(false, rng("main.tf", 1), "azurerm_linux_function_app.a", "not set")
	if hops := d.Hops(); len(hops) != 1 || hops[0].Kind != HopDefault || hops[0].Range.Start.Line != 1 {
		t.Errorf("default hops = %+v", hops)
	}
	out, err := json.Marshal(v.Meta)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Trail []Hop `json:"trail"`
	}
	if err := json.Unmarshal(out, &back); err != nil || len(back.Trail) != 1 || back.Trail[0].Name != "tls" {
		t.Errorf("json %s: %+v %v", out, back, err)
	}
}
