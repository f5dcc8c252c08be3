// Package analyzertest runs the engine over a fixture directory and
// compares its findings with the expectations written in the fixture, in
// the manner of golang.org/x/tools/go/analysis/analysistest.
//
// Expectations:
//
//   - In .tf, .tofu, .tfvars and .bicep files, a comment on the line a finding must
//     point at: `# want AZFUNC-040` or `// want AZFUNC-040 AZFUNC-041`
//     (a check id twice means two findings).
//   - `# want-undetermined AZFUNC-041` expects an undetermined outcome on
//     that line. Undetermined findings are compared only in fixtures that
//     contain at least one such comment (or a sidecar entry with
//     "status": "undetermined"); otherwise they are ignored.
//   - `# want-diag "substring"` expects a loader diagnostic or a check
//     error (an evaluation that raised an error, engine.Result.Diagnostics)
//     whose summary or detail contains the substring (any line; matched by
//     text). An error without such an expectation fails the test.
//   - For formats without comments (ARM and Pulumi JSON), an expect.json
//     beside the files:
//     [{"file": "x.json", "line": 12, "check": "AZFUNC-040"},
//     {"file": "x.json", "line": 30, "check": "AZFUNC-041", "status": "undetermined"},
//     {"diag": "substring"}]; file is relative to the expect.json.
//   - Scope: a fixture is compared on the checks its expectations name,
//     so that adding a check does not touch every other check's fixtures.
//     A fixture without finding expectations (a secure app) is compared
//     on every check. `# want-checks AZFUNC-040 AZFUNC-041` or
//     `# want-checks all` (sidecar: {"checks": ["all"]}) widens the scope:
//     an "everything wrong" or "hardened" fixture names all.
//
// Only findings with Status Fail are compared by default; both missing and
// unexpected findings of the checks in scope fail the test, with a listing
// of each.
package analyzertest

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Testing is the part of *testing.T the helper uses.
type Testing interface {
	Helper()
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

// Loader reads a fixture directory into a module, as a parser does.
type Loader func(dir string) (*model.Module, model.Diagnostics)

// SidecarName is the file holding expectations for formats without
// comments.
const SidecarName = "expect.json"

// Expectation is one expected outcome.
type Expectation struct {
	// File is relative to the fixture directory, with forward slashes.
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	Check string `json:"check,omitempty"`
	// Status is "fail" (the default) or "undetermined".
	Status string `json:"status,omitempty"`
	// Diag, instead of a finding, expects a loader diagnostic containing it.
	Diag string `json:"diag,omitempty"`
	// Checks, instead of a finding, adds check ids (or "all") to the
	// checks the fixture is compared on.
	Checks []string `json:"checks,omitempty"`
}

// scope returns the checks a fixture's findings are compared on; nil
// means every check.
func scope(wants []Expectation) map[string]bool {
	in := map[string]bool{}
	explicit := false
	for _, w := range wants {
		for _, id := range w.Checks {
			if strings.EqualFold(id, "all") {
				return nil
			}
			in[id] = true
			explicit = true
		}
	}
	named := false
	for _, w := range wants {
		if w.Check != "" {
			in[w.Check] = true
			named = true
		}
	}
	if !named && !explicit {
		return nil
	}
	return in
}

var (
	wantRe     = regexp.MustCompile(`(?:#|//)\s*want(-undetermined)?\s+([A-Z][A-Z0-9]*-[0-9]{3,}(?:[\s,]+[A-Z][A-Z0-9]*-[0-9]{3,})*)`)
	wantDiagRe = regexp.MustCompile(`(?:#|//)\s*want-diag\s+"((?:[^"\\]|\\.)*)"`)
	wantScope  = regexp.MustCompile(`(?:#|//)\s*want-checks\s+((?:all\b|[A-Z][A-Z0-9]*-[0-9]{3,})(?:[\s,]+[A-Z][A-Z0-9]*-[0-9]{3,})*)`)
	checkIDRe  = regexp.MustCompile(`[A-Z][A-Z0-9]*-[0-9]{3,}`)
)

// Run loads dir with load, runs e over the module and compares the
// findings with the fixture's expectations. It returns the result for
// further assertions (nil when the fixture could not be read).
func Run(t Testing, dir string, load Loader, e *engine.Engine) *engine.Result {
	t.Helper()
	return RunModules(t, dir, func(dir string) ([]*model.Module, model.Diagnostics) {
		m, diags := load(dir)
		if m == nil {
			return nil, diags
		}
		return []*model.Module{m}, diags
	}, e)
}

// ModulesLoader reads a fixture directory into several modules: the root
// modules of a repository whose roots call shared modules (envs/dev and
// envs/prod calling modules/app).
type ModulesLoader func(dir string) ([]*model.Module, model.Diagnostics)

// RunModules is [Run] for a fixture of several modules: the engine runs
// over each, and their findings together are compared with the fixture's
// expectations (a line two roots' findings point at expects both). The
// result holds every module's findings, in module order.
func RunModules(t Testing, dir string, load ModulesLoader, e *engine.Engine) *engine.Result {
	t.Helper()
	wants, err := Expectations(dir)
	if err != nil {
		t.Errorf("analyzertest: reading expectations of %s: %v", dir, err)
		return nil
	}
	mods, diags := load(dir)
	if len(mods) == 0 {
		checkDiagnostics(t, dir, wants, diags)
		t.Errorf("analyzertest: %s: the loader returned no module", dir)
		return nil
	}
	ctx := context.Background()
	if c, ok := t.(interface{ Context() context.Context }); ok {
		ctx = c.Context()
	}
	res := &engine.Result{}
	for _, m := range mods {
		r := e.Run(ctx, m)
		res.Findings = append(res.Findings, r.Findings...)
		res.Diagnostics = append(res.Diagnostics, r.Diagnostics...)
		res.Stats.Add(r.Stats)
	}
	// Check errors are diagnostics too: a fixture fails on one it does
	// not expect.
	checkDiagnostics(t, dir, wants, append(diags, res.Diagnostics...))

	compareUndetermined := false
	for _, w := range wants {
		if w.Status == engine.Undetermined.String() {
			compareUndetermined = true
		}
	}
	type key struct {
		file, check, status string
		line                int
	}
	expected := map[key]int{}
	for _, w := range wants {
		if w.Diag != "" || w.Check == "" {
			continue
		}
		st := w.Status
		if st == "" {
			st = engine.Fail.String()
		}
		expected[key{w.File, w.Check, st, w.Line}]++
	}
	inScope := scope(wants)
	var unexpected []string
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Status == engine.Undetermined && !compareUndetermined {
			continue
		}
		if inScope != nil && !inScope[f.CheckID] {
			continue
		}
		k := key{relFile(dir, f.Range.Filename), f.CheckID, f.Status.String(), f.Range.Start.Line}
		if expected[k] > 0 {
			expected[k]--
			continue
		}
		unexpected = append(unexpected, fmt.Sprintf("%s:%d: %s %s: %s [resource %s, path %s]",
			k.file, k.line, f.CheckID, f.Status, f.Message, f.Resource, f.Path))
	}
	var missing []string
	for k, n := range expected {
		for range n {
			s := fmt.Sprintf("%s:%d: %s", k.file, k.line, k.check)
			if k.status != engine.Fail.String() {
				s += " (" + k.status + ")"
			}
			missing = append(missing, s)
		}
	}
	sort.Strings(missing)
	sort.Strings(unexpected)
	if len(missing) > 0 || len(unexpected) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "analyzertest: %s: findings differ from the fixture's expectations", dir)
		if len(missing) > 0 {
			b.WriteString("\nmissing (expected, not reported):")
			for _, s := range missing {
				b.WriteString("\n\t" + s)
			}
		}
		if len(unexpected) > 0 {
			b.WriteString("\nunexpected (reported, not expected):")
			for _, s := range unexpected {
				b.WriteString("\n\t" + s)
			}
		}
		t.Errorf("%s", b.String())
	}
	return res
}

