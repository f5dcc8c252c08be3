package lsp

import (
	"bytes"
	"unicode/utf8"

	"go.lsp.dev/protocol"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// converter turns model positions (1-based lines; columns in characters
// or bytes depending on the parser; byte offsets) into protocol positions
// (0-based lines, UTF-16 code units), reading each file once.
type converter struct {
	read  func(string) ([]byte, error)
	files map[string][][]byte // lines, by absolute path; nil when unreadable
}

func newConverter(read func(string) ([]byte, error)) *converter {
	return &converter{read: read, files: map[string][][]byte{}}
}

// lines returns the lines of a file (without their ends), nil when it
// cannot be read.
func (c *converter) lines(file string) [][]byte {
	if ls, ok := c.files[file]; ok {
		return ls
	}
	var ls [][]byte
	if src, err := c.read(file); err == nil {
		ls = bytes.Split(src, []byte("\n"))
	}
	c.files[file] = ls
	return ls
}

// rangeOf converts r, a range in file. An empty range grows to the end of
// its line, so that editors show it.
func (c *converter) rangeOf(file string, r model.Range) protocol.Range {
	ls := c.lines(file)
	start := c.pos(ls, r.Start)
	end := start
	if r.End.Line >= r.Start.Line && r.End.Line > 0 {
		end = c.pos(ls, r.End)
	}
	if end.Line < start.Line || (end.Line == start.Line && end.Character <= start.Character) {
		end = start
		if int(start.Line) < len(ls) {
			end.Character = utf16Len(bytes.TrimRight(ls[start.Line], "\r"))
		}
	}
	return protocol.Range{Start: start, End: end}
}

// pos converts one position. The byte offset decides when it falls on
// the position's line (every parser sets it); else the column counts
// characters.
func (c *converter) pos(ls [][]byte, p model.Pos) protocol.Position {
	line := max(p.Line-1, 0)
	out := protocol.Position{Line: uint32(line)} //nolint:gosec // a line number is small and not negative
	if line >= len(ls) {
		out.Character = uint32(max(p.Column-1, 0)) //nolint:gosec // a column is small and not negative
		return out
	}
	text := ls[line]
	lineStart := 0
	for _, l := range ls[:line] {
		lineStart += len(l) + 1
	}
	if off := p.Byte - lineStart; p.Byte >= lineStart && off <= len(text) && (off > 0 || p.Column <= 1) {
		out.Character = utf16Len(text[:off])
		return out
	}
	n := 0
	for i := 0; i < len(text) && n < p.Column-1; n++ {
		_, size := utf8.DecodeRune(text[i:])
		i += size
		out.Character = utf16Len(text[:i])
	}
	return out
}

// utf16Len is the length of b in UTF-16 code units.
func utf16Len(b []byte) uint32 {
	var n uint32
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
