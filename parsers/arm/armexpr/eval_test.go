package armexpr

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Expected values are the outputs documented in the Microsoft Learn pages
// template-functions-{string,array,object,comparison,logical,numeric,lambda,
// date,deployment,resource} unless noted.
var functionTests = []struct{ expr, want string }{
	// Literals and escaping.
	{`[true()]`, `true`},
	{`[false()]`, `false`},
	{`[null()]`, `null`},
	{`[true]`, `true`},
	{`[createArray(true, false, null)]`, `[true,false,null]`},
	{`['it''s']`, `"it's"`},
	{`[concat('a', '''', 'b')]`, `"a'b"`},
	{`[  concat ( 'a' , 'b' )  ]`, `"ab"`},
	{`[-5]`, `-5`},
	{`[add(-1, 2)]`, `1`},

	// Comparison and logic.
	{`[equals(1, 1)]`, `true`},
	{`[equals('a', 'A')]`, `false`},
	{`[equals(createArray('a', 'b'), createArray('a', 'b'))]`, `true`},
	{`[equals(createObject('a', 1), createObject('A', 1))]`, `true`},
	{`[equals(createObject('a', 1), createObject('a', 2))]`, `false`},
	{`[less(1, 10)]`, `true`},
	{`[less('A', 'a')]`, `true`},
	{`[lessOrEquals(10, 10)]`, `true`},
	{`[greater('a', 'A')]`, `true`},
	{`[greaterOrEquals(1, 10)]`, `false`},
	{`[less(1, 'a')]`, `error: offset 1: less: can compare only two numbers or two strings, not int and string`},
	{`[and(true(), false())]`, `false`},
	{`[or(true(), false())]`, `true`},
	{`[not(true())]`, `false`},
	{`[if(equals('a', 'a'), 'yes', 'no')]`, `"yes"`},
	{`[if(true(), 'ok', fail('not evaluated'))]`, `"ok"`},
	{`[if('x', 1, 2)]`, `error: offset 1: if: the condition must be a bool, not string`},
	{`[coalesce(null(), null(), 1)]`, `1`},
	{`[coalesce(null(), createObject('a', 'b'))]`, `{"a":"b"}`},
	{`[coalesce(null())]`, `null`},
	{`[fail('boom')]`, `error: offset 1: fail: boom`},

	// Conversion.
	{`[bool('true')]`, `true`},
	{`[bool(0)]`, `false`},
	{`[int('4')]`, `4`},
	{`[int('x')]`, `error: offset 1: int: cannot convert "x" to an integer`},
	{`[float('2.5')]`, `2.5`},
	{`[string(createObject('valueA', 10, 'valueB', 'Example Text'))]`, `"{\"valueA\":10,\"valueB\":\"Example Text\"}"`},
	{`[string(createArray('a', 'b', 'c'))]`, `"[\"a\",\"b\",\"c\"]"`},
	{`[string(5)]`, `"5"`},
	{`[string(true())]`, `"True"`},
	{`[json('null')]`, `null`},
	{`[empty(json('null'))]`, `true`},
	{`[json('{"a": "b"}')]`, `{"a":"b"}`},
	{`[json('"test"')]`, `"test"`},
	{`[json('true')]`, `true`},
	{`[json('3')]`, `3`},
	{`[json('[1,2,3 ]')]`, `[1,2,3]`},
	{`[json(concat('{"a": "', 'demo value', '"}'))]`, `{"a":"demo value"}`},
	{`[json('{')]`, `error: offset 1: json: invalid JSON: unexpected end`},
	{`[array('efgh')]`, `["efgh"]`},
	{`[array(1)]`, `[1]`},
	{`[array(createObject('a', 'b'))]`, `[{"a":"b"}]`},
	{`[array(createArray(1))]`, `[1]`},

	// Strings.
	{`[base64('one, two, three')]`, `"b25lLCB0d28sIHRocmVl"`},
	{`[base64ToString('b25lLCB0d28sIHRocmVl')]`, `"one, two, three"`},
	{`[base64ToJson(base64('{"one": "a", "two": "b"}'))]`, `{"one":"a","two":"b"}`},
	{`[base64ToString('%%')]`, `error: offset 1: base64ToString: invalid base64 value`},
	{`[concat('prefix', '-', 'suffix')]`, `"prefix-suffix"`},
	{`[concat('a', 1, true())]`, `"a1True"`},
	{`[concat(createArray('1-1', '1-2', '1-3'), createArray('2-1', '2-2', '2-3'))]`, `["1-1","1-2","1-3","2-1","2-2","2-3"]`},
	{`[concat(createArray(1), 'a')]`, `error: offset 1: concat: cannot mix arrays and strings`},
	{`[contains('OneTwoThree', 'e')]`, `true`},
	{`[contains('OneTwoThree', 'z')]`, `false`},
	{`[contains('OneTwoThree', 'two')]`, `false`},
	{`[contains(createObject('one', 'a', 'two', 'b'), 'ONE')]`, `true`},
	{`[contains(createObject('one', 'a'), 'a')]`, `false`},
	{`[contains(createArray('one', 'two', 'three'), 'three')]`, `true`},
	{`[contains(createArray('one', 'two', 'three'), 'four')]`, `false`},
	{`[contains(createArray(1, 2), 2)]`, `true`},
	{`[dataUri('Hello')]`, `"data:text/plain;charset=utf8;base64,SGVsbG8="`},
	{`[dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')]`, `"Hello, World!"`},
	{`[empty(createArray())]`, `true`},
	{`[empty(createObject())]`, `true`},
	{`[empty('')]`, `true`},
	{`[empty('a')]`, `false`},
	{`[startsWith('abcdef', 'ab')]`, `true`},
	{`[startsWith('abcdef', 'A')]`, `true`},
	{`[startsWith('abcdef', 'e')]`, `false`},
	{`[endsWith('abcdef', 'ef')]`, `true`},
	{`[endsWith('abcdef', 'F')]`, `true`},
	{`[endsWith('abcdef', 'e')]`, `false`},
	{`[first(createArray('one', 'two', 'three'))]`, `"one"`},
	{`[first('One Two Three')]`, `"O"`},
	{`[first(createArray())]`, `null`},
	{`[last(createArray('one', 'two', 'three'))]`, `"three"`},
	{`[last('One Two Three')]`, `"e"`},
	{`[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]`, `"Hello, User. Formatted number: 8,175,133"`},
	{`[format('{0:D3}-{1:X}-{2:x4}-{3:000}-{4,5}|{5,-3}|', 7, 255, 255, 5, 'ab', 'c')]`, `"007-FF-00ff-005-   ab|c  |"`},
	{`[format('{{literal}} {0}', 'x')]`, `"{literal} x"`},
	{`[format('{0:N2}', 1234)]`, `"1,234.00"`},
	{`[format('{1}', 'a')]`, `error: offset 1: format: format item {1} refers to a missing argument (there are 1)`},
	{`[format('{0} is {1}', 'flag', true())]`, `"flag is True"`},
	{`[indexOf('test', 't')]`, `0`},
	{`[lastIndexOf('test', 't')]`, `3`},
	{`[indexOf('abcdef', 'CD')]`, `2`},
	{`[lastIndexOf('abcdef', 'AB')]`, `0`},
	{`[indexOf('abcdef', 'z')]`, `-1`},
	{`[indexOf(createArray('a', 'b', 'a'), 'a')]`, `0`},
	{`[lastIndexOf(createArray('a', 'b', 'a'), 'a')]`, `2`},
	{`[length(createArray('one', 'two', 'three'))]`, `3`},
	{`[length('One Two Three')]`, `13`},
	{`[length(createObject('propA', 'one', 'propB', 'two', 'propC', 'three', 'propD', createObject('a', 1)))]`, `4`},
	{`[length('é€😀')]`, `4`},
	{`[padLeft('123', 10, '0')]`, `"0000000123"`},
	{`[padLeft(7, 3)]`, `"  7"`},
	{`[replace('123-123-1234', '-', '')]`, `"1231231234"`},
	{`[replace('123-123-1234', '1234', 'xxxx')]`, `"123-123-xxxx"`},
	{`[skip(createArray('one', 'two', 'three'), 2)]`, `["three"]`},
	{`[skip('one two three', 4)]`, `"two three"`},
	{`[skip('abc', 10)]`, `""`},
	{`[split('one,two,three', ',')]`, `["one","two","three"]`},
	{`[split('one;two,three', createArray(',', ';'))]`, `["one","two","three"]`},
	{`[split('a,,b', ',')]`, `["a","","b"]`},
	{`[join(createArray('a', 'b', 'c'), '-')]`, `"a-b-c"`},
	{`[substring('one two three', 4, 3)]`, `"two"`},
	{`[substring('abc', 1)]`, `"bc"`},
	{`[substring('1234567890', 0, 11)]`, `error: offset 1: substring: the index and length parameters must refer to a location within the string: index 0, length 11, string length 10`},
	{`[take(createArray('one', 'two', 'three'), 2)]`, `["one","two"]`},
	{`[take('one two three', 2)]`, `"on"`},
	{`[take('abc', -1)]`, `""`},
	{`[toLower('One Two Three')]`, `"one two three"`},
	{`[toUpper('One Two Three')]`, `"ONE TWO THREE"`},
	{`[trim('    one two three   ')]`, `"one two three"`},
	{`[uri('http://contoso.com/resources/azuredeploy.json', 'nested/azuredeploy.json')]`, `"http://contoso.com/resources/nested/azuredeploy.json"`},
	{`[uri('http://contoso.org/firstpath', 'myscript.sh')]`, `"http://contoso.org/myscript.sh"`},
	{`[uri('http://contoso.org/firstpath/', 'myscript.sh')]`, `"http://contoso.org/firstpath/myscript.sh"`},
	{`[uri('http://contoso.org/firstpath/azuredeploy.json', 'myscript.sh')]`, `"http://contoso.org/firstpath/myscript.sh"`},
	{`[uri('http://contoso.org/firstpath/azuredeploy.json/', 'myscript.sh')]`, `"http://contoso.org/firstpath/azuredeploy.json/myscript.sh"`},
	{`[uriComponent('http://contoso.com/resources/nested/azuredeploy.json')]`, `"http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json"`},
	{`[uriComponentToString('http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json')]`, `"http://contoso.com/resources/nested/azuredeploy.json"`},
	{`[dateTimeFromEpoch(1683040573)]`, `"2023-05-02T15:16:13Z"`},
	{`[dateTimeToEpoch('2023-05-02T15:16:13Z')]`, `1683040573`},

	// Arrays and objects.
	{`[createArray(1, 'a', createObject('k', 'v'))]`, `[1,"a",{"k":"v"}]`},
	{`[createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true(), 'arrayProp', createArray('a', 'b', 'c'), 'objectProp', createObject('key1', 'value1'))]`, `{"intProp":1,"stringProp":"abc","boolProp":true,"arrayProp":["a","b","c"],"objectProp":{"key1":"value1"}}`},
	{`[createObject('a')]`, `error: offset 1: createObject: expects an even number of arguments (key, value, …), got 1`},
	{`[union(createObject('one', 'a', 'two', 'b', 'three', 'c1'), createObject('three', 'c2', 'four', 'd', 'five', 'e'))]`, `{"one":"a","two":"b","three":"c2","four":"d","five":"e"}`},
	{`[union(createArray('one', 'two', 'three'), createArray('three', 'four'))]`, `["one","two","three","four"]`},
	{`[union(json('{"property":{"one":"a","two":"b","three":"c1"},"nestedArray":[1,2]}'), json('{"property":{"three":"c2","four":"d","five":"e"},"nestedArray":[3,4]}'))]`, `{"property":{"one":"a","two":"b","three":"c2","four":"d","five":"e"},"nestedArray":[3,4]}`},
	{`[union(json('[["one","two"],["three"]]'), json('[["three"],["four","two"]]'))]`, `[["one","two"],["three"],["four","two"]]`},
	{`[union(createObject('a', 1), null())]`, `{"a":1}`},
	{`[intersection(createObject('one', 'a', 'two', 'b', 'three', 'c'), createObject('one', 'a', 'two', 'z', 'three', 'c'))]`, `{"one":"a","three":"c"}`},
	{`[intersection(createArray('one', 'two', 'three'), createArray('two', 'three'))]`, `["two","three"]`},
	{`[items(json('{"item002":{"enabled":false,"displayName":"Example item 2","number":200},"item001":{"enabled":true,"displayName":"Example item 1","number":300}}'))]`,
		`[{"key":"item001","value":{"enabled":true,"displayName":"Example item 1","number":300}},{"key":"item002","value":{"enabled":false,"displayName":"Example item 2","number":200}}]`},
	{`[objectKeys(createObject('b', 1, 'a', 2))]`, `["a","b"]`},
	{`[range(1, 3)]`, `[1,2,3]`},
	{`[range(5, 3)]`, `[5,6,7]`},
	{`[range(0, 0)]`, `[]`},
	{`[range(0, 10001)]`, `error: offset 1: range: count 10001 must be between 0 and 10000`},
	{`[min(createArray(0, 3, 2, 5, 4))]`, `0`},
	{`[min(0, 3, 2, 5, 4)]`, `0`},
	{`[max(createArray(0, 3, 2, 5, 4))]`, `5`},
	{`[max(0, 3, 2, 5, 4)]`, `5`},
	{`[flatten(createArray(createArray('one', 'two'), createArray('three'), createArray('four', 'five')))]`, `["one","two","three","four","five"]`},
	{`[indexFromEnd(createArray('a', 'b', 'c', 'd'), 2)]`, `"c"`},
	{`[tryIndexFromEnd(createArray('a'), 2)]`, `null`},
	{`[tryGet(createObject('a', createObject('b', 1)), 'a', 'b')]`, `1`},
	{`[tryGet(createObject('a', 1), 'missing')]`, `null`},
	{`[tryGet(createArray(1, 2), 1)]`, `2`},
	{`[tryGet(createArray(1, 2), 5)]`, `null`},
	{`[tryGet(null(), 'a')]`, `null`},
	{`[shallowMerge(json('[{"one":"a"},{"two":"b"},{"two":"c"}]'))]`, `{"one":"a","two":"c"}`},
	{`[shallowMerge(json('[{"one":"a","nested":{"a":1,"nested":{"c":3}}},{"two":"b","nested":{"b":2}}]'))]`, `{"one":"a","nested":{"b":2},"two":"b"}`},

	// Numbers.
	{`[add(5, 3)]`, `8`},
	{`[sub(7, 3)]`, `4`},
	{`[mul(5, 3)]`, `15`},
	{`[div(8, 3)]`, `2`},
	{`[mod(7, 3)]`, `1`},
	{`[div(1, 0)]`, `error: offset 1: div: division by zero`},
	{`[add(9223372036854775807, 1)]`, `error: offset 1: add: integer overflow`},

	// Lambdas (template-functions-lambda examples).
	{`[filter(variables('dogs'), lambda('dog', greaterOrEquals(lambdaVariables('dog').age, 5)))]`,
		`[{"name":"Evie","age":5,"interests":["Ball","Frisbee"]},{"name":"Kira","age":8,"interests":["Rubs"]}]`},
	{`[filter(range(0, 10), lambda('i', equals(0, mod(lambdaVariables('i'), 2))))]`, `[0,2,4,6,8]`},
	{`[map(variables('dogs'), lambda('dog', lambdaVariables('dog').name))]`, `["Evie","Casper","Indy","Kira"]`},
	{`[map(variables('dogs'), lambda('dog', format('Hello {0}!', lambdaVariables('dog').name)))]`, `["Hello Evie!","Hello Casper!","Hello Indy!","Hello Kira!"]`},
	{`[map(range(0, length(variables('dogs'))), lambda('i', createObject('i', lambdaVariables('i'), 'dog', variables('dogs')[lambdaVariables('i')].name, 'greeting', format('Ahoy, {0}!', variables('dogs')[lambdaVariables('i')].name))))]`,
		`[{"i":0,"dog":"Evie","greeting":"Ahoy, Evie!"},{"i":1,"dog":"Casper","greeting":"Ahoy, Casper!"},{"i":2,"dog":"Indy","greeting":"Ahoy, Indy!"},{"i":3,"dog":"Kira","greeting":"Ahoy, Kira!"}]`},
	{`[map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))]`, `["a0","b1"]`},
	{`[reduce(map(variables('dogs'), lambda('dog', lambdaVariables('dog').age)), 0, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]`, `18`},
	{`[reduce(map(variables('dogs'), lambda('dog', lambdaVariables('dog').age)), 1, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))]`, `19`},
	{`[reduce(createArray(createObject('foo', 123), createObject('bar', 456), createObject('baz', 789)), createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))]`, `{"foo":123,"bar":456,"baz":789}`},
	{`[map(sort(variables('dogs'), lambda('a', 'b', less(lambdaVariables('a').age, lambdaVariables('b').age))), lambda('d', lambdaVariables('d').name))]`, `["Indy","Casper","Evie","Kira"]`},
	{`[objectKeys(toObject(variables('dogs'), lambda('entry', lambdaVariables('entry').name)))]`, `["Casper","Evie","Indy","Kira"]`},
	{`[toObject(take(variables('dogs'), 1), lambda('entry', lambdaVariables('entry').name), lambda('entry', lambdaVariables('entry').age))]`, `{"Evie":5}`},
	{`[groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))]`, `{"f":["foo"],"b":["bar","baz"]}`},
	{`[mapValues(createObject('a', 1, 'b', 2), lambda('v', mul(lambdaVariables('v'), 10)))]`, `{"a":10,"b":20}`},
	{`[map(createArray(1), lambda('x', map(createArray(10), lambda('y', add(lambdaVariables('x'), lambdaVariables('y'))))))]`, `[[11]]`},
	{`[lambda('x', 1)]`, `error: offset 1: lambda: a lambda can only be an argument of filter, map, reduce, sort, toObject, groupBy or mapValues`},
	{`[map(createArray(1), 'notALambda')]`, `error: offset 1: map: argument 2 must be a lambda(...)`},
	{`[lambdaVariables('x')]`, `error: offset 1: lambdaVariables: no lambda variable "x" in scope`},

	// Property access and indexing.
	{`[createObject('A', 1).a]`, `1`},
	{`[createObject('a', 1)['A']]`, `1`},
	{`[createArray(1, 2, 3)[1]]`, `2`},
	{`[parameters('obj').B.c]`, `"x"`},
	{`[parameters('obj')['list'][0]]`, `1`},
	{`[parameters('obj').missing]`, `error: offset 18: the object has no property "missing" (it has a, B, list)`},
	{`[parameters('obj').?missing]`, `null`},
	{`[parameters('obj').?missing.deeper]`, `error: offset 27: cannot access property "deeper" of a null value`},
	{`[parameters('obj')?['missing']]`, `null`},
	{`[parameters('obj')[?'missing']]`, `null`},
	{`[parameters('arr')[3]]`, `error: offset 18: index 3 is outside the array of length 3`},
	{`[parameters('arr')[?3]]`, `null`},
	{`[parameters('arr')['x']]`, `error: offset 18: an array index must be an integer, not string`},
	{`[null().x]`, `error: offset 7: cannot access property "x" of a null value`},
	{`['abc'.x]`, `error: offset 6: cannot access property "x" of a string`},

	// Parameters, variables, copyIndex.
	{`[parameters('name')]`, `"app"`},
	{`[parameters('NAME')]`, `"app"`},
	{`[parameters('missing')]`, `error: offset 1: parameters: parameter "missing" is not declared: not found`},
	{`[variables('prefix')]`, `"pre-app"`},
	{`[variables('nested')]`, `{"id":"pre-app","list":[3,2]}`},
	{`[variables('missing')]`, `error: offset 1: variables: variable "missing" is not declared: not found`},
	{`[copyIndex()]`, `2`},
	{`[copyIndex(1)]`, `3`},
	{`[copyIndex('outer')]`, `5`},
	{`[copyIndex('outer', 10)]`, `15`},
	{`[copyIndex('nope')]`, `error: offset 1: copyIndex: no copy loop named "nope" is being evaluated`},

	// User-defined functions.
	{`[contoso.uniqueName('Storage')]`, `"storagetlyqfo54bvh7a"`},
	{`[contoso.pair('x', 1)]`, `{"first":"x","second":2,"up":"X"}`},
	{`[contoso.pair('x')]`, `error: offset 1: contoso.pair: expects 2 arguments, got 1`},
	{`[contoso.missing()]`, `error: offset 1: user-defined function contoso.missing is not declared`},

	// Deployment scope.
	{`[resourceGroup().id]`, `"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/resourceGroup"`},
	{`[resourceGroup().name]`, `"resourceGroup"`},
	{`[resourceGroup().location]`, `"resourceGroupLocation"`},
	{`[subscription().subscriptionId]`, `"00000000-0000-0000-0000-000000000000"`},
	{`[subscription().id]`, `"/subscriptions/00000000-0000-0000-0000-000000000000"`},
	{`[tenant().tenantId]`, `"00000000-0000-0000-0000-000000000000"`},
	{`[managementGroup().id]`, `"/providers/Microsoft.Management/managementGroups/managementGroup"`},
	{`[managementGroup('mg1').name]`, `"mg1"`},
	{`[deployment().name]`, `"deployment"`},
	{`[deployment().properties.templateLink.uri]`, `unknown(runtime)`},
	{`[environment().suffixes.storage]`, `"core.windows.net"`},
	{`[environment().name]`, `"AzureCloud"`},
	{`[utcNow()]`, `unknown(runtime)`},
	{`[newGuid()]`, `unknown(runtime)`},
	{`[dateTimeAdd(utcNow(), 'P1D')]`, `unknown(runtime)`},
	{`[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]`, `unknown(runtime)`},
	{`[providers('Microsoft.Web', 'sites')]`, `unknown(runtime)`},
	{`[deployer().objectId]`, `unknown(runtime)`},
}

