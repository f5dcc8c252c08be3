package source

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestHCLDepth(t *testing.T) {
	deep := func(open, close string, n int) string { return strings.Repeat(open, n) + strings.Repeat(close, n) }
	for _, tc := range []struct {
		name string
		src  string
		want int // offset, -1 for within the limit
	}{
		{"flat", "a = [1, [2, {b = (3)}]]\n", -1},
		{"at the limit", "x = " + deep("[", "]", 10), -1},
		{"past the limit", "x = " + deep("[", "]", 11), 4 + 10},
		{"brackets in comments", "# " + strings.Repeat("[", 50) + "\n// " + strings.Repeat("{", 50) + "\n/* " + strings.Repeat("(", 50) + " */\nx = 1\n", -1},
		{"brackets in strings", `x = "` + strings.Repeat("[", 50) + `"` + "\n", -1},
		{"escaped quote", `x = "\"` + strings.Repeat("[", 50) + `"` + "\n", -1},
		{"literal interpolation", `x = "` + strings.Repeat("$${", 50) + `"` + "\n", -1},
		{"brackets in a heredoc", "x = <<-EOT\n  " + strings.Repeat("[", 50) + "\n  EOT\ny = 1\n", -1},
		{"interpolations in a heredoc", "x = <<EOT\n${" + strings.Repeat("[", 9) + "\nEOT\n", 12 + 8},
		{"nested templates", "x = " + deep(`"${`, `}"`, 6), 4 + 5*3},
		{"template directives", `x = "` + strings.Repeat("%{ if a }", 11) + `"`, 5 + 8*9 + 1},
		{"conditionals across lines in parentheses", "x = (" + strings.Repeat("a ?\n 1 : ", 11) + "2)\n", 5 + 9*9 + 2},
		{"conditionals on separate lines", strings.Repeat("x = a ? 1 : 2\n", 50), -1},
		{"conditionals in a list", "x = [" + strings.Repeat("a ? 1 : 2, ", 50) + "]\n", -1},
		{"unary run", "x = " + strings.Repeat("!", 11) + "true\n", 4},
		{"subtractions", "x = " + strings.Repeat("a - ", 50) + "b\n", -1},
		{"unbalanced closers", strings.Repeat("]})", 50) + "x = " + deep("[", "]", 10), -1},
	} {
		if got := HCLDepth([]byte(tc.src), 10); got != tc.want {
			t.Errorf("%s: HCLDepth = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestJSONDepth(t *testing.T) {
	for _, tc := range []struct {
		name     string
		src      string
		strLimit int
		want     int
		inString bool
	}{
		{"flat", `{"a": [1, {"b": []}]}`, 0, -1, false},
		{"at the limit", strings.Repeat("[", 10) + strings.Repeat("]", 10), 0, -1, false},
		{"past the limit", strings.Repeat("[", 11) + strings.Repeat("]", 11), 0, 10, false},
		{"brackets in strings", `{"a": "` + strings.Repeat("[", 50) + `\"` + `"}`, 0, -1, false},
		{"brackets in strings, counted", `{"a": "` + strings.Repeat("[", 6) + `"}`, 5, 7 + 5, true},
		{"balanced in strings", `{"a": "` + strings.Repeat("()", 50) + `"}`, 5, -1, false},
	} {
		got, in := JSONDepth([]byte(tc.src), 10, tc.strLimit)
		if got != tc.want || in != tc.inString {
			t.Errorf("%s: JSONDepth = %d, %v; want %d, %v", tc.name, got, in, tc.want, tc.inString)
		}
	}
}

// TestHCLDepthSkipsOnlyPlainBytes: HCLDepth, which skips runs of bytes
// that change nothing, gives what reading every byte through the whole
// scan gives, on 50,000 random texts of HCL's pieces.
func TestHCLDepthSkipsOnlyPlainBytes(t *testing.T) {
	pieces := []string{"a", "x = ", " ", "\t", "\n", "\r\n", "(", ")", "[", "]", "{", "}", "\"", "\\", "\\\"",
		"${", "%{", "$${", "%%{", "%{ if a }", "%{ endif }", "%{ for x in y }", "%{ endfor }", "?", ":", ",", "!", "-", "- ",
		"#", "//", "/*", "*/", "/", "<<EOT\n", "<<-EOT\n", "EOT", "  EOT\n", "<", "<<", "$", "%", "é", "\xff"}
	rnd := rand.New(rand.NewPCG(9, 10))
	for n := range 50000 {
		var b strings.Builder
		for range rnd.IntN(40) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		src := []byte(b.String())
		limit := 1 + n%6
		if got, want := HCLDepth(src, limit), hclDepth(src, limit, false); got != want {
			t.Fatalf("HCLDepth(%q, %d) = %d, the byte-by-byte scan gives %d", src, limit, got, want)
		}
	}
}
