package parsers

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

// The walk of a named directory runs in three steps, so that it uses
// every core and still finds the same units, counts and diagnostics, in
// the same order, as a walk of one entry after another: the directories
// are listed in parallel into a tree (walkDir) that keeps each
// directory's entries in order; the files found are offered to the
// handlers in parallel (claim, which may read a file's head); then the
// tree is replayed in order on one goroutine, registering the units and
// diagnostics (register, replay).

// walkDir is one directory listed by the walk: the error listing it and,
// in the order of its entries, what the walk does with each.
type walkDir struct {
	path  string
	err   error // from os.ReadDir; the entries read before it are walked
	steps []walkStep
}

// walkStep is one entry of a listed directory: a directory to walk, a
// file to offer the handlers, or a diagnostic (a link not followed).
type walkStep struct {
	sub   *walkDir
	file  string
	diag  *model.Diagnostic
	claim claim // file's, once claimed
}

// claim is which handler claimed a file (-1: none) and the unit it
// belongs to, as found and absolute.
type claim struct {
	h         int
	unit, key string
	// src is the file's contents when the claim read it whole and its
	// handler loads a unit of the file alone (handler.holds).
	src []byte
}

// walk walks one named directory.
func (w *walker) walk(ctx context.Context, root string) {
	top := &walkDir{path: root}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	g.Go(func() error {
		w.listTree(ctx, &g, top)
		return nil
	})
	_ = g.Wait() // the goroutines never fail; problems are steps

	var files []*walkStep
	collectFiles(top, &files)
	var next atomic.Int64
	var claims errgroup.Group
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		claims.Go(func() error {
			for i := next.Add(1) - 1; int(i) < len(files) && ctx.Err() == nil; i = next.Add(1) - 1 {
				files[i].claim = w.claim(files[i].file)
			}
			return nil
		})
	}
	_ = claims.Wait()
	if ctx.Err() != nil {
		return // the load reports the cancellation
	}
	w.replay(top)
}

// listTree lists d and, on other goroutines while g has room (else on
// this one), the directories below it.
func (w *walker) listTree(ctx context.Context, g *errgroup.Group, d *walkDir) {
	for _, sub := range w.list(ctx, d) {
		if !g.TryGo(func() error {
			w.listTree(ctx, g, sub)
			return nil
		}) {
			w.listTree(ctx, g, sub)
		}
	}
}

// list reads one directory into d.steps and returns the directories below
// it to walk. It may run in parallel with other lists.
func (w *walker) list(ctx context.Context, d *walkDir) []*walkDir {
	if ctx.Err() != nil {
		return nil
	}
	entries, err := os.ReadDir(d.path)
	d.err = err // ReadDir returns what it read before the error; walk that.
	var subs []*walkDir
	tf, js := false, false
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(d.path, name)
		tf = tf || terraform.IsConfigFile(name)
		js = js || isJSONName(name)
		if w.skip != nil && w.skip(p) {
			continue
		}
		switch {
		case e.IsDir():
			if !skipDir(name) {
				sub := &walkDir{path: p}
				d.steps = append(d.steps, walkStep{sub: sub})
				subs = append(subs, sub)
			}
		case e.Type()&os.ModeSymlink != 0:
			if s, ok := w.link(p); ok {
				d.steps = append(d.steps, s)
			}
		case e.Type().IsRegular():
			d.steps = append(d.steps, walkStep{file: p})
		}
	}
	if err == nil && (tf || js) {
		// The Terraform loader lists this directory again otherwise
		// (for module calls, files and variables files), and the ARM
		// loader looks for each template's parameter files and .bicep
		// source in it. Listings kept only for JSON are bounded: a tree
		// of many directories of other JSON keeps no more.
		if key, kerr := w.abs(d.path); kerr == nil {
			w.mu.Lock()
			if tf || w.jsonListed < w.maxJSON {
				w.listed[key] = entries
				if !tf {
					w.jsonListed++
				}
			}
			w.mu.Unlock()
		}
	}
	return subs
}

// maxJSONListings bounds the listings the walk keeps for directories that
// hold JSON files but no Terraform configuration (a few hundred bytes
// each); the loaders list the others themselves.
const maxJSONListings = 1 << 14

// isJSONName reports whether a file name ends in .json or .jsonc, in any
// case: a possible ARM template or parameter file.
func isJSONName(name string) bool {
	n := len(name)
	return n > 5 && strings.EqualFold(name[n-5:], ".json") || n > 6 && strings.EqualFold(name[n-6:], ".jsonc")
}

// listing returns a directory's entries as the walk listed them (see
// terraform.Options.ListDir).
func (w *walker) listing(dir string) ([]os.DirEntry, bool) {
	entries, ok := w.listed[dir]
	return entries, ok
}

