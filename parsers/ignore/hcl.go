package ignore

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// scanHCL finds the directive comments of an HCL file (.tf, .tfvars) and
// the construct each covers. Lexing errors are left to the Terraform
// parser, which reports them.
func scanHCL(name string, src []byte) ([]model.Ignore, model.Diagnostics) {
	toks, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	var (
		out   []model.Ignore
		diags model.Diagnostics
	)
	for i, t := range toks {
		if t.Type != hclsyntax.TokenComment {
			continue
		}
		text := commentText(string(t.Bytes))
		if !isDirective(text) {
			continue
		}
		at := commentRange(name, t)
		d, err := parseDirective(text)
		if err != nil {
			diags = append(diags, warning("Malformed azfuncscan:ignore", err.Error()+"; the comment is not applied", at))
			continue
		}
		var scope model.Range
		if i > 0 && trailsCode(toks[i-1], t) {
			scope = lines(name, t.Range.Start.Line, t.Range.Start.Line)
		} else {
			first, last, ok := hclConstruct(toks, i)
			if !ok {
				diags = append(diags, warning("azfuncscan:ignore applies to nothing",
					"the comment must be directly above an attribute or a block (no blank line between)", at))
				continue
			}
			scope = lines(name, first, last)
		}
		out = append(out, newIgnore(d, at, scope))
	}
	return out, diags
}

// trailsCode reports whether comment t follows code on its line.
func trailsCode(prev, t hclsyntax.Token) bool {
	if prev.Range.End.Line != t.Range.Start.Line {
		return false
	}
	switch prev.Type {
	case hclsyntax.TokenNewline:
		return false
	case hclsyntax.TokenComment:
		return !strings.HasSuffix(string(prev.Bytes), "\n")
	}
	return true
}

// endsLine reports whether a token ends its line (a newline, or a line
// comment, whose token includes the newline).
func endsLine(t hclsyntax.Token) bool {
	return t.Type == hclsyntax.TokenNewline ||
		(t.Type == hclsyntax.TokenComment && strings.HasSuffix(string(t.Bytes), "\n"))
}

// hclConstruct returns the first and last line of the attribute or block
// that starts on the line after the comment at toks[i] (other comments in
// between are skipped). ok is false when a blank line, a closing bracket
// or the end of the file comes first.
func hclConstruct(toks hclsyntax.Tokens, i int) (first, last int, ok bool) {
	j := i
	for j < len(toks) && toks[j].Type == hclsyntax.TokenComment {
		if !endsLine(toks[j]) {
			// a /* */ comment: its line must end right after it
			if j+1 >= len(toks) || toks[j+1].Type != hclsyntax.TokenNewline {
				return 0, 0, false
			}
			j++
		}
		j++
	}
	if j >= len(toks) {
		return 0, 0, false
	}
	switch toks[j].Type {
	case hclsyntax.TokenNewline, hclsyntax.TokenEOF,
		hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen:
		return 0, 0, false
	}
	first = toks[j].Range.Start.Line
	last = first
	depth := 0
	for k := j; k < len(toks); k++ {
		t := toks[k]
		switch t.Type {
		case hclsyntax.TokenEOF:
			return first, last, true
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenOQuote:
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCHeredoc, hclsyntax.TokenCQuote:
			depth--
		}
		if t.Type != hclsyntax.TokenNewline {
			last = t.Range.Start.Line
		}
		if depth <= 0 && endsLine(t) {
			return first, last, true
		}
	}
	return first, last, true
}

// commentRange is the range of a comment token without its newline.
func commentRange(name string, t hclsyntax.Token) model.Range {
	text := strings.TrimRight(string(t.Bytes), "\r\n")
	end := t.Range.Start
	end.Byte += len(text)
	if nl := strings.LastIndexByte(text, '\n'); nl >= 0 {
		end.Line += strings.Count(text, "\n")
		end.Column = len([]rune(text[nl+1:])) + 1
	} else {
		end.Column += len([]rune(text))
	}
	return model.Range{
		Filename: name,
		Start:    model.Pos{Line: t.Range.Start.Line, Column: t.Range.Start.Column, Byte: t.Range.Start.Byte},
		End:      model.Pos{Line: end.Line, Column: end.Column, Byte: end.Byte},
	}
}
