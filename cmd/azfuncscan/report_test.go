package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// reportFixtures cover every cell state: failing apps in each format,
// hardened ones that pass, apps that may not exist (undetermined), an
// endpoint whose target is unknown, and suppressed findings.
func reportFixtures() []string {
	return []string{
		"../../testdata/terraform/everything-wrong",
		"../../testdata/terraform/hardened",
		"../../testdata/terraform/007-unknown-endpoint",
		"../../testdata/arm/condition-unknown",
		"../../testdata/arm/hardened",
		"../../testdata/pulumi/everything-wrong",
		suppressFixture,
	}
}

// TestReportMarkdownGolden: the markdown report of the fixtures, as
// committed (regenerate with UPDATE_GOLDEN=1).
func TestReportMarkdownGolden(t *testing.T) {
	code, stdout, stderr := cli(t, append([]string{"report", "--format", "markdown"}, reportFixtures()...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	goldenFile(t, "compliance/fixtures.md", stdout)
	for _, state := range []string{"✅", "❌", "❔", "🔕", "➖"} {
		if strings.Count(stdout, state) < 2 { // the legend and at least one cell
			t.Errorf("no cell is %s", state)
		}
	}
}

// TestReportHTMLMatchesFindings: the HTML matrix of the fixtures, read
// with an HTML parser, cell by cell as the scan's JSON findings say.
func TestReportHTMLMatchesFindings(t *testing.T) {
	checkReportAgainstScan(t, reportFixtures())
}

// TestReportCorpus: the compliance report of ../shared/corpus in both
// formats, the HTML matrix checked against the scan's JSON findings.
func TestReportCorpus(t *testing.T) {
	skipWholeCorpusInShort(t)
	corpus := sharedtest.Dir(t, "corpus")
	rows := checkReportAgainstScan(t, []string{corpus})
	if rows < 10 {
		t.Errorf("the corpus report has %d rows", rows)
	}
	out := filepath.Join(t.TempDir(), "corpus.md")
	if code, _, stderr := cli(t, "report", "-o", out, corpus); code != 0 {
		t.Fatalf("markdown: exit %d: %s", code, stderr)
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(md), "\n| **"); got < rows { // summary rows + one per app
		t.Errorf("markdown has %d bold rows, want at least the %d apps", got, rows)
	}
	t.Logf("corpus: %d function apps", rows)
}

type jsonScan struct {
	Findings []struct {
		CheckID     string   `json:"check_id"`
		Status      string   `json:"status"`
		Root        string   `json:"root"`
		Apps        []string `json:"apps"`
		Suppression *struct {
			Kind string `json:"kind"`
		} `json:"suppression"`
	} `json:"findings"`
	Summary struct {
		Resources int `json:"resources"`
		Errors    int `json:"errors"`
	} `json:"summary"`
}

// checkReportAgainstScan writes the HTML report of paths, scans them to
// JSON (undetermined shown) and holds every matrix cell to what the
// findings say, computed here from the JSON and the checks' mcsb lists:
// fail with the failing unsuppressed checks; else undetermined with the
// undetermined checks; else suppressed with the checks whose failing
// findings are all suppressed; else pass or not applicable (no finding).
// It returns the number of rows.
func checkReportAgainstScan(t *testing.T, paths []string) int {
	t.Helper()
	page := filepath.Join(t.TempDir(), "report.html")
	if code, _, stderr := cli(t, append([]string{"report", "-o", page}, paths...)...); code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := cli(t, append([]string{"scan", "--format", "json", "--show-undetermined"}, paths...)...)
	if code != exitOK && code != exitFindings {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	var scan jsonScan
	if err := json.Unmarshal([]byte(stdout), &scan); err != nil {
		t.Fatal(err)
	}
	if scan.Summary.Errors != 0 {
		t.Fatalf("%d check errors: the comparison assumes none", scan.Summary.Errors)
	}
	_, list, _ := cli(t, "checks", "--format", "json")
	var checks []struct {
		ID   string   `json:"id"`
		MCSB []string `json:"mcsb"`
	}
	if err := json.Unmarshal([]byte(list), &checks); err != nil {
		t.Fatal(err)
	}
	inControl := map[string][]string{}
	for _, c := range checks {
		for _, ctl := range c.MCSB {
			inControl[ctl] = append(inControl[ctl], c.ID)
		}
	}

	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if n := find(doc, func(n *html.Node) bool {
		return n.Type == html.ElementNode && (n.Data == "script" || n.Data == "link" || n.Data == "img" || n.Data == "iframe")
	}); len(n) > 0 {
		t.Errorf("the page has a %s element", n[0].Data)
	}
	matrix := find(doc, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "table" && attr(n, "class") == "matrix"
	})
	if len(matrix) != 1 {
		t.Fatalf("%d matrix tables", len(matrix))
	}
	var controls []string
	for _, th := range find(matrix[0], elem("th")) {
		if attr(th, "scope") == "col" {
			controls = append(controls, text(th))
		}
	}
	if len(controls) < 2 || controls[0] != "Function app" {
		t.Fatalf("matrix header %v", controls)
	}
	controls = controls[1:]
	for _, ctl := range controls {
		if len(inControl[ctl]) == 0 {
			t.Errorf("column %s: no check maps to it", ctl)
		}
	}

	rows := find(matrix[0], func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "tr" && hasAttr(n, "data-app") })
	if len(rows) != scan.Summary.Resources {
		t.Errorf("%d rows, the scan evaluated %d apps", len(rows), scan.Summary.Resources)
	}
	seen := map[string]bool{}
	states := map[string]int{}
	for _, tr := range rows {
		root, app := attr(tr, "data-root"), attr(tr, "data-app")
		seen[root+"//"+app] = true
		cells := find(tr, elem("td"))
		if len(cells) != len(controls) {
			t.Fatalf("%s//%s: %d cells for %d controls", root, app, len(cells), len(controls))
		}
		for i, td := range cells {
			want, wantIDs := expectedCell(&scan, inControl[controls[i]], root, app)
			got, gotIDs := attr(td, "data-state"), attr(td, "data-checks")
			states[got]++
			ok := got == want && gotIDs == wantIDs
			if want == "pass or n/a" {
				ok = (got == "pass" || got == "n/a") && gotIDs == ""
			}
			if !ok {
				t.Errorf("%s//%s %s: %s [%s], the findings say %s [%s]", root, app, controls[i], got, gotIDs, want, wantIDs)
			}
		}
	}
	for _, f := range scan.Findings {
		for _, app := range f.Apps {
			if !seen[f.Root+"//"+app] {
				t.Errorf("%s finding of %s//%s: no row", f.CheckID, f.Root, app)
			}
		}
	}
	t.Logf("cells by state: %v", states)
	return len(rows)
}

// expectedCell is a cell's state and checks (space-separated, sorted) as
// the JSON findings of the app give them.
func expectedCell(scan *jsonScan, ids []string, root, app string) (string, string) {
	fail, und := map[string]bool{}, map[string]bool{}
	failAny := map[string]bool{}
	for _, f := range scan.Findings {
		if f.Root != root || !slices.Contains(f.Apps, app) || !slices.Contains(ids, f.CheckID) {
			continue
		}
		switch f.Status {
		case "fail":
			failAny[f.CheckID] = true
			if f.Suppression == nil {
				fail[f.CheckID] = true
			}
		case "undetermined":
			und[f.CheckID] = true
		}
	}
	keys := func(m map[string]bool) string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return strings.Join(out, " ")
	}
	for k := range fail {
		delete(failAny, k)
	}
	switch {
	case len(fail) > 0:
		return "fail", keys(fail)
	case len(und) > 0:
		return "undetermined", keys(und)
	case len(failAny) > 0:
		return "suppressed", keys(failAny)
	}
	return "pass or n/a", ""
}

