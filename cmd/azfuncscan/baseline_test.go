package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A baseline written from one scan hides exactly those findings in the
// next, even after lines move; a new problem is still reported.
func TestBaselineRoundTrip(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(configFixture, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o750); err != nil { // no configuration above is used
		t.Fatal(err)
	}
	tf := filepath.Join(dir, "main.tf")
	if err := os.WriteFile(tf, src, 0o600); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "baseline.json")

	code, first, _ := cli(t, "scan", "--no-snippets", dir)
	n := countFindings(t, first)
	if code != exitFindings || n == 0 {
		t.Fatalf("first scan: exit %d, %d findings", code, n)
	}
	code, stdout, stderr := cli(t, "scan", "--no-snippets", "--write-baseline", base, dir)
	if code != exitOK || countFindings(t, stdout) != 0 || !strings.Contains(stdout, "in the baseline (not shown)") {
		t.Fatalf("--write-baseline: exit %d, stderr %s\n%s", code, stderr, stdout)
	}
	var b struct {
		Version  int              `json:"version"`
		Findings []map[string]any `json:"findings"`
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &b); err != nil || b.Version != 1 || len(b.Findings) != n {
		t.Fatalf("baseline: %v, version %d, %d findings; want %d\n%s", err, b.Version, len(b.Findings), n, data)
	}
	for _, e := range b.Findings {
		for _, k := range []string{"check_id", "fingerprint", "root", "resource", "path"} {
			if _, ok := e[k]; !ok {
				t.Errorf("baseline entry lacks %s: %v", k, e)
			}
		}
		if len(e) != 5 {
			t.Errorf("baseline entry has more than the five fields: %v", e)
		}
	}

	// Lines move: comments above, attributes reordered inside a block.
	moved := "# a header\n# that moves\n# every line\n\n" + strings.Replace(string(src),
		"    minimum_tls_version = var.tls_version\n    ftps_state          = \"AllAllowed\"\n",
		"    ftps_state          = \"AllAllowed\"\n\n    minimum_tls_version = var.tls_version\n", 1)
	if moved == string(src) {
		t.Fatal("test fixture changed: the edit did not apply")
	}
	if err := os.WriteFile(tf, []byte(moved), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = cli(t, "scan", "--no-snippets", "--baseline", base, dir)
	if code != exitOK || countFindings(t, stdout) != 0 || !strings.Contains(stdout, fmt.Sprintf("%d in the baseline", n)) {
		t.Errorf("after moving lines: exit %d\n%s", code, stdout)
	}

	// A new problem is reported, alone.
	withNew := strings.Replace(moved, "    ftps_state          = \"AllAllowed\"\n", "    ftps_state          = \"AllAllowed\"\n    remote_debugging_enabled = true\n", 1)
	if err := os.WriteFile(tf, []byte(withNew), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = cli(t, "scan", "--no-snippets", "--baseline", base, dir)
	if code != exitFindings || countFindings(t, stdout) != 1 || !strings.Contains(stdout, "AZFUNC-080") {
		t.Errorf("new problem: exit %d\n%s", code, stdout)
	}

	code, _, stderr = cli(t, "scan", "--baseline", filepath.Join(dir, "missing.json"), dir)
	if code != exitError || !strings.Contains(stderr, "baseline") {
		t.Errorf("missing baseline: exit %d, %s", code, stderr)
	}
}

// countFindings counts finding lines of a text report.
func countFindings(t *testing.T, text string) int {
	t.Helper()
	return len(regexp.MustCompile(`(?m)^\S+:\d+:\d+: (low|medium|high|critical) AZFUNC-`).FindAllString(text, -1))
}
