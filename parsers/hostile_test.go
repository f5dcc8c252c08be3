package parsers

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strconv"
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

// Issue 13, rows two to four: evaluation that would ask for gigabytes
// (nested for over range() or over a list, strings doubled over locals,
// concat doubled over locals) is stopped by the evaluation budget with
// one diagnostic naming the expression; a module expanded 10,000 times
// around a resource expanded 10,000 times is bounded as a product, with
// one diagnostic.
func TestHostileEvaluation(t *testing.T) {
	doubling := func(first, step string, n int) string {
		var b strings.Builder
		b.WriteString("locals {\n  v0 = " + first + "\n")
		for i := 1; i <= n; i++ {
			b.WriteString("  v" + strconv.Itoa(i) + " = " + strings.ReplaceAll(step, "PREV", "local.v"+strconv.Itoa(i-1)) + "\n")
		}
		b.WriteString("}\n")
		return b.String()
	}
	list := make([]string, 1000)
	for i := range list {
		list[i] = strconv.Itoa(i)
	}
	for _, tc := range []struct {
		name    string
		files   map[string]string
		summary string
		line    int
	}{
		{"for over range", map[string]string{"bad.tf": "locals {\n  x = [for a in range(1000): [for b in range(1000): [for c in range(1000): c]]]\n}\n"}, "Evaluation budget spent", 2},
		{"for over a list", map[string]string{"bad.tf": "locals {\n  l = [" + strings.Join(list, ", ") + "]\n  x = [for a in local.l: [for b in local.l: [for c in local.l: c]]]\n}\n"}, "Evaluation budget spent", 3},
		{"doubling strings", map[string]string{"bad.tf": doubling(`"ab"`, `"${PREV}${PREV}"`, 45)}, "Evaluation budget spent", 0},
		{"doubling concat", map[string]string{"bad.tf": doubling(`[1, 2]`, `concat(PREV, PREV)`, 40)}, "Evaluation budget spent", 0},
		{"module count times resource count", map[string]string{
			"bad.tf":    "module \"m\" {\n  source = \"./m\"\n  count  = 10000\n}\n",
			"m/main.tf": "resource \"azurerm_linux_function_app\" \"many\" {\n  count = 10000\n  name  = \"func-${count.index}\"\n}\n",
		}, "Too many instances", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"main.tf": normalApp}
			for k, v := range tc.files {
				files[k] = v
			}
			dir := writeFiles(t, files)
			res := loadBeside(t, dir, Options{})
			requireNormalApp(t, res)
			var apps int
			for _, m := range res.Modules {
				apps += len(m.FunctionApps)
			}
			if apps > 1001 {
				t.Errorf("%d function apps modelled", apps)
			}
			ds := diagsFor(res, dir, "bad.tf")
			if len(res.Diagnostics) != 1 || len(ds) != 1 || ds[0].Summary != tc.summary || tc.line > 0 && ds[0].Range.Start.Line != tc.line {
				t.Errorf("want one %q diagnostic in bad.tf (line %d), got %v", tc.summary, tc.line, res.Diagnostics)
			}
		})
	}
}

// Issue 13: a megabyte of binary without NUL bytes is one diagnostic,
// and a file of text junk at most MaxDiagnosticsPerFile, the last saying
// how many more there were.
func TestHostileDiagnosticFloods(t *testing.T) {
	if testing.Short() {
		t.Skip("serial, over every fixture: skipped with -short (the race step of .ci/run); the plain go test step runs it")
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	bin := make([]byte, 1<<20)
	for i := range bin {
		bin[i] = byte(1 + rnd.IntN(255))
	}
	junk := make([]byte, 1<<20)
	for i := range junk {
		junk[i] = "{}[]()=\"abc\n!?"[rnd.IntN(14)]
	}
	dir := writeFiles(t, map[string]string{"main.tf": normalApp, "bin.tf": string(bin), "junk.tf": string(junk)})
	res := loadBeside(t, dir, Options{})
	requireNormalApp(t, res)
	if ds := diagsFor(res, dir, "bin.tf"); len(ds) != 1 || ds[0].Summary != "Invalid character encoding" {
		t.Errorf("binary: want one \"Invalid character encoding\" diagnostic, got %d: %v", len(ds), ds)
	}
	ds := diagsFor(res, dir, "junk.tf")
	if len(ds) != MaxDiagnosticsPerFile || !strings.HasSuffix(ds[len(ds)-1].Summary, "more problems in this file") {
		t.Errorf("junk: want %d diagnostics, the last counting the rest, got %d: %v", MaxDiagnosticsPerFile, len(ds), ds[len(ds)-1])
	}
}

// Issue 13: a module source leading outside the scanned directory (no
// repository around it) is not read; a diagnostic says so.
func TestHostileModuleOutside(t *testing.T) {
	base := writeFiles(t, map[string]string{
		"outside/main.tf":   normalApp,
		"scanned/main.tf":   "module \"o\" {\n  source = \"../outside\"\n}\n",
		"scanned/m/main.tf": strings.Replace(normalApp, `"normal"`, `"inside"`, 1),
		"scanned/in.tf":     "module \"i\" {\n  source = \"./m\"\n}\n",
	})
	dir := filepath.Join(base, "scanned")
	res := loadBeside(t, dir, Options{})
	var apps []string
	for _, m := range res.Modules {
		for _, a := range m.FunctionApps {
			apps = append(apps, a.Address)
		}
	}
	if len(apps) != 1 || apps[0] != "module.i.azurerm_linux_function_app.inside" {
		t.Errorf("apps = %v, want only the module inside", apps)
	}
	if ds := diagsFor(res, dir, "main.tf"); len(ds) != 1 || ds[0].Summary != "Module outside the scanned directories" {
		t.Errorf("want one diagnostic for the call leading outside, got %v", ds)
	}
	// Opted in, the module outside is read.
	res = loadBeside(t, dir, Options{AllowOutside: true})
	n := 0
	for _, m := range res.Modules {
		n += len(m.FunctionApps)
	}
	if n != 2 {
		t.Errorf("AllowOutside: %d apps, want both", n)
	}
}
