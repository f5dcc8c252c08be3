package terraform

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// ordinaryModule is a module whose evaluation spends well below
// limits.EvalAllowance but far more than nothing: for expressions over a
// few hundred items, and a function app whose name depends on them.
func ordinaryModule(i int) string {
	return `locals {
  ids      = [for n in range(400) : "fn-` + strconv.Itoa(i) + `-${n}"]
  settings = { for n, id in local.ids : id => "value-${n}" }
}

resource "azurerm_linux_function_app" "app" {
  name         = "func-` + strconv.Itoa(i) + `-${length(local.ids)}"
  app_settings = local.settings
}
`
}

// heavyModule spends about 2^(n+2) string bytes doubling a string.
func heavyModule(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  v0 = \"ab\"\n")
	for i := 1; i <= n; i++ {
		p := "local.v" + strconv.Itoa(i-1)
		b.WriteString("  v" + strconv.Itoa(i) + " = \"${" + p + "}${" + p + "}\"\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// wantOrdinary fails unless the tree of ordinaryModule(i) was evaluated
// whole: no diagnostic, its values known.
func wantOrdinary(t *testing.T, i int, mod *model.Module, diags model.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		t.Errorf("ordinary module %d: diagnostic %q: %s", i, d.Summary, d.Detail)
	}
	a := app(t, mod, "azurerm_linux_function_app.app")
	if want := "func-" + strconv.Itoa(i) + "-400"; a.Name.Origin != model.Explicit || a.Name.V != want {
		t.Errorf("ordinary module %d: name %q (%v), want %q known", i, a.Name.V, a.Name.Origin, want)
	}
}

// treeSpends loads dir as Load does, on a loader of its own without a
// scan budget, and returns what its tree spent.
func treeSpends(dir string, lim limits.Limits) int64 {
	return builtTree(dir, lim).eval.spent
}

// builtTree loads dir as Load does, on a loader of its own without a
// scan budget, and returns its tree.
func builtTree(dir string, lim limits.Limits) *tree {
	l := NewLoader(Options{Limits: lim})
	tr := newTree(context.Background(), l, dir)
	defer l.done(tr)
	s := tr.root
	s.cfg = s.decodeConfig(s.loadFiles())
	s.loadVariables(l.opts)
	s.evalLocals()
	b := newBuilder(s, &model.Module{Format: model.Terraform, Path: dir})
	b.build()
	b.link()
	return tr
}

// sizeMemo.size is valueSize for any limit, before and after it
// remembers: past the limit the count depends on where it stopped, so
// it is counted again.
func TestSizeMemo(t *testing.T) {
	v := cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal("func-a").Mark(refMark{Address: "x.y", Attribute: "name"}),
		"ids":  cty.TupleVal([]cty.Value{cty.StringVal("abc"), cty.DynamicVal.Mark(sensitiveMark{})}),
		"id":   cty.DynamicVal.Mark(refMark{Address: "x.y", Attribute: "id", Unknown: true}),
	}).Mark(refMark{Address: "x.y"})
	whole := valueSize(v, 1000)
	if whole != 3+6+2+3+1+1 {
		t.Fatalf("valueSize %d, want 16", whole)
	}
	var m sizeMemo
	for _, limit := range []int64{5, whole - 1, 1000, whole, whole - 1, 3, whole, 1 << 40} {
		if got, want := m.size(v, limit), valueSize(v, limit); got != want {
			t.Errorf("limit %d: memo size %d, valueSize %d", limit, got, want)
		}
		if limit >= whole && (!m.exact || m.n != whole) {
			t.Errorf("limit %d: memo holds %d (exact %v), want the whole size %d", limit, m.n, m.exact, whole)
		}
	}
	var none *sizeMemo
	if got := none.size(v, 1000); got != whole {
		t.Errorf("no memo: size %d, want %d", got, whole)
	}
}

