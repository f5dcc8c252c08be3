package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
)

// uncomment turns the template's settings into a configuration.
func uncomment(t string) string {
	var b strings.Builder
	for _, l := range strings.Split(t, "\n") {
		b.WriteString(strings.TrimPrefix(l, "# ") + "\n")
	}
	return b.String()
}

// The template changes nothing as written, documents every key, and its
// settings, uncommented, form a valid configuration.
// lineOf returns the 1-based line of the first line of text starting with prefix.
func lineOf(text, prefix string) int {
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	return 0
}

func TestTemplate(t *testing.T) {
	cfg, err := Parse(FileName, "/repo", []byte(Template()))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&Config{Path: FileName, Dir: "/repo"}, cfg); diff != "" {
		t.Errorf("the template sets something (-want +got):\n%s", diff)
	}
	for _, k := range Keys() {
		if !strings.Contains(Template(), "\n# "+k+":") {
			t.Errorf("the template does not show %s", k)
		}
	}
	full, err := Parse(FileName, "/repo", []byte(uncomment(Template())))
	if err != nil {
		t.Fatalf("the template's settings do not load: %v", err)
	}
	want := &Config{
		Path: FileName, Dir: "/repo",
		Threshold:     engine.Low,
		MinSeverity:   engine.Low,
		Enable:        []string{"AZFUNC-065", "AZFUNC-067"},
		Disable:       []string{"AZFUNC-081"},
		Severity:      []SeverityOverride{{Check: "AZFUNC-052", Severity: engine.Medium, Line: lineOf(Template(), "#   AZFUNC-052:")}},
		ChecksDirs:    []string{filepath.FromSlash("/repo/policies")},
		SkipPaths:     []string{"examples", "**/testdata/**"},
		VarFiles:      []string{filepath.FromSlash("/repo/envs/dev/terraform.tfvars")},
		ARMParameters: []string{filepath.FromSlash("/repo/azuredeploy.json") + "=" + filepath.FromSlash("/repo/azuredeploy.parameters.json")},
	}
	if len(full.Ignores) != 1 {
		t.Fatalf("ignores = %+v", full.Ignores)
	}
	ig := full.Ignores[0]
	full.Ignores = nil
	if diff := cmp.Diff(want, full); diff != "" {
		t.Errorf("template settings (-want +got):\n%s", diff)
	}
	if ig.Resource != "module.legacy.*" || ig.Path != "modules/legacy/**" || ig.Root != "envs/*" || !ig.External ||
		ig.Base != "/repo" || ig.Expires != time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC) || ig.At.Start.Line != lineOf(Template(), "#   - id:") ||
		ig.At.Filename != FileName || !strings.HasPrefix(ig.Reason, "the legacy app") || strings.Join(ig.Checks, ",") != "AZFUNC-040" {
		t.Errorf("ignore = %+v", ig)
	}
}

func TestErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{
		{"unknown key with suggestion", "enable: [AZFUNC-065]\nseverity-treshold: high\n",
			`.azfuncscan.yaml:2: unknown key "severity-treshold" (did you mean "severity-threshold"?)`},
		{"unknown key listed", "colour: red\n",
			`.azfuncscan.yaml:1: unknown key "colour" (known: severity-threshold, min-severity, enable, disable, severity, checks-dirs, skip-paths, var-files, arm-parameters, ignore)`},
		{"unknown ignore key", "ignore:\n  - id: AZFUNC-040\n    reson: typo\n",
			`.azfuncscan.yaml:3: unknown key "reson" in an ignore entry (did you mean "reason"?)`},
		{"bad severity", "severity:\n  AZFUNC-040: severe\n", `.azfuncscan.yaml:2: severity of AZFUNC-040: unknown severity "severe"`},
		{"bad threshold", "severity-threshold: [high]\n", `.azfuncscan.yaml:1: severity-threshold must be a string`},
		{"bad id", "disable: [AZFUNC-40]\n", `.azfuncscan.yaml:1: disable: "AZFUNC-40" is not a check id (want e.g. AZFUNC-040)`},
		{"ignore without id", "ignore:\n  - reason: why\n", `.azfuncscan.yaml:2: an ignore entry needs an id`},
		{"bad date", "ignore:\n  - id: AZFUNC-040\n    expires: 31.12.2026\n", `.azfuncscan.yaml:3: expires: "31.12.2026" is not a date (want YYYY-MM-DD)`},
		{"absolute glob", "skip-paths: [/tmp]\n", `.azfuncscan.yaml:1: skip-paths: a pattern is relative to the configuration file's directory`},
		{"not a mapping", "- a\n- b\n", `.azfuncscan.yaml:1: the configuration must be a mapping of keys`},
		{"duplicate key", "enable: [AZFUNC-065]\nenable: [AZFUNC-067]\n", `.azfuncscan.yaml:2: `},
		{"bad yaml", "enable: [AZFUNC-065\n", `.azfuncscan.yaml:`},
		{"bad parameter", "arm-parameters: [a.json=]\n", `.azfuncscan.yaml:1: arm-parameters: "a.json=": want FILE or TEMPLATE=FILE`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(FileName, "/repo", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v\nwant it to contain %s", err, tt.want)
			}
		})
	}
	// Several problems are reported together.
	_, err := Parse(FileName, "/repo", []byte("a: 1\nb: 2\n"))
	if err == nil || strings.Count(err.Error(), "unknown key") != 2 {
		t.Errorf("error = %v, want both unknown keys", err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) string {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(p, 0o750); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write := func(p string) string {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.WriteFile(p, []byte("enable: []\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	mk("outer/repo/.git")
	mk("outer/repo/infra/envs/dev")
	write("outer/" + FileName) // above the repository root: never used
	got, err := Find(filepath.Join(root, filepath.FromSlash("outer/repo/infra/envs/dev")))
	if err != nil || got != "" {
		t.Errorf("Find without a config in the repository = %q, %v; want none (the one above .git is not used)", got, err)
	}
	top := write("outer/repo/" + FileName)
	infra := write("outer/repo/infra/" + FileName)
	for _, tt := range []struct{ start, want string }{
		{"outer/repo/infra/envs/dev", infra},
		{"outer/repo/infra", infra},
		{"outer/repo/infra/" + FileName, infra}, // a file: its directory
		{"outer/repo", top},
	} {
		got, err := Find(filepath.Join(root, filepath.FromSlash(tt.start)))
		if err != nil || got != tt.want {
			t.Errorf("Find(%s) = %q, %v; want %q", tt.start, got, err, tt.want)
		}
	}
}

func TestSkip(t *testing.T) {
	cfg, err := Parse(FileName, "/repo", []byte("skip-paths: [examples, \"**/fixtures/**\", \"*.json\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	skip := cfg.Skip("/repo/infra")
	for p, want := range map[string]bool{
		"/repo/examples":               true,
		"../examples/main.tf":          true, // relative to the work dir /repo/infra
		"envs/fixtures/a/main.tf":      true,
		"envs/dev/main.tf":             false,
		"/repo/azuredeploy.json":       true,
		"/repo/infra/azuredeploy.json": false, // * stays within a directory
		"/elsewhere/examples":          false,
	} {
		if got := skip(filepath.FromSlash(p)); got != want {
			t.Errorf("skip(%s) = %v, want %v", p, got, want)
		}
	}
	if (&Config{}).Skip("/") != nil {
		t.Error("Skip without skip-paths should be nil")
	}
}

func TestApplySeverity(t *testing.T) {
	cfg, err := Parse(FileName, "/repo", []byte("severity:\n  azfunc-052: high\n  AZFUNC-999: low\n"))
	if err != nil {
		t.Fatal(err)
	}
	checks := []*engine.Check{{ID: "AZFUNC-052", Severity: engine.Low, SecuritySeverity: 3.1}, {ID: "AZFUNC-040", Severity: engine.High}}
	err = cfg.ApplySeverity(checks)
	if err == nil || err.Error() != ".azfuncscan.yaml:3: severity: no loaded check is AZFUNC-999" {
		t.Errorf("error = %v", err)
	}
	if checks[0].Severity != engine.High || checks[0].SecuritySeverity != 0 {
		t.Errorf("AZFUNC-052 = %s %.1f, want high and the band's default score", checks[0].Severity, checks[0].SecuritySeverity)
	}
}
