package main

import (
	"path/filepath"
	"slices"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/suppress"
	"github.com/azfuncscan/azfuncscan/parsers/ignore"
)

// suppressFindings reads the ignores written in the files the findings
// point at (with reportUnused, also in every file that declares a
// resource, so that ignores covering nothing are found), adds the
// configuration's, marks the findings they cover and adds the diagnostics
// about the ignores to the report.
func suppressFindings(r *report.Report, eng *engine.Engine, declaring []string, external []model.Ignore, reportUnused bool) {
	igs, diags := ignore.Read(ignoreFiles(r.Findings, declaring, reportUnused))
	igs = append(igs, external...)
	diags = append(diags, suppress.Apply(r.Findings, igs, suppress.Options{
		Now:          time.Now(),
		Known:        func(id string) bool { return eng.Check(id) != nil },
		Active:       eng.Active,
		ReportUnused: reportUnused,
		WorkDir:      r.WorkDir,
	})...)
	r.Diagnostics = append(r.Diagnostics, diags...)
}

// ignoreFiles lists, sorted and once each, the files ignores may be
// written in.
func ignoreFiles(fs []engine.Finding, declaring []string, all bool) []string {
	seen := map[string]bool{}
	// The ranges of a module's findings name a few files thousands of
	// times: each name is cleaned once.
	named := map[string]bool{}
	var out []string
	add := func(r model.Range) {
		if r.Filename == "" || named[r.Filename] {
			return
		}
		named[r.Filename] = true
		key := cleanKey(r.Filename)
		if !seen[key] {
			seen[key] = true
			out = append(out, r.Filename)
		}
	}
	for i := range fs {
		f := &fs[i]
		add(f.Range)
		for _, h := range f.Trail {
			add(h.Range)
		}
		for _, rel := range f.Related {
			add(rel.Range)
		}
	}
	if all {
		for _, name := range declaring {
			add(model.Range{Filename: name})
		}
	}
	slices.Sort(out)
	return out
}

// cleanKey is the name of a file as ignoreFiles compares them.
func cleanKey(name string) string {
	return filepath.ToSlash(filepath.Clean(filepath.FromSlash(name)))
}

// resourceFiles lists the files that declare a module's resources, or
// the module calls that led to them, once each: where ignores covering
// nothing may be written.
func resourceFiles(m *model.Module) []string {
	seen := map[string]bool{}
	var out []string
	add := func(r model.Range) {
		if r.Filename != "" && !seen[r.Filename] {
			seen[r.Filename] = true
			out = append(out, r.Filename)
		}
	}
	for _, res := range moduleResources(m) {
		add(res.Range)
		for _, rel := range res.Related {
			add(rel.Range)
		}
		for _, h := range res.Calls {
			add(h.Range)
		}
	}
	return out
}

// moduleResources lists the resources of a module.
func moduleResources(m *model.Module) []*model.Resource {
	var out []*model.Resource
	for _, a := range m.FunctionApps {
		if a != nil {
			out = append(out, &a.Resource)
		}
	}
	for _, s := range m.StorageAccounts {
		if s != nil {
			out = append(out, &s.Resource)
		}
	}
	for _, p := range m.Plans {
		if p != nil {
			out = append(out, &p.Resource)
		}
	}
	for _, e := range m.PrivateEndpoints {
		if e != nil {
			out = append(out, &e.Resource)
		}
	}
	for _, d := range m.DiagnosticSettings {
		if d != nil {
			out = append(out, &d.Resource)
		}
	}
	return out
}
