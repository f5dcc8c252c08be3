package report

import (
	"cmp"
	"fmt"
	"io"
	"iter"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/realpath"
)

// Tool identifies the program that produced a report.
type Tool struct {
	Name           string
	Version        string
	InformationURI string
}

// Report is the outcome of one scan, as the writers need it.
type Report struct {
	Tool Tool
	// Checks are the checks that ran (SARIF rules), sorted by id.
	Checks []*engine.Check
	// Findings in any order; writers sort them. Undetermined findings are
	// included and shown only when ShowUndetermined is set.
	Findings []engine.Finding
	// Spool, when set, holds more findings, read back in order by the
	// writers (a large scan keeps them on disk, not in memory); the
	// report lists those of Findings and of Spool.
	Spool       *Spool
	Diagnostics model.Diagnostics
	Stats       engine.Stats
	// Unevaluated, when set, counts values the parsers left unknown
	// because they could not evaluate them (azfuncscan scan --stats); the
	// JSON summary includes it.
	Unevaluated *model.Stats
	// BaseDir is the directory paths are printed relative to (the
	// repository root). Files outside it are printed as absolute paths.
	// Empty: paths are printed as they are.
	BaseDir string
	// WorkDir is the directory relative file names in findings and
	// diagnostics are relative to (the working directory of the scan); it
	// is also where the text writer reads snippets from. Empty: relative
	// names are taken to be relative to BaseDir already.
	WorkDir string
	// Threshold is the lowest severity of a failing finding that fails the
	// scan (--severity-threshold); empty means low. It decides the exit
	// status only: findings below it are still reported.
	Threshold engine.Severity
	// MinSeverity is the lowest severity reported (--min-severity); empty
	// means low. It filters the report only: a finding it leaves out still
	// counts for the exit status, and the summaries say how many.
	MinSeverity engine.Severity
	// Category, when set, is the SARIF run's automationDetails.id (with a
	// trailing slash, so that GitHub reads all of it as the category):
	// GitHub code scanning keeps one set of alerts per category.
	Category string
	// ShowUndetermined includes undetermined findings in the output (they
	// never count as failures).
	ShowUndetermined bool
	// ShowSuppressed includes suppressed findings (Finding.Suppressed) in
	// the text output. JSON and SARIF always list them, marked; they never
	// count as failures.
	ShowSuppressed bool
	// Baselined counts the findings left out because the baseline holds
	// them (--baseline); the summaries say so.
	Baselined int
	// FixChanges, when set, returns the text replacements that a fix's
	// edits of one file (all name the same file) make in it, applied
	// together: SARIF lists them as the result's fixes. The report reads
	// no source itself (cmd wires this to the parsers, which know each
	// format's syntax). An error for any file, or no replacement: no fix.
	FixChanges func(edits []model.Edit) ([]model.Replacement, error)
	// NewFixChanges, when set, is used instead of FixChanges: it returns
	// a FixChanges for one goroutine of the SARIF writer, which then
	// computes the fixes of several files at once, each file's on one
	// goroutine as far as it can. FixChanges alone is called by one
	// goroutine at a time, in the order of the results.
	NewFixChanges func() func(edits []model.Edit) ([]model.Replacement, error)
	// Failed is set when the scan could not do what was asked (nothing
	// below the paths could be scanned): SARIF's executionSuccessful is
	// then false. Problems in some inputs are diagnostics, not a failure.
	Failed bool

	// locs memoizes locate by file name: a SARIF report of a large scan
	// locates every result, and a file outside BaseDir costs two
	// filepath.EvalSymlinks (a stat per path element) each time.
	locs sync.Map
	// real resolves links in the paths of files outside BaseDir: the
	// files of a scan share their directories, so each costs one stat of
	// its own, not one per element of its path.
	real realpath.Resolver
}

// Format is an output format.
type Format string

// Output formats.
const (
	FormatText    Format = "text"
	FormatJSON    Format = "json"
	FormatSARIF   Format = "sarif"
	FormatCompact Format = "compact"
	FormatGitHub  Format = "github"
)

