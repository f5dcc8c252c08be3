package report

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
)

// Spool holds the findings of a scan too large to keep them all in
// memory: they are added a batch at a time (a module's), kept until
// limit of them are waiting, then sorted and written to a file of their
// own (a run) in a temporary directory. The writers read them back in
// order, merging the runs, one finding of each at a time: memory holds
// at most limit findings, whatever the size of the scan. A scan that
// finds fewer than limit never touches the disk.
//
// The order read back is that of a stable sort of the findings, in the
// order they were added, by the report's order: the same as a Report
// with every finding in Findings gives.
type Spool struct {
	limit int
	dir   string   // created with the first run
	runs  []string // run files, in the order written
	buf   []engine.Finding
	n     int
	// What the report's counts need of every finding added, kept in
	// memory (a few bytes each) so that counting reads no run back.
	kinds []kind
	// checks are the ids of the checks of the findings added.
	checks map[string]bool
	err    error
	// noDisk: a run could not be written (no usable temporary
	// directory); the findings stay in memory and Warning says why.
	noDisk error
}

// NewSpool returns a Spool that writes a run when limit findings wait
// (at least 1).
func NewSpool(limit int) *Spool {
	return &Spool{limit: max(1, limit)}
}

// kind is what the report's counts need of a finding: its severity and
// status, and whether an ignore suppresses it.
type kind struct {
	severity   engine.Severity
	status     engine.Status
	suppressed bool
}

// Add adds findings; they are copied.
func (s *Spool) Add(fs []engine.Finding) error {
	if s.checks == nil {
		s.checks = map[string]bool{}
	}
	for i := range fs {
		s.kinds = append(s.kinds, kind{fs[i].Severity, fs[i].Status, fs[i].Suppressed != nil})
		s.checks[fs[i].CheckID] = true
	}
	s.buf = append(s.buf, fs...)
	s.n += len(fs)
	if len(s.buf) >= s.limit {
		return s.flush()
	}
	return nil
}

// Limit returns how many findings wait in memory before a run is written.
func (s *Spool) Limit() int { return s.limit }

// Len returns how many findings were added.
func (s *Spool) Len() int { return s.n }

// onlyChecks reports whether every finding added is of a check in ids.
func (s *Spool) onlyChecks(ids map[string]int) bool {
	for id := range s.checks {
		if _, ok := ids[id]; !ok {
			return false
		}
	}
	return true
}

// Runs returns how many runs were written to disk.
func (s *Spool) Runs() int { return len(s.runs) }

// flush writes the waiting findings as a sorted run. When no run file
// can be created, they stay in memory (see Warning).
func (s *Spool) flush() error {
	if s.err != nil || s.noDisk != nil || len(s.buf) == 0 {
		return s.err
	}
	if s.dir == "" {
		dir, err := os.MkdirTemp("", "azfuncscan-spool-")
		if err != nil {
			s.noDisk = err
			return nil
		}
		s.dir = dir
	}
	ptrs := sortedPointers(s.buf)
	name := filepath.Join(s.dir, "run-"+strconv.Itoa(len(s.runs)))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		s.noDisk = err
		return nil
	}
	rw := newRecordWriter(f)
	for _, p := range ptrs {
		if err = rw.write(p); err != nil {
			break
		}
	}
	if err == nil {
		err = rw.flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.err = fmt.Errorf("spool: %w", err)
		return s.err
	}
	s.runs = append(s.runs, name)
	// The next run reuses the buffer; clearing it lets the collector
	// free what the written findings referred to.
	clear(s.buf)
	s.buf = s.buf[:0]
	return nil
}

// sortedPointers returns pointers to fs, stably sorted.
func sortedPointers(fs []engine.Finding) []*engine.Finding {
	ptrs := make([]*engine.Finding, len(fs))
	for i := range fs {
		ptrs[i] = &fs[i]
	}
	slices.SortStableFunc(ptrs, compareFindings)
	return ptrs
}

// Err returns the first error writing or reading the spool: the
// findings read back are then incomplete.
func (s *Spool) Err() error { return s.err }

// Warning says why findings were kept in memory beyond the limit (no
// temporary file could be created), or is nil.
func (s *Spool) Warning() error { return s.noDisk }

