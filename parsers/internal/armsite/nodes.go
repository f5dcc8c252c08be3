package armsite

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/fold"
)

// field returns the member of object n called key, matched
// case-insensitively (an exact match wins).
func field(n *model.Node, key string) *model.Node {
	if n == nil || n.Kind != model.KindObject || unknown(n) {
		return nil
	}
	var folded *model.Node
	for i := range n.Fields {
		f := &n.Fields[i]
		if f.Name == key {
			return f.Node
		}
		if folded == nil && fold.MayEqual(f.Name, key) && strings.EqualFold(f.Name, key) {
			folded = f.Node
		}
	}
	return folded
}

// unknown reports whether n stands for a value unknown before deployment.
func unknown(n *model.Node) bool { return n != nil && n.Meta.Origin == model.Unknown }

// present reports whether n is a value: written (not null) or unknown.
func present(n *model.Node) bool { return n != nil && (unknown(n) || n.Kind != model.KindNull) }

// lookup follows a dotted path of property names from n. It returns nil
// when a step is absent, the first unknown node on the way (an unknown
// object stands for all its members), or the node reached.
func lookup(n *model.Node, path string) *model.Node {
	cur := n
	if path == "" {
		return cur
	}
	// strings.Cut rather than SplitSeq: lookup runs for every property a
	// site may set, and the iterator's closure cost more than the walk.
	for more := true; more; {
		var seg string
		seg, path, more = strings.Cut(path, ".")
		if cur == nil {
			return nil
		}
		if unknown(cur) {
			return cur
		}
		cur = field(cur, seg)
	}
	return cur
}

// computedAncestor reports whether an object on the way to path in n
// (not the value itself) is computed by an expression.
func computedAncestor(n *model.Node, path string) bool {
	cur := n
	for {
		seg, rest, more := strings.Cut(path, ".")
		if !more {
			return false
		}
		path = rest
		cur = field(cur, seg)
		if cur == nil {
			return false
		}
		if cur.Meta.Computed {
			return true
		}
	}
}

// computedNull reports whether n is a null an expression gave (a written
// property whose expression has no value): absent for ARM, but written.
func computedNull(n *model.Node) bool {
	return n != nil && n.Kind == model.KindNull && !unknown(n) && n.Meta.Computed
}

// hit is a value found in one document.
type hit struct {
	n    *model.Node
	doc  *Doc
	path string // for notes: "properties.httpsOnly", "config/web properties.cors"
	// computedIn is set on an absent value whose object (properties,
	// siteConfig) is computed by a template expression, or which is
	// written as an expression that gives null: a platform default, but
	// the property cannot be added where it is written.
	computedIn bool
}

func (h hit) found() bool { return h.n != nil }

// reader turns hits into model values owned by one resource.
type reader struct {
	addr string      // the resource that owns defaults
	at   model.Range // where defaults are blamed
}

// meta is the Meta of a found value: its node's range (or its document's
// header), origin and note; the resource is the node's, else the
// document's.
func (r *reader) meta(h hit) model.Meta {
	m := model.Meta{Range: h.n.Meta.Range, Origin: h.n.Meta.Origin, Resource: h.n.Meta.Resource, Note: h.n.Meta.Note, Trail: h.n.Meta.Trail, Computed: h.n.Meta.Computed}
	if m.Range.IsZero() {
		if h.doc != nil {
			m.Range = h.doc.at()
		} else {
			m.Range = r.at
		}
	}
	if m.Resource == "" {
		if h.doc != nil {
			m.Resource = h.doc.Resource.Address
		} else {
			m.Resource = r.addr
		}
	}
	if m.Origin == model.Unknown && m.Note == "" {
		m.Note = h.path + " cannot be determined before deployment"
	}
	return m
}

func (r *reader) defaultMeta(note string) model.Meta {
	return model.Meta{Range: r.at, Origin: model.Default, Resource: r.addr, Note: note}
}

// value converts a hit: Default def (with note) when absent, Unknown when
// the node is, Explicit otherwise; a node of the wrong kind is Unknown with
// a note saying so.
func value[T any](r *reader, h hit, def T, note string, conv func(*model.Node) (T, bool)) model.Value[T] {
	if !h.found() {
		m := r.defaultMeta(note)
		m.Computed = h.computedIn
		return model.Value[T]{V: def, Meta: m}
	}
	m := r.meta(h)
	if m.Origin == model.Unknown {
		return model.Value[T]{Meta: m}
	}
	v, ok := conv(h.n)
	if !ok {
		m.Origin = model.Unknown
		m.Note = fmt.Sprintf("%s has an unexpected value (%s)", h.path, kindName(h.n.Kind))
		return model.Value[T]{Meta: m}
	}
	return model.Value[T]{V: v, Meta: m}
}

func kindName(k model.Kind) string {
	switch k {
	case model.KindBool:
		return "a bool"
	case model.KindString:
		return "a string"
	case model.KindInt:
		return "a number"
	case model.KindList:
		return "a list"
	case model.KindObject:
		return "an object"
	}
	return "null"
}

// Converters from a known node. Scalars convert loosely, as ARM does:
// "true" is a bool, 3 is the string "3".

func asString(n *model.Node) (string, bool) {
	switch n.Kind {
	case model.KindString:
		return n.Str, true
	case model.KindBool:
		return strconv.FormatBool(n.Bool), true
	case model.KindInt:
		return strconv.FormatInt(n.Int, 10), true
	}
	return "", false
}

func asSecret(n *model.Node) (model.Sensitive, bool) {
	s, ok := asString(n)
	return model.Sensitive(s), ok
}

func asBool(n *model.Node) (bool, bool) {
	switch n.Kind {
	case model.KindBool:
		return n.Bool, true
	case model.KindString:
		switch strings.ToLower(strings.TrimSpace(n.Str)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

func asInt(n *model.Node) (int64, bool) {
	switch n.Kind {
	case model.KindInt:
		return n.Int, true
	case model.KindString:
		i, err := strconv.ParseInt(strings.TrimSpace(n.Str), 10, 64)
		return i, err == nil
	}
	return 0, false
}

func (r *reader) str(h hit, def, note string) model.String {
	return value(r, h, def, note, asString)
}

func (r *reader) boolean(h hit, def bool, note string) model.Bool {
	return value(r, h, def, note, asBool)
}

func (r *reader) integer(h hit, def int64, note string) model.Int {
	return value(r, h, def, note, asInt)
}

// strList reads a list of strings; absent is an empty list defaulted with
// note.
func (r *reader) strList(h hit, note string) model.List[model.String] {
	if !h.found() {
		return model.List[model.String]{Meta: r.defaultMeta(note)}
	}
	m := r.meta(h)
	if m.Origin == model.Unknown {
		return model.List[model.String]{Meta: m}
	}
	if h.n.Kind != model.KindList {
		m.Origin, m.Note = model.Unknown, h.path+" is not a list"
		return model.List[model.String]{Meta: m}
	}
	out := model.List[model.String]{Meta: m}
	for i, it := range h.n.Items {
		out.Items = append(out.Items, r.str(hit{n: it, doc: h.doc, path: h.path + "[" + strconv.Itoa(i) + "]"}, "", ""))
	}
	return out
}

// apiAtLeast compares api-versions (yyyy-mm-dd with an optional -preview
// suffix) by their date; an empty version counts as the newest.
func apiAtLeast(v, min string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return true
	}
	if len(v) > len(min) {
		v = v[:len(min)]
	}
	return v >= min
}