// Formats lists every output format, in the order help texts name them.
func Formats() []Format {
	return []Format{FormatText, FormatCompact, FormatGitHub, FormatJSON, FormatSARIF}
}

// formatNames is "text, compact, github, json or sarif".
func formatNames() string {
	fs := Formats()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// ParseFormat accepts the name of an output format, case-insensitively.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Formats(), f) {
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want %s)", s, formatNames())
}

// Write writes r in format f; opts apply to text only.
func Write(w io.Writer, f Format, r *Report, opts TextOptions) error {
	switch f {
	case FormatText:
		return WriteText(w, r, opts)
	case FormatJSON:
		return WriteJSON(w, r)
	case FormatSARIF:
		return WriteSARIF(w, r)
	case FormatCompact:
		return WriteCompact(w, r)
	case FormatGitHub:
		return WriteGitHub(w, r)
	}
	return fmt.Errorf("unknown format %q", f)
}

// threshold returns the lowest severity that fails the scan.
func (r *Report) threshold() engine.Severity {
	if r.Threshold.Rank() == 0 {
		return engine.Low
	}
	return r.Threshold
}

// minSeverity returns the lowest severity reported.
func (r *Report) minSeverity() engine.Severity {
	if r.MinSeverity.Rank() == 0 {
		return engine.Low
	}
	return r.MinSeverity
}

// Shown returns the findings the text writer prints, sorted: failing
// findings at or above the minimum severity, and undetermined ones too when
// ShowUndetermined is set; suppressed ones only when ShowSuppressed is.
func (r *Report) Shown() []engine.Finding {
	var out []engine.Finding
	for f := range r.shown(r.ShowSuppressed) {
		out = append(out, *f)
	}
	return out
}

// all returns every finding, of Findings and of Spool, in any order.
func (r *Report) all() iter.Seq[*engine.Finding] {
	return func(yield func(*engine.Finding) bool) {
		for i := range r.Findings {
			if !yield(&r.Findings[i]) {
				return
			}
		}
		if r.Spool != nil {
			for f := range r.Spool.All() {
				if !yield(f) {
					return
				}
			}
		}
	}
}

// sorted returns every finding in the report's order (a stable sort:
// Findings in their order, then Spool's).
func (r *Report) sorted() iter.Seq[*engine.Finding] {
	if r.Spool == nil || r.Spool.Len() == 0 {
		ptrs := sortedPointers(r.Findings)
		return slices.Values(ptrs)
	}
	if len(r.Findings) == 0 {
		return r.Spool.Sorted()
	}
	return func(yield func(*engine.Finding) bool) {
		ptrs := sortedPointers(r.Findings)
		next, stop := iter.Pull(r.Spool.Sorted())
		defer stop()
		sf, ok := next()
		for _, f := range ptrs {
			for ok && compareFindings(sf, f) < 0 {
				if !yield(sf) {
					return
				}
				sf, ok = next()
			}
			if !yield(f) {
				return
			}
		}
		for ok {
			if !yield(sf) {
				return
			}
			sf, ok = next()
		}
	}
}

// shown is Shown with or without the suppressed findings (JSON and SARIF
// list them always), as a sequence: read from the spool again at each
// use, never all held.
func (r *Report) shown(suppressed bool) iter.Seq[*engine.Finding] {
	return func(yield func(*engine.Finding) bool) {
		for f := range r.sorted() {
			if r.isShown(f, suppressed) && !yield(f) {
				return
			}
		}
	}
}

// isShown reports whether shown lists f.
func (r *Report) isShown(f *engine.Finding, suppressed bool) bool {
	return f.Severity.Rank() >= r.minSeverity().Rank() &&
		(f.Status != engine.Undetermined || r.ShowUndetermined) &&
		(f.Suppressed == nil || suppressed)
}

// tally is what the summaries count, in one pass over the findings.
type tally struct {
	failures        int // see Failures
	unshownFailures int // failures MinSeverity leaves out of the report
	undetermined    int // unsuppressed undetermined findings at or above MinSeverity
	suppressed      int // suppressed findings at or above MinSeverity (undetermined ones only when shown)
	// The failing findings shown (with or without the suppressed ones:
	// those never fail), by severity.
	failing int
	by      bySeverity
}

