package srcpos

import (
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// InvalidUTF8 returns a warning at the first byte of text that is not
// valid UTF-8, or nil when all of it is. JSON formats (ARM, Pulumi) are
// still read: the JSON parsers take such bytes as they are, and the text
// output replaces them (U+FFFD) wherever they are quoted.
func InvalidUTF8(name string, text []byte) *model.Diagnostic {
	if utf8.Valid(text) {
		return nil
	}
	off := 0
	for off < len(text) {
		r, n := utf8.DecodeRune(text[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	p := New(text).Pos(off)
	return &model.Diagnostic{
		Severity: model.SevWarning,
		Summary:  "Invalid UTF-8",
		Detail:   name + " is not valid UTF-8 text from here on; the invalid bytes are read as they are, and shown as U+FFFD in text output.",
		Range:    model.Range{Filename: name, Start: p, End: p},
	}
}
