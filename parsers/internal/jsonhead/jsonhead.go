package jsonhead

import "bytes"

// Members calls fn with the key (as written, between its quotes) and the
// raw value of every member of the JSON object head starts with, after a
// byte order mark and white space, in order, until fn returns false. A
// value cut off by the end of head is passed as what head holds of it,
// and is the last. complete reports whether the object closed within
// head; it is false too when head is not an object or stops being JSON.
func Members(head []byte, fn func(key string, value []byte) bool) (complete bool) {
	src := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	i := skipSpace(src, 0)
	if i >= len(src) || src[i] != '{' {
		return false
	}
	i++
	for {
		i = skipSpace(src, i)
		if i >= len(src) {
			return false
		}
		if src[i] == '}' {
			return true
		}
		if src[i] != '"' {
			return false
		}
		end := skipString(src, i)
		if end < 0 {
			return false
		}
		key := string(src[i+1 : end-1])
		i = skipSpace(src, end)
		if i >= len(src) || src[i] != ':' {
			return false
		}
		i = skipSpace(src, i+1)
		vend := skipValue(src, i)
		if vend < 0 {
			fn(key, src[i:])
			return false
		}
		if vend == i {
			return false // no value
		}
		if !fn(key, src[i:vend]) {
			return false
		}
		i = skipSpace(src, vend)
		switch {
		case i >= len(src):
			return false
		case src[i] == ',':
			i++
		case src[i] == '}':
			return true
		default:
			return false
		}
	}
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at src[i] (a
// quote), or -1 when src ends inside it.
func skipString(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index after the JSON value starting at src[i], or
// -1 when src ends inside it (or before it). Nesting is counted, not
// recursed, so that no input can exhaust the stack.
func skipValue(src []byte, i int) int {
	depth := 0
	for i < len(src) {
		switch c := src[i]; {
		case c == '"':
			if i = skipString(src, i); i < 0 {
				return -1
			}
			if depth == 0 {
				return i
			}
			continue
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth < 0 {
				return i // the closing bracket of the enclosing object
			}
			if depth == 0 {
				return i + 1
			}
		case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			return i
		}
		i++
	}
	return -1
}
