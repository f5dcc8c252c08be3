package terraform

import (
	"crypto/md5"  //nolint:gosec // Terraform's md5(), not used for security
	"crypto/sha1" //nolint:gosec // Terraform's sha1(), not used for security
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions returns the loader's function table: the Terraform built-ins
// that can be evaluated without the outside world, made once and only
// read (trees wrap the ones they use, see tree.useFuncs). Functions that
// read files, the clock or randomness return unknown values. Names
// missing here are stubbed on first use (see stubUnknownFunctions).
func (l *Loader) functions() map[string]function.Function {
	l.funcsOnce.Do(func() { l.funcs = builtinFunctions() })
	return l.funcs
}

// builtinFunctions makes the function table (see Loader.functions).
func builtinFunctions() map[string]function.Function {
	fns := map[string]function.Function{
		// numeric
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,
		// string
		"chomp":       stdlib.ChompFunc,
		"endswith":    stringPredicateFunc(strings.HasSuffix),
		"format":      stdlib.FormatFunc,
		"formatlist":  stdlib.FormatListFunc,
		"indent":      stdlib.IndentFunc,
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     replaceFunc(),
		"split":       stdlib.SplitFunc,
		"startswith":  stringPredicateFunc(strings.HasPrefix),
		"strcontains": stringPredicateFunc(strings.Contains),
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,
		// collections
		"alltrue":                boolReduceFunc(true),
		"anytrue":                boolReduceFunc(false),
		"chunklist":              stdlib.ChunklistFunc,
		"coalesce":               coalesceFunc(),
		"coalescelist":           stdlib.CoalesceListFunc,
		"compact":                stdlib.CompactFunc,
		"concat":                 stdlib.ConcatFunc,
		"contains":               stdlib.ContainsFunc,
		"distinct":               stdlib.DistinctFunc,
		"element":                stdlib.ElementFunc,
		"flatten":                stdlib.FlattenFunc,
		"index":                  indexFunc(),
		"keys":                   stdlib.KeysFunc,
		"length":                 lengthFunc(),
		"lookup":                 lookupFunc(),
		"merge":                  stdlib.MergeFunc,
		"one":                    oneFunc(),
		"range":                  stdlib.RangeFunc,
		"reverse":                stdlib.ReverseListFunc,
		"setintersection":        stdlib.SetIntersectionFunc,
		"setproduct":             stdlib.SetProductFunc,
		"setsubtract":            stdlib.SetSubtractFunc,
		"setunion":               stdlib.SetUnionFunc,
		"setsymmetricdifference": stdlib.SetSymmetricDifferenceFunc,
		"slice":                  stdlib.SliceFunc,
		"sort":                   stdlib.SortFunc,
		"sum":                    sumFunc(),
		"values":                 stdlib.ValuesFunc,
		"zipmap":                 stdlib.ZipmapFunc,
		// encoding
		"base64decode": base64DecodeFunc(),
		"base64encode": stringFunc(func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }),
		"csvdecode":    stdlib.CSVDecodeFunc,
		"jsondecode":   stdlib.JSONDecodeFunc,
		"jsonencode":   stdlib.JSONEncodeFunc,
		"urlencode":    stringFunc(url.QueryEscape),
		// hashing
		"md5":          hashFunc(md5.New, hex.EncodeToString),
		"sha1":         hashFunc(sha1.New, hex.EncodeToString),
		"sha256":       hashFunc(sha256.New, hex.EncodeToString),
		"sha512":       hashFunc(sha512.New, hex.EncodeToString),
		"base64sha256": hashFunc(sha256.New, base64.StdEncoding.EncodeToString),
		"base64sha512": hashFunc(sha512.New, base64.StdEncoding.EncodeToString),
		// date and time (pure)
		"formatdate": stdlib.FormatDateFunc,
		"timeadd":    stdlib.TimeAddFunc,
		// paths (pure string manipulation)
		"basename": stringFunc(filepath.Base),
		"dirname":  stringFunc(filepath.Dir),
		// type conversion
		"tobool":   stdlib.MakeToFunc(cty.Bool),
		"tolist":   stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":    stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber": stdlib.MakeToFunc(cty.Number),
		"toset":    stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring": stdlib.MakeToFunc(cty.String),
		"try":      tryFunc(),
		"can":      tryfunc.CanFunc,
		// sensitivity
		"sensitive":    sensitiveFunc(),
		"nonsensitive": nonsensitiveFunc(),
		"issensitive":  isSensitiveFunc(),
	}
	// Functions that need the outside world: their result is unknown.
	for _, name := range []string{
		"file", "filebase64", "fileexists", "fileset", "filemd5", "filesha1",
		"filesha256", "filesha512", "filebase64sha256", "filebase64sha512",
		"templatefile", "timestamp", "plantimestamp", "uuid", "bcrypt",
		"abspath", "pathexpand", "rsadecrypt", "ephemeralasnull",
	} {
		fns[name] = unknownResultFunc(name)
	}
	return fns
}

