package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

// Progress on a terminal: a scan that takes longer than progressDelay shows
// one status line on stderr ("azfuncscan: loading 12/40 inputs"), redrawn
// in place and erased when the scan ends. Never when stderr is not a
// terminal, and never with a machine-readable report format.
const (
	progressDelay = time.Second
	progressEvery = 200 * time.Millisecond
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressOn reports whether a scan writing the report in format shows
// progress: only a text report, and only with stderr on a terminal.
func (e *env) progressOn(format report.Format) bool {
	return e.progress && format == report.FormatText
}

// progress draws the status line. A nil *progress draws nothing.
type progress struct {
	w io.Writer
	// start fires once when the line is first drawn; tick when it is
	// redrawn. Tests drive both by hand.
	start, tick <-chan time.Time

	mu          sync.Mutex
	phase       string
	done, total int
	drawn       int // length of the line on screen; 0 when none
	stop        chan struct{}
	stopped     chan struct{}
	ending      sync.Once
}

// startProgress starts drawing on w after delay, every every; it returns
// nil when progress is off.
func startProgress(w io.Writer, on bool, delay, every time.Duration) *progress {
	if !on {
		return nil
	}
	t := time.NewTicker(every)
	p := startProgressOn(w, time.After(delay), t.C)
	go func() { <-p.stopped; t.Stop() }()
	return p
}

// startProgressOn starts drawing on w when start fires, and again on
// every tick.
func startProgressOn(w io.Writer, start, tick <-chan time.Time) *progress {
	p := &progress{w: w, start: start, tick: tick, stop: make(chan struct{}), stopped: make(chan struct{})}
	go p.run()
	return p
}

func (p *progress) run() {
	defer close(p.stopped)
	select {
	case <-p.stop:
		return
	case <-p.start:
	}
	for {
		p.draw()
		select {
		case <-p.stop:
			return
		case <-p.tick:
		}
	}
}

// set records what the scan is doing: phase, done of total.
func (p *progress) set(phase string, done, total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.phase, p.done, p.total = phase, done, total
	p.mu.Unlock()
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.phase == "" {
		return
	}
	line := fmt.Sprintf("azfuncscan: %s %d/%d", p.phase, p.done, p.total)
	pad := max(0, p.drawn-len(line))
	// A terminal that cannot be written to loses only the status line.
	_, _ = fmt.Fprintf(p.w, "\r%s%*s", line, pad, "")
	p.drawn = len(line)
}

// end stops drawing and erases the line; it is called before the report
// is written, and may be called again.
func (p *progress) end() {
	if p == nil {
		return
	}
	p.ending.Do(func() { close(p.stop) })
	<-p.stopped
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn > 0 {
		_, _ = fmt.Fprintf(p.w, "\r%*s\r", p.drawn, "")
		p.drawn = 0
	}
}
