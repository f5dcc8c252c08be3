package srcpos

import (
	"sort"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Step is the distance in bytes between the precomputed character counts
// of a line that is not plain ASCII: the most a lookup has to count.
const Step = 1024

// Index locates the byte offsets of one text. It is immutable once built
// and safe for concurrent use.
type Index[T ~string | ~[]byte] struct {
	text   T
	starts []int // byte offset of the start of every line
	// marks holds, for every line that is not plain ASCII (by its
	// 0-based number), the characters in the line before each multiple
	// of Step bytes from its start. Plain ASCII lines are absent: their
	// columns are byte distances.
	marks map[int][]int
}

// New indexes text in one pass.
func New[T ~string | ~[]byte](text T) *Index[T] {
	starts := []int{0}
	var wide []int // lines with a byte ≥ 0x80
	for i := range len(text) {
		switch c := text[i]; {
		case c == '\n':
			starts = append(starts, i+1)
		case c >= utf8.RuneSelf:
			if l := len(starts) - 1; len(wide) == 0 || wide[len(wide)-1] != l {
				wide = append(wide, l)
			}
		}
	}
	return NewLines(text, starts, wide)
}

// NewLines indexes text from what New would find in it, for a caller
// that has already read every byte (a parser): starts, the offset of the
// start of every line (0, then the offset after each '\n', in order), and
// wide, the 0-based numbers of the lines with a byte ≥ 0x80, in order,
// each once. The index keeps starts.
func NewLines[T ~string | ~[]byte](text T, starts, wide []int) *Index[T] {
	ix := &Index[T]{text: text, starts: starts}
	if len(wide) > 0 {
		ix.marks = make(map[int][]int, len(wide))
	}
	for _, l := range wide {
		start, end := ix.starts[l], ix.lineEnd(l)
		marks := make([]int, 1, 1+(end-start)/Step)
		for from := start; from+Step <= end; from += Step {
			marks = append(marks, marks[len(marks)-1]+ix.runeStarts(from, from+Step))
		}
		ix.marks[l] = marks
	}
	return ix
}

// lineEnd is the offset of the end of line l (0-based), its newline
// excluded.
func (ix *Index[T]) lineEnd(l int) int {
	if l+1 < len(ix.starts) {
		return ix.starts[l+1] - 1
	}
	return len(ix.text)
}

// Lines returns the number of lines of the text (one more than the number
// of newlines).
func (ix *Index[T]) Lines() int { return len(ix.starts) }

// Pos converts a byte offset, clamped to the text, into a position. An
// offset inside a multi-byte character counts that character as passed.
func (ix *Index[T]) Pos(off int) model.Pos {
	off = min(max(off, 0), len(ix.text))
	l := 0
	if len(ix.starts) > 1 {
		l = sort.Search(len(ix.starts), func(i int) bool { return ix.starts[i] > off }) - 1
	}
	start := ix.starts[l]
	marks, wide := ix.marks[l]
	if !wide {
		return model.Pos{Line: l + 1, Column: off - start + 1, Byte: off}
	}
	k := (off - start) / Step
	from := start + k*Step
	return model.Pos{Line: l + 1, Column: marks[k] + ix.runeStarts(from, off) + 1, Byte: off}
}

// runeStarts counts the characters that start in text[from:to]: every
// byte that is not a UTF-8 continuation byte, so that counts of adjacent
// pieces add up even when a piece ends inside a character.
func (ix *Index[T]) runeStarts(from, to int) int {
	n := 0
	for i := from; i < to; i++ {
		if ix.text[i]&0xC0 != 0x80 {
			n++
		}
	}
	return n
}
