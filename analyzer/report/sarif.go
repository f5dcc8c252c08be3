package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// SARIF constants.
const (
	// SRCRoot is the uriBaseId of every artifact location inside the base
	// dir. The run does not define it (originalUriBaseIds is left out) so
	// that output does not depend on the machine; consumers such as GitHub
	// code scanning resolve it against the repository checkout.
	SRCRoot = "%SRCROOT%"
	// FingerprintKey names the partial fingerprint of every result. v2:
	// root and file are relative to the repository root, and the root is
	// part of it (v1 depended on the directory the scan was started in).
	FingerprintKey = "azfuncscan/v2"
	// ValueSetHere is the message of the related location where a
	// finding's deciding value was written (its trail's origin).
	ValueSetHere = "value set here"
	// StatusProperty marks undetermined results (value "undetermined").
	StatusProperty = "azfuncscan/status"
)

// AutomationID is the SARIF runs[0].automationDetails.id for a category:
// GitHub code scanning reads the part before the last slash as the
// category and the rest as the run's id, so a slash is appended (as the
// upload-sarif action does with its category input) unless the category
// ends with one. "" for no category.
func AutomationID(category string) string {
	category = strings.TrimSpace(category)
	if category == "" || strings.HasSuffix(category, "/") {
		return category
	}
	return category + "/"
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s engine.Severity) string {
	switch s {
	case engine.Critical, engine.High:
		return "error"
	case engine.Medium:
		return "warning"
	}
	return "note"
}

// WriteSARIF writes a SARIF 2.1.0 log with one run: every active check as
// a rule, every shown finding as a result, diagnostics as tool execution
// notifications. Undetermined findings (when shown) are results of level
// "note" with the property azfuncscan/status: undetermined.
func WriteSARIF(w io.Writer, r *Report) error {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	run := sarif.NewRunWithInformationURI(r.Tool.Name, r.Tool.InformationURI)
	if r.Tool.InformationURI == "" {
		run.Tool.Driver.InformationURI = nil
	}
	if r.Tool.Version != "" {
		v := r.Tool.Version
		run.Tool.Driver.Version = &v
	}
	run.ColumnKind = "unicodeCodePoints"
	if id := AutomationID(r.Category); id != "" {
		run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(id))
	}

	index := map[string]int{}
	for _, c := range r.sortedChecks() {
		index[c.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule(c))
	}
	// Findings of checks the report does not list are described
	// minimally so that ruleIndex stays valid, in the order their first
	// results come (found without reading the findings in order).
	first := map[string]*engine.Finding{}
	consider := func(f *engine.Finding) {
		if _, ok := index[f.CheckID]; ok || !r.isShown(f, true) {
			return
		}
		if g, ok := first[f.CheckID]; !ok || compareFindings(f, g) < 0 {
			first[f.CheckID] = f
		}
	}
	for i := range r.Findings {
		consider(&r.Findings[i])
	}
	// A spool knows which checks its findings are of: when the report
	// lists them all (the usual case), its runs are not read for this.
	if r.Spool != nil && !r.Spool.onlyChecks(index) {
		for f := range r.Spool.All() {
			consider(f)
		}
	}
	unknown := slices.SortedFunc(maps.Keys(first), func(a, b string) int { return compareFindings(first[a], first[b]) })
	for _, id := range unknown {
		index[id] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules,
			sarif.NewRule(id).WithShortDescription(sarif.NewMultiformatMessageString(id)))
	}

	inv := run.AddInvocation(!r.Failed)
	for _, d := range r.diagnostics() {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, r.sarifNotification(d))
	}

	doc.AddRun(run)
	// The rules are written into the head that encoding/json writes
	// without them (see spliceRules).
	var head any = doc
	rules := run.Tool.Driver.Rules
	run.Tool.Driver.Rules = []*sarif.ReportingDescriptor{}
	bare, err := indentedJSON(doc)
	if err != nil {
		return err
	}
	spliced, ok, err := spliceRules(bare, rules)
	switch {
	case err != nil:
		return fmt.Errorf("sarif: %w", err)
	case ok:
		head = encodedHead(spliced)
	default:
		run.Tool.Driver.Rules = rules
	}
	// The results are encoded as they are written, a few at a time in
	// parallel, never all held as SARIF objects nor as one indented
	// buffer. The results of one file usually go to one goroutine, which
	// computes their fixes with its own FixChanges (NewFixChanges), so
	// that each file is read and parsed once; with FixChanges alone, one
	// goroutine computes them all.
	workers, changes := runtime.GOMAXPROCS(0), func() fixChangesFunc { return r.FixChanges }
	if r.NewFixChanges != nil {
		changes = func() fixChangesFunc { return r.NewFixChanges() }
	} else if r.FixChanges != nil {
		workers = 1
	}
	return encodeStreamedWith(w, head, "results", r.shown(true), workers,
		func(a, b *engine.Finding) bool { return a.Range.Filename == b.Range.Filename },
		changes,
		func(fc fixChangesFunc, f *engine.Finding) any {
			return sarifFindingJSON{r: r, f: f, fx: r.sarifFix(f, fc), ruleIndex: index[f.CheckID]}
		})
}

