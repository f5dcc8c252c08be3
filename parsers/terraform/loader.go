package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty/function"
	"golang.org/x/sync/errgroup"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/realpath"
)

// Loader reads Terraform directories as root modules with their module
// trees. Every directory is parsed once, however many module calls of a
// root use it, and kept while roots still to be loaded use it (parsing is
// the expensive part of a scan; keeping every syntax tree of a large scan
// alive costs more in memory and garbage collection than it saves). A
// Loader is safe for concurrent use: roots may be loaded in parallel.
type Loader struct {
	opts Options

	mu   sync.Mutex
	dirs map[string]*parsedDir // by absolute directory
	// uses counts, by absolute directory, the roots found by Roots whose
	// module tree (as the sources say) reads the directory and that have
	// not been loaded yet; closure lists those directories per root.
	uses    map[string]int
	closure map[string][]string
	// quiet holds the roots found by Roots whose whole tree is quiet
	// (dirModuleSources: no function app, only local module calls, to
	// directories among those scanned): loading one decodes its files
	// (syntax errors, duplicate blocks) but evaluates nothing.
	quiet map[string]bool

	funcsOnce sync.Once
	funcs     map[string]function.Function // see functions

	// Every module call of a scan checks its directory against
	// opts.Within (see within): the roots are resolved once, and the
	// directories resolved are remembered, as their ancestors are shared.
	withinOnce sync.Once
	roots      []string // opts.Within resolved (realpath.Roots)
	real       realpath.Resolver

	// The block schemas of resource types, shared by the loader's trees
	// (see Loader.schemaFor): type -> *blockSchema.
	schemas      sync.Map
	noSchemaOnce sync.Once
	noSchema     *blockSchema
}

// within reports whether dir, its symbolic links resolved, lies under one
// of opts.Within (whose links are resolved too).
func (l *Loader) within(dir string) bool {
	l.withinOnce.Do(func() { l.roots = realpath.Roots(l.opts.Within) })
	real, err := l.real.Resolve(filepath.Clean(dir))
	return err == nil && realpath.Under(real, l.roots)
}

// NewLoader returns a loader that applies opts (-var-file, -var) to every
// root module it loads.
func NewLoader(opts Options) *Loader {
	if opts.ReadFile == nil {
		opts.hold = &sourceHold{files: map[string][]byte{}, left: holdBudget}
	}
	return &Loader{opts: opts, dirs: map[string]*parsedDir{}, uses: map[string]int{}, closure: map[string][]string{}, quiet: map[string]bool{}}
}

// Result is one root module and the diagnostics met reading it and the
// modules it calls.
type Result struct {
	Module *model.Module
	Diags  model.Diagnostics
}

// LoadDirs loads the root modules among dirs (see [Loader.Roots]), in
// parallel, each with the modules it calls. The results are sorted by
// directory.
func LoadDirs(ctx context.Context, dirs []string, opts Options) []Result {
	if ctx == nil {
		ctx = context.Background()
	}
	l := NewLoader(opts)
	roots := l.Roots(ctx, dirs)
	out := make([]Result, len(roots))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, dir := range roots {
		g.Go(func() error {
			out[i].Module, out[i].Diags = l.Load(ctx, dir)
			return nil
		})
	}
	_ = g.Wait() // the goroutines never fail; problems are diagnostics
	return out
}

// parsedDir is one directory's configuration files, parsed once.
type parsedDir struct {
	once  sync.Once
	files []*sourceFile
	diags model.Diagnostics // reading and parsing problems, replayed per use

	namesOnce sync.Once
	names     map[string]bool // attribute names the expressions use
}

// dir returns the parsed files of a directory, reading them on first use.
func (l *Loader) dir(ctx context.Context, dir string) *parsedDir {
	key := absPath(dir)
	l.mu.Lock()
	pd := l.dirs[key]
	if pd == nil {
		pd = &parsedDir{}
		l.dirs[key] = pd
	}
	l.mu.Unlock()
	pd.once.Do(func() {
		defer func() {
			// A library panic on odd input must not take the scan down,
			// nor leave the entry half-filled for other goroutines.
			if r := recover(); r != nil {
				pd.files = nil
				pd.diags = append(pd.diags, model.Diagnostic{
					Severity: model.SevError,
					Summary:  internalErrorSummary,
					Detail:   fmt.Sprintf("%v\n%s", r, debug.Stack()),
					Range:    model.Range{Filename: filepath.ToSlash(dir)},
				})
			}
		}()
		pd.files, pd.diags = readDir(ctx, &l.opts, dir)
	})
	return pd
}

