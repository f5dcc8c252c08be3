// Package armexpr parses and evaluates ARM template language expressions
// (the "[...]" strings of Azure Resource Manager JSON templates, including
// templates compiled from Bicep, languageVersion 1.0 and 2.0).
//
// # Contract
//
// A JSON string is an expression iff it starts with "[" and ends with "]"
// and does not start with "[[" ("[[" escapes a literal that starts with
// "["; [EvalString] returns it with the first "[" removed). [IsExpression]
// tells the two apart; [Parse] returns the syntax tree; an [Evaluator]
// evaluates strings ([Evaluator.EvalString]) and whole JSON trees
// ([Evaluator.EvalJSON]) against a [Context] the template parser
// implements (parameters, variables, user-defined functions, copy loops and
// resources).
//
// Values are plain Go values: nil (JSON null), bool, int64, float64,
// string, []any, *[Object] (ordered; keys compare case-insensitively like
// ARM property names) and [Unknown]. [DecodeJSON] turns JSON text into such
// values keeping key order and integer-ness.
//
// A value that cannot be known before deployment is an [Unknown] with a
// [Source]: SourceRuntime (reference(), list*(), utcNow(), newGuid(),
// deployment-specific data), SourceParameter (a parameter without a value),
// SourceSecure (a securestring/secureObject parameter without a value) or
// SourceUnsupported (a function this package does not evaluate). Unknown
// propagates through every function and property access, except where ARM
// semantics make the result independent of it (if() with a known condition,
// coalesce() after a known non-null, and(false, …), or(true, …), length()
// of an array with unknown elements, …). An Unknown remembers the resource
// it belongs to (Ref: the resource id or name given to reference()/list*())
// and the function (Attribute), the property path applied to it (Path), and,
// for strings built with concat()/format(), the known and unknown pieces
// (Parts), so a connection string keeps its AccountName= part.
//
// Errors are Go errors of type *[Error] carrying the byte offset within the
// expression string; broken input never panics. Limits ([Limits]) bound the
// expression length, nesting depth, evaluation steps and generated sizes.
//
// The evaluator never fetches or fabricates runtime data or secrets.
// The deployment scope (resourceGroup(), subscription(), tenant(),
// managementGroup(), deployment()) is a fake, deterministic placeholder
// ([Scope]); environment() is the public AzureCloud environment.
//
// An Evaluator holds per-evaluation state and is not safe for concurrent
// use; the package has no global mutable state.
package armexpr
