package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

// TestSameModuleFromTwoRoots is issue 9's acceptance test: envs/dev and
// envs/prod call modules/app; dev makes it insecure through its
// terraform.tfvars, prod does not. Each insecure value gives exactly one
// finding, in dev only, whose trail starts at the tfvars line; the same
// rule on the same module from the two roots gives distinct fingerprints;
// and the SARIF validates against both schemas.
func TestSameModuleFromTwoRoots(t *testing.T) {
	envs := filepath.Join("testdata", "roots", "envs")
	code, out, stderr := cli(t, "scan", "--format", "json", envs)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Findings []struct {
			CheckID     string `json:"check_id"`
			File        string `json:"file"`
			Line        int    `json:"line"`
			Root        string `json:"root"`
			Resource    string `json:"resource"`
			Path        string `json:"path"`
			Fingerprint string `json:"fingerprint"`
			Trail       []struct {
				Kind string `json:"kind"`
				Name string `json:"name"`
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"trail"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// Roots and files are named relative to the repository root.
	const dev, prod = "cmd/azfuncscan/testdata/roots/envs/dev", "cmd/azfuncscan/testdata/roots/envs/prod"
	byRoot := map[string]map[string]int{}
	fingerprints := map[string]string{}
	for _, f := range rep.Findings {
		if byRoot[f.Root] == nil {
			byRoot[f.Root] = map[string]int{}
		}
		byRoot[f.Root][f.CheckID]++
		if prev, dup := fingerprints[f.Fingerprint]; dup {
			t.Errorf("fingerprint %s shared by %s and %s %s %s", f.Fingerprint, prev, f.CheckID, f.Root, f.Path)
		}
		fingerprints[f.Fingerprint] = f.CheckID + " " + f.Root + " " + f.Path

		if f.Root == dev && (f.CheckID == "AZFUNC-040" || f.CheckID == "AZFUNC-041") {
			if len(f.Trail) == 0 {
				t.Errorf("%s in dev has no trail", f.CheckID)
				continue
			}
			origin := f.Trail[0]
			tfvars := dev + "/terraform.tfvars"
			wantLine := map[string]int{"AZFUNC-040": 1, "AZFUNC-041": 2}[f.CheckID]
			if origin.Kind != "var-file" || !strings.HasSuffix(tfvars, origin.File) || origin.Line != wantLine {
				t.Errorf("%s in dev: trail starts at %s %s:%d, want var-file %s:%d", f.CheckID, origin.Kind, origin.File, origin.Line, tfvars, wantLine)
			}
			last := f.Trail[len(f.Trail)-1]
			if !strings.HasSuffix(last.File, "modules/app/main.tf") || last.Line != f.Line {
				t.Errorf("%s in dev: trail ends at %s:%d, want the module attribute at line %d", f.CheckID, last.File, last.Line, f.Line)
			}
		}
	}
	for _, id := range []string{"AZFUNC-040", "AZFUNC-041"} {
		if n := byRoot[dev][id]; n != 1 {
			t.Errorf("%s in dev: %d findings, want 1", id, n)
		}
		if n := byRoot[prod][id]; n != 0 {
			t.Errorf("%s in prod: %d findings, want 0 (prod is secure)", id, n)
		}
	}
	// A defaulted insecure value of the module is in both roots, with
	// two fingerprints (checked above) — fixing dev does not close prod.
	if byRoot[dev]["AZFUNC-001"] != 1 || byRoot[prod]["AZFUNC-001"] != 1 {
		t.Errorf("AZFUNC-001 (public access by default) per root: dev %d, prod %d; want 1 and 1", byRoot[dev]["AZFUNC-001"], byRoot[prod]["AZFUNC-001"])
	}

	code, sarif, stderr := cli(t, "scan", "--format", "sarif", envs)
	if code != exitFindings {
		t.Fatalf("sarif: exit %d: %s", code, stderr)
	}
	if err := sariftest.Validate([]byte(sarif)); err != nil {
		t.Error(err)
	}
	if !strings.Contains(sarif, `"codeFlows"`) {
		t.Error("SARIF has no codeFlows for the dev findings' trails")
	}
}
