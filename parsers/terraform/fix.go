package terraform

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
)

// ApplyEdits applies fix edits to the native-syntax HCL file src (a .tf
// or .tfvars file named filename): every edit is located in the file's
// syntax tree as given, then all are made at once in the text, so
// comments and the layout of everything else are kept; values are
// rendered by hclwrite, and a block that was formatted (as terraform fmt
// leaves it) is formatted again by hclwrite, so it stays clean. An edit
// whose target is not a literal it can replace is not applied: its error
// is returned beside the result of the others.
func ApplyEdits(filename string, src []byte, edits []model.Edit) ([]byte, []error) {
	ed, err := NewEditor(filename, src)
	if err != nil {
		return src, []error{err}
	}
	return ed.Apply(edits)
}

// Editor applies edits to one file's contents, parsed once: a file with
// many fixable findings (the SARIF report, which gives each fix alone) is
// not parsed again for each. The edits of one top-level block are made on
// that block's text alone and spliced back, so an edit costs its block,
// not the file.
type Editor struct {
	filename string
	src      []byte
	body     *hclsyntax.Body
	segs     map[int]*segment // by index in body.Blocks, -1 the whole file
	// formatWhole formats every realigned segment whole; insertsFormatted
	// counts the runs formatInserted formatted instead (tests compare).
	formatWhole      bool
	insertsFormatted int
}

// segment is the stretch of the file an edit rewrites: a top-level block
// from the start of its first line to the end of its last, or the whole
// file (a .tfvars value).
type segment struct {
	start, end int
	// formatted: the text is as hclwrite.Format leaves it; known once
	// checked (only an edit the formatter would realign asks).
	formatted, checked bool
}

// isFormatted reports whether the segment's text is as hclwrite.Format
// leaves it.
func (ed *Editor) isFormatted(sg *segment) bool {
	if !sg.checked {
		text := ed.src[sg.start:sg.end]
		sg.formatted, sg.checked = bytes.Equal(hclwrite.Format(text), text), true
	}
	return sg.formatted
}

// NewEditor parses src, the contents of the .tf, .tofu or .tfvars file
// named filename, for Apply.
func NewEditor(filename string, src []byte) (*Editor, error) {
	if strings.HasSuffix(filename, ".json") {
		return nil, errors.New("JSON-syntax Terraform files are not edited; change the value by hand")
	}
	syn, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("parse: %w", diags)
	}
	body, ok := syn.Body.(*hclsyntax.Body)
	if !ok {
		return nil, errors.New("not a native-syntax body")
	}
	return newEditor(filename, src, body), nil
}

// newEditor returns the Editor of src parsed, without errors, as body.
// Editors only read the syntax tree: several may share one.
func newEditor(filename string, src []byte, body *hclsyntax.Body) *Editor {
	return &Editor{filename: filename, src: src, body: body, segs: map[int]*segment{}}
}

// segment returns the segment of the top-level block at index i, or of
// the whole file when i < 0.
func (ed *Editor) segment(i int) *segment {
	if sg, ok := ed.segs[i]; ok {
		return sg
	}
	sg := &segment{end: len(ed.src)}
	if i >= 0 {
		r := ed.body.Blocks[i].Range()
		sg.start, sg.end = lineStart(ed.src, r.Start.Byte), r.End.Byte
		for sg.end < len(ed.src) && ed.src[sg.end-1] != '\n' {
			sg.end++
		}
	}
	ed.segs[i] = sg
	return sg
}

// change is one edit located in the syntax tree: the attribute name to
// set in the block steps lead to (created, with create, when missing).
type change struct {
	steps  []step
	create bool
	name   string
	val    cty.Value
}

// Apply returns the file's contents with edits applied (see ApplyEdits).
func (ed *Editor) Apply(edits []model.Edit) ([]byte, []error) {
	start, end, text, errs := ed.Splice(edits)
	return source.Spliced(ed.src, start, end, text), errs
}

