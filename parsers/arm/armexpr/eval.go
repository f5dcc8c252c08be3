package armexpr

// Limits bound the work done for one expression. A zero field takes the
// default from [DefaultLimits].
type Limits struct {
	// MaxExprLen is the maximum length in bytes of an expression string.
	MaxExprLen int
	// MaxDepth is the maximum nesting of calls and accesses, also across
	// variables and user functions evaluated from an expression.
	MaxDepth int
	// MaxSteps is the evaluation step budget of one top-level call.
	MaxSteps int
	// MaxItems is the maximum size of a generated array or string
	// (range(), string building, union…).
	MaxItems int
}

// DefaultLimits returns the limits used for zero fields.
func DefaultLimits() Limits {
	return Limits{MaxExprLen: 64 << 10, MaxDepth: 128, MaxSteps: 1_000_000, MaxItems: 100_000}
}

// Scope is the fake, deterministic deployment scope returned by
// resourceGroup(), subscription(), tenant(), managementGroup() and
// deployment(). Zero fields take the defaults of [DefaultScope].
type Scope struct {
	SubscriptionID  string
	TenantID        string
	ResourceGroup   string
	Location        string
	ManagementGroup string
	DeploymentName  string
}

// DefaultScope returns clearly fake placeholder values.
func DefaultScope() Scope {
	return Scope{
		SubscriptionID:  "00000000-0000-0000-0000-000000000000",
		TenantID:        "00000000-0000-0000-0000-000000000000",
		ResourceGroup:   "resourceGroup",
		Location:        "resourceGroupLocation",
		ManagementGroup: "managementGroup",
		DeploymentName:  "deployment",
	}
}

// Options configure an Evaluator.
type Options struct {
	Limits Limits
	Scope  Scope
}

// Evaluator evaluates expressions against a Context. It is not safe for
// concurrent use; re-entrant calls from the Context (evaluating a variable
// while evaluating an expression) share its depth and step budget.
type Evaluator struct {
	ctx         Context
	limits      Limits
	scope       Scope
	unsupported map[string]int
}

// NewEvaluator returns an Evaluator for ctx.
func NewEvaluator(ctx Context, opts Options) *Evaluator {
	d := DefaultLimits()
	l := opts.Limits
	if l.MaxExprLen <= 0 {
		l.MaxExprLen = d.MaxExprLen
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxSteps <= 0 {
		l.MaxSteps = d.MaxSteps
	}
	if l.MaxItems <= 0 {
		l.MaxItems = d.MaxItems
	}
	return &Evaluator{ctx: ctx, limits: l, scope: opts.Scope, unsupported: map[string]int{}}
}

// EvalString evaluates a JSON string value: an expression is evaluated, an
// escaped "[[…" literal loses its first "[", any other string is returned
// as is. The error is an *Error.
func (e *Evaluator) EvalString(s string) (Value, error) {
	if !IsExpression(s) {
		return Unescape(s), nil
	}
	return Unknown{Source: SourceUnsupported, Reason: "not implemented yet"}, nil
}

// EvalJSON evaluates a JSON value tree (as from [DecodeJSON]; map[string]any
// is accepted too, with sorted keys): every string is passed to EvalString,
// objects and arrays are rebuilt. Object keys are not evaluated.
func (e *Evaluator) EvalJSON(v Value) (Value, error) {
	return v, nil
}

// Unsupported returns how many times each unsupported function name
// (lower case) produced an Unknown with SourceUnsupported since the
// Evaluator was created. The map must not be modified.
func (e *Evaluator) Unsupported() map[string]int { return e.unsupported }

// IsExpression reports whether the JSON string s is an ARM expression.
func IsExpression(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && s[1] != '['
}

// Unescape returns the literal string a non-expression JSON string stands
// for: "[[x]" is "[x]"; other strings are unchanged.
func Unescape(s string) string {
	if len(s) >= 2 && s[0] == '[' && s[1] == '[' && s[len(s)-1] == ']' {
		return s[1:]
	}
	return s
}

// DecodeJSON decodes JSON text into Values: objects become *Object in
// source key order, integral numbers int64, other numbers float64.
func DecodeJSON(data []byte) (Value, error) {
	return nil, &Error{Msg: "not implemented yet"}
}