// tally counts the findings (see tally); a spool's from what it keeps
// in memory of each, without reading its runs back.
func (r *Report) tally() tally {
	least, shown := r.threshold().Rank(), r.minSeverity().Rank()
	var t tally
	count := func(k kind) {
		rank := k.severity.Rank()
		if k.status == engine.Fail && !k.suppressed && rank >= least {
			t.failures++
			if rank < shown {
				t.unshownFailures++
			}
		}
		if k.status == engine.Undetermined && !k.suppressed && rank >= shown {
			t.undetermined++
		}
		if k.suppressed && rank >= shown && (k.status == engine.Fail || r.ShowUndetermined) {
			t.suppressed++
		}
		// Shown and failing (isShown of an unsuppressed failure).
		if k.status != engine.Fail || k.suppressed || rank < shown {
			return
		}
		t.failing++
		switch k.severity {
		case engine.Critical:
			t.by.Critical++
		case engine.High:
			t.by.High++
		case engine.Medium:
			t.by.Medium++
		case engine.Low:
			t.by.Low++
		}
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		count(kind{f.Severity, f.Status, f.Suppressed != nil})
	}
	if r.Spool != nil {
		for _, k := range r.Spool.kinds {
			count(k)
		}
	}
	return t
}

// countShown counts the failing findings shown by severity (suppressed
// findings, shown or not, never fail).
func (r *Report) countShown() (failing int, by bySeverity) {
	t := r.tally()
	return t.failing, t.by
}

// Failures counts failing findings at or above the threshold that no
// ignore suppresses: what decides the exit status, whether or not
// MinSeverity leaves them out of the report. Undetermined findings never
// count.
func (r *Report) Failures() int { return r.tally().failures }

// unshownFailures counts the failures (see Failures) that MinSeverity
// leaves out of the report.
func (r *Report) unshownFailures() int { return r.tally().unshownFailures }

// undetermined counts unsuppressed undetermined findings at or above the
// minimum severity.
func (r *Report) undetermined() int { return r.tally().undetermined }

// suppressed counts suppressed findings at or above the minimum severity
// (undetermined ones only when shown).
func (r *Report) suppressed() int { return r.tally().suppressed }

// bySeverity counts shown failing findings per band.
type bySeverity struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

func compareFindings(a, b *engine.Finding) int {
	return cmp.Or(
		cmp.Compare(a.Range.Filename, b.Range.Filename),
		cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
		cmp.Compare(a.Range.Start.Column, b.Range.Start.Column),
		cmp.Compare(a.CheckID, b.CheckID),
		cmp.Compare(a.Resource, b.Resource),
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Status, b.Status),
		cmp.Compare(a.Root, b.Root),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.Fingerprint, b.Fingerprint),
	)
}

// diagnostics returns the diagnostics sorted by file and position; the
// order among equal positions is kept.
func (r *Report) diagnostics() model.Diagnostics {
	out := slices.Clone(r.Diagnostics)
	slices.SortStableFunc(out, func(a, b model.Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Range.Filename, b.Range.Filename),
			cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
			cmp.Compare(a.Range.Start.Column, b.Range.Start.Column),
		)
	})
	return out
}

// checkByID indexes the active checks.
func (r *Report) checkByID() map[string]*engine.Check {
	m := make(map[string]*engine.Check, len(r.Checks))
	for _, c := range r.Checks {
		m[c.ID] = c
	}
	return m
}