// Splice makes edits as Apply does and returns the result as a change of
// the file's contents: src[start:end] becomes text (the top-level blocks
// the edits rewrote and what lies between them; 0, 0 and nil when
// nothing changed). Apply gives src[:start] + text + src[end:].
func (ed *Editor) Splice(edits []model.Edit) (start, end int, text []byte, errs []error) {
	src, body := ed.src, ed.body
	changes, errs := ed.locate(edits)
	if len(changes) == 0 {
		return 0, 0, nil, errs
	}
	// The changes of each top-level block are made on its segment; a
	// change of a top-level attribute (a .tfvars value) makes the whole
	// file the one segment.
	groups := map[int][]change{}
	for _, c := range changes {
		i := -1
		if len(c.steps) > 0 {
			i = indexOf(body.Blocks, c.steps[0])
		}
		if i < 0 {
			groups = map[int][]change{-1: changes}
			break
		}
		groups[i] = append(groups[i], c)
	}
	type splice struct {
		start, end int
		text       []byte
	}
	var splices []splice
	for i, cs := range groups {
		sg := ed.segment(i)
		out, err := ed.editText(sg, cs)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		splices = append(splices, splice{sg.start, sg.end, out})
	}
	switch len(splices) {
	case 0:
		return 0, 0, nil, errs
	case 1:
		return splices[0].start, splices[0].end, splices[0].text, errs
	}
	slices.SortFunc(splices, func(a, b splice) int { return a.start - b.start })
	last := splices[0].start
	for _, sp := range splices {
		text = append(text, src[last:sp.start]...)
		text = append(text, sp.text...)
		last = sp.end
	}
	return splices[0].start, last, text, errs
}

// locate finds where in the syntax tree each edit goes; an edit that
// cannot be made (not a literal, no such block) is an error.
func (ed *Editor) locate(edits []model.Edit) ([]change, []error) {
	src, body := ed.src, ed.body
	var changes []change
	var errs []error
	for _, e := range edits {
		val, err := ctyOf(e.Value)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		at := offsetOf(src, e.Range.Start)
		switch e.Kind {
		case model.EditReplace:
			steps, attr := findAttr(body, at)
			switch {
			case attr == nil:
				errs = append(errs, fmt.Errorf("%s: no attribute value starts here", e.Range))
			case !isLiteral(attr.Expr):
				errs = append(errs, fmt.Errorf("%s: %s is not a literal value; change it by hand", e.Range, attr.Name))
			default:
				changes = append(changes, change{steps: steps, name: attr.Name, val: val})
			}
		case model.EditDefault:
			// The range names the default's value, or the declaration.
			if steps, attr := findAttr(body, at); attr != nil {
				if !isLiteral(attr.Expr) {
					errs = append(errs, fmt.Errorf("%s: %s is not a literal value; change it by hand", e.Range, attr.Name))
					continue
				}
				changes = append(changes, change{steps: steps, name: attr.Name, val: val})
				continue
			}
			steps := findBlock(body, at, true)
			if len(steps) != 1 || steps[0].typ != "variable" {
				errs = append(errs, fmt.Errorf("%s: no variable declaration here", e.Range))
				continue
			}
			changes = append(changes, change{steps: steps, name: "default", val: val})
		case model.EditAdd:
			steps := findBlock(body, at, false)
			if len(steps) == 0 || len(e.Path) == 0 {
				errs = append(errs, fmt.Errorf("%s: no resource block here", e.Range))
				continue
			}
			steps = steps[:1]
			for _, b := range e.Path[:len(e.Path)-1] {
				steps = append(steps, step{typ: b})
			}
			changes = append(changes, change{steps: steps, create: true, name: e.Path[len(e.Path)-1], val: val})
		default:
			errs = append(errs, fmt.Errorf("unknown edit kind %q", e.Kind))
		}
	}
	return changes, errs
}

