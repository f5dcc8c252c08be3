package model

// EditKind says how an Edit changes the source.
type EditKind string

// Edit kinds.
const (
	// EditReplace replaces the value written at Edit.Range (an attribute's
	// expression, a tfvars assignment, a module argument, an ARM parameter
	// file value) with Edit.Value.
	EditReplace EditKind = "replace"
	// EditDefault sets the default of the declaration at Edit.Range (a
	// Terraform variable block, an ARM parameter) to Edit.Value.
	EditDefault EditKind = "default"
	// EditAdd adds Edit.Path = Edit.Value inside the resource at
	// Edit.Range, creating the nested blocks or objects on the way.
	EditAdd EditKind = "add"
)

// Edit is a format-neutral change of a source file that fixes a finding:
// the engine decides where the deciding value was written, the parser of
// that file's format turns the edit into bytes.
type Edit struct {
	Kind  EditKind `json:"kind"`
	Range Range    `json:"range"`
	// Path is the attribute or property to add, in the format's own names
	// ("site_config.minimum_tls_version", "properties.httpsOnly"); for
	// EditAdd only.
	Path []string `json:"path,omitempty"`
	// Value is the value to write: a bool, a string or a number.
	Value any `json:"value"`
}

// Replacement is one concrete change of a file's text that an Edit makes:
// the text from Range.Start up to Range.End (exclusive; equal for an
// insertion) is replaced by Text. Lines are 1-based, columns 1-based
// counts of Unicode code points (SARIF's unicodeCodePoints), Byte the
// 0-based byte offset of each end. The parsers compute replacements from
// the file's bytes; report writers and the language server show them.
type Replacement struct {
	Range Range  `json:"range"`
	Text  string `json:"text"`
}
