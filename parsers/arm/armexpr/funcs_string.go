package armexpr

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// ARM runs on .NET: string lengths and positions count UTF-16 code units.

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func len16(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return len(utf16.Encode([]rune(s)))
}

// slice16 returns the UTF-16 code units [from, to) of s.
func slice16(s string, from, to int) string {
	if isASCII(s) {
		return s[from:to]
	}
	return string(utf16.Decode(utf16.Encode([]rune(s))[from:to]))
}

// index16 returns the UTF-16 position of sub in s, or -1; last searches
// from the end.
func index16(s, sub string, last bool) int {
	var i int
	if last {
		i = strings.LastIndex(s, sub)
	} else {
		i = strings.Index(s, sub)
	}
	if i < 0 {
		return -1
	}
	return len16(s[:i])
}

// buildString joins known scalars and Unknown pieces into a string, or an
// Unknown whose Parts keep the pieces when some are unknown.
func buildString(cc *callCtx, pieces []Value) (Value, error) {
	var parts []Value
	var unknowns []Value
	var sb strings.Builder
	flush := func() {
		if sb.Len() > 0 {
			parts = append(parts, sb.String())
			sb.Reset()
		}
	}
	total := 0
	for i, p := range pieces {
		if u, ok := p.(Unknown); ok {
			if len(u.Parts) == 0 {
				flush()
				parts = append(parts, u)
				unknowns = append(unknowns, u)
				continue
			}
			for _, q := range u.Parts {
				if s, ok := q.(string); ok {
					sb.WriteString(s)
					total += len(s)
					continue
				}
				flush()
				parts = append(parts, q)
				unknowns = append(unknowns, q)
			}
			continue
		}
		s, ok := scalarString(p)
		if !ok {
			return nil, cc.errorf("argument %d: cannot make a string of %s", i+1, TypeName(p))
		}
		sb.WriteString(s)
		total += len(s)
		if total > cc.e.limits.MaxStringLen {
			return nil, cc.errorf("result is longer than the limit of %d bytes", cc.e.limits.MaxStringLen)
		}
	}
	if len(unknowns) == 0 {
		return sb.String(), nil
	}
	flush()
	u, _ := mergeUnknown(cc.e, unknowns...)
	u.Parts = parts
	return u, nil
}