// editText makes the changes in the segment's text: a value replaced
// where it is written (rendered by hclwrite), a missing attribute (and
// the blocks leading to it) added as lines before the closing brace of
// its block, indented like the block's other lines; a block written on
// one line is opened onto several. When the segment was formatted, it is
// formatted again by hclwrite. A change that cannot be made is an error,
// and none of the segment's changes is then made.
func (ed *Editor) editText(sg *segment, cs []change) ([]byte, error) {
	src := ed.src
	type replace struct {
		start, end int
		text       string
		// inline: a value replaced on its line, by a value on one
		// line, with nothing after it: Format leaves its line as it is.
		inline bool
	}
	var reps []replace
	// Whether hclwrite must format the result: an edit next to lines it
	// aligns with (see alone); else the text is already as it would be.
	realign := false
	adds := map[*hclsyntax.Block]*addNode{} // lines to add, by existing block
	var order []*hclsyntax.Block
	inserted := 0 // lines added before a closing brace that opens its line
	for _, c := range cs {
		body, blk := ed.body, (*hclsyntax.Block)(nil)
		missing := c.steps
		for len(missing) > 0 {
			i := indexOf(body.Blocks, missing[0])
			if i < 0 {
				break
			}
			blk, body = body.Blocks[i], body.Blocks[i].Body
			missing = missing[1:]
		}
		if a, ok := body.Attributes[c.name]; ok && len(missing) == 0 {
			r := a.Expr.Range()
			text := string(hclwrite.TokensForValue(c.val).Bytes())
			reps = append(reps, replace{start: r.Start.Byte, end: r.End.Byte, text: text})
			// A longer or shorter value moves a comment after it, and
			// those aligned with it.
			rest := src[r.End.Byte:]
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				rest = rest[:i]
			}
			moves := !isBlank(bytes.TrimRight(rest, "\r")) || strings.Contains(text, "\n")
			realign = realign || moves
			reps[len(reps)-1].inline = !moves && !strings.HasPrefix(text, "-") && bytes.IndexByte(src[r.Start.Byte:r.End.Byte], '\n') < 0
			continue
		}
		if blk == nil || len(missing) > 0 && !c.create {
			return nil, fmt.Errorf("%s: block of %s not found", ed.filename, c.name)
		}
		n, ok := adds[blk]
		if !ok {
			n = &addNode{}
			adds[blk] = n
			order = append(order, blk)
		}
		for _, m := range missing {
			n = n.block(m.typ)
		}
		n.attr(c.name, c.val)
	}
	for _, blk := range order {
		open, brace := blk.OpenBraceRange, blk.CloseBraceRange.Start.Byte
		ls := lineStart(src, brace)
		var sb strings.Builder
		switch {
		case isBlank(src[ls:brace]):
			// The closing brace opens its line: the lines go before it,
			// indented like the block's first item.
			outer := string(src[ls:brace])
			inner := outer + indentUnit(outer)
			if first := firstItem(blk.Body); first >= 0 {
				if l := lineStart(src, first); isBlank(src[l:first]) && strings.HasPrefix(string(src[l:first]), outer) && first-l > len(outer) {
					inner = string(src[l:first])
				}
			}
			adds[blk].write(&sb, inner, inner[len(outer):])
			reps = append(reps, replace{start: ls, end: ls, text: sb.String()})
			realign = realign || !alone(src, ls, open) || adds[blk].aligns()
			inserted++
		case open.Start.Line == blk.CloseBraceRange.Start.Line:
			// A block on one line ({} or { name = "x" }): its content
			// goes on a line of its own, the new lines after it.
			l := lineStart(src, blk.TypeRange.Start.Byte)
			pre := src[l:blk.TypeRange.Start.Byte]
			outer := string(pre[:len(pre)-len(bytes.TrimLeft(pre, " \t"))])
			inner := outer + indentUnit(outer)
			sb.WriteString("\n")
			if content := bytes.TrimSpace(src[open.End.Byte:brace]); len(content) > 0 {
				sb.WriteString(inner)
				sb.Write(content)
				sb.WriteString("\n")
			}
			adds[blk].write(&sb, inner, inner[len(outer):])
			sb.WriteString(outer)
			reps = append(reps, replace{start: open.End.Byte, end: brace, text: sb.String()})
			realign = true
		default:
			return nil, fmt.Errorf("%s: the closing brace of %s shares its line; add the setting by hand", ed.filename, blk.Type)
		}
	}
	slices.SortStableFunc(reps, func(a, b replace) int { return a.start - b.start })
	var out []byte
	last := sg.start
	for _, r := range reps {
		if r.start < last || r.end > sg.end {
			return nil, fmt.Errorf("%s: fix edits overlap; make them by hand", ed.filename)
		}
		out = append(out, src[last:r.start]...)
		out = append(out, r.text...)
		last = r.end
	}
	out = append(out, src[last:sg.end]...)
	if realign && ed.isFormatted(sg) {
		// Lines added at the end of one block, the only change, join
		// the attribute lines before them: only those are aligned anew
		// when they can be told by their text; else the whole segment.
		if f, ok := ed.formatInsertedOnly(src, sg.start, out, inserted, func(yield func(start, end, n int, inline bool) bool) {
			for _, r := range reps {
				if !yield(r.start, r.end, len(r.text), r.inline) {
					return
				}
			}
		}); ok {
			return f, nil
		}
		out = hclwrite.Format(out)
	}
	return out, nil
}

