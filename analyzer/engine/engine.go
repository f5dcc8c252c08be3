package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Options select which loaded checks run and how findings are named.
type Options struct {
	// Enable turns on checks by id (incl. opt-in checks); Disable turns off.
	Enable, Disable []string
	// RepoRoot is the directory a finding's identity is relative to: the
	// repository root (the directory holding .git), else the working
	// directory. Finding.Root and the file in a fingerprint are named by
	// their forward-slash path relative to it, so the same scan gives the
	// same fingerprints from any working directory and whether it was
	// given relative or absolute paths. A file outside RepoRoot is named
	// by its absolute path. Empty: names are kept as the parsers gave them
	// (cleaned, forward slashes).
	RepoRoot string
	// WorkDir is the directory relative file names from the parsers are
	// relative to (the working directory of the scan). Empty: the
	// process's working directory. Used only with RepoRoot.
	WorkDir string
}

// Stats counts check outcomes over everything Run saw. Every check that
// applies to the module's format is evaluated on every function app once
// (Evaluated); each evaluation ends in exactly one of Passed, Failed,
// Undetermined, NotApplicable and Errors. A check with each fails when any element
// fails, else is undetermined when any element is, else passes.
type Stats struct {
	Resources     int `json:"resources"`
	Evaluated     int `json:"evaluated"`
	Passed        int `json:"passed"`
	Failed        int `json:"failed"`
	Undetermined  int `json:"undetermined"`
	NotApplicable int `json:"not_applicable"`
	// Errors counts evaluations that raised an error (an index out of
	// range, a missing key, a value a check function cannot read, the
	// cost limit): each is reported as a check error diagnostic
	// (Result.Diagnostics), never as a pass or an undetermined finding.
	Errors int `json:"errors"`
}

// Add adds o's counts to s, to sum the stats of several modules.
func (s *Stats) Add(o Stats) {
	s.Resources += o.Resources
	s.Evaluated += o.Evaluated
	s.Passed += o.Passed
	s.Failed += o.Failed
	s.Undetermined += o.Undetermined
	s.NotApplicable += o.NotApplicable
	s.Errors += o.Errors
}

// Result is what Run found in one module.
type Result struct {
	// Findings are sorted by file, line, column, check id, resource, path.
	// Undetermined outcomes are included with Status == Undetermined.
	Findings []Finding
	// Diagnostics are check errors: an evaluation that raised an error,
	// naming the check, the resource and the expression (Severity
	// model.SevError, at the blamed location). Sorted, one per check,
	// location and message.
	Diagnostics model.Diagnostics
	Stats       Stats
	// Apps has one entry per function app evaluated, in the module's
	// order, with the outcome of every check on it: passes and checks
	// that do not apply included (a compliance report needs them).
	Apps []AppOutcome
}

// Engine runs a fixed set of compiled checks. It is safe for concurrent
// use: it is never modified after New.
type Engine struct {
	all    []*Check // every check given to New, sorted by id
	active []*Check // the checks that run, sorted by id
	byID   map[string]*Check
	// repoRoot and workDir are Options.RepoRoot and WorkDir, absolute
	// and clean (repoRoot empty when not set).
	repoRoot, workDir string
	// viewer builds each app's view, knowing the model's types from the
	// first app on.
	viewer *model.Viewer
	// buffers holds *appBuffers: the nodes of one app's view and the maps
	// and lists of its CEL data serve the next app's, in this Run and the
	// following ones, instead of every app allocating its own (the
	// largest allocations of a Run).
	buffers sync.Pool
	// appReads and itemReads are what the active checks' expressions
	// read of app and of item: only that is converted to CEL data.
	appReads, itemReads reads
}

// New returns an engine running checks selected by opts: every check
// enabled by default, plus the opt-in ones named in Enable, minus those in
// Disable, ids compared ignoring case. An id in Enable or Disable that
// names no check, a check given twice and a check not made by Load are
// errors.
func New(checks []*Check, opts Options) (*Engine, error) {
	e := &Engine{byID: make(map[string]*Check, len(checks)), viewer: new(model.Viewer)}
	if opts.RepoRoot != "" {
		var err error
		if e.workDir, err = absDir(opts.WorkDir); err != nil {
			return nil, fmt.Errorf("work dir: %w", err)
		}
		e.repoRoot = opts.RepoRoot
		if !filepath.IsAbs(e.repoRoot) {
			e.repoRoot = filepath.Join(e.workDir, e.repoRoot)
		}
		e.repoRoot = filepath.Clean(e.repoRoot)
	}
	for _, c := range checks {
		if c == nil || c.logic == nil {
			return nil, fmt.Errorf("check %q was not loaded with engine.Load", checkID(c))
		}
		if prev := e.byID[c.ID]; prev != nil {
			return nil, fmt.Errorf("duplicate check id %s (%s and %s)", c.ID, prev.Source, c.Source)
		}
		e.byID[c.ID] = c
		e.all = append(e.all, c)
	}
	sort.Slice(e.all, func(i, j int) bool { return e.all[i].ID < e.all[j].ID })
	enable, err := e.idSet("enable", opts.Enable)
	if err != nil {
		return nil, err
	}
	disable, err := e.idSet("disable", opts.Disable)
	if err != nil {
		return nil, err
	}
	for _, c := range e.all {
		if (c.EnabledByDefault || enable[c.ID]) && !disable[c.ID] {
			e.active = append(e.active, c)
			// The lists a check iterates are read whole: their
			// elements' data is item's.
			for _, p := range c.logic.each {
				r := &e.appReads
				for _, s := range p.segs {
					if s.name == "" {
						break
					}
					r = r.child(s.name)
				}
				r.all = true
			}
			for _, x := range []*expr{c.logic.when, c.logic.fail, c.logic.lower} {
				if x != nil {
					e.appReads.merge(&x.app)
					e.itemReads.merge(&x.item)
				}
			}
		}
	}
	return e, nil
}

