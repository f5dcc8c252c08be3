package parsers

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/google/go-cmp/cmp"
)

// walkTree writes a tree whose walk needs every kind of step: Terraform
// directories, files recognised by their head (ARM templates, a plan,
// a stack export) beside JSON that is none of them, hidden and skipped
// directories, and symbolic links to files within and outside, to a
// directory and to nothing.
func walkTree(t *testing.T) (base, dir string) {
	t.Helper()
	files := map[string]string{
		"outside/app.json": armApp,
		"outside/o.tf":     `resource "azurerm_linux_function_app" "o" { name = "o" }`,
	}
	for i := range 24 {
		d := fmt.Sprintf("scanned/d%02d", i)
		files[d+"/main.tf"] = normalApp
		files[d+"/vars.tf"] = `variable "x" {}`
		files[d+"/azuredeploy.json"] = armApp
		files[d+"/params.json"] = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}`
		files[d+"/arm/t.json"] = armApp
		files[d+"/.hidden/main.tf"] = normalApp
		files[d+"/skipme/main.tf"] = normalApp
		if i%3 == 0 {
			files[d+"/tfplan.json"] = `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[]}`
			files[d+"/stack.json"] = `{"version": 3, "deployment": {"manifest": {}, "resources": []}}`
		}
	}
	base = writeFiles(t, files)
	dir = filepath.Join(base, "scanned")
	for i := range 24 {
		d := filepath.Join(dir, fmt.Sprintf("d%02d", i))
		symlink(t, filepath.Join(base, "outside", "app.json"), filepath.Join(d, "out.json"))
		symlink(t, filepath.Join(d, "azuredeploy.json"), filepath.Join(d, "in.json"))
		symlink(t, filepath.Join(base, "outside", "o.tf"), filepath.Join(d, "o.tf"))
		symlink(t, filepath.Join(d, "nowhere.json"), filepath.Join(d, "dangling.json"))
		symlink(t, filepath.Join(d, "arm"), filepath.Join(d, "armdir"))
	}
	return base, dir
}

// walkResult is what a walk registers, in the order it registers it.
type walkResult struct {
	Units   []string
	Claimed int
	Diags   []string
}

func walkOnce(t *testing.T, paths []string, opts Options) walkResult {
	t.Helper()
	opts.Terraform.Within = scanRoots(paths)
	w := newWalker(opts)
	var r walkResult
	for _, p := range paths {
		if err := w.root(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	for id, u := range w.units {
		r.Units = append(r.Units, strings.ReplaceAll(id, "\x00", " ")+" "+u.path)
	}
	slices.Sort(r.Units)
	r.Claimed = w.claimed
	for _, d := range w.diags {
		r.Diags = append(r.Diags, d.Severity.String()+" "+d.Range.Filename+": "+d.Summary+": "+d.Detail)
	}
	return r
}

// The walk lists directories and sniffs files in parallel, but registers
// what it finds in the order of a walk of one entry after another: the
// same units, counts and diagnostics, in the same order, on every run and
// with one core as with several.
func TestWalkDeterministic(t *testing.T) {
	base, dir := walkTree(t)
	skip := func(p string) bool { return filepath.Base(p) == "skipme" }
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"default", Options{Skip: skip}},
		{"follow", Options{Skip: skip, FollowSymlinks: true}},
		{"follow outside", Options{Skip: skip, FollowSymlinks: true, AllowOutside: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths := []string{dir, filepath.Join(base, "outside", "o.tf")}
			prev := runtime.GOMAXPROCS(1)
			want := walkOnce(t, paths, tc.opts)
			runtime.GOMAXPROCS(max(prev, 4))
			defer runtime.GOMAXPROCS(prev)
			if len(want.Diags) < 24 || want.Claimed < 24*4 {
				t.Fatalf("the tree gives too little to compare: %d claimed, %d diagnostics", want.Claimed, len(want.Diags))
			}
			for range 30 {
				got := walkOnce(t, paths, tc.opts)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("walk differs from the serial walk (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// The diagnostics of the walk come in the order of the entries, a
// directory's before those of the directories after it, whatever order
// the directories were listed in.
func TestWalkDiagnosticOrder(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a/main.tf": normalApp,
		"a/b/x.tf":  normalApp,
		"c/y.json":  armApp,
	})
	for _, l := range []string{"a/z.txt", "a/b/l.txt", "c/l.txt", "m.txt"} {
		symlink(t, filepath.Join(dir, "c", "y.json"), filepath.Join(dir, filepath.FromSlash(l)))
	}
	want := []string{"a/b/l.txt", "a/z.txt", "c/l.txt", "m.txt"}
	for range 20 {
		r := walkOnce(t, []string{dir}, Options{})
		var got []string
		for _, d := range r.Diags {
			name, _, _ := strings.Cut(strings.TrimPrefix(d, "info "+filepath.ToSlash(dir)+"/"), ":")
			got = append(got, name)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("diagnostics for %q, want %q:\n%s", got, want, strings.Join(r.Diags, "\n"))
		}
		if r.Claimed != 3 || len(r.Units) != 3 {
			t.Fatalf("claimed %d, units %q; want 3 files in 3 units", r.Claimed, r.Units)
		}
	}
}

// The walk keeps the listing of each directory holding Terraform files
// or JSON files, and only of those, for the Terraform loader (it lists
// them once) and the ARM loader (which looks for files beside each
// template).
func TestWalkKeepsTerraformListings(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"tf/main.tf":           normalApp,
		"tf/mod/m.tofu":        `variable "x" {}`,
		"arm/t.json":           armApp,
		"tf/.hidden/h.tf":      normalApp,
		"tf/terraform.tfvars":  `x = 1`,
		"empty/readme.md":      "no inputs",
		"tf/mod/deeper/d.json": armApp,
	})
	w := newWalker(Options{})
	if err := w.root(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	var got []string
	for d, entries := range w.listed {
		rel, err := filepath.Rel(dir, d)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		got = append(got, filepath.ToSlash(rel)+": "+strings.Join(names, " "))
	}
	slices.Sort(got)
	want := []string{"arm: t.json", "tf/mod/deeper: d.json", "tf/mod: deeper m.tofu", "tf: .hidden main.tf mod terraform.tfvars"}
	if !slices.Equal(got, want) {
		t.Errorf("listings kept %q, want %q", got, want)
	}
	if _, ok := w.listing(filepath.Join(dir, "tf")); !ok {
		t.Error("listing does not give the listing of tf by its absolute path")
	}

	// Listings kept for JSON alone are bounded; Terraform's are not.
	w = newWalker(Options{})
	w.maxJSON = 1
	if err := w.root(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	_, arm := w.listing(filepath.Join(dir, "arm"))
	_, deeper := w.listing(filepath.Join(dir, "tf", "mod", "deeper"))
	if len(w.listed) != 3 || arm == deeper {
		t.Errorf("with one JSON listing allowed: %d listings kept, arm %v, tf/mod/deeper %v", len(w.listed), arm, deeper)
	}
}

// TestClaimHolds: a claim that read a template or a stack export whole
// keeps its contents for the load (the file is not read twice); a file
// larger than holdMax, JSON no handler takes, a plan (whose handler does
// not hold), Terraform configuration (claimed by its name), a
// walk over a language server's buffers and a spent budget keep nothing;
// and what is kept loads as the file read at its load does.
func TestClaimHolds(t *testing.T) {
	big := strings.Replace(armApp, `"resources"`, `"metadata": {"pad": "`+strings.Repeat("x", holdMax)+`"}, "resources"`, 1)
	dir := writeFiles(t, map[string]string{
		"small.json":   armApp,
		"big.json":     big,
		"package.json": `{"name": "x"}`,
		"stack.json":   `{"version": 3, "deployment": {"manifest": {}, "resources": []}}`,
		"tfplan.json":  `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{}},"resource_changes":[]}`,
		"main.tf":      normalApp,
	})
	held := func(w *walker, name string) []byte { return w.claim(filepath.Join(dir, name)).src }

	w := newWalker(Options{})
	if got := held(w, "small.json"); string(got) != armApp {
		t.Errorf("small template: held %d bytes, want the file's %d", len(got), len(armApp))
	}
	stack := `{"version": 3, "deployment": {"manifest": {}, "resources": []}}`
	if got := held(w, "stack.json"); string(got) != stack {
		t.Errorf("small stack export: held %d bytes, want the file's %d", len(got), len(stack))
	}
	for _, name := range []string{"big.json", "package.json", "tfplan.json", "main.tf"} {
		if got := held(w, name); got != nil {
			t.Errorf("%s: held %d bytes, want none", name, len(got))
		}
	}
	if c := w.claim(filepath.Join(dir, "big.json")); c.h < 0 || w.handlers[c.h].format != model.ARM {
		t.Errorf("big template: claimed by handler %d, want the ARM one (its head is still sniffed)", c.h)
	}
	if left := w.holdLeft.Load(); left != holdBudget-int64(len(armApp)+len(stack)) {
		t.Errorf("budget left %d, want %d (small.json and stack.json held)", left, holdBudget-int64(len(armApp)+len(stack)))
	}

	lsp := newWalker(Options{ReadFile: func(p string) ([]byte, error) { return []byte(armApp), nil }})
	if got := held(lsp, "small.json"); got != nil {
		t.Errorf("with ReadFile: held %d bytes, want none", len(got))
	}
	spent := newWalker(Options{})
	spent.holdLeft.Store(int64(len(armApp)) - 1)
	if got := held(spent, "small.json"); got != nil {
		t.Errorf("budget below the file's size: held %d bytes, want none", len(got))
	}
	if left := spent.holdLeft.Load(); left != int64(len(armApp))-1 {
		t.Errorf("a refused hold took from the budget: %d left", left)
	}

	// The load of a held template gives what a load from disk gives, and
	// reads nothing: the file is gone by then.
	fromDisk, err := Load(context.Background(), []string{filepath.Join(dir, "small.json")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w = newWalker(Options{})
	c := w.claim(filepath.Join(dir, "small.json"))
	if err := os.Remove(filepath.Join(dir, "small.json")); err != nil {
		t.Fatal(err)
	}
	w.register(c)
	var u *unit
	for _, x := range w.units {
		u = x
	}
	var got *model.Module
	var ok bool
	var diags model.Diagnostics
	if err := loadUnit(context.Background(), u, Options{}, func(m *model.Module) *model.Module { return m }, &got, &ok, &diags); err != nil || !ok {
		t.Fatalf("load of the held template: ok %v, %v", ok, err)
	}
	if u.src != nil {
		t.Error("the unit still holds its contents after its load")
	}
	if len(diags) != 0 || len(fromDisk.Modules) != 1 {
		t.Fatalf("held load: %v; from disk: %d modules, %v", diags, len(fromDisk.Modules), fromDisk.Diagnostics)
	}
	asJSON := func(m *model.Module) string {
		b, err := json.MarshalIndent(m, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if d := cmp.Diff(asJSON(fromDisk.Modules[0]), asJSON(got)); d != "" {
		t.Errorf("held load differs from the load from disk (-disk +held):\n%s", d)
	}
	if src, _, ok := got.Splicer(filepath.Join(dir, "small.json")); !ok || string(src) != armApp {
		t.Errorf("held load: the fixes' source is %d bytes (ok %v), want the file's %d", len(src), ok, len(armApp))
	}
}
