package source

import (
	"errors"
	"fmt"
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
	// As readAll: room for the size at open and one byte more, so that
	// a file read whole ends with a read of nothing; grown if the file
	// grew since.
	b := make([]byte, 0, min(max(st.Size, 0), limit)+1)
	for int64(len(b)) <= limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		end := min(int64(cap(b)), limit+1)
		n, err := retry(func() (int, error) { return syscall.Read(fd, b[len(b):end]) })
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, &os.PathError{Op: "read", Path: path, Err: err})
		}
		if n == 0 {
			break
		}
		b = b[:len(b)+n]
	}
	return b, nil
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
