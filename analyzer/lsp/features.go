package lsp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// hover describes the checks flagged at a position: title, severity, why
// it matters and the remediation for the document's format. nil when
// nothing is flagged there.
func (s *Server) hover(p protocol.HoverParams) *protocol.Hover {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil
	}
	s.mu.Lock()
	items := s.fileItems(path)
	s.mu.Unlock()
	var (
		b    strings.Builder
		seen = map[string]bool{}
		rng  *protocol.Range
	)
	for i := range items {
		it := &items[i]
		if it.check == nil || !contains(it.diag.Range, p.Position) || seen[it.check.ID] {
			continue
		}
		seen[it.check.ID] = true
		if rng == nil {
			r := it.diag.Range
			rng = &r
		}
		c := it.check
		if b.Len() > 0 {
			b.WriteString("\n\n---\n\n")
		}
		b.WriteString("**" + c.ID + ": " + c.Title + "** (" + string(c.Severity) + ")\n\n")
		if d := strings.TrimSpace(c.Description); d != "" {
			b.WriteString(d + "\n\n")
		}
		if r := strings.TrimSpace(remediation(c.Remediation, it.format)); r != "" {
			b.WriteString("**How to fix**")
			if it.format != "" {
				b.WriteString(" (" + string(it.format) + ")")
			}
			b.WriteString(":\n\n" + r + "\n\n")
		}
		if it.diag.CodeDescription != nil {
			b.WriteString("[" + c.ID + " documentation](" + string(it.diag.CodeDescription.Href) + ")")
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: strings.TrimSpace(b.String())}, Range: rng}
}

// remediation returns the remediation for a format, else the only one
// there is.
func remediation(m map[model.Format]string, f model.Format) string {
	if r, ok := m[f]; ok {
		return r
	}
	if len(m) == 1 {
		for _, r := range m {
			return r
		}
	}
	return ""
}

// contains reports whether r holds position p (ends included).
func contains(r protocol.Range, p protocol.Position) bool {
	after := p.Line > r.Start.Line || (p.Line == r.Start.Line && p.Character >= r.Start.Character)
	before := p.Line < r.End.Line || (p.Line == r.End.Line && p.Character <= r.End.Character)
	return after && before
}

// commentPrefix is the line comment of a file in which azfuncscan:ignore
// comments are read, "" for other files.
func commentPrefix(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".tf", ".tfvars", ".tofu", ".hcl":
		return "#"
	case ".bicep":
		return "//"
	}
	return ""
}

// ReasonPlaceholder is the reason the suppress code action writes, for
// the user to replace.
const ReasonPlaceholder = "TODO: say why this is acceptable"

// codeActions offers, for each check flagged in the range of an HCL or
// Bicep document, to suppress it with a comment above the flagged line.
func (s *Server) codeActions(p protocol.CodeActionParams) []protocol.CodeAction {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return nil
	}
	prefix := commentPrefix(path)
	if prefix == "" {
		return nil
	}
	s.mu.Lock()
	items := s.fileItems(path)
	var text []byte
	if d := s.docs[path]; d != nil {
		text = d.text
	}
	s.mu.Unlock()
	if text == nil {
		text, _ = os.ReadFile(path) // unreadable: no indentation to copy
	}
	lines := bytes.Split(text, []byte("\n"))
	out := []protocol.CodeAction{}
	seen := map[string]bool{}
	for i := range items {
		it := &items[i]
		r := it.diag.Range
		if it.check == nil || r.End.Line < p.Range.Start.Line || r.Start.Line > p.Range.End.Line {
			continue
		}
		line := r.Start.Line
		key := fmt.Sprintf("%s|%d", it.check.ID, line)
		if seen[key] {
			continue
		}
		seen[key] = true
		indent := ""
		if int(line) < len(lines) {
			l := lines[line]
			indent = string(l[:len(l)-len(bytes.TrimLeft(l, " \t"))])
		}
		at := protocol.Position{Line: line}
		out = append(out, protocol.CodeAction{
			Title:       "Suppress " + it.check.ID + " here (with reason)",
			Kind:        protocol.QuickFix,
			Diagnostics: []protocol.Diagnostic{it.diag},
			Edit: &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{
				p.TextDocument.URI: {{
					Range:   protocol.Range{Start: at, End: at},
					NewText: indent + prefix + " azfuncscan:ignore[" + it.check.ID + "] " + ReasonPlaceholder + "\n",
				}},
			}},
		})
	}
	return out
}
