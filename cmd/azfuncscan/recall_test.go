package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// manifestChecks maps the seeded misconfigurations of gencorpus's
// manifest.jsonl to the check that must report them. Issues whose check
// is not loaded (not written yet) are listed as not covered; http2 is
// deliberately not a check (see the catalog).
func manifestChecks() map[string]string {
	return map[string]string{
		"functionapp.public_network_access_enabled":    "AZFUNC-001",
		"functionapp.cors_wildcard":                    "AZFUNC-009",
		"functionapp.auth_disabled":                    "AZFUNC-020",
		"functionapp.no_managed_identity":              "AZFUNC-023",
		"functionapp.client_cert_disabled":             "AZFUNC-028",
		"functionapp.hardcoded_secret_in_app_settings": "AZFUNC-030",
		"functionapp.https_only_disabled":              "AZFUNC-040",
		"functionapp.min_tls_below_1_2":                "AZFUNC-041",
		"functionapp.ftps_all_allowed":                 "AZFUNC-043",
		"functionapp.remote_debugging_enabled":         "AZFUNC-080",
		"storage.network_default_allow":                "AZFUNC-060",
		"storage.min_tls_below_1_2":                    "AZFUNC-062",
		"storage.https_traffic_only_disabled":          "AZFUNC-063",
		"storage.public_blob_access":                   "AZFUNC-064",
	}
}

type manifestEntry struct {
	File     string   `json:"file"`
	Format   string   `json:"format"`
	Resource string   `json:"resource"`
	Kind     string   `json:"kind"`
	Issues   []string `json:"issues"`
}

// generateCorpus runs ../shared/tools/gencorpus with args into a temporary
// directory, or skips the test when the generator is not beside the repo.
func generateCorpus(t *testing.T, args ...string) string {
	t.Helper()
	gen, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "tools", "gencorpus"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(gen, "go.mod")); err != nil {
		t.Skipf("gencorpus not present: %v", err)
	}
	out := t.TempDir()
	cmd := exec.Command("go", append([]string{"run", ".", "-out", out, "-q"}, args...)...)
	cmd.Dir = gen
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gencorpus: %v\n%s", err, b)
	}
	return out
}

