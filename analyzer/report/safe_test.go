package report_test

import (
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

// Issue 13: an app name with terminal escapes, a bidirectional override
// and bytes that are not UTF-8, as a hostile file can write them, reach
// no text output raw, with or without colour.
func TestTextOutputsEscapeControlCharacters(t *testing.T) {
	name := "func-\x1b[2J\x1b]0;PWNED\x07\u202egnp.exe\xff\xfe"
	r := testReport(false)
	r.Findings = []engine.Finding{{
		CheckID: "AZFUNC-040", Severity: engine.High, Status: engine.Fail,
		Message: "Function app " + name + " allows HTTP",
		Range:   rng("main.tf", 1, 1, 1, 5), Resource: "azurerm_linux_function_app.x", Fingerprint: "f", Root: ".",
	}}
	r.Diagnostics = model.Diagnostics{{Severity: model.SevError, Summary: "Bad \x1b[31mthing", Detail: "detail \r\x9b", Range: rng("main.tf", 2, 1, 2, 1)}}
	for _, tc := range []struct {
		format report.Format
		color  bool
	}{
		{report.FormatText, false}, {report.FormatText, true}, {report.FormatCompact, false}, {report.FormatGitHub, false},
	} {
		out := string(render(t, tc.format, r, report.TextOptions{Color: tc.color}))
		for _, bad := range []string{"\x1b[2J", "\x1b]", "\x07", "\u202e", "\xff", "\r", "\u009b", "\x1b[31mthing"} {
			if strings.Contains(out, bad) && (!tc.color || bad != "\x1b[31mthing") {
				t.Errorf("%s (colour %v): %q printed raw:\n%q", tc.format, tc.color, bad, out)
			}
		}
		for _, want := range []string{`func-\x1b[2J\x1b]0;PWNED\x07\u202egnp.exe` + "\uFFFD\uFFFD", `Bad \x1b[31mthing`} {
			if tc.color && strings.HasPrefix(want, "Bad") {
				continue // with colour, one of the report's own colours passes (see terminalSafe)
			}
			if !strings.Contains(out, want) {
				t.Errorf("%s (colour %v): no %q in\n%q", tc.format, tc.color, want, out)
			}
		}
		if tc.color && !strings.Contains(out, "\x1b[0m") {
			t.Errorf("text with colour lost its own styles:\n%q", out)
		}
	}
}
