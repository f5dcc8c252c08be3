package source

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// readFile, however it reads (system calls on Linux), gives the bytes and
// the errors readOpen (through os.File) gives: empty, small, exactly at
// the limit and larger files, a directory, a FIFO (without blocking), a
// file that is not there and one that cannot be opened.
func TestReadFileAsOpen(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"empty": "", "small": "abc", "ten": "0123456789", "large": strings.Repeat("x", 100000),
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	paths := []string{"empty", "small", "ten", "large", ".", "missing"}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err == nil {
		paths = append(paths, "fifo")
	}
	if err := os.WriteFile(filepath.Join(dir, "locked"), []byte("secret"), 0o000); err != nil {
		t.Fatal(err)
	}
	paths = append(paths, "locked")
	for _, name := range paths {
		p := filepath.Join(dir, name)
		for _, limit := range []int64{0, 2, 10, 1 << 20} {
			got, err := readFile(p, limit)
			want, werr := readOpen(p, limit)
			if !bytes.Equal(got, want) || fmt.Sprint(err) != fmt.Sprint(werr) {
				t.Errorf("%s, limit %d: readFile = %q, %v; readOpen = %q, %v", name, limit, got, err, want, werr)
			}
			if errors.Is(werr, ErrNotRegular) != errors.Is(err, ErrNotRegular) || errors.Is(werr, fs.ErrNotExist) != errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s: readFile's error %v is not readOpen's %v", name, err, werr)
			}
		}
	}
}
