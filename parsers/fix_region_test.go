package parsers

import "testing"

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
