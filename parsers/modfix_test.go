package parsers_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// TestModuleReplacements: the replacements of every fix of the fixtures,
// computed from the module's files as the parser read them, are those
// computed from the files on disk; and a SARIF report of findings whose
// fixes were resolved so, with no way to read a file, is byte for byte
// the report that computes them from the disk.
func TestModuleReplacements(t *testing.T) {
	if testing.Short() {
		t.Skip("serial, over every fixture: skipped with -short (the race step of .ci/run); the plain go test step runs it")
	}
	eng := builtinEngine(t)
	dirs := []string{filepath.Join("..", "testdata", "terraform"), filepath.Join("..", "testdata", "arm")}
	res, err := parsers.Load(context.Background(), dirs, parsers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var resolved, fromDisk []engine.Finding
	held := map[model.Format]int{}
	heldNames := map[string]bool{}
	for _, m := range res.Modules {
		findings := eng.Run(context.Background(), m).Findings
		replace := parsers.ModuleReplacements(m)
		for _, fe := range fixEdits(findings) {
			name := fe.name
			got, ok, err := replace(fe.edits)
			if !ok {
				if m.Format == model.Terraform && filepath.Ext(name) == ".tf" {
					t.Errorf("%s: a .tf file of a Terraform module that parsed is not held", name)
				}
				continue
			}
			held[m.Format]++
			heldNames[name] = true
			src, rerr := os.ReadFile(name)
			if rerr != nil {
				t.Fatal(rerr)
			}
			want, werr := parsers.FileReplacements(name, src)(fe.edits)
			if !reflect.DeepEqual(got, want) || (err == nil) != (werr == nil) {
				t.Errorf("%s: %s edits: from the module %v (%v), from the disk %v (%v)", name, fe.f.CheckID, got, err, want, werr)
			}
		}
		fromDisk = append(fromDisk, cloneFindings(findings)...)
		report.ResolveFixes(findings, replace)
		resolved = append(resolved, findings...)
	}
	if held[model.Terraform] == 0 || held[model.ARM] == 0 {
		t.Fatalf("fixes made from the modules' files: %v; want Terraform and ARM ones", held)
	}

	render := func(fs []engine.Finding, changes func([]model.Edit) ([]model.Replacement, error)) []byte {
		var b bytes.Buffer
		r := &report.Report{Tool: report.Tool{Name: "azfuncscan"}, Checks: eng.Checks(), Findings: fs, FixChanges: changes}
		if err := report.WriteSARIF(&b, r); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	// Fixes not resolved (of parameter files, say) still need the disk;
	// those resolved must not.
	n := 0
	disk := func(edits []model.Edit) ([]model.Replacement, error) {
		name := edits[0].Range.Filename
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		return parsers.FileReplacements(name, src)(edits)
	}
	diskUnlessHeld := func(edits []model.Edit) ([]model.Replacement, error) {
		if heldNames[edits[0].Range.Filename] {
			n++
		}
		return disk(edits)
	}
	want := render(fromDisk, disk)
	got := render(resolved, diskUnlessHeld)
	if !bytes.Equal(got, want) {
		t.Errorf("SARIF with fixes resolved from the modules differs from SARIF with fixes from the disk:\n%s", firstDiff(got, want))
	}
	if n > 0 {
		t.Errorf("the report read files %d times for fixes the modules resolved", n)
	}
	if !bytes.Contains(want, []byte(`"fixes"`)) {
		t.Error("no fix in the report")
	}
}

// TestModuleReplacementsNotHeld: a file with a syntax error is not edited
// from the module (NewEditor refuses it), and edits of a file the module
// did not read (a .tfvars file, JSON syntax) are left to the disk.
func TestModuleReplacementsNotHeld(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(p)
	}
	good := write("main.tf", "resource \"azurerm_linux_function_app\" \"a\" {\n  name       = \"a\"\n  https_only = false\n}\n")
	bad := write("broken.tf", "resource \"azurerm_linux_function_app\" \"b\" {\n  name       = \"b\"\n  https_only = false\n}\n\nlocals {\n  x = \n}\n")
	vars := filepath.ToSlash(filepath.Join(dir, "terraform.tfvars"))
	res, err := parsers.Load(context.Background(), []string{dir}, parsers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Modules) != 1 {
		t.Fatalf("%d modules, want 1", len(res.Modules))
	}
	replace := parsers.ModuleReplacements(res.Modules[0])
	edit := func(name string, line, col, off int) []model.Edit {
		at := model.Pos{Line: line, Column: col, Byte: off}
		return []model.Edit{{Kind: model.EditReplace, Range: model.Range{Filename: name, Start: at, End: at}, Value: true}}
	}
	// https_only's value: line 3, column 16, after the first two lines.
	off := len("resource \"azurerm_linux_function_app\" \"a\" {\n  name       = \"a\"\n  https_only = ")
	reps, ok, err := replace(edit(good, 3, 16, off))
	if !ok || err != nil || len(reps) != 1 || reps[0].Text != "true" {
		t.Errorf("main.tf: %v, held %v, %v; want one replacement by true", reps, ok, err)
	}
	for _, name := range []string{bad, vars, filepath.ToSlash(filepath.Join(dir, "other.tf.json"))} {
		if reps, ok, err := replace(edit(name, 3, 16, off)); ok {
			t.Errorf("%s: held (%v, %v); want it left to the disk", filepath.Base(name), reps, err)
		}
	}
}

// cloneFindings copies findings deep enough that resolving the fixes of
// one copy leaves the other's as they were.
func cloneFindings(fs []engine.Finding) []engine.Finding {
	out := slices.Clone(fs)
	for i := range out {
		if fx := out[i].Fix; fx != nil {
			cp := *fx
			out[i].Fix = &cp
		}
	}
	return out
}

// firstDiff shows where a and b first differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return "got:  ..." + string(a[lo:min(len(a), i+200)]) + "\nwant: ..." + string(b[lo:min(len(b), i+200)])
}
