package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Issue 13: invalid UTF-8 in ARM templates and parameter files, Pulumi
// stack exports and Terraform plans (JSON) is a diagnostic with
// file and line in every format; the file is still scanned, and the text
// output shows the invalid bytes as U+FFFD, never raw.
func TestInvalidUTF8(t *testing.T) {
	dir := t.TempDir()
	arm := "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n" +
		" \"contentVersion\": \"1.0.0.0\",\n" +
		" \"resources\": [{\"type\": \"Microsoft.Web/sites\", \"apiVersion\": \"2022-09-01\",\n" +
		"   \"name\": \"func-\xffarm\", \"kind\": \"functionapp\", \"location\": \"westeurope\", \"properties\": {}}]}\n"
	stack, err := os.ReadFile("../../testdata/pulumi/001-public-network-access/dev.stack.json")
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(stack, []byte(`"rg-fixture"`))
	if i < 0 {
		t.Fatal("fixture changed: no rg-fixture")
	}
	pulumiLine := 1 + bytes.Count(stack[:i], []byte("\n"))
	stack = bytes.Replace(stack, []byte(`"rg-fixture"`), []byte("\"rg-\xfe\xfffixture\""), 1)
	plan, err := os.ReadFile("../../testdata/terraform-plan/plan-only/tfplan.json")
	if err != nil {
		t.Fatal(err)
	}
	j := bytes.Index(plan, []byte(`"func-plan-only"`))
	if j < 0 {
		t.Fatal("fixture changed: no func-plan-only")
	}
	planLine := 1 + bytes.Count(plan[:j], []byte("\n"))
	plan = bytes.Replace(plan, []byte(`"func-plan-only"`), []byte("\"func-\xc0plan-only\""), 1)
	params := "{\"parameters\": {\n  \"x\": {\"value\": \"\xe2\x82\"}}}\n"
	for name, src := range map[string][]byte{"app.json": []byte(arm), "dev.stack.json": stack, "app.parameters.json": []byte(params), "plan/tfplan.json": plan} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]int{"app.json": 4, "dev.stack.json": pulumiLine, "app.parameters.json": 2, "tfplan.json": planLine}

	_, out := scanJSON(t, dir)
	for file, line := range want {
		n := 0
		for _, d := range out.Diagnostics {
			if d.Summary == "Invalid UTF-8" && strings.HasSuffix(d.File, file) {
				n++
				if d.Line == nil || *d.Line != line {
					t.Errorf("%s: diagnostic on line %v, want %d", file, d.Line, line)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: %d \"Invalid UTF-8\" diagnostics, want 1: %+v", file, n, out.Diagnostics)
		}
	}
	findings := map[string]bool{}
	for _, f := range out.Findings {
		findings[f.CheckID+" "+f.Resource] = true
	}
	if !findings["AZFUNC-023 Microsoft.Web/sites/func-\uFFFDarm"] {
		t.Errorf("the template was not scanned: %v", findings)
	}

	for _, format := range []string{"text", "compact", "github", "sarif"} {
		_, stdout, _ := cli(t, "scan", "--no-color", "--format", format, dir)
		if !strings.Contains(stdout, "Invalid UTF-8") || !strings.Contains(stdout, "app.json") {
			t.Errorf("%s: no Invalid UTF-8 diagnostic:\n%s", format, stdout)
		}
		if !strings.Contains(stdout, "dev.stack.json:"+strconv.Itoa(pulumiLine)) && format != "sarif" && format != "github" {
			t.Errorf("%s: the Pulumi diagnostic does not name dev.stack.json:%d", format, pulumiLine)
		}
		if format == "text" && (!strings.Contains(stdout, "func-\uFFFDarm") || strings.IndexByte(stdout, 0xff) >= 0 || strings.IndexByte(stdout, 0xfe) >= 0) {
			t.Errorf("text: invalid bytes not replaced by U+FFFD")
		}
	}
}
