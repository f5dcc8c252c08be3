// Package armexpr parses and evaluates ARM template language expressions
// (the "[...]" strings of Azure Resource Manager JSON templates, including
// templates compiled from Bicep, languageVersion 1.0 and 2.0).
//
// # Contract
//
// A JSON string is an expression iff it starts with "[" and ends with "]"
// and does not start with "[[" ("[[" escapes a literal that starts with
// "["; [Evaluator.EvalString] returns it with the first "[" removed). [IsExpression]
// and [Unescape] tell the two apart; [Parse] returns the syntax tree
// (*[Call], *[Literal], *[Access], walked with [Inspect]); an [Evaluator]
// evaluates strings ([Evaluator.EvalString]), whole JSON trees
// ([Evaluator.EvalJSON]) and parsed trees ([Evaluator.Eval]) against a
// [Context] the template parser implements: parameters (with their type
// and evaluated value), variables (the parser evaluates them lazily with
// EvalJSON and detects cycles), user-defined functions, the index of the
// copy loops being expanded and what it knows about resources. Values of parameter files
// are values, not expressions (some hold placeholders such as
// "[YOUR-LOCATION]", which do not parse): pass them as [Param] values.
//
// The syntax: function calls name(args) and namespace.member(args), string
// literals in single quotes (a quote inside is doubled), integers, true/false/null
// (bare or as functions), property access .name and ['name'], indexes [0],
// and the safe-dereference forms .?name, ?[…] and [?…] of languageVersion
// 2.0 (null instead of an error for a missing property or index).
//
// Values are plain Go values: nil (JSON null), bool, int64, float64,
// string, []any, *[Object] (ordered; keys compare case-insensitively like
// ARM property names) and [Unknown]. [DecodeJSON] turns JSON text into such
// values keeping key order and integer-ness; [ToJSON] serialises them as
// string() does; [Equal] compares them as equals() does. Values returned
// may share structure with the Context's values: treat them as immutable.
//
// # Unknown values
//
// A value that cannot be known before deployment is an [Unknown] with a
// [Source]:
//
//   - SourceRuntime: reference(), list*() (listKeys, listSecrets, …, any
//     function whose name starts with "list"), utcNow(), newGuid(),
//     dateTimeAdd(), deployer(), pickZones(), providers(),
//     deployment().properties.templateLink and .templateHash, the
//     tenant's countryCode and displayName. Secrets and runtime state are
//     never fetched or made up. The exception is a nested deployment's
//     output, reference(<deployment>).outputs.<name>.value, when the
//     Context implements [OutputContext] and knows it (the template is
//     inline, so the output is computed from the template, not fetched).
//   - SourceParameter: a parameter without a value (no default and none
//     given).
//   - SourceSecure: a securestring or secureObject parameter without a
//     value.
//   - SourceUnsupported: a built-in function this package does not know.
//     [Evaluator.Unsupported] counts them by name and [Supported] tells
//     statically whether a name is evaluated.
//
// Unknown propagates through every function and property access, except
// where ARM semantics make the result independent of it: if() with a known
// condition (only the chosen branch is evaluated), coalesce() returning a
// known non-null value met before any unknown, and()/or() with a known
// false/true argument, length()/empty()/first()/last()/contains() of arrays
// and objects whose unknown elements do not matter, createArray() and
// createObject() holding unknown values, union() of arrays and objects
// holding unknowns. When unknowns combine, the result reports the most
// significant source (unsupported, then secure, runtime, parameter).
//
// An Unknown remembers what it is: Ref is the resource reference() or
// list*() read (the id from [Context.Resource] when the parser knows the
// resource, else the name or id as written) or the parameter name;
// Attribute is the function ("listKeys", "reference", "parameters"); Path
// is the property access applied to it (".keys[0].value"). Strings built
// with concat(), format(), join() and the resource id functions keep their
// known and unknown pieces in Parts, so a connection string keeps its
// "AccountName=st;" and a resourceId() with an unknown name keeps its type.
//
// # Deployment scope
//
// resourceGroup(), subscription(), tenant(), managementGroup() and
// deployment() return fake, deterministic placeholders ([Scope],
// [DefaultScope]: subscription and tenant 00000000-0000-0000-0000-000000000000,
// resource group "resourceGroup" in "resourceGroupLocation", deployment
// "deployment"); the parser may set real values. Scope.Level selects the
// form of resourceId() without subscription and resource group arguments.
// environment() is the public AzureCloud environment.
//
// # Hashes
//
// uniqueString() and guid() are reproduced exactly: uniqueString is ARM's
// 64-bit MurmurHash variant of the hyphen-joined arguments in 13 base-32
// characters, guid is the version 5 UUID of the hyphen-joined arguments in
// namespace 11fb06fb-712d-4ddd-98c7-e71bbd588830 (both checked against
// values returned by Azure deployments). They hash the placeholder scope
// unless the parser sets a real one.
//
// # Errors and limits
//
// Errors are Go errors of type *[Error] carrying the byte offset within
// the expression string (an error inside a variable or user function is
// wrapped by one at the call). Broken input never panics. [Limits] bound
// the expression length (64 KiB), nesting depth, evaluation steps per
// top-level call (walking, comparing and serialising values counts too, so
// values built from shared parts cannot blow up), range() (ARM's 10000)
// and the size of generated arrays and strings.
//
// An Evaluator holds per-evaluation state and is not safe for concurrent
// use; the package has no global mutable state.
package armexpr
