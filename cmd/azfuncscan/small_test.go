package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// The small things a new user meets, one test each.

// TestSupportedFormatsListedOnce: the note for a path without inputs names
// each input format once.
func TestSupportedFormatsListedOnce(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("hi\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := cli(t, "scan", "--no-color", dir)
	if !strings.Contains(stdout, "Supported formats: terraform, arm, pulumi.\n") {
		t.Errorf("want each format once:\n%s", stdout)
	}
}

// TestMistypedSubcommand: a "did you mean" for a near miss, nothing for a
// word far from every command, and the root's help named.
func TestMistypedSubcommand(t *testing.T) {
	for word, want := range map[string]string{
		"scna":   `unknown command "scna" (did you mean "scan"?)`,
		"chekcs": `(did you mean "checks"?)`,
		"mdoel":  `(did you mean "model"?)`,
		"vers":   `(did you mean "version"?)`,
	} {
		code, _, stderr := cli(t, word, ".")
		if code != exitError || !strings.Contains(stderr, want) || !strings.HasSuffix(stderr, "Run 'azfuncscan --help' for usage.\n") {
			t.Errorf("%s: exit %d, stderr %q; want %q", word, code, stderr, want)
		}
	}
	_, _, stderr := cli(t, "frobnicate")
	if strings.Contains(stderr, "did you mean") {
		t.Errorf("a suggestion for a word close to nothing: %q", stderr)
	}
}

// TestCheckIDsIgnoreCase: --enable and --disable take ids in any case.
func TestCheckIDsIgnoreCase(t *testing.T) {
	fixture := filepath.Join("..", "..", "testdata", "terraform", "040-https-only")
	_, upper, _ := cli(t, "scan", "--format", "compact", "--disable", "AZFUNC-040", "--enable", "AZFUNC-071", fixture)
	code, lower, stderr := cli(t, "scan", "--format", "compact", "--disable", "azfunc-040", "--enable", "Azfunc-071", fixture)
	if code != exitFindings || lower != upper {
		t.Errorf("lower-case ids: exit %d, stderr %q; output differs from upper-case ids", code, stderr)
	}
	if strings.Contains(lower, "[AZFUNC-040]") || !strings.Contains(lower, "[AZFUNC-071]") {
		t.Errorf("azfunc-040 not disabled or azfunc-071 not enabled:\n%s", lower)
	}
}

// TestModelDefaultsToCurrentDirectory: model, like scan, reads . when no
// path is named.
func TestModelDefaultsToCurrentDirectory(t *testing.T) {
	abs, err := filepath.Abs(insecure)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(abs)
	code, stdout, stderr := cli(t, "model")
	var m struct {
		Modules []struct {
			Path         string            `json:"path"`
			FunctionApps []json.RawMessage `json:"function_apps"`
		} `json:"modules"`
	}
	if err := json.Unmarshal([]byte(stdout), &m); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v, stderr %q", code, err, stderr)
	}
	if len(m.Modules) != 1 || m.Modules[0].Path != "." || len(m.Modules[0].FunctionApps) != 1 {
		t.Errorf("model without a path: %+v", m.Modules)
	}
}

