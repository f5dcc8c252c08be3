package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// appContext is one function app prepared for evaluation: its view and the
// view as CEL data. It is built once per Run and shared by every check.
type appContext struct {
	app   *model.FunctionApp
	root  string // the module's root (model.Module.Path) as an identity
	index resourceIndex
	// ident names a file for fingerprints (Engine.identifier).
	ident func(string) string
	top   located
	act   interpreter.Activation
	// data is the app as CEL data; unknown values are *types.Unknown.
	data map[string]any
	// secrets are the app's sensitive strings, longest first; they are
	// scrubbed from any error text that reaches a finding.
	secrets []string
	// secretLines holds the source lines where a sensitive
	// value of the app is written: a finding located there must not
	// have that line printed.
	secretLines map[fileLine]bool
	// items caches the activation of each list element, by element path,
	// for the checks that iterate the same list.
	items map[*model.Node]*activation
	// appReads and itemReads are what the checks read of app and item
	// (Engine.appReads).
	appReads, itemReads *reads
	// buf holds the maps and lists of the app's CEL data.
	buf *dataBuffer
	// apps is Finding.Apps of the app's findings, the app's address: one
	// list for them all, which nothing changes (finalize merges into a
	// new one).
	apps []string
}

// unknowns numbers the unknown values met while converting a view to CEL
// data.
type unknowns struct {
	variable string
	next     int64
}

func newAppContext(view *model.Node, app *model.FunctionApp, root string, idx resourceIndex, ident func(string) string, appReads, itemReads *reads, buf *dataBuffer) *appContext {
	ac := &appContext{app: app, root: root, index: idx, ident: ident, top: rootLocated(view), appReads: appReads, itemReads: itemReads, buf: buf, apps: []string{app.Address}}
	u := &unknowns{variable: varApp}
	ac.data, _ = celData(view, appReads, make([]step, 0, 16), u, buf).(map[string]any)
	ac.findSecrets(view)
	if len(ac.secrets) > 1 {
		sort.Slice(ac.secrets, func(i, j int) bool { return len(ac.secrets[i]) > len(ac.secrets[j]) })
	}
	ac.act = &activation{app: ac.data}
	return ac
}

// findSecrets adds the sensitive values of n and of the values below it,
// depth first in field order, to ac.secrets (each once) and their lines to
// ac.secretLines. Most apps have none or a few: the maps and lists are
// made only for them.
func (ac *appContext) findSecrets(n *model.Node) {
	if n.Sensitive && n.Str != "" {
		ac.addSecret(n)
	}
	for _, f := range n.Fields {
		ac.findSecrets(f.Node)
	}
	for _, it := range n.Items {
		ac.findSecrets(it)
	}
}

func (ac *appContext) addSecret(n *model.Node) {
	// A value on a line of its own: a multi-line range is a block
	// the value was only located at (a value from a plan that the
	// configuration does not write), whose first line holds no secret.
	// Nor is the header line of its resource, where a value the
	// source does not write is located.
	r := n.Meta.Range
	header := false
	if res := ac.index[n.Meta.Resource]; res != nil {
		header = res.Range.Filename == r.Filename && res.Range.Start.Line == r.Start.Line
	}
	if r.Start.Line > 0 && (r.End.Line == 0 || r.End.Line == r.Start.Line) && !header {
		if ac.secretLines == nil {
			ac.secretLines = map[fileLine]bool{}
		}
		ac.secretLines[fileLine{r.Filename, r.Start.Line}] = true
	}
	if !slices.Contains(ac.secrets, n.Str) {
		ac.secrets = append(ac.secrets, n.Str)
	}
}

// fileLine is one line of a source file.
type fileLine struct {
	file string
	line int
}

