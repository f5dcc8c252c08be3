package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// scanJSON runs scan --format json on dir with extra flags and returns
// the diagnostics (summary by file, relative to dir) and the number of
// function app instances the findings name.
type scanOut struct {
	Findings []struct {
		CheckID  string `json:"check_id"`
		Resource string `json:"resource"`
	} `json:"findings"`
	Diagnostics []struct {
		Summary string `json:"summary"`
		File    string `json:"file"`
		Line    *int   `json:"line"`
	} `json:"diagnostics"`
}

func scanJSON(t *testing.T, dir string, flags ...string) (int, scanOut) {
	t.Helper()
	code, stdout, stderr := cli(t, append(append([]string{"scan", "--format", "json"}, flags...), dir)...)
	var out scanOut
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("exit %d, %v; stderr %s", code, err, stderr)
	}
	return code, out
}

// summaries returns the diagnostic summaries of file (forward slashes,
// relative to dir, "" for all).
func (o scanOut) summaries(dir, file string) []string {
	var out []string
	for _, d := range o.Diagnostics {
		if file == "" || strings.HasSuffix(d.File, "/"+file) || d.File == file {
			out = append(out, d.Summary)
		}
	}
	return out
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// doublingLocals returns locals doubling a string n times: the last is
// 2^(n+1) bytes, all together twice that.
func doublingLocals(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  v0 = \"ab\"\n")
	for i := 1; i <= n; i++ {
		b.WriteString("  v" + strconv.Itoa(i) + " = \"${local.v" + strconv.Itoa(i-1) + "}${local.v" + strconv.Itoa(i-1) + "}\"\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// Issue 13: every limit has a flag that raises it; each input here
// passes a default limit (one diagnostic) and is read whole with the
// flag.
func TestLimitFlagsRaiseLimits(t *testing.T) {
	skipWholeCorpusInShort(t)
	app := "resource \"azurerm_linux_function_app\" \"normal\" {\n  name = \"func-normal\"\n}\n"
	junk := strings.Repeat("x = = 1\n", 30)
	for _, tc := range []struct {
		name  string
		file  string
		src   string
		want  string   // the diagnostic by default
		flags []string // that make it go away
	}{
		{"hcl depth", "deep.tf", "locals {\n  x = " + strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + "\n}\n",
			"Nested more than 1000 levels deep", []string{"--max-hcl-depth", "2000"}},
		{"json depth", "deep.tf.json", `{"locals": {"x": ` + strings.Repeat("[", 12000) + strings.Repeat("]", 12000) + "}}",
			"Nested more than 10000 levels deep", []string{"--max-json-depth", "20000"}},
		{"file size", "big.tf", "# " + strings.Repeat("x", 10<<20) + "\n", "File too large", []string{"--max-file-size", "11MiB"}},
		{"instances", "many.tf", "resource \"azurerm_storage_account\" \"many\" {\n  count = 1500\n  name = \"st${count.index}\"\n}\n",
			"Too many instances", []string{"--max-instances", "2000"}},
		{"evaluation budget", "eval.tf", doublingLocals(19), "Evaluation budget spent", []string{"--eval-budget", "4000000"}},
		{"diagnostics per file", "junk.tf", junk, "11 more problems in this file", []string{"--max-diagnostics-per-file", "100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"main.tf": app, tc.file: tc.src})
			_, out := scanJSON(t, dir)
			if got := out.summaries(dir, tc.file); !contains(got, tc.want) {
				t.Errorf("default: want %q for %s, got %q", tc.want, tc.file, got)
			}
			_, out = scanJSON(t, dir, tc.flags...)
			if got := out.summaries(dir, tc.file); contains(got, tc.want) {
				t.Errorf("%v: still %q for %s", tc.flags, tc.want, tc.file)
			}
			if tc.name == "diagnostics per file" && len(out.summaries(dir, tc.file)) < 30 {
				t.Errorf("%v: %d diagnostics, want all 30 or more", tc.flags, len(out.summaries(dir, tc.file)))
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Issue 13: the module trees of one scan share an evaluation budget: three
// roots that each stay within their own budget pass a lower scan budget
// together, which one diagnostic says; the scan budget raised, none.
func TestScanEvalBudget(t *testing.T) {
	files := map[string]string{}
	for _, d := range []string{"a", "b", "c"} {
		files[d+"/main.tf"] = doublingLocals(17) // about 500,000 bytes each
		// With a function app: a root that cannot hold one is not evaluated.
		files[d+"/app.tf"] = "resource \"azurerm_linux_function_app\" \"" + d + "\" {\n  name = \"func-" + d + "\"\n}\n"
	}
	dir := writeTree(t, files)
	_, out := scanJSON(t, dir)
	if len(out.Diagnostics) != 0 {
		t.Errorf("default: diagnostics %q", out.summaries(dir, ""))
	}
	_, out = scanJSON(t, dir, "--scan-eval-budget", "1000000")
	if got := out.summaries(dir, ""); len(got) != 1 || got[0] != "Scan evaluation budget spent" {
		t.Errorf("--scan-eval-budget 1000000: want one \"Scan evaluation budget spent\", got %q", got)
	}
	if _, out = scanJSON(t, dir, "--scan-eval-budget", "4000000"); len(out.Diagnostics) != 0 {
		t.Errorf("--scan-eval-budget 4000000: diagnostics %q", out.summaries(dir, ""))
	}
}

func TestLimitFlagsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"scan", "--max-file-size", "ten"},
		{"scan", "--max-instances", "-1"},
		{"scan", "--eval-budget", "-5"},
	} {
		if code, _, _ := cli(t, append(args, t.TempDir())...); code != exitError {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	for in, want := range map[string]int64{"": 0, "123": 123, "2KiB": 2048, "3 MiB": 3 << 20, "1G": 1 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}