func TestFunctions(t *testing.T) {
	for _, tt := range functionTests {
		ev, _ := newTestEvaluator(Options{})
		if got := evalJSONText(t, ev, tt.expr); got != tt.want {
			t.Errorf("%s\n got %s\nwant %s", tt.expr, got, tt.want)
		}
	}
}

func TestEveryBuiltinIsTested(t *testing.T) {
	// Each function name of the spec tables appears in some test.
	all := strings.Builder{}
	for _, tt := range functionTests {
		all.WriteString(strings.ToLower(tt.expr))
	}
	for _, extra := range []string{"resourceid(", "subscriptionresourceid(", "tenantresourceid(", "extensionresourceid(", "managementgroupresourceid(", "reference(", "resourceinfo(", "listkeys(", "guid(", "uniquestring("} {
		all.WriteString(extra)
	}
	text := all.String()
	for _, name := range builtinNames() {
		if !strings.Contains(text, strings.ToLower(name)+"(") {
			t.Errorf("no test calls %s()", name)
		}
	}
}

// builtinNames lists the canonical names of all built-ins.
func builtinNames() []string {
	var names []string
	for _, n := range []string{
		"if", "and", "or", "coalesce", "lambda", "filter", "map", "reduce", "sort", "toObject", "groupBy", "mapValues",
		"parameters", "variables", "lambdaVariables", "copyIndex", "true", "false", "null", "equals", "not", "less",
		"lessOrEquals", "greater", "greaterOrEquals", "fail", "bool", "int", "float", "string", "json", "array",
		"concat", "format", "toLower", "toUpper", "trim", "split", "join", "replace", "substring", "indexOf",
		"lastIndexOf", "startsWith", "endsWith", "padLeft", "base64", "base64ToString", "base64ToJson", "dataUri",
		"dataUriToString", "uri", "uriComponent", "uriComponentToString", "guid", "uniqueString", "newGuid",
		"utcNow", "dateTimeAdd", "dateTimeFromEpoch", "dateTimeToEpoch", "contains", "empty", "length", "first",
		"last", "take", "skip", "createArray", "createObject", "union", "intersection", "range", "min", "max",
		"flatten", "indexFromEnd", "tryIndexFromEnd", "items", "objectKeys", "tryGet", "shallowMerge", "add",
		"sub", "mul", "div", "mod", "resourceGroup", "subscription", "tenant", "managementGroup", "deployment",
		"environment", "deployer", "resourceId", "subscriptionResourceId", "tenantResourceId",
		"extensionResourceId", "managementGroupResourceId", "reference", "resourceInfo", "providers", "pickZones",
	} {
		if !Supported(n) {
			panic(n + " is not supported")
		}
		names = append(names, n)
	}
	return names
}