// formatInsertedOnly formats out, the text of a formatted segment of src
// from offset start after edits, by formatInserted when the edits are
// lines inserted at the end of one block (inserted: how many such
// insertions) and values replaced inline (see editText): Format leaves
// those lines as they are. reps gives every edit in order of offset:
// src[start:end] became n bytes.
func (ed *Editor) formatInsertedOnly(src []byte, start int, out []byte, inserted int, reps func(yield func(start, end, n int, inline bool) bool)) ([]byte, bool) {
	if inserted != 1 || ed.formatWhole {
		return nil, false
	}
	at, n, ok := -1, 0, true
	var growth []int // of the edits before each, by offset: src[start:end] → n bytes
	var ends []int
	reps(func(s, e, k int, inline bool) bool {
		switch {
		case s == e && !inline && at < 0:
			at, n = s, k
		case inline:
			ends = append(ends, e)
			growth = append(growth, k-(e-s))
		default:
			ok = false
			return false
		}
		return true
	})
	if !ok || at < 0 {
		return nil, false
	}
	// shift is how far the edits before src offset off moved it in out.
	shift := func(off int) int {
		d := 0
		for i, e := range ends {
			if e <= off {
				d += growth[i]
			}
		}
		return d
	}
	f, ok := formatInserted(src, start, at, out, n, shift)
	if ok {
		ed.insertsFormatted++
	}
	return f, ok
}

