package report

import (
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// compactJSON is an element of a streamed array (encodeStreamedWith) that
// writes itself as JSON: compact, or indented as appendIndented would
// indent the compact form (prefix, then two spaces a level). ok false: it
// holds something its writer does not know; fallback is then encoded by
// encoding/json instead.
type compactJSON interface {
	appendCompactJSON(dst []byte) (out []byte, ok bool)
	appendIndentedJSON(dst []byte, prefix string) (out []byte, ok bool)
	fallback() any
}

// sarifResultJSON writes a SARIF result as compact JSON, byte for byte
// what encoding/json (HTML escaping off) gives for the *sarif.Result, but
// without reflection: on a large report, encoding the results by
// reflection cost as much as building them. It knows the fields the SARIF
// writer sets; a result with any other field set falls back to
// encoding/json (TestSARIFResultJSONMatchesEncoding).
type sarifResultJSON struct{ res *sarif.Result }

func (s sarifResultJSON) fallback() any { return s.res }

func (s sarifResultJSON) appendCompactJSON(dst []byte) ([]byte, bool) {
	w := newJSONWriter(dst, false, "")
	w.result(s.res)
	return w.b, w.ok
}

// appendIndentedJSON writes the result indented as it is written, rather
// than compact and then indented by appendIndented: one pass over the
// bytes of a report that is mostly these results, not two.
func (s sarifResultJSON) appendIndentedJSON(dst []byte, prefix string) ([]byte, bool) {
	w := newJSONWriter(dst, true, prefix)
	w.result(s.res)
	return w.b, w.ok
}

// jsonWriter appends JSON, compact or indented; ok turns false at the
// first value it cannot write as encoding/json would.
type jsonWriter struct {
	b  []byte
	ok bool
	// n counts the members written in each open object, innermost last.
	n []int
	// indent: each member and element on a line of its own, after
	// prefix and two spaces per level of depth, as appendIndented lays
	// out the compact form.
	indent bool
	prefix string
	depth  int
}

// newJSONWriter returns a writer appending to dst, indented after prefix
// when indent is set. Its member counts start with room for the seven
// levels of nesting a SARIF result has (growing them was four
// allocations a result).
func newJSONWriter(dst []byte, indent bool, prefix string) jsonWriter {
	return jsonWriter{b: dst, ok: true, n: make([]int, 0, 8), indent: indent, prefix: prefix}
}

func (w *jsonWriter) null() { w.b = append(w.b, "null"...) }

// newline starts a line at the current depth (indented only).
func (w *jsonWriter) newline() {
	if w.indent {
		w.b = appendNewline(w.b, w.prefix, w.depth)
	}
}

func (w *jsonWriter) open() {
	w.b = append(w.b, '{')
	w.n = append(w.n, 0)
	w.depth++
}

func (w *jsonWriter) close() {
	w.depth--
	if w.n[len(w.n)-1] > 0 {
		w.newline()
	}
	w.b = append(w.b, '}')
	w.n = w.n[:len(w.n)-1]
}

// key starts a member of the innermost object, whose name k needs no
// escaping.
func (w *jsonWriter) key(k string) {
	w.member()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"')
	w.colon()
}

// member starts a member of the innermost object, before its name.
func (w *jsonWriter) member() {
	if w.n[len(w.n)-1] > 0 {
		w.b = append(w.b, ',')
	}
	w.n[len(w.n)-1]++
	w.newline()
}

// colon separates a member's name from its value.
func (w *jsonWriter) colon() {
	if w.indent {
		w.b = append(w.b, ':', ' ')
	} else {
		w.b = append(w.b, ':')
	}
}

func (w *jsonWriter) optString(k string, s *string) {
	if s != nil {
		w.key(k)
		w.str(*s)
	}
}

func (w *jsonWriter) optInt(k string, v *int) {
	if v != nil {
		w.key(k)
		w.b = strconv.AppendInt(w.b, int64(*v), 10)
	}
}

func (w *jsonWriter) optUint(k string, v *uint) {
	if v != nil {
		w.key(k)
		w.b = strconv.AppendUint(w.b, uint64(*v), 10)
	}
}

// list writes the n elements of a slice (each by elem(i)); null for a
// nil slice.
func (w *jsonWriter) list(isNil bool, n int, elem func(i int)) {
	if isNil {
		w.null()
		return
	}
	w.b = append(w.b, '[')
	w.depth++
	for i := range n {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.newline()
		elem(i)
	}
	w.depth--
	if n > 0 {
		w.newline()
	}
	w.b = append(w.b, ']')
}

// props writes the property bag member (omitempty) of a struct.
func (w *jsonWriter) props(p sarif.Properties) {
	if len(p) > 0 {
		w.key("properties")
		w.stringMap(p)
	}
}

// stringMap writes a map whose values are strings, keys sorted as
// encoding/json sorts them; any other value is not for this writer.
func (w *jsonWriter) stringMap(m map[string]any) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.open()
	for _, k := range keys {
		s, ok := m[k].(string)
		if !ok {
			w.ok = false
			return
		}
		w.member()
		w.str(k)
		w.colon()
		w.str(s)
	}
	w.close()
}