// celValue converts a view node to CEL data: objects to maps, lists to
// lists, scalars to their values. When u is not nil, an unknown scalar or
// list (Origin Unknown) becomes a CEL unknown value carrying its attribute
// trail (app.site_config.min_tls_version), so that every expression that
// depends on it, through a path or through a comprehension variable
// (s.value in app.app_settings.exists(s, …)), evaluates to unknown, and
// one that does not (size(app.app_settings), false && unknown) stays known.
//
// Unknowns are values in the data rather than cel.AttributePattern
// patterns: a pattern also makes every attribute above it unknown (a
// pattern on app.storage_account.min_tls_version turns
// app.storage_account != null into unknown), which would make far too many
// outcomes undetermined.
func celValue(n *model.Node, path []step, u *unknowns, buf *dataBuffer) any {
	if n == nil {
		return nil
	}
	if u != nil && n.Meta.Origin == model.Unknown && n.Kind != model.KindObject {
		trail := types.NewAttributeTrail(u.variable)
		for _, q := range path {
			if q.isIndex {
				trail = types.QualifyAttribute(trail, q.index)
			} else {
				trail = types.QualifyAttribute(trail, q.name)
			}
		}
		u.next--
		return types.NewUnknown(u.next, trail)
	}
	switch n.Kind {
	// Scalars are CEL values already: CEL adapts a Go string to a
	// types.String, allocating, at every read of it; these it takes as
	// they are.
	case model.KindBool:
		return types.Bool(n.Bool)
	case model.KindString:
		return types.String(n.Str)
	case model.KindInt:
		return types.Int(n.Int)
	case model.KindList:
		out := buf.list(len(n.Items))
		for i, it := range n.Items {
			// path is a stack: a child's qualifiers are read (into an
			// unknown's trail) before its sibling replaces them.
			out[i] = celValue(it, append(path, step{index: int64(i), isIndex: true}), u, buf)
		}
		return out
	case model.KindObject:
		out := buf.object(len(n.Fields))
		for _, f := range n.Fields {
			out[f.Name] = celValue(f.Node, append(path, step{name: f.Name}), u, buf)
		}
		return out
	}
	return nil
}

// step is one qualifier of the path celValue is at: a field name, or a
// list index. Kept unboxed: the path is read only for an unknown's trail,
// and boxing every field name into an any cost an allocation per value.
type step struct {
	name    string
	index   int64
	isIndex bool
}

// celData is celValue of the part of n that r says is read: an object
// keeps only the fields read, each converted the same way; everything
// else (a value read whole, a scalar, a list, an unknown) is celValue.
// An expression that reads only within r gets from it exactly what it
// would get from celValue(n): the same values, and unknowns with the same
// attribute trails.
func celData(n *model.Node, r *reads, path []step, u *unknowns, buf *dataBuffer) any {
	if n == nil || r.all || n.Kind != model.KindObject {
		return celValue(n, path, u, buf)
	}
	out := buf.object(len(r.fields))
	for _, f := range n.Fields {
		if fr := r.fields[f.Name]; fr != nil {
			out[f.Name] = celData(f.Node, fr, append(path, step{name: f.Name}), u, buf)
		}
	}
	return out
}

// dataBuffer holds the maps and lists of an app's CEL data for the next
// app's: no finding, diagnostic or outcome refers to CEL data, so once an
// app's checks have run its maps are cleared and filled again with the
// next app's values instead of every app allocating its own (they were
// most of the engine's allocations). A nil *dataBuffer allocates. It is
// not safe for concurrent use.
type dataBuffer struct {
	maps []map[string]any
	// nmaps is how many of maps hold the data of the app since reset.
	nmaps int
	lists []any
	// nlists is how much of lists they use.
	nlists int
}

// object returns an empty map, with room for size entries when it is new.
func (b *dataBuffer) object(size int) map[string]any {
	if b == nil {
		return make(map[string]any, size)
	}
	if b.nmaps == len(b.maps) {
		b.maps = append(b.maps, make(map[string]any, size))
	}
	b.nmaps++
	return b.maps[b.nmaps-1]
}

// listSlab is how many elements the lists of b's first data hold; it
// grows to the largest app's.
const listSlab = 256

// list returns a list of n elements, whose capacity is n: appending to it
// allocates, never writes into another list.
func (b *dataBuffer) list(n int) []any {
	if b == nil {
		return make([]any, n)
	}
	if b.nlists+n > len(b.lists) {
		// A new slab: the lists handed out keep the old one alive until
		// reset drops them.
		b.lists = make([]any, max(2*len(b.lists), listSlab, n))
		b.nlists = 0
	}
	out := b.lists[b.nlists : b.nlists+n : b.nlists+n]
	b.nlists += n
	return out
}

// reset clears the data of the last app, keeping its memory.
func (b *dataBuffer) reset() {
	for _, m := range b.maps[:b.nmaps] {
		clear(m)
	}
	b.nmaps = 0
	clear(b.lists[:b.nlists])
	b.nlists = 0
}