// checkDiagnostics fails on loader errors nobody expected and on expected
// diagnostics that did not come.
func checkDiagnostics(t Testing, dir string, wants []Expectation, diags model.Diagnostics) {
	t.Helper()
	used := make([]bool, len(diags))
	for _, w := range wants {
		if w.Diag == "" {
			continue
		}
		found := false
		for i, d := range diags {
			if strings.Contains(d.Summary, w.Diag) || strings.Contains(d.Detail, w.Diag) {
				used[i], found = true, true
			}
		}
		if !found {
			t.Errorf("analyzertest: %s: expected a diagnostic containing %q, got none", dir, w.Diag)
		}
	}
	for i, d := range diags {
		if used[i] {
			continue
		}
		msg := fmt.Sprintf("%s: %s: %s", d.Range, d.Severity, d.Summary)
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		if d.Severity == model.SevError {
			t.Errorf("analyzertest: %s: unexpected error (add # want-diag %q to expect it): %s", dir, d.Summary, msg)
		} else {
			t.Logf("analyzertest: %s: loader %s", dir, msg)
		}
	}
}

// Expectations reads every expectation of a fixture directory: want
// comments of .tf, .tofu, .tfvars and .bicep files and expect.json sidecars, in
// the directory and below.
func Expectations(dir string) ([]Expectation, error) {
	var out []Expectation
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.Name() == SidecarName:
			ws, err := readSidecar(path, filepath.ToSlash(filepath.Dir(rel)))
			if err != nil {
				return err
			}
			out = append(out, ws...)
		case hasCommentExt(d.Name()):
			ws, err := readComments(path, rel)
			if err != nil {
				return err
			}
			out = append(out, ws...)
		}
		return nil
	})
	return out, err
}

