package terraform

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/textdiff"
)

// ApplyEdits applies fix edits to the native-syntax HCL file src (a .tf
// or .tfvars file named filename) through hclwrite, so comments and the
// layout of everything else are kept; every edit is located in the file
// as given, then all are applied at once. A file that was formatted (as
// terraform fmt leaves it) is formatted again, so it stays clean. An edit
// whose target is not a literal it can replace is not applied: its error
// is returned beside the result of the others.
func ApplyEdits(filename string, src []byte, edits []model.Edit) ([]byte, []error) {
	ed, err := NewEditor(filename, src)
	if err != nil {
		return src, []error{err}
	}
	return ed.Apply(edits)
}

// Editor applies edits to one file's contents, parsed and checked once:
// a file with many fixable findings (the SARIF report, which gives each
// fix alone) is not parsed again for each.
type Editor struct {
	filename  string
	src, base []byte
	body      *hclsyntax.Body
	formatted bool // src is as hclwrite.Format leaves it
}

// NewEditor parses src, the contents of the .tf, .tofu or .tfvars file
// named filename, for Apply.
func NewEditor(filename string, src []byte) (*Editor, error) {
	if strings.HasSuffix(filename, ".json") {
		return nil, errors.New("JSON-syntax Terraform files are not edited; change the value by hand")
	}
	syn, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("parse: %w", diags)
	}
	wf, diags := hclwrite.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("parse: %w", diags)
	}
	body, ok := syn.Body.(*hclsyntax.Body)
	if !ok {
		return nil, errors.New("not a native-syntax body")
	}
	return &Editor{filename: filename, src: src, base: wf.Bytes(), body: body, formatted: bytes.Equal(hclwrite.Format(src), src)}, nil
}

// Apply returns the file's contents with edits applied (see ApplyEdits).
func (ed *Editor) Apply(edits []model.Edit) ([]byte, []error) {
	filename, src, body, base := ed.filename, ed.src, ed.body, ed.base
	type change struct {
		steps  []step
		create bool
		name   string
		val    cty.Value
	}
	var changes []change
	var errs []error
	for _, e := range edits {
		val, err := ctyOf(e.Value)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		at := offsetOf(src, e.Range.Start)
		switch e.Kind {
		case model.EditReplace:
			steps, attr := findAttr(body, at)
			switch {
			case attr == nil:
				errs = append(errs, fmt.Errorf("%s: no attribute value starts here", e.Range))
			case !isLiteral(attr.Expr):
				errs = append(errs, fmt.Errorf("%s: %s is not a literal value; change it by hand", e.Range, attr.Name))
			default:
				changes = append(changes, change{steps: steps, name: attr.Name, val: val})
			}
		case model.EditDefault:
			// The range names the default's value, or the declaration.
			if steps, attr := findAttr(body, at); attr != nil {
				if !isLiteral(attr.Expr) {
					errs = append(errs, fmt.Errorf("%s: %s is not a literal value; change it by hand", e.Range, attr.Name))
					continue
				}
				changes = append(changes, change{steps: steps, name: attr.Name, val: val})
				continue
			}
			steps := findBlock(body, at, true)
			if len(steps) != 1 || steps[0].typ != "variable" {
				errs = append(errs, fmt.Errorf("%s: no variable declaration here", e.Range))
				continue
			}
			changes = append(changes, change{steps: steps, name: "default", val: val})
		case model.EditAdd:
			steps := findBlock(body, at, false)
			if len(steps) == 0 || len(e.Path) == 0 {
				errs = append(errs, fmt.Errorf("%s: no resource block here", e.Range))
				continue
			}
			steps = steps[:1]
			for _, b := range e.Path[:len(e.Path)-1] {
				steps = append(steps, step{typ: b})
			}
			changes = append(changes, change{steps: steps, create: true, name: e.Path[len(e.Path)-1], val: val})
		default:
			errs = append(errs, fmt.Errorf("unknown edit kind %q", e.Kind))
		}
	}
	if len(changes) == 0 {
		return src, errs
	}
	// The hclwrite tree is changed in place: a fresh one for each Apply.
	wf, diags := hclwrite.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return src, append(errs, fmt.Errorf("parse: %w", diags))
	}
	for _, c := range changes {
		wb := walk(wf.Body(), c.steps, c.create)
		if wb == nil {
			errs = append(errs, fmt.Errorf("%s: block of %s not found", filename, c.name))
			continue
		}
		wb.SetAttributeValue(c.name, c.val)
	}
	out := wf.Bytes()
	if ed.formatted {
		return hclwrite.Format(out), errs
	}
	return keepUntouched(src, base, out), errs
}

