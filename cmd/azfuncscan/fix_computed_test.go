package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestNoFixThroughExpressions: a value that reached the attribute through
// an operator, a template, a conditional or a function call, in the
// resource or in a module's argument, gets no fix (setting the variable's
// default to the value the check wants would not give the attribute that
// value), and `azfuncscan fix` leaves those files alone; the same
// variables passed on plainly are fixed at their defaults.
func TestNoFixThroughExpressions(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"computed/main.tf": `variable "insecure" {
  default = true
}

variable "tls" {
  default = "1.0"
}

variable "on" {
  default = false
}

resource "azurerm_linux_function_app" "ops" {
  name                 = "ops"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = "plan"
  storage_account_name = "st"
  https_only           = !var.insecure

  ftp_publish_basic_authentication_enabled = tobool(var.insecure)

  site_config {
    minimum_tls_version      = "${var.tls}"
    remote_debugging_enabled = var.insecure == true
    scm_minimum_tls_version  = var.on ? "1.2" : "1.0"
  }
}

module "app" {
  source     = "./app"
  https_only = !var.insecure
}
`,
		"computed/app/main.tf": `variable "https_only" {}

resource "azurerm_linux_function_app" "mod" {
  name                 = "mod"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = "plan"
  storage_account_name = "st"
  https_only           = var.https_only
}
`,
		"plain/main.tf": `variable "https" {
  default = false
}

variable "tls" {
  default = "1.0"
}

resource "azurerm_linux_function_app" "plain" {
  name                 = "plain"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = "plan"
  storage_account_name = "st"
  https_only           = (var.https)

  site_config {
    minimum_tls_version = var.tls
  }
}
`,
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	computed := map[string]bool{}
	plain := map[string]bool{}
	for _, f := range scanFindings(t, dir) {
		if f.Status != engine.Fail || f.Origin != model.Explicit {
			continue
		}
		switch f.CheckID {
		case "AZFUNC-040", "AZFUNC-041", "AZFUNC-042", "AZFUNC-024", "AZFUNC-080":
		default:
			continue
		}
		key := f.CheckID + " " + f.Resource
		if strings.Contains(f.Resource, "plain") {
			plain[key] = true
			if f.Fix == nil || f.Fix.Edits[0].Kind != "default" {
				t.Errorf("%s: passed on plainly, want a fix of the default, got %+v (%s)", key, f.Fix, f.NoFix)
			}
			continue
		}
		computed[key] = true
		if f.Fix != nil || !strings.Contains(f.NoFix, "computed") {
			t.Errorf("%s (%s): computed, want no fix, got %+v (%q)", key, f.Range, f.Fix, f.NoFix)
		}
	}
	for _, want := range []string{
		"AZFUNC-040 azurerm_linux_function_app.ops", // !var.insecure
		"AZFUNC-024 azurerm_linux_function_app.ops", // tobool(var.insecure)
		"AZFUNC-041 azurerm_linux_function_app.ops", // "${var.tls}"
		"AZFUNC-080 azurerm_linux_function_app.ops", // var.insecure == true
		"AZFUNC-042 azurerm_linux_function_app.ops", // var.on ? … : …
		"AZFUNC-040 module.app.azurerm_linux_function_app.mod",
	} {
		if !computed[want] {
			t.Errorf("no failing %s finding (have %v)", want, computed)
		}
	}
	if !plain["AZFUNC-040 azurerm_linux_function_app.plain"] || !plain["AZFUNC-041 azurerm_linux_function_app.plain"] {
		t.Errorf("plain findings: %v", plain)
	}

	before := readTree(t, filepath.Join(dir, "computed"))
	if code, _, stderr := cli(t, "fix", filepath.Join(dir, "computed")); code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	} else if !strings.Contains(stderr, "AZFUNC-040 azurerm_linux_function_app.ops not fixed: the value is computed") {
		t.Errorf("fix does not say why:\n%s", stderr)
	}
	for name, src := range readTree(t, filepath.Join(dir, "computed")) {
		if src != before[name] && filepath.Base(name) == "main.tf" && strings.Contains(before[name], "var.insecure") {
			for _, l := range strings.Split(src, "\n") {
				if strings.Contains(l, "default") && !strings.Contains(before[name], l) {
					t.Errorf("%s: a computed value's variable was changed: %q", name, l)
				}
			}
		}
	}
}
