package main

import (
	"runtime"
	"strconv"
	"testing"
)

// ordinaryStack is a root module that evaluates a few hundred values
// (several thousand elements and string bytes: well within a tree's free
// allowance) and has a function app with findings that depend on them.
func ordinaryStack(i int) string {
	n := strconv.Itoa(i)
	return `locals {
  ids      = [for n in range(200) : "fn-` + n + `-${n}"]
  settings = { for n, id in local.ids : id => "value-${n}" }
  https    = length(local.ids) > 1000
}

resource "azurerm_linux_function_app" "app` + n + `" {
  name                       = "func-` + n + `-${length(local.ids)}"
  https_only                 = local.https
  public_network_access_enabled = length(keys(local.settings)) > 0
  app_settings               = local.settings
}
`
}

// Issue 13/14: many ordinary module trees together spend more than the
// scan evaluation budget, but each within its free allowance, so none
// charges it: no "Scan evaluation budget spent", and the same JSON,
// byte for byte, whatever the number of threads and run to run. (The
// budget was shared by all trees: where it ran out depended on the order
// they were loaded in, and so did the output.)
func TestOrdinaryStacksDeterministicUnderScanBudget(t *testing.T) {
	files := map[string]string{}
	const stacks = 40
	for i := range stacks {
		files["stack-"+strconv.Itoa(i)+"/main.tf"] = ordinaryStack(i)
	}
	dir := writeTree(t, files)
	// 40 trees of several thousand each spend more than this budget.
	flags := []string{"scan", "--format", "json", "--eval-budget", "100000", "--scan-eval-budget", "100000", dir}
	var outs []string
	for _, procs := range []int{runtime.GOMAXPROCS(0), 1, 4, runtime.GOMAXPROCS(0)} {
		prev := runtime.GOMAXPROCS(procs)
		code, stdout, stderr := cli(t, flags...)
		runtime.GOMAXPROCS(prev)
		if code != exitFindings {
			t.Fatalf("GOMAXPROCS %d: exit %d, stderr %s", procs, code, stderr)
		}
		outs = append(outs, stdout)
	}
	_, out := scanJSON(t, dir, flags[3:len(flags)-1]...)
	if len(out.Diagnostics) != 0 || len(out.Findings) == 0 {
		t.Errorf("want findings and no diagnostics; %d findings, diagnostics %q", len(out.Findings), out.summaries(dir, ""))
	}
	for i, o := range outs[1:] {
		if o != outs[0] {
			t.Errorf("run %d differs from run 0 (%d vs %d bytes)", i+1, len(o), len(outs[0]))
		}
	}
}
