package model

import "strconv"

// Pos is a position in a source file. Line and Column are 1-based; Byte is
// the 0-based byte offset. A zero Line means "no position".
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// Range is a span of a source file. Filename is the path as the scan saw it
// (relative to the scan root where possible, forward slashes).
type Range struct {
	Filename string `json:"file"`
	Start    Pos    `json:"start"`
	End      Pos    `json:"end"`
}

// IsZero reports whether r carries no position at all.
func (r Range) IsZero() bool { return r.Filename == "" && r.Start.Line == 0 }

// String renders r as file:line:col, the form terminals and editors link.
func (r Range) String() string {
	if r.Start.Line == 0 {
		return r.Filename
	}
	// "file:line:column" in one allocation: the numbers are formatted on
	// the stack (fix descriptions name thousands of places in a scan).
	var buf [2*20 + 2]byte
	b := append(strconv.AppendInt(append(buf[:0], ':'), int64(r.Start.Line), 10), ':')
	b = strconv.AppendInt(b, int64(r.Start.Column), 10)
	return r.Filename + string(b)
}

// Origin says how a value came to be what it is.
type Origin uint8

const (
	// Unknown means the value cannot be known before apply/deployment time (a
	// variable without a value, another resource's computed attribute, an
	// unsupported function). It is also the zero value, so a field a parser
	// never filled is undetermined rather than silently passing.
	Unknown Origin = iota
	// Explicit means the value is written in the source, directly or through
	// variables, locals, parameters with defaults and the like.
	Explicit
	// Default means the value was not written; the platform or provider default
	// applies. Its range is the range of the owning block.
	Default
)

// String returns the origin's name as used in JSON and messages.
func (o Origin) String() string {
	switch o {
	case Explicit:
		return "explicit"
	case Default:
		return "default"
	default:
		return "unknown"
	}
}

// MarshalText implements encoding.TextMarshaler.
func (o Origin) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Meta is what every model value knows about itself.
type Meta struct {
	// Range is where the value was decided: the attribute for an explicit
	// value, the owning block for a default.
	Range Range `json:"range"`
	// Origin says whether the value was written, defaulted or is unknown.
	Origin Origin `json:"origin"`
	// Resource is the address of the resource the value belongs to, e.g.
	// module.api.azurerm_linux_function_app.this["west"].
	Resource string `json:"resource,omitempty"`
	// Note optionally explains an Unknown or Default value ("var.tls has no
	// value", "platform default since API 2019-04-01").
	Note string `json:"note,omitempty"`
	// Trail is the chain of places the value passed through before Range,
	// origin first: a tfvars line, the root variable, the module argument,
	// the module variable, a local (Terraform); a parameter file, the
	// parameter, a nested deployment's parameter (ARM); a Pulumi input.
	// Empty for a literal written at Range and for defaults. The owner's
	// root is the Module's Root: every value of a module shares it.
	Trail *Trail `json:"trail,omitempty"`
	// Computed is set when an expression on the trail computed the value
	// (an operator, a function call, a template, a conditional) instead
	// of handing on what its origin wrote: setting the origin to the
	// value a check wants would not give the attribute that value.
	Computed bool `json:"computed,omitempty"`
}

// Via returns m with its trail extended by the hops of t after its own.
func (m Meta) Via(t *Trail) Meta {
	m.Trail = m.Trail.Join(t)
	return m
}

// WithTrail returns m with trail t.
func (m Meta) WithTrail(t *Trail) Meta {
	m.Trail = t
	return m
}

// Hops returns where the value came from, origin first, ending at Range:
// the trail's hops, then the attribute that holds the value (or, for a
// default, the resource block with kind HopDefault).
func (m Meta) Hops() []Hop {
	t := m.Trail
	if t != nil && t.hop.Range == m.Range {
		return t.Hops()
	}
	// The trail's hops and the attribute in one list, made at its
	// length (the trail's, then appending the attribute, made two).
	n := t.Len()
	hops := make([]Hop, n+1)
	for i, c := n-1, t; c != nil; i, c = i-1, c.prev {
		hops[i] = c.hop
	}
	hops[n] = Hop{Kind: HopAttribute, Range: m.Range}
	if m.Origin == Default {
		hops[n].Kind = HopDefault
	}
	return hops
}

// GetMeta returns m; it lets generic code reach the Meta of any value.
func (m Meta) GetMeta() Meta { return m }

// Value is a typed scalar with its Meta.
type Value[T any] struct {
	V T
	Meta
}

// Known reports whether the value is known at analysis time.
func (v Value[T]) Known() bool { return v.Origin != Unknown }

// Sensitive is a string that must never reach any output: app setting values,
// connection strings, keys. Checks see it; writers redact it.
type Sensitive string

// Bool is a boolean model value.
type Bool = Value[bool]

// String is a string model value.
type String = Value[string]

// Int is an integer model value.
type Int = Value[int64]

// Secret is a sensitive string model value: never printed.
type Secret = Value[Sensitive]

// List is a list of values or objects with the Meta of the list itself (the
// attribute or the first block that made it).
type List[T any] struct {
	Items []T
	Meta
}

// Len returns the number of items.
func (l List[T]) Len() int { return len(l.Items) }

// Constructors keep parser code short and explicit about origin.

// Set returns an explicit value written at r.
func Set[T any](v T, r Range, resource string) Value[T] {
	return Value[T]{V: v, Meta: Meta{Range: r, Origin: Explicit, Resource: resource}}
}

// Defaulted returns the platform default v, blamed on the owning block r.
func Defaulted[T any](v T, block Range, resource, note string) Value[T] {
	return Value[T]{V: v, Meta: Meta{Range: block, Origin: Default, Resource: resource, Note: note}}
}

// SetVia returns an explicit value written at r that reached r through
// trail (origin first).
func SetVia[T any](v T, r Range, resource string, trail *Trail) Value[T] {
	return Value[T]{V: v, Meta: Meta{Range: r, Origin: Explicit, Resource: resource, Trail: trail}}
}

// LinkedBy returns the Meta of a link between resources (an app and its
// host storage account, a private endpoint and its target): where the link
// is written and why the parser linked them ("storage_account_name
// references azurerm_storage_account.sa", "AzureWebJobsStorage
// AccountName="). An unknown link (origin Unknown) makes every outcome
// that depends on it undetermined.
func LinkedBy(r Range, resource, why string) Meta {
	return Meta{Range: r, Origin: Explicit, Resource: resource, Note: why}
}

// Unresolved returns an unknown value located at r, with the reason why.
func Unresolved[T any](r Range, resource, why string) Value[T] {
	return Value[T]{Meta: Meta{Range: r, Origin: Unknown, Resource: resource, Note: why}}
}
