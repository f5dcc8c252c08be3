package arm

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
)

// maxValidDepth is the nesting encoding/json accepts; decodeJSON refuses
// deeper input so that what it accepts is exactly what encoding/json
// accepts (and the caller asks encoding/json for the message).
const maxValidDepth = 10000

// decodeJSON reads text, strict JSON (RFC 8259, as encoding/json reads
// it) but for control characters inside strings, which are read as
// spaces (as in flattenStrings(text), which decodeJSON reads alike),
// into a tree of jvals with byte offsets, in one pass: values, keys and
// offsets come from the same scan. Containers nested deeper than
// maxJSONDepth are checked but not kept (deep). ok is false when text is
// not valid JSON (once its strings are flattened); the caller then asks
// encoding/json where it breaks.
//
// Strings are decoded as gjson decodes them (an unpaired surrogate
// becomes U+FFFD, other bytes are kept as they are), numbers keep their
// text, and a container at the top ends at the end of text.
func decodeJSON(text []byte) (root *jval, ok bool) {
	root, _, _, ok = decodeLines(text)
	return root, ok
}

// decodeLines is decodeJSON that also returns the line index of text,
// from the same pass: newlines are met as white space or inside strings,
// bytes ≥ 0x80 only inside strings. ctl reports whether a string holds
// a control character (as validJSON's ctl does).
func decodeLines(text []byte) (root *jval, ix *srcpos.Index[[]byte], ctl, ok bool) {
	d := &decoder{text: text, s: string(text), starts: make([]int, 1, len(text)/64+8)}
	d.skipSpace()
	root, ok = d.value(0)
	if !ok {
		return nil, nil, false, false
	}
	d.skipSpace()
	if d.i != len(text) {
		return nil, nil, false, false
	}
	if root.kind == model.KindObject || root.kind == model.KindList {
		root.end = len(text)
	}
	return root, srcpos.NewLines(text, d.starts, d.wide), d.ctl, true
}

type decoder struct {
	text []byte
	// s is text as a string: the strings of the tree share its memory.
	s string
	i int

	// slab is where the next values are allocated, many at a time (a
	// template has thousands); fields and items hold the members and
	// elements of the containers being read, copied out at a size that
	// fits when each container ends.
	slab   []jval
	fields []jfield
	items  []*jval
	// fslab and islab are where the members and elements of containers
	// are copied out when each ends, many containers' at a time.
	fslab []jfield
	islab []*jval

	// starts and wide are the line index of text (srcpos.NewLines):
	// where each line starts, and the lines with a byte ≥ 0x80.
	starts, wide []int
	// ctl is whether a string read so far holds a control character.
	ctl bool
}

// newline notes the '\n' at d.i.
func (d *decoder) newline() { d.starts = append(d.starts, d.i+1) }

// nonASCII notes a byte ≥ 0x80 at d.i.
func (d *decoder) nonASCII() {
	if l := len(d.starts) - 1; len(d.wide) == 0 || d.wide[len(d.wide)-1] != l {
		d.wide = append(d.wide, l)
	}
}

// slabSize is how many values are allocated at once: 85 of 96 bytes
// fill an 8 KiB size class of the Go allocator.
const slabSize = 85

// memberSlab and elemSlab are how many members and elements are
// allocated at once (about 4 KiB each), once a document has used a few
// smaller slabs (each twice the last, so that a small document wastes
// little); a container larger than half that gets its own.
const (
	memberSlab = 128
	elemSlab   = 512
)

// members returns a copy of fs, its capacity its length, from fslab.
func (d *decoder) members(fs []jfield) []jfield {
	if len(fs) > cap(d.fslab)-len(d.fslab) {
		if len(fs) > memberSlab/2 {
			return append(make([]jfield, 0, len(fs)), fs...)
		}
		d.fslab = make([]jfield, 0, min(max(2*cap(d.fslab), memberSlab/8, len(fs)), memberSlab))
	}
	n := len(d.fslab)
	d.fslab = append(d.fslab, fs...)
	return d.fslab[n:len(d.fslab):len(d.fslab)]
}

// elems returns a copy of is, its capacity its length, from islab.
func (d *decoder) elems(is []*jval) []*jval {
	if len(is) > cap(d.islab)-len(d.islab) {
		if len(is) > elemSlab/2 {
			return append(make([]*jval, 0, len(is)), is...)
		}
		d.islab = make([]*jval, 0, min(max(2*cap(d.islab), elemSlab/8, len(is)), elemSlab))
	}
	n := len(d.islab)
	d.islab = append(d.islab, is...)
	return d.islab[n:len(d.islab):len(d.islab)]
}

