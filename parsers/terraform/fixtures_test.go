package terraform_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/analyzertest"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

// TestFixtures runs the built-in checks over every fixture module under
// testdata/terraform and compares the findings with the fixture's
// `# want` comments and expect.json: missing and unexpected findings fail.
func TestFixtures(t *testing.T) {
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..", "testdata", "terraform")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	load := func(dir string) (*model.Module, model.Diagnostics) {
		return terraform.LoadDir(context.Background(), dir, terraform.Options{})
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			analyzertest.Run(t, filepath.Join(root, e.Name()), load, eng)
		})
	}
	if n < 10 {
		t.Fatalf("found %d fixture modules under %s, want the full set", n, root)
	}
}
