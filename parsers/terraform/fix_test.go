package terraform

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// addAt is an EditAdd of path = value to the block starting at the first
// occurrence of marker in src.
func addAt(src, marker string, value any, path ...string) model.Edit {
	at := strings.Index(src, marker)
	return model.Edit{Kind: model.EditAdd, Path: path, Value: value,
		Range: model.Range{Filename: "main.tf", Start: model.Pos{Byte: at, Line: 1 + strings.Count(src[:at], "\n"), Column: 1}}}
}

func replaceAt(src, marker string, value any) model.Edit {
	at := strings.Index(src, marker)
	return model.Edit{Kind: model.EditReplace, Value: value,
		Range: model.Range{Filename: "main.tf", Start: model.Pos{Byte: at, Line: 1 + strings.Count(src[:at], "\n"), Column: 1}}}
}

func TestEditorApply(t *testing.T) {
	formatted := `resource "azurerm_storage_account" "a" {
  name     = "sta" # the name
  location = "westeurope"
  tags = {
    env = "dev"
  }
}

resource "azurerm_linux_function_app" "f" {
  name       = "fa"
  https_only = false # TODO

  site_config {
    always_on = true
  }
}
`
	tests := []struct {
		name, src string
		edits     func(src string) []model.Edit
		want      string
	}{
		{
			name: "added attribute realigns its neighbours in a formatted file",
			src:  formatted,
			edits: func(s string) []model.Edit {
				return []model.Edit{addAt(s, `resource "azurerm_storage_account"`, "TLS1_2", "min_tls_version")}
			},
			want: strings.Replace(formatted, `  tags = {
    env = "dev"
  }
}`, `  tags = {
    env = "dev"
  }
  min_tls_version = "TLS1_2"
}`, 1),
		},
		{
			name:  "replaced literal keeps the comment aligned",
			src:   formatted,
			edits: func(s string) []model.Edit { return []model.Edit{replaceAt(s, "false # TODO", true)} },
			want:  strings.Replace(formatted, "https_only = false # TODO", "https_only = true # TODO", 1),
		},
		{
			name: "two attributes of a missing nested block make one block",
			src:  formatted,
			edits: func(s string) []model.Edit {
				return []model.Edit{
					addAt(s, `resource "azurerm_linux_function_app"`, true, "auth_settings_v2", "require_https"),
					addAt(s, `resource "azurerm_linux_function_app"`, true, "auth_settings_v2", "auth_enabled"),
					addAt(s, `resource "azurerm_linux_function_app"`, "1.2", "site_config", "minimum_tls_version"),
				}
			},
			want: strings.Replace(formatted, `    always_on = true
  }
}`, `    always_on           = true
    minimum_tls_version = "1.2"
  }
  auth_settings_v2 {
    require_https = true
    auth_enabled  = true
  }
}`, 1),
		},
		{
			name: "an unformatted file gets the line in its own indentation, nothing else changes",
			src:  "resource \"azurerm_linux_function_app\" \"f\" {\n\tname    =   \"fa\"\n\tsite_config {\n\t\talways_on=true\n\t}\n}\nlocals   { x=1 }\n",
			edits: func(s string) []model.Edit {
				return []model.Edit{addAt(s, "resource", false, "site_config", "remote_debugging_enabled"), addAt(s, "resource", false, "ftp_publish_basic_authentication_enabled")}
			},
			want: "resource \"azurerm_linux_function_app\" \"f\" {\n\tname    =   \"fa\"\n\tsite_config {\n\t\talways_on=true\n\t\tremote_debugging_enabled = false\n\t}\n\tftp_publish_basic_authentication_enabled = false\n}\nlocals   { x=1 }\n",
		},
		{
			name:  "a block on one line is opened onto several",
			src:   "resource \"azurerm_storage_account\" \"a\" { name = \"sta\" }\n",
			edits: func(s string) []model.Edit { return []model.Edit{addAt(s, "resource", "TLS1_2", "min_tls_version")} },
			want:  "resource \"azurerm_storage_account\" \"a\" {\n  name            = \"sta\"\n  min_tls_version = \"TLS1_2\"\n}\n",
		},
		{
			name: "an empty nested block on one line",
			src:  "resource \"azurerm_linux_function_app\" \"f\" {\n  name = \"fa\"\n\n  site_config {}\n}\n",
			edits: func(s string) []model.Edit {
				return []model.Edit{addAt(s, "resource", "1.2", "site_config", "minimum_tls_version")}
			},
			want: "resource \"azurerm_linux_function_app\" \"f\" {\n  name = \"fa\"\n\n  site_config {\n    minimum_tls_version = \"1.2\"\n  }\n}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ed, err := NewEditor("main.tf", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			out, errs := ed.Apply(tt.edits(tt.src))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if string(out) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
			if _, diags := hclsyntax.ParseConfig(out, "main.tf", hcl.InitialPos); diags.HasErrors() {
				t.Errorf("result does not parse: %s", diags)
			}
		})
	}
}

