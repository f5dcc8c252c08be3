package bicepsyntax

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxDepth bounds the nesting of objects, arrays and nested resources the
// parser descends into; deeper content is skipped with an error.
const MaxDepth = 200

// Error is a syntax problem at a place in the file.
type Error struct {
	Range   Range
	Message string
}

func (e Error) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Range.Start.Line, e.Range.Start.Column, e.Message)
}

// DeclKind is the kind of a declaration.
type DeclKind uint8

// Declaration kinds. Other covers the declarations whose content is not
// read: type, func, import, metadata, targetScope, extension, provider,
// using, assert.
const (
	Other DeclKind = iota
	Param
	Var
	Output
	Resource
	Module
)

func (k DeclKind) String() string {
	switch k {
	case Param:
		return "param"
	case Var:
		return "var"
	case Output:
		return "output"
	case Resource:
		return "resource"
	case Module:
		return "module"
	}
	return "other"
}

// Decl is a declaration: a top-level statement, or a resource declared in
// the body of another.
type Decl struct {
	Kind DeclKind
	// Keyword is the statement's first word (resource, param, targetScope…).
	Keyword string
	// Name is the symbolic name ("" when the statement has none).
	Name string
	// Type is a resource's type as written, without the api-version
	// (config for a nested config child); a module's path
	// (./app.bicep, br/public:…); the type text of a param or output.
	Type       string
	APIVersion string
	Existing   bool // resource … existing = {…}
	// Conditional is set for `= if (…) {…}`, Loop for `= [for … : …]`.
	Conditional bool
	Loop        bool
	// Range spans the declaration from its keyword to the end of its
	// value; Header from the keyword to the type string (resource,
	// module) or the name (the others); NameRange is the symbolic name.
	Range     Range
	Header    Range
	NameRange Range
	// Value is the value expression: the body object of a resource or
	// module, a var's value, a param's default, an output's value. Zero
	// when absent.
	Value Range
	// Props are the property keys of the objects the value holds and the
	// elements of its arrays, in document order, by path from the value:
	// properties.siteConfig.minTlsVersion, tags.env,
	// properties.siteConfig.appSettings[0].value. The insides of for
	// expressions are not listed.
	Props []Property
	// Children are the resources declared in a resource's body; Parent
	// is the resource a child is declared in.
	Children []*Decl
	Parent   *Decl

	byPath map[string]int // lower-case path → index in Props
}

// Property is a key of an object (or an element of an array) of a
// declaration's value.
type Property struct {
	Path string
	// Key is the key's range; for an array element, the element's.
	Key Range
	// Value is the range of the value expression.
	Value Range
	// Loop is set when the value is a for expression.
	Loop bool
}

// Prop returns the property at path, keys compared case-insensitively
// (as ARM compares property names).
func (d *Decl) Prop(path string) (Property, bool) {
	if d == nil {
		return Property{}, false
	}
	if d.byPath == nil {
		d.byPath = make(map[string]int, len(d.Props))
		for i := range d.Props {
			k := strings.ToLower(d.Props[i].Path)
			if _, dup := d.byPath[k]; !dup {
				d.byPath[k] = i
			}
		}
	}
	i, ok := d.byPath[strings.ToLower(path)]
	if !ok {
		return Property{}, false
	}
	return d.Props[i], true
}

// SymbolicName returns the name by which compiled templates of
// languageVersion 2.0 key the resource: parent::child for a nested one.
func (d *Decl) SymbolicName() string {
	if d.Parent != nil {
		return d.Parent.SymbolicName() + "::" + d.Name
	}
	return d.Name
}

// FullType returns a resource's full type: a nested child's relative type
// (config) joined to its parent's (Microsoft.Web/sites/config).
func (d *Decl) FullType() string {
	if d.Parent == nil || d.Kind != Resource {
		return d.Type
	}
	first, _, _ := strings.Cut(d.Type, "/")
	if strings.Contains(first, ".") {
		return d.Type
	}
	return d.Parent.FullType() + "/" + d.Type
}

// File is what a Bicep file declares.
type File struct {
	// Decls are the top-level declarations in document order.
	Decls  []*Decl
	Errors []Error
	// Comments are the file's comments in document order (those inside
	// an interpolation excepted).
	Comments []Comment
	// Tokens are the file's tokens, ending with EOF.
	Tokens []Token
}