// unknownResultFunc accepts any arguments and returns an unknown value that
// keeps the arguments' marks (a templatefile() fed a sensitive variable
// stays sensitive) and records the function's name.
func unknownResultFunc(name string) function.Function {
	return function.New(&function.Spec{
		Description: name + " is not evaluated by azfuncscan",
		VarParam: &function.Parameter{
			Name: "args", Type: cty.DynamicPseudoType,
			AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true,
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			marks := make([]cty.ValueMarks, 0, len(args))
			for _, a := range args {
				_, m := a.UnmarkDeep()
				marks = append(marks, m)
			}
			return cty.DynamicVal.WithMarks(marks...).Mark(funcMark{Name: name}), nil
		},
	})
}

// tryFunc is Terraform's try, except that an argument that evaluates
// without error to an unknown value is returned with its marks (tryfunc
// returns a bare unknown), so a reference inside try() is still known to
// come from another resource.
func tryFunc() function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "expressions", Type: customdecode.ExpressionClosureType},
		Type: func(args []cty.Value) (cty.Type, error) {
			v, err := tryEval(args)
			if err != nil {
				return cty.NilType, err
			}
			return v.Type(), nil
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) { return tryEval(args) },
	})
}

func tryEval(args []cty.Value) (cty.Value, error) {
	if len(args) == 0 {
		return cty.NilVal, errors.New("at least one argument is required")
	}
	for _, arg := range args {
		v, diags := customdecode.ExpressionClosureFromVal(arg).Value()
		if diags.HasErrors() {
			continue
		}
		if !v.IsWhollyKnown() {
			// As tryfunc: the result's type is not certain yet.
			_, marks := v.UnmarkDeep()
			return cty.DynamicVal.WithMarks(marks), nil
		}
		return v, nil
	}
	return cty.NilVal, errors.New("no expression succeeded")
}

// stringFunc wraps a pure string→string function.
func stringFunc(fn func(string) string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(fn(args[0].AsString())), nil
		},
	})
}

// stringPredicateFunc wraps startswith, endswith and strcontains.
func stringPredicateFunc(fn func(s, sub string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "sub", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(fn(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

func hashFunc(newHash func() hash.Hash, encode func([]byte) string) function.Function {
	return stringFunc(func(s string) string {
		h := newHash()
		h.Write([]byte(s))
		return encode(h.Sum(nil))
	})
}

func base64DecodeFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := base64.StdEncoding.DecodeString(args[0].AsString())
			if err != nil {
				return cty.NilVal, fmt.Errorf("failed to decode base64 data: %w", err)
			}
			if !utf8.Valid(b) {
				return cty.NilVal, errors.New("the result of decoding the provided string is not valid UTF-8")
			}
			return cty.StringVal(string(b)), nil
		},
	})
}

// replaceFunc is Terraform's replace: a substring wrapped in slashes is a
// regular expression.
func replaceFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "str", Type: cty.String},
			{Name: "substr", Type: cty.String},
			{Name: "replace", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			str, sub, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
			if len(sub) > 1 && strings.HasPrefix(sub, "/") && strings.HasSuffix(sub, "/") {
				re, err := regexp.Compile(sub[1 : len(sub)-1])
				if err != nil {
					return cty.NilVal, fmt.Errorf("invalid regular expression: %w", err)
				}
				return cty.StringVal(re.ReplaceAllString(str, repl)), nil
			}
			return cty.StringVal(strings.ReplaceAll(str, sub, repl)), nil
		},
	})
}

// lengthFunc is Terraform's length: strings count characters.
func lengthFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
		Type: func(args []cty.Value) (cty.Type, error) {
			ty := args[0].Type()
			if ty == cty.String || ty == cty.DynamicPseudoType || ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType() {
				return cty.Number, nil
			}
			return cty.NilType, errors.New("argument must be a string, a collection type, or a structural type")
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v := args[0]
			if !v.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			switch {
			case v.Type() == cty.String:
				return stdlib.Strlen(v)
			case v.Type().IsObjectType() && !v.IsNull():
				// An object (a for expression's {k => v}): its
				// attributes, as Terraform counts them.
				return cty.NumberIntVal(int64(len(v.Type().AttributeTypes()))), nil
			}
			return stdlib.Length(v)
		},
	})
}