// sortedChecks returns the checks sorted by id.
func (r *Report) sortedChecks() []*engine.Check {
	out := slices.Clone(r.Checks)
	slices.SortStableFunc(out, func(a, b *engine.Check) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// location is a file name resolved for output.
type location struct {
	// display is the forward-slash path printed: relative to the base dir
	// when inside it, else absolute (or as given when nothing is known).
	display string
	// inside reports whether display is relative to the base dir.
	inside bool
	// open is the OS path to read the file from.
	open string
	// href is uri's result, kept with the memo of locate: every result
	// of a file renders it.
	href string
}

// locate resolves a file name from a finding or diagnostic.
func (r *Report) locate(name string) location {
	if name == "" {
		return location{}
	}
	if v, ok := r.locs.Load(name); ok {
		if l, ok := v.(location); ok {
			return l
		}
	}
	loc := r.resolve(name)
	loc.href = loc.escape()
	r.locs.Store(name, loc)
	return loc
}

// resolve is locate without the memo.
func (r *Report) resolve(name string) location {
	native := filepath.FromSlash(name)
	if !filepath.IsAbs(native) && r.WorkDir != "" {
		native = filepath.Join(r.WorkDir, native)
	}
	native = filepath.Clean(native)
	loc := location{open: native, display: filepath.ToSlash(native), inside: !filepath.IsAbs(native)}
	if r.BaseDir == "" {
		return loc
	}
	base, target := filepath.Clean(r.BaseDir), native
	if filepath.IsAbs(base) != filepath.IsAbs(target) {
		var err1, err2 error
		base, err1 = filepath.Abs(base)
		target, err2 = filepath.Abs(target)
		if err1 != nil || err2 != nil {
			return loc
		}
	}
	rel, ok := relInside(base, target)
	if !ok {
		// The same directory may be reached through a symbolic link
		// (a working directory under a linked path, an absolute path
		// given resolved): compare the resolved paths before calling the
		// file outside the base dir, so that files under the repository
		// root never get a file: URI next to relative ones.
		rb, err1 := r.real.Resolve(base)
		rt, err2 := r.real.Resolve(target)
		if err1 == nil && err2 == nil {
			rel, ok = relInside(rb, rt)
		}
	}
	if !ok {
		if abs, err := filepath.Abs(target); err == nil {
			loc.display = filepath.ToSlash(abs)
		}
		loc.inside = false
		return loc
	}
	loc.display, loc.inside = rel, true
	return loc
}

// relInside returns target relative to base, forward slashes, when it is
// inside base.
func relInside(base, target string) (string, bool) {
	rel, err := filepath.Rel(base, target)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", false
	}
	return rel, true
}

// uri renders a location as a SARIF artifact URI: a relative URI reference
// (percent-encoded segments) for files inside the base dir, a file: URI
// otherwise.
func (l location) uri() string {
	if l.href != "" {
		return l.href
	}
	return l.escape()
}

// escape is uri, computed.
func (l location) escape() string {
	if !l.inside {
		p := l.display
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x → /C:/x
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	segs := strings.Split(l.display, "/")
	for i, s := range segs {
		// PathEscape leaves ':' alone; a colon in the first segment would
		// read as a scheme.
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return strings.Join(segs, "/")
}

// position returns a 1-based line and column, never below 1.
func position(p model.Pos) (line, col int) {
	return max(p.Line, 1), max(p.Column, 1)
}

// securitySeverity renders a check's CVSS-like score for SARIF, falling
// back to the middle of its band when the check has none.
func securitySeverity(c *engine.Check) string {
	v := c.SecuritySeverity
	if v <= 0 {
		switch c.Severity {
		case engine.Critical:
			v = 9.5
		case engine.High:
			v = 8.0
		case engine.Medium:
			v = 5.5
		default:
			v = 2.0
		}
	}
	return fmt.Sprintf("%.1f", v)
}

// formatOrder lists remediation formats in a fixed order, known formats
// first, then any others sorted.
func formatOrder(m map[model.Format]string) []model.Format {
	known := []model.Format{model.Terraform, model.ARM, model.Pulumi}
	var out, rest []model.Format
	for _, f := range known {
		if strings.TrimSpace(m[f]) != "" {
			out = append(out, f)
		}
	}
	for f, text := range m {
		if !slices.Contains(known, f) && strings.TrimSpace(text) != "" {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// formatTitle names a format for people.
func formatTitle(f model.Format) string {
	switch f {
	case model.Terraform:
		return "Terraform"
	case model.ARM:
		return "ARM / Bicep"
	case model.Pulumi:
		return "Pulumi"
	}
	return string(f)
}
