package srcpos

import (
	"bytes"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// PosAt returns New(text).Pos(off) without building an index: for one
// lookup or a few in a text (the replacements of a fix), where indexing
// every line would cost more than the lookups. The lines before off are
// counted at once (bytes.Count); the characters of off's line before it,
// one by one.
func PosAt(text []byte, off int) model.Pos {
	off = min(max(off, 0), len(text))
	start := bytes.LastIndexByte(text[:off], '\n') + 1
	col := 1
	for _, c := range text[start:off] {
		if c&0xC0 != 0x80 {
			col++
		}
	}
	return model.Pos{Line: bytes.Count(text[:start], []byte{'\n'}) + 1, Column: col, Byte: off}
}
