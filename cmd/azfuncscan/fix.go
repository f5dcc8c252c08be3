package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/textdiff"
	"github.com/azfuncscan/azfuncscan/parsers"
)

type fixFlags struct {
	dryRun          bool
	enable, disable []string
	checksDir       string
	input           inputFlags
}

func newFixCmd(e *env) *cobra.Command {
	var f fixFlags
	cmd := &cobra.Command{
		Use:   "fix [PATH...]",
		Short: "Fix the findings whose check has a safe automatic fix, in the source",
		Long: `Scan like scan does, then fix each failing finding of a check with an
automatic fix (azfuncscan checks lists them) where its deciding value was
written: the literal in the resource, the terraform.tfvars line, the module
caller's argument, the variable's default, the ARM parameter file or the
parameter's defaultValue; a platform default gets the attribute added to
the resource. Terraform files are edited with hclwrite (comments and
formatting kept), ARM JSON files by byte ranges (the rest of the file
unchanged). Pulumi stack exports are not source and are never edited.
Suppressed findings are not fixed.

--dry-run prints a unified diff of the changes instead of writing them.
Each finding that could not be fixed is named on stderr with the reason
("not fixed: …"), also when its edit turns out not to apply to the file
(the fix is then left out whole). The exit status is 0 when fix ran, 2
when it could not (usage, no input, a file it cannot read or write).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			return fix(cmd.Context(), e, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.dryRun, "dry-run", false, "print a unified diff of the fixes instead of writing the files")
	fl.StringSliceVar(&f.enable, "enable", nil, "fix findings of these check `IDs` too, incl. opt-in checks (comma-separated, repeatable)")
	fl.StringSliceVar(&f.disable, "disable", nil, "do not fix findings of these check `IDs` (comma-separated, repeatable)")
	fl.StringVar(&f.checksDir, "checks-dir", "", "load extra checks from the YAML files in `DIR`, besides the built-in ones")
	f.input.register(cmd)
	return cmd
}

func fix(ctx context.Context, e *env, f *fixFlags, paths []string) error {
	popts, err := f.input.options()
	if err != nil {
		return err
	}
	if err := f.input.check(); err != nil {
		return err
	}
	work, base, err := dirs(paths...)
	if err != nil {
		return err
	}
	var extra []string
	if f.checksDir != "" {
		extra = append(extra, f.checksDir)
	}
	all, err := loadChecks(extra...)
	if err != nil {
		return err
	}
	eng, err := engine.New(all, engine.Options{Enable: f.enable, Disable: f.disable, RepoRoot: base, WorkDir: work})
	if err != nil {
		return fmt.Errorf("checks: %w", err)
	}
	loaded, err := parsers.Load(ctx, paths, popts)
	if err != nil {
		return err
	}
	if loaded.Inputs == 0 {
		return fmt.Errorf("no input: nothing in %s is a Terraform, ARM or Pulumi file", strings.Join(paths, ", "))
	}
	r := &report.Report{Checks: eng.Checks(), BaseDir: base, WorkDir: work}
	var declaring []string
	for _, m := range loaded.Modules {
		r.Findings = append(r.Findings, eng.Run(ctx, m).Findings...)
		declaring = append(declaring, resourceFiles(m)...)
	}
	suppressFindings(r, eng, declaring, nil, false)

	planned, notes := plannedEdits(r.Findings, fixApplies)
	for _, n := range notes {
		if _, err := fmt.Fprintln(e.stderr, n); err != nil {
			return fmt.Errorf("fix: %w", err)
		}
	}
	outs, notes, failed := applyPlanned(planned, os.ReadFile)
	for _, n := range notes {
		if _, err := fmt.Fprintln(e.stderr, n); err != nil {
			return fmt.Errorf("fix: %w", err)
		}
	}
	for _, o := range outs {
		if f.dryRun {
			if _, err := fmt.Fprint(e.stdout, textdiff.Unified(o.name, string(o.src), string(o.out))); err != nil {
				return fmt.Errorf("fix: %w", err)
			}
			continue
		}
		if err := writeKeepingMode(o.name, o.out); err != nil {
			failed = append(failed, err)
			continue
		}
		if _, err := fmt.Fprintf(e.stderr, "fixed %s\n", o.name); err != nil {
			return fmt.Errorf("fix: %w", err)
		}
	}
	return errors.Join(failed...)
}

// plannedFix is the fix of one finding that fix means to apply.
type plannedFix struct {
	f     *engine.Finding
	edits []model.Edit
}

// fileOut is a file a fix changes: its text before and after.
type fileOut struct {
	name     string
	src, out []byte
}

// applyPlanned applies the planned fixes file by file (files sorted by
// name), each distinct edit once (the same module default fixed from two
// roots). A fix whose edit cannot be made (its target turned out to be an
// expression, an earlier edit changed the text there) is left out whole,
// in every file it edits, and named in the notes, "not fixed: <why>", like
// a finding without a fix; the other fixes are applied. failed holds the
// files that could not be read. outs are the files whose text changes.
func applyPlanned(planned []plannedFix, read func(string) ([]byte, error)) (outs []fileOut, notes []string, failed []error) {
	byFile := map[string][]int{} // file -> indexes of the fixes editing it
	for i, p := range planned {
		for _, e := range p.edits {
			name := e.Range.Filename
			if ids := byFile[name]; len(ids) == 0 || ids[len(ids)-1] != i {
				byFile[name] = append(byFile[name], i)
			}
		}
	}
	files := slices.Sorted(maps.Keys(byFile))
	srcs := map[string][]byte{}
	for _, name := range files {
		src, err := read(name)
		if err != nil {
			failed = append(failed, fmt.Errorf("fix: %w", err))
			continue
		}
		srcs[name] = src
	}
	left := map[int]error{} // fixes left out, and why
	// A fix left out in one file is left out of the others: apply again
	// until no fix is left out anew (each round leaves out one at least).
	for {
		outs = outs[:0]
		more := false
		for _, name := range files {
			src, ok := srcs[name]
			if !ok {
				continue
			}
			var ids []int
			for _, i := range byFile[name] {
				if left[i] == nil {
					ids = append(ids, i)
				}
			}
			out, bad := applyFile(name, src, planned, ids)
			for i, err := range bad {
				left[i] = err
				more = true
			}
			if !bytes.Equal(out, src) {
				outs = append(outs, fileOut{name: name, src: src, out: out})
			}
		}
		if !more {
			break
		}
	}
	for _, i := range slices.Sorted(maps.Keys(left)) {
		f := planned[i].f
		notes = append(notes, fmt.Sprintf("%s: %s %s not fixed: %v", f.Range, f.CheckID, f.Resource, left[i]))
	}
	return outs, notes, failed
}

// applyFile applies the edits in file name of the fixes ids together, and
// returns the result with the fixes whose edits cannot be made left out,
// and why each was. The fixes are first applied together; only when some
// edit fails is each fix tried alone, then the rest one after another.
func applyFile(name string, src []byte, planned []plannedFix, ids []int) ([]byte, map[int]error) {
	editsOf := func(ids []int) []model.Edit {
		var out []model.Edit
		for _, i := range ids {
			for _, e := range planned[i].edits {
				if e.Range.Filename == name && !slices.ContainsFunc(out, func(x model.Edit) bool { return reflect.DeepEqual(x, e) }) {
					out = append(out, e)
				}
			}
		}
		return out
	}
	out, errs := parsers.ApplyEdits(name, src, editsOf(ids))
	if len(errs) == 0 {
		return out, nil
	}
	bad := map[int]error{}
	var ok []int
	for _, i := range ids {
		if _, errs := parsers.ApplyEdits(name, src, editsOf([]int{i})); len(errs) > 0 {
			bad[i] = errors.Join(errs...)
			continue
		}
		ok = append(ok, i)
	}
	if out, errs = parsers.ApplyEdits(name, src, editsOf(ok)); len(errs) == 0 {
		return out, bad
	}
	// Each can be made alone, not all together: take them one after
	// another while they still apply.
	var kept []int
	for _, i := range ok {
		if _, errs := parsers.ApplyEdits(name, src, editsOf(append(kept, i))); len(errs) > 0 {
			bad[i] = errors.Join(errs...)
			continue
		}
		kept = append(kept, i)
	}
	out, _ = parsers.ApplyEdits(name, src, editsOf(kept))
	return out, bad
}

// plannedEdits returns the fixes of unsuppressed failing findings, and
// says for each finding of a check with a fix hint why it is not fixed.
// A fix of several edits is taken only when applies says each of them
// can be made: a fix is applied whole or not at all.
func plannedEdits(findings []engine.Finding, applies func(*engine.Fix) error) ([]plannedFix, []string) {
	var planned []plannedFix
	var notes []string
	for i := range findings {
		f := &findings[i]
		if f.Status != engine.Fail || f.Suppressed != nil {
			continue
		}
		if f.Fix == nil {
			if f.NoFix != "" {
				notes = append(notes, fmt.Sprintf("%s: %s %s not fixed: %s", f.Range, f.CheckID, f.Resource, f.NoFix))
			}
			continue
		}
		if len(f.Fix.Edits) > 1 && applies != nil {
			if err := applies(f.Fix); err != nil {
				notes = append(notes, fmt.Sprintf("%s: %s %s not fixed (a fix is applied whole or not at all): %v", f.Range, f.CheckID, f.Resource, err))
				continue
			}
		}
		planned = append(planned, plannedFix{f: f, edits: f.Fix.Edits})
	}
	return planned, notes
}

// fixApplies reports whether every edit of a fix can be made in the file
// it names, as that file is on disk.
func fixApplies(fx *engine.Fix) error {
	byFile := map[string][]model.Edit{}
	for _, e := range fx.Edits {
		byFile[e.Range.Filename] = append(byFile[e.Range.Filename], e)
	}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(byFile)) {
		src, err := os.ReadFile(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("fix: %w", err))
			continue
		}
		_, failed := parsers.ApplyEdits(name, src, byFile[name])
		errs = append(errs, failed...)
	}
	return errors.Join(errs...)
}

// writeKeepingMode replaces the contents of an existing file.
func writeKeepingMode(name string, data []byte) error {
	st, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("fix: %w", err)
	}
	// name is a file the scan read (a finding's trail names it).
	if err := os.WriteFile(name, data, st.Mode().Perm()); err != nil {
		return fmt.Errorf("fix: %w", err)
	}
	return nil
}

// fixChanges returns what report.Report.FixChanges needs: the text
// replacements of a fix's edits of one file, computed by the parsers from
// the file as it is on disk (a relative name is relative to work). The
// report asks
// file after file (its results are sorted by location), so the file last
// read and parsed is kept for the edits that follow, and only it.
func fixChanges(work string) func([]model.Edit) ([]model.Replacement, error) {
	var last string
	var replace func([]model.Edit) ([]model.Replacement, error)
	var readErr error
	return func(edits []model.Edit) ([]model.Replacement, error) {
		if len(edits) == 0 {
			return nil, nil
		}
		name := edits[0].Range.Filename
		path := filepath.FromSlash(name)
		if !filepath.IsAbs(path) {
			path = filepath.Join(work, path)
		}
		if replace == nil && readErr == nil || path != last {
			last, replace, readErr = path, nil, nil
			src, err := os.ReadFile(path)
			if err != nil {
				readErr = fmt.Errorf("fix: %w", err)
			} else {
				replace = parsers.FileReplacements(name, src)
			}
		}
		if readErr != nil {
			return nil, readErr
		}
		return replace(edits)
	}
}
