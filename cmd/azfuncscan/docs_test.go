package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChecksDocIsCurrent fails when docs/checks.md differs from what
// `azfuncscan checks --format markdown` generates from the built-in
// checks: a check was added or edited without regenerating the reference.
func TestChecksDocIsCurrent(t *testing.T) {
	code, stdout, stderr := cli(t, "checks", "--format", "markdown")
	if code != 0 {
		t.Fatalf("checks --format markdown: exit %d: %s", code, stderr)
	}
	path := filepath.Join("..", "..", "docs", "checks.md")
	committed, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read the committed reference: %v", err)
	}
	if string(committed) != stdout {
		t.Errorf("docs/checks.md is stale; regenerate it from the repository root with\n\tgo run ./cmd/azfuncscan checks --format markdown > docs/checks.md")
	}
	// Every built-in check has a section its SARIF helpUri can point at.
	code, list, _ := cli(t, "checks")
	if code != 0 {
		t.Fatal("checks: exit", code)
	}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n")[1:] {
		id := strings.Fields(line)[0]
		if !strings.Contains(stdout, "\n## "+id+"\n") {
			t.Errorf("no section headed %q in the generated reference", id)
		}
	}
}

// TestSARIFRuleHelpPointsAtTheReference: a built-in rule's helpUri is its
// section of docs/checks.md.
func TestSARIFRuleHelpPointsAtTheReference(t *testing.T) {
	_, stdout, stderr := cli(t, "scan", "--format", "sarif", filepath.Join("..", "..", "testdata", "terraform", "040-https-only"))
	want := `"helpUri": "https://github.com/azfuncscan/azfuncscan/blob/main/docs/checks.md#azfunc-040"`
	if !strings.Contains(stdout, want) {
		t.Errorf("SARIF lacks %s\nstderr: %s", want, stderr)
	}
}