// lookupFunc is Terraform's lookup with an optional default.
func lookupFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "inputMap", Type: cty.DynamicPseudoType},
			{Name: "key", Type: cty.String},
		},
		VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
		Type: func(args []cty.Value) (cty.Type, error) {
			if len(args) > 3 {
				return cty.NilType, errors.New("lookup takes at most three arguments")
			}
			return cty.DynamicPseudoType, nil
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			m, key := args[0], args[1].AsString()
			ty := m.Type()
			switch {
			case ty.IsObjectType():
				if ty.HasAttribute(key) {
					return m.GetAttr(key), nil
				}
			case ty.IsMapType():
				k := cty.StringVal(key)
				if m.HasIndex(k).True() {
					return m.Index(k), nil
				}
			default:
				return cty.NilVal, errors.New("lookup() requires a map as the first argument")
			}
			if len(args) == 3 {
				return args[2], nil
			}
			return cty.NilVal, fmt.Errorf("lookup failed to find key %q", key)
		},
	})
}

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor an empty string.
func coalesceFunc() function.Function {
	return function.New(&function.Spec{
		VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true},
		Type:     function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			for _, v := range args {
				if !v.IsKnown() {
					return cty.DynamicVal, nil
				}
				if v.IsNull() || (v.Type() == cty.String && v.AsString() == "") {
					continue
				}
				return v, nil
			}
			return cty.NilVal, errors.New("no non-null, non-empty-string arguments")
		},
	})
}

// indexFunc is Terraform's index(list, value): the position of value.
func indexFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "list", Type: cty.DynamicPseudoType},
			{Name: "value", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.Number),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			list := args[0]
			if !list.Type().IsListType() && !list.Type().IsTupleType() {
				return cty.NilVal, errors.New("argument must be a list or tuple")
			}
			i := 0
			for it := list.ElementIterator(); it.Next(); i++ {
				_, el := it.Element()
				eq := el.Equals(args[1])
				if !eq.IsKnown() {
					return cty.UnknownVal(cty.Number), nil
				}
				if eq.True() {
					return cty.NumberIntVal(int64(i)), nil
				}
			}
			return cty.NilVal, errors.New("item not found")
		},
	})
}

// boolReduceFunc is alltrue (all=true) or anytrue (all=false).
func boolReduceFunc(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			unknown := false
			for it := args[0].ElementIterator(); it.Next(); {
				_, el := it.Element()
				if !el.IsKnown() {
					unknown = true
					continue
				}
				if el.IsNull() {
					if all {
						return cty.False, nil
					}
					continue
				}
				if el.True() != all {
					return cty.BoolVal(!all), nil
				}
			}
			if unknown {
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(all), nil
		},
	})
}

func sumFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.Number),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			ty := args[0].Type()
			if !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
				return cty.NilVal, errors.New("argument must be a list, set or tuple of numbers")
			}
			total := new(big.Float)
			for it := args[0].ElementIterator(); it.Next(); {
				_, el := it.Element()
				if !el.IsKnown() {
					return cty.UnknownVal(cty.Number), nil
				}
				n, err := convertTo(el, cty.Number)
				if err != nil || n.IsNull() {
					return cty.NilVal, errors.New("sum can only add numbers")
				}
				total.Add(total, n.AsBigFloat())
			}
			return cty.NumberVal(total), nil
		},
	})
}

func oneFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			ty := args[0].Type()
			if !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
				return cty.NilVal, errors.New("argument must be a list, set or tuple")
			}
			switch n := args[0].LengthInt(); n {
			case 0:
				return cty.NullVal(cty.DynamicPseudoType), nil
			case 1:
				it := args[0].ElementIterator()
				it.Next()
				_, el := it.Element()
				return el, nil
			default:
				return cty.NilVal, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements, not %d", n)
			}
		},
	})
}

func sensitiveFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return args[0].Mark(sensitiveMark{}), nil
		},
	})
}

func nonsensitiveFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			v, pvm := args[0].UnmarkDeepWithPaths()
			kept := make([]cty.PathValueMarks, 0, len(pvm))
			for _, p := range pvm {
				marks := cty.ValueMarks{}
				for m := range p.Marks {
					if _, sens := m.(sensitiveMark); !sens {
						marks[m] = struct{}{}
					}
				}
				if len(marks) > 0 {
					kept = append(kept, cty.PathValueMarks{Path: p.Path, Marks: marks})
				}
			}
			return v.MarkWithPaths(kept), nil
		},
	})
}

func isSensitiveFunc() function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(marksOf(args[0]).sensitive), nil
		},
	})
}
