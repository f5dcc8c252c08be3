package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

// suppressedReport suppresses AZFUNC-041 in source (with a reason and an
// expiry) and AZFUNC-009 from the configuration file (without a reason),
// and says two findings were in the baseline.
func suppressedReport(showSuppressed bool) *report.Report {
	r := testReport(false)
	for i := range r.Findings {
		f := &r.Findings[i]
		switch f.Fingerprint {
		case "fp-041":
			f.Suppressed = &model.Ignore{
				Checks: []string{"AZFUNC-041"}, Reason: "legacy client,\n  replaced in Q3",
				Expires: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
				At:      rng("infra/main.tf", 17, 5, 17, 60),
			}
		case "fp-009":
			f.Suppressed = &model.Ignore{
				Checks: []string{"AZFUNC-0*"}, External: true,
				At: rng(".azfuncscan.yaml", 4, 5, 4, 20),
			}
		}
	}
	r.Baselined = 2
	r.ShowSuppressed = showSuppressed
	return r
}

func TestGoldenSuppressed(t *testing.T) {
	for _, tt := range []struct {
		name   string
		format report.Format
		show   bool
	}{
		{"report-suppressed-hidden.txt", report.FormatText, false},
		{"report-suppressed.txt", report.FormatText, true},
		{"report-suppressed.json", report.FormatJSON, false},
		{"report-suppressed.sarif", report.FormatSARIF, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.format, suppressedReport(tt.show), report.TextOptions{})
			if !bytes.Equal(got, render(t, tt.format, suppressedReport(tt.show), report.TextOptions{})) {
				t.Fatal("two runs of the writer gave different bytes")
			}
			golden(t, tt.name, got)
		})
	}
}

// Suppressed findings never count for the exit status; JSON and SARIF
// list them, the text report only when asked.
func TestSuppressedFindings(t *testing.T) {
	plain, sup := testReport(false), suppressedReport(false)
	if got, want := sup.Failures(), plain.Failures()-2; got != want {
		t.Errorf("Failures() = %d, want %d (two suppressed)", got, want)
	}
	txt := string(render(t, report.FormatText, sup, report.TextOptions{}))
	if strings.Contains(txt, "AZFUNC-041") || strings.Count(txt, "AZFUNC-009") != 1 {
		t.Errorf("text shows suppressed findings by default:\n%s", txt)
	}
	if !strings.Contains(txt, "2 suppressed (not shown), 2 in the baseline (not shown)") {
		t.Errorf("text summary does not count suppressed and baselined findings:\n%s", txt)
	}
	js := string(render(t, report.FormatJSON, sup, report.TextOptions{}))
	for _, want := range []string{`"kind": "inSource"`, `"justification": "legacy client, replaced in Q3"`, `"expires": "2030-01-01"`, `"kind": "external"`, `"suppressed": 2`, `"baselined": 2`} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	sarif := string(render(t, report.FormatSARIF, sup, report.TextOptions{}))
	if n := strings.Count(sarif, `"suppressions"`); n != 2 {
		t.Errorf("SARIF has %d results with suppressions, want 2", n)
	}
	if !strings.Contains(sarif, `"justification": "legacy client, replaced in Q3"`) {
		t.Errorf("SARIF justification not on one line:\n%s", sarif)
	}
}

func TestSuppressedSARIFValidates(t *testing.T) {
	r := suppressedReport(false)
	r.ShowUndetermined = true
	r.Findings[0].Suppressed = &model.Ignore{Checks: []string{"AZFUNC-050"}, Reason: "x", At: rng("infra/main.tf", 4, 1, 4, 30)}
	if r.Findings[0].Status != engine.Undetermined {
		t.Fatal("test data changed: first finding should be undetermined")
	}
	if err := sariftest.Validate(render(t, report.FormatSARIF, r, report.TextOptions{})); err != nil {
		t.Error(err)
	}
}
