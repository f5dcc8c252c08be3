package armexpr

import "strings"

// unknownMode says how a built-in treats Unknown arguments before it runs.
type unknownMode int

const (
	// unkDeep: any argument holding an Unknown anywhere makes the result
	// Unknown.
	unkDeep unknownMode = iota
	// unkTop: an argument that is itself Unknown makes the result Unknown;
	// arrays and objects holding Unknowns are passed to the function.
	unkTop
	// unkSelf: the function handles Unknown arguments itself.
	unkSelf
)

type spec struct {
	name     string // canonical spelling
	min, max int    // arity; max < 0: variadic
	unknown  unknownMode
	fn       func(cc *callCtx, args []Value) (Value, error)
	lazy     func(cc *callCtx) (Value, error)
}

func (s spec) checkArity(cc *callCtx, n int) error {
	switch {
	case s.min == s.max && n != s.min:
		if s.min == 0 {
			return cc.errorf("takes no arguments, got %d", n)
		}
		return cc.errorf("expects %d argument%s, got %d", s.min, plural(s.min), n)
	case n < s.min:
		return cc.errorf("expects at least %d argument%s, got %d", s.min, plural(s.min), n)
	case s.max >= 0 && n > s.max:
		return cc.errorf("expects at most %d argument%s, got %d", s.max, plural(s.max), n)
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// lazyBuiltin returns the functions that evaluate their arguments
// themselves: conditionals, lambdas and scope lookups.
func lazyBuiltin(lname string) (spec, bool) {
	switch lname {
	case "if":
		return spec{name: "if", min: 3, max: 3, lazy: fnIf}, true
	case "and":
		return spec{name: "and", min: 1, max: -1, lazy: fnAnd}, true
	case "or":
		return spec{name: "or", min: 1, max: -1, lazy: fnOr}, true
	case "coalesce":
		return spec{name: "coalesce", min: 1, max: -1, lazy: fnCoalesce}, true
	case "lambda":
		return spec{name: "lambda", min: 1, max: -1, lazy: fnLambdaOutside}, true
	case "filter":
		return spec{name: "filter", min: 2, max: 2, lazy: fnFilter}, true
	case "map":
		return spec{name: "map", min: 2, max: 2, lazy: fnMap}, true
	case "reduce":
		return spec{name: "reduce", min: 3, max: 3, lazy: fnReduce}, true
	case "sort":
		return spec{name: "sort", min: 2, max: 2, lazy: fnSort}, true
	case "toobject":
		return spec{name: "toObject", min: 2, max: 3, lazy: fnToObject}, true
	case "groupby":
		return spec{name: "groupBy", min: 2, max: 2, lazy: fnGroupBy}, true
	case "mapvalues":
		return spec{name: "mapValues", min: 2, max: 2, lazy: fnMapValues}, true
	}
	return spec{}, false
}

// builtin returns the functions whose arguments are evaluated before the
// call.
func builtin(lname string) (spec, bool) {
	switch lname {
	// Scope lookups.
	case "parameters":
		return spec{name: "parameters", min: 1, max: 1, unknown: unkTop, fn: fnParameters}, true
	case "variables":
		return spec{name: "variables", min: 1, max: 1, unknown: unkTop, fn: fnVariables}, true
	case "lambdavariables":
		return spec{name: "lambdaVariables", min: 1, max: 1, unknown: unkTop, fn: fnLambdaVariables}, true
	case "copyindex":
		return spec{name: "copyIndex", min: 0, max: 2, unknown: unkTop, fn: fnCopyIndex}, true

	// Literals, logic and comparison.
	case "true":
		return spec{name: "true", min: 0, max: 0, fn: constant(true)}, true
	case "false":
		return spec{name: "false", min: 0, max: 0, fn: constant(false)}, true
	case "null":
		return spec{name: "null", min: 0, max: 0, fn: constant(nil)}, true
	case "equals":
		return spec{name: "equals", min: 2, max: 2, unknown: unkDeep, fn: fnEquals}, true
	case "not":
		return spec{name: "not", min: 1, max: 1, unknown: unkTop, fn: fnNot}, true
	case "less":
		return spec{name: "less", min: 2, max: 2, unknown: unkTop, fn: compareFn(func(c int) bool { return c < 0 })}, true
	case "lessorequals":
		return spec{name: "lessOrEquals", min: 2, max: 2, unknown: unkTop, fn: compareFn(func(c int) bool { return c <= 0 })}, true
	case "greater":
		return spec{name: "greater", min: 2, max: 2, unknown: unkTop, fn: compareFn(func(c int) bool { return c > 0 })}, true
	case "greaterorequals":
		return spec{name: "greaterOrEquals", min: 2, max: 2, unknown: unkTop, fn: compareFn(func(c int) bool { return c >= 0 })}, true
	case "fail":
		return spec{name: "fail", min: 1, max: 1, unknown: unkSelf, fn: fnFail}, true

	// Conversions.
	case "bool":
		return spec{name: "bool", min: 1, max: 1, unknown: unkTop, fn: fnBool}, true
	case "int":
		return spec{name: "int", min: 1, max: 1, unknown: unkTop, fn: fnInt}, true
	case "float":
		return spec{name: "float", min: 1, max: 1, unknown: unkTop, fn: fnFloat}, true
	case "string":
		return spec{name: "string", min: 1, max: 1, unknown: unkDeep, fn: fnString}, true
	case "json":
		return spec{name: "json", min: 1, max: 1, unknown: unkTop, fn: fnJSON}, true
	case "array":
		return spec{name: "array", min: 1, max: 1, unknown: unkTop, fn: fnArray}, true

	// Strings.
	case "concat":
		return spec{name: "concat", min: 0, max: -1, unknown: unkSelf, fn: fnConcat}, true
	case "format":
		return spec{name: "format", min: 1, max: -1, unknown: unkSelf, fn: fnFormat}, true
	case "tolower":
		return spec{name: "toLower", min: 1, max: 1, unknown: unkTop, fn: fnToLower}, true
	case "toupper":
		return spec{name: "toUpper", min: 1, max: 1, unknown: unkTop, fn: fnToUpper}, true
	case "trim":
		return spec{name: "trim", min: 1, max: 1, unknown: unkTop, fn: fnTrim}, true
	case "split":
		return spec{name: "split", min: 2, max: 2, unknown: unkDeep, fn: fnSplit}, true
	case "join":
		return spec{name: "join", min: 2, max: 2, unknown: unkSelf, fn: fnJoin}, true
	case "replace":
		return spec{name: "replace", min: 3, max: 3, unknown: unkTop, fn: fnReplace}, true
	case "substring":
		return spec{name: "substring", min: 1, max: 3, unknown: unkTop, fn: fnSubstring}, true
	case "indexof":
		return spec{name: "indexOf", min: 2, max: 2, unknown: unkDeep, fn: fnIndexOf}, true
	case "lastindexof":
		return spec{name: "lastIndexOf", min: 2, max: 2, unknown: unkDeep, fn: fnLastIndexOf}, true
	case "startswith":
		return spec{name: "startsWith", min: 2, max: 2, unknown: unkTop, fn: fnStartsWith}, true
	case "endswith":
		return spec{name: "endsWith", min: 2, max: 2, unknown: unkTop, fn: fnEndsWith}, true
	case "padleft":
		return spec{name: "padLeft", min: 2, max: 3, unknown: unkTop, fn: fnPadLeft}, true
	case "base64":
		return spec{name: "base64", min: 1, max: 1, unknown: unkTop, fn: fnBase64}, true
	case "base64tostring":
		return spec{name: "base64ToString", min: 1, max: 1, unknown: unkTop, fn: fnBase64ToString}, true
	case "base64tojson":
		return spec{name: "base64ToJson", min: 1, max: 1, unknown: unkTop, fn: fnBase64ToJSON}, true
	case "datauri":
		return spec{name: "dataUri", min: 1, max: 1, unknown: unkTop, fn: fnDataURI}, true
	case "datauritostring":
		return spec{name: "dataUriToString", min: 1, max: 1, unknown: unkTop, fn: fnDataURIToString}, true
	case "uri":
		return spec{name: "uri", min: 2, max: 2, unknown: unkTop, fn: fnURI}, true
	case "uricomponent":
		return spec{name: "uriComponent", min: 1, max: 1, unknown: unkTop, fn: fnURIComponent}, true
	case "uricomponenttostring":
		return spec{name: "uriComponentToString", min: 1, max: 1, unknown: unkTop, fn: fnURIComponentToString}, true
	case "guid":
		return spec{name: "guid", min: 1, max: -1, unknown: unkTop, fn: fnGUID}, true
	case "uniquestring":
		return spec{name: "uniqueString", min: 1, max: -1, unknown: unkTop, fn: fnUniqueString}, true
	case "newguid":
		return spec{name: "newGuid", min: 0, max: 0, unknown: unkSelf, fn: runtimeFn("newGuid", "a new GUID is generated at each deployment")}, true
	case "utcnow":
		return spec{name: "utcNow", min: 0, max: 1, unknown: unkSelf, fn: runtimeFn("utcNow", "the deployment time")}, true
	case "datetimeadd":
		return spec{name: "dateTimeAdd", min: 2, max: 3, unknown: unkSelf, fn: runtimeFn("dateTimeAdd", "date arithmetic is left to deployment time")}, true
	case "datetimefromepoch":
		return spec{name: "dateTimeFromEpoch", min: 1, max: 1, unknown: unkTop, fn: fnDateTimeFromEpoch}, true
	case "datetimetoepoch":
		return spec{name: "dateTimeToEpoch", min: 1, max: 1, unknown: unkTop, fn: fnDateTimeToEpoch}, true

	// Strings, arrays and objects.
	case "contains":
		return spec{name: "contains", min: 2, max: 2, unknown: unkTop, fn: fnContains}, true
	case "empty":
		return spec{name: "empty", min: 1, max: 1, unknown: unkTop, fn: fnEmpty}, true
	case "length":
		return spec{name: "length", min: 1, max: 1, unknown: unkTop, fn: fnLength}, true
	case "first":
		return spec{name: "first", min: 1, max: 1, unknown: unkTop, fn: fnFirst}, true
	case "last":
		return spec{name: "last", min: 1, max: 1, unknown: unkTop, fn: fnLast}, true
	case "take":
		return spec{name: "take", min: 2, max: 2, unknown: unkTop, fn: fnTake}, true
	case "skip":
		return spec{name: "skip", min: 2, max: 2, unknown: unkTop, fn: fnSkip}, true
	case "createarray":
		return spec{name: "createArray", min: 0, max: -1, unknown: unkSelf, fn: fnCreateArray}, true
	case "createobject":
		return spec{name: "createObject", min: 0, max: -1, unknown: unkSelf, fn: fnCreateObject}, true
	case "union":
		return spec{name: "union", min: 1, max: -1, unknown: unkTop, fn: fnUnion}, true
	case "intersection":
		return spec{name: "intersection", min: 1, max: -1, unknown: unkDeep, fn: fnIntersection}, true
	case "range":
		return spec{name: "range", min: 2, max: 2, unknown: unkTop, fn: fnRange}, true
	case "min":
		return spec{name: "min", min: 1, max: -1, unknown: unkDeep, fn: minMax(-1)}, true
	case "max":
		return spec{name: "max", min: 1, max: -1, unknown: unkDeep, fn: minMax(1)}, true
	case "flatten":
		return spec{name: "flatten", min: 1, max: 1, unknown: unkTop, fn: fnFlatten}, true
	case "indexfromend":
		return spec{name: "indexFromEnd", min: 2, max: 2, unknown: unkTop, fn: fnIndexFromEnd(false)}, true
	case "tryindexfromend":
		return spec{name: "tryIndexFromEnd", min: 2, max: 2, unknown: unkTop, fn: fnIndexFromEnd(true)}, true
	case "items":
		return spec{name: "items", min: 1, max: 1, unknown: unkTop, fn: fnItems}, true
	case "objectkeys":
		return spec{name: "objectKeys", min: 1, max: 1, unknown: unkTop, fn: fnObjectKeys}, true
	case "tryget":
		return spec{name: "tryGet", min: 2, max: -1, unknown: unkSelf, fn: fnTryGet}, true
	case "shallowmerge":
		return spec{name: "shallowMerge", min: 1, max: 1, unknown: unkTop, fn: fnShallowMerge}, true

	// Numbers.
	case "add":
		return spec{name: "add", min: 2, max: 2, unknown: unkTop, fn: arith('+')}, true
	case "sub":
		return spec{name: "sub", min: 2, max: 2, unknown: unkTop, fn: arith('-')}, true
	case "mul":
		return spec{name: "mul", min: 2, max: 2, unknown: unkTop, fn: arith('*')}, true
	case "div":
		return spec{name: "div", min: 2, max: 2, unknown: unkTop, fn: arith('/')}, true
	case "mod":
		return spec{name: "mod", min: 2, max: 2, unknown: unkTop, fn: arith('%')}, true

	// Deployment scope.
	case "resourcegroup":
		return spec{name: "resourceGroup", min: 0, max: 0, fn: fnResourceGroup}, true
	case "subscription":
		return spec{name: "subscription", min: 0, max: 0, fn: fnSubscription}, true
	case "tenant":
		return spec{name: "tenant", min: 0, max: 0, fn: fnTenant}, true
	case "managementgroup":
		return spec{name: "managementGroup", min: 0, max: 1, unknown: unkTop, fn: fnManagementGroup}, true
	case "deployment":
		return spec{name: "deployment", min: 0, max: 0, fn: fnDeployment}, true
	case "environment":
		return spec{name: "environment", min: 0, max: 0, fn: fnEnvironment}, true
	case "deployer":
		return spec{name: "deployer", min: 0, max: 0, unknown: unkSelf, fn: runtimeFn("deployer", "the identity that deploys")}, true

	// Resources.
	case "resourceid":
		return spec{name: "resourceId", min: 2, max: -1, unknown: unkSelf, fn: fnResourceID}, true
	case "subscriptionresourceid":
		return spec{name: "subscriptionResourceId", min: 2, max: -1, unknown: unkSelf, fn: fnSubscriptionResourceID}, true
	case "tenantresourceid":
		return spec{name: "tenantResourceId", min: 2, max: -1, unknown: unkSelf, fn: fnTenantResourceID}, true
	case "extensionresourceid":
		return spec{name: "extensionResourceId", min: 3, max: -1, unknown: unkSelf, fn: fnExtensionResourceID}, true
	case "managementgroupresourceid":
		return spec{name: "managementGroupResourceId", min: 2, max: -1, unknown: unkSelf, fn: fnManagementGroupResourceID}, true
	case "reference":
		return spec{name: "reference", min: 1, max: 3, unknown: unkSelf, fn: fnReference}, true
	case "resourceinfo":
		return spec{name: "resourceInfo", min: 1, max: 1, unknown: unkTop, fn: fnResourceInfo}, true
	case "providers":
		return spec{name: "providers", min: 1, max: 2, unknown: unkSelf, fn: runtimeFn("providers", "resource provider data of the subscription")}, true
	case "pickzones":
		return spec{name: "pickZones", min: 3, max: 5, unknown: unkSelf, fn: runtimeFn("pickZones", "availability zones of the subscription")}, true
	}
	return spec{}, false
}

func constant(v Value) func(*callCtx, []Value) (Value, error) {
	return func(*callCtx, []Value) (Value, error) { return v, nil }
}

func runtimeFn(name, reason string) func(*callCtx, []Value) (Value, error) {
	return func(*callCtx, []Value) (Value, error) {
		return Unknown{Source: SourceRuntime, Reason: name + "(): " + reason, Attribute: name}, nil
	}
}

// Supported reports whether this package evaluates the built-in function
// name (case-insensitive), including every list* function. Names this
// reports false for evaluate to Unknown with SourceUnsupported.
func Supported(name string) bool {
	lname := strings.ToLower(name)
	if _, ok := lazyBuiltin(lname); ok {
		return true
	}
	if _, ok := builtin(lname); ok {
		return true
	}
	return strings.HasPrefix(lname, "list")
}
