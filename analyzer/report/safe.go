package report

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// terminalSafe makes a text report safe to print on a terminal or in a
// CI log: names, messages and snippets come from the files scanned, which
// anyone opening a pull request writes, and a control character in them
// (clear the screen, set the window title, move the cursor, reorder text
// with a bidirectional override) must not reach the terminal as such.
// Control characters other than newline and tab are written as escapes
// (\x1b, \u202e), bytes that are not UTF-8 as U+FFFD. An escape character
// is kept only where it starts one of styles (the report's own colours;
// none when colour is off): with colour on, a name can still hold one of
// those colours, which changes how text looks but cannot clear, move,
// hide or retitle anything.
func terminalSafe(b []byte, styles []string) []byte {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			out = utf8.AppendRune(out, utf8.RuneError)
		case r == 0x1b && ownStyle(b, styles) > 0:
			n = ownStyle(b, styles)
			out = append(out, b[:n]...)
		case r == '\n' || r == '\t':
			out = append(out, b[:n]...)
		case r < 0x20 || r == 0x7f:
			out = fmt.Appendf(out, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, // C1 controls
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, // bidirectional embeddings, overrides, isolates
			r == 0x200e || r == 0x200f || r == 0x061c, // direction marks
			r == 0x2028 || r == 0x2029:                // line and paragraph separators
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// ownStyle returns the length of the style in styles that b starts with,
// or 0.
func ownStyle(b []byte, styles []string) int {
	for _, s := range styles {
		if bytes.HasPrefix(b, []byte(s)) {
			return len(s)
		}
	}
	return 0
}

// textStyles are the escape sequences the text report writes itself.
func textStyles(color bool) []string {
	if !color {
		return nil
	}
	return []string{ansiReset, ansiBold, ansiDim, ansiRed, ansiGreen, ansiYellow, ansiBlue, ansiMagenta, ansiCyan}
}