// TestEditorTextMatchesTree: on formatted files the text edits give what
// hclwrite's tree gives (both formatted by hclwrite): for every formatted
// .tf file of the fixtures, an attribute and a nested block's attribute
// added to each resource, and each literal bool of a resource flipped.
// (Where hclwrite's result does not parse, a block on one line, the text
// edit must parse and there is no reference.)
func TestEditorTextMatchesTree(t *testing.T) {
	if testing.Short() {
		t.Skip("serial, over every fixture: skipped with -short (the race step of .ci/run); the plain go test step runs it")
	}
	files, err := filepath.Glob("../../testdata/terraform/*/*.tf")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../testdata/terraform/*/*/*/*.tf")
	files = append(files, more...)
	checked := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(hclwrite.Format(src), src) {
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			continue
		}
		var edits []model.Edit
		at := func(r hcl.Range) model.Range {
			return model.Range{Filename: name, Start: model.Pos{Byte: r.Start.Byte, Line: r.Start.Line, Column: r.Start.Column}}
		}
		for _, blk := range f.Body.(*hclsyntax.Body).Blocks {
			if blk.Type != "resource" {
				continue
			}
			edits = append(edits,
				model.Edit{Kind: model.EditAdd, Range: at(blk.Range()), Path: []string{"azfuncscan_test_added"}, Value: true},
				model.Edit{Kind: model.EditAdd, Range: at(blk.Range()), Path: []string{"site_config", "minimum_tls_version"}, Value: "1.2"})
			for _, a := range blk.Body.Attributes {
				if lit, ok := a.Expr.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.Bool {
					edits = append(edits, model.Edit{Kind: model.EditReplace, Range: at(a.Expr.Range()), Value: lit.Val.False()})
				}
			}
		}
		ed, err := NewEditor(name, src)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range edits {
			got, errs := ed.Apply([]model.Edit{e})
			if len(errs) > 0 {
				t.Errorf("%s edit %d: %v", name, i, errs)
				continue
			}
			if _, diags := hclsyntax.ParseConfig(got, name, hcl.InitialPos); diags.HasErrors() {
				t.Errorf("%s edit %d: result does not parse: %s", name, i, diags)
				continue
			}
			chs, _ := ed.locate([]model.Edit{e})
			want := treeEdit(t, src, chs)
			if _, diags := hclsyntax.ParseConfig(want, name, hcl.InitialPos); diags.HasErrors() {
				// hclwrite adds to a block written on one line
				// (site_config {}) without opening it: no reference.
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s edit %d (%v %v): text edit\n%s\ntree edit\n%s", name, i, e.Kind, e.Path, got, want)
			}
			checked++
		}
	}
	if checked < 800 {
		t.Errorf("only %d edits checked", checked)
	}
	t.Logf("%d edits checked", checked)
}

// treeEdit makes changes the way hclwrite's own tree does (the whole file
// parsed, each attribute set, the result formatted): the reference the
// text edits of a formatted file must equal.
func treeEdit(t *testing.T, src []byte, cs []change) []byte {
	t.Helper()
	wf, diags := hclwrite.ParseConfig(src, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, c := range cs {
		body := wf.Body()
		for _, s := range c.steps {
			var found *hclwrite.Block
			n := 0
			for _, b := range body.Blocks() {
				if b.Type() == s.typ && equalLabels(b.Labels(), s.labels) {
					if n == s.index {
						found = b
						break
					}
					n++
				}
			}
			if found == nil {
				if !c.create {
					t.Fatalf("block %s not found", s.typ)
				}
				found = body.AppendNewBlock(s.typ, s.labels)
			}
			body = found.Body()
		}
		body.SetAttributeValue(c.name, c.val)
	}
	return hclwrite.Format(wf.Bytes())
}

// BenchmarkEditorApply measures one fix edit (an attribute added to a
// resource) in a file of many resources, the SARIF report's case: the
// file is parsed once, each edit costs its block.
func BenchmarkEditorApply(b *testing.B) {
	var src bytes.Buffer
	for i := range 40 {
		fmt.Fprintf(&src, "resource \"azurerm_storage_account\" \"s%d\" {\n  name                = \"st%d\"\n  resource_group_name = \"rg\"\n  location            = \"westeurope\"\n\n  network_rules {\n    default_action = \"Deny\"\n  }\n}\n\n", i, i)
	}
	text := src.Bytes()
	f, diags := hclsyntax.ParseConfig(text, "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	blocks := f.Body.(*hclsyntax.Body).Blocks
	ed, err := NewEditor("main.tf", text)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		blk := blocks[i%len(blocks)]
		e := model.Edit{Kind: model.EditAdd, Path: []string{"min_tls_version"}, Value: "TLS1_2",
			Range: model.Range{Filename: "main.tf", Start: model.Pos{Line: blk.Range().Start.Line, Column: 1, Byte: blk.Range().Start.Byte}}}
		out, errs := ed.Apply([]model.Edit{e})
		if len(errs) > 0 || bytes.Equal(out, text) {
			b.Fatal(errs)
		}
	}
}

// TestFormatInsertedMatchesFormat checks that lines added at the end of
// a block of a formatted file come out as formatting the whole block
// gives (formatInserted formats only the attribute lines they join):
// one or two attributes, short and long names, added to every resource
// and to the blocks nested in it, alone or beside a literal of the
// block replaced, in every formatted fixture.
func TestFormatInsertedMatchesFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("serial, over every fixture: skipped with -short (the race step of .ci/run); the plain go test step runs it")
	}
	files, err := filepath.Glob("../../testdata/terraform/*/*.tf")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../../testdata/terraform/*/*/*/*.tf")
	files = append(files, more...)
	// Blocks whose last lines Format aligns in other ways, formatted.
	synthetic := []string{
		"resource \"a\" \"b\" {\n  x = 1 # c\n  yy = \"v\"\n}\n",
		"resource \"a\" \"b\" {\n  x = 1\n  # a comment\n  yy = \"v\" // c\n}\n",
		"resource \"a\" \"b\" {\n  tags = [\n    \"a\",\n  ]\n  x = true\n}\n",
		"resource \"a\" \"b\" {\n  x = true\n  tags = [\n    \"a\",\n  ]\n}\n",
		"resource \"a\" \"b\" {\n  s = <<EOT\n  text = 1\nEOT\n  x = true\n}\n",
		"resource \"a\" \"b\" {\n  n = max(1, 2)\n  m = -1\n  o = \"${var.x}-y\"\n  p = var.a.b\n}\n",
		"resource \"a\" \"b\" {\n  site_config {\n    a = 1\n  }\n  x = 2\n  dynamic \"d\" {\n    content {\n      k = \"v\"\n    }\n  }\n  yyyyyy = 3\n}\n",
		"resource \"a\" \"b\" {\n  x = { k = 1 }\n  y = [1, 2]\n}\n",
		"resource \"a\" \"b\" {\n  x = \"a # not a comment\"\n  y = \"// nor this\"\n}\n",
		"resource \"a\" \"b\" {\n\n  x = 1\n\n  y = 2\n}\n",
		"resource \"a\" \"b\" { # c\n  x = 1\n}\n",
		"resource \"a\" \"b\" {\n  s = <<EOT\nhello\nEOT\n  x = false\n}\n",
		"resource \"a\" \"b\" {\n  s = <<EOT\nhello\nEOT\n\n  x = false\n}\n",
		"resource \"a\" \"b\" {\n  s = \"v\" # c\n  x = false\n}\n",
		"resource \"a\" \"b\" {\n  s = \"v\"\n  tt = 1 # c\n\n  x = false\n}\n",
	}
	texts := map[string][]byte{}
	for i, text := range synthetic {
		name := fmt.Sprintf("synthetic-%d.tf", i)
		files = append(files, name)
		texts[name] = hclwrite.Format([]byte(text))
	}
	fast, checked := 0, 0
	for _, name := range files {
		src, ok := texts[name]
		if !ok {
			if src, err = os.ReadFile(name); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(hclwrite.Format(src), src) {
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			continue
		}
		quick, err := NewEditor(name, src)
		if err != nil {
			t.Fatal(err)
		}
		whole, _ := NewEditor(name, src)
		whole.formatWhole = true
		for _, blk := range f.Body.(*hclsyntax.Body).Blocks {
			at := model.Range{Filename: name, Start: model.Pos{Byte: blk.Range().Start.Byte}}
			var paths [][]string
			var nested func(prefix []string, b *hclsyntax.Block)
			nested = func(prefix []string, b *hclsyntax.Block) {
				paths = append(paths, prefix)
				for _, in := range b.Body.Blocks {
					nested(append(slices.Clone(prefix), in.Type), in)
				}
			}
			nested(nil, blk)
			// Literals of the block, replaced beside the lines added.
			var literals []model.Edit
			var collect func(b *hclsyntax.Body)
			collect = func(b *hclsyntax.Body) {
				for _, a := range b.Attributes {
					if isLiteral(a.Expr) && len(literals) < 3 {
						r := a.Expr.Range()
						literals = append(literals, model.Edit{Kind: model.EditReplace, Range: model.Range{Filename: name, Start: model.Pos{Byte: r.Start.Byte}}, Value: "azfuncscan-replaced"})
					}
				}
				for _, in := range b.Blocks {
					collect(in.Body)
				}
			}
			collect(blk.Body)
			for _, p := range paths {
				combos := [][]string{{"a"}, {"azfuncscan_a_long_attribute_name"}, {"b", "azfuncscan_a_long_attribute_name"}}
				for range literals {
					combos = append(combos, []string{"a"}, []string{"azfuncscan_a_long_attribute_name"})
				}
				for c, names := range combos {
					var edits []model.Edit
					for i, n := range names {
						edits = append(edits, model.Edit{Kind: model.EditAdd, Range: at, Path: append(slices.Clone(p), n), Value: []any{true, "1.2"}[i%2]})
					}
					if c >= 3 {
						edits = append(edits, literals[(c-3)/2])
					}
					got, errs := quick.Apply(edits)
					want, werrs := whole.Apply(edits)
					if len(errs) != len(werrs) {
						t.Fatalf("%s %v: errors %v, formatted whole %v", name, edits, errs, werrs)
					}
					if !bytes.Equal(got, want) {
						t.Fatalf("%s %q %v: formatting the inserted lines gives\n%s\nformatting the block gives\n%s", name, p, names, got, want)
					}
					checked++
				}
			}
		}
		fast += quick.insertsFormatted
	}
	if fast < 50 {
		t.Errorf("only %d of %d edits took formatInserted", fast, checked)
	}
	t.Logf("%d edits, %d formatted by formatInserted", checked, fast)
}
