package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// compactLevel is the gcc-style word of a severity: error for critical
// and high, warning for medium, note for low. It is also SARIF's level.
func compactLevel(s engine.Severity) string { return sarifLevel(s) }

// WriteCompact writes one line per shown finding,
//
//	file:line:col: error|warning|note: message [AZFUNC-040]
//
// the form gcc prints, which editors' problem matchers and Vim's default
// errorformat read, then one line per diagnostic in the same form (no
// check id; "azfuncscan:" in place of a position when it has no file).
// Undetermined findings, when shown, are notes whose message starts with
// "undetermined:". Suppressed findings are left out; there is no summary.
func WriteCompact(w io.Writer, r *Report) error {
	var b bytes.Buffer
	for f := range r.shown(false) {
		level, msg := compactLevel(f.Severity), oneLine(f.Message)
		if f.Status == engine.Undetermined {
			level, msg = "note", "undetermined: "+msg
		}
		b.WriteString(r.compactPos(f.Range) + ": " + level + ": " + msg + " [" + f.CheckID + "]\n")
		if err := flushText(w, &b, nil); err != nil {
			return err
		}
	}
	for _, d := range r.diagnostics() {
		level := "note"
		switch d.Severity {
		case model.SevError:
			level = "error"
		case model.SevWarning:
			level = "warning"
		}
		msg := oneLine(d.Summary)
		if detail := oneLine(d.Detail); detail != "" {
			msg += ": " + detail
		}
		pos := "azfuncscan"
		if d.Range.Filename != "" {
			pos = r.compactPos(d.Range)
		}
		b.WriteString(pos + ": " + level + ": " + msg + "\n")
	}
	if _, err := w.Write(terminalSafe(b.Bytes(), nil)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// compactPos is file:line:col, line and column at least 1.
func (r *Report) compactPos(rg model.Range) string {
	line, col := position(rg.Start)
	return r.locate(rg.Filename).display + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}
