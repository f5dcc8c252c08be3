package source

import (
	"bytes"

	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// Nesting limits (the defaults of package limits), checked by a byte scan before a file is handed to a
// parser that recurses once per level (hclsyntax, hcl's JSON parser,
// gjson): a file nested deeper than the Go stack allows would otherwise
// end the whole process, not just the scan of that file. No real
// configuration comes near them.
const (
	// MaxHCLDepth bounds the nesting of brackets, parentheses, braces,
	// template interpolations, chained conditionals and unary operators
	// in HCL (.tf, .tfvars), and of the templates inside the strings of
	// Terraform JSON (.tf.json).
	MaxHCLDepth = limits.HCLDepth
	// MaxJSONDepth bounds the nesting of arrays and objects in JSON
	// (encoding/json's own limit).
	MaxJSONDepth = limits.JSONDepth
)

// HCLDepth reports the byte offset at which src, read as HCL native
// syntax, first nests deeper than limit, or -1. It is a scan, not a
// parse: brackets in comments and in the literal text of strings and
// heredocs do not count, interpolations do, each chained `?` counts until
// the next comma or line, and a run of unary `!` or `-` counts as deep as
// it is long. Unbalanced closing brackets are ignored.
func HCLDepth(src []byte, limit int) int { return hclDepth(src, limit, true) }

// hclDepth is HCLDepth; skipPlain false reads every byte through the
// whole scan (what the skips must agree with: TestHCLDepthSkipsOnlyPlainBytes).
func hclDepth(src []byte, limit int, skipPlain bool) int {
	const (
		code   = iota // inside ( [ { or at the top level
		interp        // inside ${ } or %{ }, closed by }
		quoted        // inside "…"
		heredoc
	)
	type frame struct {
		kind   int
		open   byte   // code: the bracket that opened it
		marker []byte // heredoc: the closing identifier
		cond   int    // chained ? seen in this frame
	}
	stack := []frame{{kind: code}}
	depth := 0 // len(stack)-1 plus every frame's cond
	top := func() *frame { return &stack[len(stack)-1] }
	push := func(f frame) bool {
		stack = append(stack, f)
		depth++
		return depth <= limit
	}
	pop := func() {
		depth -= 1 + top().cond
		stack = stack[:len(stack)-1]
	}
	lineStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		f := top()
		// Most bytes change nothing: runs of them are skipped without
		// the work below (a tenth of the scan's bytes are brackets,
		// quotes and operators).
		switch {
		case !skipPlain:
		case f.kind == code || f.kind == interp:
			if plainCode(c) {
				for i+1 < len(src) && plainCode(src[i+1]) {
					i++
				}
				lineStart = false
				continue
			}
		case f.kind == quoted || !lineStart:
			j := i
			for j < len(src) && plainText(src[j], f.kind == quoted) {
				j++
			}
			if j > i {
				i = j - 1
				lineStart = false
				continue
			}
		}
		switch f.kind {
		case quoted, heredoc:
			if f.kind == heredoc && lineStart {
				j := i
				for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
					j++
				}
				if hasWordAt(src, j, f.marker) {
					pop()
					i = j + len(f.marker) - 1
					lineStart = false
					continue
				}
			}
			lineStart = c == '\n'
			switch {
			case c == '\\' && f.kind == quoted:
				i++
			case c == '"' && f.kind == quoted:
				pop()
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				if i+2 < len(src) && src[i+2] == c { // $${ is a literal ${
					i += 2
					continue
				}
				i++
				if c == '%' { // %{ if } and %{ for } nest until their end
					switch templateKeyword(src[i+1:]) {
					case "if", "for":
						f.cond++
						depth++
					case "endif", "endfor":
						if f.cond > 0 {
							f.cond--
							depth--
						}
					}
				}
				if !push(frame{kind: interp}) {
					return i
				}
			case c == '\n' && f.kind == quoted:
				pop() // an unterminated string ends at the line
			}
			continue
		}
		lineStart = c == '\n'
		switch c {
		case '#':
			i = skipLine(src, i)
		case '/':
			switch {
			case i+1 < len(src) && src[i+1] == '/':
				i = skipLine(src, i)
			case i+1 < len(src) && src[i+1] == '*':
				end := indexFrom(src, i+2, "*/")
				if end < 0 {
					return -1
				}
				i = end + 1
			}
		case '"':
			if !push(frame{kind: quoted}) {
				return i
			}
		case '<':
			if m, next, ok := heredocStart(src, i); ok {
				if !push(frame{kind: heredoc, marker: m}) {
					return i
				}
				i = next - 1
				lineStart = true
			}
		case '(', '[', '{':
			if !push(frame{kind: code, open: c}) {
				return i
			}
		case '}':
			if len(stack) > 1 {
				pop()
			}
		case ')', ']':
			if len(stack) > 1 && f.kind == code {
				pop()
			}
		case '?':
			f.cond++
			depth++
			if depth > limit {
				return i
			}
		case ',', '\n':
			// A comma ends a conditional; so does a line, except inside
			// ( and [ where a chain may be written over lines.
			if c == ',' || f.open != '(' && f.open != '[' {
				depth -= f.cond
				f.cond = 0
			}
		case '!', '-':
			run, j := 0, i
			for ; j < len(src); j++ {
				if src[j] == '!' || src[j] == '-' {
					run++
				} else if src[j] != ' ' && src[j] != '\t' {
					break
				}
			}
			if depth+run > limit {
				return i
			}
			i = j - 1
		}
	}
	return -1
}

