package arm

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// parsedText is a text ready for edits: whether it is valid JSON as the
// loader reads it (comments and trailing commas allowed), and the text
// the decoder reads. It is not decoded whole: an edit looks at a few
// values of a large template, so only those are decoded (see locate and
// paramOf), from the places a scan of the text that builds nothing finds
// them. What they find is what decodeJSON's tree holds there.
type parsedText struct {
	// conv is what decodeJSON reads: comments and trailing commas
	// blanked (jsonc.ToJSON), control characters in strings turned into
	// spaces (flattenStrings). It is the text itself when that changes
	// nothing (strict JSON, the usual case).
	conv []byte
	// ends holds the start and the end of every container, in pairs
	// sorted by start (found while checking the text, see containerEnds):
	// a walk to an edit's target finds the end of each container it
	// steps over here instead of scanning the container's text. skipped
	// holds the ends of the containers not there (none deeper than
	// maxJSONDepth is in the loader's tree) once they were scanned.
	ends    []int
	skipped map[int]int
	// outer and depth are, by the index of its pair in ends, the
	// container around a container and its depth (see nesting), made
	// when first needed.
	outer, depth []int
	// stubs are the containers shallow left undecoded, with their depth.
	stubs map[*jval]int
	st    style
	ok    bool
}

// parse checks text (see planEdit) and prepares it for decoding.
func parse(text []byte) *parsedText {
	p := &parsedText{conv: text, st: styleOf(text)}
	var ctl bool
	if p.ok, p.ends, ctl = validJSON(text); p.ok {
		// Strict JSON has no comment and no trailing comma: jsonc.ToJSON
		// would copy it unchanged (a / outside a string is not JSON).
		if ctl {
			p.conv = flattenStrings(bytes.Clone(text))
		}
		return p
	}
	p.conv = jsonc.ToJSON(text)
	if p.ok, p.ends, ctl = validJSON(p.conv); ctl {
		flattenStrings(p.conv)
	}
	return p
}

// checked is parse(text) for a text known to be valid as it is (ok from
// validJSON(text)), ctl as validJSON says and ends the ends it returns
// (see containerEnds).
func checked(text []byte, ctl bool, ends []int) *parsedText {
	p := &parsedText{conv: text, st: styleOf(text), ends: ends, ok: true}
	if ctl {
		p.conv = flattenStrings(bytes.Clone(text))
	}
	return p
}

// containerEnds returns the start and the end of each container of
// decodeJSON's tree of text, in pairs, in the order of the text (sorted
// by start): what validJSON returns as its ends, but for the containers
// inside one deeper than maxJSONDepth, which the tree does not hold. The
// top container ends at its closer there, not at the end of the text.
func containerEnds(root *jval, text []byte) []int {
	var out []int
	var walk func(v *jval, depth int)
	walk = func(v *jval, depth int) {
		if v.kind != model.KindObject && v.kind != model.KindList {
			return
		}
		end := v.end
		if depth == 0 {
			end = len(bytes.TrimRight(text, " \t\r\n"))
		}
		out = append(out, v.start, end)
		for _, f := range v.fields {
			walk(f.val, depth+1)
		}
		for _, it := range v.items {
			walk(it, depth+1)
		}
	}
	walk(root, 0)
	return out
}

// validJSON reports whether decodeJSON accepts flattenStrings(text),
// without building anything: text is strict JSON where control
// characters may stand in strings (ctl reports whether one does). When
// it is, ends holds the start and the end of every container, in pairs
// sorted by start.
func validJSON(text []byte) (ok bool, ends []int, ctl bool) {
	v := validator{t: text}
	v.space()
	if !v.value(0) {
		return false, nil, false
	}
	v.space()
	if v.i != len(text) {
		return false, nil, false
	}
	return true, v.ends, v.ctl
}

// validator follows decoder's grammar (see decodeJSON) and only checks.
type validator struct {
	t    []byte
	i    int
	ctl  bool
	ends []int // see validJSON
}

func (v *validator) space() {
	for v.i < len(v.t) {
		switch v.t[v.i] {
		case ' ', '\t', '\n', '\r':
			v.i++
		default:
			return
		}
	}
}