func TestEscapes(t *testing.T) {
	ev, _ := newTestEvaluator(Options{})
	tests := []struct {
		in   string
		want Value
	}{
		{"plain", "plain"},
		{"", ""},
		{"[", "["},
		{"]", "]"},
		{"[[notAnExpression]", "[notAnExpression]"},
		{"[[", "[["},
		{"[[x", "[[x"},
		{" [concat('a')]", " [concat('a')]"},
		{"[concat('a', 'b')]", "ab"},
		{"['[[x]']", "[[x]"},
	}
	for _, tt := range tests {
		got, err := ev.EvalString(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%q = %#v, want %#v", tt.in, got, tt.want)
		}
	}
	for _, s := range []string{"[x]", "[]", "[ ]"} {
		if _, err := ev.EvalString(s); err == nil {
			t.Errorf("%q: want an error", s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"[]", 1, "empty expression"},
		{"[concat('a']", 7, "unclosed '('"},
		{"[concat('a', ]", 13, "expected a value"},
		{"[concat('a' 'b')]", 12, "expected ',' or ')'"},
		{"['abc]", 1, "unterminated string literal"},
		{"[foo]", 1, `"foo" is not a function call`},
		{"[concat()) ]", 9, "unexpected"},
		{"[concat('a').]", 13, "expected a property name"},
		{"[a.b]", 1, `"a" is not a function call`},
		{"[createArray(1)[0]", 15, "unclosed '['"},
		{"[99999999999999999999]", 1, "out of range"},
		{"[#]", 1, "expected a function call or literal"},
		{"plain", 0, "not an expression"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%q: got %v, want an *Error", tt.in, err)
			continue
		}
		if e.Offset != tt.offset || !strings.Contains(e.Msg, tt.msg) {
			t.Errorf("%q: got offset %d %q, want offset %d containing %q", tt.in, e.Offset, e.Msg, tt.offset, tt.msg)
		}
	}
}

func TestParseTree(t *testing.T) {
	n, err := Parse("[ns.fn(parameters('a').b['c'][0], 'x')]")
	if err != nil {
		t.Fatal(err)
	}
	c, ok := n.(*Call)
	if !ok || c.Namespace != "ns" || c.Name != "fn" || len(c.Args) != 2 || c.Offset != 1 {
		t.Fatalf("got %#v", n)
	}
	var kinds []string
	Inspect(n, func(n Node) bool {
		switch t := n.(type) {
		case *Call:
			kinds = append(kinds, "call "+t.Name)
		case *Access:
			if t.Index != nil {
				kinds = append(kinds, "index")
			} else {
				kinds = append(kinds, "."+t.Property)
			}
		case *Literal:
			kinds = append(kinds, "lit")
		}
		return true
	})
	want := []string{"call fn", "index", "index", ".b", "call parameters", "lit", "lit", "lit", "lit"}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("Inspect order (-want +got):\n%s", diff)
	}
}

