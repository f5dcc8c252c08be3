package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/config"
)

// readmeSection returns the text of a README section (up to the next
// "## " heading).
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, "\n## "+heading+"\n")
	if i < 0 {
		t.Fatalf("README has no section %q", heading)
	}
	text = text[i+len(heading)+5:]
	if j := strings.Index(text, "\n## "); j >= 0 {
		text = text[:j]
	}
	return text
}

// fenced returns the first fenced block of a language in text.
func fenced(t *testing.T, text, lang string) string {
	t.Helper()
	i := strings.Index(text, "```"+lang+"\n")
	if i < 0 {
		t.Fatalf("no %s block", lang)
	}
	text = text[i+len(lang)+4:]
	block, _, ok := strings.Cut(text, "```")
	if !ok {
		t.Fatalf("unclosed %s block", lang)
	}
	return block
}

// The README's configuration example loads and shows every key.
func TestReadmeConfigExample(t *testing.T) {
	example := fenced(t, readmeSection(t, "Configuration file"), "yaml")
	if _, err := config.Parse("README.md", "/repo", []byte(example)); err != nil {
		t.Errorf("the README's configuration example does not load: %v", err)
	}
	for _, k := range config.Keys() {
		if !strings.Contains(example, "\n"+k+":") && !strings.HasPrefix(example, k+":") {
			t.Errorf("the README's configuration example does not show %s", k)
		}
	}
}

// The README's HCL suppression example suppresses what it says when
// scanned (its three comments cover AZFUNC-052/055, 040 and 041).
func TestReadmeSuppressionExample(t *testing.T) {
	example := fenced(t, readmeSection(t, "Suppressions"), "hcl")
	// The example's expiry date is for reading; the test must not depend
	// on today's date.
	example = regexp.MustCompile(`exp:\d{4}-\d{2}-\d{2}`).ReplaceAllString(example, "exp:2999-01-01")
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(example), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := cli(t, "scan", "--show-suppressed", "--no-snippets", "--format", "text", dir)
	for _, id := range []string{"AZFUNC-052", "AZFUNC-055", "AZFUNC-040", "AZFUNC-041"} {
		found := false
		for _, line := range strings.Split(stdout, "\n") {
			if strings.Contains(line, " "+id+" ") && strings.Contains(line, "(suppressed: ") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s not suppressed by the README example:\n%s", id, stdout)
		}
	}
}