func checkID(c *Check) string {
	if c == nil {
		return "<nil>"
	}
	return c.ID
}

func (e *Engine) idSet(what string, ids []string) (map[string]bool, error) {
	set := make(map[string]bool, len(ids))
	var unknown []string
	for _, id := range ids {
		id = strings.TrimSpace(id)
		c := e.lookup(id)
		if c == nil {
			unknown = append(unknown, id)
			continue
		}
		set[c.ID] = true
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%s: unknown check id %s", what, strings.Join(unknown, ", "))
	}
	return set, nil
}

// lookup finds a check by id, ignoring case (azfunc-040 is AZFUNC-040).
func (e *Engine) lookup(id string) *Check {
	if c := e.byID[id]; c != nil {
		return c
	}
	for _, c := range e.all {
		if strings.EqualFold(c.ID, id) {
			return c
		}
	}
	return nil
}

// Checks returns the active checks sorted by id. Report writers list
// these as SARIF rules.
func (e *Engine) Checks() []*Check { return append([]*Check(nil), e.active...) }

// All returns every loaded check sorted by id, active or not (for
// `azfuncscan checks`).
func (e *Engine) All() []*Check { return append([]*Check(nil), e.all...) }

// Check returns the loaded check with the given id, or nil.
func (e *Engine) Check(id string) *Check { return e.byID[id] }

// Active reports whether the check with the given id runs.
func (e *Engine) Active(id string) bool {
	for _, c := range e.active {
		if c.ID == id {
			return true
		}
	}
	return false
}

// Run evaluates every active check that applies to m.Format on every
// function app of m. The view of each app is built once and shared by all
// checks. When ctx is cancelled Run stops and returns what it found so
// far; callers that care check ctx.Err().
func (e *Engine) Run(ctx context.Context, m *model.Module) *Result {
	return e.RunShared(ctx, m, nil)
}

// RunShared is Run with a table of strings shared with other Runs: the
// findings hold one copy, the table's, of each string they share with the
// findings of the other Runs given st (see Strings). nil: none.
func (e *Engine) RunShared(ctx context.Context, m *model.Module, st *Strings) *Result {
	res := &Result{}
	if m == nil {
		return res
	}
	checks := make([]*Check, 0, len(e.active))
	for _, c := range e.active {
		if c.AppliesTo(m.Format) {
			checks = append(checks, c)
		}
	}
	idx := indexResources(m)
	ident := e.identifier()
	root := ident(m.Path)
	bufs, _ := e.buffers.Get().(*appBuffers)
	if bufs == nil {
		bufs = new(appBuffers)
	}
	// No finding, diagnostic or outcome refers to a view's nodes or to
	// CEL data: each app's are dropped when its checks have run.
	defer func() {
		bufs.reset()
		e.buffers.Put(bufs)
	}()
	// The findings are gathered in the buffers' list, grown once for
	// all Runs instead of one growth after another in each.
	res.Findings = bufs.findings[:0]
	for _, app := range m.FunctionApps {
		if app == nil {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		res.Stats.Resources++
		bufs.reset()
		ac := newAppContext(e.viewer.ViewIn(&bufs.views, app), app, root, idx, ident, &e.appReads, &e.itemReads, &bufs.data)
		ao := AppOutcome{Root: root, Address: app.Address, Name: ac.knownName(), Type: app.Type, Slot: app.IsSlot.Known() && app.IsSlot.V,
			Checks: make([]CheckOutcome, 0, len(checks))}
		if ao.Slot && app.Parent.Known() {
			ao.Parent = app.Parent.V
		}
		for _, c := range checks {
			if ctx.Err() != nil {
				break
			}
			out, ok := ac.run(ctx, c, res)
			if !ok {
				break
			}
			res.Stats.count(out)
			ao.Checks = append(ao.Checks, CheckOutcome{CheckID: c.ID, Status: out.status()})
		}
		if len(ao.Checks) == 0 {
			ao.Checks = nil // as when nothing was appended
		}
		res.Apps = append(res.Apps, ao)
	}
	bufs.findings = res.Findings
	res.Findings = finalize(res.Findings)
	switch {
	case len(res.Findings) == 0:
		res.Findings = nil // as when nothing was appended
	case &res.Findings[0] == &bufs.findings[0]:
		// Findings gathered in order are finalized in place: the
		// Result gets its own copy of them, of their number.
		res.Findings = slices.Clone(res.Findings)
	}
	// The buffers keep no finding (their strings may be a parser's).
	clear(bufs.findings)
	bufs.findings = bufs.findings[:0]
	e.planFixes(m.Format, idx, res.Findings)
	detach(res.Findings, st)
	res.Diagnostics = finalizeDiagnostics(res.Diagnostics)
	return res
}

// appBuffers hold what one app's evaluation allocates, for the next.
type appBuffers struct {
	views model.ViewBuffer
	data  dataBuffer
	// findings holds the findings of a Run until finalize has copied
	// them out; it is empty between Runs.
	findings []Finding
}

func (b *appBuffers) reset() {
	b.views.Reset()
	b.data.reset()
}

// absDir returns dir made absolute and clean; "" is the process's working
// directory.
func absDir(dir string) (string, error) {
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("%s: %w", dir, err)
	}
	return abs, nil
}

