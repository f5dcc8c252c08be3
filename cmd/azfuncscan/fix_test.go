package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/textdiff"
	"github.com/azfuncscan/azfuncscan/parsers"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

// fixFixtures are the positive fixtures of each fixable check, per format.
var fixFixtures = []struct{ check, dir string }{
	{"AZFUNC-040", "../../testdata/terraform/040-https-only"},
	{"AZFUNC-041", "../../testdata/terraform/041-min-tls"},
	{"AZFUNC-080", "../../testdata/terraform/080-remote-debugging"},
	{"AZFUNC-042", "../../testdata/terraform/042-scm-min-tls"},
	{"AZFUNC-043", "../../testdata/terraform/043-plain-ftp"},
	{"AZFUNC-024", "../../testdata/terraform/024-ftp-basic-auth"},
	{"AZFUNC-025", "../../testdata/terraform/025-scm-basic-auth"},
	{"AZFUNC-063", "../../testdata/terraform/063-host-storage-http"},
	{"AZFUNC-064", "../../testdata/terraform/060-067-host-storage"},
	{"AZFUNC-062", "../../testdata/terraform/060-067-host-storage"},
	{"AZFUNC-008", "../../testdata/terraform/007-008-private-endpoints"},
	{"AZFUNC-022", "../../testdata/terraform/020-022-easy-auth"},
	{"AZFUNC-028", "../../testdata/terraform/028-client-certificates"},
	{"AZFUNC-040", "../../testdata/arm/040-https-only"},
	{"AZFUNC-041", "../../testdata/arm/041-min-tls"},
	{"AZFUNC-080", "../../testdata/arm/080-remote-debugging"},
	{"AZFUNC-042", "../../testdata/arm/042-scm-min-tls"},
	{"AZFUNC-043", "../../testdata/arm/043-plain-ftp"},
	{"AZFUNC-024", "../../testdata/arm/024-ftp-basic-auth"},
	{"AZFUNC-025", "../../testdata/arm/025-scm-basic-auth"},
	{"AZFUNC-063", "../../testdata/arm/063-host-storage-http"},
	{"AZFUNC-064", "../../testdata/arm/060-067-host-storage"},
	{"AZFUNC-062", "../../testdata/arm/060-067-host-storage"},
	{"AZFUNC-008", "../../testdata/arm/007-008-private-endpoints"},
	{"AZFUNC-022", "../../testdata/arm/020-022-easy-auth"},
	{"AZFUNC-044", "../../testdata/arm/044-end-to-end-tls"},
	{"AZFUNC-028", "../../testdata/arm/028-client-certificates"},
	{"AZFUNC-041", "../../testdata/arm/sites-config-child"},
	{"AZFUNC-040", "../../testdata/arm/parameter-file"},
	{"AZFUNC-040", "../../testdata/arm/jsonc-comments"},
	{"AZFUNC-024", "../../testdata/arm/basic-auth-policies"},
}

// TestFixFixtures applies `azfuncscan fix` to a copy of each fixable
// check's positive fixture: every finding that had a fix is gone on the
// rescan, the check's remaining failures are the ones that said why they
// have none, a second fix changes nothing, a formatted HCL file stays
// formatted, and a line no edit aimed at is unchanged byte for byte.
func TestFixFixtures(t *testing.T) {
	skipWholeCorpusInShort(t)
	for _, fx := range fixFixtures {
		t.Run(fx.check+"/"+filepath.Base(filepath.Dir(fx.dir))+"/"+filepath.Base(fx.dir), func(t *testing.T) {
			dir := copyFixture(t, fx.dir)
			before := scanFindings(t, dir)
			fixable, own, edited := 0, 0, map[string]bool{}
			for _, f := range before {
				if f.Status == engine.Fail && f.Fix != nil {
					// fix fixes every check's findings; a fix of
					// several settings makes one edit each
					for _, e := range f.Fix.Edits {
						edited[e.Range.Filename] = true
						fixable++
					}
					if f.CheckID == fx.check {
						own++
					}
				}
			}
			if own == 0 {
				t.Fatalf("no fixable %s finding in %s", fx.check, fx.dir)
			}
			files := readTree(t, dir)
			if code, _, stderr := cli(t, "fix", dir); code != 0 {
				t.Fatalf("fix: exit %d: %s", code, stderr)
			}
			after := readTree(t, dir)
			for _, f := range scanFindings(t, dir) {
				if f.CheckID == fx.check && f.Status == engine.Fail && f.NoFix == "" {
					t.Errorf("after fix: %s at %s still fails (%s)", f.CheckID, f.Range, f.Message)
				}
			}
			for name, src := range files {
				out := after[name]
				if !edited[name] && out != src {
					t.Errorf("%s changed although no fix edits it", name)
				}
				if isJSON(name) && !json.Valid(jsonc.ToJSON([]byte(out))) {
					t.Errorf("%s is not valid JSON after the fix", name)
				}
				if formatted(src) && !formatted(out) {
					t.Errorf("%s was formatted and is not after the fix", name)
				}
				changed := 0
				for _, o := range textdiff.Lines(textdiff.SplitLines(src), textdiff.SplitLines(out)) {
					if o.Kind == '-' {
						changed++
					}
				}
				// A formatted file is formatted again (a longer attribute
				// name realigns its block); otherwise other lines stay.
				if !formatted(src) && changed > fixable {
					t.Errorf("%s: %d lines changed for %d fixes", name, changed, fixable)
				}
			}
			if code, _, stderr := cli(t, "fix", dir); code != 0 {
				t.Fatalf("second fix: exit %d: %s", code, stderr)
			}
			for name, out := range readTree(t, dir) {
				if after[name] != out {
					t.Errorf("second fix changed %s", name)
				}
			}
		})
	}
}

