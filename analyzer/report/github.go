package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// githubLevel is the workflow command of a severity: error for critical
// and high, warning for medium, notice for low.
func githubLevel(s engine.Severity) string {
	switch s {
	case engine.Critical, engine.High:
		return "error"
	case engine.Medium:
		return "warning"
	}
	return "notice"
}

// WriteGitHub writes GitHub Actions workflow commands, one per shown
// finding,
//
//	::error file=main.tf,line=12,col=3,endLine=12,endColumn=21,title=AZFUNC-040::message
//
// which a workflow step turns into annotations on the pull request's
// files; then one per error or warning diagnostic (title azfuncscan).
// Paths are relative to the repository root, as GitHub expects.
// Undetermined findings, when shown, are notices whose message starts with
// "Undetermined:"; suppressed findings are left out. Values are escaped as
// the runner requires (%, CR and LF in messages; also : and , in
// properties).
func WriteGitHub(w io.Writer, r *Report) error {
	var b bytes.Buffer
	for f := range r.shown(false) {
		level, msg := githubLevel(f.Severity), f.Message
		if f.Status == engine.Undetermined {
			level, msg = "notice", "Undetermined: "+msg
		}
		b.WriteString(r.githubCommand(level, f.Range, f.CheckID, msg))
		if err := flushText(w, &b, nil); err != nil {
			return err
		}
	}
	for _, d := range r.diagnostics() {
		level := ""
		switch d.Severity {
		case model.SevError:
			level = "error"
		case model.SevWarning:
			level = "warning"
		default:
			continue
		}
		msg := oneLine(d.Summary)
		if detail := oneLine(d.Detail); detail != "" {
			msg += ": " + detail
		}
		b.WriteString(r.githubCommand(level, d.Range, "azfuncscan", msg))
	}
	if _, err := w.Write(terminalSafe(b.Bytes(), nil)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// githubCommand renders one workflow command; a range without a file gives
// a command without a location.
func (r *Report) githubCommand(level string, rg model.Range, title, msg string) string {
	var props []string
	if file := r.locate(rg.Filename).display; file != "" {
		props = append(props, "file="+escapeProperty(file))
		if rg.Start.Line > 0 || rg.Start.Column > 0 {
			line, col := position(rg.Start)
			props = append(props, "line="+strconv.Itoa(line), "col="+strconv.Itoa(col))
			if el, ec := end(rg); el > 0 {
				props = append(props, "endLine="+strconv.Itoa(el), "endColumn="+strconv.Itoa(ec))
			}
		} else {
			props = append(props, "line=1", "col=1")
		}
	}
	props = append(props, "title="+escapeProperty(title))
	return "::" + level + " " + strings.Join(props, ",") + "::" + escapeData(msg) + "\n"
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return escapeEach(s, "%\r\n", percentEncode)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return escapeEach(s, "%\r\n:,", percentEncode)
}

// percentEncode is %XX of an ASCII byte, in upper case.
func percentEncode(c byte) string {
	return fmt.Sprintf("%%%02X", c)
}
