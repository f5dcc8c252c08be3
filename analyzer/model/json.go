package model

import (
	"bytes"
	"encoding/json"
)

// Redacted replaces every Sensitive value in output.
const Redacted = "[redacted]"

// MarshalJSON renders the view for people writing checks: each leaf as
// {"value", "origin", "at"} (plus "note"), each list as {"items", …}, each
// object with its fields in declaration order. Sensitive values are never
// printed; "set" says whether one is present.
func (n *Node) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := n.encode(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (n *Node) encode(b *bytes.Buffer) error {
	switch n.Kind {
	case KindObject:
		b.WriteByte('{')
		for i, f := range n.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, f.Name)
			b.WriteByte(':')
			if err := f.Node.encode(b); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case KindList:
		b.WriteString(`{"items":[`)
		for i, it := range n.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := it.encode(b); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		n.encodeMeta(b)
		b.WriteByte('}')
		return nil
	case KindNull:
		b.WriteString("null")
		return nil
	}
	if n.Label {
		writeJSON(b, n.Str)
		return nil
	}
	b.WriteString(`{"value":`)
	switch {
	case n.Sensitive && n.Meta.Origin != Unknown && n.Str != "":
		writeJSON(b, Redacted)
	case n.Meta.Origin == Unknown:
		b.WriteString("null")
	case n.Kind == KindBool:
		writeJSON(b, n.Bool)
	case n.Kind == KindInt:
		writeJSON(b, n.Int)
	default:
		writeJSON(b, n.Str)
	}
	n.encodeMeta(b)
	b.WriteByte('}')
	return nil
}

func (n *Node) encodeMeta(b *bytes.Buffer) {
	b.WriteString(`,"origin":`)
	writeJSON(b, n.Meta.Origin.String())
	if !n.Meta.Range.IsZero() {
		b.WriteString(`,"at":`)
		writeJSON(b, n.Meta.Range.String())
	}
	if n.Meta.Note != "" {
		b.WriteString(`,"note":`)
		writeJSON(b, n.Meta.Note)
	}
}

// writeJSON writes a scalar without HTML escaping; encoding a bool, int64 or
// string cannot fail.
func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)       //nolint:errchkjson // scalars only
	b.Truncate(b.Len() - 1) // Encode appends a newline
}
