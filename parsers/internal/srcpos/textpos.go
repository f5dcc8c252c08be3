package srcpos

import (
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
	// wide has bit l%64 of word l/64 set for every line l in marks: a
	// lookup on another line does not hash its number.
	wide []uint64
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
		ix.wide = make([]uint64, (len(starts)+63)/64)
	}
	for _, l := range wide {
		start, end := ix.starts[l], ix.lineEnd(l)
		marks := make([]int, 1, 1+(end-start)/Step)
		for from := start; from+Step <= end; from += Step {
			marks = append(marks, marks[len(marks)-1]+ix.runeStarts(from, from+Step))
		}
		ix.marks[l] = marks
		ix.wide[l/64] |= 1 << (l % 64)
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
	return ix.posOn(off, ix.line(off, 0))
}

// Span returns Pos(start), Pos(end): the ends of a range. An end at or
// after start is looked for from start's line on (a value's end is most
// often on its start's line or a few after), not in the whole text.
func (ix *Index[T]) Span(start, end int) (from, to model.Pos) {
	start = min(max(start, 0), len(ix.text))
	end = min(max(end, 0), len(ix.text))
	l := ix.line(start, 0)
	le := 0
	if end >= start {
		le = l
	}
	return ix.posOn(start, l), ix.posOn(end, ix.line(end, le))
}

// line returns the 0-based line of off, a clamped offset at or after the
// start of line from: by one comparison when off is on line from, else
// by binary search of the lines after it.
func (ix *Index[T]) line(off, from int) int {
	lo, hi := from+1, len(ix.starts)
	if lo >= hi || ix.starts[lo] > off {
		return from
	}
	for lo++; lo < hi; {
		m := int(uint(lo+hi) >> 1)
		if ix.starts[m] > off {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo - 1
}

// posOn is the position of off, a clamped offset on line l (0-based).
func (ix *Index[T]) posOn(off, l int) model.Pos {
	start := ix.starts[l]
	if l/64 >= len(ix.wide) || ix.wide[l/64]&(1<<(l%64)) == 0 {
		return model.Pos{Line: l + 1, Column: off - start + 1, Byte: off}
	}
	marks := ix.marks[l]
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