// ResolveFixes computes the text replacements of the fixes of the
// failing findings fs (engine.Fix.Changes) with changes, which makes
// those of the edits of one file, or says (ok false) that it cannot: a
// fix with an edit of such a file is left for the report to compute
// from the file on disk. A scan calls it with each module's findings,
// while the module's files are in memory as the parser read them
// (parsers.ModuleReplacements).
func ResolveFixes(fs []engine.Finding, changes func(edits []model.Edit) (reps []model.Replacement, ok bool, err error)) {
	for i := range fs {
		f := &fs[i]
		if f.Fix == nil || f.Status != engine.Fail || f.Fix.Resolved {
			continue
		}
		if reps, ok := fixReplacements(f.Fix, changes); ok {
			f.Fix.Changes, f.Fix.Resolved = reps, true
		}
	}
}

// fixReplacements returns the text replacements of fx's edits, file by
// file, sorted by file and offset: none when an edit cannot be made, and
// ok false when changes cannot make those of a file.
func fixReplacements(fx *engine.Fix, changes func([]model.Edit) ([]model.Replacement, bool, error)) (reps []model.Replacement, ok bool) {
	// The edits of each file, in their order, one file after another by
	// name: already so for most fixes (one file), sorted into a copy for
	// the others.
	edits := fx.Edits
	if !slices.IsSortedFunc(edits, compareEditFiles) {
		edits = slices.Clone(edits)
		slices.SortStableFunc(edits, compareEditFiles)
	}
	for len(edits) > 0 {
		n := 1
		for n < len(edits) && edits[n].Range.Filename == edits[0].Range.Filename {
			n++
		}
		got, ok, err := changes(edits[:n:n])
		switch {
		case !ok:
			return nil, false
		case err != nil:
			// An edit that cannot be made: no fix, whatever the other
			// files would give.
			return nil, true
		}
		reps = append(reps, got...)
		edits = edits[n:]
	}
	slices.SortStableFunc(reps, compareReplacements)
	return reps, true
}

// compareEditFiles orders edits by the file they edit.
func compareEditFiles(a, b model.Edit) int {
	return strings.Compare(a.Range.Filename, b.Range.Filename)
}

// compareReplacements orders replacements by file, then offset.
func compareReplacements(a, b model.Replacement) int {
	if c := strings.Compare(a.Range.Filename, b.Range.Filename); c != 0 {
		return c
	}
	return a.Range.Start.Byte - b.Range.Start.Byte
}

// fixChangesFunc is the type of Report.FixChanges.
type fixChangesFunc = func(edits []model.Edit) ([]model.Replacement, error)

