package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"golang.org/x/sync/errgroup"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Loader reads Terraform directories as root modules with their module
// trees. Every directory is read and parsed once, however many roots and
// module calls use it; parsing is the expensive part of a scan. A Loader is
// safe for concurrent use: roots may be loaded in parallel.
type Loader struct {
	opts Options

	mu   sync.Mutex
	dirs map[string]*parsedDir // by filepath.Clean of the directory
}

// NewLoader returns a loader that applies opts (-var-file, -var) to every
// root module it loads.
func NewLoader(opts Options) *Loader {
	return &Loader{opts: opts, dirs: map[string]*parsedDir{}}
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
	// localSources are the source arguments of the directory's module
	// calls that name a local path ("./modules/app"), in file order.
	localSources []string

	namesOnce sync.Once
	names     map[string]bool // attribute names the expressions use
}

// dir returns the parsed files of a directory, reading them on first use.
func (l *Loader) dir(ctx context.Context, dir string) *parsedDir {
	key := filepath.Clean(dir)
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
		pd.files, pd.diags = readDir(ctx, dir)
		pd.localSources = localSources(pd.files)
	})
	return pd
}

// Roots returns the directories of dirs that are root modules: those that
// no other directory of dirs calls as a local module (module "x" { source =
// "./x" }). A directory called only from outside dirs is a root. When
// directories only call each other (a cycle), the first of them in
// lexical order is taken as a root so that nothing goes unanalysed. Every
// directory is parsed (in parallel) and kept for [Loader.Load]. The result
// keeps the spelling of dirs and is sorted.
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

	parsed := make([]*parsedDir, len(uniq))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, d := range uniq {
		g.Go(func() error {
			parsed[i] = l.dir(ctx, d)
			return nil
		})
	}
	_ = g.Wait() // the goroutines never fail

	index := map[string]int{}
	for i, d := range uniq {
		index[absPath(d)] = i
	}
	called := make([]bool, len(uniq))
	edges := make([][]int, len(uniq))
	for i, d := range uniq {
		for _, src := range parsed[i].localSources {
			j, ok := index[absPath(filepath.Join(d, filepath.FromSlash(src)))]
			if ok && j != i {
				called[j] = true
				edges[i] = append(edges[i], j)
			}
		}
	}
	reached := make([]bool, len(uniq))
	var visit func(i int)
	visit = func(i int) {
		if reached[i] {
			return
		}
		reached[i] = true
		for _, j := range edges[i] {
			visit(j)
		}
	}
	var roots []string
	for i := range uniq {
		if !called[i] {
			roots = append(roots, uniq[i])
			visit(i)
		}
	}
	for i := range uniq {
		if !reached[i] {
			roots = append(roots, uniq[i])
			visit(i)
		}
	}
	sort.Slice(roots, func(i, j int) bool { return filepath.ToSlash(roots[i]) < filepath.ToSlash(roots[j]) })
	return roots
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
	s.loadVariables(l.opts)
	s.evalLocals()
	b := newBuilder(s, mod)
	b.build()
	b.link()
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

// readDir parses every configuration file of dir in lexical order. Files
// that cannot be read or parsed become diagnostics; a file with syntax
// errors still contributes what hcl could recover.
func readDir(ctx context.Context, dir string) ([]*sourceFile, model.Diagnostics) {
	var diags model.Diagnostics
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, model.Diagnostics{{
			Severity: model.SevError,
			Summary:  "Cannot read directory",
			Detail:   err.Error(),
			Range:    model.Range{Filename: filepath.ToSlash(dir)},
		}}
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !isConfigFile(e.Name()) {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)

	var files []*sourceFile
	for _, name := range names {
		if ctx.Err() != nil {
			break
		}
		path := filepath.ToSlash(filepath.Join(dir, name))
		if isOverrideFile(name) {
			diags = append(diags, model.Diagnostic{
				Severity: model.SevInfo,
				Summary:  "Override file not merged",
				Detail:   "Terraform override files are not merged into the configuration yet; " + name + " was skipped.",
				Range:    fileStart(path),
			})
			continue
		}
		f, fd := parseSource(filepath.Join(dir, name), path)
		diags = append(diags, fd...)
		if f != nil {
			files = append(files, f)
		}
	}
	return files, diags
}

// localSources lists the local-path sources of the module calls in files.
// Only literal strings count: Terraform requires source to be one.
func localSources(files []*sourceFile) []string {
	var out []string
	for _, f := range files {
		content, _, _ := f.body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "module", LabelNames: []string{"name"}}}})
		if content == nil {
			continue
		}
		for _, blk := range content.Blocks {
			if src, _, ok := moduleSource(blk.Body); ok && isLocalSource(src) {
				out = append(out, src)
			}
		}
	}
	return out
}

// moduleSource reads the literal source argument of a module block.
func moduleSource(body hcl.Body) (string, hcl.Range, bool) {
	content, _, _ := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "source"}}})
	if content == nil || content.Attributes["source"] == nil {
		return "", hcl.Range{}, false
	}
	a := content.Attributes["source"]
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.String) {
		return "", a.Expr.Range(), false
	}
	return v.AsString(), a.Expr.Range(), true
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
			body, ok := f.body.(*hclsyntax.Body)
			if !ok {
				continue
			}
			_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
				var t hcl.Traversal
				switch e := n.(type) {
				case *hclsyntax.ScopeTraversalExpr:
					t = e.Traversal
				case *hclsyntax.RelativeTraversalExpr:
					t = e.Traversal
				}
				for _, step := range t {
					if a, ok := step.(hcl.TraverseAttr); ok {
						pd.names[a.Name] = true
					}
				}
				return nil
			})
		}
	})
	return pd.names
}
