package fold

import "unicode/utf8"

// MayEqual is false when strings.EqualFold(a, b) is, as told by their
// first bytes alone: two ASCII bytes that differ other than in the case
// of a letter. It is true for every pair EqualFold finds equal (a wide
// first byte may fold to an ASCII letter: "\u212a" to "k") but for two
// empty strings, which callers compare exactly first.
func MayEqual(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	x, y := a[0], b[0]
	return x|y >= utf8.RuneSelf || x|0x20 == y|0x20
}
