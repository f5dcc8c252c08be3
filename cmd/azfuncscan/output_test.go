package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

// onlyChecks returns --disable flags for every built-in check but keep, so
// that golden files do not change with every edit of the catalog.
func onlyChecks(t *testing.T, keep ...string) []string {
	t.Helper()
	_, stdout, _ := cli(t, "checks", "--format", "json")
	var all []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(stdout), &all); err != nil {
		t.Fatal(err)
	}
	var off []string
	for _, c := range all {
		if !slices.Contains(keep, c.ID) {
			off = append(off, c.ID)
		}
	}
	return []string{"--disable", strings.Join(off, ",")}
}

// TestEveryFormatGolden scans the insecure fixture in every output format
// and compares each with its golden file (UPDATE_GOLDEN=1 rewrites them).
// Three checks run: two that fail on values written in the file (high)
// and one that fails on a default (low).
func TestEveryFormatGolden(t *testing.T) {
	only := onlyChecks(t, "AZFUNC-040", "AZFUNC-041", "AZFUNC-055")
	for _, f := range []struct{ format, golden string }{
		{"text", "formats/insecure.txt"},
		{"compact", "formats/insecure.compact"},
		{"github", "formats/insecure.github"},
		{"json", "formats/insecure.json"},
		{"sarif", "formats/insecure.sarif"},
	} {
		t.Run(f.format, func(t *testing.T) {
			code, stdout, stderr := cli(t, append(append([]string{"scan", "--no-color", "--format", f.format}, only...), insecure)...)
			if code != exitFindings {
				t.Fatalf("exit %d, want 1: %s", code, stderr)
			}
			goldenFile(t, f.golden, stdout)
			switch f.format {
			case "json":
				if !json.Valid([]byte(stdout)) {
					t.Error("invalid JSON")
				}
			case "sarif":
				if err := sariftest.Validate([]byte(stdout)); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

// TestSeveralFormatsAtOnce: one scan, SARIF to a file and text to stdout,
// each the same as when written alone; suppressed findings stay in the
// SARIF (marked) and out of the text, whatever else is written.
func TestSeveralFormatsAtOnce(t *testing.T) {
	dir := t.TempDir()
	sarifPath := filepath.Join(dir, "out.sarif")
	jsonPath := filepath.Join(dir, "out.json")
	code, stdout, stderr := cli(t, "scan", "--no-color", "--format", "sarif="+sarifPath, "--format", "text", "--format", "json="+jsonPath, suppressFixture)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, textAlone, _ := cli(t, "scan", "--no-color", suppressFixture)
	_, sarifAlone, _ := cli(t, "scan", "--format", "sarif", suppressFixture)
	_, jsonAlone, _ := cli(t, "scan", "--format", "json", suppressFixture)
	if stdout != textAlone {
		t.Errorf("text differs from a text-only scan:\n%s\n---\n%s", stdout, textAlone)
	}
	for path, alone := range map[string]string{sarifPath: sarifAlone, jsonPath: jsonAlone} {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != alone {
			t.Errorf("%s differs from a scan writing it alone", filepath.Base(path))
		}
	}
	if !strings.Contains(sarifAlone, `"suppressions"`) || strings.Contains(stdout, "[suppressed") {
		t.Errorf("suppressed findings: SARIF must list them, text must not")
	}
}

// TestOutputPicksFormat: -o - is stdout; an -o ending in .sarif or .json
// without --format writes that format; --format applies to -o.
func TestOutputPicksFormat(t *testing.T) {
	dir := t.TempDir()
	_, textAlone, _ := cli(t, "scan", "--no-color", insecure)
	code, stdout, _ := cli(t, "scan", "--no-color", "-o", "-", insecure)
	if code != exitFindings || stdout != textAlone {
		t.Errorf("-o -: exit %d, output differs from stdout's", code)
	}
	for name, want := range map[string]string{"r.sarif": `"$schema"`, "r.SARIF": `"$schema"`, "r.json": `"version": 1`, "r.txt": "findings ("} {
		p := filepath.Join(dir, name)
		code, stdout, stderr := cli(t, "scan", "-o", p, insecure)
		got, err := os.ReadFile(p)
		if err != nil || code != exitFindings || stdout != "" {
			t.Fatalf("-o %s: exit %d, %v, stdout %q, stderr %q", name, code, err, stdout, stderr)
		}
		if !strings.Contains(string(got), want) {
			t.Errorf("-o %s: want %q in:\n%.300s", name, want, got)
		}
	}
	p := filepath.Join(dir, "explicit.json")
	cli(t, "scan", "--format", "compact", "-o", p, insecure)
	if got, _ := os.ReadFile(p); !strings.Contains(string(got), ": error: ") || json.Valid(got) {
		t.Errorf("--format compact -o x.json must write compact:\n%s", got)
	}
}

func TestOutputConflicts(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "text", "--format", "json"}, "text and json would both be written to standard output"},
		{[]string{"--format", "sarif=" + filepath.Join(dir, "a"), "--format", "json=" + filepath.Join(dir, "a")}, "would both be written to"},
		{[]string{"--format", "sarif="}, "want FORMAT or FORMAT=FILE"},
		{[]string{"--format", "xml"}, "unknown format \"xml\" (want text, compact, github, json or sarif)"},
		{[]string{"--format", "sarif=" + filepath.Join(dir, "b"), "-o", filepath.Join(dir, "c")}, "every --format names its own file"},
	} {
		code, _, stderr := cli(t, append(append([]string{"scan"}, tc.args...), insecure)...)
		if code != exitError || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "Run 'azfuncscan scan --help' for usage.") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestCategory(t *testing.T) {
	_, stdout, _ := cli(t, "scan", "--format", "sarif", "--category", "iac-dev", insecure)
	var doc struct {
		Runs []struct {
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Runs) != 1 || doc.Runs[0].AutomationDetails.ID != "iac-dev/" {
		t.Errorf("automationDetails: %+v, %v", doc, err)
	}
	_, stdout, _ = cli(t, "scan", "--format", "sarif", insecure)
	if strings.Contains(stdout, "automationDetails") {
		t.Error("automationDetails without --category")
	}
}

// TestThresholdDecidesExitOnly: --severity-threshold changes the exit
// status, never the report; --min-severity changes the report, never the
// exit status.
func TestThresholdDecidesExitOnly(t *testing.T) {
	_, all, _ := cli(t, "scan", "--no-color", "--format", "compact", insecure)
	code, stdout, _ := cli(t, "scan", "--no-color", "--format", "compact", "--severity-threshold", "critical", insecure)
	if code != exitOK || stdout != all {
		t.Errorf("threshold critical: exit %d (want 0); report changed:\n%s\n---\n%s", code, stdout, all)
	}
	code, stdout, _ = cli(t, "scan", "--no-color", "--min-severity", "critical", insecure)
	if code != exitFindings {
		t.Errorf("min severity critical: exit %d, want 1 (the high findings still fail)", code)
	}
	if strings.Contains(stdout, " high AZFUNC-") || !strings.Contains(stdout, "below the minimum severity (not shown)") {
		t.Errorf("min severity critical: high findings shown, or not said to be hidden:\n%s", stdout)
	}
}

// TestNothingReadExits2: a path that cannot be read, a --var-file that is
// missing and a scan that read no input at all fail with the reason.
func TestNothingReadExits2(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.md"), []byte("# notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "gone"), dangling); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{filepath.Join(dir, "missing")}, "scan path: stat "},
		{[]string{dangling}, "scan path: stat "},
		{[]string{"--var-file", filepath.Join(dir, "prod.tfvars"), insecure}, "--var-file: stat "},
		{[]string{"--var-file", dir, insecure}, "is a directory"},
		{[]string{dir}, "no input: nothing in " + dir + " is a Terraform, ARM or Pulumi file"},
		{[]string{"--format", "json", t.TempDir()}, "no input: "},
	} {
		code, stdout, stderr := cli(t, append([]string{"scan"}, tc.args...)...)
		if code != exitError || !strings.HasPrefix(stderr, "azfuncscan: error: ") || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
		if tc.args[0] == "--format" && !json.Valid([]byte(stdout)) {
			t.Errorf("%v: the report is still written, complete:\n%s", tc.args, stdout)
		}
	}
}

// TestReadmeFormatExamples: the README's examples of the compact and
// github formats are the golden outputs, line for line, and its text and
// JSON examples hold lines of theirs, so that they cannot drift.
func TestReadmeFormatExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"insecure.compact", "insecure.github"} {
		golden, err := os.ReadFile(filepath.Join("testdata", "formats", name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), "```\n"+string(golden)+"```\n") {
			t.Errorf("README lacks the output of %s as a code block", name)
		}
	}
	text, err := os.ReadFile(filepath.Join("testdata", "formats", "insecure.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(text), "\n")
	for _, l := range []string{lines[3], lines[4], lines[5], lines[len(lines)-2]} {
		if !strings.Contains(string(readme), "\n"+l+"\n") {
			t.Errorf("README's text example lacks %q", l)
		}
	}
	var rep struct {
		Summary json.RawMessage `json:"summary"`
	}
	data, err := os.ReadFile(filepath.Join("testdata", "formats", "insecure.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	var want, got map[string]any
	if err := json.Unmarshal(rep.Summary, &want); err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, `  "summary": {"threshold"`)
	j := strings.Index(s[max(i, 0):], "}\n}\n")
	if i < 0 || j < 0 {
		t.Fatal("README's JSON example has no summary")
	}
	if err := json.Unmarshal([]byte(s[i+len(`  "summary": `):i+j+1]), &got); err != nil {
		t.Fatalf("README's JSON summary: %v", err)
	}
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("README's JSON summary %v, the scan's %v", got, want)
	}
}
