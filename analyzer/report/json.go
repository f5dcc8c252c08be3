package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// JSONVersion is the version of the JSON format written by WriteJSON.
const JSONVersion = 1

type jsonReport struct {
	Version     int              `json:"version"`
	Tool        jsonTool         `json:"tool"`
	Checks      []string         `json:"checks"`
	Findings    []jsonFinding    `json:"findings"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     jsonSummary      `json:"summary"`
}

type jsonTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"information_uri"`
}

type jsonFinding struct {
	CheckID      string        `json:"check_id"`
	Title        string        `json:"title"`
	Severity     string        `json:"severity"`
	Status       string        `json:"status"`
	Message      string        `json:"message"`
	File         string        `json:"file"`
	Line         int           `json:"line"`
	Column       int           `json:"column"`
	EndLine      *int          `json:"end_line"`
	EndColumn    *int          `json:"end_column"`
	Resource     string        `json:"resource"`
	ResourceType string        `json:"resource_type"`
	Path         string        `json:"path"`
	Origin       string        `json:"origin"`
	Root         string        `json:"root"`
	Apps         []string      `json:"apps"`
	Trail        []jsonHop     `json:"trail"`
	Fingerprint  string        `json:"fingerprint"`
	Related      []jsonRelated `json:"related"`
	Suppression  *jsonIgnore   `json:"suppression"`
	Fix          string        `json:"fix"`    // what `azfuncscan fix` does for it; "" when nothing
	NoFix        string        `json:"no_fix"` // why it has no fix, or what to decide (fix_hint); "" when none
}

// jsonIgnore is the ignore that suppresses a finding.
type jsonIgnore struct {
	Kind          string `json:"kind"` // inSource|external
	Justification string `json:"justification"`
	File          string `json:"file"`
	Line          *int   `json:"line"`
	Expires       string `json:"expires"`
}

// jsonHop is one place of a finding's value trail.
type jsonHop struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	File     string `json:"file"`
	Line     *int   `json:"line"`
	Column   *int   `json:"column"`
}

type jsonSummary struct {
	Threshold         string     `json:"threshold"`
	MinSeverity       string     `json:"min_severity"`
	Findings          int        `json:"findings"`
	Failures          int        `json:"failures"`
	BySeverity        bySeverity `json:"by_severity"`
	Undetermined      int        `json:"undetermined"`
	UndeterminedShown bool       `json:"undetermined_shown"`
	Suppressed        int        `json:"suppressed"`
	Baselined         int        `json:"baselined"`
	Resources         int        `json:"resources"`
	Evaluated         int        `json:"evaluated"`
	Passed            int        `json:"passed"`
	NotApplicable     int        `json:"not_applicable"`
	Checks            int        `json:"checks"`
	Diagnostics       int        `json:"diagnostics"`
	Errors            int        `json:"errors"`
	// Unevaluated is set with --stats only (null otherwise).
	Unevaluated *model.Stats `json:"unevaluated"`
}

// positive returns &n for n > 0, else nil (null in JSON: unknown).
func positive(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}

// end returns the end of a range when it is known and after its start.
func end(r model.Range) (line, col int) {
	sl, sc := position(r.Start)
	if r.End.Line < sl || r.End.Column < 1 || (r.End.Line == sl && r.End.Column < sc) {
		return 0, 0
	}
	return r.End.Line, r.End.Column
}