// Close removes the runs.
func (s *Spool) Close() error {
	if s.dir == "" {
		return nil
	}
	err := os.RemoveAll(s.dir)
	s.dir, s.runs = "", nil
	return err
}

// All returns the findings in any order (cheaper than Sorted: no merge).
func (s *Spool) All() iter.Seq[*engine.Finding] {
	return func(yield func(*engine.Finding) bool) {
		for _, name := range s.runs {
			if !s.readRun(name, yield) {
				return
			}
		}
		for i := range s.buf {
			if !yield(&s.buf[i]) {
				return
			}
		}
	}
}

// readRun yields the findings of one run file in order; false when yield
// asked to stop.
func (s *Spool) readRun(name string, yield func(*engine.Finding) bool) bool {
	next, stop := s.open(name)
	defer stop()
	for f := next(); f != nil; f = next() {
		if !yield(f) {
			return false
		}
	}
	return true
}

// open returns a reader of the run file: next gives the following
// finding, nil at the end or on an error (recorded in Err).
func (s *Spool) open(name string) (next func() *engine.Finding, stop func()) {
	f, err := os.Open(name)
	if err != nil {
		s.fail(err)
		return func() *engine.Finding { return nil }, func() {}
	}
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	rr := newRecordReader(f, size)
	done := false
	next = func() *engine.Finding {
		if done {
			return nil
		}
		v, err := rr.next()
		if err != nil {
			done = true
			if !errors.Is(err, io.EOF) {
				s.fail(fmt.Errorf("%s: %w", name, err))
			}
			return nil
		}
		return v
	}
	return next, func() { _ = f.Close() }
}

func (s *Spool) fail(err error) {
	if s.err == nil {
		s.err = fmt.Errorf("spool: %w", err)
	}
}

// Sorted returns the findings in the report's order: the runs and the
// findings still waiting, merged; among equal findings, those added
// first come first.
func (s *Spool) Sorted() iter.Seq[*engine.Finding] {
	return func(yield func(*engine.Finding) bool) {
		type source struct {
			next  func() *engine.Finding
			head  *engine.Finding
			order int // in srcs
		}
		var srcs []*source
		var stops []func()
		defer func() {
			for _, stop := range stops {
				stop()
			}
		}()
		for _, name := range s.runs {
			next, stop := s.open(name)
			stops = append(stops, stop)
			srcs = append(srcs, &source{next: next, head: next()})
		}
		waiting := sortedPointers(s.buf)
		srcs = append(srcs, &source{next: func() *engine.Finding {
			if len(waiting) == 0 {
				return nil
			}
			f := waiting[0]
			waiting = waiting[1:]
			return f
		}})
		last := srcs[len(srcs)-1]
		last.head = last.next()
		// The sources with a finding left, as a heap on their heads: a
		// scan writes dozens of runs, and picking the least head of each
		// by comparing them all cost a compare per run per finding.
		h := mergeHeap[*source]{less: func(a, b *source) bool {
			// Among equal heads the earlier source, added first, wins.
			if c := compareFindings(a.head, b.head); c != 0 {
				return c < 0
			}
			return a.order < b.order
		}}
		for i, src := range srcs {
			src.order = i
			if src.head != nil {
				h.items = append(h.items, src)
			}
		}
		h.init()
		for len(h.items) > 0 {
			best := h.items[0]
			f := best.head
			if best.head = best.next(); best.head == nil {
				h.pop()
			} else {
				h.down(0)
			}
			if !yield(f) {
				return
			}
		}
	}
}

// mergeHeap is a binary min-heap of items ordered by less.
type mergeHeap[T any] struct {
	items []T
	less  func(a, b T) bool
}

func (h *mergeHeap[T]) init() {
	for i := len(h.items)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

// pop removes the least item.
func (h *mergeHeap[T]) pop() {
	n := len(h.items) - 1
	h.items[0] = h.items[n]
	h.items = h.items[:n]
	if n > 0 {
		h.down(0)
	}
}

// down moves item i down to its place.
func (h *mergeHeap[T]) down(i int) {
	for {
		least := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h.items) && h.less(h.items[c], h.items[least]) {
				least = c
			}
		}
		if least == i {
			return
		}
		h.items[i], h.items[least] = h.items[least], h.items[i]
		i = least
	}
}
