package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

const suppressFixture = "testdata/suppress"

// goldenFile compares got with testdata/<name>; UPDATE_GOLDEN=1 rewrites it.
func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, []byte(got), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (regenerate with UPDATE_GOLDEN=1 go test ./cmd/azfuncscan)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got; regenerate with UPDATE_GOLDEN=1):\n%s", name, diff)
	}
}

// The fixture suppresses findings above a resource block, above an
// attribute, at the end of a line and above a module call; one ignore has
// no reason (warning, still applies), one expired (note, does not apply),
// one covers nothing (reported on request).
func TestSuppressionsText(t *testing.T) {
	code, stdout, stderr := cli(t, "scan", "--show-suppressed", "--report-unused-ignores", "--no-snippets", suppressFixture)
	if code != exitFindings {
		t.Errorf("exit %d, want 1 (the expired ignore leaves AZFUNC-043); stderr %s", code, stderr)
	}
	goldenFile(t, "suppress.txt", stdout)

	// Without --show-suppressed the text hides them; without
	// --report-unused-ignores the unused one is not reported.
	_, stdout, _ = cli(t, "scan", "--no-snippets", suppressFixture)
	if strings.Contains(stdout, "(suppressed") || strings.Contains(stdout, "Unused ignore") {
		t.Errorf("suppressed findings or unused ignores shown by default:\n%s", stdout)
	}
	if !strings.Contains(stdout, "7 suppressed (not shown)") {
		t.Errorf("summary does not count the suppressed findings:\n%s", stdout)
	}
}

// Suppressed findings never fail a scan.
func TestSuppressedDoNotFail(t *testing.T) {
	code, stdout, _ := cli(t, "scan", "--disable", "AZFUNC-043", "--no-snippets", suppressFixture)
	if code != exitOK {
		t.Errorf("exit %d, want 0: every remaining finding is suppressed\n%s", code, stdout)
	}
}

func TestSuppressionsSARIFAndJSON(t *testing.T) {
	_, stdout, _ := cli(t, "scan", "--format", "sarif", suppressFixture)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Suppressions []struct {
					Kind          string `json:"kind"`
					Justification string `json:"justification"`
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	suppressed, open := 0, 0
	for _, r := range log.Runs[0].Results {
		if len(r.Suppressions) == 0 {
			open++
			continue
		}
		suppressed++
		if r.Suppressions[0].Kind != "inSource" {
			t.Errorf("%s: suppression kind %q", r.RuleID, r.Suppressions[0].Kind)
		}
	}
	if suppressed != 7 || open != 1 {
		t.Errorf("SARIF: %d suppressed, %d open results; want 7 and 1", suppressed, open)
	}
	if err := sariftest.Validate([]byte(stdout)); err != nil {
		t.Error(err)
	}

	_, stdout, _ = cli(t, "scan", "--format", "json", suppressFixture)
	var rep struct {
		Findings []struct {
			CheckID     string `json:"check_id"`
			Suppression *struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
				Line          int    `json:"line"`
			} `json:"suppression"`
		} `json:"findings"`
		Summary struct {
			Findings   int `json:"findings"`
			Suppressed int `json:"suppressed"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 8 || rep.Summary.Findings != 1 || rep.Summary.Suppressed != 7 {
		t.Errorf("JSON: %d findings listed, summary %+v; want 8 listed, 1 counted, 7 suppressed", len(rep.Findings), rep.Summary)
	}
	for _, f := range rep.Findings {
		if f.CheckID == "AZFUNC-041" && (f.Suppression == nil || f.Suppression.Justification != "a partner appliance speaks TLS 1.0 only" || f.Suppression.Line != 29) {
			t.Errorf("AZFUNC-041 suppression = %+v", f.Suppression)
		}
	}
}

// An ARM resource's metadata.azfuncscan.ignore covers the findings in the
// resource object, defaulted ones included.
func TestSuppressionsARMMetadata(t *testing.T) {
	_, stdout, _ := cli(t, "scan", "--format", "json", "testdata/suppress-arm")
	var rep struct {
		Findings []struct {
			CheckID     string `json:"check_id"`
			Suppression *struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppression"`
		} `json:"findings"`
		Diagnostics []struct {
			Summary string `json:"summary"`
			Line    int    `json:"line"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		if f.Suppression != nil {
			got[f.CheckID] = f.Suppression.Kind + ": " + f.Suppression.Justification
		}
	}
	want := map[string]string{
		"AZFUNC-040": "inSource: an API gateway in front terminates TLS",
		"AZFUNC-041": "inSource: an API gateway in front terminates TLS",
		"AZFUNC-001": "inSource: ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}
	if len(rep.Diagnostics) != 1 || rep.Diagnostics[0].Summary != "Ignore without a reason" || rep.Diagnostics[0].Line != 15 {
		t.Errorf("diagnostics = %+v", rep.Diagnostics)
	}
}

// azfuncscan:ignore comments in .bicep sources cover the findings placed
// there: above a resource declaration (its defaults), above a property of
// a nested child, at the end of a line of a module's file.
func TestSuppressionsBicepComments(t *testing.T) {
	_, stdout, _ := cli(t, "scan", "--format", "json", "testdata/suppress-bicep")
	var rep struct {
		Findings []struct {
			CheckID     string `json:"check_id"`
			Resource    string `json:"resource"`
			Suppression *struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppression"`
		} `json:"findings"`
		Diagnostics []struct {
			Summary string `json:"summary"`
			Line    int    `json:"line"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		if f.Suppression != nil {
			got[f.CheckID+" "+f.Resource] = f.Suppression.Kind + ": " + f.Suppression.Justification
		}
	}
	want := map[string]string{
		"AZFUNC-001 Microsoft.Web/sites/func-bicep-v2":                                                      "inSource: reached only through the company gateway",
		"AZFUNC-007 Microsoft.Web/sites/func-bicep-v2":                                                      "inSource: reached only through the company gateway",
		"AZFUNC-041 Microsoft.Web/sites/func-bicep-v2/config/web":                                           "inSource: legacy partner clients",
		"AZFUNC-040 Microsoft.Resources/deployments/worker-deploy/Microsoft.Web/sites/func-bicep-v2-worker": "inSource: ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}
	if len(rep.Diagnostics) != 1 || rep.Diagnostics[0].Summary != "Ignore without a reason" || rep.Diagnostics[0].Line != 14 {
		t.Errorf("diagnostics = %+v", rep.Diagnostics)
	}
}
