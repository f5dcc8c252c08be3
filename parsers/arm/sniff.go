package arm

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/parsers/internal/jsonhead"
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
	text := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	// Read as it is: right when no comment can start before the end of
	// the $schema member (or of text, when none is found), as jsonc
	// would then only blank commas before a closing bracket, which
	// jsonhead.Members reads alike.
	schema, end := schemaMember(text)
	if !slashOutsideStrings(text[:end]) {
		return schema
	}
	// Comments blanked in place in a copy (jsonc.ToJSON grows its output
	// byte by byte).
	schema, _ = schemaMember(jsonc.ToJSONInPlace(bytes.Clone(text)))
	return schema
}

// schemaMember returns the top-level "$schema" string of the JSON object
// text starts with ("" when it has none or it is not a string) and the
// end of what was read to find it: the end of its value, else of text.
func schemaMember(text []byte) (schema string, end int) {
	end = len(text)
	jsonhead.Members(text, func(key string, value []byte) bool {
		if key != "$schema" {
			return true
		}
		// value is text[i:j]: j from how much of text's capacity is
		// left after it.
		end = cap(text) - cap(value) + len(value)
		if json.Unmarshal(value, &schema) != nil {
			schema = ""
		}
		return false
	})
	return schema, end
}

// slashOutsideStrings reports whether text has a '/' outside its JSON
// strings (as jsonc tells strings apart): where a comment may start.
func slashOutsideStrings(text []byte) bool {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '/':
			return true
		case '"':
			for i++; i < len(text) && text[i] != '"'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
		}
	}
	return false
}
