package source

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "main.tf")
	if err := os.WriteFile(p, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		read  Func
		limit int64
		want  string
	}{
		{"disk", nil, 100, "0123456789"},
		{"disk, one past the limit", nil, 4, "01234"},
		{"overlay", func(string) ([]byte, error) { return []byte("abc"), nil }, 100, "abc"},
		{"overlay, one past the limit", func(string) ([]byte, error) { return []byte("abcdef"), nil }, 2, "abc"},
	} {
		got, err := Read(tc.read, p, tc.limit)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: Read = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := Read(nil, filepath.Join(dir, "missing.tf"), 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
	if _, err := Read(nil, dir, 10); err == nil {
		t.Errorf("directory: no error")
	}
}

// TestReadAllSizes: readAll reads everything whatever room it starts with
// (none, too little, exact, more), one allocation when the size is right.
func TestReadAllSizes(t *testing.T) {
	src := strings.Repeat("0123456789", 1000)
	all := int64(len(src)) + 1
	for _, n := range []int64{0, 1, 9999, 10000, 10001, 20000} {
		got, err := readAll(iotest.OneByteReader(strings.NewReader(src)), n, all, -1)
		if err != nil || string(got) != src {
			t.Errorf("room %d: read %d bytes, %v", n, len(got), err)
		}
		got, err = readAll(strings.NewReader(src), n, all, -1)
		if err != nil || string(got) != src {
			t.Errorf("room %d: read %d bytes, %v", n, len(got), err)
		}
		// At most 4,096 bytes: no more, whatever the room.
		got, err = readAll(iotest.HalfReader(strings.NewReader(src)), n, 4096, -1)
		if err != nil || string(got) != src[:4096] {
			t.Errorf("room %d, at most 4096: read %d bytes, %v", n, len(got), err)
		}
	}
	rd := strings.NewReader(src)
	if a := testing.AllocsPerRun(10, func() { rd.Reset(src); _, _ = readAll(rd, all, all, -1) }); a > 1 {
		t.Errorf("%v allocations reading a file of the size expected", a)
	}
	// A head: room for exactly the most that may be read is one
	// allocation, not a second one grown for the read that would end it.
	if a := testing.AllocsPerRun(10, func() { rd.Reset(src); _, _ = readAll(rd, 4096, 4096, -1) }); a > 1 {
		t.Errorf("%v allocations reading a head of the size expected", a)
	}
	if _, err := readAll(iotest.ErrReader(errors.New("boom")), 10, 100, -1); err == nil || err.Error() != "boom" {
		t.Errorf("read error: %v", err)
	}
}

// TestReadAllStopsAtTheSize: given the size the file had when opened,
// readAll returns once it has read that many bytes, without the read that
// would only return its end (a system call per file); without one (-1, or
// 0 as /proc gives) it reads to the end, and a file shorter than its size
// (truncated since) is read to its end too.
func TestReadAllStopsAtTheSize(t *testing.T) {
	src := strings.Repeat("0123456789", 1000)
	n := int64(len(src))
	for _, tc := range []struct {
		name      string
		r         io.Reader
		size      int64
		want      string
		wantReads int
	}{
		{"at its size, one read", strings.NewReader(src), n, src, 1},
		{"at its size, byte by byte", iotest.OneByteReader(strings.NewReader(src)), n, src, len(src)},
		{"no size", strings.NewReader(src), -1, src, 2},
		{"size 0 (/proc)", strings.NewReader(src), 0, src, 2},
		{"grew since", strings.NewReader(src + "more"), n, src, 1},
		{"truncated since", strings.NewReader(src[:100]), n, src[:100], 2},
	} {
		cr := &countingReader{r: tc.r}
		got, err := readAll(cr, n+1, n+100, tc.size)
		if err != nil || string(got) != tc.want || cr.reads != tc.wantReads {
			t.Errorf("%s: read %d bytes in %d reads, %v; want %d bytes in %d", tc.name, len(got), cr.reads, err, len(tc.want), tc.wantReads)
		}
	}
}

// countingReader counts the calls to Read.
type countingReader struct {
	r     io.Reader
	reads int
}

func (c *countingReader) Read(b []byte) (int, error) {
	c.reads++
	return c.r.Read(b)
}

func TestSpliced(t *testing.T) {
	src := []byte("abcdef")
	for _, tc := range []struct {
		start, end int
		text, want string
	}{
		{2, 4, "XY", "abXYef"}, {0, 0, "Z", "Zabcdef"}, {6, 6, "Z", "abcdefZ"}, {1, 5, "", "af"}, {3, 3, "", "abcdef"},
	} {
		got := Spliced(src, tc.start, tc.end, []byte(tc.text))
		if string(got) != tc.want {
			t.Errorf("Spliced(%d, %d, %q) = %q, want %q", tc.start, tc.end, tc.text, got, tc.want)
		}
	}
	if string(src) != "abcdef" {
		t.Errorf("src changed to %q", src)
	}
}