// A resource referenced whole, by the collections of for expressions and
// by a for_each in parentheses, is charged with the size its memo
// remembers: the same as when each reference is sized anew, as it is for
// the same references in parentheses (which no memo serves), under every
// budget. (A for_each that is the reference alone is expanded from the
// resource's instances, without its value: forEachResource.)
func TestWholeResourceChargedAsSized(t *testing.T) {
	src := func(ref string) string {
		return `resource "azurerm_linux_function_app" "app" {
  for_each     = { a = 1, bb = 2, ccc = 3 }
  name         = "func-${each.key}"
  app_settings = { K = "v-${each.value}" }
}

resource "azurerm_monitor_diagnostic_setting" "diag" {
  for_each           = (` + ref + `)
  name               = "diag-${each.key}"
  target_resource_id = each.value.id
}

resource "azurerm_monitor_diagnostic_setting" "plain" {
  for_each           = azurerm_linux_function_app.app
  name               = "diag-${each.key}"
  target_resource_id = each.value.id
}

resource "azurerm_role_assignment" "ra" {
  for_each     = { for k, a in ` + ref + ` : k => a if a.name != "" }
  principal_id = each.value.identity[0].principal_id
}

locals {
  hosts = { for k, a in ` + ref + ` : k => a.default_hostname }
  all   = { for k, a in ` + ref + ` : k => a }
  byapp = { for k, a in ` + ref + ` : a.name => a }
  one   = [for k in keys(` + ref + `["a"]) : k]
}
`
	}
	plain := fixture(t, map[string]string{"main.tf": src("azurerm_linux_function_app.app")})
	paren := fixture(t, map[string]string{"main.tf": src("(azurerm_linux_function_app.app)")})
	tr := builtTree(plain, limits.Limits{})
	if r := tr.root.cfg.byAddr["azurerm_linux_function_app.app"]; r == nil || !r.collSize.exact {
		t.Fatal("the collection's size is not remembered")
	}
	if a, b := tr.eval.spent, treeSpends(paren, limits.Limits{}); a != b || a == 0 {
		t.Fatalf("spent %d with memos, %d without", a, b)
	}
	for budget := int64(20); budget < 3000; budget += 13 {
		lim := limits.Limits{EvalBudget: budget}
		if a, b := treeSpends(plain, lim), treeSpends(paren, lim); a != b {
			t.Fatalf("budget %d: spent %d with memos, %d without", budget, a, b)
		}
	}
}

// Issue 13/14: a tree charges the scan's budget only with what it spends
// beyond its allowance. Many ordinary trees together spend far more than
// the scan's budget, yet never touch it: their values do not depend on
// how many trees the scan has, nor on the order they run in.
func TestOrdinaryTreesNeverSpendTheScanBudget(t *testing.T) {
	lim := limits.Limits{EvalBudget: 100_000, ScanEvalBudget: 100_000}
	opts := Options{Limits: lim, ScanBudget: limits.NewBudget(lim)}
	l := NewLoader(opts)
	var total int64
	const n = 40
	for i := range n {
		dir := fixture(t, map[string]string{"main.tf": ordinaryModule(i)})
		mod, diags := l.Load(context.Background(), dir)
		wantOrdinary(t, i, mod, diags)
		spent := treeSpends(dir, lim)
		if spent == 0 || spent > limits.EvalAllowance {
			t.Fatalf("an ordinary tree spends %d, want some but within the allowance %d", spent, limits.EvalAllowance)
		}
		total += spent
	}
	if total <= lim.MaxScanEvalBudget() {
		t.Fatalf("the trees spend %d together, not more than the scan budget %d: the test proves nothing", total, lim.MaxScanEvalBudget())
	}
	if opts.ScanBudget.Exhausted() {
		t.Errorf("%d ordinary trees spending %d together spent the scan budget %d", n, total, lim.MaxScanEvalBudget())
	}
	// Even a spent scan budget leaves them alone.
	if opts.ScanBudget.Charge(lim.MaxScanEvalBudget() + 1) {
		t.Fatal("the scan budget holds after being overspent")
	}
	for i := range 3 {
		mod, diags := l.Load(context.Background(), fixture(t, map[string]string{"main.tf": ordinaryModule(i)}))
		wantOrdinary(t, i, mod, diags)
	}
}

