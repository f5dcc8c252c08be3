package report_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
	"github.com/google/go-cmp/cmp"
)

// gccLine is the form gcc prints and problem matchers read
// (file:line:col: severity: message), with the check id last.
var gccLine = regexp.MustCompile(`^([^:]+):(\d+):(\d+): (error|warning|note): (.+) \[(AZFUNC-\d{3})\]$`)

func TestCompactIsGCCStyle(t *testing.T) {
	out := string(render(t, report.FormatCompact, testReport(true), report.TextOptions{}))
	levels := map[string]string{}
	findings := 0
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		m := gccLine.FindStringSubmatch(line)
		if m == nil {
			// Diagnostics have no check id but the same position form.
			if !regexp.MustCompile(`^[^:]+:\d+:\d+: (error|warning|note): .+$`).MatchString(line) {
				t.Errorf("line not in file:line:col: severity: message form: %q", line)
			}
			continue
		}
		findings++
		levels[m[6]] = m[4]
		if m[2] == "0" || m[3] == "0" {
			t.Errorf("position 0 in %q", line)
		}
	}
	if findings != 7 {
		t.Errorf("%d finding lines, want 7 (6 failing + 1 undetermined shown):\n%s", findings, out)
	}
	want := map[string]string{"AZFUNC-030": "error", "AZFUNC-040": "error", "AZFUNC-041": "error", "AZFUNC-009": "warning", "AZFUNC-050": "note"}
	for id, level := range want {
		if levels[id] != level {
			t.Errorf("%s: level %q, want %q (critical/high error, medium warning, low and undetermined note)", id, levels[id], level)
		}
	}
}

// githubCommand is a workflow command with properties.
var githubCommand = regexp.MustCompile(`^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*)(?:,[a-zA-Z]+=[^,:]*)*)::(.*)$`)

func TestGitHubCommandsEscape(t *testing.T) {
	r := testReport(false)
	r.Diagnostics = nil
	r.Findings = []engine.Finding{{
		CheckID: "AZFUNC-040", Severity: engine.Low, Status: engine.Fail,
		Message: "100% wrong,\nsecond line: here",
		Range:   rng("infra/a,b:c.tf", 3, 4, 3, 9), Resource: "x.y", Fingerprint: "f", Root: "infra",
	}}
	out := strings.TrimSuffix(string(render(t, report.FormatGitHub, r, report.TextOptions{})), "\n")
	if strings.Count(out, "\n") != 0 {
		t.Fatalf("one finding must be one line:\n%s", out)
	}
	m := githubCommand.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("not a workflow command: %q", out)
	}
	if m[1] != "notice" {
		t.Errorf("low severity is %q, want notice", m[1])
	}
	if want := "file=infra/a%2Cb%3Ac.tf,line=3,col=4,endLine=3,endColumn=9,title=AZFUNC-040"; m[2] != want {
		t.Errorf("properties %q, want %q", m[2], want)
	}
	if want := "100%25 wrong,%0Asecond line: here"; m[3] != want {
		t.Errorf("message %q, want %q", m[3], want)
	}
}

func TestGitHubLevelsAndLeavesOutSuppressed(t *testing.T) {
	r := testReport(false)
	r.Findings[1].Suppressed = &model.Ignore{Checks: []string{r.Findings[1].CheckID}, Reason: "accepted"}
	out := string(render(t, report.FormatGitHub, r, report.TextOptions{}))
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if githubCommand.FindStringSubmatch(line) == nil {
			t.Errorf("not a workflow command: %q", line)
		}
	}
	if strings.Contains(out, "accepts TLS 1.0") {
		t.Errorf("a suppressed finding was annotated:\n%s", out)
	}
	if !strings.Contains(out, "::error file=infra/main.tf,line=14,col=5,endLine=14,endColumn=28,title=AZFUNC-030::") ||
		!strings.Contains(out, "::warning file=infra/modules/app/main.tf,line=5,col=7") ||
		!strings.Contains(out, "::error file=infra/broken.tf,line=3,col=10,endLine=3,endColumn=11,title=azfuncscan::Unclosed configuration block") {
		t.Errorf("levels or locations wrong:\n%s", out)
	}
	if strings.Contains(out, "AZFUNC-050") {
		t.Errorf("an undetermined finding was annotated without --show-undetermined:\n%s", out)
	}
}

func TestParseFormatNamesEveryFormat(t *testing.T) {
	for _, f := range report.Formats() {
		got, err := report.ParseFormat(strings.ToUpper(string(f)))
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", strings.ToUpper(string(f)), got, err)
		}
	}
	_, err := report.ParseFormat("xml")
	if err == nil || !strings.Contains(err.Error(), "text, compact, github, json or sarif") {
		t.Errorf("unknown format error %v should name every format", err)
	}
}

func TestSARIFCategory(t *testing.T) {
	for cat, want := range map[string]string{"": "", "iac": "iac/", "iac/dev/": "iac/dev/", "\ta/b\n": "a/b/"} {
		if got := report.AutomationID(cat); got != want {
			t.Errorf("AutomationID(%q) = %q, want %q", cat, got, want)
		}
	}
	r := testReport(true)
	r.Category = "azfuncscan-dev"
	data := render(t, report.FormatSARIF, r, report.TextOptions{})
	if !strings.Contains(string(data), `"automationDetails": {
        "id": "azfuncscan-dev/"
      }`) {
		t.Errorf("no automationDetails.id from the category")
	}
	if err := sariftest.Validate(data); err != nil {
		t.Error(err)
	}
}

