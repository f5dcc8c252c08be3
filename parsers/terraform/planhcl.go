package terraform

import (
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tidwall/gjson"
	"github.com/zclconf/go-cty/cty"
)

// When a plan file sits beside the configuration it was made from,
// findings point at the .tf source instead of the plan: the plan's
// configuration section has no line numbers. The .tf files are parsed only
// to find blocks and attributes; their values come from the plan.

// hclDir holds the top-level blocks of a module directory's .tf files.
type hclDir struct {
	resources map[string]*hcl.Block // managed resources by type.name
	calls     map[string]*hcl.Block // module calls by name
}

// hclDir returns the .tf blocks of the module at a call path: the plan's
// own directory for the root module, the directory a local source
// ("./modules/api") names for a module call, or the one terraform init
// downloaded a remote source to (.terraform/modules/modules.json beside
// the plan). It is nil for other remote sources and for directories
// without .tf files.
func (p *plan) hclDir(path []string) *hclDir {
	k := strings.Join(path, ".")
	if d, ok := p.hclDirs[k]; ok {
		return d
	}
	p.hclDirs[k] = nil // guards against cycles while resolving
	dir, ok := p.moduleDir(path)
	var d *hclDir
	if ok {
		d = p.parseHCLDir(dir)
	}
	p.hclDirs[k] = d
	return d
}

// moduleDir returns the directory of the module at a call path.
func (p *plan) moduleDir(path []string) (string, bool) {
	if len(path) == 0 {
		return p.dir, true
	}
	if len(path) > maxModuleDepth {
		return "", false
	}
	parentDir, ok := p.moduleDir(path[:len(path)-1])
	if !ok {
		return "", false
	}
	cm := p.configModule(path[:len(path)-1])
	if cm == nil {
		return "", false
	}
	src := field(cm.calls[path[len(path)-1]], "source").String()
	if isLocalSource(src) {
		return filepath.Join(parentDir, filepath.FromSlash(src)), true
	}
	// Registry, git, http…: where terraform init downloaded it, if it did.
	return p.s.t.downloaded(strings.Join(path, "."))
}

// parseHCLDir parses the .tf and .tf.json files of dir (override files
// excluded). Unreadable and broken files are skipped quietly: they only
// cost locations, and the directory's own scan reports them.
func (p *plan) parseHCLDir(dir string) *hclDir {
	all, _ := readDir(p.s.ctx, &p.s.t.loader.opts, dir)
	files := make([]*sourceFile, 0, len(all))
	for _, f := range all {
		if !f.override {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return nil
	}
	d := &hclDir{resources: map[string]*hcl.Block{}, calls: map[string]*hcl.Block{}}
	for _, f := range files {
		content, _, _ := f.body.PartialContent(fileSchema())
		if content == nil {
			continue
		}
		for _, blk := range content.Blocks {
			switch {
			case blk.Type == "resource" && len(blk.Labels) == 2:
				k := blk.Labels[0] + "." + blk.Labels[1]
				if d.resources[k] == nil {
					d.resources[k] = blk
				}
			case blk.Type == "module" && len(blk.Labels) == 1:
				if d.calls[blk.Labels[0]] == nil {
					d.calls[blk.Labels[0]] = blk
				}
			}
		}
	}
	return d
}

// matchesConfig reports whether a .tf resource block is the one the plan
// was made from, as far as the plan's configuration section tells: the
// same arguments and blocks written, the same literal values. A stale file,
// or another configuration's file declaring the same address, would
// otherwise locate findings at lines that say something else. Without a
// configuration section, or for .tf.json, the block is taken as it is.
func matchesConfig(blk *hcl.Block, cfg gjson.Result) bool {
	hb, ok := blk.Body.(*hclsyntax.Body)
	if !cfg.Exists() || !ok {
		return true
	}
	exprs, _ := members(field(cfg, "expressions"))
	written, dynamic := map[string]bool{}, map[string]bool{}
	for name, a := range hb.Attributes {
		if isResourceMetaAttr(name) {
			continue
		}
		written[name] = true
		c, ok := exprs[name]
		if !ok {
			return false
		}
		if cv := field(c.val, "constant_value"); cv.Exists() && len(a.Expr.Variables()) == 0 {
			if v, diags := a.Expr.Value(nil); !diags.HasErrors() && !sameScalar(v, cv) {
				return false
			}
		}
	}
	for _, b := range hb.Blocks {
		switch b.Type {
		case "lifecycle", "connection", "provisioner":
		case "dynamic":
			if len(b.Labels) == 1 {
				dynamic[b.Labels[0]] = true
			}
		default:
			if _, ok := exprs[b.Type]; !ok {
				return false
			}
			written[b.Type] = true
		}
	}
	for name := range exprs {
		if !written[name] && !dynamic[name] {
			return false
		}
	}
	return true
}

// sameScalar compares a literal .tf value with a JSON constant; values
// other than known strings, numbers and booleans count as equal.
func sameScalar(v cty.Value, j gjson.Result) bool {
	if !v.IsWhollyKnown() || v.IsNull() {
		return true
	}
	switch v.Type() {
	case cty.String:
		return j.Type == gjson.String && j.Str == v.AsString()
	case cty.Bool:
		return (j.Type == gjson.True || j.Type == gjson.False) && (j.Type == gjson.True) == v.True()
	case cty.Number:
		n, err := cty.ParseNumberVal(j.Raw)
		return j.Type == gjson.Number && err == nil && n.Equals(v).True()
	}
	return true
}

// hclAttr returns the attribute name of body, or nil.
func hclAttr(body hcl.Body, name string) *hcl.Attribute {
	if body == nil {
		return nil
	}
	if hb, ok := body.(*hclsyntax.Body); ok {
		if a := hb.Attributes[name]; a != nil {
			return a.AsHCLAttribute()
		}
		return nil
	}
	content, _, _ := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: name}}})
	if content == nil {
		return nil
	}
	return content.Attributes[name]
}