// keepUntouched returns out with each line the edits did not change taken
// from src: hclwrite renders some spacing of an unformatted file its own
// way (base is src as hclwrite renders it unedited), and a fix must not
// touch other lines. When the rendering changed the line count, out.
func keepUntouched(src, base, out []byte) []byte {
	srcLines, baseLines := textdiff.SplitLines(string(src)), textdiff.SplitLines(string(base))
	if len(srcLines) != len(baseLines) {
		return out
	}
	var sb strings.Builder
	i := 0
	for _, o := range textdiff.Lines(baseLines, textdiff.SplitLines(string(out))) {
		switch o.Kind {
		case ' ':
			sb.WriteString(srcLines[i])
			i++
		case '-':
			i++
		default:
			sb.WriteString(o.Line)
		}
	}
	return []byte(sb.String())
}

// step names a block inside a body: its type, labels and index among the
// blocks of that type and labels.
type step struct {
	typ    string
	labels []string
	index  int
}

// findAttr returns the attribute whose expression starts at byte at, and
// the blocks leading to it.
func findAttr(body *hclsyntax.Body, at int) ([]step, *hclsyntax.Attribute) {
	for _, a := range body.Attributes {
		if a.Expr.Range().Start.Byte == at {
			return nil, a
		}
	}
	for i, b := range body.Blocks {
		if r := b.Range(); at < r.Start.Byte || at >= r.End.Byte {
			continue
		}
		steps, a := findAttr(b.Body, at)
		if a != nil {
			return append([]step{stepOf(body.Blocks, i)}, steps...), a
		}
	}
	return nil, nil
}

// findBlock returns the blocks leading to the block that starts at byte at
// (exact) or, not exact, the outermost block containing it.
func findBlock(body *hclsyntax.Body, at int, exact bool) []step {
	for i, b := range body.Blocks {
		r := b.Range()
		if r.Start.Byte == at || !exact && at > r.Start.Byte && at < r.End.Byte {
			return []step{stepOf(body.Blocks, i)}
		}
		if exact && at > r.Start.Byte && at < r.End.Byte {
			if inner := findBlock(b.Body, at, true); inner != nil {
				return append([]step{stepOf(body.Blocks, i)}, inner...)
			}
		}
	}
	return nil
}

func stepOf(blocks hclsyntax.Blocks, i int) step {
	b := blocks[i]
	s := step{typ: b.Type, labels: b.Labels}
	for _, o := range blocks[:i] {
		if o.Type == b.Type && equalLabels(o.Labels, b.Labels) {
			s.index++
		}
	}
	return s
}

// walk follows steps from body in the hclwrite tree; with create, a
// missing block (a step without labels) is appended.
func walk(body *hclwrite.Body, steps []step, create bool) *hclwrite.Body {
	for _, s := range steps {
		var found *hclwrite.Block
		n := 0
		for _, b := range body.Blocks() {
			if b.Type() != s.typ || !equalLabels(b.Labels(), s.labels) {
				continue
			}
			if n == s.index {
				found = b
				break
			}
			n++
		}
		if found == nil {
			if !create {
				return nil
			}
			found = body.AppendNewBlock(s.typ, s.labels)
		}
		body = found.Body()
	}
	return body
}

func equalLabels(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// isLiteral reports whether x is a constant: true, 12, "1.0".
func isLiteral(x hclsyntax.Expression) bool {
	switch x := x.(type) {
	case *hclsyntax.LiteralValueExpr:
		return true
	case *hclsyntax.TemplateExpr:
		return x.IsStringLiteral()
	}
	return false
}

// ctyOf converts a fix value (bool, string, number) to cty.
func ctyOf(v any) (cty.Value, error) {
	switch v := v.(type) {
	case bool:
		return cty.BoolVal(v), nil
	case string:
		return cty.StringVal(v), nil
	case int:
		return cty.NumberIntVal(int64(v)), nil
	case int64:
		return cty.NumberIntVal(v), nil
	case uint64:
		return cty.NumberUIntVal(v), nil
	case float64:
		return cty.NumberFloatVal(v), nil
	}
	return cty.NilVal, fmt.Errorf("cannot write a %T value", v)
}

// offsetOf returns the byte offset of p in src: p.Byte when the position
// carries one, else counted from line and column (columns in characters).
func offsetOf(src []byte, p model.Pos) int {
	if p.Byte > 0 || p.Line <= 1 && p.Column <= 1 {
		return p.Byte
	}
	line, off := 1, 0
	for off < len(src) && line < p.Line {
		if src[off] == '\n' {
			line++
		}
		off++
	}
	for col := 1; col < p.Column && off < len(src) && src[off] != '\n'; col++ {
		_, size := utf8.DecodeRune(src[off:])
		off += size
	}
	return off
}
