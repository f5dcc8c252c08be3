package report_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

// manyFindings returns the test findings repeated n times over several
// files, with pairs that compare equal (the sort must keep the order
// they were added in: their apps differ).
func manyFindings(n int) []engine.Finding {
	base := suppressedReport(true)
	withFixes(base)
	var out []engine.Finding
	for i := range n {
		for k := range base.Findings {
			f := base.Findings[k]
			// Pairs equal to the sort (same file, fingerprint,
			// message), told apart by their apps.
			f.Range.Filename = fmt.Sprintf("infra/m%02d.tf", (i/2*7)%5)
			f.Fingerprint = fmt.Sprintf("%s-%d", f.Fingerprint, i/2)
			if i/2%3 == 0 {
				f.Message += " (again)"
			}
			f.Apps = []string{fmt.Sprintf("app-%d", i)}
			out = append(out, f)
		}
	}
	return out
}

// TestSpoolSameOutput: a report whose findings went through the spool
// (sorted runs on disk, merged back) is written byte for byte as the same
// report with every finding in memory, in every format; and closing the
// spool removes its files.
func TestSpoolSameOutput(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	fs := manyFindings(40)
	for _, limit := range []int{1, 7, 64, len(fs) + 1} {
		for _, keep := range []int{0, 5} { // findings also in Report.Findings
			mem := suppressedReport(true)
			withFixes(mem)
			mem.Findings = append([]engine.Finding(nil), fs...)

			sp := suppressedReport(true)
			withFixes(sp)
			sp.Findings = append([]engine.Finding(nil), fs[:keep]...)
			sp.Spool = report.NewSpool(limit)
			for lo := keep; lo < len(fs); lo += 13 { // batches of a module's size
				if err := sp.Spool.Add(fs[lo:min(lo+13, len(fs))]); err != nil {
					t.Fatal(err)
				}
			}
			if limit <= len(fs)/2 && sp.Spool.Runs() == 0 {
				t.Fatalf("limit %d: nothing written to disk", limit)
			}
			for _, format := range report.Formats() {
				want := render(t, format, mem, report.TextOptions{})
				got := render(t, format, sp, report.TextOptions{})
				if !bytes.Equal(got, want) {
					t.Errorf("limit %d, keep %d, %s: output differs from the in-memory report", limit, keep, format)
				}
			}
			// Findings of a check the report does not list (SARIF
			// describes it as a rule of its own, in the order its
			// first result comes).
			all := mem.Checks
			mem.Checks, sp.Checks = all[1:], all[1:]
			want := render(t, report.FormatSARIF, mem, report.TextOptions{})
			if got := render(t, report.FormatSARIF, sp, report.TextOptions{}); !bytes.Equal(got, want) {
				t.Errorf("limit %d, keep %d, without %s: SARIF differs from the in-memory report", limit, keep, all[0].ID)
			}
			if !bytes.Contains(want, []byte(`"id": "`+all[0].ID+`"`)) {
				t.Errorf("no rule for the unlisted check %s", all[0].ID)
			}
			mem.Checks, sp.Checks = all, all
			if got, want := sp.Failures(), mem.Failures(); got != want {
				t.Errorf("limit %d: Failures %d, want %d", limit, got, want)
			}
			if len(sp.Shown()) != len(mem.Shown()) {
				t.Errorf("limit %d: Shown %d findings, want %d", limit, len(sp.Shown()), len(mem.Shown()))
			}
			if err := sp.Spool.Err(); err != nil {
				t.Fatal(err)
			}
			if err := sp.Spool.Close(); err != nil {
				t.Fatal(err)
			}
			if left, _ := filepath.Glob(filepath.Join(tmp, "azfuncscan-spool-*")); len(left) > 0 {
				t.Fatalf("spool files left after Close: %v", left)
			}
		}
	}
}

// TestSpoolReadError: a run that cannot be read back is an error of the
// spool, not a silently shorter report.
func TestSpoolReadError(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	sp := report.NewSpool(2)
	if err := sp.Add(manyFindings(1)); err != nil {
		t.Fatal(err)
	}
	runs, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "azfuncscan-spool-*", "run-0"))
	if len(runs) != 1 {
		t.Fatalf("runs: %v", runs)
	}
	if err := os.WriteFile(runs[0], []byte("not gob"), 0o600); err != nil {
		t.Fatal(err)
	}
	n := 0
	for range sp.Sorted() {
		n++
	}
	if sp.Err() == nil {
		t.Errorf("no error after reading a broken run (%d findings read)", n)
	}
	_ = sp.Close()
}
