package bicepsyntax

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a Bicep file: 1-based line and column (in
// characters) and 0-based byte offset.
type Pos struct {
	Line   int
	Column int
	Byte   int
}

// Range is a span of a Bicep file, End exclusive.
type Range struct {
	Start Pos
	End   Pos
}

// TokenKind is the kind of a token.
type TokenKind uint8

// Token kinds.
const (
	EOF TokenKind = iota
	Newline
	Ident
	Number
	// String is a single-quoted string; Token.Interp tells whether it
	// holds ${…} interpolations.
	String
	// MultilineString is a multi-line string between triple apostrophes.
	MultilineString
	// Punct is punctuation or an operator: { } [ ] ( ) , : :: . ? ?? = ==
	// != ! < <= > >= && || => @ and the like.
	Punct
	// Invalid is a character Bicep does not allow, or an unterminated
	// string or comment.
	Invalid
)

// Token is a lexical token.
type Token struct {
	Kind TokenKind
	// Text is the token's source text.
	Text string
	// Value is the content of a String without interpolation and of a
	// MultilineString, with escapes resolved.
	Value string
	// Interp is set for a String with ${…} interpolations; Parts then
	// holds the literal pieces (escapes resolved) around the source text
	// of each interpolated expression in Exprs: len(Parts) is
	// len(Exprs)+1.
	Interp bool
	Parts  []string
	Exprs  []string
	Range  Range
}

// maxInterpDepth bounds strings inside interpolations inside strings.
const maxInterpDepth = 64

// lines converts byte offsets to positions.
type lines struct {
	src    []byte
	starts []int // byte offset of each line's start
	// cache: the last position computed, to count columns on from it.
	last Pos
}

func newLines(src []byte) *lines {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lines{src: src, starts: starts}
}

// pos returns the position of byte offset off (clamped to the source).
// Offsets asked in increasing order on one line cost only the distance
// between them.
func (ls *lines) pos(off int) Pos {
	off = max(0, min(off, len(ls.src)))
	line := sort.Search(len(ls.starts), func(i int) bool { return ls.starts[i] > off }) // 1-based line
	start := ls.starts[line-1]
	from, col := start, 1
	if ls.last.Line == line && ls.last.Byte <= off && (ls.last.Byte == len(ls.src) || utf8.RuneStart(ls.src[ls.last.Byte])) {
		from, col = ls.last.Byte, ls.last.Column
	}
	col += utf8.RuneCount(ls.src[from:off])
	p := Pos{Line: line, Column: col, Byte: off}
	ls.last = p
	return p
}

func (ls *lines) rng(start, end int) Range {
	s := ls.pos(start)
	return Range{Start: s, End: ls.pos(end)}
}

// lexer turns source bytes into tokens.
type lexer struct {
	src      []byte
	ls       *lines
	toks     []Token
	errs     []Error
	comments []Comment
}

// Comment is a // or /* */ comment, kept beside the tokens (the parser
// does not see comments): its text with the markers and Range, which
// ends before a line comment's line break.
type Comment struct {
	Text  string
	Range Range
	// Block is set for /* */.
	Block bool
}

// Lex returns the tokens of src, ending with an EOF token, and the
// lexical errors. Runs of line breaks are one Newline token.
func Lex(src []byte) ([]Token, []Error) {
	lx := lex(src)
	return lx.toks, lx.errs
}

func lex(src []byte) *lexer {
	lx := &lexer{src: src, ls: newLines(src)}
	lx.run()
	return lx
}

func (lx *lexer) errorf(start, end int, msg string) {
	lx.errs = append(lx.errs, Error{Range: lx.ls.rng(start, end), Message: msg})
}

func (lx *lexer) emit(k TokenKind, start, end int) *Token {
	lx.toks = append(lx.toks, Token{Kind: k, Text: string(lx.src[start:end]), Range: lx.ls.rng(start, end)})
	return &lx.toks[len(lx.toks)-1]
}

func (lx *lexer) run() {
	i := 0
	for i < len(lx.src) {
		i = lx.next(i, 0)
	}
	lx.emit(EOF, len(lx.src), len(lx.src))
}

// next lexes the token at i and returns the offset after it. depth is the
// interpolation depth (strings inside ${…} inside strings).
func (lx *lexer) next(i, depth int) int {
	src := lx.src
	c := src[i]
	switch {
	case c == ' ' || c == '\t' || c == '\r':
		return i + 1
	case c == '\n':
		if n := len(lx.toks); n == 0 || lx.toks[n-1].Kind != Newline {
			lx.emit(Newline, i, i+1)
		}
		return i + 1
	case c == '/' && i+1 < len(src) && src[i+1] == '/':
		start := i
		for i < len(src) && src[i] != '\n' {
			i++
		}
		end := i
		if end > start && src[end-1] == '\r' {
			end--
		}
		if depth == 0 {
			lx.comments = append(lx.comments, Comment{Text: string(src[start:end]), Range: lx.ls.rng(start, end)})
		}
		return i
	case c == '#' && bytes.HasPrefix(src[i:], []byte("#disable-")):
		// #disable-next-line BCP036 / #disable-diagnostics: a pragma
		// for the Bicep compiler, to the end of the line.
		for i < len(src) && src[i] != '\n' {
			i++
		}
		return i
	case c == '/' && i+1 < len(src) && src[i+1] == '*':
		end := bytes.Index(src[i+2:], []byte("*/"))
		if end < 0 {
			lx.errorf(i, len(src), "unterminated /* comment")
			return len(src)
		}
		// A block comment spanning lines separates like a line break.
		j := i + 2 + end + 2
		if depth == 0 {
			lx.comments = append(lx.comments, Comment{Text: string(src[i:j]), Range: lx.ls.rng(i, j), Block: true})
		}
		if bytes.IndexByte(src[i:j], '\n') >= 0 {
			if n := len(lx.toks); n == 0 || lx.toks[n-1].Kind != Newline {
				lx.emit(Newline, i, j)
			}
		}
		return j
	case c == '\'' && i+2 < len(src) && src[i+1] == '\'' && src[i+2] == '\'':
		return lx.multiline(i)
	case c == '\'':
		return lx.str(i, depth)
	case isDigit(c):
		j := i
		for j < len(src) && isDigit(src[j]) {
			j++
		}
		if j+1 < len(src) && src[j] == '.' && isDigit(src[j+1]) {
			j++
			for j < len(src) && isDigit(src[j]) {
				j++
			}
		}
		lx.emit(Number, i, j)
		return j
	case isIdentStart(c):
		j := i
		for j < len(src) && isIdentPart(src[j]) {
			j++
		}
		lx.emit(Ident, i, j)
		return j
	}
	if n := punctLen(src[i:]); n > 0 {
		lx.emit(Punct, i, i+n)
		return i + n
	}
	_, size := utf8.DecodeRune(src[i:])
	lx.emit(Invalid, i, i+size)
	lx.errorf(i, i+size, "unexpected character "+quoteChar(src[i:i+size]))
	return i + size
}

// multiline lexes a multi-line string (triple apostrophes) at i.
func (lx *lexer) multiline(i int) int {
	end := bytes.Index(lx.src[i+3:], []byte("'''"))
	if end < 0 {
		lx.errorf(i, len(lx.src), "unterminated ''' string")
		lx.emit(Invalid, i, len(lx.src))
		return len(lx.src)
	}
	j := i + 3 + end + 3
	// Four or more closing quotes: the string ends at the last three.
	for j < len(lx.src) && lx.src[j] == '\'' {
		j++
	}
	t := lx.emit(MultilineString, i, j)
	v := string(lx.src[i+3 : j-3])
	// A line break right after the opening quotes is not content.
	v = strings.TrimPrefix(strings.TrimPrefix(v, "\r"), "\n")
	t.Value = v
	return j
}

// str lexes a single-quoted string at i, interpolations included.
func (lx *lexer) str(i, depth int) int {
	src := lx.src
	var b strings.Builder
	interp := false
	var parts, exprs []string
	j := i + 1
	for {
		if j >= len(src) || src[j] == '\n' {
			lx.errorf(i, j, "unterminated string")
			lx.emit(Invalid, i, j)
			return j
		}
		c := src[j]
		switch {
		case c == '\'':
			t := lx.emit(String, i, j+1)
			t.Interp = interp
			if interp {
				parts = append(parts, b.String())
				t.Parts, t.Exprs = parts, exprs
			} else {
				t.Value = b.String()
			}
			return j + 1
		case c == '\\':
			if j+1 >= len(src) || src[j+1] == '\n' {
				j++
				continue
			}
			switch e := src[j+1]; e {
			case '\'', '\\', '$':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				if k := bytes.IndexByte(src[j:min(len(src), j+12)], '}'); j+2 < len(src) && src[j+2] == '{' && k > 3 {
					if r, ok := hexRune(src[j+3 : j+k]); ok {
						b.WriteRune(r)
						j += k + 1
						continue
					}
				}
				lx.errorf(j, j+2, "invalid \\u escape")
			default:
				_, size := utf8.DecodeRune(src[j+1:])
				lx.errorf(j, j+1+size, "invalid escape \\"+string(src[j+1:j+1+size]))
				j += 1 + size
				continue
			}
			j += 2
		case c == '$' && j+1 < len(src) && src[j+1] == '{':
			interp = true
			parts = append(parts, b.String())
			b.Reset()
			k := lx.interpolation(j, depth)
			exprs = append(exprs, strings.TrimSpace(string(src[j+2:max(j+2, k-1)])))
			j = k
		default:
			b.WriteByte(c)
			j++
		}
	}
}

// interpolation skips the ${…} at j and returns the offset after its }.
// The tokens inside are lexed (so that strings and braces are balanced)
// and dropped.
func (lx *lexer) interpolation(j, depth int) int {
	if depth >= maxInterpDepth {
		lx.errorf(j, j+2, "interpolation nested too deep")
		k := bytes.IndexByte(lx.src[j:], '}')
		if k < 0 {
			return len(lx.src)
		}
		return j + k + 1
	}
	mark := len(lx.toks)
	k := j + 2
	braces := 0
	for k < len(lx.src) {
		c := lx.src[k]
		if c == '\n' {
			// Bicep allows line breaks inside an interpolation's
			// expression; they do not end the statement.
			k++
			continue
		}
		if c == '}' && braces == 0 {
			lx.toks = lx.toks[:mark]
			return k + 1
		}
		switch c {
		case '{':
			braces++
		case '}':
			braces--
		}
		k = lx.next(k, depth+1)
	}
	lx.toks = lx.toks[:mark]
	lx.errorf(j, len(lx.src), "unterminated ${ interpolation")
	return len(lx.src)
}

// punctLen returns the length of the punctuation at the start of s, 0
// when none.
func punctLen(s []byte) int {
	if len(s) >= 2 {
		switch string(s[:2]) {
		case "::", "??", "==", "!=", "<=", ">=", "&&", "||", "=>", "=~", "!~", ".?", "[?":
			return 2
		}
	}
	switch s[0] {
	case '{', '}', '[', ']', '(', ')', ',', ':', '.', '?', '=', '!', '<', '>', '@', '+', '-', '*', '/', '%', '|', '&', '^':
		return 1
	}
	return 0
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }

func hexRune(h []byte) (rune, bool) {
	if len(h) == 0 || len(h) > 6 {
		return 0, false
	}
	var r rune
	for _, c := range h {
		switch {
		case isDigit(c):
			r = r*16 + rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r*16 + rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r*16 + rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, r <= utf8.MaxRune
}

func quoteChar(b []byte) string {
	r, _ := utf8.DecodeRune(b)
	if r == utf8.RuneError {
		return "(invalid UTF-8)"
	}
	return "'" + string(r) + "'"
}