// identifier returns the function that names a file or directory for a
// finding's identity (Finding.Root, fingerprints): its forward-slash path
// relative to the repository root ("." for the root itself), or its
// absolute path when outside it; without a repository root, the name as
// the parser gave it, cleaned. Names are cached for one Run.
func (e *Engine) identifier() func(string) string {
	cache := map[string]string{}
	return func(name string) string {
		if name == "" {
			return ""
		}
		if id, ok := cache[name]; ok {
			return id
		}
		id := e.identity(name)
		cache[name] = id
		return id
	}
}

func (e *Engine) identity(name string) string {
	native := filepath.Clean(filepath.FromSlash(name))
	if e.repoRoot == "" {
		return filepath.ToSlash(native)
	}
	if !filepath.IsAbs(native) {
		native = filepath.Join(e.workDir, native)
	}
	rel, err := filepath.Rel(e.repoRoot, native)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(native)
	}
	return filepath.ToSlash(rel)
}

// resourceIndex finds a modelled resource by address.
type resourceIndex map[string]*model.Resource

func indexResources(m *model.Module) resourceIndex {
	idx := resourceIndex{}
	add := func(r *model.Resource) {
		if r != nil && r.Address != "" && idx[r.Address] == nil {
			idx[r.Address] = r
		}
	}
	for _, a := range m.FunctionApps {
		if a == nil {
			continue
		}
		add(&a.Resource)
		if a.StorageAccount != nil {
			add(&a.StorageAccount.Resource)
			for _, pe := range a.StorageAccount.PrivateEndpoints.Items {
				if pe != nil {
					add(&pe.Resource)
				}
			}
		}
		if a.Plan != nil {
			add(&a.Plan.Resource)
		}
		if a.DefenderPricing != nil {
			add(&a.DefenderPricing.Resource)
		}
		for _, d := range a.DiagnosticSettings.Items {
			if d != nil {
				add(&d.Resource)
			}
		}
		for _, pe := range a.PrivateEndpoints.Items {
			if pe != nil {
				add(&pe.Resource)
			}
		}
	}
	for _, s := range m.StorageAccounts {
		if s != nil {
			add(&s.Resource)
		}
	}
	for _, p := range m.Plans {
		if p != nil {
			add(&p.Resource)
		}
	}
	for _, p := range m.DefenderPricings {
		if p != nil {
			add(&p.Resource)
		}
	}
	for _, pe := range m.PrivateEndpoints {
		if pe != nil {
			add(&pe.Resource)
		}
	}
	for _, d := range m.DiagnosticSettings {
		if d != nil {
			add(&d.Resource)
		}
	}
	return idx
}

// finalizeDiagnostics sorts check errors and drops repeats (a storage
// account shared by two apps errs once).
func finalizeDiagnostics(ds model.Diagnostics) model.Diagnostics {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Range, ds[j].Range
		switch {
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		case a.Start.Column != b.Start.Column:
			return a.Start.Column < b.Start.Column
		}
		return ds[i].Summary < ds[j].Summary
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d.Range == ds[i-1].Range && d.Summary == ds[i-1].Summary && d.Detail == ds[i-1].Detail {
			continue
		}
		out = append(out, d)
	}
	return out
}

// planFixes attaches its fix to each failing finding of a check that
// declares one for format.
func (e *Engine) planFixes(format model.Format, idx resourceIndex, findings []Finding) {
	for i := range findings {
		f := &findings[i]
		// By id in the map, not by comparing ids down the list of
		// active checks: a finding comes from an active check.
		c := e.byID[f.CheckID]
		if c != nil && f.Status == Fail && (len(c.Fix) > 0 || c.FixHint != "") {
			f.Fix, f.NoFix = planFix(c, format, f, idx[f.Resource], idx)
		}
		f.sources = nil
	}
}
