package ignore

import (
	"bytes"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/bicepsyntax"
)

// scanBicep finds the directive comments of a .bicep file and the
// construct each covers, by the rule of HCL: a comment at the end of a
// line of code covers that line; a comment on its own line covers the
// declaration (resource, module, param, var, output; a nested resource)
// or the object property (or array element) that starts on the next line
// that is neither a comment nor a decorator, up to the line where it ends.
// A blank line, a closing bracket or the end of the file first: the
// comment covers nothing, a warning. Syntax errors are left to the ARM
// parser, which reports them.
func scanBicep(name string, src []byte) ([]model.Ignore, model.Diagnostics) {
	f := bicepsyntax.Parse(src)
	b := &bicepLines{src: src, file: f, starts: constructStarts(f)}
	b.lineStarts()
	var (
		out   []model.Ignore
		diags model.Diagnostics
	)
	for _, c := range f.Comments {
		text := commentText(c.Text)
		if !isDirective(text) {
			continue
		}
		at := bicepRange(name, c.Range)
		d, err := parseDirective(text)
		if err != nil {
			diags = append(diags, warning("Malformed azfuncscan:ignore", err.Error()+"; the comment is not applied", at))
			continue
		}
		var scope model.Range
		if b.codeBefore(c) || b.codeAfter(c) {
			scope = lines(name, c.Range.Start.Line, c.Range.Start.Line)
		} else {
			first, last, ok := b.construct(c.Range.End.Line + 1)
			if !ok {
				diags = append(diags, warning("azfuncscan:ignore applies to nothing",
					"the comment must be directly above a declaration or a property (no blank line between)", at))
				continue
			}
			scope = lines(name, first, last)
		}
		out = append(out, newIgnore(d, at, scope))
	}
	return out, diags
}

// span is a construct a comment may cover: first and last line.
type span struct{ first, last int }

// constructStarts maps each line to the outermost declaration or property
// starting on it.
func constructStarts(f *bicepsyntax.File) map[int]span {
	starts := map[int]span{}
	add := func(start, end bicepsyntax.Pos) {
		s, ok := starts[start.Line]
		if !ok || end.Line > s.last {
			starts[start.Line] = span{first: start.Line, last: max(end.Line, start.Line)}
		}
	}
	var walk func(ds []*bicepsyntax.Decl)
	walk = func(ds []*bicepsyntax.Decl) {
		for _, d := range ds {
			add(d.Range.Start, d.Range.End)
			for _, p := range d.Props {
				end := p.Value.End
				if end.Line == 0 {
					end = p.Key.End
				}
				add(p.Key.Start, end)
			}
			walk(d.Children)
		}
	}
	walk(f.Decls)
	return starts
}

// bicepLines answers questions about the lines of a .bicep file.
type bicepLines struct {
	src    []byte
	file   *bicepsyntax.File
	starts map[int]span
	// offs are the byte offsets of the lines' starts (line n at offs[n-1]).
	offs []int
}

func (b *bicepLines) lineStarts() {
	b.offs = []int{0}
	for i, c := range b.src {
		if c == '\n' {
			b.offs = append(b.offs, i+1)
		}
	}
}

// line returns the text of line n (1-based) without its line break; ok is
// false past the end.
func (b *bicepLines) line(n int) (string, bool) {
	if n < 1 || n > len(b.offs) {
		return "", false
	}
	end := len(b.src)
	if n < len(b.offs) {
		end = b.offs[n] - 1
	}
	return strings.TrimRight(string(b.src[b.offs[n-1]:end]), "\r"), true
}

// codeBefore reports whether code precedes comment c on its line.
func (b *bicepLines) codeBefore(c bicepsyntax.Comment) bool {
	start := b.offs[c.Range.Start.Line-1]
	return len(bytes.TrimSpace(b.src[start:c.Range.Start.Byte])) > 0 && !b.onlyComments(start, c.Range.Start.Byte)
}