// TestMinSeverityAndThreshold: the threshold decides what fails, the
// minimum severity what is reported; neither changes the other.
func TestMinSeverityAndThreshold(t *testing.T) {
	r := testReport(false)
	r.Threshold = engine.High
	if got := r.Failures(); got != 4 {
		t.Errorf("threshold high: %d failures, want 4 (1 critical, 3 high)", got)
	}
	if got := len(r.Shown()); got != 6 {
		t.Errorf("threshold high: %d findings shown, want all 6", got)
	}
	r.Threshold, r.MinSeverity = engine.Low, engine.Critical
	if got := r.Failures(); got != 6 {
		t.Errorf("min severity critical: %d failures, want 6 (it filters the report only)", got)
	}
	if got := len(r.Shown()); got != 1 {
		t.Errorf("min severity critical: %d shown, want 1", got)
	}
}

// TestJSONKeysPresentWhenEmpty: every documented key is in the output
// whether or not it has a value, so that consumers need no existence
// checks: empty lists are [], unknown values null.
func TestJSONKeysPresentWhenEmpty(t *testing.T) {
	r := testReport(true)
	// A finding without end, related locations, suppression or trail,
	// and a diagnostic without file or position.
	r.Findings = []engine.Finding{{CheckID: "AZFUNC-040", Severity: engine.High, Status: engine.Fail, Message: "m",
		Range: model.Range{Filename: "infra/main.tf"}, Resource: "x.y", Fingerprint: "f"}}
	r.Diagnostics = model.Diagnostics{{Severity: model.SevWarning, Summary: "s"}}
	r.Tool.InformationURI = ""
	var doc map[string]any
	if err := json.Unmarshal(render(t, report.FormatJSON, r, report.TextOptions{}), &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(v any) []string {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%v is not an object", v)
		}
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	want := map[string][]string{
		"report":     {"checks", "diagnostics", "findings", "summary", "tool", "version"},
		"tool":       {"information_uri", "name", "version"},
		"finding":    {"apps", "check_id", "column", "end_column", "end_line", "file", "fingerprint", "fix", "line", "message", "no_fix", "origin", "path", "related", "resource", "resource_type", "root", "severity", "status", "suppression", "title", "trail"},
		"diagnostic": {"column", "detail", "file", "line", "severity", "summary"},
		"summary": {"baselined", "by_severity", "checks", "diagnostics", "errors", "evaluated", "failures", "findings", "min_severity", "not_applicable",
			"passed", "resources", "suppressed", "threshold", "undetermined", "undetermined_shown", "unevaluated"},
	}
	got := map[string][]string{
		"report":     keys(doc),
		"tool":       keys(doc["tool"]),
		"finding":    keys(doc["findings"].([]any)[0]),
		"diagnostic": keys(doc["diagnostics"].([]any)[0]),
		"summary":    keys(doc["summary"]),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON keys (-want +got):\n%s", diff)
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	if rel, ok := f["related"].([]any); !ok || len(rel) != 0 {
		t.Errorf("related = %v, want []", f["related"])
	}
	if f["end_line"] != nil || f["suppression"] != nil {
		t.Errorf("unknown end or no suppression must be null: %v, %v", f["end_line"], f["suppression"])
	}
}

// TestSARIFURIsRelativeThroughSymlinks: a repository reached through a
// symbolic link (the working directory) and a file named by its resolved
// path are one tree: every URI under it is relative to %SRCROOT%, never a
// file: URI beside relative ones.
func TestSARIFURIsRelativeThroughSymlinks(t *testing.T) {
	real := t.TempDir()
	if err := os.MkdirAll(filepath.Join(real, "infra"), 0o750); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"main.tf", "vars.tfvars"} {
		if err := os.WriteFile(filepath.Join(real, "infra", f), []byte("x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(t.TempDir(), "repo")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	r := testReport(false)
	r.Diagnostics = nil
	r.BaseDir, r.WorkDir = link, link
	r.Findings = []engine.Finding{{
		CheckID: "AZFUNC-040", Severity: engine.High, Status: engine.Fail, Message: "m", Resource: "a.b", Fingerprint: "f", Root: "infra",
		Range: rng("infra/main.tf", 1, 1, 1, 2),
		Trail: []model.Hop{
			{Kind: model.HopVarFile, Name: "var.x", Range: rng(filepath.Join(real, "infra", "vars.tfvars"), 1, 1, 1, 2)},
			{Kind: model.HopAttribute, Range: rng("infra/main.tf", 1, 1, 1, 2)},
		},
	}}
	out := string(render(t, report.FormatSARIF, r, report.TextOptions{}))
	if strings.Contains(out, "file:") {
		t.Errorf("a file under the root got a file: URI:\n%s", out)
	}
	if !strings.Contains(out, `"uri": "infra/vars.tfvars"`) {
		t.Errorf("the resolved path is not relative to the root:\n%s", out)
	}
}
