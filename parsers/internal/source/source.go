package source

import (
	"fmt"
	"io"
	"os"
)

// Func returns the contents of the file at path (an OS path, as the
// parsers were given it or derived it). A nil Func reads from disk.
type Func func(path string) ([]byte, error)

// Read returns the contents of the file at path through read (from disk
// when nil), at most limit+1 bytes, so that callers can tell a file of
// exactly limit bytes from a larger one. Only regular files are read from
// disk.
func Read(read Func, path string, limit int64) ([]byte, error) {
	if read != nil {
		b, err := read(path)
		if err != nil {
			return nil, err
		}
		if int64(len(b)) > limit+1 {
			b = b[:limit+1]
		}
		return b, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = fh.Close() }() // read-only: a close error changes nothing
	if fi, err := fh.Stat(); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}
