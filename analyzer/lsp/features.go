package lsp

import (
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
