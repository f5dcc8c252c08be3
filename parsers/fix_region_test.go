package parsers

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestChangedRegion(t *testing.T) {
	tests := []struct{ a, b, deleted, inserted string }{
		{"x = false\n", "x = true\n", "false", "true"},
		{`v = "1.0"`, `v = "1.2"`, "1.0", "1.2"},
		// Never half a character.
		{`s = "é"`, `s = "è"`, "é", "è"},
		{"k = \"☕1\"", "k = \"☕2\"", "1", "2"},
		// A whole line inserted after an identical one sits at a line start.
		{"a {\n  b = 1\n}\n", "a {\n  b = 1\n  b = 1\n}\n", "", "  b = 1\n"},
		{"a {\n}\n", "a {\n  c = 2\n}\n", "", "  c = 2\n"},
		// A deleted line too.
		{"a {\n  c = 2\n}\n", "a {\n}\n", "  c = 2\n", ""},
	}
	for _, tt := range tests {
		start, endA, endB, ok := changedRegion([]byte(tt.a), []byte(tt.b))
		if !ok {
			t.Errorf("%q → %q: no change found", tt.a, tt.b)
			continue
		}
		if d, i := tt.a[start:endA], tt.b[start:endB]; d != tt.deleted || i != tt.inserted {
			t.Errorf("%q → %q: replaces %q by %q, want %q by %q", tt.a, tt.b, d, i, tt.deleted, tt.inserted)
		}
		if tt.a[:start]+tt.b[start:endB]+tt.a[endA:] != tt.b {
			t.Errorf("%q → %q: the replacement does not give b", tt.a, tt.b)
		}
	}
	if _, _, _, ok := changedRegion([]byte("same"), []byte("same")); ok {
		t.Error("equal texts differ")
	}
}

// TestChangedRegionSplice checks that the region found from an editor's
// window (the text outside it known to be the same) is the one found by
// comparing the whole texts, for windows that sit among repeated text,
// cut characters, or are wider than what changed, on texts longer than
// the chunks compared at once.
func TestChangedRegionSplice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "b", " ", "\n", "é", "x = 1\n", "  b = 1\n", strings.Repeat("k", 70)}
	text := func(n int) []byte {
		var sb strings.Builder
		for range n {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return []byte(sb.String())
	}
	for i := range 20000 {
		a := text(rng.IntN(40))
		start := rng.IntN(len(a) + 1)
		end := start + rng.IntN(len(a)-start+1)
		var repl []byte
		switch rng.IntN(4) {
		case 0: // the window's own text, changed in one place or not
			repl = bytes.Clone(a[start:end])
			if len(repl) > 0 && rng.IntN(2) == 0 {
				repl[rng.IntN(len(repl))] = 'z'
			}
		case 1: // a repeat of the text before it
			repl = append(bytes.Clone(a[start:end]), a[max(0, start-rng.IntN(12)):start]...)
		default:
			repl = text(rng.IntN(5))
		}
		b := slices.Concat(a[:start], repl, a[end:])
		sp := splice{src: a, start: start, end: end, text: repl}
		if sp.len() != len(b) {
			t.Fatalf("case %d: len %d, want %d", i, sp.len(), len(b))
		}
		s1, ea1, eb1, ok1 := sp.changedRegion()
		s2, ea2, eb2, ok2 := changedRegion(a, b)
		if s1 != s2 || ea1 != ea2 || eb1 != eb2 || ok1 != ok2 {
			t.Fatalf("case %d: %q[%d:%d] → %q: region %d %d %d %v, whole texts give %d %d %d %v",
				i, a, start, end, repl, s1, ea1, eb1, ok1, s2, ea2, eb2, ok2)
		}
		if ok1 {
			if got := sp.slice(s1, eb1); got != string(b[s1:eb1]) {
				t.Fatalf("case %d: inserted text %q, want %q", i, got, b[s1:eb1])
			}
			if string(a[:s1])+string(b[s1:eb1])+string(a[ea1:]) != string(b) {
				t.Fatalf("case %d: the replacement does not give the edited text", i)
			}
		} else if !bytes.Equal(a, b) {
			t.Fatalf("case %d: %q and %q differ, no region found", i, a, b)
		}
	}
}

// TestCommonPrefixSuffix checks the chunked comparisons against a byte
// at a time, across chunk boundaries.
func TestCommonPrefixSuffix(t *testing.T) {
	base := []byte(strings.Repeat("0123456789", 30))
	for _, at := range []int{0, 1, 63, 64, 65, 128, 200, 299} {
		x := bytes.Clone(base)
		x[at] = '#'
		if got := commonPrefix(x, base); got != at {
			t.Errorf("commonPrefix with a difference at %d: %d", at, got)
		}
		if got, want := commonSuffix(x, base, len(base)), len(base)-1-at; got != want {
			t.Errorf("commonSuffix with a difference at %d: %d, want %d", at, got, want)
		}
		if got := commonSuffix(x, base, 10); got != min(10, len(base)-1-at) {
			t.Errorf("commonSuffix limited to 10, difference at %d: %d", at, got)
		}
	}
	if got := commonPrefix(base[:100], base); got != 100 {
		t.Errorf("commonPrefix of a prefix: %d", got)
	}
	if got := commonSuffix(base[50:], base, len(base)); got != len(base)-50 {
		t.Errorf("commonSuffix of a suffix: %d", got)
	}
}
