package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

// changedFiles describes a scan of named files rather than directories,
// as a pre-commit hook runs it: the scan evaluates, whole, every module
// and root that reads one of the files (found from the repository root:
// a local module's file changes what its callers see), and reports only
// the findings that a named file is part of.
type changedFiles struct {
	files map[string]bool // absolute, clean
}

// newChangedFiles returns the changed-files scan for paths when every
// path names a file (not a directory), else nil.
func newChangedFiles(paths []string) *changedFiles {
	c := &changedFiles{files: map[string]bool{}}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || fi.IsDir() {
			return nil
		}
		c.files[absClean(p)] = true
	}
	if len(c.files) == 0 {
		return nil
	}
	return c
}

// list returns the files, sorted.
func (c *changedFiles) list() []string {
	out := make([]string, 0, len(c.files))
	for f := range c.files {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// walkPaths returns the directories to look for the units a change
// affects: the repository root of each file (the directory holding .git
// at or above it), or the file's own directory outside a repository;
// relative to work when below it, so that reports name files as a scan
// of the directory would.
func (c *changedFiles) walkPaths(work string) []string {
	var roots []string
	for _, f := range c.list() {
		dir := filepath.Dir(f)
		if root, ok := gitRoot(dir); ok {
			dir = root
		}
		roots = append(roots, dir)
	}
	slices.Sort(roots)
	roots = slices.Compact(roots)
	// A root inside another is walked with it.
	var out []string
	for _, r := range roots {
		if len(out) > 0 && within(out[len(out)-1], r) {
			continue
		}
		out = append(out, r)
	}
	for i, r := range out {
		if rel, err := filepath.Rel(work, r); err == nil && (filepath.IsLocal(rel) || rel == ".") {
			out[i] = rel
		}
	}
	return out
}

// within reports whether p is dir or below it (both absolute, clean).
func within(dir, p string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// named reports whether a file name from a finding or diagnostic (relative
// to work, or absolute) is one of the files.
func (c *changedFiles) named(name, work string) bool {
	if name == "" {
		return false
	}
	p := filepath.FromSlash(name)
	if !filepath.IsAbs(p) {
		p = filepath.Join(work, p)
	}
	return c.files[filepath.Clean(p)]
}

// concerns reports whether a named file is part of the finding: its
// location, a hop of its value trail, a related location (the module call
// that led to it, the resource it serves) or the root it was evaluated
// from (an ARM template, a Pulumi stack, a plan; relative to base).
func (c *changedFiles) concerns(f *engine.Finding, work, base string) bool {
	if c.named(f.Range.Filename, work) {
		return true
	}
	for _, h := range f.Trail {
		if c.named(h.Range.Filename, work) {
			return true
		}
	}
	for _, r := range f.Related {
		if c.named(r.Range.Filename, work) {
			return true
		}
	}
	return f.Root != "" && c.named(filepath.ToSlash(filepath.Join(base, filepath.FromSlash(f.Root))), work)
}

// filterDiagnostics keeps the diagnostics in a named file, and errors
// anywhere in what was evaluated (they may hide findings): a hook should
// not repeat, on every commit, warnings about files the commit leaves
// alone.
func (c *changedFiles) filterDiagnostics(r *report.Report) {
	r.Diagnostics = slices.DeleteFunc(r.Diagnostics, func(d model.Diagnostic) bool {
		return d.Severity != model.SevError && !c.named(d.Range.Filename, r.WorkDir)
	})
}

// absClean is a path's absolute, clean form (the path itself when the
// working directory is unknown).
func absClean(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}