// release tells the loader that a root no longer needs a directory (by
// absolute path): its parsed files are dropped once no root still to be
// loaded needs them.
func (l *Loader) release(abs string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := l.uses[abs]; n > 1 {
		l.uses[abs] = n - 1
		return
	}
	delete(l.uses, abs)
	delete(l.dirs, abs)
}

// Roots returns the directories of dirs that are root modules: those that
// no other directory of dirs calls as a local module (module "x" { source =
// "./x" }). A directory called only from outside dirs is a root. When
// directories only call each other (a cycle), the first of them in
// lexical order is taken as a root so that nothing goes unanalysed. The
// module sources are read without parsing (see hclModuleSources); files
// are parsed when a root is loaded. The result keeps the spelling of dirs
// and is sorted.
func (l *Loader) Roots(ctx context.Context, dirs []string) []string {
	if ctx == nil {
		ctx = context.Background()
	}
	seen := map[string]bool{}
	var uniq []string
	for _, d := range dirs {
		if c := filepath.Clean(d); !seen[c] {
			seen[c] = true
			uniq = append(uniq, d)
		}
	}
	sort.Slice(uniq, func(i, j int) bool { return filepath.ToSlash(uniq[i]) < filepath.ToSlash(uniq[j]) })

	sources := make([][]string, len(uniq))
	quiet := make([]bool, len(uniq))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, d := range uniq {
		g.Go(func() error {
			if ctx.Err() == nil {
				sources[i], quiet[i] = dirModuleSources(&l.opts, d)
			}
			return nil
		})
	}
	_ = g.Wait() // the goroutines never fail

	abs := make([]string, len(uniq))
	index := map[string]int{}
	for i, d := range uniq {
		abs[i] = absPath(d)
		index[abs[i]] = i
	}
	called := make([]bool, len(uniq))
	edges := make([][]int, len(uniq))
	for i, d := range uniq {
		for _, src := range sources[i] {
			j, ok := index[absPath(filepath.Join(d, filepath.FromSlash(src)))]
			if ok && j != i {
				called[j] = true
				edges[i] = append(edges[i], j)
			}
			if !ok {
				// A module outside the scanned directories: what it
				// holds is not known here.
				quiet[i] = false
			}
		}
	}
	reached := make([]bool, len(uniq))
	var roots []int
	for pass := range 2 {
		for i := range uniq {
			// First the directories nobody calls, then one directory of
			// each group that only calls itself round.
			if (pass == 0 && !called[i]) || (pass == 1 && !reached[i]) {
				roots = append(roots, i)
				closure := map[int]bool{}
				collect(i, edges, closure)
				for j := range closure {
					reached[j] = true
				}
			}
		}
	}

	l.mu.Lock()
	out := make([]string, 0, len(roots))
	for _, r := range roots {
		out = append(out, uniq[r])
		closure := map[int]bool{}
		collect(r, edges, closure)
		dirs := make([]string, 0, len(closure))
		allQuiet := true
		for j := range closure {
			dirs = append(dirs, abs[j])
			l.uses[abs[j]]++
			allQuiet = allQuiet && quiet[j]
		}
		l.closure[abs[r]] = dirs
		if allQuiet {
			l.quiet[abs[r]] = true
		}
	}
	l.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return filepath.ToSlash(out[i]) < filepath.ToSlash(out[j]) })
	return out
}

// Reads returns the directories (absolute, sorted) that the module tree
// of root reads as its sources say: root itself and every local module it
// calls, directly or through other modules. It knows the roots returned by
// [Loader.Roots] that have not been loaded yet; for others it returns nil.
func (l *Loader) Reads(root string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := slices.Clone(l.closure[absPath(root)])
	slices.Sort(out)
	return out
}

// collect adds i and every directory it reaches to seen.
func collect(i int, edges [][]int, seen map[int]bool) {
	if seen[i] {
		return
	}
	seen[i] = true
	for _, j := range edges[i] {
		collect(j, edges, seen)
	}
}

// absPath is a directory's absolute, clean form, for comparing paths
// spelled differently.
func absPath(dir string) string {
	if a, err := filepath.Abs(dir); err == nil {
		return a
	}
	return filepath.Clean(dir)
}