func (w *jsonWriter) result(r *sarif.Result) {
	if r.Guid != nil || r.CorrelationGuid != nil || r.Rule != nil || r.Taxa != nil || r.Kind != nil ||
		r.AnalysisTarget != nil || r.WebRequest != nil || r.WebResponse != nil || r.Fingerprints != nil ||
		r.Graphs != nil || r.GraphTraversals != nil || r.Stacks != nil || r.BaselineState != nil ||
		r.Rank != nil || r.Attachments != nil || r.WorkItemUris != nil || r.HostedViewerUri != nil ||
		r.Provenance != nil || r.OccurrenceCount != nil {
		w.ok = false
		return
	}
	w.open()
	w.props(r.Properties)
	w.optString("ruleId", r.RuleID)
	w.optUint("ruleIndex", r.RuleIndex)
	w.optString("level", r.Level)
	w.key("message")
	w.message(&r.Message)
	if len(r.Locations) > 0 {
		w.key("locations")
		w.list(false, len(r.Locations), func(i int) { w.location(r.Locations[i]) })
	}
	if len(r.PartialFingerprints) > 0 {
		w.key("partialFingerprints")
		w.stringMap(r.PartialFingerprints)
	}
	if len(r.CodeFlows) > 0 {
		w.key("codeFlows")
		w.list(false, len(r.CodeFlows), func(i int) { w.codeFlow(r.CodeFlows[i]) })
	}
	if len(r.RelatedLocations) > 0 {
		w.key("relatedLocations")
		w.list(false, len(r.RelatedLocations), func(i int) { w.location(r.RelatedLocations[i]) })
	}
	if len(r.Suppressions) > 0 {
		w.key("suppressions")
		w.list(false, len(r.Suppressions), func(i int) { w.suppression(r.Suppressions[i]) })
	}
	if len(r.Fixes) > 0 {
		w.key("fixes")
		w.list(false, len(r.Fixes), func(i int) { w.fix(r.Fixes[i]) })
	}
	w.close()
}

func (w *jsonWriter) message(m *sarif.Message) {
	if m == nil {
		w.null()
		return
	}
	w.open()
	w.optString("text", m.Text)
	w.optString("markdown", m.Markdown)
	w.optString("id", m.ID)
	if len(m.Arguments) > 0 {
		w.key("arguments")
		w.list(false, len(m.Arguments), func(i int) { w.str(m.Arguments[i]) })
	}
	w.props(m.Properties)
	w.close()
}

