package source

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
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