func (v *validator) value(depth int) bool {
	if v.i >= len(v.t) {
		return false
	}
	switch c := v.t[v.i]; {
	case c == '{':
		return v.container(depth, '}', true)
	case c == '[':
		return v.container(depth, ']', false)
	case c == '"':
		return v.str()
	case c == 't':
		return v.word("true")
	case c == 'f':
		return v.word("false")
	case c == 'n':
		return v.word("null")
	case c == '-' || c >= '0' && c <= '9':
		return v.number()
	}
	return false
}

func (v *validator) word(w string) bool {
	if !bytes.HasPrefix(v.t[v.i:], []byte(w)) {
		return false
	}
	v.i += len(w)
	return true
}

func (v *validator) number() bool {
	t := v.t
	start := v.i
	end, ok := scanNumber(t, v.i)
	v.i = end
	if !ok {
		return false
	}
	// Beyond float64 (1E700) the decoder refuses a number, as
	// encoding/json does: only an exponent or some 300 digits get there.
	if raw := t[start:v.i]; len(raw) > 300 || bytes.ContainsAny(raw, "eE") {
		if _, err := strconv.ParseFloat(string(raw), 64); err != nil {
			return false
		}
	}
	return true
}

// str checks the string at v.i (its opening quote) as decoder.str does
// once flattenStrings has turned its control characters into spaces.
func (v *validator) str() bool {
	t := v.t
	for v.i++; v.i < len(t); {
		c := t[v.i]
		switch {
		case c == '"':
			v.i++
			return true
		case c == '\\':
			v.i++
			if v.i >= len(t) {
				return false
			}
			switch t[v.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				v.i++
			case 'u':
				if v.i+5 > len(t) || !isHex4(t[v.i+1:v.i+5]) {
					return false
				}
				v.i += 5
			default:
				return false
			}
		case c < 0x20:
			v.ctl = true
			v.i++
		default:
			v.i++
		}
	}
	return false
}

// container checks the object (members: keyed) or array at v.i, which
// ends with closer.
func (v *validator) container(depth int, closer byte, keyed bool) bool {
	if depth+1 > maxValidDepth {
		return false
	}
	// The container's pair, its end filled in when it closes.
	at := len(v.ends)
	v.ends = append(v.ends, v.i, -1)
	v.i++
	v.space()
	if v.i < len(v.t) && v.t[v.i] == closer {
		v.i++
		v.ends[at+1] = v.i
		return true
	}
	for {
		if keyed {
			if v.i >= len(v.t) || v.t[v.i] != '"' || !v.str() {
				return false
			}
			v.space()
			if v.i >= len(v.t) || v.t[v.i] != ':' {
				return false
			}
			v.i++
			v.space()
		}
		if !v.value(depth + 1) {
			return false
		}
		v.space()
		if v.i >= len(v.t) {
			return false
		}
		switch v.t[v.i] {
		case ',':
			v.i++
			v.space()
		case closer:
			v.i++
			v.ends[at+1] = v.i
			return true
		default:
			return false
		}
	}
}