// hclBlocks returns the nested blocks of a type in body, and the first
// dynamic block generating that type (nil if none).
func hclBlocks(body hcl.Body, typ string) (blocks []*hcl.Block, dynamic *hcl.Block) {
	if body == nil {
		return nil, nil
	}
	if hb, ok := body.(*hclsyntax.Body); ok {
		for _, b := range hb.Blocks {
			switch {
			case b.Type == typ:
				blocks = append(blocks, b.AsHCLBlock())
			case b.Type == "dynamic" && len(b.Labels) == 1 && b.Labels[0] == typ && dynamic == nil:
				dynamic = b.AsHCLBlock()
			}
		}
		return blocks, dynamic
	}
	content, _, _ := body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: typ}, {Type: "dynamic", LabelNames: []string{"type"}},
	}})
	if content == nil {
		return nil, nil
	}
	for _, b := range content.Blocks {
		switch {
		case b.Type == typ:
			blocks = append(blocks, b)
		case b.Type == "dynamic" && b.Labels[0] == typ && dynamic == nil:
			dynamic = b
		}
	}
	return blocks, dynamic
}

// dynamicContent returns the content block body of a dynamic block, the
// template every generated block follows.
func dynamicContent(dyn *hcl.Block) hcl.Body {
	blocks, _ := hclBlocks(dyn.Body, "content")
	if len(blocks) == 0 {
		return nil
	}
	return blocks[0].Body
}

// literalKey returns an object constructor key that needs no evaluation
// (a bare name or a string literal).
func literalKey(expr hcl.Expression) (string, bool) {
	if kw := hcl.ExprAsKeyword(expr); kw != "" {
		return kw, true
	}
	if len(expr.Variables()) > 0 {
		return "", false
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

// literalStrings returns the elements of a tuple of string literals, or
// false when an element needs evaluation.
func literalStrings(exprs []hclsyntax.Expression) ([]string, bool) {
	out := make([]string, len(exprs))
	for i, e := range exprs {
		if len(e.Variables()) > 0 {
			return nil, false
		}
		v, diags := e.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			return nil, false
		}
		out[i] = v.AsString()
	}
	return out, true
}