// formatInserted returns what hclwrite.Format makes of out, the text of
// src from offset start (a formatted segment) with n bytes of lines
// inserted at offset ls of src, the start of the line of a closing brace
// alone on its line, and values replaced inline (shift(off): how far
// they moved src offset off in out), by formatting only the run of
// attribute lines just before ls and the inserted lines. ok is false when that run cannot be
// told from its text: a line before it that is neither blank, a block's
// opening line nor a closing brace, or a line in it that is not
// name = literal or reference (no brackets, no comment, no template).
//
// Format aligns the '=' of consecutive lines that assign (and comments
// of consecutive lines that have one); a blank line, a block's opening
// line and a closing brace do neither, so what lies beyond them keeps
// its format. Every line of the run and of the inserted lines is
// bracket-balanced, at the indentation of the block's items: formatted
// alone, the run comes out at indentation 0 and is indented back.
func formatInserted(src []byte, start, ls int, out []byte, n int, shift func(off int) int) ([]byte, bool) {
	// The closing brace's line, as Format leaves it: spaces and "}".
	end := bytes.IndexByte(src[ls:], '\n')
	if end < 0 || string(bytes.TrimLeft(src[ls:ls+end], " ")) != "}" || bytes.IndexByte(src[start:], '\r') >= 0 {
		return nil, false
	}
	indent := string(src[ls:ls+end-1]) + "  "
	from := ls
	for {
		if from <= start {
			return nil, false
		}
		prev := lineStart(src, from-1)
		line := src[prev:from]
		if plainAttr(line, indent) {
			from = prev
			continue
		}
		if !chainBreak(line) {
			return nil, false
		}
		break
	}
	rs, re := from-start+shift(from), ls-start+shift(ls)+n
	formatted := hclwrite.Format(out[rs:re])
	res := make([]byte, 0, len(out)+len(formatted)-(re-rs)+len(indent)*bytes.Count(formatted, []byte{'\n'}))
	res = append(res, out[:rs]...)
	for len(formatted) > 0 {
		line, rest, _ := bytes.Cut(formatted, []byte{'\n'})
		if len(line) > 0 {
			res = append(res, indent...)
			res = append(res, line...)
		}
		res = append(res, '\n')
		formatted = rest
	}
	return append(res, out[re:]...), true
}

// plainAttr reports whether line (with its newline) is indent, a name,
// spaces, "= " and a literal or a reference, as Format leaves it: a line
// Format aligns on its '=' and that has no comment, bracket or template.
func plainAttr(line []byte, indent string) bool {
	rest, ok := bytes.CutPrefix(line, []byte(indent))
	if !ok {
		return false
	}
	i := identEnd(rest, 0)
	if i == 0 {
		return false
	}
	for i < len(rest) && rest[i] == ' ' {
		i++
	}
	value, ok := bytes.CutPrefix(rest[i:], []byte("= "))
	if !ok {
		return false
	}
	value, ok = bytes.CutSuffix(value, []byte{'\n'})
	if !ok || len(value) == 0 {
		return false
	}
	switch {
	case value[0] == '"':
		return plainString(value)
	case value[0] >= '0' && value[0] <= '9':
		for _, c := range value {
			if (c < '0' || c > '9') && c != '.' {
				return false
			}
		}
		return true
	}
	// true, false, null, or a reference: names joined by dots.
	for j := 0; ; {
		k := identEnd(value, j)
		if k == j {
			return false
		}
		if k == len(value) {
			return true
		}
		if value[k] != '.' {
			return false
		}
		j = k + 1
	}
}

// plainString reports whether s is a quoted string with nothing in it a
// template, an escape or a comment could start.
func plainString(s []byte) bool {
	if len(s) < 2 || s[len(s)-1] != '"' {
		return false
	}
	return !bytes.ContainsAny(s[1:len(s)-1], "\"\\$%#/{}[]()\n\r")
}

// chainBreak reports whether line (with its newline) is one Format
// neither aligns nor lets an alignment run through, as Format leaves
// it: blank, a closing brace, or the opening line of a block (a name,
// labels and "{").
func chainBreak(line []byte) bool {
	line = bytes.TrimLeft(line, " ")
	switch string(line) {
	case "\n", "}\n":
		return true
	}
	body, ok := bytes.CutSuffix(line, []byte(" {\n"))
	if !ok {
		return false
	}
	for _, word := range bytes.Split(body, []byte{' '}) {
		if len(word) == 0 || identEnd(word, 0) != len(word) && (word[0] != '"' || !plainString(word)) {
			return false
		}
	}
	return true
}

// identEnd returns the end of the identifier (letters, digits, _ and -,
// not starting with a digit or -) that starts at b[i], or i.
func identEnd(b []byte, i int) int {
	j := i
	for j < len(b) {
		c := b[j]
		if c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > i && (c >= '0' && c <= '9' || c == '-') {
			j++
			continue
		}
		break
	}
	return j
}