func (w *jsonWriter) location(l *sarif.Location) {
	if l == nil {
		w.null()
		return
	}
	if l.Annotations != nil || l.Relationships != nil {
		w.ok = false
		return
	}
	w.open()
	w.optUint("id", l.Id)
	if l.PhysicalLocation != nil {
		w.key("physicalLocation")
		w.physicalLocation(l.PhysicalLocation)
	}
	if len(l.LogicalLocations) > 0 {
		w.key("logicalLocations")
		w.list(false, len(l.LogicalLocations), func(i int) { w.logicalLocation(l.LogicalLocations[i]) })
	}
	if l.Message != nil {
		w.key("message")
		w.message(l.Message)
	}
	w.props(l.Properties)
	w.close()
}

func (w *jsonWriter) physicalLocation(p *sarif.PhysicalLocation) {
	if p.Address != nil {
		w.ok = false
		return
	}
	w.open()
	if p.ArtifactLocation != nil {
		w.key("artifactLocation")
		w.artifactLocation(p.ArtifactLocation)
	}
	if p.Region != nil {
		w.key("region")
		w.region(p.Region)
	}
	if p.ContextRegion != nil {
		w.key("contextRegion")
		w.region(p.ContextRegion)
	}
	w.props(p.Properties)
	w.close()
}

func (w *jsonWriter) artifactLocation(a *sarif.ArtifactLocation) {
	w.open()
	w.optString("uri", a.URI)
	w.optString("uriBaseId", a.URIBaseId)
	w.optUint("index", a.Index)
	if a.Description != nil {
		w.key("description")
		w.message(a.Description)
	}
	w.props(a.Properties)
	w.close()
}

func (w *jsonWriter) region(r *sarif.Region) {
	w.open()
	w.optInt("startLine", r.StartLine)
	w.optInt("startColumn", r.StartColumn)
	w.optInt("endLine", r.EndLine)
	w.optInt("endColumn", r.EndColumn)
	w.optInt("charOffset", r.CharOffset)
	w.optInt("charLength", r.CharLength)
	w.optInt("byteOffset", r.ByteOffset)
	w.optInt("byteLength", r.ByteLength)
	if r.Snippet != nil {
		w.key("snippet")
		w.artifactContent(r.Snippet)
	}
	if r.Message != nil {
		w.key("message")
		w.message(r.Message)
	}
	w.optString("sourceLanguage", r.SourceLanguage)
	w.props(r.Properties)
	w.close()
}

func (w *jsonWriter) artifactContent(c *sarif.ArtifactContent) {
	if c.Rendered != nil {
		w.ok = false
		return
	}
	w.open()
	w.optString("text", c.Text)
	w.optString("binary", c.Binary)
	w.props(c.Properties)
	w.close()
}

func (w *jsonWriter) logicalLocation(l *sarif.LogicalLocation) {
	if l == nil {
		w.null()
		return
	}
	w.open()
	w.optUint("index", l.Index)
	w.optString("name", l.Name)
	w.optString("fullyQualifiedName", l.FullyQualifiedName)
	w.optString("decoratedName", l.DecoratedName)
	w.optString("kind", l.Kind)
	w.optUint("parentIndex", l.ParentIndex)
	w.props(l.Properties)
	w.close()
}

func (w *jsonWriter) codeFlow(c *sarif.CodeFlow) {
	if c == nil {
		w.null()
		return
	}
	w.open()
	if c.Message != nil {
		w.key("message")
		w.message(c.Message)
	}
	if len(c.ThreadFlows) > 0 {
		w.key("threadFlows")
		w.list(false, len(c.ThreadFlows), func(i int) { w.threadFlow(c.ThreadFlows[i]) })
	}
	w.props(c.Properties)
	w.close()
}

func (w *jsonWriter) threadFlow(t *sarif.ThreadFlow) {
	if t == nil {
		w.null()
		return
	}
	if t.ImmutableState != nil || t.InitialState != nil {
		w.ok = false
		return
	}
	w.open()
	w.optString("id", t.ID)
	w.key("locations")
	w.list(t.Locations == nil, len(t.Locations), func(i int) { w.threadFlowLocation(t.Locations[i]) })
	if t.Message != nil {
		w.key("message")
		w.message(t.Message)
	}
	w.props(t.Properties)
	w.close()
}

