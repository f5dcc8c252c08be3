//go:build !linux

package source

// readFile reads at most limit+1 bytes of the regular file at path.
func readFile(path string, limit int64) ([]byte, error) { return readOpen(path, limit) }
