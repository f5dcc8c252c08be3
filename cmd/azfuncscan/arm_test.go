package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// armTemplate is a template whose app enforces HTTPS unless a parameter
// says otherwise, and whose CORS origin comes from a function azfuncscan
// does not evaluate.
const armTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"https": {"type": "bool", "defaultValue": true}},
  "resources": [{
    "type": "Microsoft.Web/sites",
    "apiVersion": "2023-12-01",
    "name": "func-arm",
    "kind": "functionapp",
    "properties": {
      "httpsOnly": "[parameters('https')]",
      "siteConfig": {"cors": {"allowedOrigins": ["[notAFunction('x')]"]}}
    }
  }]
}`

func writeARM(t *testing.T) (dir, tmpl, params string) {
	t.Helper()
	dir = t.TempDir()
	tmpl = filepath.Join(dir, "main.json")
	params = filepath.Join(dir, "prod.json")
	for p, src := range map[string]string{
		tmpl:   armTemplate,
		params: `{"parameters": {"https": {"value": false}}}`,
	} {
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, tmpl, params
}

func TestARMParameters(t *testing.T) {
	dir, tmpl, params := writeARM(t)
	if code, stdout, stderr := cli(t, "scan", dir); code != exitFindings || strings.Contains(stdout, "AZFUNC-040") {
		t.Fatalf("without parameters: exit %d, want findings but not AZFUNC-040: %s\n%s", code, stderr, stdout)
	}
	for _, flag := range []string{params, tmpl + "=" + params} {
		code, stdout, stderr := cli(t, "scan", "--arm-parameters", flag, dir)
		if code != exitFindings || !strings.Contains(stdout, "AZFUNC-040") {
			t.Errorf("--arm-parameters %s: exit %d, want AZFUNC-040: %s\n%s", flag, code, stderr, stdout)
		}
	}
	other := filepath.Join(dir, "other.json")
	if code, stdout, _ := cli(t, "scan", "--arm-parameters", other+"="+params, dir); strings.Contains(stdout, "AZFUNC-040") || code == exitError {
		t.Errorf("parameters for another template applied (exit %d)", code)
	}
	for _, bad := range []string{"=" + params, tmpl + "=", filepath.Join(dir, "missing.json")} {
		if code, _, _ := cli(t, "scan", "--arm-parameters", bad, dir); code != exitError {
			t.Errorf("--arm-parameters %q: exit %d, want 2", bad, code)
		}
	}
}

func TestStats(t *testing.T) {
	dir, _, _ := writeARM(t)
	_, stdout, stderr := cli(t, "scan", "--stats", dir)
	if !strings.Contains(stderr, "stats: 1 values left unknown by unsupported template functions, 0 by evaluation errors") || strings.Contains(stdout, "stats:") {
		t.Errorf("text: stderr %q", stderr)
	}
	_, stdout, stderr = cli(t, "scan", "--stats", "--format", "json", dir)
	var rep struct {
		Summary struct {
			Unevaluated *struct {
				Unsupported int `json:"unsupported"`
				Errors      int `json:"errors"`
			} `json:"unevaluated"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Summary.Unevaluated == nil || rep.Summary.Unevaluated.Unsupported != 1 || strings.Contains(stderr, "stats:") {
		t.Errorf("json: %v %+v; stderr %q", err, rep.Summary.Unevaluated, stderr)
	}
	_, stdout, _ = cli(t, "scan", "--format", "json", dir)
	if !strings.Contains(stdout, `"unevaluated": null`) {
		t.Error("without --stats the summary's unevaluated must be null")
	}
}
