package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// readFile reads at most limit+1 bytes of the regular file at path, as
// readOpen does (opened non-blocking, checked on the open descriptor) but
// by system calls on the descriptor: os.OpenFile offers every file it
// opens to the runtime's network poller, which refuses regular files,
// one failed epoll_ctl per file read (26,000 on a scan of 10,000 .tf
// files).
func readFile(path string, limit int64) ([]byte, error) {
	fd, err := retry(func() (int, error) { return syscall.Open(path, openFlags|syscall.O_CLOEXEC, 0) })
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer func() { _ = syscall.Close(fd) }() // read-only: a close error changes nothing
	var st syscall.Stat_t
	if _, err := retry(func() (int, error) { return 0, syscall.Fstat(fd, &st) }); err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, &os.PathError{Op: "stat", Path: path, Err: err})
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, fmt.Errorf("%s: %w", path, ErrNotRegular)
	}
	b, err := readAll(fdReader{fd, path}, min(max(st.Size, 0), limit)+1, limit+1, st.Size)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return b, nil
}

// fdReader reads an open descriptor as *os.File's Read does: its errors
// name the path, and the end of the file is io.EOF.
type fdReader struct {
	fd   int
	path string
}

func (r fdReader) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, err := retry(func() (int, error) { return syscall.Read(r.fd, b) })
	switch {
	case err != nil:
		return 0, &os.PathError{Op: "read", Path: r.path, Err: err}
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// retry calls f again while it is interrupted by a signal.
func retry(f func() (int, error)) (int, error) {
	for {
		n, err := f()
		if !errors.Is(err, syscall.EINTR) {
			return n, err
		}
	}
}
