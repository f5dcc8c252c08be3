package terraform

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// TestSharedSchemasPrepared checks that the schemas every tree shares
// come with the decode schemas of all their blocks already made, equal to
// those made on demand, so that trees on several goroutines only read
// them; and that types without a schema are not kept.
func TestSharedSchemasPrepared(t *testing.T) {
	types := []string{
		"azurerm_linux_function_app", "azurerm_windows_web_app", "azurerm_storage_account",
		"azurerm_storage_account_network_rules", "azurerm_app_service_plan",
		"azurerm_private_endpoint", "azurerm_monitor_diagnostic_setting",
	}
	l := NewLoader(Options{})
	tr := newTree(context.Background(), l, t.TempDir())
	var check func(path string, bs *blockSchema)
	check = func(path string, bs *blockSchema) {
		for i, top := range []bool{false, true} {
			if bs.decode[i] == nil {
				t.Fatalf("%s: decode schema (top %v) not made ahead", path, top)
			}
			if want := buildDecodeSchema(bs, top); !reflect.DeepEqual(bs.decode[i], want) {
				t.Errorf("%s: decode schema (top %v) = %+v, want %+v", path, top, bs.decode[i], want)
			}
			if got := tr.decodeSchema(bs, top); got != bs.decode[i] {
				t.Errorf("%s: decodeSchema does not give the prepared schema", path)
			}
		}
		for name, c := range bs.blocks {
			if len(c.blocks) > 0 {
				check(path+"."+name, c)
			} else if c.decode != [2]*decodeSchema{} {
				t.Errorf("%s.%s: a leaf block has its own decode schemas; it decodes with noSchema", path, name)
			}
		}
	}
	for _, typ := range types {
		bs := l.schemaFor(typ)
		if bs == nil {
			t.Fatalf("%s: no schema", typ)
		}
		if again := l.schemaFor(typ); again != bs {
			t.Errorf("%s: schema made again instead of shared", typ)
		}
		if want := schemaFor(typ); !sameBlocks(bs, want) {
			t.Errorf("%s: shared schema differs from schemaFor", typ)
		}
		check(typ, bs)
	}
	check("noSchema", l.noSchemaFor())
	if bs := l.schemaFor("azurerm_subnet"); bs != nil {
		t.Errorf("azurerm_subnet: schema %+v, want none", bs)
	}
	if _, kept := l.schemas.Load("azurerm_subnet"); kept {
		t.Error("a type without a schema is kept by the loader")
	}
}

// TestSharedSchemasConcurrent decodes, in trees of one loader on
// several goroutines, a .tf.json function app whose nested blocks only
// the shared schema tells from object attributes, and reads the decode
// schemas of every block of the shared schemas (go test -race finds a
// write into a shared schema).
func TestSharedSchemasConcurrent(t *testing.T) {
	dir := fixture(t, map[string]string{"main.tf.json": `{"resource": {"azurerm_linux_function_app": {"app": {
  "name": "a",
  "site_config": [{"ip_restriction": [{"name": "r1", "headers": [{}]}, {"name": "r2"}]}]
}}}}`})
	l := NewLoader(Options{})
	var wg sync.WaitGroup
	errs := make(chan string, 4*20)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				tr := newTree(context.Background(), l, dir)
				var walk func(bs *blockSchema)
				walk = func(bs *blockSchema) {
					tr.decodeSchema(bs, false)
					tr.decodeSchema(bs, true)
					for _, c := range bs.blocks {
						walk(c)
					}
				}
				walk(tr.schemaFor("azurerm_linux_function_app"))
				walk(tr.schemaFor("azurerm_monitor_diagnostic_setting"))
				mod, _ := l.Load(context.Background(), dir)
				if mod == nil || len(mod.FunctionApps) != 1 {
					errs <- "function app not read"
					return
				}
				if n := mod.FunctionApps[0].SiteConfig.IPRestrictions.Len(); n != 2 {
					errs <- fmt.Sprintf("%d IP restrictions read, want 2", n)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// sameBlocks reports whether a and b describe the same nested block types.
func sameBlocks(a, b *blockSchema) bool {
	if len(a.blocks) != len(b.blocks) {
		return false
	}
	for name, c := range a.blocks {
		if d, ok := b.blocks[name]; !ok || !sameBlocks(c, d) {
			return false
		}
	}
	return true
}