func readManifest(t *testing.T, dir, format string) []manifestEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "manifest.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var out []manifestEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e manifestEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("manifest: %v", err)
		}
		if e.Format == format {
			out = append(out, e)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// unitOf names the generated unit a file belongs to ("terraform/stack-00001"),
// so that resource addresses, which repeat across units, can be told apart.
func unitOf(corpus, file string) string {
	if filepath.IsAbs(file) {
		if rel, err := filepath.Rel(corpus, file); err == nil {
			file = rel
		}
	}
	parts := strings.SplitN(filepath.ToSlash(file), "/", 3)
	if len(parts) < 2 {
		return file
	}
	return parts[0] + "/" + parts[1]
}

// TestRecallTerraformGencorpus scans `gencorpus -tf 50` and requires every
// function app of its manifest to be found and every seeded issue that has
// a check to be reported on the right resource. It prints recall per
// issue; run with -v to see it.
func TestRecallTerraformGencorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and scans a corpus")
	}
	corpus := generateCorpus(t, "-seed", "1", "-tf", "50")
	manifest := readManifest(t, corpus, "terraform")
	root := filepath.Join(corpus, "terraform")

	// Function apps found, by unit and address.
	code, stdout, stderr := cli(t, "model", root)
	if code != exitOK {
		t.Fatalf("model: exit %d: %s", code, stderr)
	}
	var mod struct {
		Modules []struct {
			Path         string `json:"path"`
			FunctionApps []struct {
				Address string `json:"address"`
				Name    struct {
					At string `json:"at"`
				} `json:"name"`
			} `json:"function_apps"`
		} `json:"modules"`
	}
	if err := json.Unmarshal([]byte(stdout), &mod); err != nil {
		t.Fatalf("model JSON: %v", err)
	}
	apps := map[string]bool{}
	for _, m := range mod.Modules {
		for _, a := range m.FunctionApps {
			apps[unitOf(corpus, m.Path)+" "+a.Address] = true
		}
	}

	// Findings, by unit, resource and check.
	code, stdout, stderr = cli(t, "scan", "--format", "json", root)
	if code != exitOK && code != exitFindings {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	var rep struct {
		Checks   []string `json:"checks"`
		Findings []struct {
			CheckID  string `json:"check_id"`
			File     string `json:"file"`
			Resource string `json:"resource"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("scan JSON: %v", err)
	}
	loaded := map[string]bool{}
	for _, id := range rep.Checks {
		loaded[id] = true
	}
	found := map[string]bool{}
	for _, f := range rep.Findings {
		found[unitOf(corpus, f.File)+" "+f.Resource+" "+f.CheckID] = true
	}

	type tally struct{ want, got int }
	mapping := manifestChecks()
	perIssue := map[string]*tally{}
	uncovered := map[string]int{}
	var missedApps, missedIssues []string
	wantApps := 0
	for _, e := range manifest {
		unit := unitOf(corpus, e.File)
		if e.Kind == "functionapp" {
			wantApps++
			if !apps[unit+" "+e.Resource] {
				missedApps = append(missedApps, unit+" "+e.Resource)
			}
		}
		for _, issue := range e.Issues {
			check, ok := mapping[issue]
			if !ok || !loaded[check] {
				uncovered[issue]++
				continue
			}
			tl := perIssue[issue]
			if tl == nil {
				tl = &tally{}
				perIssue[issue] = tl
			}
			tl.want++
			if found[unit+" "+e.Resource+" "+check] {
				tl.got++
			} else {
				missedIssues = append(missedIssues, fmt.Sprintf("%s %s: %s (%s)", unit, e.Resource, issue, check))
			}
		}
	}

	// The other direction: findings of a mapped check on a manifest
	// resource whose seeded issues do not include it. The manifest records
	// every knob it drew, so these would be false positives.
	checkIssue := map[string]string{}
	for issue, check := range mapping {
		checkIssue[check] = issue
	}
	seeded := map[string]bool{}
	for _, e := range manifest {
		seeded[unitOf(corpus, e.File)+" "+e.Resource] = true
		for _, issue := range e.Issues {
			seeded[unitOf(corpus, e.File)+" "+e.Resource+" "+issue] = true
		}
	}
	var unseeded []string
	for _, f := range rep.Findings {
		key := unitOf(corpus, f.File) + " " + f.Resource
		issue, mapped := checkIssue[f.CheckID]
		if mapped && seeded[key] && !seeded[key+" "+issue] {
			unseeded = append(unseeded, fmt.Sprintf("%s: %s", key, f.CheckID))
		}
	}
	sort.Strings(unseeded)
	for _, u := range unseeded {
		t.Errorf("reported but not seeded: %s", u)
	}

	issues := make([]string, 0, len(perIssue))
	for k := range perIssue {
		issues = append(issues, k)
	}
	sort.Strings(issues)
	var want, got int
	for _, k := range issues {
		tl := perIssue[k]
		want += tl.want
		got += tl.got
		t.Logf("recall %-45s %-10s %4d/%-4d", k, mapping[k], tl.got, tl.want)
	}
	t.Logf("function apps found: %d/%d", wantApps-len(missedApps), wantApps)
	t.Logf("findings of these checks on resources where the manifest seeded no such issue: %d", len(unseeded))
	if want > 0 {
		t.Logf("recall over issues with a check: %d/%d (%.1f%%)", got, want, 100*float64(got)/float64(want))
	}
	for _, k := range sortedKeys(uncovered) {
		t.Logf("no check yet for %s (%d seeded)", k, uncovered[k])
	}
	sort.Strings(missedApps)
	for _, a := range missedApps {
		t.Errorf("function app not found: %s", a)
	}
	for _, m := range missedIssues {
		t.Errorf("seeded issue not reported: %s", m)
	}
	if want == 0 {
		t.Error("no seeded issue has a check: the mapping or the manifest is wrong")
	}
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
