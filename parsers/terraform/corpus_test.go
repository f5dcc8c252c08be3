package terraform

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// TestCorpus loads every directory of the shared corpus: no panic (LoadDir
// turns one into an internal-error diagnostic, which fails here), every
// diagnostic located, and function apps found where there are some.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("serial, over every fixture: skipped with -short (the race step of .ci/run); the plain go test step runs it")
	}
	corpusRoot := sharedtest.Dir(t, "corpus", "terraform")
	dirs := 0
	err := filepath.WalkDir(corpusRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil //nolint:nilerr // unreadable entries are skipped, not fatal
		}
		dirs++
		mod, diags := LoadDir(context.Background(), path, Options{})
		for _, d := range diags {
			if d.Summary == internalErrorSummary || strings.HasPrefix(d.Detail, "internal error:") {
				t.Errorf("%s: LoadDir panicked: %s", path, d.Detail)
			}
			if d.Range.Filename != "" && d.Range.Start.Line < 1 && d.Summary != "Value for undeclared variable" {
				t.Errorf("%s: diagnostic without a line: %+v", path, d)
			}
		}
		for _, a := range mod.FunctionApps {
			if a.Range.Start.Line < 1 || a.Address == "" {
				t.Errorf("%s: function app without address or line: %+v", path, a.Resource)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if dirs < 10 {
		t.Errorf("walked only %d directories", dirs)
	}

	dir := filepath.Join(corpusRoot, "Azure-terraform", "quickstart", "201-function-app")
	mod, _ := load(t, dir, Options{})
	a := app(t, mod, "azurerm_linux_function_app.main")
	wantValue(t, "https_only", a.HTTPSOnly, true, model.Explicit, 0)
	wantValue(t, "builtin_logging", a.BuiltinLogging, false, model.Explicit, 0)
	if a.StorageAccount == nil || a.StorageAccount.Address != "azurerm_storage_account.default" {
		t.Errorf("storage account not linked: %+v", a.StorageAccount)
	}
	if a.Plan == nil || a.Plan.SKU.V != "Y1" {
		t.Errorf("plan not linked: %+v", a.Plan)
	}
	// The name comes from random_pet: unknown, and the note says so.
	if a.Name.Origin != model.Unknown || a.StorageAccessKey.Origin != model.Unknown {
		t.Errorf("name %+v / access key %+v should be unknown", a.Name.Meta, a.StorageAccessKey.Meta)
	}
}
