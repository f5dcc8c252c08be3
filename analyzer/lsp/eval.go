package lsp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/azfuncscan/azfuncscan/analyzer/config"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/suppress"
)

// state is what the server evaluated and published. Only the worker
// writes it; handlers read it under Server.mu.
type state struct {
	// roots are the diagnostics of each evaluated root (model.Module.Path,
	// absolute), by file.
	roots map[string]map[string][]item
	// problems are the problems met reading each file (parser and
	// suppression diagnostics), by file.
	problems map[string][]item
	// published are the files last published with diagnostics.
	published map[string]bool
	// engines caches an engine per configuration (see engineFor).
	engines map[string]*engine.Engine
}

func newState() *state {
	return &state{
		roots:     map[string]map[string][]item{},
		problems:  map[string][]item{},
		published: map[string]bool{},
		engines:   map[string]*engine.Engine{},
	}
}

// item is one diagnostic with what hover and code actions need.
type item struct {
	diag  protocol.Diagnostic
	check *engine.Check // nil for a problem reading the input
	// finding is the finding shown (nil for a problem).
	finding *engine.Finding
	format  model.Format
	// fix are the files the finding's fix edits (one per file, in the
	// order of its edits); empty when it has no fix.
	fix []fixTarget
}

// fixTarget is a file a finding's fix edits, as the evaluation read it,
// and its edits of that file.
type fixTarget struct {
	file  string // absolute
	edits []model.Edit
	// open is set when the file was an open document, of version
	// version: the edit's offsets are offsets of that text.
	open    bool
	version int32
}

// snapshot is what one evaluation reads of the server's state.
type snapshot struct {
	docs             map[string][]byte
	uris             map[string]protocol.DocumentURI
	versions         map[string]int32
	folders          []string
	showUndetermined bool
}

func (s *Server) snapshot() snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	sn := snapshot{
		docs:             make(map[string][]byte, len(s.docs)),
		uris:             make(map[string]protocol.DocumentURI, len(s.docs)),
		versions:         make(map[string]int32, len(s.docs)),
		folders:          slices.Clone(s.folders),
		showUndetermined: s.showUndetermined,
	}
	for p, d := range s.docs {
		sn.docs[p], sn.uris[p], sn.versions[p] = d.text, d.uri, d.version
	}
	return sn
}