// TestFixARMParameterFile: httpsOnly comes from the parameter file, the
// minimum TLS version from the parameter's defaultValue: the fix edits
// the parameter file's value and the default, never the resource's
// expressions; a nested deployment's parameter and a copy loop's
// computed value get no fix, and the files stay as they were.
func TestFixARMParameterFile(t *testing.T) {
	dir := copyFixture(t, "../../testdata/arm/parameter-file")
	tmpl, params := filepath.Join(dir, "azuredeploy.json"), filepath.Join(dir, "azuredeploy.parameters.json")
	before := readTree(t, dir)
	// AZFUNC-044 and AZFUNC-028 would add endToEndEncryptionEnabled and clientCertEnabled to the resource: not what this test is about
	if code, _, stderr := cli(t, "fix", "--disable", "AZFUNC-044,AZFUNC-028", dir); code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	after := readTree(t, dir)
	if want := strings.Replace(before[params], "\"httpsOnly\": {\n      \"value\": false", "\"httpsOnly\": {\n      \"value\": true", 1); after[params] != want || want == before[params] {
		t.Errorf("parameter file after the fix:\n%s", after[params])
	}
	if want := strings.Replace(before[tmpl], "\"defaultValue\": \"1.0\"", "\"defaultValue\": \"1.2\"", 1); after[tmpl] != want || want == before[tmpl] {
		t.Errorf("template after the fix:\n%s", after[tmpl])
	}
	for _, f := range scanFindings(t, dir) {
		if (f.CheckID == "AZFUNC-040" || f.CheckID == "AZFUNC-041") && f.Status == engine.Fail {
			t.Errorf("after fix: %s still fails at %s", f.CheckID, f.Range)
		}
	}

	for fixture, checks := range map[string][]string{
		"../../testdata/arm/parameter-file-trail":    {"AZFUNC-040", "AZFUNC-041"},
		"../../testdata/arm/nested-deployment-inner": {"AZFUNC-041"},
		"../../testdata/arm/copy-loop":               {"AZFUNC-040"},
	} {
		for _, f := range scanFindings(t, fixture) {
			if slices.Contains(checks, f.CheckID) && f.Status == engine.Fail && (f.Fix != nil || f.NoFix == "") {
				t.Errorf("%s: %s at %s: fix %+v, no fix %q", fixture, f.CheckID, f.Range, f.Fix, f.NoFix)
			}
		}
	}
}