// Heavy trees still share the scan's budget: each charges what it spends
// beyond its allowance, and the one that passes the total says so, once.
func TestHeavyTreesShareTheScanBudget(t *testing.T) {
	lim := limits.Limits{EvalBudget: 300_000, ScanEvalBudget: 300_000}
	opts := Options{Limits: lim, ScanBudget: limits.NewBudget(lim)}
	l := NewLoader(opts)
	var summaries []string
	for i := range 2 { // 2^18 = 262,144 bytes, about 200,000 beyond the allowance each
		_, diags := l.Load(context.Background(), fixture(t, map[string]string{"main.tf": heavyModule(16)}))
		for _, d := range diags {
			summaries = append(summaries, strconv.Itoa(i)+": "+d.Summary)
		}
	}
	if len(summaries) != 1 || summaries[0] != "1: Scan evaluation budget spent" {
		t.Errorf("two heavy trees over a shared budget: diagnostics %q, want one \"Scan evaluation budget spent\" for the second", summaries)
	}
	// A heavy tree alone stays within its own budget.
	lim1 := lim
	if _, diags := LoadDir(context.Background(), fixture(t, map[string]string{"main.tf": heavyModule(16)}), Options{Limits: lim1, ScanBudget: limits.NewBudget(lim1)}); len(diags) != 0 {
		t.Errorf("one heavy tree: diagnostics %v", diags)
	}
}

// evalBudget.charge: the allowance is free, what goes beyond it is
// charged to the scan's budget, and the tree's own budget still holds.
func TestEvalBudgetCharge(t *testing.T) {
	str := func(n int) cty.Value { return cty.StringVal(strings.Repeat("x", n)) }
	lim := limits.Limits{EvalBudget: 1 << 20, ScanEvalBudget: 1 << 20}
	scan := limits.NewBudget(lim)
	a, b := newEvalBudget(lim, scan), newEvalBudget(lim, scan)
	if a.free != limits.EvalAllowance {
		t.Fatalf("allowance %d, want %d", a.free, limits.EvalAllowance)
	}
	// a: its whole budget, of which all but the allowance is charged to
	// the scan's; b: its allowance, free, and what the scan has left.
	if !a.charge(str(limits.EvalAllowance)) || !a.charge(str(1<<20-limits.EvalAllowance)) || a.own() || scan.Exhausted() {
		t.Fatal("a tree's whole budget should hold")
	}
	left := int(lim.MaxScanEvalBudget()) - (1<<20 - limits.EvalAllowance)
	if !b.charge(str(limits.EvalAllowance)) || !b.charge(str(left)) || scan.Exhausted() {
		t.Fatal("the scan's budget should hold what a charged beyond its allowance and what b did")
	}
	if b.charge(str(1)) || !scan.Exhausted() || b.own() {
		t.Error("one more past the allowances should spend the scan budget, not b's own")
	}
	b = newEvalBudget(lim, scan)
	if !b.charge(str(limits.EvalAllowance)) || b.exhausted() {
		t.Error("a tree within its allowance is not bound by a spent scan budget")
	}
	if b.charge(str(1)) || !b.exhausted() {
		t.Error("past its allowance, a spent scan budget binds a tree")
	}
	// A tree's own budget below the allowance: the allowance is the
	// budget, the scan's is never charged.
	small := limits.Limits{EvalBudget: 100}
	c := newEvalBudget(small, scan)
	if c.free != 100 || !c.charge(str(100)) || c.charge(str(1)) || !c.own() {
		t.Errorf("tree budget 100: free %d, spent %d, own %v", c.free, c.spent, c.own())
	}
}
