package arm

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
	"github.com/azfuncscan/azfuncscan/parsers/internal/armsite"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// internalErrorSummary is the summary of the diagnostic that replaces a
// recovered panic; tests look for it.
const internalErrorSummary = "Internal error while reading an ARM template"

// loader reads one template file.
type loader struct {
	ctx   context.Context
	path  string
	f     *file
	diags model.Diagnostics
	// insts are the resource instances of the file, nested deployments'
	// included, in expansion (document) order.
	insts []*inst
	// sources and vals annotate converted nodes: where a value comes
	// from, and the evaluated value behind an unknown node.
	sources map[*model.Node]armsite.Source
	vals    map[*model.Node]value
	stats   model.Stats

	// unsupported: function names already reported, and the counts each
	// evaluator had when last looked at.
	warnedFuncs map[string]bool
	seenFuncs   map[*armexpr.Evaluator]map[string]int
	evalErrs    map[string]bool
	warnedMany  bool
	// lowers remembers strings.ToLower of the names looked up (lower).
	lowers map[string]string
	// nodes is the slab model nodes are allocated from (newNode).
	nodes []model.Node
	// quiet > 0 while evaluating resources azfuncscan does not read:
	// their evaluation problems are not reported.
	quiet      int
	tmpls      int // templates read so far (uids)
	bicepFiles bicepFiles
	// read is Options.ReadFile: how every file is read.
	read source.Func
	// exprs is Options.Exprs: expressions parsed for the whole scan.
	exprs *armexpr.ParseCache
	lim   limits.Limits // Options.Limits
}

// LoadFile reads the template at path (with the parameter file matched
// to it by name and the parameter files of opts) and returns its model.
// Problems in the input are diagnostics; what can be read is still
// returned. LoadFile never panics: an internal error becomes a
// diagnostic.
func LoadFile(ctx context.Context, path string, opts Options) (mod *model.Module, diags model.Diagnostics) {
	if ctx == nil {
		ctx = context.Background()
	}
	mod = &model.Module{Format: model.ARM, Path: path}
	name := filepath.ToSlash(path)
	l := &loader{
		ctx: ctx, path: path,
		sources: map[*model.Node]armsite.Source{}, vals: map[*model.Node]value{},
		warnedFuncs: map[string]bool{}, seenFuncs: map[*armexpr.Evaluator]map[string]int{}, evalErrs: map[string]bool{},
		bicepFiles: bicepFiles{}, read: opts.ReadFile, lim: opts.Limits, exprs: opts.Exprs,
	}
	defer func() {
		if r := recover(); r != nil {
			diags = append(l.finish(), model.Diagnostic{
				Severity: model.SevError,
				Summary:  internalErrorSummary,
				Detail:   fmt.Sprintf("%v\n%s", r, debug.Stack()),
				Range:    fileStart(name),
			})
			mod = &model.Module{Format: model.ARM, Path: path}
		}
	}()
	src, err := opts.Source, error(nil)
	if src == nil {
		src, err = readCapped(opts.ReadFile, path, opts.Limits.MaxFileSize(limits.ARM))
	} else {
		err = capped(path, src, opts.Limits.MaxFileSize(limits.ARM))
	}
	if err != nil {
		l.diag(model.SevError, "Cannot read template", err.Error(), fileStart(name))
		return mod, l.finish()
	}
	if d := srcpos.InvalidUTF8(name, src); d != nil {
		l.diags = append(l.diags, *d)
	}
	f, d := parseJSON(name, src)
	l.f = f
	if d != nil {
		l.diags = append(l.diags, *d)
		return mod, l.finish()
	}
	if !f.root.isObject() {
		l.diag(model.SevError, "Not an ARM template", name+" does not hold a JSON object; it was not analysed.", fileStart(name))
		return mod, l.finish()
	}

	values := map[string]*given{}
	var strict []*given
	for _, pf := range parameterFiles(path, opts, func(d model.Diagnostic) { l.diags = append(l.diags, d) }) {
		for k, g := range l.readParameterFile(pf.path) {
			values[k] = g
			if pf.strict {
				strict = append(strict, g)
			}
		}
	}
	root := newTmpl(l, f.root, nil, false, values, "", 0)
	for _, g := range strict {
		if root.params[strings.ToLower(g.name)] == nil {
			l.diag(model.SevWarning, "Parameter not declared by the template",
				fmt.Sprintf("the parameter file sets %s, which %s does not declare; ARM rejects the deployment", g.name, name), g.keyAt)
		}
	}
	if base := strings.TrimSuffix(path, filepath.Ext(path)) + ".bicep"; opts.mayExist(base) && !source.OutsideLink(base, opts.Within) {
		root.bicep = l.loadBicep(path)
	}
	root.expandResources(f.root.get("resources"), nil)
	l.readdress()
	if !l.cancelled() {
		l.build(mod)
		l.mapToBicep(mod)
	}
	mod.Stats = l.stats
	// Fixes of the template are made on the text read here, not read
	// again (parameter files and Bicep sources are read again).
	// The tree is not kept for them: only what the decoder found of the
	// text.
	strictText, ctl := f.strict, f.ctl
	var ends []int
	if strictText {
		ends = containerEnds(f.root, f.text)
	}
	mod.Splicer = func(file string) ([]byte, model.Splice, bool) {
		if file != name {
			return nil, nil, false
		}
		return src, (&Editor{src: src, strict: strictText, ctl: ctl, ends: ends}).Splice, true
	}
	return mod, l.finish()
}

