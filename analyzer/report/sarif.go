package report

import (
	"fmt"
	"io"
	"slices"
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
	// FingerprintKey names the partial fingerprint of every result.
	FingerprintKey = "azfuncscan/v1"
	// StatusProperty marks undetermined results (value "undetermined").
	StatusProperty = "azfuncscan/status"
)

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

	index := map[string]int{}
	for _, c := range r.sortedChecks() {
		index[c.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule(c))
	}
	shown := r.Shown()
	for k := range shown {
		f := &shown[k]
		i, ok := index[f.CheckID]
		if !ok {
			// A finding of a check the report does not list: describe it
			// minimally so that ruleIndex stays valid.
			i = len(run.Tool.Driver.Rules)
			index[f.CheckID] = i
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules,
				sarif.NewRule(f.CheckID).WithShortDescription(sarif.NewMultiformatMessageString(f.CheckID)))
		}
		res := r.sarifResult(f).WithRuleIndex(i)
		run.Results = append(run.Results, res)
	}

	inv := run.AddInvocation(true)
	for _, d := range r.diagnostics() {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, r.sarifNotification(d))
	}

	doc.AddRun(run)
	return encodeJSON(w, doc)
}

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
			fmt.Fprintf(&m, "- [%s](%s)\n", escapeMarkdownLinkText(title), ref.URL)
		}
	}
	return strings.TrimRight(t.String(), "\n"), strings.TrimRight(m.String(), "\n")
}

func escapeMarkdownLinkText(s string) string {
	return strings.NewReplacer(`[`, `\[`, `]`, `\]`).Replace(s)
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

func (r *Report) sarifResult(f *engine.Finding) *sarif.Result {
	msg := f.Message
	level := sarifLevel(f.Severity)
	if f.Status == engine.Undetermined {
		level = "note"
		msg = "Undetermined: " + msg
	}
	res := sarif.NewRuleResult(f.CheckID).
		WithLevel(level).
		WithMessage(sarif.NewTextMessage(msg))

	loc := sarif.NewLocation()
	if pl := r.physicalLocation(f.Range, true); pl != nil {
		loc.WithPhysicalLocation(pl)
	}
	if f.Resource != "" {
		ll := sarif.NewLogicalLocation().WithFullyQualifiedName(f.Resource).WithKind("resource")
		loc.LogicalLocations = append(loc.LogicalLocations, ll)
	}
	res.AddLocation(loc)

	if f.Fingerprint != "" {
		res.WithPartialFingerPrints(map[string]any{FingerprintKey: f.Fingerprint})
	}
	for i, rel := range f.Related {
		l := sarif.NewLocation().WithId(i + 1).WithMessage(sarif.NewTextMessage(rel.Message))
		if pl := r.physicalLocation(rel.Range, true); pl != nil {
			l.WithPhysicalLocation(pl)
		}
		res.AddRelatedLocation(l)
	}
	if f.Status == engine.Undetermined {
		res.Properties = sarif.Properties{StatusProperty: f.Status.String()}
	}
	return res
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