// rootOf returns the workspace folder holding path (the innermost), or
// the path's directory when no folder holds it.
func rootOf(folders []string, path string) string {
	best := ""
	for _, f := range folders {
		if within(f, path) && len(f) > len(best) {
			best = f
		}
	}
	if best == "" {
		return filepath.Dir(path)
	}
	return best
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// evaluate re-evaluates what the changed files affect and publishes the
// diagnostics of every file whose diagnostics may have changed.
func (s *Server) evaluate(ctx context.Context, changed []string) {
	sn := s.snapshot()
	groups := map[string][]string{}
	for _, p := range changed {
		r := rootOf(sn.folders, p)
		groups[r] = append(groups[r], p)
	}
	roots := make([]string, 0, len(groups))
	for r := range groups {
		roots = append(roots, r)
	}
	sort.Strings(roots)
	touched := map[string]bool{}
	for _, r := range roots {
		if ctx.Err() != nil {
			return
		}
		files := groups[r]
		sort.Strings(files)
		s.evaluateRoot(ctx, sn, r, files, touched)
	}
	s.publish(ctx, sn, touched)
}

// evaluateRoot loads and checks the roots below dir that the changed
// files affect and records their diagnostics; every file whose
// diagnostics may have changed is added to touched.
func (s *Server) evaluateRoot(ctx context.Context, sn snapshot, dir string, changed []string, touched map[string]bool) {
	read := readThrough(sn.docs)
	conv := newConverter(read)
	var problems model.Diagnostics

	cfg, err := findConfig(dir)
	if err != nil {
		s.logf("%v", err)
		problems = append(problems, configProblem(err))
		cfg = nil
	}
	eng, err := s.engineFor(cfg, dir)
	if err != nil {
		s.logf("checks: %v", err)
		problems = append(problems, configProblem(err))
		eng, err = s.engineFor(nil, dir)
		if err != nil {
			s.logf("built-in checks: %v", err)
			return
		}
	}
	mods, diags, err := s.opts.Loader.Load(ctx, dir, changed, LoadOptions{ReadFile: read, Config: cfg, WorkDir: dir})
	if err != nil {
		s.logf("load %s: %v", dir, err)
		return
	}
	problems = append(problems, diags...)

	var findings []engine.Finding
	owner := []string{}
	for _, m := range mods {
		if ctx.Err() != nil {
			return
		}
		res := eng.Run(ctx, m)
		for range res.Findings {
			owner = append(owner, absolute(dir, m.Path))
		}
		findings = append(findings, res.Findings...)
	}
	igs, idiags := s.opts.Loader.Ignores(ignoreFiles(findings), read)
	problems = append(problems, idiags...)
	if cfg != nil {
		igs = append(igs, cfg.Ignores...)
	}
	problems = append(problems, suppress.Apply(findings, igs, suppress.Options{
		Now:     s.opts.Now(),
		Known:   func(id string) bool { return eng.Check(id) != nil },
		Active:  eng.Active,
		WorkDir: dir,
	})...)

	// The roots evaluated now replace what they had; roots that a
	// changed file made or named and that are gone are dropped.
	fresh := map[string]map[string][]item{}
	for _, m := range mods {
		fresh[absolute(dir, m.Path)] = map[string][]item{}
	}
	for i := range findings {
		f := &findings[i]
		if f.Suppressed != nil || (f.Status == engine.Undetermined && !sn.showUndetermined) {
			continue
		}
		file := absolute(dir, f.Range.Filename)
		if f.Range.Filename == "" || f.Range.Start.Line < 1 {
			continue
		}
		c := eng.Check(f.CheckID)
		it := item{diag: findingDiagnostic(f, c, conv, dir), check: c, finding: f, format: formatOf(mods, owner[i], dir)}
		if f.Fix != nil {
			it.fix = fixTargets(f.Fix.Edits, dir, &sn)
		}
		fresh[owner[i]][file] = append(fresh[owner[i]][file], it)
	}
	gone := func(root string) bool {
		if _, err := os.Stat(root); errors.Is(err, os.ErrNotExist) {
			return true
		}
		return slices.ContainsFunc(changed, func(c string) bool { return c == root || filepath.Dir(c) == root })
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for root, files := range s.st.roots {
		if _, ok := fresh[root]; ok || (within(dir, root) && gone(root)) {
			for f := range files {
				touched[f] = true
			}
			if !ok {
				delete(s.st.roots, root)
			}
		}
	}
	for root, files := range fresh {
		s.st.roots[root] = files
		for f := range files {
			touched[f] = true
		}
	}
	byFile := map[string][]item{}
	for _, d := range problems {
		if d.Range.Filename == "" || d.Range.Start.Line < 1 {
			continue
		}
		file := absolute(dir, d.Range.Filename)
		if fi, err := os.Stat(file); err != nil || fi.IsDir() {
			if _, open := sn.docs[file]; !open {
				continue
			}
		}
		byFile[file] = append(byFile[file], item{diag: problemDiagnostic(&d, conv, dir)})
	}
	for _, f := range changed {
		if _, ok := byFile[f]; !ok {
			byFile[f] = nil
		}
	}
	for f, items := range byFile {
		if len(items) == 0 {
			delete(s.st.problems, f)
		} else {
			s.st.problems[f] = items
		}
		touched[f] = true
	}
}

// publish sends the diagnostics of each touched file (an empty list
// clears a file that had some).
func (s *Server) publish(ctx context.Context, sn snapshot, touched map[string]bool) {
	files := make([]string, 0, len(touched))
	for f := range touched {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		s.mu.Lock()
		diags := s.fileItems(f)
		had := s.st.published[f]
		if len(diags) > 0 {
			s.st.published[f] = true
		} else {
			delete(s.st.published, f)
		}
		s.mu.Unlock()
		if len(diags) == 0 && !had {
			continue
		}
		params := &protocol.PublishDiagnosticsParams{URI: uriOf(sn, f), Diagnostics: make([]protocol.Diagnostic, 0, len(diags))}
		if v, ok := sn.versions[f]; ok && v > 0 {
			params.Version = uint32(v)
		}
		for i := range diags {
			params.Diagnostics = append(params.Diagnostics, diags[i].diag)
		}
		if err := s.conn.Notify(ctx, protocol.MethodTextDocumentPublishDiagnostics, params); err != nil {
			s.logf("publish %s: %v", f, err)
			return
		}
	}
}

// fileItems returns the diagnostics of a file: the problems met reading
// it, then the findings of every root in it, the same finding from
// several roots once; sorted by position. Call with s.mu held.
func (s *Server) fileItems(file string) []item {
	out := slices.Clone(s.st.problems[file])
	seen := map[string]bool{}
	roots := make([]string, 0, len(s.st.roots))
	for r := range s.st.roots {
		roots = append(roots, r)
	}
	sort.Strings(roots)
	for _, r := range roots {
		for _, it := range s.st.roots[r][file] { //nolint:gocritic // rangeValCopy: few items, copied into out anyway
			key := fmt.Sprintf("%v|%v|%s", it.diag.Range, it.diag.Code, it.diag.Message)
			if !seen[key] {
				seen[key] = true
				out = append(out, it)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].diag.Range.Start, out[j].diag.Range.Start
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Character < b.Character
	})
	return out
}

// uriOf is the URI to publish a file's diagnostics under: the open
// document's own, else the file's.
func uriOf(sn snapshot, file string) protocol.DocumentURI {
	if u, ok := sn.uris[file]; ok {
		return u
	}
	return uri.File(file)
}

// absolute returns the absolute, clean OS form of a path as the parsers
// name it (forward slashes, relative to dir or absolute).
func absolute(dir, name string) string {
	p := filepath.FromSlash(name)
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	return filepath.Clean(p)
}

// formatOf returns the format of the module at path among mods.
func formatOf(mods []*model.Module, path, dir string) model.Format {
	for _, m := range mods {
		if absolute(dir, m.Path) == path {
			return m.Format
		}
	}
	return ""
}

// findConfig finds and reads the configuration file for a scan of dir,
// as azfuncscan scan does.
func findConfig(dir string) (*config.Config, error) {
	path, err := config.Find(dir)
	if err != nil || path == "" {
		return nil, err
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return cfg, nil
}

// configProblem turns a configuration error into a diagnostic on the
// configuration file when it names one.
func configProblem(err error) model.Diagnostic {
	d := model.Diagnostic{Severity: model.SevError, Summary: "configuration", Detail: err.Error()}
	var ce *config.Error
	if errors.As(err, &ce) {
		line := max(ce.Line, 1)
		d.Summary, d.Detail = ce.Msg, ""
		d.Range = model.Range{Filename: filepath.ToSlash(ce.File), Start: model.Pos{Line: line, Column: 1}, End: model.Pos{Line: line, Column: 1}}
	}
	return d
}

// engineFor returns the engine for a configuration (nil: the built-in
// checks as they are), built once per configuration content.
func (s *Server) engineFor(cfg *config.Config, dir string) (*engine.Engine, error) {
	key := "\x00"
	var dirs, enable, disable []string
	if cfg != nil {
		dirs, enable, disable = cfg.ChecksDirs, cfg.Enable, cfg.Disable
		key = fmt.Sprintf("%s|%q|%q|%q|%v", cfg.Path, dirs, enable, disable, cfg.Severity)
	}
	key += "|" + repoRoot(dir)
	if e := s.st.engines[key]; e != nil {
		return e, nil
	}
	all, err := s.opts.Checks(dirs)
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		if err := cfg.ApplySeverity(all); err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
	}
	e, err := engine.New(all, engine.Options{Enable: enable, Disable: disable, RepoRoot: repoRoot(dir), WorkDir: dir})
	if err != nil {
		return nil, fmt.Errorf("checks: %w", err)
	}
	s.st.engines[key] = e
	return e, nil
}

// repoRoot is the repository root above dir (the directory holding
// .git), else dir: findings' identities are relative to it, as in the CLI.
func repoRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return dir
		}
		d = up
	}
}

