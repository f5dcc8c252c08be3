package lsp

import (
	"os"
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestFixActions: the fix action's text edits come from the open
// document's text, converted to UTF-16 positions; none is offered while
// the document is newer than the evaluation (its offsets would be
// stale), for a finding without a fix, or without FixChanges; a file
// that is not open is read from disk.
func TestFixActions(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "main.tf")
	closed := filepath.Join(dir, "terraform.tfvars")
	if err := os.WriteFile(closed, []byte("x = false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// "false" is at bytes 13-18 of the open text, after "é🚀" (6 bytes,
	// 3 UTF-16 units): characters 10-15 of line 0.
	text := []byte("# é🚀 a = false\n")
	var got []string // the texts FixChanges was given
	s := New(Options{FixChanges: func(path string, src []byte, edits []model.Edit) ([]model.Replacement, error) {
		e := edits[0]
		got = append(got, string(src))
		start := model.Pos{Line: 1, Byte: e.Range.Start.Byte}
		end := model.Pos{Line: 1, Byte: e.Range.Start.Byte + 5}
		return []model.Replacement{{Range: model.Range{Filename: path, Start: start, End: end}, Text: "true"}}, nil
	}})
	s.docs[open] = &document{uri: uri.File(open), version: 3, text: text}
	check := &engine.Check{ID: "AZFUNC-040"}
	flagged := func(file string, off int, target fixTarget) Flagged {
		e := model.Edit{Kind: model.EditReplace, Range: model.Range{Filename: file, Start: model.Pos{Line: 1, Byte: off}}, Value: true}
		target.edits = []model.Edit{e}
		return Flagged{
			Check: check,
			Finding: &engine.Finding{CheckID: "AZFUNC-040", Fix: &engine.Fix{
				Message: "Fix: set x to true",
				Edits:   []model.Edit{e},
			}},
			fix: []fixTarget{target},
		}
	}
	req := &ActionRequest{URI: uri.File(open), Path: open, Text: text, Flagged: []Flagged{
		flagged(open, 13, fixTarget{file: open, open: true, version: 3}),
		flagged(closed, 4, fixTarget{file: closed}),
	}}
	acts := s.fixActions(req)
	if len(acts) != 2 {
		t.Fatalf("%d actions, want 2: %+v", len(acts), acts)
	}
	if a := acts[0]; a.Title != "Fix: set x to true" || a.Kind != protocol.QuickFix || !a.IsPreferred {
		t.Errorf("action %+v", a)
	}
	e := acts[0].Edit.Changes[uri.File(open)]
	if len(e) != 1 || e[0].NewText != "true" || e[0].Range != (protocol.Range{Start: protocol.Position{Character: 10}, End: protocol.Position{Character: 15}}) {
		t.Errorf("edit of the open document: %+v", e)
	}
	e = acts[1].Edit.Changes[uri.File(closed)]
	if len(e) != 1 || e[0].Range != (protocol.Range{Start: protocol.Position{Character: 4}, End: protocol.Position{Character: 9}}) {
		t.Errorf("edit of the closed file: %+v", e)
	}
	if len(got) != 2 || got[0] != string(text) || got[1] != "x = false\n" {
		t.Errorf("FixChanges was given %q", got)
	}

	// A fix that edits two files (two settings decided in two places):
	// one action changing both; none at all while one of them is stale.
	two := flagged(open, 13, fixTarget{file: open, open: true, version: 3})
	other := flagged(closed, 4, fixTarget{file: closed})
	two.Finding.Fix.Edits = append(two.Finding.Fix.Edits, other.Finding.Fix.Edits...)
	two.fix = append(two.fix, other.fix...)
	twoReq := &ActionRequest{URI: uri.File(open), Path: open, Text: text, Flagged: []Flagged{two}}
	if acts := s.fixActions(twoReq); len(acts) != 1 || len(acts[0].Edit.Changes) != 2 ||
		len(acts[0].Edit.Changes[uri.File(open)]) != 1 || len(acts[0].Edit.Changes[uri.File(closed)]) != 1 {
		t.Errorf("two-file fix: %+v", acts)
	}
	s.docs[open].version = 4
	if acts := s.fixActions(twoReq); len(acts) != 0 {
		t.Errorf("a two-file fix with a stale document was offered (in part): %+v", acts)
	}
	s.docs[open].version = 3

	// The document changed since the evaluation: no fix for it.
	s.docs[open].version = 4
	if acts := s.fixActions(req); len(acts) != 1 || acts[0].Edit.Changes[uri.File(closed)] == nil {
		t.Errorf("stale document: %+v", acts)
	}
	// The closed file was opened since: its buffer may differ.
	s.docs[closed] = &document{uri: uri.File(closed), version: 1, text: []byte("x = false\n")}
	if acts := s.fixActions(req); len(acts) != 0 {
		t.Errorf("file opened since the evaluation: %+v", acts)
	}
	// No fix, or no FixChanges: nothing.
	req.Flagged[0].Finding.Fix = nil
	s.docs[open].version = 3
	delete(s.docs, closed)
	if acts := s.fixActions(req); len(acts) != 1 {
		t.Errorf("a finding without a fix got an action: %+v", acts)
	}
	s.opts.FixChanges = nil
	if acts := s.fixActions(req); len(acts) != 0 {
		t.Errorf("without FixChanges: %+v", acts)
	}
}