// alone reports whether lines inserted at offset ls, the start of the
// line of a block's closing brace, follow a line hclwrite's formatter
// aligns nothing with: a blank line, the block's opening line, or one
// that only closes a bracket. After anything else (an attribute) the
// formatter may realign the '=' of the lines before with the new one.
func alone(src []byte, ls int, open hcl.Range) bool {
	if ls == 0 {
		return false
	}
	prev := lineStart(src, ls-1)
	if prev <= open.Start.Byte && open.Start.Byte < ls {
		return true // the opening line: { ends it
	}
	switch string(bytes.TrimSpace(src[prev:ls])) {
	case "", "}", "]", ")":
		return true
	}
	return false
}

// aligns reports whether the lines n adds contain attributes hclwrite's
// formatter aligns with each other: two or more in one block.
func (n *addNode) aligns() bool {
	attrs := 0
	for _, it := range n.items {
		if it.block != nil {
			if it.block.aligns() {
				return true
			}
			continue
		}
		attrs++
	}
	return attrs > 1
}

// isBlank reports whether b is spaces and tabs only.
func isBlank(b []byte) bool {
	return len(bytes.TrimLeft(b, " \t")) == 0
}

// indentUnit returns one level of indentation in the style of indent:
// a tab where tabs are used, else two spaces.
func indentUnit(indent string) string {
	if strings.Contains(indent, "\t") {
		return "\t"
	}
	return "  "
}

// addNode holds the lines to add to one block, in the order the changes
// name them: attributes, and new nested blocks with their own.
type addNode struct {
	items []addItem
}

type addItem struct {
	name  string
	val   cty.Value
	block *addNode // a nested block when not nil
}

func (n *addNode) block(typ string) *addNode {
	for _, it := range n.items {
		if it.block != nil && it.name == typ {
			return it.block
		}
	}
	b := &addNode{}
	n.items = append(n.items, addItem{name: typ, block: b})
	return b
}

func (n *addNode) attr(name string, val cty.Value) {
	for i, it := range n.items {
		if it.block == nil && it.name == name {
			n.items[i].val = val
			return
		}
	}
	n.items = append(n.items, addItem{name: name, val: val})
}

// write renders the node's items as lines indented by indent, nested
// blocks one unit more.
func (n *addNode) write(sb *strings.Builder, indent, unit string) {
	for _, it := range n.items {
		sb.WriteString(indent)
		sb.WriteString(it.name)
		if it.block != nil {
			sb.WriteString(" {\n")
			it.block.write(sb, indent+unit, unit)
			sb.WriteString(indent)
			sb.WriteString("}\n")
			continue
		}
		sb.WriteString(" = ")
		sb.Write(hclwrite.TokensForValue(it.val).Bytes())
		sb.WriteString("\n")
	}
}

// lineStart returns the offset of the start of the line holding offset at.
func lineStart(src []byte, at int) int {
	return bytes.LastIndexByte(src[:at], '\n') + 1
}

// firstItem returns the offset of the first attribute or block of body,
// or -1 when it is empty.
func firstItem(body *hclsyntax.Body) int {
	first := -1
	for _, a := range body.Attributes {
		if s := a.SrcRange.Start.Byte; first < 0 || s < first {
			first = s
		}
	}
	for _, b := range body.Blocks {
		if s := b.TypeRange.Start.Byte; first < 0 || s < first {
			first = s
		}
	}
	return first
}

// indexOf returns the index in blocks of the block s names, or -1.
func indexOf(blocks hclsyntax.Blocks, s step) int {
	n := 0
	for i, b := range blocks {
		if b.Type != s.typ || !equalLabels(b.Labels, s.labels) {
			continue
		}
		if n == s.index {
			return i
		}
		n++
	}
	return -1
}

// step names a block inside a body: its type, labels and index among the
// blocks of that type and labels.
type step struct {
	typ    string
	labels []string
	index  int
}