func (w *jsonWriter) threadFlowLocation(t *sarif.ThreadFlowLocation) {
	if t == nil {
		w.null()
		return
	}
	if t.ExecutionOrder != nil || t.ExecutionTimeUTC != nil || t.Importance != nil || t.Index != nil ||
		t.Kinds != nil || t.Module != nil || t.NestingLevel != nil || t.Stack != nil || t.State != nil ||
		t.Taxa != nil || t.WebRequest != nil || t.WebResponse != nil {
		w.ok = false
		return
	}
	w.open()
	if t.Location != nil {
		w.key("location")
		w.location(t.Location)
	}
	w.props(t.Properties)
	w.close()
}

func (w *jsonWriter) suppression(s *sarif.Suppression) {
	if s == nil {
		w.null()
		return
	}
	w.open()
	w.key("kind")
	w.str(s.Kind)
	w.key("status")
	w.nullableString(s.Status)
	w.key("location")
	w.location(s.Location)
	w.key("guid")
	w.nullableString(s.Guid)
	w.key("justification")
	w.nullableString(s.Justification)
	w.props(s.Properties)
	w.close()
}

func (w *jsonWriter) nullableString(s *string) {
	if s == nil {
		w.null()
		return
	}
	w.str(*s)
}

func (w *jsonWriter) fix(f *sarif.Fix) {
	if f == nil {
		w.null()
		return
	}
	w.open()
	if f.Description != nil {
		w.key("description")
		w.message(f.Description)
	}
	w.key("artifactChanges")
	w.list(f.ArtifactChanges == nil, len(f.ArtifactChanges), func(i int) { w.artifactChange(f.ArtifactChanges[i]) })
	w.props(f.Properties)
	w.close()
}

func (w *jsonWriter) artifactChange(c *sarif.ArtifactChange) {
	if c == nil {
		w.null()
		return
	}
	w.open()
	w.key("artifactLocation")
	w.artifactLocation(&c.ArtifactLocation)
	w.key("replacements")
	w.list(c.Replacements == nil, len(c.Replacements), func(i int) { w.replacement(c.Replacements[i]) })
	w.props(c.Properties)
	w.close()
}

func (w *jsonWriter) replacement(r *sarif.Replacement) {
	if r == nil {
		w.null()
		return
	}
	w.open()
	w.key("deletedRegion")
	w.region(&r.DeletedRegion)
	if r.InsertedContent != nil {
		w.key("insertedContent")
		w.artifactContent(r.InsertedContent)
	}
	w.props(r.Properties)
	w.close()
}

const hexDigits = "0123456789abcdef"

// safeRun returns the length of the longest prefix of s written as it is
// in a JSON string: printable ASCII other than quote and backslash. It
// reads eight bytes at a time (most of what a report writes is such
// text: file names, messages, fingerprints), then byte by byte.
func safeRun(s string) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		t := s[i : i+8] // one bounds check; the compiler loads the word at once
		x := uint64(t[0]) | uint64(t[1])<<8 | uint64(t[2])<<16 | uint64(t[3])<<24 |
			uint64(t[4])<<32 | uint64(t[5])<<40 | uint64(t[6])<<48 | uint64(t[7])<<56
		// A byte's high bit is set in bad when it is below 0x20, is
		// a quote or a backslash (zero after the xor), or is not ASCII
		// (x's own high bit). The borrows of the subtractions can mark
		// a byte above a flagged one too, never one when none is
		// flagged: the word is then scanned byte by byte.
		bad := (x - 0x20*ones) | ((x ^ '"'*ones) - ones) | ((x ^ '\\'*ones) - ones)
		bad = (bad &^ x) | x
		if bad&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			break
		}
	}
	return i
}

// str writes s as a JSON string, escaped as encoding/json escapes it with
// HTML escaping off: quote, backslash and control characters, invalid
// UTF-8 as U+FFFD, and U+2028 and U+2029.
func (w *jsonWriter) str(s string) {
	b := w.b
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		i += safeRun(s[i:])
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	b = append(b, '"')
	w.b = b
}