// hasCommentExt reports the files whose comments carry expectations.
func hasCommentExt(name string) bool {
	switch filepath.Ext(name) {
	case ".tf", ".tfvars", ".tofu", ".bicep":
		return true
	}
	return false
}

func readComments(path, rel string) ([]Expectation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []Expectation
	for i, text := range strings.Split(string(data), "\n") {
		line := i + 1
		for _, m := range wantRe.FindAllStringSubmatch(text, -1) {
			status := engine.Fail.String()
			if m[1] != "" {
				status = engine.Undetermined.String()
			}
			for _, id := range checkIDRe.FindAllString(m[2], -1) {
				out = append(out, Expectation{File: rel, Line: line, Check: id, Status: status})
			}
		}
		for _, m := range wantScope.FindAllStringSubmatch(text, -1) {
			ids := checkIDRe.FindAllString(m[1], -1)
			if strings.HasPrefix(m[1], "all") {
				ids = []string{"all"}
			}
			out = append(out, Expectation{File: rel, Line: line, Checks: ids})
		}
		for _, m := range wantDiagRe.FindAllStringSubmatch(text, -1) {
			out = append(out, Expectation{File: rel, Line: line, Diag: strings.ReplaceAll(m[1], `\"`, `"`)})
		}
	}
	return out, nil
}

func readSidecar(path, relDir string) ([]Expectation, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ws []Expectation
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ws); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i := range ws {
		w := &ws[i]
		switch {
		case w.Diag != "", len(w.Checks) > 0:
			continue
		case w.File == "" || w.Line < 1 || !checkIDRe.MatchString(w.Check):
			return nil, fmt.Errorf("%s: entry %d needs file, line ≥ 1 and check (or diag)", path, i)
		case w.Status != "" && w.Status != engine.Fail.String() && w.Status != engine.Undetermined.String():
			return nil, fmt.Errorf("%s: entry %d: status must be fail or undetermined", path, i)
		}
		if relDir != "." {
			w.File = relDir + "/" + filepath.ToSlash(w.File)
		}
		if w.Status == "" {
			w.Status = engine.Fail.String()
		}
	}
	return ws, nil
}

// relFile makes a finding's file name relative to the fixture directory,
// whether the loader reported it relative to dir, with dir as a prefix, or
// absolute.
func relFile(dir, name string) string {
	name = filepath.ToSlash(filepath.Clean(filepath.FromSlash(name)))
	if filepath.IsAbs(name) {
		if abs, err := filepath.Abs(dir); err == nil {
			if rel, err := filepath.Rel(abs, filepath.FromSlash(name)); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel)
			}
		}
		return name
	}
	prefix := filepath.ToSlash(filepath.Clean(dir)) + "/"
	if strings.HasPrefix(name, prefix) {
		return strings.TrimPrefix(name, prefix)
	}
	return name
}

// EnableAll returns engine options that run every check of cs, opt-in
// checks included: fixtures are compared with every check enabled, so an
// opt-in check has fixtures like any other and a secure fixture passes
// all of them.
func EnableAll(cs []*engine.Check) engine.Options {
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return engine.Options{Enable: ids}
}