// name is the app's name for messages, its address when the name is not
// known.
func (ac *appContext) name() string {
	if ac.app.Name.Known() && ac.app.Name.V != "" {
		return ac.app.Name.V
	}
	return ac.app.Address
}

// knownName is the app's name when it is known, else "".
func (ac *appContext) knownName() string {
	if ac.app.Name.Known() {
		return ac.app.Name.V
	}
	return ""
}

// truth is the outcome of one expression.
type truth uint8

const (
	isFalse truth = iota
	isTrue
	isUnknown
	isError
)

type evalResult struct {
	v   truth
	unk *types.Unknown
	err error
	// x is the expression that raised err.
	x *expr
}

func evaluate(ctx context.Context, x *expr, act interpreter.Activation) evalResult {
	if x.fast != nil {
		if a, ok := act.(*activation); ok {
			if r, ok := x.fast.eval(a); ok {
				return r
			}
		}
	}
	prg, err := x.program()
	if err != nil {
		return evalResult{v: isError, err: err, x: x}
	}
	var out ref.Val
	if x.loops {
		out, _, err = prg.ContextEval(ctx, act)
	} else {
		out, _, err = prg.Eval(act)
	}
	if err != nil {
		return evalResult{v: isError, err: err, x: x}
	}
	switch v := out.(type) {
	case types.Bool:
		return truthOf(bool(v))
	case *types.Unknown:
		return evalResult{v: isUnknown, unk: v}
	}
	return evalResult{v: isError, err: fmt.Errorf("the expression gave %s, not a bool", out.Type().TypeName()), x: x}
}

// outcome of a check on one app or one element.
type outcome uint8

const (
	passed outcome = iota
	notApplicable
	failed
	undetermined
	errored
)

// decide combines the precondition and the failure condition: a finding
// needs both true; either false settles it; otherwise it is unknown.
func decide(when, fail evalResult) (outcome, evalResult) {
	switch {
	case when.v == isError:
		return errored, when
	case fail.v == isError:
		return errored, fail
	case fail.v == isFalse:
		return passed, fail
	case when.v == isFalse:
		return notApplicable, when
	case when.v == isTrue && fail.v == isTrue:
		return failed, fail
	case fail.v == isUnknown && when.v == isUnknown:
		return undetermined, evalResult{v: isUnknown, unk: types.MergeUnknowns(fail.unk, when.unk)}
	case fail.v == isUnknown:
		return undetermined, fail
	}
	return undetermined, when
}

// run evaluates check c on the app, adds its findings and diagnostics to
// res and returns the outcome for the app; ok is false when ctx was
// cancelled before the outcome was known.
func (ac *appContext) run(ctx context.Context, c *Check, res *Result) (out outcome, ok bool) {
	l := c.logic
	if ac.act == nil {
		res.Diagnostics = append(res.Diagnostics, ac.errorDiagnostic(c, ac.top, evalResult{v: isError, err: errors.New("the app could not be prepared for evaluation")}))
		return errored, true
	}
	when := evalResult{v: isTrue}
	if l.when != nil && !l.whenPerItem {
		when = evaluate(ctx, l.when, ac.act)
		if ctx.Err() != nil {
			return errored, false
		}
		switch when.v {
		case isFalse:
			return notApplicable, true
		case isError:
			res.Diagnostics = append(res.Diagnostics, ac.errorDiagnostic(c, ac.blamed(l, nil), when))
			return errored, true
		}
	}
	if len(l.each) == 0 {
		fail := evaluate(ctx, l.fail, ac.act)
		if ctx.Err() != nil {
			return errored, false
		}
		out, why := decide(when, fail)
		return ac.settle(ac.record(ctx, c, out, why, nil, res)), true
	}
	agg := passed
	for _, p := range l.each {
		list, ok := ac.top.follow(p.segs)
		if !ok || list.node.Kind != model.KindList {
			continue // the path crosses an absent object (no storage account)
		}
		listFailed := false
		listData, _ := dataAt(ac.data, p.segs).([]any)
		for i, el := range list.node.Items {
			act := ac.itemActivation(el, listData, i)
			w := when
			if l.when != nil && l.whenPerItem {
				w = evaluate(ctx, l.when, act)
			}
			fail := evalResult{v: isFalse}
			if w.v != isFalse && w.v != isError {
				fail = evaluate(ctx, l.fail, act)
			}
			if ctx.Err() != nil {
				return errored, false
			}
			out, why := decide(w, fail)
			if out != passed && out != notApplicable {
				// Only a finding or a diagnostic needs the element's
				// display path.
				item, _ := list.index(i)
				out = ac.record(ctx, c, out, why, &item, res)
			}
			agg = worse(agg, out)
			listFailed = listFailed || out == failed
		}
		// An unknown list may hide elements: unless a known element
		// already fails, the outcome for the list is undetermined.
		if list.node.Meta.Origin == model.Unknown && !listFailed {
			res.Findings = append(res.Findings, ac.undeterminedFinding(c, list))
			agg = worse(agg, undetermined)
		}
	}
	return ac.settle(agg), true
}

