package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// jsonReport is the part of the JSON report these tests read.
type jsonReport struct {
	Findings []struct {
		CheckID string `json:"check_id"`
		File    string `json:"file"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
	} `json:"findings"`
	Diagnostics []struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
	} `json:"diagnostics"`
}

// TestScanTestdataSARIF scans every fixture of the repository, as the
// README's first command does, and validates the SARIF against both the
// OASIS schema and GitHub's copy.
func TestScanTestdataSARIF(t *testing.T) {
	code, first, stderr := cli(t, "scan", "--format", "sarif", "../../testdata")
	if code != exitFindings {
		t.Fatalf("exit %d, want 1 (the fixtures hold findings): %s", code, stderr)
	}
	if _, second, _ := cli(t, "scan", "--format", "sarif", "../../testdata"); second != first {
		t.Error("SARIF output over testdata differs between two runs")
	}
	if err := sariftest.Validate([]byte(first)); err != nil {
		t.Error(err)
	}
}

// TestScanSharedCorpus scans the real-world Terraform of ../shared/corpus:
// the scan must end with exit 0 or 1, find function apps, and every finding
// must point at an existing line and column of an existing file.
func TestScanSharedCorpus(t *testing.T) {
	skipWholeCorpusInShort(t)
	corpus := sharedtest.Dir(t, "corpus", "terraform")
	code, stdout, stderr := cli(t, "scan", "--format", "json", corpus)
	if code != exitOK && code != exitFindings {
		t.Fatalf("exit %d, want 0 or 1: %s", code, stderr)
	}
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	for _, d := range rep.Diagnostics {
		if d.Severity == "error" {
			t.Errorf("error diagnostic on the corpus: %s", d.Summary)
		}
	}
	if len(rep.Findings) == 0 {
		t.Fatal("no finding in the corpus; its quickstarts leave HTTPS-only and basic auth at insecure defaults")
	}

	lines := map[string][]string{}
	for _, f := range rep.Findings {
		path := f.File
		if !filepath.IsAbs(path) {
			path = filepath.Join(repoRoot(t), path)
		}
		src, ok := lines[path]
		if !ok {
			src = readLines(t, path)
			lines[path] = src
		}
		if f.Line < 1 || f.Line > len(src) {
			t.Errorf("%s %s:%d: line outside the file (%d lines)", f.CheckID, f.File, f.Line, len(src))
			continue
		}
		if f.Column < 1 || f.Column > len(src[f.Line-1])+1 {
			t.Errorf("%s %s:%d:%d: column outside the line %q", f.CheckID, f.File, f.Line, f.Column, src[f.Line-1])
		}
	}

	code, stdout, stderr = cli(t, "model", corpus)
	if code != exitOK {
		t.Fatalf("model: exit %d: %s", code, stderr)
	}
	var model struct {
		Modules []struct {
			FunctionApps []json.RawMessage `json:"function_apps"`
		} `json:"modules"`
	}
	if err := json.Unmarshal([]byte(stdout), &model); err != nil {
		t.Fatalf("model JSON: %v", err)
	}
	apps := 0
	for _, m := range model.Modules {
		apps += len(m.FunctionApps)
	}
	// Resources written directly in a root module; those inside module
	// calls and for_each expansions come with module evaluation.
	if apps < 10 {
		t.Errorf("found %d function apps in the corpus, want at least 10", apps)
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("finding points at a file that cannot be read: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}
