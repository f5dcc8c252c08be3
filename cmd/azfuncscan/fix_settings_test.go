package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

// clientCertTF holds AZFUNC-028 cases for a fix of two settings
// (client_certificate_enabled and client_certificate_mode), each edited
// where its own value was written.
const clientCertTF = `variable "cert_enabled" {
  type    = bool
  default = true
}

variable "prefix" {
  type    = string
  default = "Opt"
}

# enabled already true: only the mode is set (added: it is a default).
resource "azurerm_linux_function_app" "enabled_right" {
  name                       = "func-enabled-right"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "plan"
  storage_account_name       = "st"
  client_certificate_enabled = true
  site_config {}
}

# The mode is computed by an expression: no fix at all, and enabled,
# which alone could be edited, stays false (never half a fix).
resource "azurerm_linux_function_app" "mode_expr" {
  name                       = "func-mode-expr"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "plan"
  storage_account_name       = "st"
  client_certificate_enabled = false
  client_certificate_mode    = "${var.prefix}ional"
  site_config {}
}

# enabled comes from terraform.tfvars, the mode is a literal here: two
# files are edited.
resource "azurerm_windows_function_app" "two_files" {
  name                       = "func-two-files"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "plan"
  storage_account_name       = "st"
  client_certificate_enabled = var.cert_enabled
  client_certificate_mode    = "Optional"
  site_config {}
}
`

const clientCertTfvars = "cert_enabled = false\n"

