package arm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/fold"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
)

// maxJSONDepth bounds the nesting read of a template: deeper containers
// are cut off (jval.deep), not read. Real templates, even compiled Bicep
// with many modules, stay far below (the corpus's deepest nests 30
// levels; its largest file is under 2 MiB, limits.ARMFileSize).
const maxJSONDepth = 256

// jval is a JSON value of a template with the byte offsets of its text.
// Numbers keep their text; whole numbers that fit also their int64.
type jval struct {
	str    string // string content, or the text of a number
	num    int64
	fields []jfield
	items  []*jval
	// start and end are the byte offsets of the value's text ([start, end)).
	start, end int
	kind       model.Kind // KindNull, KindBool, KindString, KindInt (any number), KindList, KindObject
	b          bool
	isInt      bool // a number that is whole and fits int64
	// deep marks a container cut off at maxJSONDepth: its content is not
	// read.
	deep bool
}

// jfield is a member of a JSON object.
type jfield struct {
	key      string
	keyStart int
	val      *jval
}

// get returns the member called key, matched case-insensitively as ARM
// matches property names (an exact match wins); nil when absent or when v
// is not an object.
func (v *jval) get(key string) *jval {
	if v == nil || v.kind != model.KindObject {
		return nil
	}
	var folded *jval
	for i := range v.fields {
		f := &v.fields[i]
		if f.key == key {
			return f.val
		}
		if folded == nil && fold.MayEqual(f.key, key) && strings.EqualFold(f.key, key) {
			folded = f.val
		}
	}
	return folded
}

// field returns the member called key (case-insensitive) with its key.
func (v *jval) field(key string) *jfield {
	if v == nil || v.kind != model.KindObject {
		return nil
	}
	var folded *jfield
	for i := range v.fields {
		f := &v.fields[i]
		if f.key == key {
			return f
		}
		if folded == nil && fold.MayEqual(f.key, key) && strings.EqualFold(f.key, key) {
			folded = f
		}
	}
	return folded
}

// strOf returns the content of a JSON string, "" for anything else.
func strOf(v *jval) string {
	if v.isString() {
		return v.str
	}
	return ""
}

// isString reports whether v is a JSON string.
func (v *jval) isString() bool { return v != nil && v.kind == model.KindString }

// isObject reports whether v is a JSON object.
func (v *jval) isObject() bool { return v != nil && v.kind == model.KindObject }

// isList reports whether v is a JSON array.
func (v *jval) isList() bool { return v != nil && v.kind == model.KindList }

// file is one JSON file read with positions.
type file struct {
	name string // as reported: forward slashes
	// text is the file's text, without its byte order mark: as it is
	// when it is strict JSON (then shared with the caller's src, never
	// written to), else with comments and trailing commas blanked out
	// and control characters inside strings replaced by spaces
	// (flattenStrings).
	text []byte
	root *jval

	// ix locates offsets: from the text as read (decodeLines), before
	// its strings are flattened.
	ix *srcpos.Index[[]byte]

	// strict is whether the text as read is JSON that decodeJSON reads
	// (no comment, no trailing comma), and ctl whether one of its strings
	// holds a control character: what validJSON would say of it.
	strict, ctl bool
}

// parseJSON reads src (JSON with comments and trailing commas, as ARM
// accepts) into a tree with positions, in one pass (decodeJSON). A syntax
// error is an error diagnostic at the place encoding/json finds it.
//
// Most templates are strict JSON: they are decoded as they are, src
// shared, not copied (decodeJSON reads control characters inside strings
// as flattenStrings would make them, and copies the text once for the
// strings of the tree), with the line index from the same pass. Only a file that is not strict JSON is copied, has
// its comments and trailing commas blanked out by jsonc (keeping
// offsets) and its strings flattened, and is decoded again: jsonc and
// flattenStrings leave strict JSON as it is, so both ways read a strict
// file alike.
func parseJSON(name string, src []byte) (*file, *model.Diagnostic) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	f := &file{name: name, text: src}
	if root, ix, ctl, ok := decodeLines(src); ok {
		f.root, f.ix, f.strict, f.ctl = root, ix, true, ctl
		return f, nil
	}
	// In place in a copy: one allocation of the file's size
	// (jsonc.ToJSON grows its output byte by byte).
	f.text = jsonc.ToJSONInPlace(bytes.Clone(src))
	f.ix = srcpos.New(f.text)
	f.text = flattenStrings(f.text)
	root, ok := decodeJSON(f.text)
	if ok {
		f.root = root
		return f, nil
	}
	// encoding/json says where the input breaks, in its words.
	var probe any
	err := json.Unmarshal(f.text, &probe)
	if err == nil {
		// Not reached: decodeJSON accepts what encoding/json accepts
		// (FuzzDecodeJSON holds them together).
		err = errors.New("invalid JSON")
	}
	var syn *json.SyntaxError
	off := 0
	msg := err.Error()
	if errors.As(err, &syn) {
		off = int(syn.Offset) - 1
		if off < 0 {
			off = 0
		}
		msg = syn.Error()
	}
	d := &model.Diagnostic{
		Severity: model.SevError,
		Summary:  "Invalid JSON",
		Detail:   fmt.Sprintf("%s is not valid JSON: %s; it was not analysed.", name, msg),
		Range:    f.point(off),
	}
	return f, d
}

// flattenStrings replaces the control characters inside JSON strings with
// spaces, in place: ARM accepts multi-line strings (a deployment script's
// scriptContent), JSON does not. Offsets and lines stay as they are (the
// line index is taken before).
func flattenStrings(text []byte) []byte {
	in := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case !in:
			in = c == '"'
		case c == '\\':
			i++
		case c == '"':
			in = false
		case c < 0x20:
			text[i] = ' '
		}
	}
	return text
}

// pos converts a byte offset to a position: 1-based line, 1-based column
// in characters (as the HCL parser counts them, so that editors and
// snippets agree) and the byte offset.
func (f *file) pos(off int) model.Pos { return f.ix.Pos(off) }

// rng is the range of a JSON value; the start of the file for nil.
func (f *file) rng(v *jval) model.Range {
	if v == nil {
		return f.point(0)
	}
	return f.span(v.start, v.end)
}

// span is the range from one byte offset to another (srcpos.Index.Span).
func (f *file) span(start, end int) model.Range {
	from, to := f.ix.Span(start, end)
	return model.Range{Filename: f.name, Start: from, End: to}
}

// keyRange is the range of a member's key and value ("type": "…").
func (f *file) keyRange(fd *jfield) model.Range {
	return f.span(fd.keyStart, fd.val.end)
}

// point is an empty range at one byte offset.
func (f *file) point(off int) model.Range {
	p := f.pos(off)
	return model.Range{Filename: f.name, Start: p, End: p}
}