var moreFunctionTests = []struct{ expr, want string }{
	{`[not()]`, `error: offset 1: not: expects 1 argument, got 0`},
	{`[true(1)]`, `error: offset 1: true: takes no arguments, got 1`},
	{`[substring()]`, `error: offset 1: substring: expects at least 1 argument, got 0`},
	{`[padLeft('a', 1, ' ', 'x')]`, `error: offset 1: padLeft: expects at most 3 arguments, got 4`},
	{`[format('{0:F1}|{0:N1}|{1:F3}|{1:N0}', 1234.56, 2)]`, `"1234.6|1,234.6|2.000|2"`},
	{`[format('{0:D}', -5)]`, `"-5"`},
	{`[format('{0}', createObject('a', createArray(1)))]`, `"{\"a\":[1]}"`},
	{`[float(3)]`, `3`},
	{`[int(2.9)]`, `2`},
	{`[bool('FALSE')]`, `false`},
	{`[bool(createArray())]`, `error: offset 1: bool: cannot convert array to a bool`},
	{`[add(1.0, 2)]`, `3`},
	{`[add(1.5, 2)]`, `error: offset 1: add: argument 1 must be an integer, not float`},
	{`[createArray(1, 2)[1.0]]`, `2`},
	{`[ListKeys('st', '1')]`, `unknown(runtime)`},
	{`[flatten(createArray(1))]`, `error: offset 1: flatten: element 0 is int, not an array`},
	{`[indexFromEnd(createArray('a'), 2)]`, `error: offset 1: indexFromEnd: reverse index 2 is outside the array of length 1`},
	{`[uriComponentToString('%zz%41')]`, `"%zzA"`},
	{`[string('a"\b')]`, `"a\"\\b"`},
	{`[string(createArray('<&>', 1.5))]`, `"[\"<&>\",1.5]"`},
}

