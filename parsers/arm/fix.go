package arm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
)

// ApplyEdits applies fix edits to src, an ARM template or parameter file
// (JSON with comments and trailing commas, as ARM accepts), by byte-range
// changes: a literal is replaced where it is written, a member is added at
// the end of its object in the file's own style (the object's indentation
// or the file's indent unit, its line endings; one-line objects and
// minified files get a one-line member). Every other byte is kept: no
// reformatting, no reordering, comments stay.
//
// Each edit's Range.Start.Byte is an offset in src as the parser read it
// (after a UTF-8 byte order mark): EditReplace names a literal;
// EditDefault a parameter's defaultValue literal, or the parameter's key
// (its defaultValue is then set, added when absent); EditAdd the resource
// object, inside which Path is set, creating the objects on the way.
// A parameter's default is set only to a value of its type and among its
// allowedValues when it lists them.
// Edits apply in order, each on the result of the previous ones, their
// offsets moved by what those changed. An edit that cannot be applied (its
// target is an expression, an object, not found) is left out with its
// error; the others are applied.
func ApplyEdits(src []byte, edits []model.Edit) ([]byte, []error) {
	return NewEditor(src).Apply(edits)
}

// Editor applies edits to one file's contents, read once: the SARIF
// report asks for the fixes of a file's results one after another, and
// each starts from the same text, so it is checked once (and each edit
// decodes only the values it looks at, see parsedText).
type Editor struct {
	src  []byte
	base *parsedText // the text without its byte order mark, once parsed
	// strict and ctl, when the loader made the Editor, are what validJSON
	// says of the text, and ends the ends it records (containerEnds):
	// the loader's decoder read the text whole already (file.strict), so
	// it is not checked again.
	strict, ctl bool
	ends        []int
}

// NewEditor returns an Editor of src (see ApplyEdits).
func NewEditor(src []byte) *Editor { return &Editor{src: src} }

// Apply returns the file's contents with edits applied (see ApplyEdits).
func (ed *Editor) Apply(edits []model.Edit) ([]byte, []error) {
	start, end, text, errs := ed.Splice(edits)
	return source.Spliced(ed.src, start, end, text), errs
}

// Splice makes edits as Apply does and returns the result as a change of
// the file's contents: src[start:end] becomes text (0, 0 and nil when
// nothing changed). Apply gives src[:start] + text + src[end:]. One edit
// changes its own bytes only: the file is not copied.
func (ed *Editor) Splice(edits []model.Edit) (start, end int, text []byte, errs []error) {
	src := ed.src
	bom := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		bom = 3
	}
	cur := src[bom:]
	var done []change
	copied := false
	// The text before the first change and after the last, as offsets
	// from either end of the text: the same in src and in the result.
	head, tail := len(cur), len(cur)
	for _, e := range edits {
		// The first edit reads the file as it is; the next ones, the
		// text the edits before them made.
		var p *parsedText
		if len(done) == 0 {
			if ed.base == nil {
				if ed.strict {
					ed.base = checked(cur, ed.ctl, ed.ends)
				} else {
					ed.base = parse(cur)
				}
			}
			p = ed.base
		} else {
			if !copied {
				// The first change was not made in cur: it is now, in a
				// copy, and so are the ones after it.
				cur, copied = done[0].apply(cur), true
			}
			p = parse(cur)
		}
		off, ok := shifted(e.Range.Start.Byte, done)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: an earlier edit changed the text there", e.Range))
			continue
		}
		c, err := planEdit(cur, p, e, off)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", e.Range, err))
			continue
		}
		if c == nil {
			continue
		}
		head, tail = min(head, c.start), min(tail, len(cur)-c.end)
		if copied {
			cur = c.apply(cur)
		}
		done = append(done, *c)
	}
	switch len(done) {
	case 0:
		return 0, 0, nil, errs
	case 1:
		c := done[0]
		return bom + c.start, bom + c.end, []byte(c.text), errs
	}
	return bom + head, len(src) - tail, cur[head : len(cur)-tail], errs
}

