package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

type sarifFixLog struct {
	Runs []struct {
		Results []struct {
			RuleID              string            `json:"ruleId"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Fixes               []struct {
				ArtifactChanges []struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Replacements []struct {
						DeletedRegion struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
							EndLine     int `json:"endLine"`
							EndColumn   int `json:"endColumn"`
						} `json:"deletedRegion"`
						InsertedContent struct {
							Text string `json:"text"`
						} `json:"insertedContent"`
					} `json:"replacements"`
				} `json:"artifactChanges"`
			} `json:"fixes"`
		} `json:"results"`
	} `json:"runs"`
}

// sarifOffset converts a SARIF line and column (1-based, columns in
// Unicode code points) into a byte offset of src.
func sarifOffset(t *testing.T, src string, line, col int) int {
	t.Helper()
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(src[off:], '\n')
		if i < 0 {
			t.Fatalf("line %d beyond the file", line)
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(src) || src[off] == '\n' {
			t.Fatalf("column %d beyond line %d", col, line)
		}
		_, size := utf8.DecodeRuneInString(src[off:])
		off += size
	}
	return off
}

// scanSARIF scans . (the working directory) and returns the SARIF log,
// validated against both schemas.
func scanSARIF(t *testing.T) (sarifFixLog, string) {
	t.Helper()
	code, out, stderr := cli(t, "scan", "--format", "sarif", ".")
	if code != exitFindings && code != 0 {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	if err := sariftest.Validate([]byte(out)); err != nil {
		t.Fatalf("SARIF: %v", err)
	}
	var doc sarifFixLog
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc, out
}

// TestSARIFFixesApply: for each fixable check's positive fixture, the
// SARIF of a scan carries fixes of that check's results (valid against
// both schemas); applied to the source as a SARIF consumer would, each one
// alone, a fix makes its result disappear on the next scan.
func TestSARIFFixesApply(t *testing.T) {
	skipWholeCorpusInShort(t)
	for _, fx := range fixFixtures {
		t.Run(fx.check, func(t *testing.T) {
			from, err := filepath.Abs(fx.dir)
			if err != nil {
				t.Fatal(err)
			}
			dir := copyFixture(t, from)
			t.Chdir(dir)
			original := readTree(t, dir)
			doc, _ := scanSARIF(t)
			fixed := 0
			for _, res := range doc.Runs[0].Results {
				if len(res.Fixes) == 0 || res.RuleID != fx.check {
					continue
				}
				fixed++
				fp := res.PartialFingerprints[report.FingerprintKey]
				for _, ch := range res.Fixes[0].ArtifactChanges {
					if ch.ArtifactLocation.URIBaseID != report.SRCRoot {
						t.Fatalf("%s: artifact %+v not under %s", res.RuleID, ch.ArtifactLocation, report.SRCRoot)
					}
					name := filepath.Join(dir, filepath.FromSlash(ch.ArtifactLocation.URI))
					src := original[name]
					var b strings.Builder
					at := 0
					for _, rp := range ch.Replacements {
						d := rp.DeletedRegion
						start, end := sarifOffset(t, src, d.StartLine, d.StartColumn), sarifOffset(t, src, d.EndLine, d.EndColumn)
						if start < at || end < start {
							t.Fatalf("%s: replacements overlap or are out of order", res.RuleID)
						}
						b.WriteString(src[at:start] + rp.InsertedContent.Text)
						at = end
					}
					b.WriteString(src[at:])
					if err := os.WriteFile(name, []byte(b.String()), 0o600); err != nil {
						t.Fatal(err)
					}
				}
				if _, out := scanSARIF(t); strings.Contains(out, fp) {
					t.Errorf("%s (%s): still reported after its SARIF fix", res.RuleID, fp)
				}
				for name, src := range original {
					if err := os.WriteFile(name, []byte(src), 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}
			if fixed == 0 {
				t.Errorf("no %s result with a fix", fx.check)
			}
		})
	}
}
