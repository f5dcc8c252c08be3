package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

// A minified JSON file (a plan as terraform show -json writes it) holds
// everything on one line, secrets included: no snippet prints such a line.
func TestSnippetsSkipOverlongLines(t *testing.T) {
	dir := t.TempDir()
	line := `{"variables":{"db_password":{"value":"s3cr3t-in-the-plan"}},"after":{"https_only":false` + strings.Repeat(`,"x":1`, 80) + `}}`
	path := filepath.Join(dir, "tfplan.json")
	if err := os.WriteFile(path, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	col := strings.Index(line, "false") + 1
	r := &report.Report{Findings: []engine.Finding{{
		CheckID: "AZFUNC-040", Severity: engine.High, Status: engine.Fail, Message: "m",
		Range:    model.Range{Filename: filepath.ToSlash(path), Start: model.Pos{Line: 1, Column: col}, End: model.Pos{Line: 1, Column: col + 5}},
		Resource: "azurerm_linux_function_app.a", Path: "https_only",
	}}}
	var b bytes.Buffer
	if err := report.Write(&b, report.FormatText, r, report.TextOptions{Snippets: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "s3cr3t") || strings.Contains(b.String(), " | ") {
		t.Errorf("an overlong line was printed:\n%s", b.String())
	}
}
