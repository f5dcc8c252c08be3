package source

import (
	"os"
	"path/filepath"
	"strings"
)

// Within reports whether path, its symbolic links resolved, lies under
// one of roots (whose links are resolved too). A path that cannot be
// resolved (a dangling link, /dev/stdin on a pipe) is not within.
func Within(path string, roots []string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	if real, err = filepath.Abs(real); err != nil {
		return false
	}
	for _, r := range roots {
		rr, err := filepath.EvalSymlinks(r)
		if err != nil {
			continue
		}
		if rr, err = filepath.Abs(rr); err != nil {
			continue
		}
		rel, err := filepath.Rel(rr, real)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// OutsideLink reports whether the file at path is a symbolic link that
// leads outside roots (none: no limit): an input must not have the scan
// read and quote files elsewhere on the machine.
func OutsideLink(path string, roots []string) bool {
	if len(roots) == 0 {
		return false
	}
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return false
	}
	return !Within(path, roots)
}
