package source

import (
	"os"
	"path/filepath"

	"github.com/azfuncscan/azfuncscan/analyzer/realpath"
)

// Within reports whether path, its symbolic links resolved, lies under
// one of roots (whose links are resolved too). A path that cannot be
// resolved (a dangling link, /dev/stdin on a pipe) is not within.
func Within(path string, roots []string) bool {
	real, err := filepath.EvalSymlinks(path)
	return err == nil && realpath.Under(real, realpath.Roots(roots))
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
