package report

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRealPathIsEvalSymlinks: realPath, which resolves each directory once
// per report, gives what filepath.EvalSymlinks gives for plain files,
// files under linked directories (absolute and relative links, a link to a
// link), a linked file, and fails where it fails (a missing element, a
// dangling link), asked in any order and twice.
func TestRealPathIsEvalSymlinks(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(root, p), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, p), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, p string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(root, p)); err != nil {
			t.Fatal(err)
		}
	}
	mk("real/a/b")
	write("real/a/b/main.tf")
	write("real/a/top.json")
	link(filepath.Join(root, "real"), "abs") // absolute link to a directory
	link("real/a", "rel")                    // relative link to a directory
	link("rel", "chain")                     // a link to a link
	link("real/a/b/main.tf", "file.tf")      // a linked file
	link("real/missing", "dangling")         // a dangling link
	mk("real/a/b/c")
	link("../..", filepath.Join("real/a/b/c", "up")) // a relative link upwards

	paths := []string{
		"real/a/b/main.tf", "abs/a/b/main.tf", "rel/b/main.tf", "chain/b/main.tf",
		"chain/top.json", "file.tf", "real/a/b/c/up/top.json", "real/a/b/c/up/b/main.tf",
		"real/a/nothere.tf", "nothere/x.tf", "dangling", "dangling/x.tf", "abs", "real",
	}
	r := &Report{}
	for range 2 {
		for _, p := range paths {
			abs := filepath.Join(root, p)
			want, wantErr := filepath.EvalSymlinks(abs)
			got, err := r.realPath(abs)
			if (err != nil) != (wantErr != nil) || got != want {
				t.Errorf("realPath(%s) = %q, %v; EvalSymlinks gives %q, %v", p, got, err, want, wantErr)
			}
		}
	}
}
