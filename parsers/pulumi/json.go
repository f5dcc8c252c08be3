package pulumi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/armsite"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
)

// Pulumi's secret signature key and value.
const (
	sigKey    = "4dabf18193072939515e22adb298388d"
	sigSecret = "1b47061264138c4ac30d75fd1eb44270"
)

const maxDepth = 256

// doc is one stack file read with positions.
type doc struct {
	name string
	text []byte
	ix   *srcpos.Index[[]byte]
	// sources annotates the nodes of secret envelopes.
	sources map[*model.Node]armsite.Source
	// sealed holds the nodes decoded from a secret's plaintext: nothing
	// inside them is ever named (in a trail hop or a note).
	sealed map[*model.Node]bool
}

// parse checks that text is JSON; a syntax error is a diagnostic located
// at the place it was found.
func parse(name string, text []byte) (*doc, gjson.Result, *model.Diagnostic) {
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	d := &doc{name: name, text: text, sources: map[*model.Node]armsite.Source{}, sealed: map[*model.Node]bool{}}
	d.ix = srcpos.New(text)
	var probe any
	if err := json.Unmarshal(text, &probe); err != nil {
		off, msg := 0, err.Error()
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			off = max(int(syn.Offset)-1, 0)
		}
		return d, gjson.Result{}, &model.Diagnostic{
			Severity: model.SevError,
			Summary:  "Invalid JSON",
			Detail:   fmt.Sprintf("%s is not valid JSON: %s; it was not analysed.", name, msg),
			Range:    d.point(off),
		}
	}
	r := gjson.ParseBytes(text)
	r.Index = len(text) - len(bytes.TrimLeft(text, " \t\r\n"))
	return d, r, nil
}

// pos converts a byte offset into a position: 1-based line, 1-based
// column in characters (as the other parsers count them).
func (d *doc) pos(off int) model.Pos { return d.ix.Pos(off) }

func (d *doc) point(off int) model.Range {
	p := d.pos(off)
	return model.Range{Filename: d.name, Start: p, End: p}
}

func (d *doc) rng(r gjson.Result) model.Range {
	return model.Range{Filename: d.name, Start: d.pos(r.Index), End: d.pos(r.Index + len(r.Raw))}
}

// isEnvelope reports whether r is a Pulumi secret envelope.
func isEnvelope(r gjson.Result) bool {
	return r.IsObject() && r.Get(sigKey).String() == sigSecret
}

// node converts a JSON value into a model node located at its text.
// Secret envelopes become the plaintext (judged as a literal) or an
// unknown value annotated as a secret envelope.
//
// A member's value is located from its key ("httpsOnly": false), a list
// item from the key of its list, where the fixtures and editors look.
func (d *doc) node(r gjson.Result, start, depth int) *model.Node {
	rg := d.rng(r)
	if start >= 0 && start < r.Index {
		rg.Start = d.pos(start)
	}
	mk := func(n *model.Node) *model.Node {
		n.Meta = model.Meta{Range: rg, Origin: model.Explicit}
		return n
	}
	if depth > maxDepth {
		return &model.Node{Meta: model.Meta{Range: rg, Origin: model.Unknown, Note: "the value is nested too deeply to be read"}}
	}
	switch r.Type {
	case gjson.Null:
		return mk(&model.Node{Kind: model.KindNull})
	case gjson.True, gjson.False:
		return mk(&model.Node{Kind: model.KindBool, Bool: r.Type == gjson.True})
	case gjson.String:
		if r.Str == "04da6b54-80e4-46f7-96ec-b56ff0331ba9" {
			// Pulumi's marker of an unknown (computed) value.
			return &model.Node{Kind: model.KindString, Meta: model.Meta{Range: rg, Origin: model.Unknown, Note: "the value is not known until the update completes"}}
		}
		return mk(&model.Node{Kind: model.KindString, Str: r.Str})
	case gjson.Number:
		if i, err := strconv.ParseInt(r.Raw, 10, 64); err == nil {
			return mk(&model.Node{Kind: model.KindInt, Int: i})
		}
		return mk(&model.Node{Kind: model.KindString, Str: r.Raw})
	}
	if isEnvelope(r) {
		if pt := r.Get("plaintext"); pt.Exists() {
			// --show-secrets: the plaintext is the JSON encoding of the value.
			inner := pt.Str
			if pt.Type == gjson.String && gjson.Valid(inner) {
				v := gjson.Parse(inner)
				v.Index = -1
				n := d.node(v, -1, depth+1)
				setRange(n, rg)
				d.sealed[n] = true
				return n
			}
			n := d.node(pt, -1, depth+1)
			setRange(n, rg)
			d.sealed[n] = true
			return n
		}
		n := &model.Node{Kind: model.KindString, Meta: model.Meta{Range: rg, Origin: model.Unknown, Note: "a Pulumi secret (encrypted in the stack)"}}
		d.sources[n] = armsite.Source{Kind: model.SourceSecretEnvelope}
		return n
	}
	if r.IsArray() {
		n := mk(&model.Node{Kind: model.KindList})
		r.ForEach(func(_, e gjson.Result) bool {
			n.Items = append(n.Items, d.node(e, rg.Start.Byte, depth+1))
			return true
		})
		return n
	}
	n := mk(&model.Node{Kind: model.KindObject})
	r.ForEach(func(k, e gjson.Result) bool {
		n.Fields = append(n.Fields, model.Field{Name: k.Str, Node: d.node(e, k.Index, depth+1)})
		return true
	})
	return n
}

// setRange locates n and everything inside it at rg (values decoded from
// a secret's plaintext have no text of their own).
func setRange(n *model.Node, rg model.Range) {
	if n == nil {
		return
	}
	n.Meta.Range = rg
	for _, it := range n.Items {
		setRange(it, rg)
	}
	for _, f := range n.Fields {
		setRange(f.Node, rg)
	}
}

// get returns the field key of an object node (exact, then
// case-insensitive); nil when absent.
func get(n *model.Node, key string) *model.Node {
	if n == nil || n.Kind != model.KindObject || n.Meta.Origin == model.Unknown {
		return nil
	}
	for _, f := range n.Fields {
		if f.Name == key {
			return f.Node
		}
	}
	for _, f := range n.Fields {
		if strings.EqualFold(f.Name, key) {
			return f.Node
		}
	}
	return nil
}

// str returns the known string content of n.
func str(n *model.Node) string {
	if n == nil || n.Meta.Origin == model.Unknown || n.Kind != model.KindString {
		return ""
	}
	return n.Str
}

// merge returns outputs with the fields only inputs have added, object by
// object: outputs hold the deployed truth, inputs what outputs omit.
func merge(out, in *model.Node) *model.Node {
	switch {
	case out == nil, out.Kind == model.KindNull && out.Meta.Origin != model.Unknown && in != nil:
		// Outputs that omit a value (absent or null) leave it to inputs.
		return in
	case in == nil:
		return out
	case out.Kind != model.KindObject || in.Kind != model.KindObject || out.Meta.Origin == model.Unknown || in.Meta.Origin == model.Unknown:
		return out
	}
	m := &model.Node{Kind: model.KindObject, Meta: out.Meta}
	for _, f := range out.Fields {
		m.Fields = append(m.Fields, model.Field{Name: f.Name, Node: merge(f.Node, get(in, f.Name))})
	}
	for _, f := range in.Fields {
		if get(out, f.Name) == nil {
			m.Fields = append(m.Fields, f)
		}
	}
	return m
}
