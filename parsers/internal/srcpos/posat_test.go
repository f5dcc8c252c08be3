package srcpos

import (
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestPosAtMatchesIndex checks PosAt against Index.Pos at every offset
// (and outside the text) of texts with plain and wide lines, empty
// lines, CRLF, a text without a newline and a long minified line.
func TestPosAtMatchesIndex(t *testing.T) {
	for _, text := range []string{
		"",
		"\n",
		"a = 1\nb = \"é☕x\"\n\n  c\r\nd",
		"é",
		"\xe2\x98", // a cut character
		strings.Repeat("{\"k\": \"v☕\"}, ", 300),
		"x\n" + strings.Repeat("é", Step+7) + "y\nz",
	} {
		ix := New([]byte(text))
		for off := -2; off <= len(text)+2; off++ {
			if got, want := PosAt([]byte(text), off), ix.Pos(off); got != want {
				t.Fatalf("%.20q offset %d: PosAt %+v, Index.Pos %+v", text, off, got, want)
			}
		}
	}
}

// TestPosAfterMatchesPosAt checks PosAfter, from the position of every
// offset of a text (and from none), against PosAt at every offset, on
// texts with wide characters, empty lines, CRLF and cut characters.
func TestPosAfterMatchesPosAt(t *testing.T) {
	for _, text := range []string{
		"",
		"\n\n",
		"a = 1\nb = \"é☕x\"\n\n  c\r\nd",
		"é",
		"\xe2\x98\n\x98x", // cut characters
		strings.Repeat("{\"k\": \"v☕\"},\n", 40),
	} {
		b := []byte(text)
		froms := []model.Pos{{}}
		for n := -1; n <= len(text)+1; n++ {
			froms = append(froms, PosAt(b, n))
		}
		for _, from := range froms {
			for off := -2; off <= len(text)+2; off++ {
				if got, want := PosAfter(b, from, off), PosAt(b, off); got != want {
					t.Fatalf("%.20q from %+v offset %d: PosAfter %+v, PosAt %+v", text, from, off, got, want)
				}
			}
		}
	}
}
