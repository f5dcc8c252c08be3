package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpooledScanSameOutput: with --findings-in-memory 3, a scan writes
// its findings to temporary files in sorted runs and merges them back;
// its output, in every format and with ignores (unused ones reported), a
// baseline written or read, and named files, is byte for byte that of
// the scan holding every finding in memory. The runs are removed.
func TestSpooledScanSameOutput(t *testing.T) {
	skipWholeCorpusInShort(t) // serial; analyzer/report's TestSpoolSameOutput runs the spool under -race
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	base := filepath.Join(t.TempDir(), "baseline.json")
	written := filepath.Join(t.TempDir(), "written.json")
	cases := [][]string{
		{"--format", "json", "../../testdata/terraform", "../../testdata/arm", "../../testdata/pulumi"},
		{"--format", "sarif", "../../testdata/terraform", "../../testdata/arm"},
		{"--format", "text", "--show-suppressed", "--show-undetermined", "../../testdata/terraform"},
		{"--format", "compact", "../../testdata/arm"},
		{"--format", "github", "../../testdata/pulumi"},
		{"--format", "json", "--report-unused-ignores", "--show-suppressed", suppressFixture},
		{"--format", "json", "--write-baseline", "WRITE", "../../testdata/terraform/everything-wrong"},
		{"--format", "json", "--baseline", base, "../../testdata/terraform"},
		{"--format", "text", "../../testdata/terraform/everything-wrong/main.tf"},
	}
	// The baseline read: that of one fixture.
	if code, _, stderr := cli(t, "scan", "--write-baseline", base, "../../testdata/terraform/040-https-only"); code > 1 {
		t.Fatalf("write baseline: exit %d: %s", code, stderr)
	}
	for _, args := range cases {
		run := func(extra ...string) (int, string, string, []byte) {
			a := append([]string{"scan"}, extra...)
			var wb []byte
			for _, x := range args {
				if x == "WRITE" {
					x = written
				}
				a = append(a, x)
			}
			code, stdout, stderr := cli(t, a...)
			if data, err := os.ReadFile(written); err == nil {
				wb = data
				_ = os.Remove(written)
			}
			return code, stdout, stderr, wb
		}
		code, want, wantErr, wantBase := run()
		if code > 1 {
			t.Fatalf("%v: exit %d: %s", args, code, wantErr)
		}
		code2, got, gotErr, gotBase := run("--findings-in-memory", "3")
		if code2 != code || got != want || gotErr != wantErr || !bytes.Equal(gotBase, wantBase) {
			t.Errorf("%v: spooled scan differs (exit %d vs %d, stdout equal %v, stderr equal %v, baseline equal %v)",
				args, code2, code, got == want, gotErr == wantErr, bytes.Equal(gotBase, wantBase))
		}
		if len(want) < 200 {
			t.Errorf("%v: output too small to compare: %q", args, want)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "azfuncscan-spool-*")); len(left) > 0 {
		t.Errorf("spool files left: %v", left)
	}
}

// TestSpoolWithoutTempDir: with no usable temporary directory the scan
// keeps its findings in memory, says so, and reports the same findings.
func TestSpoolWithoutTempDir(t *testing.T) {
	fixture := "../../testdata/terraform/everything-wrong"
	_, want, _ := cli(t, "scan", "--format", "compact", fixture)
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	code, got, stderr := cli(t, "scan", "--format", "compact", "--findings-in-memory", "3", fixture)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(got, "Findings kept in memory") || !strings.Contains(got, "--findings-in-memory") {
		t.Errorf("no warning about the findings kept in memory:\n%s", got)
	}
	var findings []string
	for _, line := range strings.Split(got, "\n") {
		if !strings.Contains(line, "Findings kept in memory") {
			findings = append(findings, line)
		}
	}
	if strings.Join(findings, "\n") != want {
		t.Errorf("findings differ from the scan with a temporary directory:\n%s\nwant\n%s", strings.Join(findings, "\n"), want)
	}
}
