package terraform

import (
	"context"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestFunctionsOfReadFiles: a tree wraps the built-in functions the files
// it reads call, and still every built-in where it cannot list the calls
// (a .tf.json template, a -var value): each call below is evaluated, in a
// module file, a tfvars file, a JSON file and a -var value, and nothing
// is reported as not evaluated.
func TestFunctionsOfReadFiles(t *testing.T) {
	dir := fixture(t, map[string]string{
		"main.tf": `variable "name" {}
variable "tags" {
  type = map(string)
}
module "app" {
  source = "./app"
  name   = lower(var.name)
  suffix = local.suffix
  tags   = var.tags
}
`,
		"terraform.tfvars": `name = trimspace("  Func  ")`,
		"locals.tf.json":   `{"locals": {"suffix": "${replace(\"a-b\", \"-\", \"\")}"}}`,
		"app/main.tf": `variable "name" {}
variable "suffix" {}
variable "tags" {}
resource "azurerm_linux_function_app" "app" {
  name = "${upper(var.name)}-${var.suffix}-${var.tags["env"]}"
}
`,
	})
	mod, diags := load(t, dir, Options{Vars: map[string]string{"tags": `{ env = title("dev") }`}})
	for _, d := range diags {
		if strings.Contains(d.Summary, "not evaluated") || d.Severity != model.SevInfo {
			t.Errorf("diagnostic: %+v", d)
		}
	}
	a := app(t, mod, "module.app.azurerm_linux_function_app.app")
	if want := "FUNC-ab-Dev"; a.Name.V != want || a.Name.Origin != model.Explicit {
		t.Errorf("name %q (%v), want %q written", a.Name.V, a.Name.Origin, want)
	}

	// The root's native files call lower only: that is all the tree
	// wraps for them.
	tr := newTree(context.Background(), NewLoader(Options{}), dir)
	pd := tr.parsed(dir)
	if len(pd.files) == 0 {
		t.Fatal("no file parsed")
	}
	if _, ok := tr.funcs["lower"]; !ok {
		t.Error("lower, called in main.tf, is not in the table")
	}
	if !tr.allFuncs {
		t.Error("a JSON file was read: every built-in should be in the table")
	}
	only := newTree(context.Background(), NewLoader(Options{}), dir)
	only.useFuncs(map[string]bool{"lower": true, "frobnicate": true})
	if len(only.funcs) != 2 || only.allFuncs { // lower and the charge function
		t.Errorf("table after lower and an unknown name: %d functions", len(only.funcs))
	}
}