// plainCode reports whether c, outside strings and heredocs, neither
// nests nor starts a comment, a string, a heredoc or an operator run:
// HCLDepth's code cases leave it alone.
func plainCode(c byte) bool {
	switch c {
	case '#', '/', '"', '<', '(', '[', '{', '}', ')', ']', '?', ',', '\n', '!', '-':
		return false
	}
	return true
}

// plainText reports whether c is literal text in a string (quoted) or a
// heredoc that HCLDepth's cases leave alone: not an escape, a closing
// quote, a possible interpolation or a line end.
func plainText(c byte, quoted bool) bool {
	switch c {
	case '$', '%', '\n':
		return false
	case '\\', '"':
		return !quoted
	}
	return true
}

// JSONDepth reports the byte offset at which src, read as JSON, first
// nests arrays and objects deeper than limit, or -1. When strLimit > 0,
// the brackets, parentheses and braces inside each string are counted too
// (for strings parsed again: Terraform templates in .tf.json), and a
// string nesting them deeper than strLimit is reported, with inString set.
func JSONDepth(src []byte, limit, strLimit int) (off int, inString bool) {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			inner := 0
			for i++; i < len(src) && src[i] != '"'; i++ {
				switch src[i] {
				case '\\':
					i++
				case '(', '[', '{':
					inner++
					if strLimit > 0 && inner > strLimit {
						return i, true
					}
				case ')', ']', '}':
					inner = max(inner-1, 0)
				}
			}
		case '[', '{':
			depth++
			if depth > limit {
				return i, false
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return -1, false
}

// heredocStart reports whether a heredoc (<<ID or <<-ID, then a newline)
// starts at src[i], its closing identifier and the offset after the
// newline.
func heredocStart(src []byte, i int) (marker []byte, next int, ok bool) {
	j := i + 2
	if j > len(src) || src[i+1] != '<' {
		return nil, 0, false
	}
	if j < len(src) && src[j] == '-' {
		j++
	}
	k := j
	for k < len(src) && isIdent(src[k]) {
		k++
	}
	if k == j {
		return nil, 0, false
	}
	e := k
	if e < len(src) && src[e] == '\r' {
		e++
	}
	if e >= len(src) || src[e] != '\n' {
		return nil, 0, false
	}
	return src[j:k], e + 1, true
}

// templateKeyword returns the word that starts b after spaces and an
// optional strip marker (~).
func templateKeyword(b []byte) string {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '~') {
		i++
	}
	j := i
	for j < len(b) && b[j] >= 'a' && b[j] <= 'z' {
		j++
	}
	return string(b[i:j])
}

func isIdent(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// hasWordAt reports whether src holds w at i, followed by the end of the
// line or of src.
func hasWordAt(src []byte, i int, w []byte) bool {
	if i+len(w) > len(src) || !bytes.Equal(src[i:i+len(w)], w) {
		return false
	}
	e := i + len(w)
	return e == len(src) || src[e] == '\n' || src[e] == '\r'
}

// skipLine returns the offset before the end of the line at i, so that
// the caller's loop meets the newline next.
func skipLine(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i - 1
}

func indexFrom(src []byte, i int, s string) int {
	if j := bytes.Index(src[i:], []byte(s)); j >= 0 {
		return i + j
	}
	return -1
}