// link decides what the walk does with a symbolic link: nothing (ok
// false), a diagnostic, or a file to offer the handlers. Links to
// directories are never followed: no loops, and no scanning of trees
// outside the ones named.
func (w *walker) link(p string) (walkStep, bool) {
	fi, err := os.Stat(p)
	if !w.follow {
		if err == nil && fi.IsDir() {
			return walkStep{}, false
		}
		// A Terraform directory's files are read by its loader, which
		// reads links within the scanned directories (as Terraform
		// does) and reports those leading outside; any other link is
		// left out, saying so.
		if !terraform.IsDirFile(filepath.Base(p)) {
			return diagStep(model.SevInfo, p, "Symbolic link not followed", filepath.ToSlash(p)+" is a symbolic link; links are not followed unless --follow-symlinks."), true
		}
		return walkStep{}, false
	}
	switch {
	case err != nil:
		return diagStep(model.SevWarning, p, "cannot follow symbolic link", err.Error()), true
	case !fi.Mode().IsRegular():
		return walkStep{}, false
	case len(w.within) > 0 && !source.Within(p, w.within) && !terraform.IsDirFile(filepath.Base(p)):
		// (A Terraform directory's loader reports its own.)
		return diagStep(model.SevWarning, p, "File outside the scanned directories",
			filepath.ToSlash(p)+" is a symbolic link to a file outside the scanned directories and their repository; it was not read (--allow-outside reads it)."), true
	default:
		return walkStep{file: p}, true
	}
}

func diagStep(sev model.Severity, path, summary, detail string) walkStep {
	return walkStep{diag: &model.Diagnostic{
		Severity: sev,
		Summary:  summary,
		Detail:   detail,
		Range:    model.Range{Filename: filepath.ToSlash(path)},
	}}
}

// collectFiles appends the file steps of the tree below d, in walk order.
func collectFiles(d *walkDir, out *[]*walkStep) {
	for i := range d.steps {
		s := &d.steps[i]
		switch {
		case s.sub != nil:
			collectFiles(s.sub, out)
		case s.file != "":
			*out = append(*out, s)
		}
	}
}

// replay registers, in walk order, what the listing and claiming found.
func (w *walker) replay(d *walkDir) {
	if d.err != nil {
		w.diag(model.SevError, d.path, "cannot read directory", d.err.Error())
	}
	for i := range d.steps {
		s := &d.steps[i]
		switch {
		case s.sub != nil:
			w.replay(s.sub)
		case s.diag != nil:
			w.diags = append(w.diags, *s.diag)
		default:
			w.register(s.claim)
		}
	}
}

// claim offers one file to the handlers; the first that claims it wins.
// It may run in parallel with other claims.
func (w *walker) claim(p string) claim {
	var head, whole []byte
	read := false
	sniff := func() []byte {
		if !read {
			read = true
			head, whole = w.readHead(p)
		}
		return head
	}
	for i := range w.handlers {
		up, ok := w.handlers[i].unit(p, sniff)
		if !ok {
			continue
		}
		key, err := w.abs(up)
		if err != nil {
			key = up
		}
		c := claim{h: i, unit: up, key: key}
		if whole != nil && w.handlers[i].holds && up == p && w.hold(len(whole)) {
			c.src = whole
		}
		return c
	}
	return claim{h: -1}
}

// The walk reads the first bytes of a file whose name does not say what
// it is (JSON) for the handlers to sniff, and its load reads the file
// again, whole. System calls dominate both reads of a small file (open,
// stat, read, close: 10-30 µs each on the VM measured, strace -c), so
// a claim reads a file of at most holdMax bytes whole, and keeps the
// contents for its load while the walk has kept less than holdBudget in
// all: past that, heads are read as before and files read at their
// load. The contents are dropped as each unit loads.
const (
	holdMax    = 64 << 10
	holdBudget = 16 << 20
)

// readHead reads the head of the file at p for the handlers (what
// readHead gives) and, while holding is possible (disk reads, budget
// left), the whole file when it has at most holdMax bytes (else nil).
func (w *walker) readHead(p string) (head, whole []byte) {
	if w.read != nil || w.holdLeft.Load() <= 0 {
		return readHead(w.read, p), nil
	}
	b, err := source.Read(nil, p, holdMax)
	if err != nil {
		return nil, nil
	}
	if len(b) <= holdMax {
		whole = b
	}
	return b[:min(len(b), sniffSize)], whole
}

// hold takes n bytes of the budget for contents kept for a unit's load:
// false when not that much is left.
func (w *walker) hold(n int) bool {
	if w.holdLeft.Add(-int64(n)) >= 0 {
		return true
	}
	w.holdLeft.Add(int64(n))
	return false
}

// register counts a claimed file and adds its unit, once.
func (w *walker) register(c claim) {
	if c.h < 0 {
		return
	}
	w.claimed++
	h := &w.handlers[c.h]
	id := string(h.format) + "\x00" + c.key
	if _, seen := w.units[id]; !seen {
		w.units[id] = &unit{h: h, path: c.unit, key: c.key, src: c.src}
	}
}

// abs is filepath.Abs with the working directory looked up once.
func (w *walker) abs(p string) (string, error) {
	if filepath.IsAbs(p) {
		return filepath.Clean(p), nil
	}
	if w.wdErr != nil {
		return "", w.wdErr
	}
	return filepath.Join(w.wd, p), nil
}
