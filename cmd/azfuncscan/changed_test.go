package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// changedRepo copies testdata/changed (envs/dev and envs/prod calling
// modules/app, each with a terraform.tfvars) into a temporary repository
// and returns its root.
func changedRepo(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	copyTree(t, "testdata/changed", repo)
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o750); err != nil {
		t.Fatal(err)
	}
	return repo
}

// changedFinding is what the changed-files tests compare of a finding.
type changedFinding struct {
	CheckID string `json:"check_id"`
	Root    string `json:"root"`
	File    string `json:"file"`
	Trail   []struct {
		File string `json:"file"`
	} `json:"trail"`
	Related []struct {
		File string `json:"file"`
	} `json:"related"`
}

func (f changedFinding) String() string { return f.CheckID + " " + f.Root + " " + f.File }

// files lists the files the finding names: its own, its trail's, its
// related locations'.
func (f changedFinding) files() []string {
	out := []string{f.File}
	for _, h := range f.Trail {
		out = append(out, h.File)
	}
	for _, r := range f.Related {
		out = append(out, r.File)
	}
	return out
}

// scanChanged runs a JSON scan from dir and returns its findings and
// diagnostics' summaries.
func scanChanged(t *testing.T, dir string, args ...string) []changedFinding {
	t.Helper()
	t.Chdir(dir)
	code, stdout, stderr := cli(t, append([]string{"scan", "--format", "json"}, args...)...)
	if code != exitFindings && code != exitOK {
		t.Fatalf("from %s, scan %v: exit %d: %s", dir, args, code, stderr)
	}
	var rep struct {
		Findings []changedFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Findings
}

// subset returns the findings of all that name one of files, as strings.
func subset(all []changedFinding, files ...string) []string {
	var out []string
	for _, f := range all {
		if slices.ContainsFunc(f.files(), func(name string) bool { return slices.Contains(files, name) }) {
			out = append(out, f.String())
		}
	}
	slices.Sort(out)
	return out
}

func strs(fs []changedFinding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.String()
	}
	slices.Sort(out)
	return out
}

