package model

import (
	"iter"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Kind is the kind of a view Node.
type Kind uint8

// Node kinds.
const (
	KindNull Kind = iota
	KindBool
	KindString
	KindInt
	KindList
	KindObject
)

// Node is the format-neutral view of a model value: what checks evaluate
// and what `azfuncscan model` prints. Every node carries the Meta of the
// value it came from; a node whose value had no range inherits the range of
// its owning resource, so every node can be blamed at a line.
type Node struct {
	Kind      Kind
	Bool      bool
	Str       string
	Int       int64
	Sensitive bool
	// Label marks identity strings (address, type) printed without meta.
	Label  bool
	Fields []Field // KindObject, in declaration order
	Items  []*Node // KindList
	Meta   Meta
}

// Field is a named member of an object node.
type Field struct {
	Name string
	Node *Node
}

// Get returns the field called name, or nil.
func (n *Node) Get(name string) *Node {
	if n == nil {
		return nil
	}
	for i := range n.Fields {
		if n.Fields[i].Name == name {
			return n.Fields[i].Node
		}
	}
	return nil
}

// Lookup resolves a dotted path with optional indexes, e.g.
// "site_config.cors.allowed_origins[0]" or "app_settings[2].value",
// relative to n. It returns nil when the path does not exist.
func (n *Node) Lookup(path string) *Node {
	cur := n
	for _, seg := range splitPath(path) {
		if cur == nil {
			return nil
		}
		if seg.index >= 0 {
			if cur.Kind != KindList || seg.index >= len(cur.Items) {
				return nil
			}
			cur = cur.Items[seg.index]
			continue
		}
		cur = cur.Get(seg.name)
	}
	return cur
}

type pathSeg struct {
	name  string
	index int
}

func splitPath(path string) []pathSeg {
	var segs []pathSeg
	for _, part := range strings.Split(path, ".") {
		if part == "" {
			continue
		}
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			segs = append(segs, pathSeg{name: name, index: -1})
		}
		for rest != "" {
			idx, after, ok := strings.Cut(rest, "]")
			if !ok {
				break
			}
			i, err := strconv.Atoi(idx)
			if err != nil {
				break
			}
			segs = append(segs, pathSeg{index: i})
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return segs
}

// Walk calls fn for every node below n (n included) with its path relative
// to n, depth first, in field order.
func (n *Node) Walk(fn func(path string, n *Node)) {
	n.walk("", fn)
}

// Nodes returns n and every node below it, depth first, in field order:
// Walk without the paths.
func (n *Node) Nodes() iter.Seq[*Node] {
	return func(yield func(*Node) bool) { n.nodes(yield) }
}

func (n *Node) nodes(yield func(*Node) bool) bool {
	if !yield(n) {
		return false
	}
	for _, f := range n.Fields {
		if !f.Node.nodes(yield) {
			return false
		}
	}
	for _, it := range n.Items {
		if !it.nodes(yield) {
			return false
		}
	}
	return true
}

func (n *Node) walk(path string, fn func(string, *Node)) {
	fn(path, n)
	switch n.Kind {
	case KindObject:
		for _, f := range n.Fields {
			p := f.Name
			if path != "" {
				p = path + "." + f.Name
			}
			f.Node.walk(p, fn)
		}
	case KindList:
		for i, it := range n.Items {
			it.walk(path+"["+strconv.Itoa(i)+"]", fn)
		}
	}
}

// Native returns the node as plain Go values for expression evaluation:
// bool, string, int64, []any, map[string]any or nil. Sensitive strings are
// included: checks must see them; only writers redact.
func (n *Node) Native() any {
	switch n.Kind {
	case KindBool:
		return n.Bool
	case KindString:
		return n.Str
	case KindInt:
		return n.Int
	case KindList:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.Native()
		}
		return out
	case KindObject:
		out := make(map[string]any, len(n.Fields))
		for _, f := range n.Fields {
			out[f.Name] = f.Node.Native()
		}
		return out
	default:
		return nil
	}
}

// View builds the node tree of a model value: a *FunctionApp, a
// *StorageAccount, any struct of this package or a pointer to one. A
// caller that views many values (the engine, once per app) uses a Viewer,
// which learns each struct type once.
func View(v any) *Node {
	return new(Viewer).View(v)
}

// Viewer builds views (see View), remembering how each struct type maps to
// view fields, so that reflection over a type's fields is done once per
// type rather than once per value. The zero Viewer is ready; it is safe
// for concurrent use.
type Viewer struct {
	infos sync.Map // reflect.Type → *structInfo
}

// View is the package-level View with the type information of vw.
func (vw *Viewer) View(v any) *Node {
	b := viewBuilder{vw: vw}
	return b.value(reflect.ValueOf(v), &Meta{}, nil)
}

// ViewIn is View with its nodes in buf, which keeps them from one view
// to the next: a caller that views many values one after the other (the
// engine, one app at a time) allocates the nodes of the largest view,
// not of every view. The view is valid until buf is Reset.
func (vw *Viewer) ViewIn(buf *ViewBuffer, v any) *Node {
	b := viewBuilder{vw: vw, buf: buf}
	return b.value(reflect.ValueOf(v), &Meta{}, nil)
}

// ViewBuffer holds the nodes of views (Viewer.ViewIn), and their lists of
// fields and of elements. The zero value is ready to use; it is not safe
// for concurrent use.
type ViewBuffer struct {
	slabs [][]Node
	// used is how many slabs hold nodes of the views since Reset.
	used   int
	fields slabs[Field]
	items  slabs[*Node]
}

// Reset drops the nodes of the views built in b, which must no longer be
// used, and keeps their memory for the next. The nodes are cleared, so
// that b keeps no value of a model alive.
func (b *ViewBuffer) Reset() {
	for i := range b.used {
		clear(b.slabs[i])
		b.slabs[i] = b.slabs[i][:0]
	}
	b.used = 0
	b.fields.reset()
	b.items.reset()
}

// slabs hands out short slices of a few large ones, kept from one view to
// the next.
type slabs[T any] struct {
	s    [][]T
	used int
}

// listSlabSize is how many fields or elements a slab holds; a longer
// list is allocated on its own.
const listSlabSize = 512

// take returns a slice of length n and capacity n: appending to it
// allocates, never writes into another list.
func (s *slabs[T]) take(n int) []T {
	if n > listSlabSize {
		return make([]T, n)
	}
	if s.used == 0 || cap(s.s[s.used-1])-len(s.s[s.used-1]) < n {
		if s.used == len(s.s) {
			s.s = append(s.s, make([]T, 0, listSlabSize))
		}
		s.used++
	}
	cur := &s.s[s.used-1]
	start := len(*cur)
	*cur = (*cur)[:start+n]
	return (*cur)[start : start+n : start+n]
}

func (s *slabs[T]) reset() {
	for i := range s.used {
		clear(s.s[i])
		s.s[i] = s.s[i][:0]
	}
	s.used = 0
}

// viewBuilder builds one view. Its nodes are allocated in slabs: a view
// has hundreds of nodes that live and die together.
type viewBuilder struct {
	vw   *Viewer
	slab []Node
	// buf, when not nil, holds the slabs.
	buf *ViewBuffer
}

// slabSize is how many nodes a slab holds.
const slabSize = 64

// newNode returns a new zero node.
func (b *viewBuilder) newNode() *Node {
	if b.buf != nil {
		return b.buf.newNode()
	}
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]Node, 0, slabSize)
	}
	b.slab = b.slab[:len(b.slab)+1]
	return &b.slab[len(b.slab)-1]
}