// ignoreFiles lists, once each and sorted, the files ignores covering
// the findings may be written in: where they point, their trails and
// related locations.
func ignoreFiles(fs []engine.Finding) []string {
	seen := map[string]bool{}
	var out []string
	add := func(r model.Range) {
		if r.Filename != "" && !seen[r.Filename] {
			seen[r.Filename] = true
			out = append(out, r.Filename)
		}
	}
	for i := range fs {
		add(fs[i].Range)
		for _, h := range fs[i].Trail {
			add(h.Range)
		}
		for _, rel := range fs[i].Related {
			add(rel.Range)
		}
	}
	sort.Strings(out)
	return out
}

// findingDiagnostic converts a finding.
func findingDiagnostic(f *engine.Finding, c *engine.Check, conv *converter, dir string) protocol.Diagnostic {
	d := protocol.Diagnostic{
		Range:    conv.rangeOf(absolute(dir, f.Range.Filename), f.Range),
		Severity: severity(f.Severity),
		Code:     f.CheckID,
		Source:   "azfuncscan",
		Message:  f.Message,
	}
	if f.Status == engine.Undetermined {
		d.Severity = protocol.DiagnosticSeverityHint
	}
	href := report.CheckDocURL(f.CheckID)
	if c != nil && c.HelpURI != "" {
		href = c.HelpURI
	}
	if c == nil || c.HelpURI != "" || strings.HasPrefix(c.Source, "checks/") {
		d.CodeDescription = &protocol.CodeDescription{Href: protocol.URI(href)}
	}
	for _, n := range report.Notes(f) {
		if n.Range.Filename == "" || n.Range.Start.Line < 1 {
			continue
		}
		file := absolute(dir, n.Range.Filename)
		msg := n.Text
		switch n.Kind {
		case report.NoteOrigin:
			msg = "value set here: " + n.Text
		case report.NoteVia:
			msg = "via " + n.Text
		}
		d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uri.File(file), Range: conv.rangeOf(file, n.Range)},
			Message:  msg,
		})
	}
	return d
}