// TestChangedFiles: naming files scans what reads them and reports the
// findings they are part of — a changed terraform.tfvars the dev findings
// whose values it sets and nothing else; the shared module's file the
// findings in it from both roots; a root's main.tf that root's findings
// (its variables and module call lead to them) — whatever the working
// directory.
func TestChangedFiles(t *testing.T) {
	repo := changedRepo(t)
	all := scanChanged(t, repo, ".")
	if len(all) < 5 {
		t.Fatalf("the full scan found %d findings: %v", len(all), strs(all))
	}
	for _, tc := range []struct {
		name  string
		dir   string
		args  []string
		named []string // repository-relative
		want  []string // when set, exactly these
	}{
		{
			name: "dev tfvars", dir: repo, args: []string{"envs/dev/terraform.tfvars"},
			named: []string{"envs/dev/terraform.tfvars"},
			want:  []string{"AZFUNC-040 envs/dev modules/app/main.tf", "AZFUNC-041 envs/dev modules/app/main.tf"},
		},
		{
			name: "dev tfvars from its directory", dir: filepath.Join(repo, "envs", "dev"), args: []string{"terraform.tfvars"},
			named: []string{"envs/dev/terraform.tfvars"},
			want:  []string{"AZFUNC-040 envs/dev modules/app/main.tf", "AZFUNC-041 envs/dev modules/app/main.tf"},
		},
		{
			name: "prod tfvars", dir: repo, args: []string{"envs/prod/terraform.tfvars"},
			named: []string{"envs/prod/terraform.tfvars"},
			want:  []string{"AZFUNC-040 envs/prod modules/app/main.tf"},
		},
		{
			name: "module file", dir: repo, args: []string{"modules/app/main.tf"},
			named: []string{"modules/app/main.tf"},
		},
		{
			name: "module file from outside the repository", dir: t.TempDir(), args: []string{filepath.Join(repo, "modules", "app", "main.tf")},
			named: []string{"modules/app/main.tf"},
		},
		{
			name: "prod root", dir: repo, args: []string{"envs/prod/main.tf"},
			named: []string{"envs/prod/main.tf"},
		},
		{
			name: "both tfvars", dir: repo, args: []string{"envs/dev/terraform.tfvars", "envs/prod/terraform.tfvars"},
			named: []string{"envs/dev/terraform.tfvars", "envs/prod/terraform.tfvars"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strs(scanChanged(t, tc.dir, tc.args...))
			want := subset(all, tc.named...)
			if tc.want != nil && !slices.Equal(want, tc.want) {
				t.Fatalf("the full scan's findings naming %v are\n%s\nwant\n%s", tc.named, strings.Join(want, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(want) == 0 {
				t.Fatalf("no finding of the full scan names %v", tc.named)
			}
			if !slices.Equal(got, want) {
				t.Errorf("scan %v from %s:\n%s\nwant the full scan's findings that name %v:\n%s",
					tc.args, tc.dir, strings.Join(got, "\n"), tc.named, strings.Join(want, "\n"))
			}
		})
	}
	// The module's file is evaluated from both roots that call it.
	roots := map[string]bool{}
	for _, f := range scanChanged(t, repo, "modules/app/main.tf") {
		roots[f.Root] = true
	}
	if !roots["envs/dev"] || !roots["envs/prod"] || len(roots) != 2 {
		t.Errorf("modules/app/main.tf: findings from roots %v, want envs/dev and envs/prod", roots)
	}
}

// TestChangedFilesDiagnostics: a changed-files scan reports diagnostics
// in the named files, and errors (which may hide findings) anywhere in
// the roots it evaluates, but not notes about other files nor anything
// about roots the change does not affect; it exits 0 when a named file is
// part of no finding.
func TestChangedFilesDiagnostics(t *testing.T) {
	repo := changedRepo(t)
	write := func(rel, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(repo, filepath.FromSlash(rel)), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("envs/dev/override.tf", "locals {\n  missing = 1\n}\n")               // a warning: it overrides nothing
	write("envs/dev/broken.tf", "resource \"azurerm_linux_function_app\" {\n")  // errors, in the root evaluated
	write("envs/prod/broken.tf", "resource \"azurerm_linux_function_app\" {\n") // errors, in a root not evaluated
	t.Chdir(repo)
	_, full, _ := cli(t, "scan", ".")
	for _, name := range []string{"envs/dev/override.tf", "envs/dev/broken.tf", "envs/prod/broken.tf"} {
		if !strings.Contains(full, name) {
			t.Fatalf("the full scan does not report %s:\n%s", name, full)
		}
	}
	code, out, stderr := cli(t, "scan", "envs/dev/terraform.tfvars")
	if code != exitFindings || !strings.Contains(out, "envs/dev/broken.tf") ||
		strings.Contains(out, "override.tf") || strings.Contains(out, "envs/prod/broken.tf") {
		t.Errorf("dev tfvars: exit %d (want 1), want the errors of envs/dev/broken.tf and nothing about override.tf or envs/prod:\n%s%s", code, out, stderr)
	}
	if _, out, _ := cli(t, "scan", "envs/dev/override.tf"); !strings.Contains(out, "overrides local.missing") {
		t.Errorf("a named file's note is not reported:\n%s", out)
	}
	// A named file no finding concerns.
	write("envs/prod/broken.tf", "output \"x\" {\n  value = 1\n}\n")
	if code, out, stderr := cli(t, "scan", "envs/prod/broken.tf"); code != exitOK || strings.Contains(out, "AZFUNC") {
		t.Errorf("envs/prod/broken.tf: exit %d, want 0 and no finding:\n%s%s", code, out, stderr)
	}
}

func TestChangedFilesHelp(t *testing.T) {
	_, stdout, _ := cli(t, "scan", "--help")
	for _, s := range []string{"When only files are named", "repository root", "value trail", "module call"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("scan --help does not state the changed-files rule (%q)", s)
		}
	}
}
