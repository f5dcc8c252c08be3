package srcpos

import (
	"strings"
	"testing"
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
