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
