package lsp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Flagged is one finding shown in a document, as code action providers
// see it.
type Flagged struct {
	// Diagnostic is what the server published for it.
	Diagnostic protocol.Diagnostic
	Check      *engine.Check
	Finding    *engine.Finding
	// Format is the format of the root it was found in.
	Format model.Format
	fix    []fixTarget
}

// ActionRequest is a code action request as providers see it.
type ActionRequest struct {
	URI  protocol.DocumentURI
	Path string // absolute
	// Text is the open document's text, else the file's (nil when it
	// cannot be read).
	Text  []byte
	Range protocol.Range
	// Flagged are the findings shown in the document whose first line
	// is within Range's lines, by position.
	Flagged []Flagged
}

// An ActionProvider offers code actions for a request; nil when it has
// none. Providers must not keep the request.
type ActionProvider func(req *ActionRequest) []protocol.CodeAction

// defaultActions are the built-in providers: fix a finding whose check
// has an automatic fix (the preferred action), and suppress a finding
// with an azfuncscan:ignore comment (HCL, Bicep) or in the resource's
// metadata (ARM templates). Options.Actions run after them.
func (s *Server) defaultActions() []ActionProvider {
	return []ActionProvider{s.fixActions, suppressComment, s.suppressARM}
}

// codeActions asks every provider, in order, for the actions of the
// findings in the requested range.
func (s *Server) codeActions(p protocol.CodeActionParams) []protocol.CodeAction {
	path, ok := pathOf(p.TextDocument.URI)
	if !ok {
		return []protocol.CodeAction{}
	}
	s.mu.Lock()
	items := s.fileItems(path)
	var text []byte
	if d := s.docs[path]; d != nil {
		text = d.text
	}
	s.mu.Unlock()
	if text == nil {
		text, _ = os.ReadFile(path) // unreadable: providers get no text
	}
	req := &ActionRequest{URI: p.TextDocument.URI, Path: path, Text: text, Range: p.Range}
	for i := range items {
		it := &items[i]
		r := it.diag.Range
		if it.check == nil || r.End.Line < p.Range.Start.Line || r.Start.Line > p.Range.End.Line {
			continue
		}
		req.Flagged = append(req.Flagged, Flagged{Diagnostic: it.diag, Check: it.check, Finding: it.finding, Format: it.format, fix: it.fix})
	}
	out := []protocol.CodeAction{}
	if len(req.Flagged) == 0 {
		return out
	}
	for _, provide := range append(s.defaultActions(), s.opts.Actions...) {
		out = append(out, provide(req)...)
	}
	return out
}

// ReasonPlaceholder is the reason the suppress code actions write, for
// the user to replace.
const ReasonPlaceholder = "TODO: say why this is acceptable"

// suppressTitle is the title of the suppress action for a check.
func suppressTitle(id string) string { return "Suppress " + id + " here (with reason)" }

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

// suppressComment offers, in HCL and Bicep documents, for each check
// flagged, to suppress it with an azfuncscan:ignore comment above the
// flagged line (which covers the construct starting there).
func suppressComment(req *ActionRequest) []protocol.CodeAction {
	prefix := commentPrefix(req.Path)
	if prefix == "" {
		return nil
	}
	lines := bytes.Split(req.Text, []byte("\n"))
	var out []protocol.CodeAction
	seen := map[string]bool{}
	for i := range req.Flagged {
		f := &req.Flagged[i]
		line := f.Diagnostic.Range.Start.Line
		key := fmt.Sprintf("%s|%d", f.Check.ID, line)
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
		out = append(out, suppressAction(req, f, protocol.TextEdit{
			Range:   protocol.Range{Start: at, End: at},
			NewText: indent + prefix + " azfuncscan:ignore[" + f.Check.ID + "] " + ReasonPlaceholder + "\n",
		}))
	}
	return out
}

func suppressAction(req *ActionRequest, f *Flagged, edit protocol.TextEdit) protocol.CodeAction {
	return protocol.CodeAction{
		Title:       suppressTitle(f.Check.ID),
		Kind:        protocol.QuickFix,
		Diagnostics: []protocol.Diagnostic{f.Diagnostic},
		Edit:        &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{req.URI: {edit}}},
	}
}

// suppressARM offers, in ARM templates, for each check flagged inside a
// resource, to add an entry to the resource's metadata.azfuncscan.ignore
// list (creating what is missing of it), which covers the findings
// located in that resource object. Where and what to insert is the
// Loader's (the parsers know the syntax).
func (s *Server) suppressARM(req *ActionRequest) []protocol.CodeAction {
	switch strings.ToLower(filepath.Ext(req.Path)) {
	case ".json", ".jsonc":
	default:
		return nil
	}
	var out []protocol.CodeAction
	seen := map[string]bool{}
	for i := range req.Flagged {
		f := &req.Flagged[i]
		off, text, ok := s.opts.Loader.ARMIgnoreEntry(req.Text, offsetOf(req.Text, f.Diagnostic.Range.Start), f.Check.ID, ReasonPlaceholder)
		key := fmt.Sprintf("%s|%d", f.Check.ID, off)
		if !ok || seen[key] {
			continue
		}
		seen[key] = true
		at := positionOf(req.Text, off)
		out = append(out, suppressAction(req, f, protocol.TextEdit{Range: protocol.Range{Start: at, End: at}, NewText: text}))
	}
	return out
}

