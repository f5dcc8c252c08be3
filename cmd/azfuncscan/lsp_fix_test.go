package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// diagAt returns the diagnostic with code id, or nil.
func diagAt(ds []protocol.Diagnostic, id string) *protocol.Diagnostic {
	for i := range ds {
		if ds[i].Code == id {
			return &ds[i]
		}
	}
	return nil
}

// The "Fix: ..." quick fix over JSON-RPC: offered beside the suppress
// action, preferred, its text edits computed from the unsaved buffer
// (which a new first line with non-ASCII text has moved away from the
// file on disk); applied to the buffer and sent as a change, the finding
// is gone, the other one stays, and nothing was written to disk.
func TestLSPFixAction(t *testing.T) {
	root := t.TempDir()
	copyTree(t, filepath.Join("testdata", "terraform"), root)
	mainTF := filepath.Join(root, "main.tf")
	disk, err := os.ReadFile(mainTF)
	if err != nil {
		t.Fatal(err)
	}
	c := startLSP(t, root, nil)
	c.open(mainTF)
	c.waitDiags(mainTF, "the findings", func(ds []protocol.Diagnostic) bool { return diagAt(ds, "AZFUNC-040") != nil })

	// Unsaved: a first line the file on disk does not have.
	text := "# édité ☕ — not saved\n" + string(disk)
	c.change(mainTF, 2, text)
	ds := c.waitDiags(mainTF, "the findings a line lower", func(ds []protocol.Diagnostic) bool {
		d := diagAt(ds, "AZFUNC-040")
		return d != nil && d.Range.Start.Line == 18 && diagAt(ds, "AZFUNC-041") != nil
	})
	d := diagAt(ds, "AZFUNC-040")
	var actions []protocol.CodeAction
	c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(mainTF)},
		Range:        d.Range,
	}, &actions)
	var fix *protocol.CodeAction
	titles := []string{}
	for i := range actions {
		titles = append(titles, actions[i].Title)
		if strings.HasPrefix(actions[i].Title, "Fix: ") && len(actions[i].Diagnostics) == 1 && actions[i].Diagnostics[0].Code == "AZFUNC-040" {
			fix = &actions[i]
		}
	}
	if fix == nil || !strings.Contains(strings.Join(titles, "|"), "Suppress AZFUNC-040 here (with reason)") {
		t.Fatalf("want a fix and a suppress action for AZFUNC-040, got %q", titles)
	}
	if fix.Title != "Fix: set https_only of azurerm_linux_function_app.api to true" || fix.Kind != protocol.QuickFix || !fix.IsPreferred || fix.Edit == nil {
		t.Fatalf("fix action: %+v", fix)
	}
	edits := fix.Edit.Changes[uri.File(mainTF)]
	if len(fix.Edit.Changes) != 1 || len(edits) != 1 {
		t.Fatalf("fix edits: %+v", fix.Edit.Changes)
	}
	want := protocol.Range{Start: protocol.Position{Line: 18, Character: 25}, End: protocol.Position{Line: 18, Character: 30}}
	if edits[0].Range != want || edits[0].NewText != "true" {
		t.Errorf("edit %+v, want %q at %+v (the buffer's line 19, not the disk's 18)", edits[0], "true", want)
	}
	fixed := applyEdits(t, text, edits)
	if !strings.Contains(fixed, "https_only           = true\n") || strings.Count(fixed, "\n") != strings.Count(text, "\n") {
		t.Errorf("fixed buffer:\n%s", fixed)
	}
	c.change(mainTF, 3, fixed)
	c.waitDiags(mainTF, "AZFUNC-040 gone, AZFUNC-041 still there", func(ds []protocol.Diagnostic) bool {
		return diagAt(ds, "AZFUNC-040") == nil && diagAt(ds, "AZFUNC-041") != nil
	})
	if now, err := os.ReadFile(mainTF); err != nil || !bytes.Equal(now, disk) {
		t.Errorf("the file on disk changed (%v)", err)
	}
}

// TestLSPFixOfTwoFiles: AZFUNC-028's quick fix on a finding whose
// settings were decided in two files (enabled in terraform.tfvars, the
// mode in main.tf) is one action editing both; the finding whose mode is
// computed has none.
func TestLSPFixOfTwoFiles(t *testing.T) {
	root, mainTF, tfvars := writeClientCertCases(t)
	c := startLSP(t, root, nil)
	c.open(mainTF)
	line := func(s string) uint32 {
		before, _, ok := strings.Cut(clientCertTF, s)
		if !ok {
			t.Fatalf("%q is not in the fixture", s)
		}
		return uint32(strings.Count(before, "\n"))
	}
	twoLine, exprLine := line("client_certificate_enabled = var.cert_enabled"), line("client_certificate_enabled = false")
	at := func(ds []protocol.Diagnostic, l uint32) *protocol.Diagnostic {
		for i := range ds {
			if ds[i].Code == "AZFUNC-028" && ds[i].Range.Start.Line == l {
				return &ds[i]
			}
		}
		return nil
	}
	ds := c.waitDiags(mainTF, "the AZFUNC-028 findings", func(ds []protocol.Diagnostic) bool {
		return at(ds, twoLine) != nil && at(ds, exprLine) != nil
	})
	actionsAt := func(d *protocol.Diagnostic) []protocol.CodeAction {
		var actions []protocol.CodeAction
		c.call(protocol.MethodTextDocumentCodeAction, protocol.CodeActionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri.File(mainTF)},
			Range:        d.Range,
		}, &actions)
		var out []protocol.CodeAction
		for _, a := range actions {
			if strings.HasPrefix(a.Title, "Fix: ") && len(a.Diagnostics) == 1 && a.Diagnostics[0].Code == "AZFUNC-028" {
				out = append(out, a)
			}
		}
		return out
	}
	fixes := actionsAt(at(ds, twoLine))
	if len(fixes) != 1 || fixes[0].Edit == nil || len(fixes[0].Edit.Changes) != 2 {
		t.Fatalf("two-file fix: %+v", fixes)
	}
	if e := fixes[0].Edit.Changes[uri.File(tfvars)]; len(e) != 1 || applyEdits(t, clientCertTfvars, e) != "cert_enabled = true\n" {
		t.Errorf("terraform.tfvars edits: %+v", e)
	}
	if e := fixes[0].Edit.Changes[uri.File(mainTF)]; len(e) != 1 || e[0].NewText != "Required" {
		t.Errorf("main.tf edits: %+v", e)
	}
	if fixes := actionsAt(at(ds, exprLine)); len(fixes) != 0 {
		t.Errorf("a fix was offered for the computed mode: %+v", fixes)
	}
}