func elem(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == name }
}

func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if match(d) {
			out = append(out, d)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.TrimSpace(b.String())
}

// hostileName is an app name meant to break out of a markdown table cell
// and of HTML: a cell end, a script, a bar, emphasis, a javascript: link,
// a code span, a terminal escape and a right-to-left override.
const hostileName = "evil</td><script>alert(1)</script>|**bold**[x](javascript:alert(1))`code`\x1b[2J\u202egnp.exe"

// TestReportEscapesHostileNames: names from the scanned files come out as
// text in both formats, never as markup or control characters.
func TestReportEscapesHostileNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "root<b>|x")
	if err := os.Mkdir(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	hcl := `resource "azurerm_linux_function_app" "app" {
  name                       = "` + strings.NewReplacer("\x1b", `\u001b`, "\u202e", `\u202e`).Replace(hostileName) + `"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "plan"
  storage_account_name       = "st"
  storage_account_access_key = "k"
  site_config {}
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600); err != nil {
		t.Fatal(err)
	}
	shown := "evil</td><script>alert(1)</script>|**bold**[x](javascript:alert(1))`code`\\x1b[2J\\u202egnp.exe"

	code, md, stderr := cli(t, "report", "--format", "markdown", dir)
	if code != 0 {
		t.Fatalf("markdown: exit %d: %s", code, stderr)
	}
	for _, bad := range []string{"<script", "</td>", "<b>", "\x1b", "\u202e", "](javascript", "**bold**", "`code`"} {
		if strings.Contains(md, bad) {
			t.Errorf("markdown contains %q", bad)
		}
	}
	var row string
	for _, line := range strings.Split(md, "\n") {
		if strings.Contains(line, "evil") {
			row = line
		}
	}
	// Every bar of the name is escaped: the row has one cell per column.
	at := strings.Index(md, "| Function app |")
	if at < 0 {
		t.Fatalf("no matrix:\n%s", md)
	}
	header := strings.Count(strings.Split(md[at:], "\n")[0], "|")
	if got := strings.Count(row, "|") - strings.Count(row, `\|`); got != header {
		t.Errorf("the app's row has %d unescaped bars, the header %d:\n%s", got, header, row)
	}

	page := filepath.Join(t.TempDir(), "r.html")
	if code, _, stderr := cli(t, "report", "-o", page, dir); code != 0 {
		t.Fatalf("html: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "\x1b") || strings.Contains(string(data), "\u202e") {
		t.Error("the page holds a control or bidirectional character")
	}
	doc, err := html.Parse(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if n := find(doc, elem("script")); len(n) > 0 {
		t.Error("the name made a script element")
	}
	names := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && attr(n, "class") == "name" })
	if len(names) != 1 || text(names[0]) != shown {
		var got []string
		for _, n := range names {
			got = append(got, text(n))
		}
		t.Errorf("name cells %q, want the name as text %q", got, shown)
	}
	rows := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "tr" && hasAttr(n, "data-app") })
	if len(rows) != 1 {
		t.Fatalf("%d rows, want 1", len(rows))
	}
	if root := attr(rows[0], "data-root"); !strings.HasSuffix(root, "root<b>|x") {
		t.Errorf("root attribute %q", root)
	}
}

// TestReportScreenshotSourceIsCurrent: docs/report.html, the page the
// README's screenshot (docs/report.png) is taken of, is what the report of
// its roots gives now. When the report changes, both are regenerated with
// .ci/screenshot.sh (headless Chromium).
func TestReportScreenshotSourceIsCurrent(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join("..", "..", "docs", "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(committed)))
	if err != nil {
		t.Fatal(err)
	}
	var roots []string
	for _, tr := range find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && hasAttr(n, "data-root") }) {
		if root := filepath.Join("..", "..", filepath.FromSlash(attr(tr, "data-root"))); !slices.Contains(roots, root) {
			roots = append(roots, root)
		}
	}
	if len(roots) == 0 {
		t.Fatal("docs/report.html has no rows")
	}
	page := filepath.Join(t.TempDir(), "report.html")
	if code, _, stderr := cli(t, append([]string{"report", "-o", page}, roots...)...); code != 0 {
		t.Fatalf("report: exit %d: %s", code, stderr)
	}
	fresh, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Errorf("docs/report.html is stale: regenerate it and the README's screenshot with .ci/screenshot.sh")
	}
}

func TestReportFormatAndExit(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int
		html bool
	}{
		{[]string{"-o", filepath.Join(dir, "r.html")}, 0, true},
		{[]string{"-o", filepath.Join(dir, "r.htm")}, 0, true},
		{[]string{"-o", filepath.Join(dir, "r.md")}, 0, false},
		{[]string{"--format", "HTML", "-o", filepath.Join(dir, "x.md")}, 0, true},
		{[]string{"--format", "md", "-o", filepath.Join(dir, "y.html")}, 0, false},
		{[]string{"--format", "pdf"}, exitError, false},
	} {
		code, stdout, stderr := cli(t, append(append([]string{"report"}, tt.args...), insecure)...)
		if code != tt.code {
			t.Errorf("%v: exit %d, want %d: %s", tt.args, code, tt.code, stderr)
			continue
		}
		if code != 0 {
			continue
		}
		if stdout != "" {
			t.Errorf("%v: wrote to stdout as well", tt.args)
		}
		data, err := os.ReadFile(tt.args[len(tt.args)-1])
		if err != nil {
			t.Fatal(err)
		}
		if isHTML := strings.HasPrefix(string(data), "<!DOCTYPE html>"); isHTML != tt.html {
			t.Errorf("%v: html %v, want %v", tt.args, isHTML, tt.html)
		}
	}
	if code, stdout, _ := cli(t, "report", "-o", "-", insecure); code != 0 || !strings.HasPrefix(stdout, "## MCSB compliance report") {
		t.Errorf("-o -: exit %d, stdout %.40q", code, stdout)
	}
	if code, _, stderr := cli(t, "report", t.TempDir()); code != exitError || !strings.Contains(stderr, "no input") {
		t.Errorf("empty directory: exit %d: %s", code, stderr)
	}
}
