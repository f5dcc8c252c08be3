package srcpos

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// naive is the definition Pos must agree with: count lines and characters
// from the start of the text.
func naive(text string, off int) model.Pos {
	off = min(max(off, 0), len(text))
	line, start := 1, 0
	for i := range off {
		if text[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	col := 1
	for i := start; i < off; i++ {
		if text[i]&0xC0 != 0x80 {
			col++
		}
	}
	return model.Pos{Line: line, Column: col, Byte: off}
}

func TestPos(t *testing.T) {
	text := "ab\n\"é\": 1\r\n\nxyz"
	ix := New(text)
	cases := []struct {
		off  int
		want model.Pos
	}{
		{0, model.Pos{Line: 1, Column: 1, Byte: 0}},
		{2, model.Pos{Line: 1, Column: 3, Byte: 2}}, // the newline ends line 1
		{3, model.Pos{Line: 2, Column: 1, Byte: 3}},
		{5, model.Pos{Line: 2, Column: 3, Byte: 5}},   // inside é: é counts as passed
		{6, model.Pos{Line: 2, Column: 3, Byte: 6}},   // after é: one column
		{11, model.Pos{Line: 2, Column: 8, Byte: 11}}, // \r is a character, \n ends the line
		{12, model.Pos{Line: 3, Column: 1, Byte: 12}},
		{13, model.Pos{Line: 4, Column: 1, Byte: 13}},
		{-5, model.Pos{Line: 1, Column: 1, Byte: 0}},
		{999, model.Pos{Line: 4, Column: 4, Byte: 16}},
	}
	for _, c := range cases {
		if got := ix.Pos(c.off); got != c.want {
			t.Errorf("Pos(%d) = %+v, want %+v", c.off, got, c.want)
		}
	}
	if ix.Lines() != 4 {
		t.Errorf("Lines() = %d, want 4", ix.Lines())
	}
	if got := New("").Pos(3); got != (model.Pos{Line: 1, Column: 1}) {
		t.Errorf("empty text: Pos(3) = %+v", got)
	}
}

// Random texts of short and very long lines, ASCII and not, as string and
// as bytes: every offset agrees with the naive count, whatever the order
// of lookups and wherever Step boundaries fall (inside characters too).
func TestPosMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	pieces := []string{"a", "{\"k\":1}", "é", "€", "😀", "\n", "\r\n", " ", strings.Repeat("x", Step-1)}
	for round := range 40 {
		var sb strings.Builder
		n := rng.IntN(3 * Step)
		if round%4 == 0 {
			n = 5 * Step // long enough for several marks on one line
		}
		for sb.Len() < n {
			p := pieces[rng.IntN(len(pieces))]
			if round%2 == 0 && strings.Contains(p, "\n") {
				continue // a single (minified) line
			}
			sb.WriteString(p)
		}
		text := sb.String()
		ixs, ixb := New(text), New([]byte(text))
		if round%3 == 0 {
			// What a parser that read the text would give NewLines.
			var starts, wide []int
			off := 0
			for i, line := range strings.SplitAfter(text, "\n") {
				starts = append(starts, off)
				off += len(line)
				if strings.IndexFunc(line, func(r rune) bool { return r >= utf8.RuneSelf }) >= 0 {
					wide = append(wide, i)
				}
			}
			ixb = NewLines([]byte(text), starts, wide)
		}
		offs := []int{0, len(text), len(text) + 1, -1, Step, Step - 1, Step + 1, 2 * Step}
		for range 300 {
			offs = append(offs, rng.IntN(len(text)+1))
		}
		for i, off := range offs {
			// Span agrees with Pos at both ends, whichever comes first.
			end := offs[(i+1)%len(offs)]
			if i%2 == 0 {
				end = off + rng.IntN(3*Step) // on off's line or a later one
			}
			from, to := ixb.Span(off, end)
			if want := (naive(text, off)); from != want {
				t.Fatalf("round %d: Span(%d, %d) starts at %+v, want %+v", round, off, end, from, want)
			}
			if want := naive(text, end); to != want {
				t.Fatalf("round %d: Span(%d, %d) ends at %+v, want %+v", round, off, end, to, want)
			}
			want := naive(text, off)
			if got := ixs.Pos(off); got != want {
				t.Fatalf("round %d, string: Pos(%d) = %+v, want %+v", round, off, got, want)
			}
			if got := ixb.Pos(off); got != want {
				t.Fatalf("round %d, bytes: Pos(%d) = %+v, want %+v", round, off, got, want)
			}
		}
	}
}

// BenchmarkPos looks up every 7th offset of a 4 MB text written on one
// line with a non-ASCII character in it (a minified export): the cost per
// lookup must not grow with the line.
func BenchmarkPos(b *testing.B) {
	for _, size := range []int{64 << 10, 4 << 20} {
		text := []byte("\"zoë\":" + strings.Repeat(`{"a":"b","c":[1,2]},`, size/20))
		b.Run(strconv.Itoa(size>>10)+"KB", func(b *testing.B) {
			ix := New(text)
			b.ResetTimer()
			for b.Loop() {
				for off := 0; off < len(text); off += 7 * 1024 {
					_ = ix.Pos(off)
				}
			}
		})
	}
}
