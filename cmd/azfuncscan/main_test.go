package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

const insecure = "testdata/terraform" // an app with HTTPS off and TLS 1.0

func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"scan", "--frmat", "sarif"},
		{"bogus"},
		{"scan", "--format", "xml"},
		{"scan", "--severity-threshold", "severe"},
		{"scan", "--var", "no-equals-sign"},
		{"scan", "--var", "=value"},
		{"checks", "--format", "sarif"},
		{"checks", "extra"},
		{"version", "extra"},
	} {
		code, _, stderr := cli(t, args...)
		if code != exitError {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		// The help named is the subcommand's.
		help := "Run 'azfuncscan " + args[0] + " --help' for usage."
		if args[0] == "bogus" {
			help = "Run 'azfuncscan --help' for usage."
		}
		if !strings.HasPrefix(stderr, "azfuncscan: error: ") || !strings.HasSuffix(stderr, "\n"+help+"\n") {
			t.Errorf("%v: stderr = %q", args, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := cli(t, "version")
	if code != 0 || stdout != "azfuncscan dev\n" {
		t.Errorf("version: exit %d, %q (a test binary has no module version)", code, stdout)
	}
}

func TestHelpExits0(t *testing.T) {
	for _, args := range [][]string{{}, {"--help"}, {"scan", "--help"}} {
		code, stdout, _ := cli(t, args...)
		if code != 0 || !strings.Contains(stdout, "Usage:") {
			t.Errorf("%v: exit %d\n%s", args, code, stdout)
		}
	}
	_, stdout, _ := cli(t, "scan", "--help")
	for _, flag := range []string{"--format", "--output", "--severity-threshold", "--enable", "--disable", "--checks-dir",
		"--show-undetermined", "--var-file", "--var", "--no-color", "--no-snippets"} {
		if !strings.Contains(stdout, flag) {
			t.Errorf("scan --help does not document %s", flag)
		}
	}
}

func TestOutputNotWritableExit2(t *testing.T) {
	out := filepath.Join(t.TempDir(), "missing-dir", "report.sarif")
	code, _, stderr := cli(t, "scan", "--format", "sarif", "--output", out, insecure)
	if code != exitError || !strings.Contains(stderr, "output") {
		t.Errorf("exit %d, stderr %q; want 2 and a message about the output", code, stderr)
	}
}

type modelOutput struct {
	Modules []struct {
		Format       string            `json:"format"`
		Path         string            `json:"path"`
		FunctionApps []json.RawMessage `json:"function_apps"`
	} `json:"modules"`
}

func TestModel(t *testing.T) {
	code, stdout, stderr := cli(t, "model", insecure)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var m modelOutput
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("model output is not JSON: %v\n%s", err, stdout)
	}
	if len(m.Modules) != 1 || m.Modules[0].Format != "terraform" || m.Modules[0].Path != insecure {
		t.Errorf("modules = %+v", m.Modules)
	}
}

func TestModelFindsFunctionApps(t *testing.T) {
	_, stdout, _ := cli(t, "model", insecure)
	var m modelOutput
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Modules) != 1 || len(m.Modules[0].FunctionApps) != 1 {
		t.Fatalf("want one module with one function app: %s", stdout)
	}
	if !strings.Contains(stdout, `"address": "azurerm_linux_function_app.api"`) {
		t.Errorf("the app's address is missing:\n%s", stdout)
	}
}

func TestModelMissingPathExit2(t *testing.T) {
	code, _, stderr := cli(t, "model", "does/not/exist")
	if code != exitError || !strings.Contains(stderr, "does/not/exist") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestDiscovery checks what parsers.Load walks, through `model`: skipped
// directories, symbolic links (a loop must not hang), duplicates, order.
func TestDiscovery(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("z/main.tf", "# module z\n")
	write("a/main.tf", "# module a\n")
	write("a/b/main.tf.json", "{}\n")
	write(".hidden/h.tf", "")
	write(".terraform/modules/m/m.tf", "")
	write("node_modules/pkg/n.tf", "")
	write(".git/g.tf", "")
	write("docs/readme.md", "not terraform\n")
	for link, target := range map[string]string{
		"loop":       root,                                // a directory loop
		"outside":    filepath.Join(root, "a"),            // links to directories are not followed
		"l/main.tf":  filepath.Join(root, "a", "main.tf"), // links to files are, with --follow-symlinks
		"l/dangling": filepath.Join(root, "nowhere"),
	} {
		p := filepath.Join(root, link)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skipf("symbolic links unsupported: %v", err)
		}
	}

	// By default no link met while walking is followed.
	code, stdout, stderr := cli(t, "model", root)
	if code != 0 || !strings.Contains(stdout, `/a/b"`) || strings.Contains(stdout, root+`/l"`) ||
		!strings.Contains(stderr, "l/dangling: info: Symbolic link not followed") {
		t.Errorf("without --follow-symlinks: exit %d, a linked main.tf read or dangling link not reported:\n%s\n%s", code, stdout, stderr)
	}

	args := []string{"model", "--follow-symlinks", root, filepath.Join(root, "a", "main.tf"), filepath.Join(root, "a"), filepath.Join(root, "docs", "readme.md")}
	code, stdout, stderr = cli(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var m modelOutput
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, mod := range m.Modules {
		rel, err := filepath.Rel(root, filepath.FromSlash(mod.Path))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"a", "a/b", "l", "z"}
	if !slices.Equal(got, want) {
		t.Errorf("modules = %v, want %v (sorted, de-duplicated, skipping hidden, .terraform, node_modules, .git and links to directories)", got, want)
	}
	if !strings.Contains(stderr, "l/dangling: warning: cannot follow symbolic link") {
		t.Errorf("a dangling link should be a warning diagnostic; stderr:\n%s", stderr)
	}
	if !strings.Contains(stderr, "docs/readme.md: info: no supported input files found") {
		t.Errorf("a path with no inputs should be reported; stderr:\n%s", stderr)
	}

	// Same input, same bytes.
	_, again, _ := cli(t, args...)
	if again != stdout {
		t.Error("model output differs between two runs")
	}
}

// --- needs engine (and parser): real scans ---

func TestChecksList(t *testing.T) {
	code, stdout, stderr := cli(t, "checks")
	if code != 0 || !strings.HasPrefix(stdout, "ID ") || !strings.Contains(stdout, "AZFUNC-040") {
		t.Errorf("checks: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	code, stdout, _ = cli(t, "checks", "--format", "json")
	var list []struct {
		ID               string `json:"id"`
		Severity         string `json:"severity"`
		EnabledByDefault bool   `json:"enabled_by_default"`
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || code != 0 {
		t.Fatalf("checks --format json: exit %d, %v\n%s", code, err, stdout)
	}
	var ids []string
	for _, c := range list {
		ids = append(ids, c.ID)
	}
	if !slices.Contains(ids, "AZFUNC-040") || !slices.IsSorted(ids) {
		t.Errorf("ids = %v, want sorted and AZFUNC-040 among them", ids)
	}
}

func TestScanFindsInsecureApp(t *testing.T) {
	code, stdout, stderr := cli(t, "scan", insecure)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1; stderr %q\n%s", code, stderr, stdout)
	}
	// Paths are relative to the repository root.
	if !strings.Contains(stdout, "cmd/azfuncscan/testdata/terraform/main.tf:") || !strings.Contains(stdout, "AZFUNC-040") {
		t.Errorf("expected an AZFUNC-040 finding in the fixture:\n%s", stdout)
	}
	if strings.Contains(stdout, "\x1b[") {
		t.Error("color written to something that is not a terminal")
	}
}

func TestScanSARIF(t *testing.T) {
	code, first, stderr := cli(t, "scan", "--format", "sarif", insecure)
	if code != exitFindings {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	_, second, _ := cli(t, "scan", "--format", "sarif", insecure)
	if first != second {
		t.Error("SARIF output differs between two runs")
	}
	out := filepath.Join(t.TempDir(), "out.sarif")
	if code, _, stderr := cli(t, "scan", "--format", "sarif", "--output", out, insecure); code != exitFindings {
		t.Fatalf("--output: exit %d: %s", code, stderr)
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != first {
		t.Errorf("--output file differs from stdout (%v)", err)
	}
	var doc struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(first), &doc); err != nil || len(doc.Runs) != 1 || len(doc.Runs[0].Results) == 0 {
		t.Errorf("want one run with results (%v):\n%s", err, first)
	}
	if err := sariftest.Validate([]byte(first)); err != nil {
		t.Error(err)
	}
}

func TestScanJSONAndThreshold(t *testing.T) {
	var rep struct {
		Version  int               `json:"version"`
		Findings []json.RawMessage `json:"findings"`
		Summary  struct {
			Findings  int    `json:"findings"`
			Failures  int    `json:"failures"`
			Threshold string `json:"threshold"`
		} `json:"summary"`
	}
	code, stdout, _ := cli(t, "scan", "--format", "json", insecure)
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != exitFindings || rep.Version != 1 || len(rep.Findings) == 0 {
		t.Fatalf("exit %d, %v:\n%s", code, err, stdout)
	}
	// The catalog has no critical check the fixture trips: nothing at or
	// above critical, so the scan passes, and every finding is still
	// reported.
	all := len(rep.Findings)
	code, stdout, _ = cli(t, "scan", "--format", "json", "--severity-threshold", "critical", insecure)
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != exitOK || len(rep.Findings) != all || rep.Summary.Failures != 0 || rep.Summary.Threshold != "critical" {
		t.Errorf("threshold critical: exit %d, %v:\n%s", code, err, stdout)
	}
}

func TestScanDisable(t *testing.T) {
	_, stdout, _ := cli(t, "scan", "--disable", "AZFUNC-040", "--format", "json", insecure)
	if strings.Contains(stdout, `"check_id": "AZFUNC-040"`) || !strings.Contains(stdout, `"checks": [`) {
		t.Errorf("AZFUNC-040 ran although disabled:\n%s", stdout)
	}
}

func TestScanCleanInputsExit0(t *testing.T) {
	// The hardened fixture kept by the check authors: no check may fire.
	code, stdout, stderr := cli(t, "scan", "../../testdata/terraform/secure")
	if code != exitOK {
		t.Errorf("secure fixture: exit %d, stderr %q\n%s", code, stderr, stdout)
	}
}

func TestScanMissingPathExit2(t *testing.T) {
	code, _, stderr := cli(t, "scan", "does/not/exist")
	if code != exitError || !strings.Contains(stderr, "does/not/exist") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestScanBadChecksDirExit2(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "BROKEN.yaml"), []byte("id: [unclosed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, filepath.Join(dir, "missing")} {
		code, _, stderr := cli(t, "scan", "--checks-dir", d, insecure)
		if code != exitError || !strings.Contains(stderr, "checks dir") {
			t.Errorf("--checks-dir %s: exit %d, stderr %q", d, code, stderr)
		}
	}
}

// A custom check cannot silently pass: comparing a bool with a string is a
// load error naming the file and line, and an expression that raises an
// error at run time is a check error that fails the scan.
func TestCustomChecksCannotSilentlyPass(t *testing.T) {
	head := "id: ACME-001\ntitle: t\nseverity: low\nsecurity_severity: 1.0\nformats: [terraform]\ndescription: d\nmessage: \"m\"\n"
	typed := t.TempDir()
	if err := os.WriteFile(filepath.Join(typed, "ACME-001.yaml"), []byte(head+"fail: app.https_only == \"false\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, "scan", "--checks-dir", typed, insecure)
	if code != exitError || !strings.Contains(stderr, "ACME-001.yaml:8: fail: found no matching overload for '_==_' applied to '(bool, string)'") {
		t.Errorf("type mismatch: exit %d, stderr %q", code, stderr)
	}

	failing := t.TempDir()
	if err := os.WriteFile(filepath.Join(failing, "ACME-001.yaml"), []byte(head+"fail: app.app_settings[3].name == \"X\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "scan", "--no-color", "--checks-dir", failing, "../../testdata/terraform/secure")
	if code != exitError || !strings.Contains(stderr, "2 check evaluations raised an error") {
		t.Errorf("runtime error: exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"check ACME-001 could not be evaluated on azurerm_", "index out of bounds: 3", "app.app_settings[3].name == \"X\""} {
		if !strings.Contains(stdout+stderr, want) {
			t.Errorf("report lacks %q:\n%s\n%s", want, stdout, stderr)
		}
	}
	code, stdout, _ = cli(t, "scan", "--format", "json", "--checks-dir", failing, "../../testdata/terraform/secure")
	if code != exitError || !strings.Contains(stdout, "could not be evaluated") {
		t.Errorf("json: exit %d\n%s", code, stdout)
	}
}

// scan --bicep compiles a .bicep entry file with the Bicep CLI on PATH
// (here testdata's stand-in) and reports findings at .bicep lines; without
// the CLI one warning says what was not compiled.
func TestScanBicep(t *testing.T) {
	bin, err := filepath.Abs("../../testdata/bicep-cli/bin")
	if err != nil {
		t.Fatal(err)
	}
	path := os.Getenv("PATH")
	t.Setenv("PATH", bin+string(os.PathListSeparator)+path)
	code, stdout, stderr := cli(t, "scan", "--bicep", "--format", "json", "../../testdata/bicep-cli/src")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %q\n%s", code, stderr, stdout)
	}
	for _, want := range []string{`"file": "testdata/bicep-cli/src/main.bicep"`, `"check_id": "AZFUNC-041"`, `"file": "testdata/bicep-cli/src/modules/worker.bicep"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %s:\n%s", want, stdout)
		}
	}
	t.Setenv("PATH", t.TempDir())
	code, stdout, stderr = cli(t, "scan", "--bicep", "--no-color", "../../testdata/bicep-cli/src")
	// Nothing could be scanned: the report says why, and the scan fails.
	if code != exitError || !strings.Contains(stdout+stderr, "Bicep files not compiled: no bicep CLI on PATH") || !strings.Contains(stdout+stderr, "main.bicep") ||
		!strings.Contains(stderr, "azfuncscan: error: no input: ") {
		t.Errorf("without the CLI: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
