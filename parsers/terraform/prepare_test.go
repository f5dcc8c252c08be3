package terraform

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// prepareByVisitAll is prepareSyntax as hclsyntax.VisitAll gives it: the
// reference its own walk must match.
func prepareByVisitAll(b *hclsyntax.Body) (names, funcs map[string]bool, fors int) {
	names, funcs = map[string]bool{}, map[string]bool{}
	_ = hclsyntax.VisitAll(b, func(n hclsyntax.Node) hcl.Diagnostics {
		var t hcl.Traversal
		switch e := n.(type) {
		case *hclsyntax.FunctionCallExpr:
			funcs[e.Name] = true
		case *hclsyntax.ForExpr:
			fors++
		case *hclsyntax.ScopeTraversalExpr:
			t = e.Traversal
		case *hclsyntax.RelativeTraversalExpr:
			t = e.Traversal
		}
		for _, step := range t {
			if a, ok := step.(hcl.TraverseAttr); ok {
				names[a.Name] = true
			}
		}
		return nil
	})
	return names, funcs, fors
}

// chargedFors counts the for expressions whose collection is charged
// once (chargedExpr around the collection as written), through VisitAll;
// a for expression charged twice, or not at all, is counted in bad.
func chargedFors(b *hclsyntax.Body) (charged, bad int) {
	_ = hclsyntax.VisitAll(b, func(n hclsyntax.Node) hcl.Diagnostics {
		if e, ok := n.(*hclsyntax.ForExpr); ok {
			c, ok := e.CollExpr.(chargedExpr)
			if ok {
				_, twice := c.Expression.(chargedExpr)
				ok = !twice
			}
			if ok {
				charged++
			} else {
				bad++
			}
		}
		return nil
	})
	return charged, bad
}

// TestPrepareSyntaxWalksAll: prepareSyntax's walk finds the attribute
// names and function names VisitAll finds and charges every for
// expression once, on a file that uses every kind of expression and on
// every .tf file of the fixtures; a second prepare charges nothing twice.
func TestPrepareSyntaxWalksAll(t *testing.T) {
	srcs := map[string]string{
		"every kind": `
locals {
  a = (var.x.y + 1) * -local.z.w
  b = [for k, v in var.m : upper(v.name) if v.enabled && k != "x"]
  c = { for k, v in { p = q.r } : lower(k) => [for s in v.list : s.id] }
  d = cond.flag ? tolist(x.items)[0].attr : var.list[*].id
  e = "${a.b}-%{ if c.d }${e.f}%{ else }${join(",", g.h)}%{ endif }"
  f = <<EOT
  ${heredoc.attr} ${format("%s", h.i)}
  EOT
  g = { (key.expr) = 1, plain = 2, "quoted" = 3, null = try(j.k, null) }
  h = obj.list[idx.value].leaf
  i = [for x in [for y in nested.outer : y.inner] : x.deep]
  j = splat.items.*.name
}
resource "r" "n" {
  dynamic "blk" {
    for_each = { for k, v in each.value.m : k => v }
    content {
      v = blk.value.field
    }
  }
}
`,
	}
	addTFFiles(srcs, filepath.Join("..", "..", "testdata", "terraform"))
	if len(srcs) < 50 {
		t.Fatalf("only %d files to compare", len(srcs))
	}
	comparePrepare(t, srcs)
	if names, _ := prepareSyntax(hcl.EmptyBody()); names != nil {
		t.Error("a body that is not native syntax: names, want nil")
	}
}

// TestPrepareSyntaxWalksCorpus is TestPrepareSyntaxWalksAll on every .tf
// file of the shared corpus.
func TestPrepareSyntaxWalksCorpus(t *testing.T) {
	srcs := map[string]string{}
	addTFFiles(srcs, sharedtest.Dir(t, "corpus"))
	if len(srcs) < 100 {
		t.Fatalf("only %d files in the shared corpus", len(srcs))
	}
	comparePrepare(t, srcs)
}

// addTFFiles adds the .tf files below root to srcs, by path.
func addTFFiles(srcs map[string]string, root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") {
			if b, err := os.ReadFile(p); err == nil {
				srcs[p] = string(b)
			}
		}
		return nil
	})
}

// comparePrepare compares prepareSyntax with the VisitAll reference on
// every file of srcs that parses.
func comparePrepare(t *testing.T, srcs map[string]string) {
	t.Helper()
	compared := 0
	for name, src := range srcs {
		parse := func() *hclsyntax.Body {
			f, diags := hclsyntax.ParseConfig([]byte(src), name, hcl.InitialPos)
			if diags.HasErrors() {
				return nil
			}
			return f.Body.(*hclsyntax.Body)
		}
		ref, mine := parse(), parse()
		if ref == nil {
			continue
		}
		wantNames, wantFuncs, fors := prepareByVisitAll(ref)
		names, funcs := prepareSyntax(mine)
		if d := cmp.Diff(wantNames, names); d != "" {
			t.Errorf("%s: attribute names (-VisitAll +prepareSyntax):\n%s", name, d)
		}
		if d := cmp.Diff(wantFuncs, funcs); d != "" {
			t.Errorf("%s: function names (-VisitAll +prepareSyntax):\n%s", name, d)
		}
		for round := 1; round <= 2; round++ {
			if charged, bad := chargedFors(mine); charged != fors || bad != 0 {
				t.Errorf("%s, prepare %d: %d of %d for expressions charged once, %d not or twice", name, round, charged, fors, bad)
			}
			prepareSyntax(mine)
		}
		compared++
	}
	t.Logf("%d files compared", compared)
}

