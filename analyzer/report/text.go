package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TextOptions tune the text format.
type TextOptions struct {
	// Color adds ANSI colors (for a terminal).
	Color bool
	// Snippets prints the source line under each finding with the blamed
	// span underlined. A line that may hold a secret is never printed.
	Snippets bool
}

// ANSI styles.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
)

type textWriter struct {
	w    *bytes.Buffer
	r    *Report
	opts TextOptions
	// path and lines are the snippet cache: the file of the last snippet
	// (an OS path) and its lines (nil: unreadable). Findings come sorted
	// by file, so one file at a time is read once and then dropped.
	path  string
	lines []string
	// secret holds the attribute paths (indexes stripped) of sensitive
	// model values: findings on them get no snippet.
	secret []string
	// qualify holds the files findings from more than one root point at;
	// their findings name the resource root//address.
	qualify map[string]bool
}

// WriteText writes one line per finding (file:line:col: severity ID
// message [resource]), optionally followed by the source line, then the
// diagnostics, then a summary line.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	tw := &textWriter{w: &bytes.Buffer{}, r: r, opts: opts, qualify: multiRootFiles(r.all())}
	if opts.Snippets {
		tw.secret = sensitivePaths()
	}
	styles := textStyles(opts.Color)
	n := 0
	for f := range r.shown(r.ShowSuppressed) {
		tw.finding(f)
		n++
		if err := flushText(w, tw.w, styles); err != nil {
			return err
		}
	}
	diags := r.diagnostics()
	if n > 0 && len(diags) > 0 {
		tw.w.WriteByte('\n')
	}
	for _, d := range diags {
		tw.diagnostic(d)
	}
	if n+len(diags) > 0 {
		tw.w.WriteByte('\n')
	}
	tw.summary(diags)
	if _, err := w.Write(terminalSafe(tw.w.Bytes(), styles)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// WriteDiagnostics writes only the diagnostics of r, one per line as in
// the text report (file:line:col: severity: summary, detail indented).
func WriteDiagnostics(w io.Writer, r *Report) error {
	tw := &textWriter{w: &bytes.Buffer{}, r: r}
	for _, d := range r.diagnostics() {
		tw.diagnostic(d)
	}
	if _, err := w.Write(terminalSafe(tw.w.Bytes(), nil)); err != nil {
		return fmt.Errorf("write diagnostics: %w", err)
	}
	return nil
}

func (tw *textWriter) style(code, s string) string {
	if !tw.opts.Color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (tw *textWriter) pos(r model.Range) string {
	loc := tw.r.locate(r.Filename)
	if loc.display == "" {
		return ""
	}
	line, col := position(r.Start)
	return loc.display + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

func severityStyle(s engine.Severity) string {
	switch s {
	case engine.Critical:
		return ansiBold + ansiMagenta
	case engine.High:
		return ansiBold + ansiRed
	case engine.Medium:
		return ansiYellow
	default:
		return ansiBlue
	}
}

func (tw *textWriter) finding(f *engine.Finding) {
	var b strings.Builder
	if p := tw.pos(f.Range); p != "" {
		b.WriteString(tw.style(ansiBold, p))
		b.WriteString(": ")
	}
	b.WriteString(tw.style(severityStyle(f.Severity), string(f.Severity)))
	b.WriteByte(' ')
	b.WriteString(tw.style(ansiBold, f.CheckID))
	if f.Status == engine.Undetermined {
		b.WriteString(" " + tw.style(ansiDim, "(undetermined)"))
	}
	b.WriteByte(' ')
	b.WriteString(oneLine(f.Message))
	if f.Resource != "" {
		name := f.Resource
		if tw.qualify[f.Range.Filename] {
			name = qualifiedName(f)
		}
		b.WriteString(" [" + name + "]")
	}
	if ig := f.Suppressed; ig != nil {
		note := "suppressed"
		if reason := oneLine(ig.Reason); reason != "" {
			note += ": " + reason
		}
		b.WriteString(" " + tw.style(ansiDim, "("+note+")"))
	}
	b.WriteByte('\n')
	tw.w.WriteString(b.String())

	if tw.opts.Snippets && !tw.isSecret(f.Path) && !f.SecretOnLine {
		tw.snippet(f.Range)
	}
	if h, ok := valueOrigin(f); ok {
		tw.note("value from:", h.Range, hopText(f, h))
	}
	for _, h := range intermediateHops(f) {
		tw.note("via:", h.Range, hopText(f, h))
	}
	for _, rel := range f.Related {
		tw.note("related:", rel.Range, rel.Message)
	}
}

// note writes an indented line under a finding: label, position, text.
func (tw *textWriter) note(label string, r model.Range, text string) {
	p := tw.pos(r)
	if p == "" {
		p = "(unknown location)"
	}
	tw.w.WriteString("    " + tw.style(ansiDim, label) + " " + p + ": " + oneLine(text) + "\n")
}

// maxSnippetRunes is the longest source line a snippet prints. Minified
// JSON (a plan as terraform show -json writes it) holds the whole document
// on one line, secrets included; a line that long is no use on a terminal
// either.
const maxSnippetRunes = 400

// snippet prints the first line of r with its span underlined.
func (tw *textWriter) snippet(r model.Range) {
	lines := tw.fileLines(tw.r.locate(r.Filename).open)
	line, col := position(r.Start)
	if line > len(lines) {
		return
	}
	text := []rune(lines[line-1])
	if col > len(text)+1 || len(text) > maxSnippetRunes {
		return // the file changed since it was parsed, or the line is too long to show
	}
	end := len([]rune(strings.TrimRight(string(text), " \t"))) + 1 // exclusive
	if r.End.Line == r.Start.Line && r.End.Column > col {
		end = min(r.End.Column, len(text)+1)
	}
	width := max(end-col, 1)

	var pad strings.Builder
	for _, c := range text[:col-1] {
		if c == '\t' {
			pad.WriteRune('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	num := strconv.Itoa(line)
	gutter := strings.Repeat(" ", len(num))
	fmt.Fprintf(tw.w, "  %s %s %s\n", tw.style(ansiDim, num), tw.style(ansiDim, "|"), string(text))
	fmt.Fprintf(tw.w, "  %s %s %s%s\n", gutter, tw.style(ansiDim, "|"), pad.String(), tw.style(ansiGreen, strings.Repeat("^", width)))
}

// textFlushSize is how much text the text, compact and GitHub writers
// gather before writing it.
const textFlushSize = 64 << 10

// flushText writes b, made safe for a terminal, once it holds
// textFlushSize bytes, and empties it: the writers call it after each
// finding, so that a report is written as it is made, whole findings at a
// time (terminalSafe reads character by character, so the bytes are those
// of the whole report made safe at once).
func flushText(w io.Writer, b *bytes.Buffer, styles []string) error {
	if b.Len() < textFlushSize {
		return nil
	}
	if _, err := w.Write(terminalSafe(b.Bytes(), styles)); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	b.Reset()
	return nil
}

// fileLines returns the file's lines, read once for the snippets that
// follow one another in it; nil when the file cannot be read.
func (tw *textWriter) fileLines(path string) []string {
	if path == "" {
		return nil
	}
	if path == tw.path {
		return tw.lines
	}
	data, err := os.ReadFile(path)
	var ls []string
	if err == nil {
		data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
		ls = strings.Split(string(data), "\n")
	}
	tw.path, tw.lines = path, ls
	return ls
}

func (tw *textWriter) isSecret(path string) bool {
	p := stripIndexes(path)
	if p == "" {
		return false
	}
	for _, s := range tw.secret {
		// The blamed value is a secret, or holds one (a whole setting).
		if p == s || strings.HasPrefix(s, p+".") || strings.HasPrefix(s, p+"[") || strings.HasPrefix(p, s+".") {
			return true
		}
	}
	return false
}

func (tw *textWriter) diagnostic(d model.Diagnostic) {
	var b strings.Builder
	p := tw.pos(d.Range)
	if d.Range.Start.Line == 0 {
		p = tw.r.locate(d.Range.Filename).display
	}
	if p != "" {
		b.WriteString(tw.style(ansiBold, p) + ": ")
	}
	code := ansiCyan
	switch d.Severity {
	case model.SevError:
		code = ansiBold + ansiRed
	case model.SevWarning:
		code = ansiYellow
	}
	b.WriteString(tw.style(code, d.Severity.String()) + ": " + oneLine(d.Summary) + "\n")
	for _, l := range strings.Split(strings.TrimSpace(d.Detail), "\n") {
		if l = strings.TrimRight(l, " \t\r"); l != "" {
			b.WriteString("    " + l + "\n")
		}
	}
	tw.w.WriteString(b.String())
}

func (tw *textWriter) summary(diags model.Diagnostics) {
	total, by := tw.r.countShown()
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d critical, %d high, %d medium, %d low)",
		plural(total, "finding"), by.Critical, by.High, by.Medium, by.Low)
	if t := tw.r.minSeverity(); t != engine.Low {
		fmt.Fprintf(&b, " at or above %s", t)
	}
	if t := tw.r.threshold(); t != engine.Low {
		fmt.Fprintf(&b, ", %d failing at or above the threshold %s", tw.r.Failures(), t)
	}
	if n := tw.r.unshownFailures(); n > 0 {
		fmt.Fprintf(&b, ", %s below the minimum severity (not shown)", plural(n, "failing finding"))
	}
	fmt.Fprintf(&b, ", %s", plural(tw.r.Stats.Resources, "resource"))
	und := tw.r.undetermined()
	if tw.r.ShowUndetermined {
		fmt.Fprintf(&b, ", %d undetermined", und)
	} else {
		fmt.Fprintf(&b, ", %d undetermined (not shown)", und)
	}
	if n := tw.r.suppressed(); n > 0 {
		if tw.r.ShowSuppressed {
			fmt.Fprintf(&b, ", %d suppressed", n)
		} else {
			fmt.Fprintf(&b, ", %d suppressed (not shown)", n)
		}
	}
	if n := tw.r.Baselined; n > 0 {
		fmt.Fprintf(&b, ", %d in the baseline (not shown)", n)
	}
	errs := 0
	for _, d := range diags {
		if d.Severity == model.SevError {
			errs++
		}
	}
	fmt.Fprintf(&b, ", %s", plural(len(diags), "diagnostic"))
	if errs > 0 {
		fmt.Fprintf(&b, " (%s)", plural(errs, "error"))
	}
	line := b.String()
	if total > 0 {
		line = tw.style(ansiBold, line)
	}
	tw.w.WriteString(line + "\n")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// oneLine keeps a message on one output line.
func oneLine(s string) string {
	if isOneLine(s) {
		return s // most messages: no copy
	}
	return strings.Join(strings.Fields(s), " ")
}

// isOneLine reports whether oneLine would give s back: ASCII whose words
// are separated by single spaces, none leading or trailing.
func isOneLine(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		case c <= '\r' && c >= '\t', c >= utf8.RuneSelf:
			return false
		}
	}
	return true
}

// stripIndexes turns "app_settings[DB_PASSWORD].value" into
// "app_settings[].value".
func stripIndexes(path string) string {
	var b strings.Builder
	depth := 0
	for _, c := range path {
		switch {
		case c == '[':
			if depth == 0 {
				b.WriteRune(c)
			}
			depth++
		case c == ']' && depth > 0:
			depth--
			if depth == 0 {
				b.WriteRune(c)
			}
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// sensitivePaths lists the attribute paths of a function app that hold
// sensitive values, read from the model so new secret fields are covered.
func sensitivePaths() []string {
	one := []*model.Setting{{}}
	app := &model.FunctionApp{}
	app.AppSettings.Items = one
	app.ConnectionStrings.Items = one
	app.Auth.InlineSecrets.Items = one
	var out []string
	model.View(app).Walk(func(path string, n *model.Node) {
		if n.Sensitive {
			out = append(out, stripIndexes(path))
		}
	})
	return out
}