// problemDiagnostic converts a problem met reading the input.
func problemDiagnostic(p *model.Diagnostic, conv *converter, dir string) protocol.Diagnostic {
	msg := p.Summary
	if p.Detail != "" {
		msg += ": " + p.Detail
	}
	sev := protocol.DiagnosticSeverityInformation
	switch p.Severity {
	case model.SevError:
		sev = protocol.DiagnosticSeverityError
	case model.SevWarning:
		sev = protocol.DiagnosticSeverityWarning
	}
	return protocol.Diagnostic{
		Range:    conv.rangeOf(absolute(dir, p.Range.Filename), p.Range),
		Severity: sev,
		Source:   "azfuncscan",
		Message:  msg,
	}
}

// severity maps a check's severity: critical and high are errors, medium
// warnings, low information.
func severity(s engine.Severity) protocol.DiagnosticSeverity {
	switch s {
	case engine.Critical, engine.High:
		return protocol.DiagnosticSeverityError
	case engine.Medium:
		return protocol.DiagnosticSeverityWarning
	}
	return protocol.DiagnosticSeverityInformation
}

// fixTargets groups a fix's edits by the file they edit, noting whether
// the evaluation read it as an open document and of which version. nil
// when an edit names no file.
func fixTargets(edits []model.Edit, dir string, sn *snapshot) []fixTarget {
	var out []fixTarget
	for _, e := range edits {
		if e.Range.Filename == "" {
			return nil
		}
		file := absolute(dir, e.Range.Filename)
		i := slices.IndexFunc(out, func(t fixTarget) bool { return t.file == file })
		if i < 0 {
			t := fixTarget{file: file, version: sn.versions[file]}
			_, t.open = sn.docs[file]
			out = append(out, t)
			i = len(out) - 1
		}
		out[i].edits = append(out[i].edits, e)
	}
	return out
}