// TestRootDetectionHoldsSources: the files root detection read are loaded
// from what it kept (the module a root calls, rewritten on disk in
// between, loads as it was read), once: a second load of the same
// directory reads the disk again. A file that did not read cleanly (a NUL byte) is
// not kept; a language server's ReadFile keeps nothing; the budget is
// given back as files are taken.
func TestRootDetectionHoldsSources(t *testing.T) {
	files := map[string]string{
		"root/main.tf": `module "app" {
  source = "../modules/app"
}
`,
		"modules/app/main.tf": `resource "azurerm_linux_function_app" "this" {
  name       = "held"
  https_only = true
}
`,
		"other/bad.tf": "locals {\n  x = \"\x00\"\n}\n",
	}
	dir := fixture(t, files)
	l := NewLoader(Options{})
	roots := l.Roots(context.Background(), []string{filepath.Join(dir, "root"), filepath.Join(dir, "modules", "app"), filepath.Join(dir, "other")})
	if len(roots) != 2 {
		t.Fatalf("roots %v, want root and other", roots)
	}
	held := len(files["root/main.tf"]) + len(files["modules/app/main.tf"])
	if got := holdBudget - l.opts.hold.left; got != int64(held) {
		t.Errorf("%d bytes held, want %d (the two clean files)", got, held)
	}
	// Rewritten on disk in between: the load reads what was held.
	rewritten := strings.Replace(files["modules/app/main.tf"], `"held"`, `"disk"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "modules", "app", "main.tf"), []byte(rewritten), 0o600); err != nil {
		t.Fatal(err)
	}
	appName := func(root string) string {
		mod, diags := l.Load(context.Background(), filepath.Join(dir, root))
		for _, d := range diags {
			if d.Severity == model.SevError {
				t.Errorf("load of %s: %s: %s", root, d.Summary, d.Detail)
			}
		}
		if len(mod.FunctionApps) != 1 {
			t.Fatalf("load of %s: %d apps, want the module's app", root, len(mod.FunctionApps))
		}
		return mod.FunctionApps[0].Name.V
	}
	if got := appName("root"); got != "held" {
		t.Errorf("first load: app %q, want \"held\" (the contents root detection read)", got)
	}
	if l.opts.hold.left != holdBudget || len(l.opts.hold.files) != 0 {
		t.Errorf("after the load: %d bytes of budget left, %d files held; want all given back", l.opts.hold.left, len(l.opts.hold.files))
	}
	if got := appName("modules/app"); got != "disk" {
		t.Errorf("second load of the module: app %q, want \"disk\" (read again)", got)
	}
	_, diags := l.Load(context.Background(), filepath.Join(dir, "other"))
	if !hasSummary(diags, "Binary file") { // read again, and checked again
		t.Errorf("the file root detection could not read cleanly was held: %v", diags)
	}

	lsp := NewLoader(Options{ReadFile: os.ReadFile})
	if lsp.opts.hold != nil {
		t.Error("with ReadFile: a hold, want none")
	}

	h := &sourceHold{files: map[string][]byte{}, left: 10}
	h.put("a", []byte("0123456"))
	h.put("b", []byte("0123")) // over what is left
	h.put("a", []byte("x"))    // already held
	if src, ok := h.take("a"); !ok || string(src) != "0123456" {
		t.Errorf("take a: %q, %v", src, ok)
	}
	if _, ok := h.take("a"); ok {
		t.Error("a taken twice")
	}
	if _, ok := h.take("b"); ok || h.left != 10 {
		t.Errorf("b held over the budget, or the budget not given back (%d left)", h.left)
	}
}

func hasSummary(diags model.Diagnostics, s string) bool {
	for _, d := range diags {
		if d.Summary == s {
			return true
		}
	}
	return false
}

// unknownExpr stands for an hclsyntax node type prepareSyntax's switch
// does not know (as chargedExpr, it embeds one it does).
type unknownExpr struct {
	*hclsyntax.ParenthesesExpr
}

// TestPrepareSyntaxUnknownNode: below a node of a type its switch does
// not know, prepareSyntax still finds the names and the functions and
// charges the for expressions, through hclsyntax.VisitAll.
func TestPrepareSyntaxUnknownNode(t *testing.T) {
	f, diags := hclsyntax.ParseConfig([]byte("x = [for v in var.list : upper(v.name)]\n"), "u.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	body := f.Body.(*hclsyntax.Body)
	attr := body.Attributes["x"]
	attr.Expr = unknownExpr{&hclsyntax.ParenthesesExpr{Expression: attr.Expr, SrcRange: attr.Expr.Range()}}
	names, funcs := prepareSyntax(body)
	if !names["list"] || !names["name"] || !funcs["upper"] {
		t.Errorf("below an unknown node: names %v, functions %v; want list, name and upper", names, funcs)
	}
	if charged, bad := chargedFors(body); charged != 1 || bad != 0 {
		t.Errorf("below an unknown node: %d for expressions charged once, %d not or twice; want 1, 0", charged, bad)
	}
}