// TestFixARMVariable: values read from variables (a member of an object
// variable, a plain one) are set where the variable writes them; a
// platform default is added in a one-line siteConfig on its line, in a
// tab-indented file; the template's expressions stay.
func TestFixARMVariable(t *testing.T) {
	src := "{\n\t\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n\t\"contentVersion\": \"1.0.0.0\",\n" +
		"\t\"variables\": {\"cfg\": {\"tls\": \"1.0\"}, \"debug\": true},\n" +
		"\t\"resources\": [\n\t\t{\n\t\t\t\"type\": \"Microsoft.Web/sites\",\n\t\t\t\"apiVersion\": \"2023-12-01\",\n\t\t\t\"name\": \"func-v\",\n\t\t\t\"location\": \"westeurope\",\n\t\t\t\"kind\": \"functionapp\",\n" +
		"\t\t\t\"properties\": {\n\t\t\t\t\"httpsOnly\": true,\n" +
		"\t\t\t\t\"siteConfig\": {\"minTlsVersion\": \"[variables('cfg').tls]\", \"remoteDebuggingEnabled\": \"[variables('debug')]\"}\n" +
		"\t\t\t}\n\t\t}\n\t]\n}\n"
	dir := t.TempDir()
	name := filepath.Join(dir, "azuredeploy.json")
	if err := os.WriteFile(name, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	// AZFUNC-044 and AZFUNC-028 would add endToEndEncryptionEnabled and clientCertEnabled to the resource: not what this test is about
	if code, _, stderr := cli(t, "fix", "--disable", "AZFUNC-044,AZFUNC-028", dir); code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(
		`{"tls": "1.0"}, "debug": true}`, `{"tls": "1.2"}, "debug": false}`,
		`"remoteDebuggingEnabled": "[variables('debug')]"}`, `"remoteDebuggingEnabled": "[variables('debug')]", "ftpsState": "FtpsOnly"}`,
	).Replace(src)
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, f := range scanFindings(t, dir) {
		if (f.CheckID == "AZFUNC-041" || f.CheckID == "AZFUNC-080" || f.CheckID == "AZFUNC-043") && f.Status == engine.Fail {
			t.Errorf("after fix: %s still fails at %s", f.CheckID, f.Range)
		}
	}
}

// TestFixEditsTfvarsNotModule: the envs/dev + modules/app case of
// TestSameModuleFromTwoRoots. The insecure values come from dev's
// terraform.tfvars through the module's arguments: the fix edits that
// file, never the module prod shares.
func TestFixEditsTfvarsNotModule(t *testing.T) {
	dir := copyFixture(t, filepath.Join("testdata", "roots"))
	files := readTree(t, dir)
	envs := filepath.Join(dir, "envs")
	code, diff, stderr := cli(t, "fix", "--dry-run", "--allow-outside", envs)
	if code != 0 {
		t.Fatalf("fix --dry-run: exit %d: %s", code, stderr)
	}
	tfvars := filepath.ToSlash(filepath.Join(envs, "dev", "terraform.tfvars"))
	for _, want := range []string{"--- a/" + tfvars, "-https_only      = false", "+https_only      = true", `+min_tls_version = "1.2"`} {
		if !strings.Contains(diff, want) {
			t.Errorf("dry-run diff lacks %q:\n%s", want, diff)
		}
	}
	if strings.Count(diff, "--- a/") != 1 {
		t.Errorf("dry-run diff touches more than the tfvars file:\n%s", diff)
	}
	for name, src := range readTree(t, dir) {
		if files[name] != src {
			t.Errorf("--dry-run wrote %s", name)
		}
	}
	if code, _, stderr := cli(t, "fix", "--allow-outside", envs); code != 0 {
		t.Fatalf("fix: exit %d: %s", code, stderr)
	}
	for name, src := range readTree(t, dir) {
		if (files[name] != src) != (filepath.ToSlash(name) == tfvars) {
			t.Errorf("%s: changed = %v", name, files[name] != src)
		}
	}
	for _, f := range scanFindingsOpts(t, envs, true) {
		if f.CheckID == "AZFUNC-040" || f.CheckID == "AZFUNC-041" {
			t.Errorf("after fix: %s at %s", f.CheckID, f.Range)
		}
	}
}

// TestApplyEditsErrors: a value that is not a literal is left alone, with
// an error naming the place.
func TestApplyEditsErrors(t *testing.T) {
	src := []byte("https_only = !var.x\n")
	dir := t.TempDir()
	name := filepath.Join(dir, "terraform.tfvars")
	e := []model.Edit{{Kind: model.EditReplace, Range: model.Range{Filename: name, Start: model.Pos{Line: 1, Column: 14, Byte: 13}}, Value: true}}
	out, errs := parsers.ApplyEdits(name, src, e)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "not a literal") || !bytes.Equal(out, src) {
		t.Errorf("got %q, %v", out, errs)
	}
	if _, errs := terraform.ApplyEdits("x.tf.json", src, e); len(errs) != 1 {
		t.Errorf("tf.json: %v", errs)
	}
}