// findAttr returns the attribute whose expression starts at byte at, and
// the blocks leading to it.
func findAttr(body *hclsyntax.Body, at int) ([]step, *hclsyntax.Attribute) {
	for _, a := range body.Attributes {
		if a.Expr.Range().Start.Byte == at {
			return nil, a
		}
	}
	for i, b := range body.Blocks {
		if r := b.Range(); at < r.Start.Byte || at >= r.End.Byte {
			continue
		}
		steps, a := findAttr(b.Body, at)
		if a != nil {
			return append([]step{stepOf(body.Blocks, i)}, steps...), a
		}
	}
	return nil, nil
}

// findBlock returns the blocks leading to the block that starts at byte at
// (exact) or, not exact, the outermost block containing it.
func findBlock(body *hclsyntax.Body, at int, exact bool) []step {
	for i, b := range body.Blocks {
		r := b.Range()
		if r.Start.Byte == at || !exact && at > r.Start.Byte && at < r.End.Byte {
			return []step{stepOf(body.Blocks, i)}
		}
		if exact && at > r.Start.Byte && at < r.End.Byte {
			if inner := findBlock(b.Body, at, true); inner != nil {
				return append([]step{stepOf(body.Blocks, i)}, inner...)
			}
		}
	}
	return nil
}

func stepOf(blocks hclsyntax.Blocks, i int) step {
	b := blocks[i]
	s := step{typ: b.Type, labels: b.Labels}
	for _, o := range blocks[:i] {
		if o.Type == b.Type && equalLabels(o.Labels, b.Labels) {
			s.index++
		}
	}
	return s
}

func equalLabels(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// isLiteral reports whether x is a constant: true, 12, "1.0".
func isLiteral(x hclsyntax.Expression) bool {
	switch x := x.(type) {
	case *hclsyntax.LiteralValueExpr:
		return true
	case *hclsyntax.TemplateExpr:
		return x.IsStringLiteral()
	}
	return false
}

// ctyOf converts a fix value (bool, string, number) to cty.
func ctyOf(v any) (cty.Value, error) {
	switch v := v.(type) {
	case bool:
		return cty.BoolVal(v), nil
	case string:
		return cty.StringVal(v), nil
	case int:
		return cty.NumberIntVal(int64(v)), nil
	case int64:
		return cty.NumberIntVal(v), nil
	case uint64:
		return cty.NumberUIntVal(v), nil
	case float64:
		return cty.NumberFloatVal(v), nil
	}
	return cty.NilVal, fmt.Errorf("cannot write a %T value", v)
}

// offsetOf returns the byte offset of p in src: p.Byte when the position
// carries one, else counted from line and column (columns in characters).
func offsetOf(src []byte, p model.Pos) int {
	if p.Byte > 0 || p.Line <= 1 && p.Column <= 1 {
		return p.Byte
	}
	line, off := 1, 0
	for off < len(src) && line < p.Line {
		if src[off] == '\n' {
			line++
		}
		off++
	}
	for col := 1; col < p.Column && off < len(src) && src[off] != '\n'; col++ {
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off
}

// splicer is model.Module.Splicer for the module t loaded: the native-
// syntax files of its directories that parsed without errors, edited as
// they were read (NewEditor would parse the same bytes again).
func (t *tree) splicer() func(string) ([]byte, model.Splice, bool) {
	files := map[string]*sourceFile{}
	for _, abs := range t.dirOrder {
		for _, f := range t.parsedDirs[abs].files {
			if _, native := f.body.(*hclsyntax.Body); native && f.clean {
				files[f.path] = f
			}
		}
	}
	return func(name string) ([]byte, model.Splice, bool) {
		f, ok := files[name]
		if !ok {
			return nil, nil, false
		}
		return f.src, newEditor(name, f.src, f.body.(*hclsyntax.Body)).Splice, true
	}
}
