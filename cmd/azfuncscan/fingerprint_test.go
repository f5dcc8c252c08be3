package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// scanAll runs every check (opt-in ones too) on paths and returns every
// finding, failing and undetermined, with identities relative to repo.
func scanAll(t *testing.T, repo, work string, paths ...string) []engine.Finding {
	t.Helper()
	all, err := loadChecks("")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range all {
		ids = append(ids, c.ID)
	}
	eng, err := engine.New(all, engine.Options{Enable: ids, RepoRoot: repo, WorkDir: work})
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := parsers.Load(context.Background(), paths, parsers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []engine.Finding
	for _, m := range loaded.Modules {
		out = append(out, eng.Run(context.Background(), m).Findings...)
	}
	return out
}

// duplicateFingerprints returns, for each fingerprint more than one
// finding carries, those findings described.
func duplicateFingerprints(fs []engine.Finding) (distinct int, dups []string) {
	by := map[string][]string{}
	for i := range fs {
		f := &fs[i]
		by[f.Fingerprint] = append(by[f.Fingerprint], fmt.Sprintf("%s %s %s:%d %s %s %s",
			f.CheckID, f.Status, f.Range.Filename, f.Range.Start.Line, f.Root, f.Resource, f.Path))
	}
	for fp, list := range by {
		if len(list) > 1 {
			dups = append(dups, fp+":\n    "+strings.Join(list, "\n    "))
		}
	}
	slices.Sort(dups)
	return len(by), dups
}

// TestFingerprintsDistinctOverFixtures scans every fixture at once: no two
// findings share a fingerprint, across formats, roots and files that use
// the same resource addresses.
func TestFingerprintsDistinctOverFixtures(t *testing.T) {
	repo := repoRoot(t)
	fs := scanAll(t, repo, repo, filepath.Join(repo, "testdata"))
	distinct, dups := duplicateFingerprints(fs)
	t.Logf("fixtures: %d findings, %d distinct fingerprints", len(fs), distinct)
	if len(fs) < 200 {
		t.Fatalf("only %d findings over every fixture; the fixtures were not scanned", len(fs))
	}
	if distinct != len(fs) {
		t.Errorf("%d findings share %d fingerprints:\n%s", len(fs), distinct, strings.Join(dups, "\n"))
	}
}

// sharedDir returns ../shared/<name> beside the repository; the test is
// skipped when it is absent, and fails instead when CI is set.
func sharedDir(t *testing.T, name string) string {
	t.Helper()
	return sharedtest.Dir(t, name)
}

// TestFingerprintsDistinctOverCorpus does the same over the real-world
// infrastructure code of ../shared/corpus.
func TestFingerprintsDistinctOverCorpus(t *testing.T) {
	skipWholeCorpusInShort(t)
	corpus := sharedDir(t, "corpus")
	fs := scanAll(t, filepath.Dir(corpus), repoRoot(t), corpus)
	distinct, dups := duplicateFingerprints(fs)
	t.Logf("corpus: %d findings, %d distinct fingerprints", len(fs), distinct)
	if len(fs) < 100 {
		t.Fatalf("only %d findings in the corpus", len(fs))
	}
	if distinct != len(fs) {
		t.Errorf("%d findings share %d fingerprints:\n%s", len(fs), distinct, strings.Join(dups, "\n"))
	}
}

// copyTree copies the regular files below src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o750)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// insertLines adds lines at the top of every file below dir: a comment
// and a blank line in HCL and Bicep files, blank lines in JSON, so every
// line of every file moves down by two.
func insertLines(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		prefix := "\n\n"
		switch ext := filepath.Ext(path); ext {
		case ".tf", ".tfvars", ".tofu":
			prefix = "# a line moved\n\n"
		case ".bicep":
			prefix = "// a line moved\n\n"
		}
		return os.WriteFile(path, append([]byte(prefix), data...), 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFingerprintsSurviveLineMoves copies every fixture, scans it, inserts
// lines at the top of every file — every file of every value trail, the
// tfvars, parameter files, modules and templates — and scans again: every
// finding moved, and every fingerprint stayed.
func TestFingerprintsSurviveLineMoves(t *testing.T) {
	skipWholeCorpusInShort(t)
	repo := t.TempDir()
	copyTree(t, filepath.Join(repoRoot(t), "testdata"), filepath.Join(repo, "testdata"))
	scan := func() map[string]engine.Finding {
		out := map[string]engine.Finding{}
		for _, f := range scanAll(t, repo, repo, filepath.Join(repo, "testdata")) {
			out[f.Fingerprint] = f
		}
		return out
	}
	before := scan()
	insertLines(t, repo)
	after := scan()

	trails, moved := 0, 0
	for fp, b := range before {
		a, ok := after[fp]
		if !ok {
			t.Errorf("fingerprint of %s %s %s %s changed when lines moved", b.CheckID, b.Root, b.Resource, b.Path)
			continue
		}
		if a.Range.Start.Line != b.Range.Start.Line+2 {
			t.Errorf("%s %s %s: line %d → %d, want it moved by 2", b.CheckID, b.Resource, b.Path, b.Range.Start.Line, a.Range.Start.Line)
		}
		if len(b.Trail) > 1 && len(a.Trail) == len(b.Trail) {
			trails++
			if a.Trail[0].Range.Start.Line == b.Trail[0].Range.Start.Line+2 {
				moved++
			}
		}
	}
	for fp, a := range after {
		if _, ok := before[fp]; !ok {
			t.Errorf("new fingerprint for %s %s %s %s after lines moved", a.CheckID, a.Root, a.Resource, a.Path)
		}
	}
	t.Logf("%d findings, %d with a trail of several hops, %d of those with a moved origin", len(before), trails, moved)
	if len(before) < 200 {
		t.Fatalf("only %d findings over the fixtures", len(before))
	}
	if trails == 0 || moved != trails {
		t.Errorf("%d findings with several hops, %d with a moved origin; want some, all moved", trails, moved)
	}
}

// twoRoots writes a repository where envs/dev and envs/prod call
// modules/app; dev turns HTTPS-only off through its terraform.tfvars, prod
// through a literal argument. It returns the repository root.
func twoRoots(t *testing.T) string {
	t.Helper()
	repo := t.TempDir()
	files := map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"modules/app/main.tf": `variable "name" {}
variable "https_only" {
  default = true
}

resource "azurerm_linux_function_app" "this" {
  name                = var.name
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan"
  https_only          = var.https_only
  site_config {}
}
`,
		"envs/dev/main.tf": `variable "https_only" {}

module "app" {
  source     = "../../modules/app"
  name       = "func-dev"
  https_only = var.https_only
}
`,
		"envs/dev/terraform.tfvars": "https_only = false\n",
		"envs/prod/main.tf": `module "app" {
  source     = "../../modules/app"
  name       = "func-prod"
  https_only = false
}
`,
	}
	for name, text := range files {
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// TestFingerprintsDistinctAcrossRoots: one module called from two roots
// gives one finding per root, at the same line of the module, with
// distinct fingerprints and the root each was evaluated from.
func TestFingerprintsDistinctAcrossRoots(t *testing.T) {
	repo := twoRoots(t)
	var https []engine.Finding
	for _, f := range scanAll(t, repo, repo, repo) {
		if f.CheckID == "AZFUNC-040" {
			https = append(https, f)
		}
	}
	if len(https) != 2 {
		t.Fatalf("AZFUNC-040 findings: %+v, want one per root", https)
	}
	slices.SortFunc(https, func(a, b engine.Finding) int { return strings.Compare(a.Root, b.Root) })
	dev, prod := https[0], https[1]
	if dev.Root != "envs/dev" || prod.Root != "envs/prod" {
		t.Errorf("roots %q, %q; want envs/dev, envs/prod", dev.Root, prod.Root)
	}
	if dev.Range != prod.Range || dev.Resource != prod.Resource {
		t.Errorf("the two findings should point at the same module line and address: %v %s, %v %s", dev.Range, dev.Resource, prod.Range, prod.Resource)
	}
	if dev.Fingerprint == prod.Fingerprint {
		t.Errorf("dev and prod share fingerprint %s", dev.Fingerprint)
	}
}

// jsonFingerprints runs a JSON scan with the CLI from dir and returns the
// findings' root, file and fingerprint.
func jsonFingerprints(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	t.Chdir(dir)
	code, stdout, stderr := cli(t, append([]string{"scan", "--format", "json"}, args...)...)
	if code != exitFindings {
		t.Fatalf("from %s, scan %v: exit %d: %s", dir, args, code, stderr)
	}
	var rep struct {
		Findings []struct {
			CheckID     string `json:"check_id"`
			Root        string `json:"root"`
			File        string `json:"file"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.CheckID+" "+f.Root+" "+f.File+" "+f.Fingerprint)
	}
	slices.Sort(out)
	return out
}

// TestFingerprintsIndependentOfWorkDir: the same repository scanned from
// its root, from a subdirectory, with an absolute path from outside it,
// gives the same roots, files and fingerprints.
func TestFingerprintsIndependentOfWorkDir(t *testing.T) {
	repo := twoRoots(t)
	outside := t.TempDir()
	fromRoot := jsonFingerprints(t, repo, ".")
	if len(fromRoot) < 2 {
		t.Fatalf("findings: %v", fromRoot)
	}
	for _, tc := range []struct {
		dir  string
		args []string
	}{
		{repo, []string{repo}},
		{filepath.Join(repo, "envs", "dev"), []string{"../.."}},
		{filepath.Join(repo, "modules"), []string{"../envs/dev", "../envs/prod"}},
		{outside, []string{repo}},
		{outside, []string{filepath.Join(repo, "envs")}},
	} {
		got := jsonFingerprints(t, tc.dir, tc.args...)
		if !slices.Equal(got, fromRoot) {
			t.Errorf("from %s, scan %v:\n%s\nwant (from the root, scan .):\n%s", tc.dir, tc.args,
				strings.Join(got, "\n"), strings.Join(fromRoot, "\n"))
		}
	}
}

// TestTwoRootsOutputs: the reports name the root of each finding of a
// module evaluated from two roots — text as root//address, SARIF in the
// logical location — and the SARIF of the scan validates.
func TestTwoRootsOutputs(t *testing.T) {
	repo := twoRoots(t)
	t.Chdir(repo)
	code, text, stderr := cli(t, "scan", "--no-snippets", ".")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"modules/app/main.tf:11:25: high AZFUNC-040 Function app func-dev does not enforce HTTPS-only [envs/dev//module.app.azurerm_linux_function_app.this]",
		"modules/app/main.tf:11:25: high AZFUNC-040 Function app func-prod does not enforce HTTPS-only [envs/prod//module.app.azurerm_linux_function_app.this]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
	code, out, stderr := cli(t, "scan", "--format", "sarif", "--show-undetermined", ".")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range doc.Runs[0].Results {
		if r.RuleID == "AZFUNC-040" {
			names = append(names, r.Locations[0].LogicalLocations[0].FullyQualifiedName)
		}
	}
	slices.Sort(names)
	if want := []string{"envs/dev//module.app.azurerm_linux_function_app.this", "envs/prod//module.app.azurerm_linux_function_app.this"}; !slices.Equal(names, want) {
		t.Errorf("AZFUNC-040 logical locations %v, want %v", names, want)
	}
	if err := sariftest.Validate([]byte(out)); err != nil {
		t.Error(err)
	}
}
