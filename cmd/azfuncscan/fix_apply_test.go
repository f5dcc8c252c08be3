package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// exprTemplate is a hand-written template whose endToEndEncryptionEnabled
// is written as an expression and whose httpsOnly is false.
const exprTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "e2e": {"type": "bool", "nullable": true}
  },
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2024-04-01",
      "name": "func-expr",
      "location": "westeurope",
      "kind": "functionapp",
      "properties": {
        "httpsOnly": false,
        "endToEndEncryptionEnabled": "[parameters('e2e')]"
      }
    }
  ]
}
`

// TestApplyPlannedLeavesOutFailingFix: a fix whose edit cannot be made (it
// would replace a template expression) is named "not fixed" with the
// reason, and left out whole, in every file it edits; the other fixes are
// applied; nothing is an error.
func TestApplyPlannedLeavesOutFailingFix(t *testing.T) {
	dir := t.TempDir()
	tmpl, other := filepath.Join(dir, "azuredeploy.json"), filepath.Join(dir, "other.json")
	otherSrc := "{\"properties\": {\"httpsOnly\": false}}\n"
	for name, text := range map[string]string{tmpl: exprTemplate, other: otherSrc} {
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	at := func(name, src, text string) model.Range {
		i := strings.Index(src, text)
		if i < 0 {
			t.Fatalf("%q not in %s", text, name)
		}
		return model.Range{Filename: name, Start: model.Pos{Line: 1, Column: 1, Byte: i}}
	}
	resource := at(tmpl, exprTemplate, "{\n      \"type\"")
	https := at(tmpl, exprTemplate, "false")
	otherHTTPS := at(other, otherSrc, "false")
	finding := func(id string) *engine.Finding {
		return &engine.Finding{CheckID: id, Resource: "Microsoft.Web/sites/func-expr", Range: resource}
	}
	planned := []plannedFix{
		// fails: the property is written, as an expression
		{f: finding("AZFUNC-044"), edits: []model.Edit{{Kind: model.EditAdd, Range: resource, Path: []string{"properties", "endToEndEncryptionEnabled"}, Value: true}}},
		{f: finding("AZFUNC-040"), edits: []model.Edit{{Kind: model.EditReplace, Range: https, Value: true}}},
		// its edit of other.json can be made, the one of the template
		// cannot: neither is made
		{f: finding("AZFUNC-028"), edits: []model.Edit{
			{Kind: model.EditReplace, Range: otherHTTPS, Value: true},
			{Kind: model.EditAdd, Range: resource, Path: []string{"properties", "endToEndEncryptionEnabled"}, Value: false},
		}},
	}
	outs, notes, failed := applyPlanned(planned, os.ReadFile)
	if len(failed) != 0 {
		t.Fatalf("failed: %v", failed)
	}
	if len(outs) != 1 || outs[0].name != tmpl {
		t.Fatalf("outs: %+v", outs)
	}
	want := strings.Replace(exprTemplate, `"httpsOnly": false`, `"httpsOnly": true`, 1)
	if string(outs[0].out) != want {
		t.Errorf("template:\n%s\nwant\n%s", outs[0].out, want)
	}
	if len(notes) != 2 {
		t.Fatalf("notes: %q", notes)
	}
	for i, id := range []string{"AZFUNC-044", "AZFUNC-028"} {
		if !strings.Contains(notes[i], id+" Microsoft.Web/sites/func-expr not fixed: ") || !strings.Contains(notes[i], "template expression") {
			t.Errorf("note %d: %q", i, notes[i])
		}
	}
}

// TestFixExpressionNotFatal: `fix` on a template whose property is written
// as an expression completes (exit 0, as with other findings it does not
// fix), says why that finding is not fixed, applies the other fixes and
// leaves the expression as written; a second run changes nothing.
func TestFixExpressionNotFatal(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "azuredeploy.json")
	if err := os.WriteFile(name, []byte(exprTemplate), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, "fix", dir)
	if code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "AZFUNC-044 Microsoft.Web/sites/func-expr not fixed: ") {
		t.Errorf("stderr does not say why AZFUNC-044 is not fixed:\n%s", stderr)
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"httpsOnly": true`) || !strings.Contains(string(got), `"endToEndEncryptionEnabled": "[parameters('e2e')]"`) {
		t.Errorf("after fix:\n%s", got)
	}
	if code, _, stderr := cli(t, "fix", dir); code != 0 {
		t.Fatalf("second fix: exit %d: %s", code, stderr)
	}
	again, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, got) {
		t.Errorf("second fix changed the file:\n%s", again)
	}
}
