package terraform

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func TestHCLModuleSources(t *testing.T) {
	src := `# module "commented" { source = "./no" }
/* module "block-comment" {
  source = "./no"
} */
module "a" {
  source = "./a" # trailing comment
  name   = "x"
}

module b {
  source  = "../b"
  version = "1.0"
}

module "one-line" { source = "./one" }

module "templated" {
  source = "./${var.x}"
}

module "nested" {
  settings = {
    source = "./no"
  }
  source = "./nested"
}

resource "x" "y" {
  source = "./no"
  script = <<-EOT
    module "in-heredoc" {
      source = "./no"
    }
  EOT
  value = "${jsondecode("{\"a\": {}}")}"
}

locals {
  s = "}}}"
}

module "after" {
  source = "./after"
}

module "escaped" {
  source = "./es\"c"
}
`
	got, _ := hclModuleSources([]byte(src))
	want := []string{"./a", "../b", "./one", "./nested", "./after", `./es"c`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %q", got)
	}
	for _, odd := range []string{"", "module", `module "x" {`, `module "x" { source = "./unterminated`, "x = <<EOT\nno end", "/* open", `"${`} {
		_, _ = hclModuleSources([]byte(odd)) // no panic, no hang
	}
}

func TestJSONModuleSources(t *testing.T) {
	src := `{
  "module": {
    "a": {"source": "./a"},
    "b": [{"source": "../b"}]
  },
  "resource": {"x": {"y": {"source": "./no"}}}
}`
	if got, _ := jsonModuleSources([]byte(src)); !reflect.DeepEqual(got, []string{"./a", "../b"}) {
		t.Errorf("sources = %q", got)
	}
	arr := `{"module": [{"c": {"source": "./c"}}]}`
	if got, _ := jsonModuleSources([]byte(arr)); !reflect.DeepEqual(got, []string{"./c"}) {
		t.Errorf("array form: %q", got)
	}
	if got, _ := jsonModuleSources([]byte("{")); got != nil {
		t.Errorf("broken JSON: %q", got)
	}
}

// TestQuietTreesAreNotEvaluated: a root whose tree (its files and the
// local modules it calls) declares no function app and calls no other
// module is decoded (its syntax errors are reported) but not evaluated. A
// root that declares an app (here behind the same unknown function), an
// azapi resource, or that calls a module holding an app, a registry
// module, a module outside the scanned directories or one whose source
// the byte scanner cannot read, is evaluated.
func TestQuietTreesAreNotEvaluated(t *testing.T) {
	const unknownFn = "locals {\n  x = nosuchfunc(1)\n}\n"
	const storage = "resource \"azurerm_storage_account\" \"s\" {\n  name = \"x\"\n}\n"
	dir := fixture(t, map[string]string{
		"quiet/main.tf":  unknownFn + "resource \"azurerm_storage_account\" \"s\" {\n  name = local.x\n}\n",
		"broken/main.tf": "resource \"azurerm_storage_account\" \"s\" {\n",
		"app/main.tf":    unknownFn + "resource \"azurerm_linux_function_app\" \"a\" {\n  name = local.x\n}\n",
		"azapi/main.tf":  unknownFn + "resource \"azapi_resource\" \"a\" {\n  type = local.x\n}\n",
		// Calls of modules without an app: quiet.
		"calls/main.tf":       unknownFn + "module \"m\" {\n  source = \"./m\"\n}\n",
		"calls/m/main.tf":     storage,
		"callsjson/main.tf":   unknownFn,
		"callsjson/x.tf.json": `{"module": {"m": {"source": "../calls/m"}}}`,
		// Calls that may hold an app.
		"callsapp/main.tf":     unknownFn + "module \"m\" {\n  source = \"./m\"\n}\n",
		"callsapp/m/main.tf":   "resource \"azurerm_function_app_flex_consumption\" \"f\" {\n  name = \"f\"\n}\n",
		"registry/main.tf":     unknownFn + "module \"m\" {\n  source = \"Azure/avm-res-web-site/azurerm\"\n}\n",
		"outside/main.tf":      unknownFn + "module \"m\" {\n  source = \"../../elsewhere\"\n}\n",
		"templated/main.tf":    unknownFn + "module \"m\" {\n  source = \"./${local.x}\"\n}\n",
		"jsonbroken/main.tf":   unknownFn,
		"jsonbroken/x.tf.json": `{"module": `,
		// A quiet file beside one that is not: the directory is evaluated.
		"mixed/a.tf": unknownFn,
		"mixed/b.tf": "resource \"azurerm_windows_function_app\" \"w\" {\n  name = \"w\"\n}\n",
	})
	var dirs []string
	for _, d := range []string{"app", "azapi", "broken", "calls", "calls/m", "callsapp", "callsapp/m", "callsjson", "jsonbroken", "mixed", "outside", "quiet", "registry", "templated"} {
		dirs = append(dirs, filepath.Join(dir, d))
	}
	evaluated := map[string]bool{}
	for _, r := range LoadDirs(context.Background(), dirs, Options{}) {
		name := filepath.ToSlash(strings.TrimPrefix(r.Module.Path, dir+string(filepath.Separator)))
		for _, d := range r.Diags {
			switch {
			case strings.Contains(d.Summary, "Function not evaluated"):
				evaluated[name] = true
			case name == "broken" && d.Severity == model.SevError:
				evaluated["broken (syntax error reported)"] = true
			}
		}
	}
	want := map[string]bool{"app": true, "azapi": true, "callsapp": true, "jsonbroken": true, "mixed": true, "outside": true,
		"registry": true, "templated": true, "broken (syntax error reported)": true}
	if !maps.Equal(evaluated, want) {
		t.Errorf("evaluated (or reported) %v, want %v", slices.Sorted(maps.Keys(evaluated)), slices.Sorted(maps.Keys(want)))
	}
	for _, src := range []string{"# function_app in a comment\n", "resource \"azapi_update_resource\" \"u\" {}\n"} {
		if quietSource([]byte(src)) {
			t.Errorf("quietSource(%q) = true", src)
		}
	}
	if n := moduleLines([]byte("module \"a\" {\n  x = 1\n}\n  module b {\n}\nmodules = 1\n# module c\n")); n != 2 {
		t.Errorf("moduleLines = %d, want 2", n)
	}
}

// dirModuleSources scans a .tf file's tokens only when it holds the word
// module: without it, the scanners find no call and no line starting
// with it, whatever else the file holds (every fixture of the
// repository, the word spelt otherwise).
func TestModuleScanNeedsTheWord(t *testing.T) {
	var files []string
	err := filepath.WalkDir(filepath.Join("..", "..", "testdata"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tofu")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	called := 0
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, calls := hclModuleSources(src); calls > 0 {
			called++
		}
		src = bytes.ReplaceAll(src, []byte("module"), []byte("modvle"))
		if all, calls := hclModuleSources(src); all != nil || calls != 0 || moduleLines(src) != 0 {
			t.Errorf("%s without the word module: sources %q, %d calls, %d module lines", p, all, calls, moduleLines(src))
		}
	}
	if called == 0 {
		t.Fatalf("none of %d fixtures calls a module: nothing compared", len(files))
	}
}
