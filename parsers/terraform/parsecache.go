package terraform

import (
	"crypto/sha256"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// ParseCache keeps parsed configuration and variables files from one load
// to the next, keyed by path and content: a language server that loads a
// module again after an edit of one file parses that file only. It holds
// one entry per path (the last content seen), so it grows with the files
// of the workspace, not with the edits. Syntax stays this package's: the
// cache holds its parsed files and is opaque to callers. It is safe for
// concurrent use; the parsed syntax trees it hands out are only read.
type ParseCache struct {
	mu     sync.Mutex
	files  map[string]cachedParse
	parses atomic.Int64
}

// cachedParse is one file's parse: what parseSource returned for content
// with hash sum under nesting limits depth.
type cachedParse struct {
	sum   [sha256.Size]byte
	depth [2]int
	file  *sourceFile
	diags model.Diagnostics
}

// NewParseCache returns an empty cache.
func NewParseCache() *ParseCache {
	return &ParseCache{files: map[string]cachedParse{}}
}

// Parses returns how many files were parsed through the cache (its
// misses), for tests and measurements.
func (c *ParseCache) Parses() int64 { return c.parses.Load() }

// parse returns the parse of src at path, from the cache when the same
// content was parsed there before under the same limits, else by calling
// parse and keeping its result.
func (c *ParseCache) parse(path string, src []byte, depth [2]int, parse func() (*sourceFile, model.Diagnostics)) (*sourceFile, model.Diagnostics) {
	sum := sha256.Sum256(src)
	c.mu.Lock()
	e, ok := c.files[path]
	c.mu.Unlock()
	if !ok || e.sum != sum || e.depth != depth {
		c.parses.Add(1)
		e = cachedParse{sum: sum, depth: depth}
		e.file, e.diags = parse()
		c.mu.Lock()
		c.files[path] = e
		c.mu.Unlock()
	}
	var f *sourceFile
	if e.file != nil {
		cp := *e.file // callers set override on their copy
		f = &cp
	}
	return f, slices.Clone(e.diags)
}