func fnConcat(cc *callCtx, args []Value) (Value, error) {
	arrays, scalars := false, false
	for _, a := range args {
		switch a.(type) {
		case []any:
			arrays = true
		case string, int64, float64, bool:
			scalars = true
		case *Object:
			return nil, cc.errorf("cannot concatenate objects; use union()")
		}
	}
	if arrays && scalars {
		return nil, cc.errorf("cannot mix arrays and strings")
	}
	if !arrays {
		return buildString(cc, args)
	}
	if u, ok := topUnknown(args...); ok {
		return u, nil
	}
	var out []any
	for _, a := range args {
		if x, ok := a.([]any); ok {
			out = append(out, x...)
			if err := cc.checkItems(len(out)); err != nil {
				return nil, err
			}
		}
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

func fnToLower(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	return strings.ToLower(s), nil
}

func fnToUpper(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	return strings.ToUpper(s), nil
}

func fnTrim(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	return strings.TrimSpace(s), nil
}

func fnSplit(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	var seps []string
	switch t := args[1].(type) {
	case string:
		seps = []string{t}
	case []any:
		for _, x := range t {
			d, ok := x.(string)
			if !ok {
				return nil, cc.errorf("delimiters must be strings, not %s", TypeName(x))
			}
			seps = append(seps, d)
		}
	default:
		return nil, cc.errorf("argument 2 must be a string or an array of strings, not %s", TypeName(args[1]))
	}
	out := []any{}
	start := 0
	for i := 0; i < len(s); {
		matched := ""
		for _, d := range seps {
			if d != "" && strings.HasPrefix(s[i:], d) {
				matched = d
				break
			}
		}
		if matched == "" {
			i++
			continue
		}
		out = append(out, s[start:i])
		i += len(matched)
		start = i
		if err := cc.checkItems(len(out)); err != nil {
			return nil, err
		}
	}
	out = append(out, s[start:])
	return out, nil
}

func fnJoin(cc *callCtx, args []Value) (Value, error) {
	if u, ok := topUnknown(args...); ok {
		return u, nil
	}
	arr, ok := args[0].([]any)
	if !ok {
		return nil, cc.errorf("argument 1 must be an array, not %s", TypeName(args[0]))
	}
	delim, err := cc.str(args, 1)
	if err != nil {
		return nil, err
	}
	pieces := make([]Value, 0, 2*len(arr))
	for i, x := range arr {
		if i > 0 {
			pieces = append(pieces, delim)
		}
		switch x.(type) {
		case []any, *Object:
			return nil, cc.errorf("element %d is %s, not a string", i, TypeName(x))
		}
		pieces = append(pieces, x)
	}
	return buildString(cc, pieces)
}

func fnReplace(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	old, err := cc.str(args, 1)
	if err != nil {
		return nil, err
	}
	repl, err := cc.str(args, 2)
	if err != nil {
		return nil, err
	}
	if old == "" {
		return nil, cc.errorf("the string to replace is empty")
	}
	if n := strings.Count(s, old); n > 0 && len(s)+n*(len(repl)-len(old)) > cc.e.limits.MaxStringLen {
		return nil, cc.errorf("result is longer than the limit of %d bytes", cc.e.limits.MaxStringLen)
	}
	return strings.ReplaceAll(s, old, repl), nil
}

func fnSubstring(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	n := int64(len16(s))
	var start int64
	if len(args) > 1 {
		if start, err = cc.integer(args, 1); err != nil {
			return nil, err
		}
	}
	length := n - start
	if len(args) > 2 {
		if length, err = cc.integer(args, 2); err != nil {
			return nil, err
		}
	}
	if start < 0 || start > n || length < 0 || start+length > n {
		return nil, cc.errorf("the index and length parameters must refer to a location within the string: index %d, length %d, string length %d", start, length, n)
	}
	return slice16(s, int(start), int(start+length)), nil
}

func indexOf(cc *callCtx, args []Value, last bool) (Value, error) {
	if arr, ok := args[0].([]any); ok {
		if last {
			for i := len(arr) - 1; i >= 0; i-- {
				if equal(cc.e, arr[i], args[1]) {
					return int64(i), nil
				}
			}
			return int64(-1), nil
		}
		for i, x := range arr {
			if equal(cc.e, x, args[1]) {
				return int64(i), nil
			}
		}
		return int64(-1), nil
	}
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, cc.errorf("argument 1 must be a string or an array, not %s", TypeName(args[0]))
	}
	find, err := cc.str(args, 1)
	if err != nil {
		return nil, err
	}
	// The comparison is case-insensitive.
	ls, lf := strings.ToLower(s), strings.ToLower(find)
	if find == "" {
		if last {
			return int64(len16(s)), nil
		}
		return int64(0), nil
	}
	return int64(index16(ls, lf, last)), nil
}

func fnIndexOf(cc *callCtx, args []Value) (Value, error) { return indexOf(cc, args, false) }

func fnLastIndexOf(cc *callCtx, args []Value) (Value, error) { return indexOf(cc, args, true) }

func fnStartsWith(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	p, err := cc.str(args, 1)
	if err != nil {
		return nil, err
	}
	return strings.HasPrefix(strings.ToLower(s), strings.ToLower(p)), nil
}

func fnEndsWith(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	p, err := cc.str(args, 1)
	if err != nil {
		return nil, err
	}
	return strings.HasSuffix(strings.ToLower(s), strings.ToLower(p)), nil
}

func fnPadLeft(cc *callCtx, args []Value) (Value, error) {
	var s string
	switch t := args[0].(type) {
	case string:
		s = t
	case int64:
		s = strconv.FormatInt(t, 10)
	default:
		return nil, cc.errorf("argument 1 must be a string or an integer, not %s", TypeName(args[0]))
	}
	total, err := cc.integer(args, 1)
	if err != nil {
		return nil, err
	}
	pad := " "
	if len(args) > 2 {
		if pad, err = cc.str(args, 2); err != nil {
			return nil, err
		}
		if utf8.RuneCountInString(pad) != 1 {
			return nil, cc.errorf("the padding must be a single character, not %q", pad)
		}
	}
	if total > int64(cc.e.limits.MaxStringLen) {
		return nil, cc.errorf("length %d is more than the limit of %d", total, cc.e.limits.MaxStringLen)
	}
	n := int(total) - len16(s)
	if n <= 0 {
		return s, nil
	}
	return strings.Repeat(pad, n) + s, nil
}

func fnBase64(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	return cc.checkString(base64.StdEncoding.EncodeToString([]byte(s)))
}

func decodeBase64(cc *callCtx, s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return "", cc.errorf("invalid base64 value")
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}

func fnBase64ToString(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	return decodeBase64(cc, s)
}

func fnBase64ToJSON(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	text, err := decodeBase64(cc, s)
	if err != nil {
		return nil, err
	}
	v, err := DecodeJSON([]byte(text))
	if err != nil {
		return nil, cc.errorf("%v", err)
	}
	return v, nil
}

func fnDataURI(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	return cc.checkString("data:text/plain;charset=utf8;base64," + base64.StdEncoding.EncodeToString([]byte(s)))
}

func fnDataURIToString(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	header, data, ok := strings.Cut(s, ",")
	if !ok || !strings.HasPrefix(strings.ToLower(header), "data:") {
		return nil, cc.errorf("not a data URI")
	}
	if strings.HasSuffix(strings.ToLower(header), ";base64") {
		return decodeBase64(cc, data)
	}
	return unescapeURI(data), nil
}

func fnURI(cc *callCtx, args []Value) (Value, error) {
	base, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	rel, err := cc.str(args, 1)
	if err != nil {
		return nil, err
	}
	b, err := url.Parse(base)
	if err != nil || !b.IsAbs() {
		return nil, cc.errorf("the base URI %q is not an absolute URI", base)
	}
	r, err := url.Parse(rel)
	if err != nil {
		return nil, cc.errorf("invalid relative URI %q", rel)
	}
	return b.ResolveReference(r).String(), nil
}

// fnURIComponent escapes like .NET Uri.EscapeDataString: everything but
// the RFC 3986 unreserved characters.
func fnURIComponent(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return cc.checkString(b.String())
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// unescapeURI decodes %XX sequences and leaves malformed ones as they are,
// like .NET Uri.UnescapeDataString.
func unescapeURI(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			h, ok1 := unhex(s[i+1])
			l, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, h<<4|l)
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func fnURIComponentToString(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	return unescapeURI(s), nil
}

func hashInput(cc *callCtx, args []Value) (string, error) {
	parts := make([]string, len(args))
	for i := range args {
		s, err := cc.str(args, i)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return strings.Join(parts, "-"), nil
}

func fnUniqueString(cc *callCtx, args []Value) (Value, error) {
	s, err := hashInput(cc, args)
	if err != nil {
		return nil, err
	}
	return UniqueString(s), nil
}

func fnGUID(cc *callCtx, args []Value) (Value, error) {
	s, err := hashInput(cc, args)
	if err != nil {
		return nil, err
	}
	return GUID(s), nil
}

func fnDateTimeFromEpoch(cc *callCtx, args []Value) (Value, error) {
	n, err := cc.integer(args, 0)
	if err != nil {
		return nil, err
	}
	return time.Unix(n, 0).UTC().Format("2006-01-02T15:04:05Z"), nil
}

func fnDateTimeToEpoch(cc *callCtx, args []Value) (Value, error) {
	s, err := cc.str(args, 0)
	if err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, cc.errorf("%q is not an ISO 8601 date and time", s)
	}
	return t.Unix(), nil
}
