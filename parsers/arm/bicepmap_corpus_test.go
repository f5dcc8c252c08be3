package arm

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// TestBicepCorpusMapping loads every template of the shared corpus that
// has its .bicep source beside it (skipped when the corpus is absent,
// failing under CI): every function app declared in Bicep is located in
// Bicep, and it reports how many of the apps' values moved into Bicep.
func TestBicepCorpusMapping(t *testing.T) {
	root := sharedtest.Dir(t, "corpus", "arm")
	templates, apps, inBicep, inJSON := 0, 0, 0, 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		if _, err := os.Stat(strings.TrimSuffix(p, ".json") + ".bicep"); err != nil {
			return nil
		}
		templates++
		m, _ := LoadFile(context.Background(), p, Options{})
		rel, _ := filepath.Rel(root, p)
		for _, a := range m.FunctionApps {
			apps++
			declared := false
			for _, r := range a.Related {
				declared = declared || strings.HasPrefix(r.Message, "declared in Bicep here")
			}
			if declared && filepath.Ext(a.Range.Filename) != ".bicep" {
				t.Errorf("%s: %s is declared in Bicep but located at %s", rel, a.Address, a.Range)
			}
			var visit func(v reflect.Value, depth int)
			visit = func(v reflect.Value, depth int) {
				if depth > 20 {
					return
				}
				switch v.Kind() {
				case reflect.Pointer:
					if !v.IsNil() {
						visit(v.Elem(), depth+1)
					}
				case reflect.Slice:
					for i := range v.Len() {
						visit(v.Index(i), depth+1)
					}
				case reflect.Struct:
					if v.Type() == reflect.TypeFor[model.Meta]() {
						mt := v.Interface().(model.Meta)
						switch filepath.Ext(mt.Range.Filename) {
						case ".bicep":
							inBicep++
						case ".json":
							inJSON++
							if testing.Verbose() && mt.Origin == model.Explicit {
								t.Logf("%s: %s stays in the compiled template at %s", rel, a.Address, mt.Range)
							}
						}
						return
					}
					for i := range v.NumField() {
						if v.Type().Field(i).IsExported() && v.Type().Field(i).Name != "Resource" {
							visit(v.Field(i), depth+1)
						}
					}
				}
			}
			visit(reflect.ValueOf(a).Elem(), 0)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if templates == 0 {
		t.Fatal("no template with its .bicep source in the corpus")
	}
	t.Logf("%d templates with .bicep sources, %d function apps: %d values located in Bicep, %d left in the compiled template", templates, apps, inBicep, inJSON)
}
