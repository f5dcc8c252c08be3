package pulumi

import (
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// trace gives each output value of a resource that its inputs also hold
// the trail input → output:
//
//	input   inputs.httpsOnly   (what the user's program set: the origin)
//	output  outputs.httpsOnly  (what was deployed: the value's range)
//
// The output stays the value's primary range, where findings point: it is
// what the provider reported as deployed, and it decides when the two
// differ. The input is the trail's origin, shown as "value set here" (a
// SARIF related location and the start of its code flow; "value from:" in
// text), because the program is what the user edits. An output that
// differs from its input gets no input hop, since the program did not set
// that value; its note says so. Values read from inputs alone (the outputs
// omit them) have no extra hop: their range already is the input.
//
// Objects are matched by key, lists item by item when both have the same
// length. Nothing inside a secret's plaintext is named: its hops stop at
// the envelope, so no key or value of a secret reaches a trail.
func (d *doc) trace(out, in *model.Node, outPath, inPath string, sealed bool) {
	if out == nil || in == nil || out.Meta.Origin != model.Explicit || in.Meta.Origin != model.Explicit {
		return
	}
	sealed = sealed || d.sealed[out] || d.sealed[in]
	same := false
	switch {
	case out.Kind == model.KindObject && in.Kind == model.KindObject:
		same = true
		for _, f := range out.Fields {
			if i := field(in, f.Name); i >= 0 {
				d.trace(f.Node, in.Fields[i].Node, extend(outPath, f.Name, sealed), extend(inPath, in.Fields[i].Name, sealed), sealed)
			}
		}
	case out.Kind == model.KindList && in.Kind == model.KindList:
		same = true
		if len(out.Items) == len(in.Items) {
			for i := range out.Items {
				d.trace(out.Items[i], in.Items[i], index(outPath, i, sealed), index(inPath, i, sealed), sealed)
			}
		}
	case scalar(out) && scalar(in):
		same = equalScalar(out, in)
		if !same && inPath != "" {
			out.Meta.Note = "from outputs (the deployed value differs from inputs." + inPath + ", which the program set)"
		}
	}
	if !same || outPath == "" {
		return
	}
	out.Meta.Trail = model.TrailOf(
		model.Hop{Kind: model.HopInput, Name: "inputs." + inPath, Range: in.Meta.Range},
		model.Hop{Kind: model.HopOutput, Name: "outputs." + outPath, Range: out.Meta.Range},
	)
}

// field returns the index of key in object n (exact, then
// case-insensitive), -1 when absent.
func field(n *model.Node, key string) int {
	for i, f := range n.Fields {
		if f.Name == key {
			return i
		}
	}
	for i, f := range n.Fields {
		if strings.EqualFold(f.Name, key) {
			return i
		}
	}
	return -1
}

func scalar(n *model.Node) bool {
	switch n.Kind {
	case model.KindBool, model.KindInt, model.KindString:
		return true
	}
	return false
}

// equalScalar compares two known scalars; strings case-insensitively, as
// Azure echoes enum values in its own casing ("disabled" → "Disabled").
func equalScalar(a, b *model.Node) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case model.KindBool:
		return a.Bool == b.Bool
	case model.KindInt:
		return a.Int == b.Int
	}
	return strings.EqualFold(a.Str, b.Str)
}

// extend appends a member name to a trail path: .name for plain names,
// ["name"] for others; a sealed (secret) path is not extended.
func extend(path, key string, sealed bool) string {
	if sealed && path != "" {
		return path
	}
	if plainKey(key) {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

func index(path string, i int, sealed bool) string {
	if sealed {
		return path
	}
	return path + "[" + strconv.Itoa(i) + "]"
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	return strings.IndexFunc(k, func(c rune) bool {
		return c != '_' && c != '-' && c != '$' && (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z')
	}) < 0
}