// worse orders outcomes for a check with each: failed beats undetermined
// (and errored) beats passed; elements that are not applicable pass.
func worse(a, b outcome) outcome {
	rank := func(o outcome) int {
		switch o {
		case failed:
			return 3
		case errored:
			return 2
		case undetermined:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// settle is the outcome of a check for the app: what fails on an app
// that may not exist is undetermined.
func (ac *appContext) settle(out outcome) outcome {
	if out == failed && ac.app.UnknownExistence != "" {
		return undetermined
	}
	return out
}

// count adds one evaluation's outcome to s.
func (s *Stats) count(out outcome) {
	s.Evaluated++
	switch out {
	case passed:
		s.Passed++
	case notApplicable:
		s.NotApplicable++
	case failed:
		s.Failed++
	case undetermined:
		s.Undetermined++
	case errored:
		s.Errors++
	}
}

// status is the outcome as a Status.
func (out outcome) status() Status {
	switch out {
	case passed:
		return Pass
	case notApplicable:
		return NotApplicable
	case failed:
		return Fail
	case undetermined:
		return Undetermined
	}
	return Error
}

// mayNotExist returns the related resource a list element is when its
// existence is unknown (Resource.UnknownExistence), else nil.
func (ac *appContext) mayNotExist(item *located) *model.Resource {
	if item == nil || item.node == nil || item.node.Kind != model.KindObject {
		return nil
	}
	if r := ac.index[item.node.Meta.Resource]; r != nil && r.UnknownExistence != "" && r.Address != ac.app.Address {
		return r
	}
	return nil
}

// record adds the finding of one outcome, if it has one, and returns the
// outcome it recorded: a failure about a resource that may not exist is
// undetermined.
func (ac *appContext) record(ctx context.Context, c *Check, out outcome, why evalResult, item *located, res *Result) outcome {
	switch out {
	case failed:
		f := ac.failFinding(c, item)
		ac.lower(ctx, c, item, &f)
		if why := ac.app.UnknownExistence; why != "" {
			// The app may not exist at all: what would fail if it does is
			// undetermined, and says why.
			f.Status = Undetermined
			f.Message += " (undetermined: the function app may not exist: " + why + ")"
		} else if r := ac.mayNotExist(item); r != nil {
			// A related resource (a diagnostic setting) that may not
			// exist: what would fail about it is undetermined.
			f.Status = Undetermined
			f.Message += " (undetermined: " + r.Address + " may not exist: " + r.UnknownExistence + ")"
			out = undetermined
		} else if r := ac.index[f.Resource]; r != nil && r.UnknownExistence != "" && r.Address != ac.app.Address {
			// The finding is about a linked resource (the host storage
			// account, the plan) that may not exist.
			f.Status = Undetermined
			f.Message += " (undetermined: " + r.Address + " may not exist: " + r.UnknownExistence + ")"
			out = undetermined
		}
		res.Findings = append(res.Findings, f)
	case undetermined:
		at := ac.unknownLocation(why.unk, item)
		if at == nil {
			b := ac.blamed(c.logic, item)
			at = &b
		}
		res.Findings = append(res.Findings, ac.undeterminedFinding(c, *at))
	case errored:
		res.Diagnostics = append(res.Diagnostics, ac.errorDiagnostic(c, ac.blamed(c.logic, item), why))
	}
	return out
}

// lower applies the check's lower_severity to a failing finding whose
// condition is true. An unknown or failing condition keeps the check's
// severity: lowering needs certainty.
func (ac *appContext) lower(ctx context.Context, c *Check, item *located, f *Finding) {
	if c.LowerSeverity == nil || c.logic.lower == nil {
		return
	}
	act := ac.act
	if item != nil {
		act = ac.itemActivation(item.node, nil, 0)
	}
	if evaluate(ctx, c.logic.lower, act).v == isTrue {
		f.Severity = c.LowerSeverity.To
		f.Message += " (severity lowered to " + string(c.LowerSeverity.To) + ": " + c.LowerSeverity.Reason + ")"
	}
}

// itemActivation binds item to the list element el, element i of a list
// whose CEL data (in the app's) is listData, when known. An element
// without unknown values is the same CEL data as item as it is in the
// app's data; one with unknowns is converted again, its unknowns' trails
// starting at item.
func (ac *appContext) itemActivation(el *model.Node, listData []any, i int) interpreter.Activation {
	// Keyed by node: an element's data does not depend on the path it
	// was reached by, but for the unknowns' trails, which start at item.
	if act, ok := ac.items[el]; ok {
		return act
	}
	var data any
	if i < len(listData) && !hasUnknown(el) {
		data = listData[i]
	} else {
		u := &unknowns{variable: varItem, next: -1 << 40}
		data = celData(el, ac.itemReads, make([]step, 0, 16), u, ac.buf)
	}
	act := &activation{app: ac.data, item: data, hasItem: true}
	if ac.items == nil {
		ac.items = map[*model.Node]*activation{}
	}
	ac.items[el] = act
	return act
}

// activation binds app, and item in a check with each.
type activation struct {
	app, item any
	hasItem   bool
	// vars are the elements the fast path's exists are at, innermost
	// last (fastExpr.exists).
	vars []loopVar
}

// loopVar is an exists' variable and the element it is at.
type loopVar struct {
	name string
	v    any
}

// ResolveName implements interpreter.Activation.
func (a *activation) ResolveName(name string) (any, bool) {
	switch {
	case name == varApp:
		return a.app, true
	case name == varItem && a.hasItem:
		return a.item, true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (a *activation) Parent() interpreter.Activation { return nil }

// hasUnknown reports whether n or a value below it is unknown as CEL
// data (celValue): a scalar or list whose Origin is Unknown.
func hasUnknown(n *model.Node) bool {
	if n == nil {
		return false
	}
	if n.Meta.Origin == model.Unknown && n.Kind != model.KindObject {
		return true
	}
	for _, f := range n.Fields {
		if hasUnknown(f.Node) {
			return true
		}
	}
	for _, it := range n.Items {
		if hasUnknown(it) {
			return true
		}
	}
	return false
}

// dataAt follows segs in CEL data made by celData; nil when they lead
// nowhere in it.
func dataAt(data any, segs []pathSeg) any {
	for _, s := range segs {
		switch d := data.(type) {
		case map[string]any:
			if s.name == "" {
				return nil
			}
			data = d[s.name]
		case []any:
			if s.name != "" || s.index >= len(d) {
				return nil
			}
			data = d[s.index]
		default:
			return nil
		}
	}
	return data
}

// blamed locates the check's blame path for the app or one element. A
// path that crosses an absent object stops at the deepest node reached.
func (ac *appContext) blamed(l *logic, item *located) located {
	from := ac.top
	if l.blame.root == varItem {
		if item == nil {
			return ac.top
		}
		from = *item
	}
	at, _ := from.follow(l.blame.segs)
	return at
}

// unknownLocation picks, among the attributes an unknown result depends
// on, the one written first in the source.
func (ac *appContext) unknownLocation(unk *types.Unknown, item *located) *located {
	if unk == nil {
		return nil
	}
	var best *located
	for _, id := range unk.IDs() {
		trails, _ := unk.GetAttributeTrails(id)
		for _, t := range trails {
			from := ac.top
			switch t.Variable() {
			case varApp:
			case varItem:
				if item == nil {
					continue
				}
				from = *item
			default:
				continue
			}
			at := follow(from, t.QualifierPath())
			if best == nil || locBefore(at, *best) {
				a := at
				best = &a
			}
		}
	}
	return best
}

// follow walks the qualifiers of an attribute trail as far as they exist.
func follow(at located, quals []any) located {
	for _, q := range quals {
		var next located
		var ok bool
		switch q := q.(type) {
		case string:
			next, ok = at.field(q)
		case int64:
			next, ok = at.index(int(q))
		case uint64:
			next, ok = at.index(int(q)) //nolint:gosec // list indexes are small
		}
		if !ok {
			return at
		}
		at = next
	}
	return at
}

func locBefore(a, b located) bool {
	ra, rb := a.node.Meta.Range, b.node.Meta.Range
	if ra.Filename != rb.Filename {
		return ra.Filename < rb.Filename
	}
	if ra.Start.Line != rb.Start.Line {
		return ra.Start.Line < rb.Start.Line
	}
	if ra.Start.Column != rb.Start.Column {
		return ra.Start.Column < rb.Start.Column
	}
	return a.appPath() < b.appPath()
}

// failFinding is the finding of a failed check.
func (ac *appContext) failFinding(c *Check, item *located) Finding {
	at := ac.blamed(c.logic, item)
	f := ac.finding(c, Fail, at)
	f.Message = c.logic.message.render(ac, item, at, f.Path)
	for _, p := range c.logic.fixFrom {
		from := ac.top
		if p.root == varItem {
			if item == nil {
				continue
			}
			from = *item
		}
		if loc, ok := from.reach(p.segs); ok {
			if f.sources == nil {
				f.sources = map[string]decided{}
			}
			f.sources[p.text] = ac.decidedAt(loc)
		}
	}
	return f
}

// decidedAt says where the value at a location was decided, as a finding
// blaming it would: for the settings of a fix other than the blamed one.
func (ac *appContext) decidedAt(at located) decided {
	// What decidedOf takes of a finding, without the rest of one (its
	// fingerprint, its related locations).
	n := at.node
	resAddr, resType := ac.resourceOf(at)
	d := decided{Range: ac.rangeOf(at, resAddr), Resource: resAddr, ResourceType: resType, Origin: n.Meta.Origin, Computed: n.Meta.Computed}
	d.Trail = trailTo(n, d.Range)
	if n.Meta.Origin != model.Unknown {
		switch n.Kind {
		case model.KindBool:
			d.value = n.Bool
		case model.KindString:
			d.value = n.Str
		case model.KindInt:
			d.value = n.Int
		}
	}
	return d
}

// Words of a message whose blamed value was not written: the platform
// default decided; the parser's note, when there is one, names it.
const (
	defaultedNoNote = " (defaulted: not set, the platform default applies)"
	defaultedBefore = " (defaulted: "
	defaultedAfter  = ")"
)

// defaultedSuffixLen is the length of the words a message ends with when
// its blamed value was defaulted with the note (writeDefaultedSuffix).
func defaultedSuffixLen(note string) int {
	if note == "" {
		return len(defaultedNoNote)
	}
	return len(defaultedBefore) + len(note) + len(defaultedAfter)
}

// writeDefaultedSuffix ends a message whose blamed value was defaulted
// with the note.
func writeDefaultedSuffix(b *strings.Builder, note string) {
	if note == "" {
		b.WriteString(defaultedNoNote)
		return
	}
	b.WriteString(defaultedBefore)
	b.WriteString(note)
	b.WriteString(defaultedAfter)
}

func (ac *appContext) undeterminedFinding(c *Check, at located) Finding {
	f := ac.finding(c, Undetermined, at)
	what := at.appPath()
	if what == "" {
		what = "a value it depends on"
	}
	f.Message = fmt.Sprintf("%s: undetermined for function app %s: %s is not known before deployment", c.Title, ac.name(), what)
	if note := at.node.Meta.Note; note != "" {
		f.Message += " (" + note + ")"
	}
	return f
}

// errorDiagnostic reports an evaluation that raised an error (an index
// out of range, a missing key, a value a function cannot read, the cost
// limit): neither a pass nor a finding, but a problem with the check,
// naming the check, the resource and the expression, at the blamed
// location. Sensitive values are scrubbed from the error.
func (ac *appContext) errorDiagnostic(c *Check, at located, why evalResult) model.Diagnostic {
	resAddr, _ := resourceHeader(at.res)
	if at.node.Meta.Resource != "" {
		resAddr = at.node.Meta.Resource
	}
	if resAddr == "" {
		resAddr = ac.app.Address
	}
	what := resAddr
	if p := at.resourcePath(); p != "" {
		what += "." + p
	}
	d := model.Diagnostic{
		Severity: model.SevError,
		Summary:  fmt.Sprintf("check %s could not be evaluated on %s: %s", c.ID, what, ac.scrub(cleanCELMessage(why.err.Error()))),
		Range:    ac.rangeOf(at, resAddr),
	}
	if x := why.x; x != nil {
		where := c.Source
		if x.line > 0 {
			where += ":" + strconv.Itoa(x.line)
		}
		d.Detail = fmt.Sprintf("%s (%s): %s", x.field, where, strings.Join(strings.Fields(x.src), " "))
	}
	return d
}

// scrub replaces the app's sensitive values in text.
func (ac *appContext) scrub(text string) string {
	for _, s := range ac.secrets {
		text = strings.ReplaceAll(text, s, model.Redacted)
	}
	return text
}

// finding fills what every finding at a location has: range, resource,
// path, origin, related locations and fingerprint.
func (ac *appContext) finding(c *Check, st Status, at located) Finding {
	n := at.node
	resAddr, resType := ac.resourceOf(at)
	f := Finding{
		CheckID:      c.ID,
		Severity:     c.Severity,
		Status:       st,
		Range:        ac.rangeOf(at, resAddr),
		Resource:     resAddr,
		ResourceType: resType,
		Path:         at.resourcePath(),
		Origin:       n.Meta.Origin,
		Apps:         ac.apps,
		Root:         ac.root,
	}
	f.SecretOnLine = ac.secretLines[fileLine{f.Range.Filename, f.Range.Start.Line}]
	f.Trail = trailTo(n, f.Range)
	f.Computed = n.Meta.Computed
	r := ac.index[resAddr]
	// The related locations' list is made once, with room for them all.
	room := 0
	if r != nil {
		room += len(r.Calls) + len(r.Related)
	}
	if resAddr != ac.app.Address {
		room += 2 // the link and the app
	}
	if room > 0 {
		f.Related = make([]Related, 0, room)
	}
	if r != nil {
		for _, call := range r.Calls {
			msg := "module call"
			if call.Name != "" {
				msg = call.Name + " is called here"
			}
			f.Related = append(f.Related, Related{Range: call.Range, Message: msg})
		}
		for _, rel := range r.Related {
			f.Related = append(f.Related, Related{Range: rel.Range, Message: rel.Message})
		}
	}
	if resAddr != ac.app.Address {
		if link := ac.linkTo(resAddr); link != nil && !link.Range.IsZero() && link.Note != "" {
			f.Related = append(f.Related, Related{Range: link.Range, Message: "linked to function app " + ac.app.Address + ": " + link.Note})
		}
		if !ac.app.Range.IsZero() {
			f.Related = append(f.Related, Related{Range: ac.app.Range, Message: "used by function app " + ac.app.Address})
		}
	}
	if len(f.Related) == 0 {
		f.Related = nil // as when nothing was appended
	}
	resFile := f.Range.Filename
	if r != nil && r.Range.Filename != "" {
		resFile = r.Range.Filename
	}
	f.Fingerprint = Fingerprint(c.ID, f.Root, ac.ident(resFile), f.Resource, f.Path)
	return f
}

// resourceOf is the address and type of the resource a finding at a
// location is about.
func (ac *appContext) resourceOf(at located) (addr, typ string) {
	addr, typ = resourceHeader(at.res)
	if at.node.Meta.Resource != "" {
		addr = at.node.Meta.Resource
	}
	if r := ac.index[addr]; r != nil && r.Type != "" {
		typ = r.Type
	}
	return addr, typ
}

// trailTo is the trail of n's value ending where a finding points, rng,
// whatever range the view gave the node.
func trailTo(n *model.Node, rng model.Range) []model.Hop {
	t := n.Meta.Hops()
	if len(t) > 0 {
		t[len(t)-1].Range = rng
	}
	return t
}

// linkTo returns the Meta of the link between the app and the related
// resource at addr (its host storage account, plan, a private endpoint or
// diagnostic setting), or nil.
func (ac *appContext) linkTo(addr string) *model.Meta {
	a := ac.app
	switch {
	case a.StorageAccount != nil && a.StorageAccount.Address == addr:
		return &a.StorageLink
	case a.Plan != nil && a.Plan.Address == addr:
		return &a.PlanLink
	case a.DefenderPricing != nil && a.DefenderPricing.Address == addr:
		return &a.DefenderLink
	}
	for _, pe := range a.PrivateEndpoints.Items {
		if pe != nil && pe.Address == addr {
			return &pe.Link
		}
	}
	for _, d := range a.DiagnosticSettings.Items {
		if d != nil && d.Address == addr {
			return &d.Link
		}
	}
	return nil
}

// rangeOf is where a finding points: the node's range, else its
// resource's, else the app's; never line 0.
func (ac *appContext) rangeOf(at located, resAddr string) model.Range {
	candidates := make([]model.Range, 1, 4)
	candidates[0] = at.node.Meta.Range
	if at.res != nil {
		candidates = append(candidates, at.res.Meta.Range)
	}
	if r := ac.index[resAddr]; r != nil {
		candidates = append(candidates, r.Range)
	}
	candidates = append(candidates, ac.app.Range)
	for _, r := range candidates {
		if r.Start.Line > 0 {
			return r
		}
	}
	r := candidates[0]
	for _, c := range candidates {
		if c.Filename != "" {
			r.Filename = c.Filename
			break
		}
	}
	r.Start = model.Pos{Line: 1, Column: 1}
	if r.End.Line < 1 {
		r.End = r.Start
	}
	return r
}

// finalize merges findings with the same fingerprint — one problem — and
// sorts them. Two apps sharing one storage account report it once, with
// both apps as related locations; when the problem fails through one app
// and is undetermined through another (one that may not exist), it is
// reported once, failing.
func finalize(fs []Finding) []Finding {
	fs = sortFindings(fs)
	out := fs[:0]
	seen := map[string]int{}
	for i := range fs {
		j, ok := seen[fs[i].Fingerprint]
		if !ok {
			seen[fs[i].Fingerprint] = len(out)
			out = append(out, fs[i])
			continue
		}
		if out[j].Status == Undetermined && fs[i].Status == Fail {
			out[j], fs[i] = fs[i], out[j]
		}
		out[j].Related = mergeRelated(out[j].Related, fs[i].Related)
		if out[j].Status == fs[i].Status {
			// An app through which the problem is only undetermined
			// did not give the failing finding.
			out[j].Apps = mergeApps(out[j].Apps, fs[i].Apps)
		}
	}
	return sortFindings(out)
}

// sortFindings sorts fs (compareFindings), stably, in place, and returns
// it. Findings are large: their indexes are sorted, then each finding is
// moved once, along the cycles of the permutation, with no second slice
// of them (it was 3.5% of what 1k ARM templates allocate).
func sortFindings(fs []Finding) []Finding {
	sorted := true
	for i := 1; i < len(fs) && sorted; i++ {
		sorted = compareFindings(&fs[i], &fs[i-1]) >= 0
	}
	if sorted {
		return fs
	}
	from := make([]int, len(fs)) // fs[i] is to be what fs[from[i]] is
	for i := range from {
		from[i] = i
	}
	slices.SortStableFunc(from, func(a, b int) int { return compareFindings(&fs[a], &fs[b]) })
	for i := range from {
		if from[i] == i {
			continue
		}
		tmp := fs[i]
		j := i
		for from[j] != i {
			k := from[j]
			fs[j] = fs[k]
			from[j] = j
			j = k
		}
		fs[j] = tmp
		from[j] = j
	}
	return fs
}

// compareFindings orders findings by file, line, column, check id,
// resource, path, status and message, in one three-way comparison (the
// sort once called a less function both ways, comparing the common
// fields twice).
func compareFindings(a, b *Finding) int {
	ra, rb := &a.Range, &b.Range
	if c := strings.Compare(ra.Filename, rb.Filename); c != 0 {
		return c
	}
	if c := cmp.Compare(ra.Start.Line, rb.Start.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(ra.Start.Column, rb.Start.Column); c != 0 {
		return c
	}
	if c := strings.Compare(a.CheckID, b.CheckID); c != 0 {
		return c
	}
	if c := strings.Compare(a.Resource, b.Resource); c != 0 {
		return c
	}
	if c := strings.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Status, b.Status); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// mergeApps returns the sorted union of two sorted address lists.
func mergeApps(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func mergeRelated(a, b []Related) []Related {
	for _, r := range b {
		dup := false
		for _, x := range a {
			if x.Range == r.Range && x.Message == r.Message {
				dup = true
				break
			}
		}
		if !dup {
			a = append(a, r)
		}
	}
	return a
}
