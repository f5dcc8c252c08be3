package realpath_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/realpath"
)

// tree makes, under a temporary directory, plain files and directories and
// the kinds of links a repository holds, and returns its root.
func tree(t *testing.T) string {
	t.Helper()
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
	mk("real/a/b/c")
	write("real/a/b/main.tf")
	write("real/a/top.json")
	link(filepath.Join(root, "real"), "abs") // absolute link to a directory
	link("real/a", "rel")                    // relative link to a directory
	link("rel", "chain")                     // a link to a link
	link("real/a/b/main.tf", "file.tf")      // a linked file
	link("real/missing", "dangling")         // a dangling link
	link("../..", "real/a/b/c/up")           // a relative link upwards
	link("../../../abs", "real/a/b/via")     // up, then through another link
	return root
}

var paths = []string{
	"real/a/b/main.tf", "abs/a/b/main.tf", "rel/b/main.tf", "chain/b/main.tf",
	"chain/top.json", "file.tf", "real/a/b/c/up/top.json", "real/a/b/c/up/b/main.tf",
	"real/a/nothere.tf", "nothere/x.tf", "dangling", "dangling/x.tf", "abs", "real",
	"chain", "real/a/b/c/up", "real/a/b/via/a/b/main.tf", "real/a/top.json/x",
}

// TestResolveIsEvalSymlinks: Resolve, which looks at each directory once,
// gives what filepath.EvalSymlinks gives for plain files, files under
// linked directories (absolute and relative links, a link to a link, a
// link upwards), a linked file, and fails where it fails (a missing
// element, a dangling link), asked in any order and again from memory.
func TestResolveIsEvalSymlinks(t *testing.T) {
	root := tree(t)
	var r realpath.Resolver
	for pass := range 2 {
		for _, p := range paths {
			abs := filepath.Join(root, p)
			want, wantErr := filepath.EvalSymlinks(abs)
			got, err := r.Resolve(abs)
			if (err != nil) != (wantErr != nil) || got != want {
				t.Errorf("pass %d: Resolve(%s) = %q, %v; EvalSymlinks gives %q, %v", pass, p, got, err, want, wantErr)
			}
		}
	}
}

// TestResolveRelative: a relative path resolves as EvalSymlinks resolves
// it, from the working directory.
func TestResolveRelative(t *testing.T) {
	root := tree(t)
	t.Chdir(root)
	var r realpath.Resolver
	for _, p := range append(paths, ".", "..") {
		want, wantErr := filepath.EvalSymlinks(p)
		got, err := r.Resolve(p)
		if (err != nil) != (wantErr != nil) || got != want {
			t.Errorf("Resolve(%s) = %q, %v; EvalSymlinks gives %q, %v", p, got, err, want, wantErr)
		}
	}
}

// TestResolveConcurrent: one Resolver serves many goroutines (the loader
// resolves module directories from parallel roots); run with -race.
func TestResolveConcurrent(t *testing.T) {
	root := tree(t)
	var r realpath.Resolver
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, p := range paths {
				abs := filepath.Join(root, p)
				want, _ := filepath.EvalSymlinks(abs)
				if got, _ := r.Resolve(abs); got != want {
					t.Errorf("Resolve(%s) = %q, want %q", p, got, want)
				}
			}
		})
	}
	wg.Wait()
}

// TestUnder: a resolved path is under a root reached through a link, is
// the root itself, and is not under a sibling whose name it starts with
// nor under a root that does not resolve.
func TestUnder(t *testing.T) {
	root := tree(t)
	if err := os.MkdirAll(filepath.Join(root, "real", "ab"), 0o750); err != nil {
		t.Fatal(err)
	}
	roots := realpath.Roots([]string{filepath.Join(root, "rel"), filepath.Join(root, "missing")})
	want := filepath.Join(root, "real", "a")
	if w, err := filepath.EvalSymlinks(want); err == nil {
		want = w // the temporary directory may itself lie under a link
	}
	if len(roots) != 1 || roots[0] != want {
		t.Fatalf("Roots = %q, want [%q] (the unresolvable root left out)", roots, want)
	}
	var r realpath.Resolver
	for p, under := range map[string]bool{
		"real/a/b/main.tf":       true,
		"chain/b/main.tf":        true,
		"real/a":                 true,
		"rel":                    true,
		"real/ab":                false,
		"real":                   false,
		"real/a/b/c/up/top.json": true,
		"abs/a/top.json":         true,
	} {
		real, err := r.Resolve(filepath.Join(root, p))
		if err != nil {
			t.Fatalf("Resolve(%s): %v", p, err)
		}
		if got := realpath.Under(real, roots); got != under {
			t.Errorf("Under(%s) = %v, want %v", p, got, under)
		}
	}
	if realpath.Under(filepath.Join(root, "real", "a"), nil) {
		t.Error("Under with no roots = true, want false")
	}
}
