package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

// The pre-commit hook and the GitHub Action live at the repository root;
// .ci/precommit-test.sh runs the hook with the real pre-commit and
// .ci/actionlint.sh lints the documented workflow. These tests check their
// definitions and run the action's scripts.

// repoFile reads a file relative to the repository root.
func repoFile(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type preCommitHook struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Description   string   `yaml:"description"`
	Entry         string   `yaml:"entry"`
	Language      string   `yaml:"language"`
	TypesOr       []string `yaml:"types_or"`
	Types         []string `yaml:"types"`
	Files         string   `yaml:"files"`
	PassFilenames *bool    `yaml:"pass_filenames"`
	RequireSerial bool     `yaml:"require_serial"`
	MinVersion    string   `yaml:"minimum_pre_commit_version"`
}

// TestPreCommitHooks: the hook pre-commit builds from this repository runs
// a changed-files scan on the Terraform and JSON files a commit changes,
// in one process, and the README shows how to use it.
func TestPreCommitHooks(t *testing.T) {
	var hooks []preCommitHook
	if err := yaml.UnmarshalWithOptions(repoFile(t, ".pre-commit-hooks.yaml"), &hooks, yaml.Strict()); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 {
		t.Fatalf("want one hook, got %d", len(hooks))
	}
	h := hooks[0]
	if h.ID != "azfuncscan" || h.Name == "" || h.Description == "" || h.Language != "golang" || h.MinVersion == "" {
		t.Errorf("hook %+v: want id azfuncscan, a name and description, language golang, the pre-commit version that knows types_or", h)
	}
	if f := strings.Fields(h.Entry); len(f) < 2 || f[0] != "azfuncscan" || f[1] != "scan" {
		t.Errorf("entry %q does not run azfuncscan scan", h.Entry)
	}
	if h.PassFilenames == nil || !*h.PassFilenames || !h.RequireSerial {
		t.Errorf("pass_filenames %v, require_serial %v: want the changed files named, in one process", h.PassFilenames, h.RequireSerial)
	}
	// The files the hook is given: every extension scan reads (Terraform,
	// OpenTofu, JSON, Bicep sources), selected by name so that pre-commit's
	// file-type library need not know .tofu or .bicep; nothing else.
	files, err := regexp.Compile(h.Files)
	if h.Files == "" || err != nil {
		t.Fatalf("files %q: want a regular expression selecting the scanned extensions (%v)", h.Files, err)
	}
	for _, name := range []string{"main.tf", "envs/dev/terraform.tfvars", "main.tofu", "x.tf.json", "x.tofu.json",
		"azuredeploy.json", "azuredeploy.parameters.json", "main.jsonc", "main.bicep", "main.bicepparam", "Pulumi.dev.stack.json"} {
		if !files.MatchString(name) {
			t.Errorf("files %q does not select %s", h.Files, name)
		}
	}
	for _, name := range []string{"README.md", "main.go", "main.tf.bak", "tfvars.txt"} {
		if files.MatchString(name) {
			t.Errorf("files %q selects %s", h.Files, name)
		}
	}
	if len(h.Types) != 1 || h.Types[0] != "text" {
		t.Errorf("types %v: want [text] (binary files are not passed)", h.Types)
	}
	if len(h.TypesOr) > 0 {
		t.Errorf("types_or %v would leave out .tofu or .bicep with older file-type libraries", h.TypesOr)
	}
	// The entry's arguments are flags scan knows.
	_, help, _ := cli(t, "scan", "--help")
	for _, arg := range strings.Fields(h.Entry)[2:] {
		if name, _, _ := strings.Cut(arg, "="); strings.HasPrefix(name, "-") && !strings.Contains(help, name) {
			t.Errorf("entry argument %s is not a scan flag", arg)
		}
	}
	readme := string(repoFile(t, "README.md"))
	cfg := fenced(t, readmeSection(t, "pre-commit"), "yaml")
	var config struct {
		Repos []struct {
			Repo  string `yaml:"repo"`
			Rev   string `yaml:"rev"`
			Hooks []struct {
				ID string `yaml:"id"`
			} `yaml:"hooks"`
		} `yaml:"repos"`
	}
	if err := yaml.Unmarshal([]byte(cfg), &config); err != nil {
		t.Fatalf("README's .pre-commit-config.yaml: %v\n%s", err, cfg)
	}
	if len(config.Repos) != 1 || config.Repos[0].Repo != informationURI || config.Repos[0].Rev == "" ||
		len(config.Repos[0].Hooks) != 1 || config.Repos[0].Hooks[0].ID != h.ID {
		t.Errorf("README's pre-commit configuration does not use hook %s of %s at a rev:\n%s", h.ID, informationURI, cfg)
	}
	if !strings.Contains(readme, ".ci/precommit-test.sh") {
		t.Error("README does not say how the hook is tested")
	}
}

type actionStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	Run              string            `yaml:"run"`
}

type actionInput struct {
	Description string `yaml:"description"`
	Required    bool   `yaml:"required"`
	Default     string `yaml:"default"`
}