// skip returns the offset of the end of the value at t[i] of valid
// JSON t.
func skip(t []byte, i int) int {
	switch t[i] {
	case '"':
		i = skipString(t, i)
	case '{', '[':
		depth := 0
		for {
			switch t[i] {
			case '"':
				i = skipString(t, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			i++
			if depth == 0 {
				break
			}
		}
	default: // a number or a word
		for i < len(t) && !isDelim(t[i]) {
			i++
		}
	}
	return i
}

// isDelim reports whether c ends a number or a word in valid JSON.
func isDelim(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// skipString returns the offset after the string that starts at t[i].
func skipString(t []byte, i int) int {
	for i++; ; i++ {
		switch t[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
}

func skipSpace(t []byte, i int) int {
	for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') {
		i++
	}
	return i
}

// end returns the offset of the end of the value at offset i of p's
// text, valid JSON.
func (p *parsedText) end(i int) int {
	if c := p.conv[i]; c != '{' && c != '[' {
		return skip(p.conv, i)
	}
	if e, ok := pairEnd(p.ends, i); ok {
		return e
	}
	if e, ok := p.skipped[i]; ok {
		return e
	}
	e := skip(p.conv, i)
	if p.skipped == nil {
		p.skipped = map[int]int{}
	}
	p.skipped[i] = e
	return e
}

// pairEnd returns the end paired with start in ends, pairs of a start
// and an end sorted by start; ok is false when no pair starts there.
func pairEnd(ends []int, start int) (end int, ok bool) {
	lo := pairsBefore(ends, start)
	if lo < len(ends)/2 && ends[2*lo] == start {
		return ends[2*lo+1], true
	}
	return 0, false
}

// pairsBefore returns how many pairs of ends (a start and an end, sorted
// by start) start before off: a binary search written out, without
// sort.Search's closure, as it runs for every fix's target.
func pairsBefore(ends []int, off int) int {
	lo, hi := 0, len(ends)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ends[2*m] < off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// members calls yield with the offsets of the key, the value and the
// end of the value of each member of the object at offset start of p's
// text (valid JSON), in order, until it returns false.
func (p *parsedText) members(start int, yield func(key, val, end int) bool) {
	t := p.conv
	i := skipSpace(t, start+1)
	for t[i] == '"' {
		key := i
		i = skipSpace(t, skipString(t, i))
		i = skipSpace(t, i+1) // the colon
		end := p.end(i)
		if !yield(key, i, end) {
			return
		}
		if i = skipSpace(t, end); t[i] == ',' {
			i = skipSpace(t, i+1)
		}
	}
}

// elements calls yield with the offsets of the start and the end of
// each element of the array at offset start of p's text (valid JSON), in
// order, until it returns false.
func (p *parsedText) elements(start int, yield func(at, end int) bool) {
	t := p.conv
	i := skipSpace(t, start+1)
	for t[i] != ']' {
		end := p.end(i)
		if !yield(i, end) {
			return
		}
		if i = skipSpace(t, end); t[i] == ',' {
			i = skipSpace(t, i+1)
		}
	}
}

// decode returns the value at offset at, at nesting depth depth, as
// decodeJSON's tree holds it (the top value ends at the end of the text).
// The decoder reads the value's text alone; its offsets are then moved.
func (p *parsedText) decode(at, depth int) *jval {
	text := p.conv[at:p.end(at)]
	d := &decoder{text: text, s: string(text)}
	if c := text[0]; c != '{' && c != '[' {
		d.slab = make([]jval, 0, 1) // one value, not a slab
	}
	v, _ := d.value(depth)
	moveBy(v, at)
	if depth == 0 && (v.kind == model.KindObject || v.kind == model.KindList) {
		v.end = len(p.conv)
	}
	return v
}

// moveBy adds off to the offsets of v and of everything in it.
func moveBy(v *jval, off int) {
	v.start += off
	v.end += off
	for i := range v.fields {
		v.fields[i].keyStart += off
		moveBy(v.fields[i].val, off)
	}
	for _, it := range v.items {
		moveBy(it, off)
	}
}

// key returns the content of the string at offset at.
func (p *parsedText) key(at int) string {
	text := p.conv[at:skipString(p.conv, at)]
	s, _ := (&decoder{text: text, s: string(text)}).str()
	return s
}

// locate finds what starts at off in the text (valid JSON): a value (v),
// or the key of a member (fd; v is nil then), as a walk of decodeJSON's
// tree from its top finds it: into the member or element whose text
// holds off, never into a container at maxJSONDepth (the tree keeps no
// content there). With shallow, a value found is decoded by shallow.
//
// The walk starts at the innermost container around off (see around),
// not at the top: the containers on the way there each hold off in their
// member or element that holds off, so the walk from the top would step
// into each of them in turn.
func (p *parsedText) locate(off int, shallow bool) (v *jval, fd *jfield) {
	t := p.conv
	at, depth := skipSpace(t, 0), 0
	if at != off {
		var ok bool
		if at, depth, ok = p.around(off); !ok {
			return nil, nil
		}
	}
	for ; ; depth++ {
		if at == off {
			if shallow {
				return p.shallow(at, depth), nil
			}
			return p.decode(at, depth), nil
		}
		if t[at] != '{' && t[at] != '[' || depth >= maxJSONDepth {
			return nil, nil
		}
		next := -1
		if t[at] == '{' {
			p.members(at, func(key, val, end int) bool {
				if key == off {
					fd = &jfield{key: p.key(key), keyStart: key, val: p.decode(val, depth+1)}
					return false
				}
				if val <= off && off < end {
					next = val
					return false
				}
				return true
			})
			if fd != nil {
				return nil, fd
			}
		} else {
			p.elements(at, func(el, end int) bool {
				if el <= off && off < end {
					next = el
					return false
				}
				return true
			})
		}
		if next < 0 {
			return nil, nil
		}
		at = next
	}
}

// around returns the start and the depth of the innermost container
// that holds off after its start; ok is false when there is none. It is
// found among p.ends: the last container that starts before off holds
// off, or is inside the one that does.
func (p *parsedText) around(off int) (start, depth int, ok bool) {
	ends := p.ends
	if p.outer == nil && len(ends) > 0 {
		p.outer, p.depth = nesting(ends)
	}
	// The last pair that starts before off.
	for i := pairsBefore(ends, off) - 1; i >= 0; i = p.outer[i] {
		if off < ends[2*i+1] {
			return ends[2*i], p.depth[i], true
		}
	}
	return 0, 0, false
}

// nesting returns, for each container of ends (pairs of the start and
// the end of nested containers, sorted by start), the index of the
// container around it (-1 for none) and its depth.
func nesting(ends []int) (outer, depth []int) {
	n := len(ends) / 2
	outer, depth = make([]int, n), make([]int, n)
	var open []int // the containers around the current one
	for i := range n {
		for len(open) > 0 && ends[2*open[len(open)-1]+1] <= ends[2*i] {
			open = open[:len(open)-1]
		}
		outer[i] = -1
		if len(open) > 0 {
			outer[i] = open[len(open)-1]
		}
		depth[i] = len(open)
		open = append(open, i)
	}
	return outer, depth
}

// shallow returns the value at offset at, at nesting depth depth, as
// decode does, except for the containers in a container: those are
// stubs (their kind, start, end and whether they are deep) until expand
// decodes them the same way. An edit that adds a property to a resource
// reads the objects on its path, not the whole resource.
func (p *parsedText) shallow(at, depth int) *jval {
	kind := model.KindObject
	switch p.conv[at] {
	case '[':
		kind = model.KindList
	case '{':
	default:
		return p.decode(at, depth)
	}
	v := &jval{kind: kind, start: at, end: p.end(at), deep: depth >= maxJSONDepth}
	if depth == 0 {
		v.end = len(p.conv)
	}
	if v.deep {
		return v
	}
	stub := func(val, end int) *jval {
		k := model.KindObject
		switch p.conv[val] {
		case '{':
		case '[':
			k = model.KindList
		default:
			return p.decode(val, depth+1)
		}
		s := &jval{kind: k, start: val, end: end, deep: depth+1 >= maxJSONDepth}
		if p.stubs == nil {
			p.stubs = map[*jval]int{}
		}
		p.stubs[s] = depth + 1
		return s
	}
	if v.kind == model.KindObject {
		p.members(at, func(key, val, end int) bool {
			v.fields = append(v.fields, jfield{key: p.key(key), keyStart: key, val: stub(val, end)})
			return true
		})
	} else {
		p.elements(at, func(el, end int) bool {
			v.items = append(v.items, stub(el, end))
			return true
		})
	}
	return v
}

// expand returns v decoded as shallow decodes the value it stands for
// when v is a stub shallow left, else v.
func (p *parsedText) expand(v *jval) *jval {
	if depth, ok := p.stubs[v]; ok {
		return p.shallow(v.start, depth)
	}
	return v
}

// member returns the offset of the value of the member called key of the
// object at t[obj], matched as jval.get matches it (an exact match wins,
// else the first that matches case-insensitively); -1 when absent.
func (p *parsedText) member(obj int, key string) int {
	fold := -1
	exact := -1
	p.members(obj, func(k, val, _ int) bool {
		name := p.key(k)
		if name == key {
			exact = val
			return false
		}
		if fold < 0 && strings.EqualFold(name, key) {
			fold = val
		}
		return true
	})
	if exact >= 0 {
		return exact
	}
	return fold
}

// paramOf returns the parameter declaration (an object under the
// template's "parameters") whose defaultValue is v; nil when v is not one.
func (p *parsedText) paramOf(v *jval) *jval {
	t := p.conv
	// The template, its parameters and a declaration are at depths 0,
	// 1 and 2: all above maxJSONDepth, so the tree keeps their members.
	root := skipSpace(t, 0)
	if t[root] != '{' {
		return nil
	}
	params := p.member(root, "parameters")
	if params < 0 || t[params] != '{' {
		return nil
	}
	var decl *jval
	p.members(params, func(_, val, _ int) bool {
		if t[val] == '{' && p.member(val, "defaultValue") == v.start {
			decl = p.decode(val, 2)
			return false
		}
		return true
	})
	return decl
}