func TestMoreFunctions(t *testing.T) {
	for _, tt := range moreFunctionTests {
		ev, _ := newTestEvaluator(Options{})
		if got := evalJSONText(t, ev, tt.expr); got != tt.want {
			t.Errorf("%s\n got %s\nwant %s", tt.expr, got, tt.want)
		}
	}
}

func TestEvalParsed(t *testing.T) {
	n, err := Parse("[concat(parameters('name'), '-x')]")
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := newTestEvaluator(Options{})
	if v, err := ev.Eval(n); err != nil || v != "app-x" {
		t.Errorf("Eval = %v, %v", v, err)
	}
	if _, err := ev.Eval(nil); err == nil {
		t.Error("Eval(nil) without an error")
	}
	// NopContext declares nothing.
	nop := NewEvaluator(NopContext{}, Options{})
	for _, s := range []string{"[parameters('a')]", "[variables('a')]", "[ns.f()]", "[copyIndex()]"} {
		if _, err := nop.EvalString(s); err == nil {
			t.Errorf("%s: no error with NopContext", s)
		}
	}
	if got := evalJSONText(t, nop, "[reference('x').y]"); got != "unknown(runtime)" {
		t.Errorf("reference with NopContext: %s", got)
	}
	if !Equal(mustJSON(`{"a":[1,{"b":null}]}`), mustJSON(`{"A":[1.0,{"B":null}]}`)) || Equal("a", "A") || Equal(int64(1), "1") {
		t.Error("Equal")
	}
}