type actionFile struct {
	Name        string                 `yaml:"name"`
	Description string                 `yaml:"description"`
	Inputs      map[string]actionInput `yaml:"inputs"`
	Outputs     map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) (*actionFile, string) {
	t.Helper()
	raw := repoFile(t, "action.yml")
	var a actionFile
	if err := yaml.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	return &a, string(raw)
}

// step returns the step whose uses starts with prefix or whose id is id.
func (a *actionFile) step(t *testing.T, id, usesPrefix string) *actionStep {
	t.Helper()
	for i := range a.Runs.Steps {
		s := &a.Runs.Steps[i]
		if (id != "" && s.ID == id) || (usesPrefix != "" && strings.HasPrefix(s.Uses, usesPrefix)) {
			return s
		}
	}
	t.Fatalf("action.yml has no step %q%q", id, usesPrefix)
	return nil
}

var pinnedMajor = regexp.MustCompile(`@v\d+$`)

// TestActionDefinition: action.yml is a composite action with the inputs
// the README documents (paths, category, severity-threshold, config,
// version), each used; it sets up Go from the action's go.mod, builds
// azfuncscan, scans to SARIF and uploads that file with the category.
func TestActionDefinition(t *testing.T) {
	a, raw := readAction(t)
	if a.Runs.Using != "composite" || a.Name == "" || a.Description == "" {
		t.Errorf("runs.using %q, name %q: want a described composite action", a.Runs.Using, a.Name)
	}
	for _, name := range []string{"paths", "category", "severity-threshold", "config", "version"} {
		in, ok := a.Inputs[name]
		if !ok || in.Description == "" || in.Required {
			t.Errorf("input %s: declared %v, %+v; want an optional, described input", name, ok, in)
		}
	}
	// Every input is used and every input used is declared.
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{\{\s*inputs\.([A-Za-z0-9_-]+)`).FindAllStringSubmatch(raw, -1) {
		used[m[1]] = true
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("inputs.%s is used but not declared", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`if: inputs\.([A-Za-z0-9_-]+)`).FindAllStringSubmatch(raw, -1) {
		used[m[1]] = true
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %s is declared but never used", name)
		}
	}
	// Inputs reach scripts through env, never pasted into the script.
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q expands an expression inside its script; pass it through env", s.Name)
		}
		if s.Run != "" && s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
		}
		if s.Uses != "" && !pinnedMajor.MatchString(s.Uses) {
			t.Errorf("step %q uses %s: want a major version tag", s.Name, s.Uses)
		}
	}

	setup := a.step(t, "", "actions/setup-go@")
	if setup.With["go-version-file"] != "${{ github.action_path }}/go.mod" {
		t.Errorf("setup-go go-version-file %q, want the action's go.mod", setup.With["go-version-file"])
	}
	build := a.step(t, "build", "")
	if build.WorkingDirectory != "${{ github.action_path }}" || !strings.Contains(build.Run, "./cmd/azfuncscan") ||
		!strings.Contains(build.Run, "github.com/azfuncscan/azfuncscan/cmd/azfuncscan@") {
		t.Errorf("build step does not build ./cmd/azfuncscan from the action's source (or the version asked for):\n%s", build.Run)
	}
	scanStep := a.step(t, "scan", "")
	if !strings.Contains(scanStep.Run, `--format "sarif=$sarif" --format text`) || strings.Count(scanStep.Run, `"$AZFUNCSCAN" scan`) != 1 || scanStep.Env["AZFUNCSCAN"] != "${{ steps.build.outputs.azfuncscan }}" {
		t.Errorf("scan step does not run the built azfuncscan once, with SARIF to a file and text for the log:\n%s", scanStep.Run)
	}
	upload := a.step(t, "", "github/codeql-action/upload-sarif@")
	if upload.With["sarif_file"] != "${{ steps.scan.outputs.sarif-file }}" || upload.With["category"] != "${{ inputs.category }}" {
		t.Errorf("upload step with %v: want the scan's SARIF file and the category input", upload.With)
	}
	if !strings.Contains(upload.If, "steps.scan.outputs.sarif-file") || !strings.Contains(upload.If, "inputs.upload") {
		t.Errorf("upload step if %q: want it to depend on the upload input and a SARIF file", upload.If)
	}
	// The upload comes after the scan, and the step that fails the job
	// after the upload: findings are uploaded even when they fail it.
	order := map[string]int{}
	for i, s := range a.Runs.Steps {
		order[s.ID+"|"+s.Uses] = i
	}
	if order["scan|"] > order["|"+upload.Uses] || order["|"+upload.Uses] > len(a.Runs.Steps)-2 {
		t.Errorf("steps out of order: want setup, build, scan, upload, then the result")
	}
}

// runStep runs a bash step of action.yml with env (and GITHUB_OUTPUT,
// RUNNER_TEMP) and returns its exit status, output and the outputs it set.
func runStep(t *testing.T, s *actionStep, dir string, env map[string]string) (code int, out string, outputs map[string]string) {
	t.Helper()
	tmp := t.TempDir()
	ghOut := filepath.Join(tmp, "github_output")
	// As GitHub runs a step with shell: bash.
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+ghOut, "RUNNER_TEMP="+tmp)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if code < 0 {
		t.Fatalf("step %q: %v", s.Name, err)
	}
	outputs = map[string]string{}
	data, _ := os.ReadFile(ghOut) // no outputs: no file
	for line := range strings.SplitSeq(string(data), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			outputs[k] = v
		}
	}
	return code, buf.String(), outputs
}

// TestActionScripts runs the action's own build, scan and result scripts
// as a runner would: the build step builds azfuncscan from this checkout;
// the scan step writes valid SARIF and reports the exit status as an
// output for the paths, threshold and config inputs, also when the scan
// fails; the result step fails the job on findings unless told not to,
// and always on errors.
func TestActionScripts(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed to run the action's scripts")
	}
	a, _ := readAction(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}

	code, out, built := runStep(t, a.step(t, "build", ""), root, map[string]string{"VERSION": ""})
	bin := built["azfuncscan"]
	if code != 0 || bin == "" || !strings.Contains(out, "azfuncscan ") {
		t.Fatalf("build step: exit %d, outputs %v:\n%s", code, built, out)
	}

	repo := changedRepo(t)
	scanStep := a.step(t, "scan", "")
	for _, tc := range []struct {
		name      string
		env       map[string]string
		wantCode  string
		wantSARIF bool
	}{
		{"findings", map[string]string{"SCAN_PATHS": "envs/dev\n  envs/prod "}, "1", true},
		{"threshold above them", map[string]string{"SCAN_PATHS": "envs", "THRESHOLD": "critical"}, "0", true},
		{"default path", map[string]string{}, "1", true},
		{"configuration file", map[string]string{"CONFIG": "azfuncscan.yaml"}, "0", true},
		{"missing configuration", map[string]string{"CONFIG": "missing.yaml"}, "2", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(repo, "azfuncscan.yaml"), []byte("severity-threshold: critical\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"AZFUNCSCAN": bin, "SCAN_PATHS": ".", "THRESHOLD": "", "CONFIG": ""}
			for k, v := range tc.env {
				env[k] = v
			}
			code, out, outputs := runStep(t, scanStep, repo, env)
			if code != 0 || outputs["exit-code"] != tc.wantCode {
				t.Fatalf("scan step: exit %d (want 0), exit-code output %q (want %s):\n%s", code, outputs["exit-code"], tc.wantCode, out)
			}
			sarif := outputs["sarif-file"]
			if (sarif != "") != tc.wantSARIF {
				t.Fatalf("sarif-file output %q, want one: %v\n%s", sarif, tc.wantSARIF, out)
			}
			if sarif == "" {
				return
			}
			data, err := os.ReadFile(sarif)
			if err != nil || !bytes.Contains(data, []byte(`"version": "2.1.0"`)) {
				t.Fatalf("SARIF %s: %v\n%s", sarif, err, data)
			}
			if tc.wantCode == "1" && (!bytes.Contains(data, []byte("AZFUNC-040")) || !strings.Contains(out, "AZFUNC-040")) {
				t.Errorf("findings missing from the SARIF or the log:\n%s", out)
			}
			if err := sariftest.Validate(data); err != nil {
				t.Error(err)
			}
		})
	}

	result := a.step(t, "result", "")
	for _, tc := range []struct {
		code, fail string
		want       int
	}{{"0", "true", 0}, {"1", "true", 1}, {"1", "false", 0}, {"2", "false", 1}, {"", "true", 1}} {
		if got, out, _ := runStep(t, result, repo, map[string]string{"CODE": tc.code, "FAIL_ON_FINDINGS": tc.fail}); got != tc.want {
			t.Errorf("result step, scan exit %q, fail-on-findings %s: exit %d, want %d\n%s", tc.code, tc.fail, got, tc.want, out)
		}
	}
}

// TestActionExampleWorkflow: the documented workflow grants
// security-events: write, uses the action with inputs it declares, and is
// the one the README shows.
func TestActionExampleWorkflow(t *testing.T) {
	a, _ := readAction(t)
	raw := repoFile(t, "docs/examples/azfuncscan.yml")
	var wf struct {
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Steps []actionStep `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(raw, &wf); err != nil {
		t.Fatal(err)
	}
	if wf.Permissions["security-events"] != "write" {
		t.Errorf("permissions %v: want security-events: write", wf.Permissions)
	}
	found := false
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if !strings.HasPrefix(s.Uses, "azfuncscan/azfuncscan@") {
				continue
			}
			found = true
			for k := range s.With {
				if _, ok := a.Inputs[k]; !ok {
					t.Errorf("the example passes input %s, which action.yml does not declare", k)
				}
			}
		}
	}
	if !found {
		t.Error("the example workflow does not use azfuncscan/azfuncscan")
	}
	shown := fenced(t, readmeSection(t, "GitHub Action"), "yaml")
	if strings.TrimSpace(shown) != strings.TrimSpace(string(raw)) {
		t.Errorf("README's workflow differs from docs/examples/azfuncscan.yml:\n%s", shown)
	}
}
