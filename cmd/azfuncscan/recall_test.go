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

	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
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
	gen := sharedtest.Dir(t, "tools", "gencorpus")
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

// recallCorpus describes one format of the gencorpus output for
// [runRecall].
type recallCorpus struct {
	// format is the manifest's format and the corpus subdirectory that is
	// scanned: "terraform", "arm", "pulumi".
	format string
	// args are the gencorpus flags that generate it.
	args []string
	// unit names the generated unit a file belongs to: resource addresses
	// repeat across units and are told apart by it.
	unit func(corpus, file string) string
	// address turns a manifest resource into the address the model and the
	// findings give it.
	address func(resource string) string
	// unseededOK, when set, names checks whose findings on resources the
	// manifest did not seed them on are expected by design (the generator
	// and the parser disagree on purpose); they are logged, not errors.
	unseededOK func(check string) bool
}

// TestRecallTerraformGencorpus scans `gencorpus -tf 50` and requires every
// function app of its manifest to be found and every seeded issue that has
// a check to be reported on the right resource. It prints recall per
// issue; run with -v to see it.
func TestRecallTerraformGencorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and scans a corpus")
	}
	runRecall(t, recallCorpus{
		format:  "terraform",
		args:    []string{"-seed", "1", "-tf", "50"},
		unit:    unitOf,
		address: func(r string) string { return r },
		// The generator's Windows app sets client_certificate_enabled
		// without client_certificate_mode, whose azurerm default is
		// Optional: certificates are accepted, not required, which
		// AZFUNC-028 reports (the catalog: Optional does not require).
		unseededOK: func(check string) bool {
			return check == "AZFUNC-028"
		},
	})
}

// TestRecallARMGencorpus does the same for `gencorpus -arm 200`: each
// template (arm/<team>-functions-NNNNN) holds a function app, a second one
// in a nested deployment with inner scope, and their storage account.
func TestRecallARMGencorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and scans a corpus")
	}
	runRecall(t, recallCorpus{
		format:  "arm",
		args:    []string{"-seed", "1", "-arm", "200"},
		unit:    unitOf,
		address: armAddress,
	})
}

// TestRecallPulumiGencorpus does the same for `gencorpus -pulumi 50`: each
// stack export (pulumi/<team>-functions-NNNNN/<stack>.stack.json) holds
// azure-native function apps, their plan and storage account; the
// manifest names resources by URN, which is the model's address.
//
// gencorpus wraps AzureWebJobsStorage (with its AccountKey) in a secret
// envelope that the export shows decrypted (--show-secrets) and does not
// count it as a hard-coded secret; the parser judges a decrypted envelope
// as a literal (the testdata/pulumi/secret-envelope fixture), so AZFUNC-030
// on such apps is expected and only logged.
func TestRecallPulumiGencorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and scans a corpus")
	}
	runRecall(t, recallCorpus{
		format:  "pulumi",
		args:    []string{"-seed", "1", "-pulumi", "50"},
		unit:    unitOf,
		address: func(urn string) string { return urn },
		unseededOK: func(check string) bool {
			return check == "AZFUNC-030"
		},
	})
}

// armAddress maps gencorpus's name for an ARM resource to the address the
// ARM parser gives it. Top-level resources agree already: type and name,
// the name kept as written when it depends on the deployment scope
// (uniqueString(resourceGroup().id)). The manifest names a resource of a
// nested deployment "Microsoft.Resources/deployments/<role>:<resource>";
// gencorpus calls that deployment [format('{0}-<role>', deployment().name)],
// which the parser's address keeps as written too.
func armAddress(r string) string {
	const deployments = "Microsoft.Resources/deployments/"
	rest, ok := strings.CutPrefix(r, deployments)
	if !ok {
		return r
	}
	role, inner, ok := strings.Cut(rest, ":")
	if !ok {
		return r
	}
	return deployments + "[format('{0}-" + role + "', deployment().name)]/" + inner
}

// runRecall generates the corpus, scans it and compares function apps and
// findings with the manifest: every function app found, every seeded issue
// with a check reported on its resource, and no finding of those checks on
// a manifest resource where the manifest seeded no such issue. A finding
// blamed on another resource than the manifest's (a child resource of an
// ARM site) counts for the function apps the report relates it to.
func runRecall(t *testing.T, rc recallCorpus) {
	t.Helper()
	corpus := generateCorpus(t, rc.args...)
	manifest := readManifest(t, corpus, rc.format)
	root := filepath.Join(corpus, rc.format)

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
			} `json:"function_apps"`
		} `json:"modules"`
	}
	if err := json.Unmarshal([]byte(stdout), &mod); err != nil {
		t.Fatalf("model JSON: %v", err)
	}
	apps := map[string]bool{}
	for _, m := range mod.Modules {
		for _, a := range m.FunctionApps {
			apps[rc.unit(corpus, m.Path)+" "+a.Address] = true
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
			Related  []struct {
				Message string `json:"message"`
			} `json:"related"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("scan JSON: %v", err)
	}
	loaded := map[string]bool{}
	for _, id := range rep.Checks {
		loaded[id] = true
	}

	// Manifest resources, by unit and address, and their seeded issues.
	seeded := map[string]bool{}
	for _, e := range manifest {
		key := rc.unit(corpus, e.File) + " " + rc.address(e.Resource)
		seeded[key] = true
		for _, issue := range e.Issues {
			seeded[key+" "+issue] = true
		}
	}
	// owners returns the manifest resources (unit + address) a finding
	// counts for: its own resource, else the function apps it is related
	// to.
	owners := func(unit, resource string, related []string) []string {
		if seeded[unit+" "+resource] {
			return []string{unit + " " + resource}
		}
		var out []string
		for _, msg := range related {
			if a, ok := strings.CutPrefix(msg, "used by function app "); ok && seeded[unit+" "+a] {
				out = append(out, unit+" "+a)
			}
		}
		return out
	}

	mapping := manifestChecks()
	checkIssue := map[string]string{}
	for issue, check := range mapping {
		checkIssue[check] = issue
	}
	found := map[string]bool{}
	var unseeded []string
	for _, f := range rep.Findings {
		unit := rc.unit(corpus, f.File)
		var related []string
		for _, r := range f.Related {
			related = append(related, r.Message)
		}
		for _, key := range owners(unit, f.Resource, related) {
			found[key+" "+f.CheckID] = true
			// The other direction: a mapped check on a manifest resource
			// whose seeded issues do not include it. The manifest records
			// every knob it drew, so this would be a false positive.
			if issue, mapped := checkIssue[f.CheckID]; mapped && !seeded[key+" "+issue] {
				if rc.unseededOK != nil && rc.unseededOK(f.CheckID) {
					t.Logf("reported but not seeded (expected): %s: %s", key, f.CheckID)
					continue
				}
				unseeded = append(unseeded, fmt.Sprintf("%s: %s", key, f.CheckID))
			}
		}
	}
	sort.Strings(unseeded)
	for _, u := range unseeded {
		t.Errorf("reported but not seeded: %s", u)
	}

	type tally struct{ want, got int }
	perIssue := map[string]*tally{}
	uncovered := map[string]int{}
	var missedApps, missedIssues []string
	wantApps := 0
	for _, e := range manifest {
		key := rc.unit(corpus, e.File) + " " + rc.address(e.Resource)
		if e.Kind == "functionapp" {
			wantApps++
			if !apps[key] {
				missedApps = append(missedApps, key)
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
			if found[key+" "+check] {
				tl.got++
			} else {
				missedIssues = append(missedIssues, fmt.Sprintf("%s: %s (%s)", key, issue, check))
			}
		}
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