// apply returns text with the change made, in a new slice.
func (c change) apply(text []byte) []byte {
	next := make([]byte, 0, len(text)+len(c.text)-(c.end-c.start))
	next = append(next, text[:c.start]...)
	next = append(next, c.text...)
	return append(next, text[c.end:]...)
}

// change replaces text[start:end] with text.
type change struct {
	start, end int
	text       string
}

// shifted moves offset off of the original text through the changes made
// since: text after a change moves by its growth; a replaced value that
// starts at off is still found at off. ok is false when off fell inside
// text a change replaced.
func shifted(off int, done []change) (int, bool) {
	for _, c := range done {
		switch {
		case c.start == off && c.end > c.start:
		case c.end <= off:
			off += len(c.text) - (c.end - c.start)
		case c.start < off:
			return 0, false
		}
	}
	return off, true
}

// planEdit returns the change edit e makes in text (p: its syntax tree),
// its target at offset off; nil when the value is already right.
func planEdit(text []byte, p *parsedText, e model.Edit, off int) (*change, error) {
	val, err := jsonText(e.Value)
	if err != nil {
		return nil, err
	}
	if !p.ok {
		return nil, errors.New("the file is not valid JSON")
	}
	st := p.st
	if off < 0 || off >= len(text) {
		return nil, fmt.Errorf("offset %d is outside the file", off)
	}
	// An added property reads the objects on its path only (shallow).
	v, fd := p.locate(off, e.Kind == model.EditAdd)
	full := func(v *jval) *jval { return v }
	switch e.Kind {
	case model.EditReplace:
		if v == nil {
			return nil, errors.New("no value starts there")
		}
		return replaceLiteral(text, v, val)
	case model.EditDefault:
		switch {
		case v != nil:
			if decl := p.paramOf(v); decl != nil {
				if err := fitsParam(decl, e.Value); err != nil {
					return nil, err
				}
			}
			return replaceLiteral(text, v, val)
		case fd != nil && fd.val.isObject():
			if err := fitsParam(fd.val, e.Value); err != nil {
				return nil, err
			}
			return setMember(text, st, fd.val, []string{"defaultValue"}, val, full)
		}
		return nil, errors.New("no parameter or default value starts there")
	case model.EditAdd:
		if !v.isObject() {
			return nil, errors.New("no resource object starts there")
		}
		if len(e.Path) == 0 {
			return nil, errors.New("no property to add")
		}
		return setMember(text, st, v, e.Path, val, p.expand)
	}
	return nil, fmt.Errorf("edits of kind %q are not made in ARM files", e.Kind)
}

// jsonText is v written as JSON.
func jsonText(v any) (string, error) {
	switch v := v.(type) {
	case bool: // as encoding/json writes them, without an encoder
		return strconv.FormatBool(v), nil
	case int:
		return strconv.Itoa(v), nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	switch v.(type) {
	case bool, string, int, int64, uint64, float64:
	default:
		return "", fmt.Errorf("a fix does not write %T values", v)
	}
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("writing the value: %w", err)
	}
	return strings.TrimSpace(b.String()), nil
}

// replaceLiteral replaces literal v with val; a template expression, an
// object or an array is not replaced.
func replaceLiteral(text []byte, v *jval, val string) (*change, error) {
	switch v.kind {
	case model.KindObject, model.KindList:
		return nil, errors.New("the value there is an object or array, not a literal")
	case model.KindString:
		if isExpr(v.str) {
			return nil, errors.New("the value there is a template expression; change it by hand")
		}
	}
	if string(text[v.start:v.end]) == val {
		return nil, nil
	}
	return &change{start: v.start, end: v.end, text: val}, nil
}