// node returns a new value: a copy of v in the slab.
func (d *decoder) node(v jval) *jval {
	if len(d.slab) == cap(d.slab) {
		d.slab = make([]jval, 0, slabSize)
	}
	d.slab = append(d.slab, v)
	return &d.slab[len(d.slab)-1]
}

// skipSpace skips the white space at d.i, noting its newlines. Most
// calls find none (a colon right after a key, a comma after a value):
// that is tested inline, the rest in skipSpaceRun.
func (d *decoder) skipSpace() {
	if d.i < len(d.text) && d.text[d.i] > ' ' {
		return
	}
	d.skipSpaceRun()
}

// skipSpaceRun is skipSpace past indentation eight spaces at a time,
// keeping the offset in a local until the run ends.
func (d *decoder) skipSpaceRun() {
	const spaces = 0x2020202020202020
	t, i := d.text, d.i
	for {
		for i+8 <= len(t) {
			if x := binary.LittleEndian.Uint64(t[i:]) ^ spaces; x != 0 {
				i += bits.TrailingZeros64(x) >> 3 // the first byte that is not a space
				break
			}
			i += 8
		}
		if i >= len(t) {
			d.i = i
			return
		}
		switch t[i] {
		case '\n':
			d.starts = append(d.starts, i+1) // newline, at i
			i++
		case ' ', '\t', '\r':
			i++
		default:
			d.i = i
			return
		}
	}
}

func (d *decoder) value(depth int) (*jval, bool) {
	if d.i >= len(d.text) {
		return nil, false
	}
	start := d.i
	switch c := d.text[d.i]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		s, ok := d.str()
		if !ok {
			return nil, false
		}
		return d.node(jval{kind: model.KindString, str: s, start: start, end: d.i}), true
	case c == 't':
		return d.literal("true", jval{kind: model.KindBool, b: true})
	case c == 'f':
		return d.literal("false", jval{kind: model.KindBool})
	case c == 'n':
		return d.literal("null", jval{kind: model.KindNull})
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	return nil, false
}

func (d *decoder) literal(word string, v jval) (*jval, bool) {
	if !strings.HasPrefix(d.s[d.i:], word) {
		return nil, false
	}
	v.start, v.end = d.i, d.i+len(word)
	d.i += len(word)
	return d.node(v), true
}

// number reads the number at d.i (see scanNumber).
func (d *decoder) number() (*jval, bool) {
	start := d.i
	end, ok := scanNumber(d.text, d.i)
	d.i = end
	if !ok {
		return nil, false
	}
	raw := d.s[start:d.i]
	v := jval{kind: model.KindInt, str: raw, start: start, end: d.i}
	if i, err := strconv.ParseInt(raw, 10, 64); err == nil {
		v.num, v.isInt = i, true
	} else if fl, err := strconv.ParseFloat(raw, 64); err != nil {
		// Beyond float64 (1E700): encoding/json, which tells where the
		// text breaks, rejects it too.
		return nil, false
	} else if fl == float64(int64(fl)) && !strings.ContainsAny(raw, ".eE") {
		v.num, v.isInt = int64(fl), true
	}
	return d.node(v), true
}

