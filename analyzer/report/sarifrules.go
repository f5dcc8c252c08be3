package report

import (
	"maps"
	"slices"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// The rules of a SARIF log (one per check, with its help: 330 kB for the
// built-in checks) are most of its head, and the head of every scan,
// however small: encoding/json took about 6 ms of CPU to encode them,
// through reflection, in a scan of one module. They are written here as
// results are (jsonWriter), each rule falling back to encoding/json when
// it has a field this writer does not know, and spliced into the head
// that encoding/json writes without them.

// rule writes r as encoding/json writes go-sarif's ReportingDescriptor:
// its fields in declaration order, properties (the descriptor's own
// field, which hides the embedded bag's) last.
func (w *jsonWriter) rule(r *sarif.ReportingDescriptor) {
	if r.PropertyBag.Properties != nil || r.DeprecatedIds != nil || r.DeprecatedGuids != nil ||
		r.DeprecatedNames != nil || r.MessageStrings != nil {
		w.ok = false
		return
	}
	w.open()
	w.key("id")
	w.str(r.ID)
	w.optString("name", r.Name)
	w.key("shortDescription")
	w.multiformat(r.ShortDescription)
	if r.FullDescription != nil {
		w.key("fullDescription")
		w.multiformat(r.FullDescription)
	}
	if c := r.DefaultConfiguration; c != nil {
		if c.Enabled != nil || c.Parameters != nil || c.Rank != nil || c.Properties != nil {
			w.ok = false
			return
		}
		w.key("defaultConfiguration")
		w.open()
		if c.Level != "" {
			w.key("level")
			w.str(c.Level)
		}
		w.close()
	}
	w.optString("helpUri", r.HelpURI)
	if r.Help != nil {
		w.key("help")
		w.multiformat(r.Help)
	}
	if len(r.Properties) > 0 {
		w.key("properties")
		w.ruleProperties(r.Properties)
	}
	w.close()
}

// multiformat writes a MultiformatMessageString, or null.
func (w *jsonWriter) multiformat(m *sarif.MultiformatMessageString) {
	switch {
	case m == nil:
		w.null()
		return
	case m.Properties != nil:
		w.ok = false
		return
	}
	w.open()
	w.optString("text", m.Text)
	w.optString("markdown", m.Markdown)
	w.close()
}

// ruleProperties writes a rule's property bag, whose values are strings
// (precision, security-severity) or lists of strings (tags), keys
// sorted; any other value is not for this writer.
func (w *jsonWriter) ruleProperties(p sarif.Properties) {
	w.open()
	for _, k := range slices.Sorted(maps.Keys(p)) {
		w.member()
		w.str(k)
		w.colon()
		switch v := p[k].(type) {
		case string:
			w.str(v)
		case []string:
			w.list(v == nil, len(v), func(i int) { w.str(v[i]) })
		default:
			w.ok = false
			return
		}
	}
	w.close()
}

// appendRule appends r, indented after prefix as appendIndented lays out
// encoding/json's output (which writes it when jsonWriter cannot).
func appendRule(dst []byte, r *sarif.ReportingDescriptor, prefix string) ([]byte, error) {
	w := newJSONWriter(dst, true, prefix)
	w.rule(r)
	if w.ok {
		return w.b, nil
	}
	return appendIndentedValue(dst, r, prefix)
}

// spliceRules writes rules into head, the indented head of a SARIF log
// whose run has no rules ("rules": []), in place of that empty array:
// what encoding/json would write for the run with them. ok is false when
// head has not exactly one empty rules array.
func spliceRules(head []byte, rules []*sarif.ReportingDescriptor) (out []byte, ok bool, err error) {
	at, outer, found := emptyArray(head, "rules")
	switch {
	case !found:
		return nil, false, nil
	case len(rules) == 0:
		return head, true, nil
	}
	inner := outer + "  "
	out = make([]byte, 0, len(head)+len(rules)*8<<10)
	out = append(out, head[:at+1]...) // up to and with the '['
	for i, r := range rules {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, '\n')
		out = append(out, inner...)
		if out, err = appendRule(out, r, inner); err != nil {
			return nil, false, err
		}
	}
	out = append(out, '\n')
	out = append(out, outer...)
	out = append(out, head[at+1:]...) // the ']' and the rest
	return out, true, nil
}
