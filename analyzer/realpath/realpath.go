// Package realpath resolves symbolic links in paths as
// filepath.EvalSymlinks does, remembering the directories it has resolved,
// and tells whether a resolved path lies under a set of roots.
//
// A scan asks for the real path of many files that share their
// directories: EvalSymlinks looks at every element of every path (an
// lstat each), a Resolver looks at each directory once and then at the
// last element only.
package realpath

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// A Resolver resolves paths, remembering the directories and links it
// met. Its zero value is ready to use, and it is safe for concurrent use.
// It assumes the file system does not change under it while it is used
// (one scan).
type Resolver struct {
	dirs sync.Map // clean path -> resolved path, for directories and links
}

// Resolve is filepath.EvalSymlinks(p) for a clean path p: the path with
// every symbolic link in it resolved, or the error met resolving it (an
// element missing, a dangling link). A relative p gives a relative result
// when EvalSymlinks would.
func (r *Resolver) Resolve(p string) (string, error) {
	dir := filepath.Dir(p)
	if dir == p {
		return p, nil // the root, or "."
	}
	if v, ok := r.dirs.Load(p); ok {
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	rd, err := r.Resolve(dir)
	if err != nil {
		return "", err
	}
	real := filepath.Join(rd, filepath.Base(p))
	fi, err := os.Lstat(real)
	if err != nil {
		return "", err
	}
	link := fi.Mode()&os.ModeSymlink != 0
	if link {
		// A link's target is read relative to the resolved directory
		// that holds it; EvalSymlinks follows chains and upward links.
		if real, err = filepath.EvalSymlinks(real); err != nil {
			return "", err
		}
	}
	if link || fi.IsDir() {
		r.dirs.Store(p, real)
	}
	return real, nil
}

// Roots returns roots resolved and absolute, leaving out those that
// cannot be resolved, for [Under].
func Roots(roots []string) []string {
	out := make([]string, 0, len(roots))
	for _, root := range roots {
		if rr, err := filepath.EvalSymlinks(root); err == nil {
			if a, err := filepath.Abs(rr); err == nil {
				out = append(out, a)
			}
		}
	}
	return out
}

// Under reports whether real, a path with its symbolic links resolved,
// lies under (or is) one of roots, resolved by [Roots].
func Under(real string, roots []string) bool {
	real, err := filepath.Abs(real)
	if err != nil {
		return false
	}
	for _, root := range roots {
		rel, err := filepath.Rel(root, real)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