// Find returns the top-level declaration of kind called name: the exact
// spelling first, else one that differs only in case; nil when none.
func (f *File) Find(kind DeclKind, name string) *Decl {
	var fold *Decl
	for _, d := range f.Decls {
		if d.Kind != kind {
			continue
		}
		if d.Name == name {
			return d
		}
		if fold == nil && strings.EqualFold(d.Name, name) {
			fold = d
		}
	}
	return fold
}

// Resources returns every resource declaration, nested children after
// their parent, in document order.
func (f *File) Resources() []*Decl {
	var out []*Decl
	var walk func(ds []*Decl)
	walk = func(ds []*Decl) {
		for _, d := range ds {
			if d.Kind == Resource {
				out = append(out, d)
				walk(d.Children)
			}
		}
	}
	walk(f.Decls)
	return out
}

// Parse reads the declarations of a Bicep file. It never fails: problems
// are in File.Errors and what could be read is returned.
func Parse(src []byte) *File {
	lx := lex(src)
	p := &parser{src: src, toks: lx.toks, errs: lx.errs}
	f := &File{Comments: lx.comments, Tokens: lx.toks}
	p.file(f)
	f.Errors = p.errs
	return f
}

type parser struct {
	src   []byte
	toks  []Token // ends with EOF
	i     int
	errs  []Error
	depth int
	// end is the end of the last token consumed.
	end Pos
	// lastOperand tells skipExpr that an object or array was just read.
	lastOperand bool
}

func (p *parser) peek() *Token { return &p.toks[p.i] }

// peekAt returns the token n places ahead (EOF past the end).
func (p *parser) peekAt(n int) *Token {
	return &p.toks[min(p.i+n, len(p.toks)-1)]
}

func (p *parser) advance() *Token {
	t := &p.toks[p.i]
	if t.Kind != EOF {
		p.i++
		p.end = t.Range.End
	}
	return t
}

func (p *parser) is(text string) bool {
	t := p.peek()
	return t.Kind == Punct && t.Text == text
}

func (p *parser) isIdent(text string) bool {
	t := p.peek()
	return t.Kind == Ident && t.Text == text
}

