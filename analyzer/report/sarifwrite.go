package report

import (
	"strconv"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// sarifFindingJSON writes the SARIF result of a finding straight from
// the finding: the bytes sarifResultJSON writes for the *sarif.Result
// that sarifResult builds (TestSARIFFindingJSONMatchesResult), without
// building it. On a large report, building every result's objects (a
// dozen allocations and more per result) cost more than writing them.
// Its suppression and fix, which few results have, are still built as
// go-sarif objects and written by jsonWriter.
type sarifFindingJSON struct {
	r         *Report
	f         *engine.Finding
	fx        *sarif.Fix // Report.sarifFix; nil for none
	ruleIndex int
}

func (s sarifFindingJSON) fallback() any {
	return s.r.sarifResult(s.f, s.fx).WithRuleIndex(s.ruleIndex)
}

func (s sarifFindingJSON) appendCompactJSON(dst []byte) ([]byte, bool) {
	w := newJSONWriter(dst, false, "")
	s.r.writeResult(&w, s.f, s.fx, s.ruleIndex)
	return w.b, w.ok
}

func (s sarifFindingJSON) appendIndentedJSON(dst []byte, prefix string) ([]byte, bool) {
	w := newJSONWriter(dst, true, prefix)
	s.r.writeResult(&w, s.f, s.fx, s.ruleIndex)
	return w.b, w.ok
}

// writeResult writes what sarifResult builds, member by member in the
// order of go-sarif's fields (see jsonWriter.result).
func (r *Report) writeResult(w *jsonWriter, f *engine.Finding, fx *sarif.Fix, ruleIndex int) {
	level, prefix := resultLevel(f)
	rels := relatedOf(f)
	nrels, rel := rels.len(), rels.at

	w.open()
	if f.Status == engine.Undetermined {
		w.key("properties")
		w.open()
		w.member()
		w.str(StatusProperty)
		w.colon()
		w.str(f.Status.String())
		w.close()
	}
	w.key("ruleId")
	w.str(f.CheckID)
	w.key("ruleIndex")
	w.b = strconv.AppendInt(w.b, int64(ruleIndex), 10)
	w.key("level")
	w.str(level)
	w.key("message")
	if nrels == 0 {
		w.textMessage(prefix + f.Message)
	} else {
		var msg strings.Builder
		msg.WriteString(escapeBrackets(prefix + f.Message))
		msg.WriteString(" (")
		for i := range nrels {
			if i > 0 {
				msg.WriteString(", ")
			}
			_, link, _ := rel(i)
			msg.WriteString("[")
			msg.WriteString(escapeLinkText(link))
			msg.WriteString("](")
			msg.WriteString(strconv.Itoa(i + 1))
			msg.WriteString(")")
		}
		msg.WriteString(")")
		w.textMessage(msg.String())
	}
	w.key("locations")
	w.list(false, 1, func(int) {
		w.open()
		r.writePhysicalLocation(w, f.Range, true)
		if f.Resource != "" {
			w.key("logicalLocations")
			w.list(false, 1, func(int) {
				w.open()
				w.key("fullyQualifiedName")
				w.str(qualifiedName(f))
				w.key("kind")
				w.str("resource")
				w.close()
			})
		}
		w.close()
	})
	if f.Fingerprint != "" {
		w.key("partialFingerprints")
		w.open()
		w.member()
		w.str(FingerprintKey)
		w.colon()
		w.str(f.Fingerprint)
		w.close()
	}
	if len(f.Trail) > 1 {
		w.key("codeFlows")
		w.list(false, 1, func(int) {
			w.open()
			w.key("threadFlows")
			w.list(false, 1, func(int) {
				w.open()
				w.key("locations")
				w.list(false, len(f.Trail), func(i int) {
					h := f.Trail[i]
					w.open()
					w.key("location")
					w.open()
					r.writePhysicalLocation(w, h.Range, true)
					w.key("message")
					w.textMessage(hopText(f, h))
					w.close()
					w.close()
				})
				w.close()
			})
			w.close()
		})
	}
	if nrels > 0 {
		w.key("relatedLocations")
		w.list(false, nrels, func(i int) {
			rg, _, message := rel(i)
			w.open()
			w.key("id")
			w.b = strconv.AppendInt(w.b, int64(i+1), 10)
			r.writePhysicalLocation(w, rg, true)
			w.key("message")
			w.textMessage(message)
			w.close()
		})
	}
	if ig := f.Suppressed; ig != nil {
		w.key("suppressions")
		w.list(false, 1, func(int) { w.suppression(r.sarifSuppression(f, ig)) })
	}
	if fx != nil {
		w.key("fixes")
		w.list(false, 1, func(int) { w.fix(fx) })
	}
	w.close()
}

// textMessage writes a message with text only (sarif.NewTextMessage).
func (w *jsonWriter) textMessage(text string) {
	w.open()
	w.key("text")
	w.str(text)
	w.close()
}

// writePhysicalLocation writes the physicalLocation member of a
// location, as physicalLocation builds it; nothing when the range names
// no file.
func (r *Report) writePhysicalLocation(w *jsonWriter, rg model.Range, withRegion bool) {
	loc := r.locate(rg.Filename)
	if loc.display == "" {
		return
	}
	w.key("physicalLocation")
	w.open()
	w.key("artifactLocation")
	w.open()
	w.key("uri")
	w.str(loc.uri())
	if loc.inside {
		w.key("uriBaseId")
		w.str(SRCRoot)
	}
	w.close()
	if withRegion {
		line, col := position(rg.Start)
		w.key("region")
		w.open()
		w.key("startLine")
		w.b = strconv.AppendInt(w.b, int64(line), 10)
		w.key("startColumn")
		w.b = strconv.AppendInt(w.b, int64(col), 10)
		if el, ec := end(rg); el > 0 {
			w.key("endLine")
			w.b = strconv.AppendInt(w.b, int64(el), 10)
			w.key("endColumn")
			w.b = strconv.AppendInt(w.b, int64(ec), 10)
		}
		w.close()
	}
	w.close()
}

// resultLevel returns the SARIF level of a finding's result and the
// prefix of its message: an undetermined outcome is a note.
func resultLevel(f *engine.Finding) (level, prefix string) {
	if f.Status == engine.Undetermined {
		return "note", "Undetermined: "
	}
	return sarifLevel(f.Severity), ""
}

// relatedList is a finding's related locations as its SARIF result
// gives them: where the deciding value was set (when the trail says),
// then the finding's own, numbered from 1 in this order.
type relatedList struct {
	f         *engine.Finding
	origin    model.Hop
	hasOrigin bool
}

func relatedOf(f *engine.Finding) relatedList {
	origin, ok := valueOrigin(f)
	return relatedList{f: f, origin: origin, hasOrigin: ok}
}

func (l relatedList) len() int {
	if l.hasOrigin {
		return len(l.f.Related) + 1
	}
	return len(l.f.Related)
}

// at returns the range, the link text (in the result's message) and the
// message of related location i.
func (l relatedList) at(i int) (rg model.Range, link, message string) {
	if l.hasOrigin {
		if i == 0 {
			return l.origin.Range, ValueSetHere, ValueSetHere + ": " + hopText(l.f, l.origin)
		}
		i--
	}
	r := l.f.Related[i]
	return r.Range, oneLine(r.Message), r.Message
}