// readCapped reads a file (through read, see Options.ReadFile) up to
// maxSize; a larger file is an error.
func readCapped(read source.Func, path string, maxSize int64) ([]byte, error) {
	b, err := source.Read(read, path, maxSize)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if err := capped(path, b, maxSize); err != nil {
		return nil, err
	}
	return b, nil
}

// capped is the error of a file's contents b larger than maxSize.
func capped(path string, b []byte, maxSize int64) error {
	if int64(len(b)) > maxSize {
		return fmt.Errorf("%s is larger than %s (--max-file-size); it was not analysed", filepath.ToSlash(path), limits.Bytes(maxSize))
	}
	return nil
}

func fileStart(name string) model.Range {
	p := model.Pos{Line: 1, Column: 1}
	return model.Range{Filename: name, Start: p, End: p}
}

// lower returns strings.ToLower(s), remembered: parameter and variable
// names are looked up many times, mostly in mixed case.
func (l *loader) lower(s string) string {
	plain := true // ASCII without upper case: its own lower case
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c < utf8.RuneSelf && (c < 'A' || c > 'Z')
	}
	if plain {
		return s
	}
	if lo, ok := l.lowers[s]; ok {
		return lo
	}
	lo := strings.ToLower(s)
	if lo != s {
		if l.lowers == nil {
			l.lowers = map[string]string{}
		}
		l.lowers[s] = lo
	}
	return lo
}

// cancelled reports whether the context is done.
func (l *loader) cancelled() bool { return l.ctx.Err() != nil }

func (l *loader) diag(sev model.Severity, summary, detail string, r model.Range) {
	l.diags = append(l.diags, model.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: r})
}

// rngOf is the range of a JSON value of the template file.
func (l *loader) rngOf(v *jval) model.Range { return l.f.rng(v) }

// finish returns the diagnostics in a stable order.
func (l *loader) finish() model.Diagnostics {
	out := append(model.Diagnostics(nil), l.diags...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Range, out[j].Range
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Start.Line != b.Start.Line {
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
	return out
}

// unsupportedTotal is how many unsupported calls an evaluator has met.
func (l *loader) unsupportedTotal(ev *armexpr.Evaluator) int {
	n := 0
	for _, c := range ev.Unsupported() {
		n += c
	}
	return n
}

// noteUnsupported remembers where an expression met functions that
// armexpr does not evaluate, for one warning per function name.
func (l *loader) noteUnsupported(ev *armexpr.Evaluator, before int, v *jval) {
	if l.unsupportedTotal(ev) == before {
		return
	}
	seen := l.seenFuncs[ev]
	if seen == nil {
		seen = map[string]int{}
		l.seenFuncs[ev] = seen
	}
	var names []string
	for name, c := range ev.Unsupported() {
		if c > seen[name] {
			seen[name] = c
			names = append(names, name)
		}
	}
	sort.Strings(names)
	if l.quiet > 0 {
		return
	}
	for _, name := range names {
		if l.warnedFuncs[name] {
			continue
		}
		l.warnedFuncs[name] = true
		l.diag(model.SevWarning, "Unsupported template function",
			fmt.Sprintf("%s() is not evaluated by azfuncscan; values built with it are treated as unknown (first use here).", name),
			l.f.rng(v))
	}
}

// evalError reports an expression that could not be evaluated, once per
// place and message.
func (l *loader) evalError(v *jval, err error) {
	if l.quiet > 0 {
		return
	}
	msg := errText(err)
	r := l.f.rng(v)
	var e *armexpr.Error
	if errors.As(err, &e) && e.Offset > 0 {
		raw := l.f.text[v.start:v.end]
		if !strings.ContainsRune(string(raw), '\\') && v.start+1+e.Offset < v.end {
			r.Start = l.f.pos(v.start + 1 + e.Offset)
		}
	}
	key := r.String() + "\x00" + msg
	if l.evalErrs[key] {
		return
	}
	l.evalErrs[key] = true
	l.diag(model.SevWarning, "Expression could not be evaluated",
		fmt.Sprintf("%s: %s; the value is treated as unknown.", truncate(v.str, 120), msg), r)
}

// asExprError unwraps an *armexpr.Error.
func asExprError(err error, target **armexpr.Error) bool { return errors.As(err, target) }

// truncate shortens s to n bytes (at a character boundary) with an
// ellipsis.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// countStats counts a value of the model left unknown by an unsupported
// function or an evaluation error.
func (l *loader) countStats(v value) {
	switch {
	case hasSource(v, armexpr.SourceUnsupported, 0):
		l.stats.Unsupported++
	case hasSource(v, sourceError, 0):
		l.stats.Errors++
	}
}

// hasSource reports whether v is or holds an unknown of source src.
func hasSource(v value, src armexpr.Source, depth int) bool {
	if depth > maxJSONDepth {
		return false
	}
	switch x := v.(type) {
	case armexpr.Unknown:
		if x.Source == src {
			return true
		}
		for _, p := range x.Parts {
			if hasSource(p, src, depth+1) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if hasSource(e, src, depth+1) {
				return true
			}
		}
	case *armexpr.Object:
		for _, k := range x.Keys() {
			e, _ := x.Get(k)
			if hasSource(e, src, depth+1) {
				return true
			}
		}
	}
	return false
}