// isExpr reports whether s is an ARM template expression ("[...]", not
// the "[[" escape of a literal bracket).
func isExpr(s string) bool {
	return strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") && !strings.HasPrefix(s, "[[")
}

// style is how a file is laid out: its indent unit, its line ending, and
// whether it has line breaks at all.
type style struct {
	unit     string
	nl       string
	oneLine  bool
	colonSep string // ": " or ":" after a key
}

// styleOf detects the layout of text: the indent unit is the indentation
// of the first indented line (two spaces when none is), the line ending
// CRLF when the file's first line break is one.
func styleOf(text []byte) style {
	st := style{unit: "  ", nl: "\n", colonSep: ": "}
	i := bytes.IndexByte(text, '\n')
	if i < 0 {
		st.oneLine = true
	} else if i > 0 && text[i-1] == '\r' {
		st.nl = "\r\n"
	}
	for rest := text; ; {
		line, next, more := bytes.Cut(rest, []byte("\n"))
		ws := leadingSpace(line)
		if len(ws) > 0 && len(ws) < len(bytes.TrimRight(line, "\r")) {
			st.unit = string(ws)
			break
		}
		if !more {
			break
		}
		rest = next
	}
	return st
}

func leadingSpace(line []byte) []byte {
	n := 0
	for n < len(line) && (line[n] == ' ' || line[n] == '\t') {
		n++
	}
	return line[:n]
}

// lineIndent is the indentation of the line holding offset off.
func lineIndent(text []byte, off int) string {
	s := bytes.LastIndexByte(text[:off], '\n') + 1
	return string(leadingSpace(text[s:]))
}

// colonStyle is the separator after the key of obj's first member as
// written (": " or ":"), else the default of st.
func colonStyle(text []byte, obj *jval, st style) string {
	if len(obj.fields) == 0 {
		if st.oneLine {
			return ":"
		}
		return st.colonSep
	}
	f := obj.fields[0]
	between := text[f.keyStart:f.val.start]
	colon := bytes.LastIndexByte(between, ':')
	if colon >= 0 && colon+1 < len(between) {
		return ": "
	}
	return ":"
}

// setMember sets path (keys from obj down) to val: the last key's literal
// is replaced when written; the first key missing is added at the end of
// its object, holding the rest of the path as nested objects. expand
// gives the members of an object on the path (parsedText.expand).
func setMember(text []byte, st style, obj *jval, path []string, val string, expand func(*jval) *jval) (*change, error) {
	for i, k := range path {
		fd := obj.field(k)
		if fd == nil {
			return addMember(text, st, obj, path[i:], val), nil
		}
		if i == len(path)-1 {
			return replaceLiteral(text, fd.val, val)
		}
		if !fd.val.isObject() {
			return nil, fmt.Errorf("%s is not written as an object; change it by hand", strings.Join(path[:i+1], "."))
		}
		obj = expand(fd.val)
	}
	return nil, nil
}

// addMember adds "path[0]": {"path[1]": … val} at the end of obj, in the
// style of the object: on its own line with the members' indentation in a
// multi-line object, after the others on one line otherwise.
func addMember(text []byte, st style, obj *jval, path []string, val string) *change {
	colon := colonStyle(text, obj, st)
	body := text[obj.start+1 : obj.end-1]
	multi := bytes.IndexByte(body, '\n') >= 0 || len(obj.fields) == 0 && !st.oneLine
	if !multi {
		sep := ", "
		if colon == ":" {
			sep = ","
		}
		m := memberText(path, val, colon, "", "")
		if len(obj.fields) == 0 {
			if len(bytes.TrimSpace(body)) == 0 {
				return &change{start: obj.start + 1, end: obj.end - 1, text: m}
			}
			return &change{start: obj.start + 1, end: obj.start + 1, text: m + ","}
		}
		last := obj.fields[len(obj.fields)-1].val
		return &change{start: last.end, end: last.end, text: sep + m}
	}
	outer := lineIndent(text, obj.start)
	indent := outer + st.unit
	if len(obj.fields) > 0 {
		f := obj.fields[0]
		if ws := lineIndent(text, f.keyStart); len(ws) == f.keyStart-(bytes.LastIndexByte(text[:f.keyStart], '\n')+1) {
			// The first member starts its line: its indentation is the
			// object's.
			indent = ws
		}
	}
	m := memberText(path, val, colon, indent, st.unit)
	m = strings.ReplaceAll(m, "\n", st.nl)
	if len(obj.fields) == 0 {
		if len(bytes.TrimSpace(body)) == 0 {
			return &change{start: obj.start + 1, end: obj.end - 1, text: st.nl + indent + m + st.nl + outer}
		}
		return &change{start: obj.start + 1, end: obj.start + 1, text: st.nl + indent + m + ","}
	}
	last := obj.fields[len(obj.fields)-1].val
	// A comma after the last value unless one is written (a trailing
	// comma); the member goes at the end of that line, after any comment.
	after := last.end
	comma := ","
	rest := skipSpaceComments(text, last.end, obj.end-1)
	if rest < obj.end-1 && text[rest] == ',' {
		comma = ""
		after = rest + 1
	}
	lineEnd := after
	for lineEnd < obj.end-1 && text[lineEnd] != '\n' {
		lineEnd++
	}
	if lineEnd < obj.end-1 && lineEnd > 0 && text[lineEnd-1] == '\r' {
		lineEnd--
	}
	tail := string(text[after:lineEnd])
	if lineEnd == obj.end-1 {
		// The closing brace is on the last member's line: the new member
		// goes before it, on a line of its own.
		tail = strings.TrimRight(tail, " \t")
		return &change{start: after, end: lineEnd, text: comma + tail + st.nl + indent + m + st.nl + outer}
	}
	if strings.Contains(tail, "/*") {
		// A block comment may go on across lines: keep the member
		// right after the comma.
		return &change{start: after, end: after, text: comma + st.nl + indent + m}
	}
	return &change{start: last.end, end: lineEnd, text: string(text[last.end:after]) + comma + tail + st.nl + indent + m}
}

// skipSpaceComments returns the offset of the first byte from i (before
// end) that is neither space nor inside a comment.
func skipSpaceComments(text []byte, i, end int) int {
	for i < end {
		switch {
		case text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r':
			i++
		case bytes.HasPrefix(text[i:], []byte("//")):
			for i < end && text[i] != '\n' {
				i++
			}
		case bytes.HasPrefix(text[i:], []byte("/*")):
			j := bytes.Index(text[i+2:end], []byte("*/"))
			if j < 0 {
				return end
			}
			i += 2 + j + 2
		default:
			return i
		}
	}
	return i
}

// memberText writes "path[0]": … val; nested objects go on lines of
// their own, indented by unit from indent, when unit is not "" (with
// "\n" line breaks), else on one line.
func memberText(path []string, val, colon, indent, unit string) string {
	key, _ := jsonText(path[0])
	if len(path) == 1 {
		return key + colon + val
	}
	if unit == "" {
		return key + colon + "{" + memberText(path[1:], val, colon, "", "") + "}"
	}
	inner := indent + unit
	return key + colon + "{\n" + inner + memberText(path[1:], val, colon, inner, unit) + "\n" + indent + "}"
}

// fitsParam reports whether value may be the default of parameter
// declaration p: of its type, and among its allowedValues when it lists
// them (a default outside them fails the deployment).
func fitsParam(p *jval, value any) error {
	typ := strings.ToLower(strOf(p.get("type")))
	var ok bool
	switch value.(type) {
	case bool:
		ok = typ == "" || typ == "bool"
	case string:
		ok = typ == "" || typ == "string" || typ == "securestring"
	default:
		ok = typ == "" || typ == "int"
	}
	if !ok {
		return fmt.Errorf("the parameter's type is %s: its default cannot be %v", typ, value)
	}
	allowed := p.get("allowedValues")
	if !allowed.isList() {
		return nil
	}
	want, _ := jsonText(value)
	for _, it := range allowed.items {
		switch it.kind {
		case model.KindString:
			if s, isStr := value.(string); isStr && it.str == s {
				return nil
			}
		case model.KindBool:
			if b, isBool := value.(bool); isBool && it.b == b {
				return nil
			}
		case model.KindInt:
			if it.str == want {
				return nil
			}
		}
	}
	return fmt.Errorf("%s is not among the parameter's allowedValues", want)
}