// TestChecksDescribesOne: checks ID prints that check's description and
// remediation, in any case; an unknown id is a usage error with a
// suggestion.
func TestChecksDescribesOne(t *testing.T) {
	code, stdout, stderr := cli(t, "checks", "azfunc-040")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	all, err := loadChecks()
	if err != nil {
		t.Fatal(err)
	}
	var c *engine.Check
	for _, x := range all {
		if x.ID == "AZFUNC-040" {
			c = x
		}
	}
	if c == nil {
		t.Fatal("no AZFUNC-040")
	}
	if !strings.HasPrefix(stdout, "AZFUNC-040  "+c.Title+"\n") {
		t.Errorf("does not start with id and title:\n%.200s", stdout)
	}
	for what, text := range map[string]string{
		"description":           c.Description,
		"terraform remediation": c.Remediation["terraform"],
		"arm remediation":       c.Remediation["arm"],
	} {
		first := strings.TrimSpace(strings.SplitN(strings.TrimSpace(text), "\n", 2)[0])
		if first == "" || !strings.Contains(stdout, first) {
			t.Errorf("%s (%q) missing:\n%s", what, first, stdout)
		}
	}
	if !strings.Contains(stdout, "Remediation") || strings.Contains(stdout, "AZFUNC-041") {
		t.Errorf("want AZFUNC-040 alone, with its remediation:\n%s", stdout)
	}
	code, _, stderr = cli(t, "checks", "AZFUNC-04")
	if code != exitError || !strings.Contains(stderr, `no check "AZFUNC-04" (did you mean "AZFUNC-004"?)`) {
		t.Errorf("unknown id: exit %d, %q", code, stderr)
	}
	code, stdout, _ = cli(t, "checks", "--format", "json", "AZFUNC-041", "azfunc-040")
	var got []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != exitOK || len(got) != 2 || got[0].ID != "AZFUNC-040" {
		t.Errorf("checks --format json with ids: exit %d, %v, %+v", code, err, got)
	}
}

// errorLine is the one style of error message: the program, "error:",
// then a lower-case message naming what failed (a flag, a path, a file)
// before why; several problems continue on indented lines.
var errorLine = regexp.MustCompile(`^azfuncscan: error: [a-z-"./][^\n]*\n(    [^\n]+\n)*(Run 'azfuncscan( [a-z]+)? --help' for usage\.\n)?$`)

// TestOneStyleOfErrorMessage: every way a command fails prints one line in
// the same form (and, for a usage error, the help to read).
func TestOneStyleOfErrorMessage(t *testing.T) {
	dir := t.TempDir()
	badCheck := filepath.Join(dir, "checks")
	if err := os.MkdirAll(badCheck, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(badCheck, "x.yaml"), []byte("id: X-001\nfail: app.htps_only\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"scan", "--frmat", "sarif"},
		{"scan", "--format", "xml"},
		{"scan", "--severity-threshold", "severe"},
		{"scan", "--min-severity", "severe"},
		{"scan", "--enable", "AZFUNC-999"},
		{"scan", filepath.Join(dir, "missing")},
		{"scan", "--var-file", filepath.Join(dir, "missing.tfvars"), insecure},
		{"scan", "--config", filepath.Join(dir, "missing.yaml"), insecure},
		{"scan", "-o", filepath.Join(dir, "no", "such", "dir", "r.txt"), insecure},
		{"scan", dir},
		{"checks", "extra"},
		{"checks", "--format", "sarif"},
		{"checks", "--checks-dir", badCheck},
		{"model", filepath.Join(dir, "missing")},
		{"version", "extra"},
		{"bogus"},
	} {
		code, _, stderr := cli(t, args...)
		if code != exitError {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if !errorLine.MatchString(stderr) {
			t.Errorf("%v: stderr not in the one error style:\n%s", args, stderr)
		}
	}
}

// TestReadmeListsEveryCheckField: the README's custom check guide lists
// every key a check file may have, security_severity included.
func TestReadmeListsEveryCheckField(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(sharedtest.RepoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	start := strings.Index(s, "\n## Custom checks\n")
	if start < 0 {
		t.Fatal("README has no Custom checks section")
	}
	section := s[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	_, fields, ok := strings.Cut(section, "Fields:")
	if !ok {
		t.Fatal("the Custom checks section has no field list")
	}
	for _, k := range engine.FileKeys() {
		if !strings.Contains(fields, "| `"+k+"` |") {
			t.Errorf("the README's field list lacks %s", k)
		}
	}
	if !strings.Contains(fields, "`security_severity`") {
		t.Error("security_severity missing")
	}
}

// BenchmarkSmallScan is what a pre-commit hook pays per run, less the
// process start: load every built-in check, scan one small module, write
// the text report (issue 14).
func BenchmarkSmallScan(b *testing.B) {
	fixture := filepath.Join("..", "..", "testdata", "terraform", "040-https-only")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if code := run(ctx, []string{"scan", "--no-color", fixture}, io.Discard, io.Discard); code != exitFindings {
			b.Fatalf("exit %d", code)
		}
	}
}
