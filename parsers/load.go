package parsers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/trace"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
	"github.com/azfuncscan/azfuncscan/parsers/bicepcli"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
	"github.com/azfuncscan/azfuncscan/parsers/pulumi"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

// Options tune how inputs are loaded.
type Options struct {
	// Terraform is passed to every Terraform module (-var-file, -var).
	Terraform terraform.Options
	// ARM is passed to every ARM template (--arm-parameters).
	ARM arm.Options
	// Skip, when set, leaves out the files and directories met while
	// walking (not the paths named) for which it returns true: the
	// configuration's skip-paths. It is given the path as walked. It is
	// called from several goroutines.
	Skip func(path string) bool
	// AllowOutside lets Terraform module calls, and symbolic links to
	// files, read outside the paths named and their repositories (see
	// scanRoots); by default they are not read, with a diagnostic.
	AllowOutside bool
	// FollowSymlinks lets the walk follow symbolic links to files (never
	// to directories: no loops); by default a link met while walking is
	// left out with an info diagnostic. Links named as paths are always
	// followed.
	FollowSymlinks bool
	// Limits bound what one input may cost: nesting depth, file size,
	// instances, evaluation work and diagnostics per file (zero: the
	// defaults of package limits).
	Limits limits.Limits
	// Changed, when not nil, are files (absolute, clean paths) a change
	// touched, as a pre-commit hook names them: Load then loads only the
	// units found below the paths that read one of them, whole (see
	// changed.go). Callers name the repository root as the path, so that
	// the roots calling a changed module are found.
	Changed []string
	// ReadFile, when set, reads every input file in place of the disk
	// (sniffing included): a language server passes the editor's unsaved
	// buffers over the files. It is handed to each parser; directories
	// are still listed from disk. It is called from several goroutines.
	ReadFile func(path string) ([]byte, error)
	// held is the contents of the unit being loaded, when the walk read
	// it whole (unit.src): set by loadUnit for the handler's load.
	held []byte
	// Bicep, when set (scan --bicep), compiles the .bicep entry files
	// that have no compiled template beside them with the Bicep CLI (see
	// bicep.go); when its CLI was not found, one warning names the files
	// left out. Nil: such files are not scanned, and a note says so.
	Bicep *bicepcli.Compiler
	// Progress, when set, is called after each unit (a Terraform root,
	// a template, a stack export) is loaded, with how many are loaded and
	// how many there are. It is called from several goroutines.
	Progress func(done, total int)
}

// Result is everything found below the scanned paths.
type Result struct {
	// Modules are sorted by path, then format.
	Modules []*model.Module
	// Diagnostics holds problems met while walking (unreadable entries)
	// followed by each module's diagnostics, in module order.
	Diagnostics model.Diagnostics
	// Inputs counts the files below the paths that are inputs of some
	// format; Units the units (Terraform modules, templates, stacks)
	// loaded from them. Zero Inputs means nothing that could be scanned
	// was found.
	Inputs, Units int
}

// sniffSize is how much of a file a handler may look at to recognise it.
const sniffSize = 8 << 10

// handler is one input format: which unit a file belongs to and how a unit
// is loaded.
type handler struct {
	format model.Format
	// unit returns the unit path (a directory or a file) that path belongs
	// to, or ok false when path is not an input of this format. head
	// returns the file's first bytes (nil if unreadable); it reads the file
	// on first use only, so handlers that go by name cost nothing.
	unit func(path string, head func() []byte) (unit string, ok bool)
	// load parses one unit. Problems in the input are diagnostics; what
	// can be read is still returned.
	load loadFunc
	// prepare, when set, is given every unit of the handler (sorted)
	// before any is loaded and returns the units to load, the function
	// that loads them, optionally the directories (absolute) each kept
	// unit reads, and notes about what it leaves out. Terraform uses it
	// to skip directories that other scanned directories call as
	// modules, and to parse every file once; Bicep to keep the entry
	// files.
	prepare func(ctx context.Context, units []string, opts Options) prepared
	// affects, when set, reports whether a change of the files c (see
	// Options.Changed) may change what the unit u reports; without it, a
	// unit is affected when it is one of the files.
	affects func(u *unit, c *changes, opts Options) bool
	// replaces, when set, returns the unit (an absolute path) of the same
	// format that a unit of this handler makes redundant: a plan file
	// replaces the Terraform directory beside it, whose .tf files then
	// only locate the plan's findings.
	replaces func(unit string) string
	// holds: a unit of this handler is one file, which its load reads
	// from Options.held when set (the claim read it whole).
	holds bool
}

