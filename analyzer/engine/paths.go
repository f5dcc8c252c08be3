package engine

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Variables a check's expressions see.
const (
	varApp  = "app"
	varItem = "item"
)

// attrPath is a path written in a check file (each, blame, message
// placeholders): a root variable followed by field names and list indexes,
// e.g. app.site_config.cors.allowed_origins or item.value.
type attrPath struct {
	text string
	root string
	segs []pathSeg
}

// pathSeg is one step of a path: a field name, or an index when name is "".
type pathSeg struct {
	name  string
	index int
}

// parseAttrPath parses root(.name|[n])*.
func parseAttrPath(s string) (attrPath, error) {
	p := attrPath{text: s}
	rest := strings.TrimSpace(s)
	if rest == "" {
		return p, fmt.Errorf("empty path")
	}
	name, n := scanIdent(rest)
	if n == 0 {
		return p, fmt.Errorf("path %q must start with %s or %s", s, varApp, varItem)
	}
	p.root, rest = name, rest[n:]
	for rest != "" {
		switch rest[0] {
		case '.':
			name, n := scanIdent(rest[1:])
			if n == 0 {
				return p, fmt.Errorf("path %q: expected a field name after '.'", s)
			}
			p.segs = append(p.segs, pathSeg{name: name})
			rest = rest[1+n:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return p, fmt.Errorf("path %q: unclosed '['", s)
			}
			i, err := strconv.Atoi(rest[1:end])
			if err != nil || i < 0 {
				return p, fmt.Errorf("path %q: index must be a non-negative number", s)
			}
			p.segs = append(p.segs, pathSeg{index: i})
			rest = rest[end+1:]
		default:
			return p, fmt.Errorf("path %q: unexpected %q", s, rest[:1])
		}
	}
	return p, nil
}

func scanIdent(s string) (string, int) {
	n := 0
	for n < len(s) {
		c := s[n]
		if c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (n > 0 && c >= '0' && c <= '9') {
			n++
			continue
		}
		break
	}
	return s[:n], n
}

// located is a view node with the way it was reached from the function
// app: the display path and the resource that owns it.
type located struct {
	node *model.Node
	// segs is the display path from the app: field names, and "[key]" for
	// list elements (the element's name when it has a unique one).
	segs []string
	// res is the resource object owning node (the app, its storage
	// account, a diagnostic setting, …); resAt is len(segs) at res.
	res   *model.Node
	resAt int
}

func rootLocated(app *model.Node) located {
	return located{node: app, res: app}
}

// field descends into the field called name of an object node.
func (l located) field(name string) (located, bool) {
	if l.node == nil || l.node.Kind != model.KindObject {
		return l, false
	}
	child := l.node.Get(name)
	if child == nil {
		return l, false
	}
	return l.step(child, name), true
}

// index descends into element i of a list node.
func (l located) index(i int) (located, bool) {
	if l.node == nil || l.node.Kind != model.KindList || i < 0 || i >= len(l.node.Items) {
		return l, false
	}
	return l.step(l.node.Items[i], "["+elementKey(l.node, i)+"]"), true
}

func (l located) step(child *model.Node, seg string) located {
	segs := make([]string, len(l.segs), len(l.segs)+1)
	copy(segs, l.segs)
	out := located{node: child, segs: append(segs, seg), res: l.res, resAt: l.resAt}
	if isResourceNode(child) {
		out.res, out.resAt = child, len(out.segs)
	}
	return out
}

// follow walks segs from l as far as they exist; ok is false when the walk
// stopped early (l is then the deepest node reached).
func (l located) follow(segs []pathSeg) (located, bool) {
	return l.walk(segs, true)
}

// reach is follow for what needs only the node reached and its resource
// (a message's placeholder, where a fix's value was decided): the located
// it returns has no display path, which it does not make.
func (l located) reach(segs []pathSeg) (located, bool) {
	return l.walk(segs, false)
}

func (l located) walk(segs []pathSeg, withPath bool) (located, bool) {
	if !withPath {
		l.segs, l.resAt = nil, 0
	}
	if len(segs) == 0 {
		return l, true
	}
	if withPath {
		// One display path for the whole walk, not one per step
		// (step): the located returned owns it.
		path := make([]string, len(l.segs), len(l.segs)+len(segs))
		copy(path, l.segs)
		l.segs = path
	}
	for _, s := range segs {
		var child *model.Node
		var seg string
		found := false
		switch n := l.node; {
		case n == nil:
		case s.name != "" && n.Kind == model.KindObject:
			child, seg = n.Get(s.name), s.name
			found = child != nil
		case s.name == "" && n.Kind == model.KindList && s.index >= 0 && s.index < len(n.Items):
			child, found = n.Items[s.index], true
			if withPath {
				seg = "[" + elementKey(n, s.index) + "]"
			}
		}
		if !found {
			return l, false
		}
		l.node = child
		if withPath {
			l.segs = append(l.segs, seg)
		}
		if isResourceNode(child) {
			l.res, l.resAt = child, len(l.segs)
		}
	}
	return l, true
}

// appPath is the display path from the function app.
func (l located) appPath() string { return joinSegs(l.segs) }

// resourcePath is the display path from the owning resource; "" for the
// resource itself.
func (l located) resourcePath() string { return joinSegs(l.segs[l.resAt:]) }

func joinSegs(segs []string) string {
	switch len(segs) {
	case 0:
		return ""
	case 1:
		return segs[0]
	}
	// Sized once: a builder grown by its writes allocates at each.
	size := len(segs) - 1
	for _, s := range segs {
		size += len(s)
	}
	var b strings.Builder
	b.Grow(size)
	for i, s := range segs {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// isResourceNode reports whether n is the object of a modelled resource
// (model.View gives those address and type labels first).
func isResourceNode(n *model.Node) bool {
	return n != nil && n.Kind == model.KindObject && len(n.Fields) >= 2 &&
		n.Fields[0].Name == "address" && n.Fields[0].Node.Label
}

// resourceHeader returns the address and type labels of a resource node.
func resourceHeader(n *model.Node) (address, typ string) {
	if !isResourceNode(n) {
		return "", ""
	}
	if a := n.Get("address"); a != nil {
		address = a.Str
	}
	if t := n.Get("type"); t != nil {
		typ = t.Str
	}
	return address, typ
}

// elementKey names element i of a list for paths and fingerprints: the
// element's name when it has a known, non-sensitive one unique in the list
// (app_settings[DB_PASSWORD]), a string element's quoted value
// (allowed_origins["*"]), else its index.
func elementKey(list *model.Node, i int) string {
	name, ok := elementName(list.Items[i])
	if !ok {
		return strconv.Itoa(i)
	}
	for j, other := range list.Items {
		if j != i {
			if n, ok := elementName(other); ok && n == name {
				return strconv.Itoa(i)
			}
		}
	}
	return name
}

func elementName(n *model.Node) (string, bool) {
	if n != nil && n.Kind == model.KindString && !n.Sensitive && n.Meta.Origin != model.Unknown {
		// A plain string element is named by its value, quoted:
		// allowed_origins["*"] stays the same when an origin is added.
		return strconv.Quote(n.Str), true
	}
	if n == nil || n.Kind != model.KindObject {
		return "", false
	}
	name := n.Get("name")
	if name == nil || name.Kind != model.KindString || name.Sensitive || name.Meta.Origin == model.Unknown || name.Str == "" {
		return "", false
	}
	return name.Str, true
}