// Load reads dir as a root module: its files, the modules it calls
// (recursively) and the relations between all their resources, into one
// model. Broken files become diagnostics; what can be read is still
// returned.
func (l *Loader) Load(ctx context.Context, dir string) (mod *model.Module, diags model.Diagnostics) {
	mod = &model.Module{Format: model.Terraform, Path: dir}
	if ctx == nil {
		ctx = context.Background()
	}
	t := newTree(ctx, l, dir)
	defer l.done(t)
	// The parser must never take the scan down: an unexpected panic in a
	// library (cty, hcl) on odd input becomes an error diagnostic.
	defer func() {
		if r := recover(); r != nil {
			diags = append(t.finish(), model.Diagnostic{
				Severity: model.SevError,
				Summary:  internalErrorSummary,
				Detail:   fmt.Sprintf("%v\n%s", r, debug.Stack()),
				Range:    model.Range{Filename: dir},
			})
		}
	}()

	s := t.root
	s.cfg = s.decodeConfig(s.loadFiles())
	l.mu.Lock()
	quiet := l.quiet[absPath(dir)]
	delete(l.quiet, absPath(dir))
	l.mu.Unlock()
	if quiet {
		return mod, t.finish()
	}
	s.loadVariables(l.opts)
	s.evalLocals()
	b := newBuilder(s, mod)
	b.build()
	b.link()
	mod.Splicer = t.splicer()
	if err := ctx.Err(); err != nil {
		s.addDiag(model.Diagnostic{
			Severity: model.SevError,
			Summary:  "Scan cancelled",
			Detail:   "reading " + dir + " was interrupted (" + err.Error() + "); the model is incomplete",
			Range:    model.Range{Filename: dir},
		})
	}
	return mod, t.finish()
}

// done releases what the tree of a loaded root read, and what Roots
// expected it to read (a module called with count = 0 is never read).
func (l *Loader) done(t *tree) {
	l.mu.Lock()
	expected := l.closure[absPath(t.rootDir)]
	delete(l.closure, absPath(t.rootDir))
	l.mu.Unlock()
	released := map[string]bool{}
	for _, a := range t.dirOrder {
		released[a] = true
		l.release(a)
	}
	for _, a := range expected {
		if !released[a] {
			l.release(a)
		}
	}
}

// readDir parses every configuration file of dir in lexical order,
// override files included (flagged; decodeConfig merges them) and .tf
// files that a .tofu file replaces excluded (an info diagnostic says so).
// Files that cannot be read or parsed become diagnostics; a file with
// syntax errors still contributes what hcl could recover.
func readDir(ctx context.Context, o *Options, dir string) ([]*sourceFile, model.Diagnostics) {
	var diags model.Diagnostics
	entries, err := o.readDirEntries(dir)
	if err != nil {
		return nil, model.Diagnostics{{
			Severity: model.SevError,
			Summary:  "Cannot read directory",
			Detail:   err.Error(),
			Range:    model.Range{Filename: filepath.ToSlash(dir)},
		}}
	}
	all, regular := fileNames(entries)
	names, replaced := configFiles(all)
	for _, name := range sortedKeys(replaced) {
		diags = append(diags, model.Diagnostic{
			Severity: model.SevInfo,
			Summary:  "File replaced by its OpenTofu form",
			Detail:   name + " is not read: " + replaced[name] + " replaces it, as OpenTofu does.",
			Range:    fileStart(filepath.ToSlash(filepath.Join(dir, name))),
		})
	}

	var files []*sourceFile
	for _, name := range names {
		if ctx.Err() != nil {
			break
		}
		path := filepath.ToSlash(filepath.Join(dir, name))
		f, fd := parseSource(o, filepath.Join(dir, name), path, regular[name])
		diags = append(diags, fd...)
		if f != nil {
			f.override = isOverrideFile(name)
			files = append(files, f)
		}
	}
	return files, diags
}

// isLocalSource reports whether a module source is a local path, which
// Terraform reads in place instead of downloading.
func isLocalSource(src string) bool {
	for _, p := range []string{"./", "../", `.\`, `..\`} {
		if strings.HasPrefix(src, p) {
			return true
		}
	}
	return src == "." || src == ".."
}

// attrNames returns the attribute names the expressions of a parsed
// directory use after a dot (app.default_hostname, each.value.id). An
// instance's object value offers them as unknown attributes, so that a
// reference through an iteration variable (for k, app in
// azurerm_linux_function_app.app : app.id) finds the attribute.
func (pd *parsedDir) attrNames() map[string]bool {
	pd.namesOnce.Do(func() {
		pd.names = map[string]bool{}
		for _, f := range pd.files {
			for name := range f.names {
				pd.names[name] = true
			}
		}
	})
	return pd.names
}