func writeClientCertCases(t *testing.T) (dir, mainTF, tfvars string) {
	t.Helper()
	dir = t.TempDir()
	mainTF, tfvars = filepath.Join(dir, "main.tf"), filepath.Join(dir, "terraform.tfvars")
	for name, text := range map[string]string{mainTF: clientCertTF, tfvars: clientCertTfvars} {
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, mainTF, tfvars
}

// TestFixClientCertSettings: AZFUNC-028's fix sets two values, each where
// it was decided: a setting that already has its value gets no edit; one
// that is computed by an expression means no fix for the finding, with
// the reason, and nothing of it applied; settings decided in two files
// edit both. After the fix only the unfixable finding is left.
func TestFixClientCertSettings(t *testing.T) {
	dir, mainTF, tfvars := writeClientCertCases(t)
	byRes := map[string]engine.Finding{}
	for _, f := range scanFindings(t, dir) {
		if f.CheckID == "AZFUNC-028" && f.Status == engine.Fail {
			byRes[f.Resource] = f
		}
	}
	if len(byRes) != 3 {
		t.Fatalf("AZFUNC-028 findings: %v", byRes)
	}

	right := byRes["azurerm_linux_function_app.enabled_right"]
	if right.Fix == nil || len(right.Fix.Edits) != 1 || strings.Join(right.Fix.Edits[0].Path, ".") != "client_certificate_mode" || right.Fix.Edits[0].Value != "Required" {
		t.Errorf("enabled_right: fix %+v (%s)", right.Fix, right.NoFix)
	} else if !strings.Contains(right.Fix.Message, "every caller can present a client certificate") {
		t.Errorf("enabled_right: the fix message lacks the caution: %s", right.Fix.Message)
	}

	expr := byRes["azurerm_linux_function_app.mode_expr"]
	if expr.Fix != nil || !strings.HasPrefix(expr.NoFix, "client_certificate_mode: ") || !strings.Contains(expr.NoFix, "computed") {
		t.Errorf("mode_expr: fix %+v, no fix %q", expr.Fix, expr.NoFix)
	}

	two := byRes["azurerm_windows_function_app.two_files"]
	files := map[string]bool{}
	if two.Fix != nil {
		for _, e := range two.Fix.Edits {
			files[filepath.Base(e.Range.Filename)] = true
		}
	}
	if two.Fix == nil || len(two.Fix.Edits) != 2 || !files["main.tf"] || !files["terraform.tfvars"] {
		t.Errorf("two_files: fix %+v (%s)", two.Fix, two.NoFix)
	}

	if code, _, stderr := cli(t, "fix", dir); code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	after := readTree(t, dir)
	if after[tfvars] != "cert_enabled = true\n" {
		t.Errorf("terraform.tfvars after the fix: %q", after[tfvars])
	}
	// (other checks' fixes edit these blocks too: only 028's values count)
	for res, want := range map[string][]string{
		"enabled_right": {"client_certificate_enabled = true\n", "client_certificate_mode", `= "Required"`},
		"mode_expr":     {"client_certificate_enabled = false\n", `client_certificate_mode    = "${var.prefix}ional"`},
		"two_files":     {"client_certificate_enabled = var.cert_enabled\n", `client_certificate_mode    = "Required"`},
	} {
		b := block(after[mainTF], res)
		for _, w := range want {
			if !strings.Contains(b, w) {
				t.Errorf("%s after the fix lacks %q:\n%s", res, w, b)
			}
		}
	}
	for _, f := range scanFindings(t, dir) {
		if f.CheckID == "AZFUNC-028" && f.Status == engine.Fail && f.Resource != "azurerm_linux_function_app.mode_expr" {
			t.Errorf("after fix: %s still fails at %s", f.Resource, f.Range)
		}
	}
}

// TestSARIFFixOfTwoFiles: the SARIF fix of a finding whose settings were
// decided in two files has one artifact change per file (valid against
// both schemas); applied, the finding is gone. The finding whose mode is
// computed has no SARIF fix.
func TestSARIFFixOfTwoFiles(t *testing.T) {
	dir, _, _ := writeClientCertCases(t)
	t.Chdir(dir)
	original := readTree(t, dir)
	doc, _ := scanSARIF(t)
	var fixes [][]string // the files of each AZFUNC-028 fix
	for _, res := range doc.Runs[0].Results {
		if res.RuleID != "AZFUNC-028" || len(res.Fixes) == 0 {
			continue
		}
		var names []string
		for _, ch := range res.Fixes[0].ArtifactChanges {
			names = append(names, ch.ArtifactLocation.URI)
			name := filepath.Join(dir, filepath.FromSlash(ch.ArtifactLocation.URI))
			src := original[name]
			var b strings.Builder
			at := 0
			for _, rp := range ch.Replacements {
				d := rp.DeletedRegion
				start, end := sarifOffset(t, src, d.StartLine, d.StartColumn), sarifOffset(t, src, d.EndLine, d.EndColumn)
				if start < at || end < start {
					t.Fatalf("replacements overlap or are out of order")
				}
				b.WriteString(src[at:start] + rp.InsertedContent.Text)
				at = end
			}
			b.WriteString(src[at:])
			if err := os.WriteFile(name, []byte(b.String()), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		fixes = append(fixes, names)
		fp := res.PartialFingerprints[report.FingerprintKey]
		if _, out := scanSARIF(t); strings.Contains(out, fp) {
			t.Errorf("%v: still reported after its SARIF fix", names)
		}
		for name, src := range original {
			if err := os.WriteFile(name, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	// enabled_right (main.tf) and two_files (main.tf, terraform.tfvars);
	// mode_expr has none.
	if len(fixes) != 2 || strings.Join(fixes[0], ",") != "main.tf" || strings.Join(fixes[1], ",") != "main.tf,terraform.tfvars" {
		t.Errorf("AZFUNC-028 SARIF fixes by file: %v", fixes)
	}
}

// block returns the text of the resource block named name in src.
func block(src, name string) string {
	i := strings.Index(src, `" "`+name+`" {`)
	if i < 0 {
		return ""
	}
	j := strings.Index(src[i:], "\n}\n")
	if j < 0 {
		return src[i:]
	}
	return src[i : i+j]
}

// clientCertARM: the ARM cases of AZFUNC-028's two settings: the mode
// computed by a template expression (no fix, nothing applied), and the
// mode from a parameter's default with enabled a literal (both edited,
// each where it is written).
const clientCertARM = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "certMode": {"type": "string", "defaultValue": "Optional"}
  },
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-12-01",
      "name": "func-mode-expr",
      "location": "westeurope",
      "kind": "functionapp",
      "properties": {
        "clientCertEnabled": false,
        "clientCertMode": "[concat('Opt', 'ional')]"
      }
    },
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-12-01",
      "name": "func-mode-param",
      "location": "westeurope",
      "kind": "functionapp",
      "properties": {
        "clientCertEnabled": false,
        "clientCertMode": "[parameters('certMode')]"
      }
    }
  ]
}
`

// TestFixClientCertSettingsARM: a computed mode means no fix for the
// finding, with the reason naming the property, and its enabled literal
// stays false; a mode from a parameter's default is set there and the
// enabled literal in the resource, and the finding is gone.
func TestFixClientCertSettingsARM(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "azuredeploy.json")
	if err := os.WriteFile(name, []byte(clientCertARM), 0o600); err != nil {
		t.Fatal(err)
	}
	var expr, param *engine.Finding
	findings := scanFindings(t, dir)
	for i, f := range findings {
		if f.CheckID != "AZFUNC-028" || f.Status != engine.Fail {
			continue
		}
		switch f.Resource {
		case "Microsoft.Web/sites/func-mode-expr":
			expr = &findings[i]
		case "Microsoft.Web/sites/func-mode-param":
			param = &findings[i]
		}
	}
	if expr == nil || expr.Fix != nil || !strings.HasPrefix(expr.NoFix, "properties.clientCertMode: ") {
		t.Errorf("computed mode: %+v", expr)
	}
	if param == nil || param.Fix == nil || len(param.Fix.Edits) != 2 {
		t.Fatalf("mode from a parameter: %+v", param)
	}
	if code, _, stderr := cli(t, "fix", dir); code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	out := string(got)
	for _, want := range []string{
		`"certMode": {"type": "string", "defaultValue": "Required"}`,
		"\"clientCertEnabled\": false,\n        \"clientCertMode\": \"[concat('Opt', 'ional')]\"",
		"\"clientCertEnabled\": true,\n        \"clientCertMode\": \"[parameters('certMode')]\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("after the fix the template lacks %q:\n%s", want, out)
		}
	}
	for _, f := range scanFindings(t, dir) {
		if f.CheckID == "AZFUNC-028" && f.Status == engine.Fail && f.Resource != "Microsoft.Web/sites/func-mode-expr" {
			t.Errorf("after fix: %s still fails", f.Resource)
		}
	}
}