func sarifRule(c *engine.Check) *sarif.ReportingDescriptor {
	rule := sarif.NewRule(c.ID).
		WithName(pascalCase(c.Title)).
		WithShortDescription(sarif.NewMultiformatMessageString(c.Title)).
		WithDefaultConfiguration(&sarif.ReportingConfiguration{Level: sarifLevel(c.Severity)})
	if d := strings.TrimSpace(c.Description); d != "" {
		rule.WithFullDescription(sarif.NewMultiformatMessageString(d))
	}
	text, md := helpTexts(c)
	rule.WithHelp(&sarif.MultiformatMessageString{Text: &text, Markdown: &md})
	if c.HelpURI != "" {
		rule.WithHelpURI(c.HelpURI)
	} else {
		for _, ref := range c.References {
			if ref.URL != "" {
				rule.WithHelpURI(ref.URL)
				break
			}
		}
	}
	tags := []string{"security"}
	for _, t := range c.Tags {
		if t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	rule.WithProperties(sarif.Properties{
		"security-severity": securitySeverity(c),
		"tags":              tags,
		"precision":         "high",
	})
	return rule
}

// helpTexts renders a check's help: description, remediation per format
// and references, as plain text and as Markdown.
func helpTexts(c *engine.Check) (text, md string) {
	var t, m strings.Builder
	desc := strings.TrimSpace(c.Description)
	if desc == "" {
		desc = c.Title
	}
	t.WriteString(desc + "\n")
	m.WriteString(desc + "\n")
	if formats := formatOrder(c.Remediation); len(formats) > 0 {
		t.WriteString("\nRemediation\n")
		m.WriteString("\n## Remediation\n")
		for _, f := range formats {
			rem := strings.TrimSpace(c.Remediation[f])
			fmt.Fprintf(&t, "\n%s:\n%s\n", formatTitle(f), rem)
			fmt.Fprintf(&m, "\n### %s\n\n%s\n", formatTitle(f), rem)
		}
	}
	if len(c.References) > 0 {
		t.WriteString("\nReferences\n")
		m.WriteString("\n## References\n\n")
		for _, ref := range c.References {
			title := oneLine(ref.Title)
			if title == "" {
				fmt.Fprintf(&t, "- %s\n", ref.URL)
				fmt.Fprintf(&m, "- <%s>\n", ref.URL)
				continue
			}
			fmt.Fprintf(&t, "- %s: %s\n", title, ref.URL)
			fmt.Fprintf(&m, "- [%s](%s)\n", escapeBrackets(title), ref.URL)
		}
	}
	return strings.TrimRight(t.String(), "\n"), strings.TrimRight(m.String(), "\n")
}

// pascalCase turns a title into a rule name: "HTTPS-only not enforced" →
// "HTTPSOnlyNotEnforced". Letters and digits only.
func pascalCase(title string) string {
	var b strings.Builder
	// "app's" is one word, not "app" and "s".
	title = strings.NewReplacer("'", "", "’", "").Replace(title)
	for _, word := range strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		rs := []rune(word)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	return b.String()
}

// physicalLocation builds a physical location for a range; nil when the
// range names no file.
func (r *Report) physicalLocation(rg model.Range, withRegion bool) *sarif.PhysicalLocation {
	loc := r.locate(rg.Filename)
	if loc.display == "" {
		return nil
	}
	al := sarif.NewSimpleArtifactLocation(loc.uri())
	if loc.inside {
		al.WithUriBaseId(SRCRoot)
	}
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(al)
	if withRegion {
		line, col := position(rg.Start)
		reg := sarif.NewRegion().WithStartLine(line).WithStartColumn(col)
		if el, ec := end(rg); el > 0 {
			reg.WithEndLine(el).WithEndColumn(ec)
		}
		pl.WithRegion(reg)
	}
	return pl
}

// sarifResult renders one finding. Its related locations are, in order,
// where the deciding value was written ("value set here", when elsewhere
// than the finding) and the finding's Related entries; the message links
// each of them ([value set here](1)), as GitHub code scanning shows
// related locations only when the message links them. A trail of several
// hops is also a code flow: one thread flow whose locations are the hops,
// origin first. The logical location is the resource qualified by its
// root (root//address), so that the same module evaluated from two roots
// gives two distinct logical locations. fx is its fix (Report.sarifFix),
// nil for none.
func (r *Report) sarifResult(f *engine.Finding, fx *sarif.Fix) *sarif.Result {
	level, prefix := resultLevel(f)
	rels := relatedOf(f)

	msg := prefix + f.Message
	if n := rels.len(); n > 0 {
		links := make([]string, n)
		for i := range n {
			_, link, _ := rels.at(i)
			links[i] = "[" + escapeLinkText(link) + "](" + strconv.Itoa(i+1) + ")"
		}
		msg = escapeBrackets(msg) + " (" + strings.Join(links, ", ") + ")"
	}
	res := sarif.NewRuleResult(f.CheckID).
		WithLevel(level).
		WithMessage(sarif.NewTextMessage(msg))

	loc := sarif.NewLocation()
	if pl := r.physicalLocation(f.Range, true); pl != nil {
		loc.WithPhysicalLocation(pl)
	}
	if f.Resource != "" {
		ll := sarif.NewLogicalLocation().WithFullyQualifiedName(qualifiedName(f)).WithKind("resource")
		loc.LogicalLocations = append(loc.LogicalLocations, ll)
	}
	res.AddLocation(loc)

	if f.Fingerprint != "" {
		res.WithPartialFingerPrints(map[string]any{FingerprintKey: f.Fingerprint})
	}
	for i := range rels.len() {
		rg, _, message := rels.at(i)
		l := sarif.NewLocation().WithId(i + 1).WithMessage(sarif.NewTextMessage(message))
		if pl := r.physicalLocation(rg, true); pl != nil {
			l.WithPhysicalLocation(pl)
		}
		res.AddRelatedLocation(l)
	}
	if len(f.Trail) > 1 {
		flow := sarif.NewThreadFlow()
		for _, h := range f.Trail {
			l := sarif.NewLocation().WithMessage(sarif.NewTextMessage(hopText(f, h)))
			if pl := r.physicalLocation(h.Range, true); pl != nil {
				l.WithPhysicalLocation(pl)
			}
			flow.AddLocation(sarif.NewThreadFlowLocation().WithLocation(l))
		}
		res.AddCodeFlow(sarif.NewCodeFlow().WithThreadFlows([]*sarif.ThreadFlow{flow}))
	}
	if fx != nil {
		res.AddFix(fx)
	}
	if f.Status == engine.Undetermined {
		res.Properties = sarif.Properties{StatusProperty: f.Status.String()}
	}
	if ig := f.Suppressed; ig != nil {
		res.Suppressions = append(res.Suppressions, r.sarifSuppression(f, ig))
	}
	return res
}

// escapeBrackets escapes square brackets: in the plain text of a SARIF
// message that carries embedded links, so that only the links read as
// links (SARIF 2.1.0 §3.11.6), and in Markdown link text.
func escapeBrackets(s string) string {
	return escapeEach(s, "[]", backslashed)
}

// escapeLinkText escapes backslashes and square brackets in the text of an
// embedded link.
func escapeLinkText(s string) string {
	return escapeEach(s, `\[]`, backslashed)
}

// backslashed is c escaped with a backslash: a constant for the bytes
// the escapes of a SARIF message meet (every bracket of a message whose
// related locations are linked), not a string built for each.
func backslashed(c byte) string {
	switch c {
	case '[':
		return `\[`
	case ']':
		return `\]`
	case '\\':
		return `\\`
	}
	return `\` + string(c)
}

// escapeEach replaces each byte of s found in special (ASCII) by
// with(byte); s itself when there is none. (Cheaper than building a
// strings.Replacer per call, which was 5% of the allocation of a large
// SARIF report.)
func escapeEach(s, special string, with func(byte) string) string {
	if !strings.ContainsAny(s, special) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for {
		i := strings.IndexAny(s, special)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(with(s[i]))
		s = s[i+1:]
	}
}

// sarifSuppression describes the ignore that suppresses a result. The
// library writes every field of a suppression, null when unset, which the
// schema rejects, so each is set: status accepted (the ignore is in the
// code or configuration under review), the ignore's location, a guid
// derived from the result's fingerprint and the ignore's position (stable
// across runs), and the reason ("" when none was given).
func (r *Report) sarifSuppression(f *engine.Finding, ig *model.Ignore) *sarif.Suppression {
	loc := sarif.NewLocation()
	if pl := r.physicalLocation(ig.At, ig.At.Start.Line > 0); pl != nil {
		loc.WithPhysicalLocation(pl)
	}
	at := fmt.Sprintf("%s:%d", r.locate(ig.At.Filename).display, ig.At.Start.Line)
	sum := sha256.Sum256([]byte(f.Fingerprint + "\x00" + f.CheckID + "\x00" + at))
	// Shaped as a name-based (version 5) UUID, as the schema requires.
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	h := hex.EncodeToString(sum[:16])
	guid := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	return sarif.NewSuppression(ig.Kind()).
		WithStatus("accepted").
		WithLocation(loc).
		WithGuid(guid).
		WithJustifcation(oneLine(ig.Reason))
}

func (r *Report) sarifNotification(d model.Diagnostic) *sarif.Notification {
	level := "note"
	switch d.Severity {
	case model.SevError:
		level = "error"
	case model.SevWarning:
		level = "warning"
	}
	text := oneLine(d.Summary)
	if detail := oneLine(d.Detail); detail != "" {
		text += ": " + detail
	}
	n := &sarif.Notification{Level: level, Message: sarif.NewTextMessage(text)}
	if pl := r.physicalLocation(d.Range, d.Range.Start.Line > 0); pl != nil {
		n.Locations = []*sarif.Location{sarif.NewLocationWithPhysicalLocation(pl)}
	}
	return n
}

// sarifFix renders the fix of a failing finding: its message as the
// description, and per file (sorted) the replacements changes (a
// Report.FixChanges) computes for its edits of that file, each a deleted region (an empty
// one for an insertion) and the inserted text. nil when the finding has
// no fix, when the edits of one of its files cannot be made (a file that
// is not edited, such as a Pulumi stack export or a .bicep source: no
// part of a fix is offered), or when they give no replacement (values
// already right).
func (r *Report) sarifFix(f *engine.Finding, changes fixChangesFunc) *sarif.Fix {
	if f.Fix == nil || f.Status != engine.Fail || changes == nil && !f.Fix.Resolved {
		return nil
	}
	reps := f.Fix.Changes
	if !f.Fix.Resolved {
		reps, _ = fixReplacements(f.Fix, func(edits []model.Edit) ([]model.Replacement, bool, error) {
			reps, err := changes(edits)
			return reps, true, err
		})
	}
	if len(reps) == 0 {
		return nil
	}
	fx := sarif.NewFix().WithDescriptionText(f.Fix.Message)
	var change *sarif.ArtifactChange
	for i, rep := range reps {
		if i == 0 || rep.Range.Filename != reps[i-1].Range.Filename {
			loc := r.locate(rep.Range.Filename)
			if loc.display == "" {
				return nil
			}
			al := sarif.NewSimpleArtifactLocation(loc.uri())
			if loc.inside {
				al.WithUriBaseId(SRCRoot)
			}
			change = sarif.NewArtifactChange(al)
			fx.AddArtifactChanges(change)
		}
		sl, sc := position(rep.Range.Start)
		el, ec := max(rep.Range.End.Line, sl), max(rep.Range.End.Column, 1)
		if el == sl {
			ec = max(ec, sc)
		}
		region := sarif.NewRegion().WithStartLine(sl).WithStartColumn(sc).WithEndLine(el).WithEndColumn(ec)
		change.WithReplacement(sarif.NewReplacement(region).WithInsertedContent(sarif.NewArtifactContent().WithText(rep.Text)))
	}
	return fx
}