// fieldList returns an empty list with room for n fields.
func (b *viewBuilder) fieldList(n int) []Field {
	if b.buf != nil {
		return b.buf.fields.take(n)[:0]
	}
	return make([]Field, 0, n)
}

// itemList returns a list of n elements.
func (b *viewBuilder) itemList(n int) []*Node {
	if b.buf != nil {
		return b.buf.items.take(n)
	}
	return make([]*Node, n)
}

// newNode returns a new zero node, in the first slab with room: past a
// slab's length its nodes are zero (new, or cleared by Reset).
func (b *ViewBuffer) newNode() *Node {
	if b.used == 0 || len(b.slabs[b.used-1]) == cap(b.slabs[b.used-1]) {
		if b.used == len(b.slabs) {
			b.slabs = append(b.slabs, make([]Node, 0, slabSize))
		}
		b.used++
	}
	i := b.used - 1
	b.slabs[i] = b.slabs[i][:len(b.slabs[i])+1]
	return &b.slabs[i][len(b.slabs[i])-1]
}

// structInfo is how a struct type maps to view fields.
type structInfo struct {
	typ      reflect.Type
	leaf     bool // Value[T]
	list     bool // List[T]
	resource int  // index of embedded Resource, or -1
	// meta, v and items are the indexes of the Meta, V and Items fields
	// of a leaf or a list.
	meta, v, items int
	fields         []fieldInfo
	// vHint and itemsHint are the hints (see viewBuilder.value) of the
	// V field of a leaf and of the elements of a list.
	vHint, itemsHint atomic.Pointer[structInfo]
}

type fieldInfo struct {
	index int
	name  string
	// hint is the field's (see viewBuilder.value): shared by the
	// goroutines that view values of the struct type, hence atomic.
	hint atomic.Pointer[structInfo]
}

