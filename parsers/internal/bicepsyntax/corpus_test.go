package bicepsyntax

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// TestCorpus parses every .bicep file of the shared corpus (real public
// Bicep; skipped when absent, failing under CI): no syntax error, and
// every file declares something. It reports how many files and
// declarations were read.
func TestCorpus(t *testing.T) {
	root := sharedtest.Dir(t, "corpus")
	files, decls, resources, props := 0, 0, 0, 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".bicep") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f := Parse(src)
		files++
		rel, _ := filepath.Rel(root, p)
		for _, e := range f.Errors {
			t.Errorf("%s:%v", filepath.ToSlash(rel), e)
		}
		if len(f.Decls) == 0 {
			t.Errorf("%s: no declarations read", filepath.ToSlash(rel))
		}
		decls += len(f.Decls)
		for _, r := range f.Resources() {
			resources++
			props += len(r.Props)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("no .bicep files in the corpus")
	}
	t.Logf("parsed %d .bicep files: %d declarations, %d resources, %d resource properties", files, decls, resources, props)
}
