package armexpr

import (
	"fmt"
	"strconv"
	"strings"
)

// Node is a node of a parsed expression: *Call, *Literal or *Access.
type Node interface {
	// Pos is the byte offset of the node within the expression string.
	Pos() int
}

// Call is a function call: Name(Args…) or Namespace.Name(Args…).
type Call struct {
	Offset    int
	Namespace string // user-defined function namespace, "" for built-ins
	Name      string
	Args      []Node
	// lname is Name in lower case, as the parser sets it; "" in a Call
	// made otherwise.
	lname string
}

// LowerName returns Name in lower case (function names are
// case-insensitive), computed once by the parser.
func (c *Call) LowerName() string {
	if c.lname == "" && c.Name != "" {
		return strings.ToLower(c.Name)
	}
	return c.lname
}

// Literal is a string, integer or bare true/false/null literal.
type Literal struct {
	Offset int
	Value  Value
}

// Access is a property access (.name, ['name']) or an index ([expr]) on X.
// Safe is set for the "?" forms of languageVersion 2.0 (.?name, ?[…]),
// which yield null instead of an error when the property is missing.
type Access struct {
	Offset   int
	X        Node
	Property string // for .name
	Index    Node   // for [expr]; nil when Property is used
	Safe     bool
}

// Pos implements Node.
func (c *Call) Pos() int { return c.Offset }

// Pos implements Node.
func (l *Literal) Pos() int { return l.Offset }

// Pos implements Node.
func (a *Access) Pos() int { return a.Offset }

// Parse parses an expression string including its surrounding brackets
// ("[concat('a', 'b')]") with the default limits. Offsets are relative to
// the start of s. The error is an *Error.
func Parse(s string) (Node, error) {
	return parse(s, DefaultLimits())
}

func parse(s string, l Limits) (Node, error) {
	if len(s) > l.MaxExprLen {
		return nil, &Error{Offset: 0, Msg: fmt.Sprintf("expression is %d bytes long, more than the limit of %d", len(s), l.MaxExprLen)}
	}
	if !IsExpression(s) {
		return nil, &Error{Offset: 0, Msg: "not an expression: it must start with '[' and end with ']'"}
	}
	p := &parser{src: s[:len(s)-1], pos: 1, maxDepth: l.MaxDepth}
	p.space()
	if p.eof() {
		return nil, &Error{Offset: 1, Msg: "empty expression"}
	}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.space()
	if !p.eof() {
		return nil, p.errorf(p.pos, "unexpected %s after the expression", p.describe())
	}
	return n, nil
}