// WriteJSON writes the report in the JSON format documented in the package
// comment, indented, with a trailing newline.
func WriteJSON(w io.Writer, r *Report) error {
	checks := r.checkByID()
	diags := r.diagnostics()
	out := jsonReport{
		Version:     JSONVersion,
		Tool:        jsonTool{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: r.Tool.InformationURI},
		Checks:      []string{},
		Findings:    []jsonFinding{},
		Diagnostics: make([]jsonDiagnostic, 0, len(diags)),
	}
	for _, c := range r.sortedChecks() {
		out.Checks = append(out.Checks, c.ID)
	}
	for _, d := range diags {
		jd := jsonDiagnostic{
			Severity: d.Severity.String(),
			Summary:  d.Summary,
			Detail:   d.Detail,
			File:     r.locate(d.Range.Filename).display,
		}
		if d.Range.Start.Line > 0 {
			l, c := position(d.Range.Start)
			jd.Line, jd.Column = &l, &c
		}
		if d.Severity == model.SevError {
			out.Summary.Errors++
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	total, by := r.countShown()
	out.Summary.Threshold = string(r.threshold())
	out.Summary.MinSeverity = string(r.minSeverity())
	out.Summary.Findings = total
	out.Summary.Failures = r.Failures()
	out.Summary.BySeverity = by
	out.Summary.Undetermined = r.undetermined()
	out.Summary.UndeterminedShown = r.ShowUndetermined
	out.Summary.Suppressed = r.suppressed()
	out.Summary.Baselined = r.Baselined
	out.Summary.Resources = r.Stats.Resources
	out.Summary.Evaluated = r.Stats.Evaluated
	out.Summary.Passed = r.Stats.Passed
	out.Summary.NotApplicable = r.Stats.NotApplicable
	out.Summary.Checks = len(r.Checks)
	out.Summary.Diagnostics = len(diags)
	out.Summary.Unevaluated = r.Unevaluated
	// The findings are converted and encoded one by one as they are
	// written.
	return encodeStreamedWith(w, out, "findings", r.shown(true), runtime.GOMAXPROCS(0), nil,
		func() struct{} { return struct{}{} },
		func(_ struct{}, f *engine.Finding) any { return r.jsonFinding(f, checks) })
}

// jsonFinding converts a finding for WriteJSON; checks is by id.
func (r *Report) jsonFinding(f *engine.Finding, checks map[string]*engine.Check) jsonFinding {
	line, col := position(f.Range.Start)
	el, ec := end(f.Range)
	jf := jsonFinding{
		CheckID:      f.CheckID,
		Severity:     string(f.Severity),
		Status:       f.Status.String(),
		Message:      f.Message,
		File:         r.locate(f.Range.Filename).display,
		Line:         line,
		Column:       col,
		EndLine:      positive(el),
		EndColumn:    positive(ec),
		Resource:     f.Resource,
		ResourceType: f.ResourceType,
		Path:         f.Path,
		Origin:       f.Origin.String(),
		Root:         f.Root,
		Apps:         nonNil(f.Apps),
		Trail:        []jsonHop{},
		Related:      []jsonRelated{},
		Fingerprint:  f.Fingerprint,
		NoFix:        f.NoFix,
	}
	if f.Fix != nil {
		jf.Fix = f.Fix.Message
	}
	for _, h := range f.Trail {
		l, c := position(h.Range.Start)
		jf.Trail = append(jf.Trail, jsonHop{
			Kind: string(h.Kind), Name: h.Name, File: r.locate(h.Range.Filename).display, Line: l, Column: c,
		})
	}
	if c := checks[f.CheckID]; c != nil {
		jf.Title = c.Title
	}
	for _, rel := range f.Related {
		l, c := position(rel.Range.Start)
		jf.Related = append(jf.Related, jsonRelated{
			File: r.locate(rel.Range.Filename).display, Line: l, Column: c, Message: rel.Message,
		})
	}
	if ig := f.Suppressed; ig != nil {
		js := &jsonIgnore{Kind: ig.Kind(), Justification: oneLine(ig.Reason), File: r.locate(ig.At.Filename).display}
		js.Line = positive(ig.At.Start.Line)
		if !ig.Expires.IsZero() {
			js.Expires = ig.Expires.Format(time.DateOnly)
		}
		jf.Suppression = js
	}
	return jf
}

// encodeStreamed writes v as encodeJSON does, except that the array under
// key, which must be empty in v and the only member named key holding an
// array, is filled with n elements, elem(i) each, encoded and written one
// at a time: the output is the same bytes as encodeJSON's with the array
// filled in v, without building the whole array nor indenting the whole
// document in memory. elem is called from several goroutines at once.
func encodeStreamed(w io.Writer, v any, key string, n int, elem func(i int) any) error {
	return encodeStreamedWith(w, v, key, indices(n), runtime.GOMAXPROCS(0), nil,
		func() struct{} { return struct{}{} },
		func(_ struct{}, i int) any { return elem(i) })
}

// indices yields 0, 1, ... n-1.
func indices(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

// streamChunk is how many elements encodeStreamedWith hands a goroutine
// at a time, at least; maxChunk at most.
const (
	streamChunk = 64
	maxChunk    = 16 * streamChunk
)

// encodedHead is the head of a report already encoded as indentedJSON
// encodes it, for encodeStreamedWith.
type encodedHead []byte

// emptyArray finds the member key of doc, indented JSON, whose value is
// the one empty array ("key": []): at is the offset of its '[', outer
// the indentation of its line (its elements go one level deeper). ok is
// false when doc has no such member, or more than one.
func emptyArray(doc []byte, key string) (at int, outer string, ok bool) {
	marker := []byte(strconv.Quote(key) + ": []")
	i := bytes.Index(doc, marker)
	if i < 0 || bytes.Count(doc, marker) != 1 {
		return 0, "", false
	}
	lineStart := bytes.LastIndexByte(doc[:i], '\n') + 1
	return i + len(marker) - 2, string(doc[lineStart:i]), true
}

// encodeStreamedWith is encodeStreamed of the elements items yields (read
// once, in order, never all held) on workers goroutines, each with
// its own state, made by newState on it: elem(s, x) is called with the
// state of the goroutine it runs on, so a state is used by one goroutine
// at a time (a cache of the file last read, say). The elements are handed
// out in chunks of consecutive ones, encoded in parallel and written in
// order; a chunk ends where same(previous, next) is false (nil: anywhere)
// once it has streamChunk elements, or at maxChunk, so that a group of
// elements (the results of one file) usually goes to one goroutine. Only a
// few chunks per goroutine are held at a time.
func encodeStreamedWith[T, S any](w io.Writer, v any, key string, items iter.Seq[T], workers int, same func(a, b T) bool, newState func() S, elem func(s S, x T) any) error {
	doc, isEncoded := v.(encodedHead)
	if !isEncoded {
		var herr error
		if doc, herr = indentedJSON(v); herr != nil {
			return herr
		}
	}
	at, outer, ok := emptyArray(doc, key)
	if !ok {
		return fmt.Errorf("encode report: no single empty %q array to fill", key)
	}
	inner := outer + "  "
	bw := bufio.NewWriterSize(w, 64<<10)
	_, _ = bw.Write(doc[:at+1]) // up to and with the '['

	type chunk struct {
		first bool // the first elements: no comma before
		items []T
		out   []byte
		err   error
		done  chan struct{}
	}
	workers = max(1, workers)
	queued := make(chan *chunk, 2*workers) // to the writer, in order
	todo := make(chan *chunk)              // to the encoders
	// The buffers of the chunks written, for the encoders to reuse.
	free := make(chan []byte, 3*workers+1)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wrote := false
	wg.Go(func() { // the chunks, in order
		defer close(queued)
		defer close(todo)
		send := func(c *chunk) bool {
			// Queued for the writer before the encoders get it: every
			// chunk the writer waits for is with an encoder, or next.
			for _, ch := range []chan *chunk{queued, todo} {
				select {
				case ch <- c:
				case <-stop:
					return false
				}
			}
			return true
		}
		c := &chunk{first: true, done: make(chan struct{})}
		for x := range items {
			if k := len(c.items); k >= maxChunk || k >= streamChunk && (same == nil || !same(c.items[k-1], x)) {
				if !send(c) {
					return
				}
				c = &chunk{done: make(chan struct{})}
			}
			c.items = append(c.items, x)
			wrote = true
		}
		if len(c.items) > 0 {
			send(c)
		}
	})
	for range workers {
		wg.Go(func() {
			st := newState()
			// Each element is encoded compact, then indented by
			// appendIndented (encoding/json's indentation runs its
			// scanner over every byte), unless it writes itself
			// indented (compactJSON).
			var raw bytes.Buffer
			enc := json.NewEncoder(&raw)
			enc.SetEscapeHTML(false)
			for c := range todo {
				var out []byte
				select {
				case out = <-free:
				default:
				}
				for i, x := range c.items {
					if c.err != nil {
						break
					}
					if i > 0 || !c.first {
						out = append(out, ',')
					}
					out = append(append(out, '\n'), inner...)
					v := elem(st, x)
					if cj, ok := v.(compactJSON); ok {
						mark := len(out)
						if out, ok = cj.appendIndentedJSON(out, inner); ok {
							continue
						}
						out = out[:mark]
						v = cj.fallback()
					}
					raw.Reset()
					if c.err = enc.Encode(v); c.err == nil {
						out = appendIndented(out, bytes.TrimSuffix(raw.Bytes(), []byte("\n")), inner)
					}
				}
				c.out = out
				c.items = nil
				close(c.done)
			}
		})
	}
	var err error
	for c := range queued {
		<-c.done
		if c.err != nil {
			err = fmt.Errorf("encode report: %w", c.err)
			break
		}
		_, _ = bw.Write(c.out)
		select {
		case free <- c.out[:0]:
		default:
		}
		c.out = nil
	}
	close(stop)
	wg.Wait()
	if err != nil {
		return err
	}
	if wrote {
		_, _ = bw.WriteString("\n" + outer)
	}
	_, _ = bw.Write(doc[at+1:]) // the ']' and the rest
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// appendIndented appends to dst the compact JSON src (as encoding/json
// writes it: no white space outside strings) indented as json.Indent
// indents it with prefix and two spaces, and returns the result: the same
// bytes, without running encoding/json's scanner over every byte.
func appendIndented(dst, src []byte, prefix string) []byte {
	depth := 0
	opened := false // after '{' or '[': its line break waits for what follows
	for i := 0; i < len(src); i++ {
		c := src[i]
		if opened {
			opened = false
			if c == '}' || c == ']' { // empty: {} and []
				dst = append(dst, c)
				continue
			}
			depth++
			dst = appendNewline(dst, prefix, depth)
		}
		switch c {
		case '"':
			j := stringEnd(src, i+1)
			dst = append(dst, src[i:j]...)
			i = j - 1
		case '{', '[':
			dst = append(dst, c)
			opened = true
		case ',':
			dst = appendNewline(append(dst, c), prefix, depth)
		case ':':
			dst = append(dst, ':', ' ')
		case '}', ']':
			depth--
			dst = append(appendNewline(dst, prefix, depth), c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// stringEnd returns the index just past the quote that closes the JSON
// string whose contents start at src[from], or len(src).
func stringEnd(src []byte, from int) int {
	j := from
	for {
		q := bytes.IndexByte(src[j:], '"')
		if q < 0 {
			return len(src)
		}
		e := bytes.IndexByte(src[j:j+q], '\\')
		if e < 0 {
			return j + q + 1
		}
		j += e + 2 // past the escaped byte
		if j >= len(src) {
			return len(src)
		}
	}
}

func appendNewline(dst []byte, prefix string, depth int) []byte {
	dst = append(append(dst, '\n'), prefix...)
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}

// indentedJSON is v as an encoding/json Encoder writes it without HTML
// escaping, indented by two spaces, newline-terminated: marshalled
// compact, then indented by appendIndented. The Encoder's own indent
// runs its scanner over every byte once more; on the head of a SARIF
// log (the rules: 330 kB) that was half the cost of writing it, and a
// few milliseconds of every scan.
func indentedJSON(v any) ([]byte, error) {
	b, err := appendIndentedValue(nil, v, "")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// appendIndentedValue appends v as an encoding/json Encoder writes it
// without HTML escaping, indented after prefix by appendIndented.
func appendIndentedValue(dst []byte, v any, prefix string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	compact := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	if dst == nil {
		dst = make([]byte, 0, len(compact)+len(compact)/2)
	}
	return appendIndented(dst, compact, prefix), nil
}

// encodeJSON writes v indented, without HTML escaping, newline-terminated.
func encodeJSON(w io.Writer, v any) error {
	b, err := indentedJSON(v)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