// codeAfter reports whether code follows a block comment on its last line.
func (b *bicepLines) codeAfter(c bicepsyntax.Comment) bool {
	if !c.Block {
		return false
	}
	rest, _ := b.line(c.Range.End.Line)
	col := c.Range.End.Byte - b.offs[c.Range.End.Line-1]
	if col > len(rest) {
		return false
	}
	return strings.TrimSpace(rest[col:]) != ""
}

// onlyComments reports whether the bytes [from, to) hold only comments and
// spaces.
func (b *bicepLines) onlyComments(from, to int) bool {
	i := from
	for _, c := range b.file.Comments {
		if c.Range.End.Byte <= from || c.Range.Start.Byte >= to {
			continue
		}
		if len(bytes.TrimSpace(b.src[i:c.Range.Start.Byte])) > 0 {
			return false
		}
		i = c.Range.End.Byte
	}
	return i >= to || len(bytes.TrimSpace(b.src[i:to])) == 0
}

// construct returns the span of the construct the comment ending on the
// line before n is linked to: comment lines and decorators are skipped.
func (b *bicepLines) construct(n int) (first, last int, ok bool) {
	for {
		text, ok := b.line(n)
		if !ok {
			return 0, 0, false
		}
		trimmed := strings.TrimSpace(text)
		switch {
		case trimmed == "":
			return 0, 0, false
		case strings.HasPrefix(trimmed, "//") || strings.HasPrefix(trimmed, "/*"):
			n = b.afterComment(n)
			if n == 0 {
				return 0, 0, false
			}
			continue
		case strings.HasPrefix(trimmed, "@"):
			next, same := b.afterDecorator(n)
			if next == 0 {
				return 0, 0, false
			}
			if same {
				s, found := b.starts[next]
				return s.first, s.last, found
			}
			n = next
			continue
		}
		s, found := b.starts[n]
		if !found {
			return 0, 0, false
		}
		return s.first, s.last, true
	}
}

// afterComment returns the line after the comment(s) that start line n;
// 0 when code follows a block comment on its last line.
func (b *bicepLines) afterComment(n int) int {
	for _, c := range b.file.Comments {
		if c.Range.Start.Line != n {
			continue
		}
		if b.codeAfter(c) {
			return 0
		}
		return c.Range.End.Line + 1
	}
	return n + 1
}

// afterDecorator skips the decorators that start line n (their
// parentheses may span lines). It returns the line after them, or, when a
// declaration follows the last one on its line, that line with same set.
func (b *bicepLines) afterDecorator(n int) (next int, same bool) {
	toks := b.file.Tokens
	i := 0
	for i < len(toks) && (toks[i].Range.Start.Line < n || toks[i].Kind == bicepsyntax.Newline) {
		i++
	}
	for i < len(toks) && toks[i].Kind == bicepsyntax.Punct && toks[i].Text == "@" {
		// @name(…) or @ns.name(…): to the matching parenthesis.
		for i < len(toks) && (toks[i].Kind != bicepsyntax.Punct || toks[i].Text != "(") {
			if toks[i].Kind == bicepsyntax.Newline || toks[i].Kind == bicepsyntax.EOF {
				return 0, false
			}
			i++
		}
		depth := 0
		for ; i < len(toks); i++ {
			t := toks[i]
			if t.Kind == bicepsyntax.EOF {
				return 0, false
			}
			if t.Kind != bicepsyntax.Punct {
				continue
			}
			switch t.Text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if i >= len(toks) {
			return 0, false
		}
		closeLine := toks[i].Range.End.Line
		i++
		if i >= len(toks) || toks[i].Kind == bicepsyntax.EOF {
			return 0, false
		}
		if toks[i].Kind == bicepsyntax.Newline {
			return closeLine + 1, false
		}
		if toks[i].Kind != bicepsyntax.Punct || toks[i].Text != "@" {
			return toks[i].Range.Start.Line, true
		}
	}
	return 0, false
}

// bicepRange converts a comment's range.
func bicepRange(name string, r bicepsyntax.Range) model.Range {
	return model.Range{
		Filename: name,
		Start:    model.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      model.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}
