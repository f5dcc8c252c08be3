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
	// The planner already knows: the property is written, as an
	// expression that gives no value.
	for _, f := range scanFindings(t, dir) {
		if f.CheckID == "AZFUNC-044" && (f.Fix != nil || !strings.Contains(f.NoFix, "template expression (its own, which gives no value")) {
			t.Errorf("AZFUNC-044: fix %+v, no fix %q", f.Fix, f.NoFix)
		}
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

// TestFixBicepRegistryModule: in a template compiled from Bicep, the app
// of a registry module two nested deployments deep (symbolic-name
// resources, languageVersion 2.0) is declared in no local .bicep file and
// its findings stay on the compiled template's lines; no finding of any
// check gets a fix there (a literal, a parameter's default, a platform
// default, a property written as an expression that gives null), each
// says what to set in the Bicep source, and fix changes no file.
func TestFixBicepRegistryModule(t *testing.T) {
	dir := copyFixture(t, "../../testdata/arm/bicep-registry-module")
	before := readTree(t, dir)
	seen := map[string]bool{}
	for _, f := range scanFindings(t, dir) {
		if f.Status != engine.Fail {
			continue
		}
		if f.Fix != nil {
			t.Errorf("%s at %s has a fix in the compiled template: %s", f.CheckID, f.Range, f.Fix.Message)
		}
		switch f.CheckID {
		case "AZFUNC-028", "AZFUNC-041", "AZFUNC-043", "AZFUNC-044":
			seen[f.CheckID] = true
			if !strings.HasSuffix(f.Range.Filename, "main.json") || !strings.Contains(f.NoFix, "compiled from Bicep (") || !strings.Contains(f.NoFix, "main.bicep): set ") {
				t.Errorf("%s at %s: no fix %q", f.CheckID, f.Range, f.NoFix)
			}
		}
	}
	if len(seen) != 4 {
		t.Errorf("failing checks with a fix elsewhere: %v, want AZFUNC-028, 041, 043 and 044", seen)
	}
	code, _, stderr := cli(t, "fix", dir)
	if code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "AZFUNC-044 Microsoft.Resources/deployments/processor/Microsoft.Resources/deployments/processor-site/Microsoft.Web/sites/func-registry not fixed: the template is compiled from Bicep") {
		t.Errorf("stderr:\n%s", stderr)
	}
	for name, src := range readTree(t, dir) {
		if before[name] != src {
			t.Errorf("fix changed %s", name)
		}
	}
}

// TestFixAzapiDefault: a platform default of an azapi_resource gets no
// fix (the Terraform fix's azurerm attribute, https_only, is not an
// argument of azapi_resource; it was added, and the finding stayed); the
// message names the ARM property to set in the body, and fix adds
// nothing to the resource.
func TestFixAzapiDefault(t *testing.T) {
	dir := copyFixture(t, "../../testdata/terraform/azapi-site")
	n := 0
	for _, f := range scanFindings(t, dir) {
		if f.CheckID != "AZFUNC-040" || f.Resource != "azapi_resource.defaulted" || f.Status != engine.Fail {
			continue
		}
		n++
		if f.Fix != nil || !strings.Contains(f.NoFix, "platform default of an azapi_resource") || !strings.Contains(f.NoFix, "set properties.httpsOnly = true in the body") {
			t.Errorf("fix %+v, no fix %q", f.Fix, f.NoFix)
		}
	}
	if n != 1 {
		t.Fatalf("%d failing AZFUNC-040 findings on azapi_resource.defaulted, want 1", n)
	}
	before := readTree(t, dir)[filepath.Join(dir, "main.tf")]
	if code, _, stderr := cli(t, "fix", dir); code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	src, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Count(string(src), "https_only"), strings.Count(before, "https_only"); got != want {
		t.Errorf("fix added https_only (%d times, was %d), to an azapi resource:\n%s", got, want, src)
	}
}
