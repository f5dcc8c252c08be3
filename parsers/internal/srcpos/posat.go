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

// PosAfter returns PosAt(text, off) given from, PosAt(text, n) for some
// n: when from is at or before off, only the text between them is
// counted (the lines of a file's second replacement and after, looked up
// from the position of the one before). A from after off, or not a
// position at all (line 0), is not used.
func PosAfter(text []byte, from model.Pos, off int) model.Pos {
	off = min(max(off, 0), len(text))
	if from.Line < 1 || from.Byte < 0 || from.Byte > off {
		return PosAt(text, off)
	}
	seg := text[from.Byte:off]
	line, col := from.Line, from.Column
	if nl := bytes.LastIndexByte(seg, '\n'); nl >= 0 {
		line += bytes.Count(seg[:nl], []byte{'\n'}) + 1
		col, seg = 1, seg[nl+1:]
	}
	for _, c := range seg {
		if c&0xC0 != 0x80 {
			col++
		}
	}
	return model.Pos{Line: line, Column: col, Byte: off}
}
