package terraform

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestSyntaxContentMatchesPartialContent: what decodeBody reads from a
// native-syntax body without PartialContent (syntaxContent) is what
// PartialContent and JustAttributes give, in the same order; a body
// whose block labels do not fit the schema is left to PartialContent.
func TestSyntaxContentMatchesPartialContent(t *testing.T) {
	schema := &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "dynamic", LabelNames: []string{"type"}},
		{Type: "site_config"},
		{Type: "custom", LabelNames: []string{"label0"}},
	}}
	cases := []struct {
		name, src string
		fits      bool
	}{
		{"attributes only", "b = 1\na = \"x\"\nzz = var.z\n", true},
		{"blocks in order", "a = 1\nsite_config {\n  x = 1\n}\ndynamic \"ip\" {\n  for_each = []\n  content {}\n}\ncustom \"l\" {}\nsite_config {}\n", true},
		{"unknown block type", "a = 1\nother {}\n", true},
		{"empty", "", true},
		{"extra label", "site_config \"x\" {}\n", false},
		{"missing label", "dynamic {}\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, diags := hclsyntax.ParseConfig([]byte(c.src), "main.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			body := f.Body.(*hclsyntax.Body)
			attrs, blocks, ok := syntaxContent(body, schema)
			if ok != c.fits {
				t.Fatalf("ok = %v, want %v", ok, c.fits)
			}
			if !ok {
				return
			}
			content, remain, pdiags := body.PartialContent(schema)
			if len(pdiags) != 0 {
				t.Fatalf("PartialContent reported %v on a body syntaxContent takes", pdiags)
			}
			want, jdiags := remain.JustAttributes()
			if len(withoutBlockComplaints(jdiags)) != 0 {
				t.Fatalf("JustAttributes reported %v", jdiags)
			}
			sorted := sortedAttrs(want)
			if len(attrs) != len(sorted) {
				t.Fatalf("%d attributes, want %d", len(attrs), len(sorted))
			}
			for i, a := range sorted {
				if attrs[i].Name != a.Name || attrs[i].Expr != a.Expr {
					t.Errorf("attribute %d: %s, want %s", i, attrs[i].Name, a.Name)
				}
			}
			if len(blocks) != len(content.Blocks) {
				t.Fatalf("%d blocks, want %d", len(blocks), len(content.Blocks))
			}
			for i, b := range content.Blocks {
				if blocks[i].Type != b.Type || blocks[i].Body != b.Body || blocks[i].DefRange != b.DefRange || len(blocks[i].Labels) != len(b.Labels) {
					t.Errorf("block %d: %s at %v, want %s at %v", i, blocks[i].Type, blocks[i].DefRange, b.Type, b.DefRange)
				}
			}
		})
	}
}

// TestPartialAttrsMatchesPartialContent: the attributes partialAttrs
// reads and the diagnostics it gives are PartialContent's, whether it
// reads the body directly or not.
func TestPartialAttrsMatchesPartialContent(t *testing.T) {
	optional := &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "default"}, {Name: "type"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "validation"}},
	}
	required := &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "value", Required: true}}}
	cases := []struct {
		name, src string
		schema    *hcl.BodySchema
	}{
		{"set and unset", "default = 1\nother = 2\nvalidation {}\n", optional},
		{"labelled validation", "type = string\nvalidation \"x\" {}\n", optional},
		{"required missing", "other = 1\n", required},
		{"required set", "value = 1\n", required},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, diags := hclsyntax.ParseConfig([]byte(c.src), "main.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			attr, got := partialAttrs(f.Body, c.schema)
			content, _, want := f.Body.PartialContent(c.schema)
			if len(got) != len(want) {
				t.Fatalf("diagnostics %v, want %v", got, want)
			}
			for i := range want {
				if got[i].Summary != want[i].Summary {
					t.Errorf("diagnostic %q, want %q", got[i].Summary, want[i].Summary)
				}
			}
			for _, name := range []string{"default", "type", "value", "other"} {
				var wantExpr hcl.Expression
				if a := content.Attributes[name]; a != nil {
					wantExpr = a.Expr
				}
				if gotExpr := attr(name); gotExpr != wantExpr {
					t.Errorf("%s: %v, want %v", name, gotExpr, wantExpr)
				}
			}
		})
	}
}
