package suppress

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/glob"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Options tune Apply.
type Options struct {
	// Now decides which ignores expired (tests pass a fixed time).
	Now time.Time
	// Known reports whether a check id names a loaded check; Active
	// whether it ran. Nil: every id is known and active.
	Known, Active func(id string) bool
	// ReportUnused reports the check ids of ignores that covered nothing.
	ReportUnused bool
	// WorkDir is what relative file names and roots of findings are
	// relative to (external ignores match paths relative to their Base).
	WorkDir string
}

// Apply sets Suppressed on every finding an ignore covers. In-source
// ignores are tried before external ones, each group in the order given;
// the first that covers a finding is recorded. It returns diagnostics
// about the ignores (see the package documentation), in ignore order.
func Apply(findings []engine.Finding, ignores []model.Ignore, opts Options) model.Diagnostics {
	ptrs := make([]*model.Ignore, len(ignores))
	for i := range ignores {
		ptrs[i] = &ignores[i]
	}
	m := NewMarker(opts)
	m.Mark(findings, ptrs)
	return m.Diagnostics(ptrs)
}

// Marker applies ignores to findings given a batch at a time (a large
// scan's modules, one after the other) and remembers which check of
// which ignore covered something, for Diagnostics at the end. An ignore
// is known by its address: give the same *model.Ignore to every batch.
type Marker struct {
	opts Options
	now  time.Time
	m    matcher
	used map[*model.Ignore][]bool
}

// NewMarker returns a Marker applying ignores with opts.
func NewMarker(opts Options) *Marker {
	return &Marker{opts: opts, now: opts.Now.UTC(), m: matcher{opts: opts}, used: map[*model.Ignore][]bool{}}
}

// Mark sets Suppressed on the findings the ignores cover, as Apply does:
// in-source ignores first, then external ones, each group in the order
// given.
func (mk *Marker) Mark(findings []engine.Finding, ignores []*model.Ignore) {
	order := make([]*model.Ignore, 0, len(ignores))
	for _, ig := range ignores {
		if !ig.External {
			order = append(order, ig)
		}
	}
	for _, ig := range ignores {
		if ig.External {
			order = append(order, ig)
		}
	}
	for fi := range findings {
		f := &findings[fi]
		for _, ig := range order {
			if ig.ExpiredAt(mk.now) {
				continue
			}
			k := slices.IndexFunc(ig.Checks, func(p string) bool { return checkMatches(p, f.CheckID) })
			if k < 0 || !mk.m.covers(ig, f) {
				continue
			}
			used := mk.used[ig]
			if used == nil {
				used = make([]bool, len(ig.Checks))
				mk.used[ig] = used
			}
			used[k] = true
			if f.Suppressed == nil {
				f.Suppressed = ig
			}
		}
	}
}

// Diagnostics returns the diagnostics about ignores (see the package
// documentation), in the order given: every ignore the batches were
// marked with, and those that could have been (with ReportUnused, an
// ignore no batch was given covered nothing).
func (mk *Marker) Diagnostics(ignores []*model.Ignore) model.Diagnostics {
	var diags model.Diagnostics
	for _, ig := range ignores {
		what := ignoreName(ig)
		if strings.TrimSpace(ig.Reason) == "" {
			diags = append(diags, model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Ignore without a reason",
				Detail:   fmt.Sprintf("%s gives no reason; say why the finding is acceptable (it still applies)", what),
				Range:    ig.At,
			})
		}
		if ig.ExpiredAt(mk.now) {
			diags = append(diags, model.Diagnostic{
				Severity: model.SevInfo,
				Summary:  "Expired ignore",
				Detail:   fmt.Sprintf("%s expired on %s and no longer applies", what, ig.Expires.Format(time.DateOnly)),
				Range:    ig.At,
			})
			continue
		}
		used := mk.used[ig]
		for k, id := range ig.Checks {
			switch {
			case !known(mk.opts.Known, id):
				diags = append(diags, model.Diagnostic{
					Severity: model.SevWarning,
					Summary:  "Ignore of an unknown check",
					Detail:   fmt.Sprintf("%s: no loaded check is %s", what, id),
					Range:    ig.At,
				})
			case mk.opts.ReportUnused && (k >= len(used) || !used[k]) && active(mk.opts.Active, id):
				diags = append(diags, model.Diagnostic{
					Severity: model.SevWarning,
					Summary:  "Unused ignore",
					Detail:   fmt.Sprintf("%s covers no finding of %s; remove it", what, id),
					Range:    ig.At,
				})
			}
		}
	}
	return diags
}

func ignoreName(ig *model.Ignore) string {
	ids := strings.Join(ig.Checks, ",")
	if ig.External {
		return "the configuration ignore of " + ids
	}
	return "azfuncscan:ignore[" + ids + "]"
}

// checkMatches matches a check id against an ignore's id or glob,
// case-insensitively.
func checkMatches(pattern, id string) bool {
	return glob.Name(strings.ToUpper(pattern), strings.ToUpper(id))
}

// known and active treat a nil predicate as true; a glob is known (and
// active) when it matches a known (active) id, which the caller cannot
// enumerate here, so globs are taken as known and active.
func known(f func(string) bool, id string) bool {
	return f == nil || strings.ContainsAny(id, "*?") || f(strings.ToUpper(id))
}

func active(f func(string) bool, id string) bool {
	return f == nil || strings.ContainsAny(id, "*?") || f(strings.ToUpper(id))
}

// matcher decides whether an ignore covers a finding.
type matcher struct {
	opts Options
}

func (m *matcher) covers(ig *model.Ignore, f *engine.Finding) bool {
	if ig.External {
		return m.external(ig, f)
	}
	file := cleanName(ig.Scope.Filename)
	in := func(r model.Range) bool {
		return r.Start.Line >= ig.Scope.Start.Line && r.Start.Line <= ig.Scope.End.Line &&
			cleanName(r.Filename) == file
	}
	return slices.ContainsFunc(locations(f), in)
}

func (m *matcher) external(ig *model.Ignore, f *engine.Finding) bool {
	if !glob.Name(ig.Resource, f.Resource) {
		return false
	}
	if ig.Root != "" && !glob.Path(ig.Root, m.rel(ig.Base, f.Root)) {
		return false
	}
	if ig.Path == "" {
		return true
	}
	return slices.ContainsFunc(locations(f), func(r model.Range) bool {
		return r.Filename != "" && glob.Path(ig.Path, m.rel(ig.Base, r.Filename))
	})
}

// rel returns name relative to base, forward slashes; names outside base
// start with ../ and match no ordinary pattern.
func (m *matcher) rel(base, name string) string {
	p := filepath.FromSlash(name)
	if !filepath.IsAbs(p) && m.opts.WorkDir != "" {
		p = filepath.Join(m.opts.WorkDir, p)
	}
	if base == "" {
		return filepath.ToSlash(filepath.Clean(p))
	}
	if r, err := filepath.Rel(base, p); err == nil {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}

// locations lists every place a finding can be pointed at.
func locations(f *engine.Finding) []model.Range {
	out := make([]model.Range, 0, 1+len(f.Trail)+len(f.Related))
	out = append(out, f.Range)
	for _, h := range f.Trail {
		out = append(out, h.Range)
	}
	for _, r := range f.Related {
		out = append(out, r.Range)
	}
	return out
}

func cleanName(name string) string {
	return path.Clean(filepath.ToSlash(name))
}