func scanFindings(t *testing.T, dir string) []engine.Finding {
	return scanFindingsOpts(t, dir, false)
}

func scanFindingsOpts(t *testing.T, dir string, outside bool) []engine.Finding {
	t.Helper()
	all, err := loadChecks()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := parsers.Load(context.Background(), []string{dir}, parsers.Options{AllowOutside: outside})
	if err != nil {
		t.Fatal(err)
	}
	var out []engine.Finding
	for _, m := range loaded.Modules {
		out = append(out, eng.Run(context.Background(), m).Findings...)
	}
	return out
}

func copyFixture(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		files[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func isJSON(name string) bool {
	return strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".jsonc")
}

// formatted reports whether an HCL file is as hclwrite's formatter (and
// terraform fmt) leaves it; a file of another kind counts as formatted.
func formatted(src string) bool {
	if strings.HasPrefix(strings.TrimSpace(src), "{") {
		// JSON: hclwrite would reformat it; JSON files are held to
		// the lines-changed bound instead.
		return false
	}
	return string(hclwrite.Format([]byte(src))) == src
}

// TestScanJSONShowsFixAndHint: in the JSON report a fixable failure says
// what the fix does, and a failure of a check whose fix needs a decision
// carries the check's fix_hint in no_fix.
func TestScanJSONShowsFixAndHint(t *testing.T) {
	_, stdout, stderr := cli(t, "scan", "--format", "json", "../../testdata/terraform/020-022-easy-auth")
	var doc struct {
		Findings []struct {
			CheckID string `json:"check_id"`
			Status  string `json:"status"`
			Fix     string `json:"fix"`
			NoFix   string `json:"no_fix"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	all, err := loadChecks()
	if err != nil {
		t.Fatal(err)
	}
	hint := ""
	for _, c := range all {
		if c.ID == "AZFUNC-020" {
			hint = c.FixHint
		}
	}
	if hint == "" {
		t.Fatal("AZFUNC-020 has no fix_hint")
	}
	var sawHint, sawFix bool
	for _, f := range doc.Findings {
		if f.CheckID == "AZFUNC-020" && f.Status == "fail" {
			sawHint = true
			if f.NoFix != hint || f.Fix != "" {
				t.Errorf("AZFUNC-020: fix %q, no_fix %q, want no_fix %q", f.Fix, f.NoFix, hint)
			}
		}
		if f.CheckID == "AZFUNC-022" && f.Status == "fail" && f.Fix != "" {
			sawFix = true
		}
	}
	if !sawHint || !sawFix {
		t.Errorf("failing AZFUNC-020 with hint: %v, AZFUNC-022 with fix: %v", sawHint, sawFix)
	}
}

// TestPulumiNoFixNamesTheInput: a Pulumi finding is never fixed (state is
// not source); its no_fix names the program input the value came from.
func TestPulumiNoFixNamesTheInput(t *testing.T) {
	var saw bool
	for _, f := range scanFindings(t, "../../testdata/pulumi/024-ftp-basic-auth") {
		if f.Status != engine.Fail || f.CheckID != "AZFUNC-024" {
			continue
		}
		if f.Fix != nil || !strings.HasPrefix(f.NoFix, "Pulumi stack state is not source") {
			t.Errorf("%s: fix %+v, no_fix %q", f.Resource, f.Fix, f.NoFix)
		}
		if f.Origin == model.Explicit {
			saw = true
			if !strings.Contains(f.NoFix, `change the "allow" input of `+f.Resource) {
				t.Errorf("%s: no_fix %q does not name the input", f.Resource, f.NoFix)
			}
		}
	}
	if !saw {
		t.Error("no explicit AZFUNC-024 failure in the Pulumi fixture")
	}
}

// TestChecksListFixColumn: `azfuncscan checks` shows which formats each
// built-in check is fixed in, or "hint".
func TestChecksListFixColumn(t *testing.T) {
	_, stdout, _ := cli(t, "checks")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^ID .* FIX$`),
		regexp.MustCompile(`(?m)^AZFUNC-062 .* terraform,arm$`),
		regexp.MustCompile(`(?m)^AZFUNC-044 .* arm,hint$`),
		regexp.MustCompile(`(?m)^AZFUNC-007 .* hint$`),
	} {
		if !want.MatchString(stdout) {
			t.Errorf("checks output does not match %s:\n%s", want, stdout)
		}
	}
}