// offsetOf returns the byte offset of a protocol position in src.
func offsetOf(src []byte, p protocol.Position) int {
	off := 0
	for line := uint32(0); line < p.Line; line++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return len(src)
		}
		off += i + 1
	}
	for units := uint32(0); units < p.Character && off < len(src) && src[off] != '\n'; {
		r, size := utf8.DecodeRune(src[off:])
		off += size
		units++
		if r >= 0x10000 {
			units++
		}
	}
	return off
}

// positionOf returns the protocol position of a byte offset in src.
func positionOf(src []byte, off int) protocol.Position {
	off = min(off, len(src))
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	return protocol.Position{
		Line:      uint32(bytes.Count(src[:off], []byte("\n"))), //nolint:gosec // a line count is not negative
		Character: utf16Len(src[lineStart:off]),
	}
}

// fixTitlePrefix starts the title of every fix code action.
const fixTitlePrefix = "Fix: "

// fixActions offers, for each flagged finding with a fix, the quick fix
// "Fix: <the fix's message>" (preferred): a workspace edit of the files
// the fix edits (which may be other files than the document: the tfvars
// line, the variable's default; a fix with several settings may edit
// several), whose text edits are computed from each open document's
// unsaved text, else the file's. A finding one of whose fix files changed
// since the evaluation (a newer document version: the edits' offsets are
// stale) or whose edits of one file cannot be made gets none (never part
// of a fix) until it is evaluated again.
func (s *Server) fixActions(req *ActionRequest) []protocol.CodeAction {
	if s.opts.FixChanges == nil {
		return nil
	}
	var out []protocol.CodeAction
	seen := map[string]bool{}
	for i := range req.Flagged {
		f := &req.Flagged[i]
		if f.Finding == nil || f.Finding.Fix == nil || len(f.fix) == 0 {
			continue
		}
		fx := f.Finding.Fix
		var key strings.Builder
		for _, t := range f.fix {
			for _, e := range t.edits {
				fmt.Fprintf(&key, "%s|%s|%d|%s|%v\n", t.file, e.Kind, e.Range.Start.Byte, strings.Join(e.Path, "."), e.Value)
			}
		}
		if seen[key.String()] {
			continue
		}
		seen[key.String()] = true
		changes := map[protocol.DocumentURI][]protocol.TextEdit{}
		ok := true
		for _, t := range f.fix {
			text, u, found := s.fixSource(t)
			if !found {
				ok = false
				break
			}
			reps, err := s.opts.FixChanges(t.file, text, t.edits)
			if err != nil {
				s.logf("fix %s: %v", f.Check.ID, err)
				ok = false
				break
			}
			for _, r := range reps {
				changes[u] = append(changes[u], protocol.TextEdit{
					Range:   protocol.Range{Start: positionOf(text, r.Range.Start.Byte), End: positionOf(text, r.Range.End.Byte)},
					NewText: r.Text,
				})
			}
		}
		if !ok || len(changes) == 0 {
			continue
		}
		title := fx.Message
		if !strings.HasPrefix(title, fixTitlePrefix) {
			title = fixTitlePrefix + title
		}
		out = append(out, protocol.CodeAction{
			Title:       title,
			Kind:        protocol.QuickFix,
			Diagnostics: []protocol.Diagnostic{f.Diagnostic},
			IsPreferred: true,
			Edit:        &protocol.WorkspaceEdit{Changes: changes},
		})
	}
	return out
}

// fixSource returns the text a fix's edit applies to and the URI to
// edit: the open document's (when the evaluation read the same version),
// else the file on disk (when the evaluation read it from disk too).
func (s *Server) fixSource(t fixTarget) ([]byte, protocol.DocumentURI, bool) {
	s.mu.Lock()
	d := s.docs[t.file]
	var text []byte
	var u protocol.DocumentURI
	if d != nil {
		text, u = d.text, d.uri
	}
	s.mu.Unlock()
	switch {
	case d != nil && (!t.open || d.version != t.version):
		return nil, "", false
	case d != nil:
		return text, u, true
	case t.open:
		// Closed since: its text may differ from what was evaluated.
		return nil, "", false
	}
	src, err := os.ReadFile(t.file)
	if err != nil {
		return nil, "", false
	}
	return src, uri.File(t.file), true
}