// prepared is what a handler's prepare decided: the units to load, the
// function that loads them (nil: the handler's load), optionally the
// directories (absolute) each kept unit reads, and notes about what is
// left out.
type prepared struct {
	keep  []string
	load  loadFunc
	reads func(unit string) []string
	notes model.Diagnostics
}

// loadFunc parses one unit. Problems in the input are diagnostics; what
// can be read is still returned.
type loadFunc func(ctx context.Context, unit string, opts Options) (*model.Module, model.Diagnostics)

// handlers lists the formats Load knows, in the order they claim files.
func handlers() []handler {
	return []handler{
		{
			format: model.Terraform,
			unit: func(path string, _ func() []byte) (string, bool) {
				// .tf, .tf.json and OpenTofu's .tofu and .tofu.json: a
				// directory of .tofu files alone is a module too.
				if terraform.IsConfigFile(filepath.Base(path)) {
					return filepath.Dir(path), true
				}
				return "", false
			},
			load: func(ctx context.Context, dir string, opts Options) (*model.Module, model.Diagnostics) {
				return terraform.LoadDir(ctx, dir, opts.terraform())
			},
			prepare: func(ctx context.Context, dirs []string, opts Options) prepared {
				l := terraform.NewLoader(opts.terraform())
				return prepared{keep: l.Roots(ctx, dirs), load: func(ctx context.Context, dir string, _ Options) (*model.Module, model.Diagnostics) {
					return l.Load(ctx, dir)
				}, reads: l.Reads}
			},
			affects: terraformAffected,
		},
		{
			// A Terraform plan in JSON form (terraform show -json): each
			// plan file is its own unit. Other JSON is left to other
			// handlers; only the top level of the first bytes is read.
			format: model.Terraform,
			unit: func(path string, head func() []byte) (string, bool) {
				return path, strings.EqualFold(filepath.Ext(path), ".json") && terraform.IsPlanJSON(head())
			},
			load: func(ctx context.Context, path string, opts Options) (*model.Module, model.Diagnostics) {
				return terraform.LoadPlanWith(ctx, path, opts.terraform())
			},
			replaces: filepath.Dir,
			affects:  planAffected,
		},
		{
			// An ARM template (hand-written or compiled from Bicep): a
			// .json or .jsonc file whose top-level $schema is a
			// deployment template. Parameter files and other JSON are
			// left alone; only the top level of the first bytes is read.
			format: model.ARM,
			unit: func(path string, head func() []byte) (string, bool) {
				ext := strings.ToLower(filepath.Ext(path))
				return path, (ext == ".json" || ext == ".jsonc") && arm.IsTemplate(head())
			},
			load: func(ctx context.Context, path string, opts Options) (*model.Module, model.Diagnostics) {
				a := opts.ARM
				a.ReadFile = opts.ReadFile
				a.Source = opts.held
				a.Limits = opts.Limits
				a.Within = opts.Terraform.Within
				return arm.LoadFile(ctx, path, a)
			},
			affects: armAffected,
			holds:   true,
		},
		{
			// A Bicep file: scanned through its compiled template when
			// one is beside it (the row above), else, with --bicep, an
			// entry file compiled by the Bicep CLI (bicep.go).
			format: model.ARM,
			unit: func(path string, _ func() []byte) (string, bool) {
				return path, strings.EqualFold(filepath.Ext(path), ".bicep")
			},
			prepare: prepareBicep,
			load:    loadBicepEntry,
			affects: func(_ *unit, c *changes, _ Options) bool { return c.bicep },
		},
		{
			// A Pulumi stack export (pulumi stack export), any file name:
			// a top-level "version": 3 and a deployment.
			format: model.Pulumi,
			unit: func(path string, head func() []byte) (string, bool) {
				return path, pulumi.IsStackExport(head())
			},
			load: func(ctx context.Context, path string, opts Options) (*model.Module, model.Diagnostics) {
				return pulumi.LoadFileWith(ctx, path, pulumi.Options{ReadFile: opts.ReadFile, Source: opts.held, Limits: opts.Limits})
			},
			holds: true,
		},
	}
}

