package sharedtest_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

func TestRepoRoot(t *testing.T) {
	root := sharedtest.RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "analyzer", "sharedtest", "doc.go")); err != nil {
		t.Errorf("RepoRoot = %s, not this repository: %v", root, err)
	}
}

// recorder records how a test ended without ending the real one.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Skipf(string, ...any)  { r.skipped = true }
func (r *recorder) Fatal(...any)          { r.failed = true }

func TestMissingFailsUnderCI(t *testing.T) {
	t.Setenv("CI", "true")
	r := &recorder{TB: t}
	sharedtest.Dir(r, "no such directory, surely")
	if !r.failed || r.skipped {
		t.Errorf("under CI a missing ../shared must fail the test: failed %v, skipped %v", r.failed, r.skipped)
	}
}

func TestMissingSkipsOutsideCI(t *testing.T) {
	t.Setenv("CI", "")
	r := &recorder{TB: t}
	sharedtest.Dir(r, "no such directory, surely")
	if r.failed || !r.skipped {
		t.Errorf("outside CI a missing ../shared skips: failed %v, skipped %v", r.failed, r.skipped)
	}
}

// TestNoMachinePaths: no Go file names ../shared by an absolute path of
// one machine, or builds the relative path by hand; tests use Dir.
func TestNoMachinePaths(t *testing.T) {
	root := sharedtest.RepoRoot(t)
	bad := []*regexp.Regexp{
		regexp.MustCompile(`"/work/`),
		regexp.MustCompile(`"\.\.",\s*"shared"`),
		regexp.MustCompile(`\.\./shared/`),
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || filepath.Base(filepath.Dir(p)) == "sharedtest" {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			for _, re := range bad {
				if re.MatchString(line) {
					rel, _ := filepath.Rel(root, p)
					t.Errorf("%s:%d: %s (use sharedtest.Dir)", filepath.ToSlash(rel), i+1, strings.TrimSpace(line))
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