func (vw *Viewer) info(t reflect.Type) *structInfo {
	if si, ok := vw.infos.Load(t); ok {
		return si.(*structInfo)
	}
	si, _ := vw.infos.LoadOrStore(t, infoOf(t))
	return si.(*structInfo)
}

func infoOf(t reflect.Type) *structInfo {
	metaType, resourceType := reflect.TypeFor[Meta](), reflect.TypeFor[Resource]()
	si := &structInfo{typ: t, resource: -1, meta: -1, v: -1, items: -1}
	for i := range t.NumField() {
		f := t.Field(i)
		switch {
		case f.Anonymous && f.Type == metaType:
			si.meta = i
			continue
		case f.Anonymous && f.Type == resourceType:
			si.resource = i
			continue
		case f.Name == "V":
			si.v = i
		case f.Name == "Items":
			si.items = i
		}
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		si.fields = append(si.fields, fieldInfo{index: i, name: name})
	}
	si.leaf = si.meta >= 0 && si.v >= 0
	si.list = si.meta >= 0 && si.items >= 0
	return si
}

// inherit fills a value's missing range and resource from its owner, so that
// a default or an unfilled field is blamed on the owning resource block.
func inherit(m, owner *Meta) {
	if m.Range.IsZero() {
		m.Range = owner.Range
	}
	if m.Resource == "" {
		m.Resource = owner.Resource
	}
}

// The builder passes Meta by address and fills each node where it lies in
// its slab: a Meta, and a Node more so, are large, and copying them by
// value at every call was a third of building a view.

// value builds the node of v. hint, when not nil, remembers the
// structInfo of the struct values met where v is (a field of a struct
// type, the elements of a list), so that the type of each is looked up in
// the Viewer only when it differs from the last one's there.
func (b *viewBuilder) value(v reflect.Value, owner *Meta, hint *atomic.Pointer[structInfo]) *Node {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return b.leaf(KindNull, owner)
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Bool:
		n := b.leaf(KindBool, owner)
		n.Bool = v.Bool()
		return n
	case reflect.String:
		n := b.leaf(KindString, owner)
		n.Str, n.Sensitive = v.String(), v.Type() == reflect.TypeFor[Sensitive]()
		return n
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := b.leaf(KindInt, owner)
		n.Int = v.Int()
		return n
	case reflect.Slice:
		n := b.leaf(KindList, owner)
		n.Items = b.itemList(v.Len())
		for i := range v.Len() {
			n.Items[i] = b.value(v.Index(i), owner, hint)
		}
		return n
	case reflect.Struct:
		return b.structure(v, owner, hint)
	default:
		return b.leaf(KindNull, owner)
	}
}

// leaf returns a new node of kind k with the Meta m.
func (b *viewBuilder) leaf(k Kind, m *Meta) *Node {
	n := b.newNode()
	n.Kind, n.Meta = k, *m
	return n
}

func (b *viewBuilder) structure(v reflect.Value, owner *Meta, hint *atomic.Pointer[structInfo]) *Node {
	t := v.Type()
	var si *structInfo
	if hint != nil {
		si = hint.Load()
	}
	if si == nil || si.typ != t {
		si = b.vw.info(t)
		if hint != nil {
			hint.Store(si)
		}
	}
	if si.leaf || si.list {
		m, _ := reflect.TypeAssert[Meta](v.Field(si.meta)) // no boxing, unlike Interface
		inherit(&m, owner)
		if si.leaf {
			n := b.value(v.Field(si.v), &m, &si.vHint)
			n.Meta = m
			return n
		}
		items := v.Field(si.items)
		n := b.leaf(KindList, &m)
		n.Items = b.itemList(items.Len())
		for i := range items.Len() {
			n.Items[i] = b.value(items.Index(i), &m, &si.itemsHint)
		}
		return n
	}
	size := len(si.fields)
	if si.resource >= 0 {
		size += 2 // address and type
	}
	n := b.leaf(KindObject, owner)
	n.Fields = b.fieldList(size)
	if si.resource >= 0 {
		r, _ := reflect.TypeAssert[Resource](v.Field(si.resource))
		n.Meta = Meta{Range: r.Range, Origin: Explicit, Resource: r.Address}
		addr, typ := b.leaf(KindString, &n.Meta), b.leaf(KindString, &n.Meta)
		addr.Str, addr.Label = r.Address, true
		typ.Str, typ.Label = r.Type, true
		n.Fields = append(n.Fields, Field{Name: "address", Node: addr}, Field{Name: "type", Node: typ})
	}
	for i := range si.fields {
		fi := &si.fields[i]
		n.Fields = append(n.Fields, Field{Name: fi.name, Node: b.value(v.Field(fi.index), &n.Meta, &fi.hint)})
	}
	return n
}