// terraform returns the Terraform options with ReadFile.
func (o *Options) terraform() terraform.Options {
	t := o.Terraform
	t.ReadFile = o.ReadFile
	t.Limits = o.Limits
	return t
}

// unit is one thing to load: a Terraform directory, a template file.
type unit struct {
	h    *handler
	path string   // as found, OS separators
	key  string   // absolute path, for de-duplication
	load loadFunc // set by the handler's prepare; else h.load
	// reads are the directories (absolute) the unit reads, when the
	// handler's prepare says (a Terraform root's module tree).
	reads []string
	// src is the unit's file as its claim read it (see holdMax), for
	// its load; nil once loaded, or when it is read at its load.
	src []byte
}

// skipDir reports whether the walk should not descend into a directory
// called name (the named roots themselves are always walked).
func skipDir(name string) bool {
	switch name {
	case ".git", ".terraform", "node_modules":
		return true
	}
	return strings.HasPrefix(name, ".") && name != "." && name != ".."
}

// walker collects the units below the named paths.
type walker struct {
	handlers []handler
	units    map[string]*unit // by format + key
	claimed  int              // files claimed by a handler, duplicates included
	diags    model.Diagnostics

	skip func(string) bool // Options.Skip
	read source.Func       // Options.ReadFile
	// holdLeft is what is left of holdBudget (see claim).
	holdLeft atomic.Int64
	follow   bool // Options.FollowSymlinks
	// within, when set, are the directories (absolute) a followed link
	// may lead to (Options.AllowOutside unset).
	within []string
	// wd is the working directory, looked up once for the absolute
	// paths of the units (filepath.Abs looks it up at every call);
	// wdErr the error looking it up.
	wd    string
	wdErr error

	// listed are the listings of the directories walked that hold
	// Terraform configuration files, by absolute path, for the
	// Terraform loader (terraform.Options.ListDir): names and types
	// only. Written by the walk's workers, read only after it.
	mu     sync.Mutex
	listed map[string][]os.DirEntry
	// jsonListed counts the listings kept for JSON files alone, at most
	// maxJSON (maxJSONListings).
	jsonListed, maxJSON int
}

// newWalker returns a walker for opts (Within already set).
func newWalker(opts Options) *walker {
	w := &walker{handlers: handlers(), units: map[string]*unit{}, skip: opts.Skip, read: opts.ReadFile,
		follow: opts.FollowSymlinks, within: opts.Terraform.Within, listed: map[string][]os.DirEntry{}, maxJSON: maxJSONListings}
	w.wd, w.wdErr = os.Getwd()
	w.holdLeft.Store(holdBudget)
	return w
}