type parser struct {
	src      string // the expression without its closing ']'
	pos      int
	depth    int
	maxDepth int
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

// peekNext returns the byte after the current one, 0 at the end.
func (p *parser) peekNext() byte {
	if p.pos+1 >= len(p.src) {
		return 0
	}
	return p.src[p.pos+1]
}

func (p *parser) space() {
	for !p.eof() {
		switch p.src[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) describe() string {
	if p.eof() {
		return "end of expression"
	}
	return strconv.Quote(string(p.src[p.pos]))
}

func (p *parser) errorf(off int, format string, args ...any) *Error {
	return &Error{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) enter(off int) error {
	p.depth++
	if p.depth > p.maxDepth {
		return p.errorf(off, "expression nested more than %d levels deep", p.maxDepth)
	}
	return nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || (c >= '0' && c <= '9')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) ident() string {
	start := p.pos
	if p.eof() || !isIdentStart(p.src[p.pos]) {
		return ""
	}
	for !p.eof() && isIdentChar(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

// propertyName reads a name after '.': an identifier that may also contain
// '-' (tolerated; ARM itself wants ['a-b'] for such names).
func (p *parser) propertyName() string {
	start := p.pos
	if p.eof() || (!isIdentStart(p.src[p.pos]) && !isDigit(p.src[p.pos])) {
		return ""
	}
	for !p.eof() && (isIdentChar(p.src[p.pos]) || p.src[p.pos] == '-') {
		p.pos++
	}
	return p.src[start:p.pos]
}

func (p *parser) expr() (Node, error) {
	p.space()
	start := p.pos
	if err := p.enter(start); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	return p.postfix(n)
}

func (p *parser) primary() (Node, error) {
	start := p.pos
	c := p.peek()
	switch {
	case c == '\'':
		return p.stringLit()
	case isDigit(c) || ((c == '-' || c == '+') && isDigit(p.peekNext())):
		return p.number()
	case isIdentStart(c):
		return p.callOrKeyword()
	case p.eof():
		return nil, p.errorf(start, "expected a value, found end of expression")
	default:
		return nil, p.errorf(start, "expected a function call or literal, found %s", p.describe())
	}
}

func (p *parser) stringLit() (Node, error) {
	start := p.pos
	p.pos++ // opening quote
	from := p.pos
	var b []byte // the content so far, once a doubled quote is met
	for {
		if p.eof() {
			return nil, p.errorf(start, "unterminated string literal")
		}
		if p.src[p.pos] == '\'' {
			if p.peekNext() == '\'' {
				b = append(b, p.src[from:p.pos+1]...)
				p.pos += 2
				from = p.pos
				continue
			}
			s := p.src[from:p.pos]
			if b != nil {
				s = string(append(b, s...))
			}
			p.pos++
			return &Literal{Offset: start, Value: s}, nil
		}
		p.pos++
	}
}

func (p *parser) number() (Node, error) {
	start := p.pos
	if c := p.peek(); c == '-' || c == '+' {
		p.pos++
	}
	for isDigit(p.peek()) {
		p.pos++
	}
	isFloat := false
	if p.peek() == '.' && isDigit(p.peekNext()) {
		isFloat = true
		p.pos++
		for isDigit(p.peek()) {
			p.pos++
		}
	}
	text := p.src[start:p.pos]
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, p.errorf(start, "invalid number %s", text)
		}
		return &Literal{Offset: start, Value: f}, nil
	}
	i, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, p.errorf(start, "integer %s out of range", text)
	}
	return &Literal{Offset: start, Value: i}, nil
}

func (p *parser) callOrKeyword() (Node, error) {
	start := p.pos
	name := p.ident()
	save := p.pos
	p.space()
	if p.peek() == '(' {
		args, err := p.args()
		if err != nil {
			return nil, err
		}
		return &Call{Offset: start, Name: name, Args: args, lname: strings.ToLower(name)}, nil
	}
	// namespace.member(...)
	if p.peek() == '.' {
		dot := p.pos
		p.pos++
		p.space()
		member := p.ident()
		p.space()
		if member != "" && p.peek() == '(' {
			args, err := p.args()
			if err != nil {
				return nil, err
			}
			return &Call{Offset: start, Namespace: name, Name: member, Args: args}, nil
		}
		p.pos = dot
	}
	switch strings.ToLower(name) {
	case "true":
		p.pos = save
		return &Literal{Offset: start, Value: true}, nil
	case "false":
		p.pos = save
		return &Literal{Offset: start, Value: false}, nil
	case "null":
		p.pos = save
		return &Literal{Offset: start, Value: nil}, nil
	}
	return nil, p.errorf(start, "%q is not a function call: expected '(' after it", name)
}

func (p *parser) args() ([]Node, error) {
	open := p.pos
	p.pos++ // (
	p.space()
	var args []Node
	if p.peek() == ')' {
		p.pos++
		return args, nil
	}
	for {
		a, err := p.expr()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		p.space()
		switch p.peek() {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return args, nil
		default:
			if p.eof() {
				return nil, p.errorf(open, "unclosed '(': expected ')'")
			}
			return nil, p.errorf(p.pos, "expected ',' or ')' in argument list, found %s", p.describe())
		}
	}
}

func (p *parser) postfix(n Node) (Node, error) {
	chain := 0
	for {
		save := p.pos
		p.space()
		off := p.pos
		safe := false
		c := p.peek()
		if c == '?' && (p.peekNext() == '.' || p.peekNext() == '[') {
			safe = true
			p.pos++
			c = p.peek()
		}
		switch c {
		case '.':
			p.pos++
			if p.peek() == '?' {
				safe = true
				p.pos++
			}
			p.space()
			name := p.propertyName()
			if name == "" {
				return nil, p.errorf(p.pos, "expected a property name after '.', found %s", p.describe())
			}
			n = &Access{Offset: off, X: n, Property: name, Safe: safe}
		case '[':
			p.pos++
			p.space()
			if p.peek() == '?' {
				safe = true
				p.pos++
			}
			idx, err := p.expr()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.peek() != ']' {
				if p.eof() {
					return nil, p.errorf(off, "unclosed '[': expected ']'")
				}
				return nil, p.errorf(p.pos, "expected ']' after index, found %s", p.describe())
			}
			p.pos++
			n = &Access{Offset: off, X: n, Index: idx, Safe: safe}
		default:
			p.pos = save
			return n, nil
		}
		chain++
		if p.depth+chain > p.maxDepth {
			return nil, p.errorf(off, "expression nested more than %d levels deep", p.maxDepth)
		}
	}
}

// IsExpression reports whether the JSON string s is an ARM expression: it
// starts with "[" and ends with "]" and does not start with "[[".
func IsExpression(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && s[1] != '['
}

// Unescape returns the literal string a non-expression JSON string stands
// for: "[[x]" is "[x]"; other strings are unchanged.
func Unescape(s string) string {
	if len(s) >= 3 && s[0] == '[' && s[1] == '[' && s[len(s)-1] == ']' {
		return s[1:]
	}
	return s
}

// Inspect traverses the tree of n depth-first, calling f for each node
// (calls before their arguments, accesses before the accessed value);
// when f returns false the node's children are skipped.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	switch t := n.(type) {
	case *Call:
		for _, a := range t.Args {
			Inspect(a, f)
		}
	case *Access:
		Inspect(t.X, f)
		if t.Index != nil {
			Inspect(t.Index, f)
		}
	}
}
