package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

type sarifNotifications struct {
	Runs []struct {
		Results     []json.RawMessage `json:"results"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level   string `json:"level"`
				Message struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

// Issue 13: a file that does not parse, beside an insecure app, is a
// SARIF toolExecutionNotification (level, message, file and line) in a
// successful run, and the exit status reflects the findings (1), not the
// broken file; a scan that could scan nothing is exit 2 and an
// unsuccessful run. Both validate against the SARIF schemas.
func TestSARIFNotifications(t *testing.T) {
	dir := t.TempDir()
	app, err := os.ReadFile(filepath.Join(insecure, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{"main.tf": string(app), "broken.tf": "locals {\n  x = \n}\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := cli(t, "scan", "--format", "sarif", dir)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (findings; the broken file is a diagnostic): %s", code, stderr)
	}
	if err := sariftest.Validate([]byte(stdout)); err != nil {
		t.Error(err)
	}
	var doc sarifNotifications
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Runs) != 1 || len(doc.Runs[0].Invocations) != 1 {
		t.Fatalf("%v: %s", err, stdout)
	}
	run := doc.Runs[0]
	inv := run.Invocations[0]
	if !inv.ExecutionSuccessful || len(run.Results) == 0 {
		t.Errorf("executionSuccessful %v, %d results; want a successful run with findings", inv.ExecutionSuccessful, len(run.Results))
	}
	found := false
	for _, n := range inv.Notifications {
		if len(n.Locations) == 1 && strings.HasSuffix(n.Locations[0].PhysicalLocation.ArtifactLocation.URI, "broken.tf") {
			found = true
			if n.Level != "error" || n.Locations[0].PhysicalLocation.Region.StartLine != 2 || n.Message.Text == "" {
				t.Errorf("notification for broken.tf: %+v, want an error on line 2", n)
			}
		}
	}
	if !found {
		t.Errorf("no notification for broken.tf: %+v", inv.Notifications)
	}

	// Nothing that could be scanned: exit 2, and the run says it failed.
	empty := t.TempDir()
	if err := os.WriteFile(filepath.Join(empty, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = cli(t, "scan", "--format", "sarif", empty)
	if code != exitError {
		t.Errorf("nothing to scan: exit %d, want 2", code)
	}
	if err := sariftest.Validate([]byte(stdout)); err != nil {
		t.Error(err)
	}
	doc = sarifNotifications{}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Runs) != 1 || len(doc.Runs[0].Invocations) != 1 || doc.Runs[0].Invocations[0].ExecutionSuccessful {
		t.Errorf("nothing to scan: want one unsuccessful invocation (%v): %s", err, stdout)
	}
}
