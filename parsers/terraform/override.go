package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Override files (override.tf, x_override.tf, their .tf.json forms and
// OpenTofu's .tofu and .tofu.json ones) are merged as Terraform merges
// them (https://developer.hashicorp.com/terraform/language/files/override):
// after the other files, in lexical order of file name then position,
// each top-level block of an override file merges into the block of the
// other files with the same header (type and labels):
//
//   - an attribute of the override replaces the attribute of that name;
//   - the nested blocks of a type the override writes replace every
//     nested block of that type, contents and all; other types stay. A
//     dynamic "x" block counts as a block of type x on either side, so an
//     override's site_config block also replaces a dynamic "site_config";
//   - local values are overridden one by one, whichever locals block
//     declares them;
//   - several overrides of one block compound, the later winning.
//
// variable blocks merge like any other (the merged default is converted
// to the merged type); module calls likewise, source included. terraform,
// provider and the other blocks the parser does not read are not merged.
// An override of a block no other file declares is an error for
// Terraform; here it is a warning and the override is ignored. Every
// value an override file writes joins its value's trail as a HopOverride
// at the override's line (viaOverride), which is also where the value is
// located.

// mergedBody is a block body with an override merged into it.
type mergedBody struct {
	base, over hcl.Body
}

var _ hcl.Body = (*mergedBody)(nil)

// blockKind is the type a nested block counts as for overriding: the
// label of a dynamic block, else its type.
func blockKind(b *hcl.Block) string {
	if b.Type == "dynamic" && len(b.Labels) > 0 {
		return b.Labels[0]
	}
	return b.Type
}

// mergeContent merges the content of an override into the base's.
func mergeContent(base, over *hcl.BodyContent) *hcl.BodyContent {
	if base == nil {
		return over
	}
	if over == nil {
		return base
	}
	out := &hcl.BodyContent{Attributes: hcl.Attributes{}, MissingItemRange: base.MissingItemRange}
	for n, a := range base.Attributes {
		out.Attributes[n] = a
	}
	for n, a := range over.Attributes {
		out.Attributes[n] = a
	}
	replaced := map[string]bool{}
	for _, b := range over.Blocks {
		replaced[blockKind(b)] = true
	}
	for _, b := range base.Blocks {
		if !replaced[blockKind(b)] {
			out.Blocks = append(out.Blocks, b)
		}
	}
	out.Blocks = append(out.Blocks, over.Blocks...)
	return out
}

// Content implements hcl.Body.
func (m *mergedBody) Content(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	bc, diags := m.base.Content(schema)
	oc, odiags := m.over.Content(schema)
	return mergeContent(bc, oc), append(diags, odiags...)
}

// PartialContent implements hcl.Body.
func (m *mergedBody) PartialContent(schema *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	bc, br, diags := m.base.PartialContent(schema)
	oc, or, odiags := m.over.PartialContent(schema)
	return mergeContent(bc, oc), &mergedBody{base: br, over: or}, append(diags, odiags...)
}

// JustAttributes implements hcl.Body.
func (m *mergedBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	ba, diags := m.base.JustAttributes()
	oa, odiags := m.over.JustAttributes()
	out := hcl.Attributes{}
	for n, a := range ba {
		out[n] = a
	}
	for n, a := range oa {
		out[n] = a
	}
	return out, append(diags, odiags...)
}

// MissingItemRange implements hcl.Body: the base block's.
func (m *mergedBody) MissingItemRange() hcl.Range { return m.base.MissingItemRange() }

// syntaxBlocks returns the native-syntax nested blocks of a body, of both
// sides of a merged one (whose override may remove some of the base's:
// they are only used to learn block types).
func syntaxBlocks(body hcl.Body) []*hclsyntax.Block {
	switch b := body.(type) {
	case *hclsyntax.Body:
		return b.Blocks
	case *mergedBody:
		return append(syntaxBlocks(b.base), syntaxBlocks(b.over)...)
	}
	return nil
}

// baseBody is the body of the other files under any overrides.
func baseBody(body hcl.Body) hcl.Body {
	for {
		m, ok := body.(*mergedBody)
		if !ok {
			return body
		}
		body = m.base
	}
}

// fileBlock is a top-level block and the file it is in.
type fileBlock struct {
	blk  *hcl.Block
	path string
}

// mergedKey identifies the top-level blocks overrides merge into; ok is
// false for block types that are not merged here.
func mergedKey(b *hcl.Block) (string, bool) {
	switch b.Type {
	case "variable", "output", "module", "resource", "data":
		return b.Type + "\x00" + strings.Join(b.Labels, "\x00"), true
	}
	return "", false
}

// applyOverrides merges the override blocks into blocks (the other
// files' top-level blocks, in order), returning the merged blocks and
// the override files' locals blocks, applied after decoding.
func (s *scope) applyOverrides(blocks, overrides []fileBlock) (merged, locals []fileBlock) {
	if len(overrides) == 0 {
		return blocks, nil // most modules: no index of their blocks to make
	}
	index := map[string]int{}
	for i, fb := range blocks {
		if k, ok := mergedKey(fb.blk); ok {
			if _, dup := index[k]; !dup {
				index[k] = i
			}
		}
	}
	for _, ob := range overrides {
		if ob.blk.Type == "locals" {
			locals = append(locals, ob)
			continue
		}
		k, ok := mergedKey(ob.blk)
		if !ok {
			continue
		}
		i, found := index[k]
		if !found {
			s.addDiag(model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Nothing to override",
				Detail:   ob.path + " overrides " + blockName(ob.blk) + ", which no other file of the module declares; the override is ignored.",
				Range:    toRange(ob.blk.DefRange),
			})
			continue
		}
		nb := *blocks[i].blk
		nb.Body = &mergedBody{base: nb.Body, over: ob.blk.Body}
		blocks[i].blk = &nb
	}
	return blocks, locals
}

// overrideLocals replaces local values by those of override files.
func (s *scope) overrideLocals(c *config, locals []fileBlock) {
	for _, fb := range locals {
		attrs, diags := fb.blk.Body.JustAttributes()
		s.addHCLDiags(diags, model.SevError, fb.path)
		for _, a := range sortedAttrs(attrs) {
			l := c.localByNm[a.Name]
			if l == nil {
				s.addDiag(model.Diagnostic{
					Severity: model.SevWarning,
					Summary:  "Nothing to override",
					Detail:   fb.path + " overrides local." + a.Name + ", which no other file of the module defines; the override is ignored.",
					Range:    toRange(a.NameRange),
				})
				continue
			}
			l.expr = a.Expr
		}
	}
}

// blockName renders a block header for messages: resource
// "azurerm_linux_function_app" "this".
func blockName(b *hcl.Block) string {
	var sb strings.Builder
	sb.WriteString(b.Type)
	for _, l := range b.Labels {
		sb.WriteString(` "` + l + `"`)
	}
	return sb.String()
}