func (p *parser) errorf(r Range, format string, args ...any) {
	p.errs = append(p.errs, Error{Range: r, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) skipNewlines() {
	for p.peek().Kind == Newline {
		p.advance()
	}
}

func opener(t *Token) bool {
	return t.Kind == Punct && (t.Text == "{" || t.Text == "[" || t.Text == "(" || t.Text == "[?")
}

func closer(t *Token) bool {
	return t.Kind == Punct && (t.Text == "}" || t.Text == "]" || t.Text == ")")
}

// describe names a token in messages.
func describe(t *Token) string {
	switch t.Kind {
	case EOF:
		return "end of file"
	case Newline:
		return "line break"
	case String, MultilineString:
		return "string"
	}
	return strconv.Quote(t.Text)
}

// file reads top-level statements.
func (p *parser) file(f *File) {
	for {
		t := p.peek()
		switch {
		case t.Kind == EOF:
			return
		case t.Kind == Newline:
			p.advance()
		case t.Kind == Punct && t.Text == "@":
			p.decorator()
		case t.Kind == Ident:
			if d := p.statement(nil); d != nil {
				f.Decls = append(f.Decls, d)
			}
		default:
			p.errorf(t.Range, "expected a declaration, found %s", describe(t))
			p.skipStatement()
		}
	}
}

// decorator skips @name, @ns.name or @name(…).
func (p *parser) decorator() {
	p.advance() // @
	for p.peek().Kind == Ident {
		p.advance()
		if !p.is(".") {
			break
		}
		p.advance()
	}
	if p.is("(") {
		p.skipBalanced()
	}
}

// statement reads the declaration starting at the identifier under the
// cursor; parent is set for a resource declared in a resource's body.
func (p *parser) statement(parent *Decl) *Decl {
	kw := p.advance()
	d := &Decl{Keyword: kw.Text, Parent: parent, Header: kw.Range, NameRange: kw.Range}
	start := kw.Range.Start
	defer func() { d.Range = Range{Start: start, End: p.end} }()
	switch kw.Text {
	case "resource":
		d.Kind = Resource
	case "module":
		d.Kind = Module
	case "param":
		d.Kind = Param
	case "var":
		d.Kind = Var
	case "output":
		d.Kind = Output
	case "type", "func", "import", "metadata", "targetScope", "extension", "provider", "using", "assert":
		if t := p.peek(); t.Kind == Ident {
			d.Name, d.NameRange = t.Text, t.Range
		}
		d.Header = Range{Start: start, End: kw.Range.End}
		p.skipStatement()
		return d
	default:
		p.errorf(kw.Range, "unknown declaration keyword %q", kw.Text)
		p.skipStatement()
		return nil
	}
	name := p.peek()
	if name.Kind != Ident {
		p.errorf(name.Range, "expected a symbolic name after %s, found %s", kw.Text, describe(name))
		p.skipStatement()
		return d
	}
	p.advance()
	d.Name, d.NameRange = name.Text, name.Range
	d.Header = Range{Start: start, End: name.Range.End}
	switch d.Kind {
	case Resource, Module:
		ty := p.peek()
		if ty.Kind != String || ty.Interp {
			p.errorf(ty.Range, "expected the %s's type string, found %s", kw.Text, describe(ty))
			p.skipStatement()
			return d
		}
		p.advance()
		d.Header.End = ty.Range.End
		d.Type = ty.Value
		if d.Kind == Resource {
			if i := strings.LastIndexByte(ty.Value, '@'); i >= 0 {
				d.Type, d.APIVersion = ty.Value[:i], ty.Value[i+1:]
			}
			if p.isIdent("existing") {
				p.advance()
				d.Existing = true
			}
		}
		if !p.is("=") {
			p.errorf(p.peek().Range, "expected = after the %s's type, found %s", kw.Text, describe(p.peek()))
			p.skipStatement()
			return d
		}
		p.advance()
		p.skipNewlines()
		p.body(d)
	default:
		// A type (param, output, typed var) up to = or the line's end.
		tstart := p.peek().Range.Start.Byte
		tend := tstart
		for !p.is("=") && p.peek().Kind != Newline && p.peek().Kind != EOF {
			if closer(p.peek()) {
				break
			}
			if opener(p.peek()) {
				p.skipBalanced()
			} else {
				p.advance()
			}
			tend = p.end.Byte
		}
		d.Type = strings.TrimSpace(string(p.src[tstart:max(tstart, tend)]))
		if p.is("=") {
			p.advance()
			p.skipNewlines()
			vs := p.peek().Range.Start
			p.value(d, "")
			d.Value = Range{Start: vs, End: p.end}
		} else if d.Kind != Param {
			p.errorf(p.peek().Range, "expected = in the %s declaration, found %s", kw.Text, describe(p.peek()))
		}
	}
	if t := p.peek(); t.Kind != Newline && t.Kind != EOF && (parent == nil || !closer(t)) {
		p.errorf(t.Range, "unexpected %s after the %s declaration", describe(t), kw.Text)
		p.skipStatement()
	}
	return d
}

// body reads the value of a resource or module declaration: {…},
// if (…) {…}, [for … : {…}] or [for … : if (…) {…}].
func (p *parser) body(d *Decl) {
	vs := p.peek().Range.Start
	defer func() { d.Value = Range{Start: vs, End: p.end} }()
	if p.is("[") {
		p.advance()
		p.skipNewlines()
		if !p.isIdent("for") {
			p.errorf(p.peek().Range, "expected for after [ in the %s declaration", d.Keyword)
			p.skipRest("]")
			return
		}
		d.Loop = true
		// The loop header: for x in xs: / for (x, i) in range(0, n):
		for !p.is(":") {
			t := p.peek()
			if t.Kind == EOF || closer(t) {
				p.errorf(t.Range, "expected : in the for expression, found %s", describe(t))
				p.skipRest("]")
				return
			}
			if opener(t) {
				p.skipBalanced()
			} else {
				p.advance()
			}
		}
		p.advance()
		p.skipNewlines()
		p.condBody(d)
		p.skipNewlines()
		if !p.is("]") {
			p.errorf(p.peek().Range, "expected ] closing the for expression, found %s", describe(p.peek()))
			p.skipRest("]")
			return
		}
		p.advance()
		return
	}
	p.condBody(d)
}

// condBody reads {…} or if (…) {…}.
func (p *parser) condBody(d *Decl) {
	if p.isIdent("if") {
		p.advance()
		d.Conditional = true
		if !p.is("(") {
			p.errorf(p.peek().Range, "expected ( after if, found %s", describe(p.peek()))
		} else {
			p.skipBalanced()
		}
		p.skipNewlines()
	}
	if !p.is("{") {
		p.errorf(p.peek().Range, "expected { starting the %s body, found %s", d.Keyword, describe(p.peek()))
		p.skipExpr()
		return
	}
	p.object(d, "")
}

// value reads an expression; objects and arrays at its start have their
// keys and elements recorded under path.
func (p *parser) value(d *Decl, path string) (loop bool) {
	p.lastOperand = false
	if t := p.peek(); t.Kind == EOF || t.Kind == Newline || closer(t) || p.is(",") {
		p.errorf(t.Range, "expected a value, found %s", describe(t))
		return false
	}
	switch {
	case p.is("{"):
		p.object(d, path)
		p.lastOperand = true
	case p.is("["):
		n := 1
		for p.peekAt(n).Kind == Newline {
			n++
		}
		if t := p.peekAt(n); t.Kind == Ident && t.Text == "for" {
			loop = true
			p.skipBalanced()
		} else {
			p.array(d, path)
		}
		p.lastOperand = true
	}
	// The rest of the expression (or all of it): a member access after an
	// object, an operator, a call.
	p.skipExpr()
	p.lastOperand = false
	return loop
}

// enter guards recursion; it reports false (having skipped the
// container under the cursor) when the nesting is too deep.
func (p *parser) enter() bool {
	if p.depth >= MaxDepth {
		p.errorf(p.peek().Range, "nesting deeper than %d levels is not read", MaxDepth)
		p.skipBalanced()
		return false
	}
	p.depth++
	return true
}

// object reads {…} at the cursor, recording its keys under path.
func (p *parser) object(d *Decl, path string) {
	if !p.enter() {
		return
	}
	defer func() { p.depth-- }()
	open := p.advance()
	for {
		for p.peek().Kind == Newline || p.is(",") {
			p.advance()
		}
		t := p.peek()
		switch {
		case t.Kind == EOF:
			p.errorf(open.Range, "unterminated object: no } for this {")
			return
		case p.is("}"):
			p.advance()
			return
		case closer(t):
			p.errorf(t.Range, "unexpected %s in an object", describe(t))
			p.advance()
			continue
		case p.is("@"):
			p.decorator()
			continue
		case p.is(".") && p.peekAt(1).Text == "." && p.peekAt(2).Text == ".":
			// ...spread: its keys are not written here.
			p.skipEntry()
			continue
		case t.Kind == Ident && t.Text == "resource" && path == "" && d.Kind == Resource && p.peekAt(1).Kind == Ident:
			if !p.enter() {
				continue
			}
			if c := p.statement(d); c != nil {
				d.Children = append(d.Children, c)
			}
			p.depth--
			continue
		}
		var key string
		switch {
		case t.Kind == Ident:
			key = t.Text
		case t.Kind == String && !t.Interp:
			key = t.Value
		case t.Kind == String:
			// An interpolated key ('hidden-link:${id}') is named as written.
			key = t.Text[1 : len(t.Text)-1]
		default:
			p.errorf(t.Range, "expected a property name, found %s", describe(t))
			p.skipEntry()
			continue
		}
		p.advance()
		if !p.is(":") {
			p.errorf(p.peek().Range, "expected : after the property name %s, found %s", strconv.Quote(key), describe(p.peek()))
			p.skipEntry()
			continue
		}
		p.advance()
		full := key
		if path != "" {
			full = path + "." + key
		}
		idx := len(d.Props)
		d.Props = append(d.Props, Property{Path: full, Key: t.Range})
		vs := p.peek().Range.Start
		loop := p.value(d, full)
		d.Props[idx].Value = Range{Start: vs, End: p.end}
		d.Props[idx].Loop = loop
		p.endEntry("}")
	}
}

// array reads […] at the cursor, recording its elements under path[i].
func (p *parser) array(d *Decl, path string) {
	if !p.enter() {
		return
	}
	defer func() { p.depth-- }()
	open := p.advance()
	for i := 0; ; {
		for p.peek().Kind == Newline || p.is(",") {
			p.advance()
		}
		t := p.peek()
		switch {
		case t.Kind == EOF:
			p.errorf(open.Range, "unterminated array: no ] for this [")
			return
		case p.is("]"):
			p.advance()
			return
		case closer(t):
			p.errorf(t.Range, "unexpected %s in an array", describe(t))
			p.advance()
			continue
		}
		full := path + "[" + strconv.Itoa(i) + "]"
		idx := len(d.Props)
		d.Props = append(d.Props, Property{Path: full, Key: t.Range})
		loop := p.value(d, full)
		d.Props[idx].Value = Range{Start: t.Range.Start, End: p.end}
		d.Props[idx].Loop = loop
		i++
		p.endEntry("]")
	}
}

// endEntry checks that an object member or array element is followed by
// a separator or the container's closer; anything else is reported and
// skipped.
func (p *parser) endEntry(close string) {
	t := p.peek()
	if t.Kind == Newline || t.Kind == EOF || p.is(",") || p.is(close) || closer(t) {
		return // a stray closer is the container's to report
	}
	p.errorf(t.Range, "unexpected %s after a value", describe(t))
	p.skipEntry()
}

// skipExpr consumes an expression: tokens up to a line break, a comma or
// a closing bracket at its own level, brackets balanced. Two operands in a
// row (x: 1 2) are reported once.
func (p *parser) skipExpr() {
	operand, reported := p.lastOperand, false
	for {
		if p.continued() {
			p.advance()
		}
		t := p.peek()
		if t.Kind == EOF || t.Kind == Newline || closer(t) || (t.Kind == Punct && t.Text == ",") {
			return
		}
		switch {
		case t.Kind == Punct && t.Text == "!":
			// postfix (x!) or prefix (!x): the state stays.
		case t.Kind == Punct:
			operand = false
		default:
			if operand && !reported {
				p.errorf(t.Range, "unexpected %s: expected an operator, a line break or a comma", describe(t))
				reported = true
			}
			operand = true
		}
		if opener(t) {
			p.skipBalanced()
			operand = true
			continue
		}
		p.advance()
	}
}

// continued reports a line break inside an expression: one followed by
// an operator that cannot start a statement or a member (the ? and : of a
// ternary split over lines, the | of a union type, ?? && ||).
func (p *parser) continued() bool {
	if p.peek().Kind != Newline {
		return false
	}
	t := p.peekAt(1)
	if t.Kind != Punct {
		return false
	}
	switch t.Text {
	case "?", ":", "|", "??", "&&", "||":
		return true
	}
	return false
}

// skipEntry consumes the rest of a broken object member or array
// element: like skipExpr, but at least one token.
func (p *parser) skipEntry() {
	if t := p.peek(); t.Kind != EOF && !opener(t) && !closer(t) {
		p.advance()
	}
	p.skipExpr()
}

// skipStatement consumes tokens up to the next line break outside
// brackets; a stray closing bracket is reported and consumed.
func (p *parser) skipStatement() {
	for {
		if p.continued() {
			p.advance()
		}
		t := p.peek()
		switch {
		case t.Kind == EOF || t.Kind == Newline:
			return
		case opener(t):
			p.skipBalanced()
		case closer(t):
			if p.depth > 0 {
				return // the enclosing object's or array's
			}
			p.errorf(t.Range, "unexpected %s", describe(t))
			p.advance()
		default:
			p.advance()
		}
	}
}

// skipRest consumes tokens up to and including close at this level.
func (p *parser) skipRest(close string) {
	for {
		t := p.peek()
		if t.Kind == EOF {
			return
		}
		if p.is(close) {
			p.advance()
			return
		}
		if closer(t) {
			return
		}
		if opener(t) {
			p.skipBalanced()
			continue
		}
		p.advance()
	}
}

// skipBalanced consumes the bracketed group opening at the cursor,
// without recursion; a mismatched closer still closes a level.
func (p *parser) skipBalanced() {
	open := p.advance()
	level := 1
	for level > 0 {
		t := p.peek()
		if t.Kind == EOF {
			p.errorf(open.Range, "no closing bracket for this %s", open.Text)
			return
		}
		if opener(t) {
			level++
		} else if closer(t) {
			level--
		}
		p.advance()
	}
}
