package arm

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/tidwall/jsonc"
)

// IsTemplate reports whether head, the first bytes of a .json or .jsonc
// file, starts a deployment template: a JSON object whose top-level
// $schema names a deploymentTemplate.json schema (resource group,
// subscription, management group or tenant). Parameter files and any
// other JSON are not templates. Only the top level of head is scanned,
// without building anything, so other JSON is rejected quickly.
func IsTemplate(head []byte) bool {
	s := strings.ToLower(schemaOf(head))
	return strings.Contains(s, "deploymenttemplate.json")
}

// IsParameters reports whether head starts a deployment parameters file
// (its $schema names deploymentParameters.json).
func IsParameters(head []byte) bool {
	return strings.Contains(strings.ToLower(schemaOf(head)), "deploymentparameters.json")
}

// schemaOf returns the top-level "$schema" string of the JSON object head
// starts with, "" when it has none within head.
func schemaOf(head []byte) string {
	src := jsonc.ToJSON(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	i := skipSpace(src, 0)
	if i >= len(src) || src[i] != '{' {
		return ""
	}
	i++
	for {
		i = skipSpace(src, i)
		if i >= len(src) || src[i] != '"' {
			return ""
		}
		end := skipString(src, i)
		if end < 0 {
			return ""
		}
		key := src[i+1 : end-1]
		i = skipSpace(src, end)
		if i >= len(src) || src[i] != ':' {
			return ""
		}
		i = skipSpace(src, i+1)
		if string(key) == "$schema" {
			if i >= len(src) || src[i] != '"' {
				return ""
			}
			vend := skipString(src, i)
			if vend < 0 {
				return ""
			}
			var s string
			if json.Unmarshal(src[i:vend], &s) != nil {
				return ""
			}
			return s
		}
		if i = skipValue(src, i); i < 0 {
			return ""
		}
		i = skipSpace(src, i)
		if i >= len(src) || src[i] != ',' {
			return ""
		}
		i++
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
// -1 when src ends inside it. Nesting is counted, not recursed.
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
				return i
			}
			if depth == 0 {
				return i + 1
			}
		case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '}'):
			return i
		}
		i++
	}
	return -1
}
