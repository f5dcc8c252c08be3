package armexpr

// Node is a node of a parsed expression: *Call, *Literal, *Access.
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
}

// Literal is a string, integer or bare true/false/null literal.
type Literal struct {
	Offset int
	Value  Value
}

// Access is a property access (.name, ['name']) or an index ([expr]) on X.
// Safe is set for the "?" forms of languageVersion 2.0 (.?name, [?…]),
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
// ("[concat('a', 'b')]"). Offsets are relative to the start of s. The error
// is an *Error.
func Parse(s string) (Node, error) {
	return nil, &Error{Msg: "not implemented yet"}
}