// scanNumber returns the end of the JSON number that starts at t[i],
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; ok is false when the
// text there is not one (end is then where it stops being one). The
// decoder and the fixes' validator read numbers alike through it.
func scanNumber(t []byte, i int) (end int, ok bool) {
	if i < len(t) && t[i] == '-' {
		i++
	}
	switch {
	case i < len(t) && t[i] == '0':
		i++
	case i < len(t) && t[i] >= '1' && t[i] <= '9':
		i = skipDigits(t, i)
	default:
		return i, false
	}
	if i < len(t) && t[i] == '.' {
		j := skipDigits(t, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		j := skipDigits(t, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

// skipDigits returns the end of the run of digits at t[i].
func skipDigits(t []byte, i int) int {
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i
}

// str reads a string at d.i (its opening quote) and returns its content.
func (d *decoder) str() (string, bool) {
	t := d.text
	i := d.i + 1
	start := i
	escaped, ctrl := false, false
	for {
		// Plain bytes (printable ASCII but '"' and '\\'), eight at a
		// time, up to the first other one.
		for i+8 <= len(t) {
			if m := specialBytes(binary.LittleEndian.Uint64(t[i:])); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(t) {
			d.i = i
			return "", false
		}
		switch c := t[i]; {
		case c == '"':
			raw := d.s[start:i]
			d.i = i + 1
			if ctrl {
				d.ctl = true
				raw = flattenControl(raw)
			}
			if escaped {
				return unescape(raw), true
			}
			return raw, true
		case c == '\\':
			escaped = true
			i++
			if i >= len(t) {
				d.i = i
				return "", false
			}
			switch t[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+5 > len(t) || !isHex4(t[i+1:i+5]) {
					d.i = i
					return "", false
				}
				i += 5
			default:
				d.i = i
				return "", false
			}
		case c < 0x20:
			// A multi-line string (a deployment script's
			// scriptContent): ARM accepts it, JSON does not; read as
			// flattenStrings makes it.
			ctrl = true
			if c == '\n' {
				d.i = i
				d.newline()
			}
			i++
		case c >= utf8.RuneSelf:
			d.nonASCII()
			i++
		default:
			i++
		}
	}
}

// specialBytes has the high bit set of each byte of w (eight bytes of
// text, the first the lowest) that str must look at: '"', '\\', a
// control character or a byte ≥ 0x80. Its lowest bit set is exactly at
// the first such byte (the borrows of the subtractions only run towards
// later bytes); bits of later bytes may be set wrongly.
func specialBytes(w uint64) uint64 {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	return ((w-ones*0x20)&^w | (quote-ones)&^quote | (backslash-ones)&^backslash | w) & highs
}

// flattenControl replaces the control characters of a string's raw
// content with spaces, as flattenStrings does in a file's text.
func flattenControl(raw string) string {
	b := []byte(raw)
	for i, c := range b {
		if c < 0x20 {
			b[i] = ' '
		}
	}
	return string(b)
}

func isHex4(b []byte) bool {
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}

func (d *decoder) object(depth int) (*jval, bool) {
	v := d.node(jval{kind: model.KindObject, start: d.i, deep: depth >= maxJSONDepth})
	if depth+1 > maxValidDepth {
		return nil, false
	}
	d.i++
	d.skipSpace()
	if d.i < len(d.text) && d.text[d.i] == '}' {
		d.i++
		v.end = d.i
		return v, true
	}
	mark := len(d.fields)
	defer func() { d.fields = d.fields[:mark] }()
	for {
		if d.i >= len(d.text) || d.text[d.i] != '"' {
			return nil, false
		}
		keyStart := d.i
		key, ok := d.str()
		if !ok {
			return nil, false
		}
		d.skipSpace()
		if d.i >= len(d.text) || d.text[d.i] != ':' {
			return nil, false
		}
		d.i++
		d.skipSpace()
		c, ok := d.value(depth + 1)
		if !ok {
			return nil, false
		}
		if !v.deep {
			d.fields = append(d.fields, jfield{key: key, keyStart: keyStart, val: c})
		}
		d.skipSpace()
		if d.i >= len(d.text) {
			return nil, false
		}
		switch d.text[d.i] {
		case ',':
			d.i++
			d.skipSpace()
		case '}':
			d.i++
			v.end = d.i
			if len(d.fields) > mark {
				v.fields = d.members(d.fields[mark:])
			}
			return v, true
		default:
			return nil, false
		}
	}
}

func (d *decoder) array(depth int) (*jval, bool) {
	v := d.node(jval{kind: model.KindList, start: d.i, deep: depth >= maxJSONDepth})
	if depth+1 > maxValidDepth {
		return nil, false
	}
	d.i++
	d.skipSpace()
	if d.i < len(d.text) && d.text[d.i] == ']' {
		d.i++
		v.end = d.i
		return v, true
	}
	mark := len(d.items)
	defer func() { d.items = d.items[:mark] }()
	for {
		c, ok := d.value(depth + 1)
		if !ok {
			return nil, false
		}
		if !v.deep {
			d.items = append(d.items, c)
		}
		d.skipSpace()
		if d.i >= len(d.text) {
			return nil, false
		}
		switch d.text[d.i] {
		case ',':
			d.i++
			d.skipSpace()
		case ']':
			d.i++
			v.end = d.i
			if len(d.items) > mark {
				v.items = d.elems(d.items[mark:])
			}
			return v, true
		default:
			return nil, false
		}
	}
}

// unescape decodes the content of a valid JSON string with escapes, as
// gjson does: a surrogate pair is one character, an unpaired surrogate
// U+FFFD, every other byte is kept.
func unescape(raw string) string {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch raw[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hexRune(raw[i+1 : i+5])
			i += 4
			if utf16.IsSurrogate(r) && r < 0xDC00 && i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				if r2 := hexRune(raw[i+3 : i+7]); r2 >= 0xDC00 && r2 < 0xE000 {
					r = utf16.DecodeRune(r, r2)
					i += 6
				}
			}
			out = utf8.AppendRune(out, r)
		default: // " \ /
			out = append(out, raw[i])
		}
	}
	return string(out)
}

func hexRune(h string) rune {
	var r rune
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		default:
			c = c - 'A' + 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
