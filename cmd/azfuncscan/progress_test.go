package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

func TestProgressShownOnlyAfterTheDelayAndErased(t *testing.T) {
	var buf bytes.Buffer
	start, tick := make(chan time.Time), make(chan time.Time)
	p := startProgressOn(&buf, start, tick)
	p.set("loading", 1, 3)
	// The channels are unbuffered: a send returns once the drawing
	// goroutine has taken it, and it draws after each before it can take
	// the next. So the first tick is taken once "loading" is drawn; the
	// draw after the last tick comes after the phase changed, and end
	// waits for it.
	start <- time.Time{}
	tick <- time.Time{}
	p.set("checking", 12, 13)
	tick <- time.Time{}
	p.end()
	p.end() // again: nothing more
	out := buf.String()
	for _, want := range []string{"\razfuncscan: loading 1/3", "\razfuncscan: checking 12/13"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
	// The line is erased: the output ends with spaces over the longest
	// line, back at its start.
	if erase := "\r" + strings.Repeat(" ", len("azfuncscan: checking 12/13")) + "\r"; !strings.HasSuffix(out, erase) {
		t.Errorf("output %q does not end by erasing the line", out)
	}

	// A scan that ends before the delay shows nothing.
	buf.Reset()
	p = startProgressOn(&buf, make(chan time.Time), make(chan time.Time))
	p.set("loading", 1, 1)
	p.end()
	if buf.Len() != 0 {
		t.Errorf("a fast scan wrote %q", buf.String())
	}
	// The real timers: a delay of an hour is not reached by a scan
	// that ends at once.
	p = startProgress(&buf, true, time.Hour, time.Millisecond)
	p.set("loading", 1, 1)
	p.end()
	if buf.Len() != 0 {
		t.Errorf("a fast scan wrote %q", buf.String())
	}
	// Off: a nil progress does nothing.
	p = startProgress(&buf, false, 0, time.Millisecond)
	p.set("loading", 1, 1)
	p.end()
	if p != nil || buf.Len() != 0 {
		t.Errorf("progress off wrote %q", buf.String())
	}
}

// Progress is for people: never with a machine-readable format, never
// when stderr is not a terminal (a buffer, a pipe, a file).
func TestProgressOnlyOnATerminalWithText(t *testing.T) {
	tty := &env{progress: true}
	if !tty.progressOn(report.FormatText) || tty.progressOn(report.FormatJSON) || tty.progressOn(report.FormatSARIF) {
		t.Error("with a terminal: progress must be on for text only")
	}
	if (&env{}).progressOn(report.FormatText) {
		t.Error("without a terminal: progress must be off")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = r.Close(); _ = w.Close() }()
	f, err := os.Create(t.TempDir() + "/stderr.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	for _, out := range []io.Writer{&bytes.Buffer{}, w, f} {
		if isTerminal(out) {
			t.Errorf("%T is taken for a terminal", out)
		}
	}
	// The CLI run by the tests writes to buffers: never progress.
	_, _, stderr := cli(t, "scan", "--no-color", insecure)
	if strings.Contains(stderr, "azfuncscan: loading") || strings.Contains(stderr, "\r") {
		t.Errorf("stderr %q", stderr)
	}
}
