package fold

import (
	"strings"
	"testing"
)

// TestMayEqual: MayEqual is never false for strings strings.EqualFold
// says are equal, for every pair of first bytes, wide characters that
// fold to ASCII letters included; it turns away most ASCII pairs.
func TestMayEqual(t *testing.T) {
	rests := []string{"", "ind", "IND", "x"}
	kept := 0
	for x := range 256 {
		for y := range 256 {
			for _, r := range rests {
				a, b := string(rune(x))+r, string(byte(y))+r
				if a != b && strings.EqualFold(a, b) && !MayEqual(a, b) {
					t.Fatalf("MayEqual(%q, %q) = false, EqualFold true", a, b)
				}
				if x < 0x80 && y < 0x80 && MayEqual(a, b) {
					kept++
				}
			}
		}
	}
	if kept > 128*128*len(rests)/16 {
		t.Errorf("MayEqual kept %d of %d ASCII pairs", kept, 128*128*len(rests))
	}
	for _, p := range [][2]string{{"\u212aind", "kind"}, {"\u017fku", "SKU"}, {"kind", "\u212aIND"}, {"Properties", "properties"}} {
		if !MayEqual(p[0], p[1]) {
			t.Errorf("MayEqual(%q, %q) = false, EqualFold true", p[0], p[1])
		}
	}
	if MayEqual("", "") || MayEqual("", "a") || MayEqual("kind", "sku") {
		t.Error("MayEqual is true for an empty string or different ASCII letters")
	}
}
