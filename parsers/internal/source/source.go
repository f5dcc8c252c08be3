package source

import (
	"errors"
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
	return readFile(path, limit)
}

// readOpen is readFile through Open: the file is opened, checked and
// read as an *os.File.
func readOpen(path string, limit int64) ([]byte, error) {
	fh, size, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = fh.Close() }() // read-only: a close error changes nothing
	b, err := readAll(fh, min(max(size, 0), limit)+1, limit+1, size)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

// readAll is io.ReadAll of at most most bytes, starting with room for n
// bytes: a file read whole is allocated once at the size it had when
// opened (io.ReadAll grows from 512 bytes); a read that fills the most it
// may take stops there, without growing the slice for a read that could
// only end it. size is the file's size when it was opened (checked on the
// open file), or -1: once that many bytes are read (more than none), the
// file is read, without the read that would only return its end. Each
// read is a system call, and on the machines measured a system call was
// 10-30 µs: the read of the end was one in five of those a file costs,
// at 1k and 10k files. A file that grows while it is read is read as it
// was when opened (its first size bytes); without a size (-1, or 0 as
// /proc reports) it is read to its end.
func readAll(r io.Reader, n, most, size int64) ([]byte, error) {
	b := make([]byte, 0, min(n, most))
	for int64(len(b)) < most && (size <= 0 || int64(len(b)) < size) {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		end := min(int64(cap(b)), most)
		if size > 0 {
			end = min(end, size)
		}
		m, err := r.Read(b[len(b):end])
		b = b[:len(b)+m]
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// ErrNotRegular is returned for a path that names a FIFO, a device, a
// socket or a directory (directly or through a symbolic link): reading
// those may block forever or never end.
var ErrNotRegular = errors.New("not a regular file")

// Open opens a regular file for reading and returns it with its size.
// It never blocks: the file is opened non-blocking where the system
// allows, and what it turns out to be is checked on the open file, so
// that nothing can be swapped in between.
func Open(path string) (*os.File, int64, error) {
	fh, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		return nil, 0, err
	}
	fi, err := fh.Stat()
	if err != nil {
		_ = fh.Close()
		return nil, 0, fmt.Errorf("stat %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		_ = fh.Close()
		return nil, 0, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	return fh, fi.Size(), nil
}

// Spliced returns src with src[start:end] replaced by text, as a new
// slice; src itself when the splice changes nothing (start == end, no
// text). The editors' Apply is their Splice made whole with it.
func Spliced(src []byte, start, end int, text []byte) []byte {
	if start == end && len(text) == 0 {
		return src
	}
	out := make([]byte, 0, len(src)-(end-start)+len(text))
	out = append(out, src[:start]...)
	out = append(out, text...)
	return append(out, src[end:]...)
}
