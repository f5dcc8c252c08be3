package parsers

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// normalApp is an ordinary function app the hostile inputs sit beside:
// whatever they do, it is still read.
const normalApp = `resource "azurerm_linux_function_app" "normal" {
  name                 = "func-normal"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = "plan"
  storage_account_name = "st"
}
`

// loadBeside loads dir with a guard against hangs: Load must return
// within a minute (far more than any of these inputs needs once guarded;
// unguarded, they run out of stack or memory, or never end).
func loadBeside(t *testing.T, dir string, opts Options) *Result {
	t.Helper()
	type out struct {
		res *Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := Load(context.Background(), []string{dir}, opts)
		done <- out{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatal(o.err)
		}
		return o.res
	case <-time.After(time.Minute):
		t.Fatal("Load did not return within a minute")
		return nil
	}
}

// requireNormalApp fails unless the normal app was read.
func requireNormalApp(t *testing.T, res *Result) {
	t.Helper()
	for _, m := range res.Modules {
		for _, a := range m.FunctionApps {
			if a.Address == "azurerm_linux_function_app.normal" {
				return
			}
		}
	}
	t.Errorf("the normal app beside the hostile file was not read; diagnostics: %v", res.Diagnostics)
}

// diagsFor returns the diagnostics whose file is dir/name.
func diagsFor(res *Result, dir, name string) model.Diagnostics {
	var out model.Diagnostics
	want := filepath.ToSlash(filepath.Join(dir, name))
	for _, d := range res.Diagnostics {
		if d.Range.Filename == want {
			out = append(out, d)
		}
	}
	return out
}

// Issue 13, first row: nesting deep enough to overflow the parsers' stack
// (HCL and Terraform JSON, and templates inside JSON strings) is one
// diagnostic at the place the limit is passed, not a crash.
func TestHostileDeepNesting(t *testing.T) {
	for _, tc := range []struct {
		name, file, src string
		line            int
		summary         string
	}{
		{"hcl brackets", "deep.tf", "locals {\n  x = " + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + "\n}\n", 2, "Nested more than 1000 levels deep"},
		{"hcl parentheses in a template", "deep.tf", "locals {\n  x = \"${" + strings.Repeat("(", 60000) + "1" + strings.Repeat(")", 60000) + "}\"\n}\n", 2, "Nested more than 1000 levels deep"},
		{"hcl nested templates", "deep.tf", "locals {\n  x = " + strings.Repeat(`"${`, 30000) + strings.Repeat(`}"`, 30000) + "\n}\n", 2, "Nested more than 1000 levels deep"},
		{"hcl chained conditionals", "deep.tf", "locals {\n  x = (" + strings.Repeat("a ?\n 1 : ", 60000) + "2)\n}\n", 1000, "Nested more than 1000 levels deep"},
		{"hcl unary operators", "deep.tf", "locals {\n  x = " + strings.Repeat("!", 200000) + "true\n}\n", 2, "Nested more than 1000 levels deep"},
		{"tfvars", "terraform.tfvars", "x = " + strings.Repeat("{a = ", 60000) + strings.Repeat("}", 60000) + "\n", 1, "Nested more than 1000 levels deep"},
		{"tf.json arrays", "deep.tf.json", `{"locals": {"x": ` + "\n" + strings.Repeat("[", 300000) + strings.Repeat("]", 300000) + "}}", 2, "Nested more than 10000 levels deep"},
		{"tf.json template", "deep.tf.json", `{"locals": {"x": "${` + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + `}"}}`, 1, "Nested more than 1000 levels deep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"main.tf": normalApp, tc.file: tc.src})
			res := loadBeside(t, dir, Options{})
			requireNormalApp(t, res)
			ds := diagsFor(res, dir, tc.file)
			if len(ds) != 1 || ds[0].Summary != tc.summary || ds[0].Range.Start.Line != tc.line {
				t.Errorf("want one %q diagnostic on line %d of %s, got %v", tc.summary, tc.line, tc.file, ds)
			}
		})
	}
}