// Load finds the inputs below paths (files or directories), parses every
// unit in parallel and returns the modules in a deterministic order. A path
// that does not exist is an error; problems inside the inputs are
// diagnostics.
func Load(ctx context.Context, paths []string, opts Options) (*Result, error) {
	var mods []*model.Module
	res, err := Stream(ctx, paths, opts, func(m *model.Module) error {
		mods = append(mods, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Modules = mods
	return res, nil
}

// Stream loads what Load loads but hands each module to each, in Load's
// order, as soon as it and every module before it are loaded, and keeps
// none of them: only the modules being loaded or waiting for an earlier
// one (a few per core) are held at a time, so memory is bounded by the
// largest modules rather than by the number of inputs. each runs on the
// caller's goroutine; an error from it stops the load and is returned.
// The Result's Modules is empty.
func Stream(ctx context.Context, paths []string, opts Options, each func(*model.Module) error) (*Result, error) {
	return StreamMap(ctx, paths, opts, func(m *model.Module) *model.Module { return m }, each)
}

// StreamMap is Stream with a step run where the modules are loaded: work
// is given each module as soon as it is loaded, on the loading goroutine
// (in parallel with the loading and the work of other modules, so it must
// be safe for concurrent use), and each is given work's results in Load's
// order on the caller's goroutine. A module is dropped as soon as work
// returns: only work's results wait for an earlier module. A unit that
// gives no module (only diagnostics) reaches neither work nor each.
func StreamMap[T any](ctx context.Context, paths []string, opts Options, work func(*model.Module) T, each func(T) error) (*Result, error) {
	if opts.Terraform.Within == nil && !opts.AllowOutside {
		opts.Terraform.Within = scanRoots(paths)
	}
	if opts.Terraform.ScanBudget == nil {
		opts.Terraform.ScanBudget = limits.NewBudget(opts.Limits)
	}
	w := newWalker(opts)
	// Regions of an execution trace (scan --trace): the walk and the
	// handlers' prepare run before any unit loads.
	region := trace.StartRegion(ctx, "walk")
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			region.End()
			return nil, fmt.Errorf("load: %w", err)
		}
		if err := w.root(ctx, p); err != nil {
			region.End()
			return nil, err
		}
	}
	region.End()

	if opts.Terraform.ListDir == nil {
		opts.Terraform.ListDir = w.listing
	}
	if opts.ARM.ListDir == nil {
		opts.ARM.ListDir = w.listing
	}
	if opts.ARM.Exprs == nil {
		opts.ARM.Exprs = armexpr.NewParseCache()
	}

	units := make([]*unit, 0, len(w.units))
	for _, u := range w.units {
		units = append(units, u)
	}
	slices.SortFunc(units, func(a, b *unit) int {
		return cmp.Or(
			cmp.Compare(filepath.ToSlash(a.path), filepath.ToSlash(b.path)),
			cmp.Compare(a.h.format, b.h.format),
			cmp.Compare(a.key, b.key),
		)
	})
	region = trace.StartRegion(ctx, "prepare units")
	units = w.prepareUnits(ctx, units, opts)
	region.End()
	units = w.dropReplaced(units)
	if opts.Changed != nil {
		units = affectedUnits(units, opts)
	}

	res := &Result{Diagnostics: w.diags, Inputs: w.claimed, Units: len(units)}
	// A file shared by several roots (a module two stacks call) reports
	// its problems once.
	seen := map[string]bool{}
	err := loadUnits(ctx, units, opts, work, func(v T, ok bool, diags model.Diagnostics) error {
		if ok {
			if err := each(v); err != nil {
				return err
			}
		}
		for _, d := range diags.MergeIdentical() {
			key := fmt.Sprintf("%d|%s|%s|%s", d.Severity, d.Summary, d.Range.String(), d.Detail)
			if !seen[key] {
				seen[key] = true
				res.Diagnostics = append(res.Diagnostics, d)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Diagnostics = capPerFile(res.Diagnostics, opts.Limits.MaxDiagnosticsPerFile())
	return res, nil
}

// scanRoots returns the directories Terraform module calls may read by
// default: the repository (the nearest directory holding .git) of each
// path named, or the path itself (a file's directory) outside one.
func scanRoots(paths []string) []string {
	var out []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
			abs = filepath.Dir(abs)
		}
		root := abs
		for d := abs; ; d = filepath.Dir(d) {
			if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
				root = d
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
		out = append(out, root)
	}
	return out
}

// MaxDiagnosticsPerFile bounds the diagnostics reported for one file by
// default (Limits.DiagnosticsPerFile): a file that is not what its name
// says (a binary named .tf) would otherwise bury every other message
// under tens of thousands of syntax errors.
const MaxDiagnosticsPerFile = limits.DiagnosticsPerFile

// capPerFile keeps the first max diagnostics of each file, in order, and
// puts in place of the rest one saying how many were left out.
func capPerFile(diags model.Diagnostics, maxPerFile int) model.Diagnostics {
	count := map[string]int{}
	for _, d := range diags {
		count[d.Range.Filename]++
	}
	out := make(model.Diagnostics, 0, len(diags))
	kept := map[string]int{}
	for _, d := range diags {
		f := d.Range.Filename
		if f == "" || count[f] <= maxPerFile {
			out = append(out, d)
			continue
		}
		kept[f]++
		switch {
		case kept[f] < maxPerFile:
			out = append(out, d)
		case kept[f] == maxPerFile:
			out = append(out, model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  fmt.Sprintf("%d more problems in this file", count[f]-maxPerFile+1),
				Detail:   fmt.Sprintf("%s has %d diagnostics; only the first %d are shown (--max-diagnostics-per-file).", f, count[f], maxPerFile-1),
				Range:    model.Range{Filename: f, Start: d.Range.Start, End: d.Range.Start},
			})
		}
	}
	return out
}

// dropReplaced removes the units that other units replace (see
// handler.replaces), saying so in an info diagnostic: loading both would
// report every finding twice.
func (w *walker) dropReplaced(units []*unit) []*unit {
	by := map[string]*unit{}
	for _, u := range units {
		if u.h.replaces == nil {
			continue
		}
		if k := u.h.replaces(u.key); by[k] == nil {
			by[k] = u
		}
	}
	if len(by) == 0 {
		return units
	}
	out := make([]*unit, 0, len(units))
	for _, u := range units {
		if r := by[u.key]; r != nil && r != u && r.h.format == u.h.format {
			w.diag(model.SevInfo, u.path, "analysed through a plan",
				filepath.ToSlash(u.path)+" is analysed through "+filepath.ToSlash(r.path)+"; its files locate the findings.")
			continue
		}
		out = append(out, u)
	}
	return out
}

// prepareUnits lets each handler with a prepare function choose which of
// its units to load and how; the order of units is kept.
func (w *walker) prepareUnits(ctx context.Context, units []*unit, opts Options) []*unit {
	var hs []*handler
	seen := map[*handler]bool{}
	for _, u := range units {
		if u.h.prepare != nil && !seen[u.h] {
			seen[u.h] = true
			hs = append(hs, u.h)
		}
	}
	for _, h := range hs {
		var paths []string
		for _, u := range units {
			if u.h == h {
				paths = append(paths, u.path)
			}
		}
		p := h.prepare(ctx, paths, opts)
		w.diags = append(w.diags, p.notes...)
		load, reads := p.load, p.reads
		if load == nil {
			load = h.load
		}
		kept := map[string]bool{}
		for _, p := range p.keep {
			kept[p] = true
		}
		out := make([]*unit, 0, len(units))
		for _, u := range units {
			switch {
			case u.h != h:
				out = append(out, u)
			case kept[u.path]:
				u.load = load
				if reads != nil {
					u.reads = reads(u.path)
				}
				out = append(out, u)
			}
		}
		units = out
	}
	return units
}

// root walks one named path. Symbolic links named on the command line are
// followed; links met while walking are followed to files only, with
// Options.FollowSymlinks, and only to files within the scanned roots
// unless Options.AllowOutside. A named
// path that does not exist or cannot be read is an error: a scan must not
// pass because it read nothing there. (Entries below it that cannot be
// read are diagnostics.)
func (w *walker) root(ctx context.Context, p string) error {
	p = filepath.Clean(p)
	fi, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("scan path: %w", err)
	}
	if (w.read == nil && fi.Mode().IsRegular()) || fi.IsDir() {
		// A language server's ReadFile may serve files that are not on
		// disk yet; without one, named paths are read from disk.
		if err := readable(p, fi.IsDir()); err != nil {
			return fmt.Errorf("scan path: %w", err)
		}
	}
	before := w.claimed
	if fi.IsDir() {
		w.walk(ctx, p)
	} else {
		w.register(w.claim(p))
	}
	if w.claimed == before {
		w.diag(model.SevInfo, p, "no supported input files found", "Supported formats: "+strings.Join(w.formatNames(), ", ")+".")
	}
	return nil
}

// readable opens a named file or lists a named directory.
func readable(p string, dir bool) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	if dir {
		_, err = f.ReadDir(1)
	} else {
		_, err = f.Read(make([]byte, 1))
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", p, err)
	}
	return nil
}

// formatNames lists the input formats once each, in handler order.
func (w *walker) formatNames() []string {
	var names []string
	for _, h := range w.handlers {
		if !slices.Contains(names, string(h.format)) {
			names = append(names, string(h.format))
		}
	}
	return names
}

func (w *walker) diag(sev model.Severity, path, summary, detail string) {
	w.diags = append(w.diags, model.Diagnostic{
		Severity: sev,
		Summary:  summary,
		Detail:   detail,
		Range:    model.Range{Filename: filepath.ToSlash(path)},
	})
}

// readHead returns up to sniffSize bytes of the file, or nil.
func readHead(read source.Func, p string) []byte {
	b, err := source.Read(read, p, sniffSize-1)
	if err != nil {
		return nil
	}
	return b
}

// aheadWindow is how many units loadUnits starts past the one awaited.
// Units are delivered in order on the calling goroutine, which shares
// the cores with the workers: with a window of twice the workers, a
// worker often found it full (a small unit loads in a millisecond, the
// deliverer was not scheduled) and its core idled: an execution trace of
// 1k ARM templates showed 1.35-1.56 cores busy, 1.71-1.74 with eight
// times. A window holds only work's results (findings, not models).
func aheadWindow(workers int) int { return 8 * workers }

// loadUnits loads the units in parallel, gives each module loaded to work
// on the loading goroutine, and hands work's result (ok: the unit gave a
// module) and the unit's diagnostics to deliver in unit order, on the
// calling goroutine. At most a window of units past the one awaited is
// loaded ahead, so that a slow unit does not let the others pile up in
// memory.
func loadUnits[T any](ctx context.Context, units []*unit, opts Options, work func(*model.Module) T, deliver func(T, bool, model.Diagnostics) error) error {
	type slot struct {
		val   T
		ok    bool
		diags model.Diagnostics
		done  chan struct{}
	}
	slots := make([]slot, len(units))
	for i := range slots {
		slots[i].done = make(chan struct{})
	}
	workers := runtime.GOMAXPROCS(0)
	ahead := make(chan struct{}, aheadWindow(workers)) // tokens: units started, not yet delivered
	var loaded atomic.Int64
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(cctx)
	// A fixed set of workers takes the units in order: a goroutine per
	// unit started on a small stack and grew it again for every unit
	// (1k ARM: 3,541 stack copies, 1.9% of the instructions).
	next := make(chan int)
	g.Go(func() error {
		defer close(next)
		for i := range units {
			select {
			case ahead <- struct{}{}:
			case <-gctx.Done():
				return gctx.Err()
			}
			select {
			case next <- i:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range workers {
		g.Go(func() error {
			for i := range next {
				if err := loadUnit(gctx, units[i], opts, work, &slots[i].val, &slots[i].ok, &slots[i].diags); err != nil {
					close(slots[i].done)
					return err
				}
				close(slots[i].done)
				if opts.Progress != nil {
					opts.Progress(int(loaded.Add(1)), len(units))
				}
			}
			return nil
		})
	}
	var failed error
	for i := range slots {
		select {
		case <-slots[i].done:
		case <-gctx.Done():
		}
		if gctx.Err() != nil {
			break
		}
		v, ok, d := slots[i].val, slots[i].ok, slots[i].diags
		var zero T
		slots[i].val, slots[i].diags = zero, nil
		<-ahead
		if err := deliver(v, ok, d); err != nil {
			failed = err
			break
		}
	}
	if failed != nil {
		cancel() // stops the feeder and the units not started
		_ = g.Wait()
		return failed
	}
	werr := g.Wait()
	if werr != nil {
		return fmt.Errorf("load: %w", werr)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	return nil
}

// loadUnit loads one unit and gives its module to work, filling val, ok
// and diags; err is ctx's when it is done.
func loadUnit[T any](ctx context.Context, u *unit, opts Options, work func(*model.Module) T, val *T, ok *bool, diags *model.Diagnostics) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	load := u.h.load
	if u.load != nil {
		load = u.load
	}
	opts.held, u.src = u.src, nil
	m, ds := load(ctx, u.path, opts)
	*diags = ds
	if m != nil {
		*val, *ok = work(m), true
	}
	return nil
}
