package armexpr

import "errors"

// ErrNotFound is returned (wrapped) by a Context for an undeclared
// parameter or variable.
var ErrNotFound = errors.New("not found")

// Context is what the template parser provides to the evaluator.
type Context interface {
	// Parameter returns the declared parameter name (looked up
	// case-insensitively), its value already evaluated (the default value
	// or a given parameter value). A parameter without a value has
	// HasValue false and becomes Unknown (SourceSecure for securestring and
	// secureObject, SourceParameter otherwise); a parameter with a value
	// evaluates to it, secure or not (to keep a secure default hidden,
	// return HasValue false). An undeclared parameter returns an error
	// wrapping ErrNotFound; other errors (say, in the default value) are
	// wrapped in an *Error at the parameters() call.
	Parameter(name string) (Param, error)
	// Variable returns the evaluated value of a variable (the parser
	// evaluates the variable's JSON with [Evaluator.EvalJSON], lazily, and
	// detects cycles). Undeclared: an error wrapping ErrNotFound.
	Variable(name string) (Value, error)
	// UserFunction returns a user-defined function of the "functions"
	// section (namespace and member name compared case-insensitively).
	UserFunction(namespace, name string) (*UserFunction, bool)
	// CopyIndex returns the current zero-based iteration of the copy loop
	// named loop, or of the innermost loop when loop is "".
	CopyIndex(loop string) (int64, bool)
	// Resource returns what the template declares about a resource given by
	// symbolic name (languageVersion 2.0), name or resource id, as used by
	// reference() and list*() to link runtime values to resources.
	Resource(nameOrID string) (ResourceView, bool)
}

// OutputContext is an optional interface of a Context that knows the
// outputs of nested deployments: reference(<deployment>).outputs.<name>.value
// (the way Bicep modules pass values to each other) then evaluates to the
// output's value instead of an Unknown. ref is what reference() was given
// (see [Unknown.Ref]: a resource id when the Context knows the resource,
// else the name, id or symbolic name as written); ok is false when the
// output is not known to the Context.
type OutputContext interface {
	DeploymentOutput(ref, name string) (v Value, ok bool)
}

// Param is a declared template parameter.
type Param struct {
	// Type is the declared type: string, securestring, int, bool, object,
	// secureObject, array (compared case-insensitively).
	Type string
	// Value is the evaluated value when HasValue.
	Value    Value
	HasValue bool
}

// UserFunction is a member of the template's "functions" section.
type UserFunction struct {
	Namespace, Name string
	Parameters      []UserParam
	// Output is the output "value": an expression string or any JSON value
	// (decoded with [DecodeJSON]) whose strings are expressions.
	Output Value
}

// UserParam is a parameter of a user-defined function.
type UserParam struct {
	Name, Type string
}

// ResourceView is what a Context knows about a declared resource.
type ResourceView struct {
	// ID is the resource id as ARM computes it (resourceId() form), "" when
	// not known.
	ID string
	// Type is the resource type, e.g. "Microsoft.Web/sites".
	Type string
	// APIVersion is the declared apiVersion.
	APIVersion string
}

// NopContext is a Context that declares nothing; useful for evaluating
// expressions that need no template. Embed it to implement a Context
// partially.
type NopContext struct{}

// Parameter reports every parameter as undeclared.
func (NopContext) Parameter(name string) (Param, error) {
	return Param{}, ErrNotFound
}

// Variable reports every variable as undeclared.
func (NopContext) Variable(name string) (Value, error) { return nil, ErrNotFound }

// UserFunction reports no user functions.
func (NopContext) UserFunction(namespace, name string) (*UserFunction, bool) { return nil, false }

// CopyIndex reports no copy loop.
func (NopContext) CopyIndex(loop string) (int64, bool) { return 0, false }

// Resource reports no resources.
func (NopContext) Resource(nameOrID string) (ResourceView, bool) { return ResourceView{}, false }
