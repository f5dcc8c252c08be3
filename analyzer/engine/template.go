package engine

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Message placeholders that are not paths.
const (
	phName    = "name"    // the app's name (its address when the name is unknown)
	phAddress = "address" // the app's address
	phType    = "type"    // the app's resource type
	phPath    = "path"    // the finding's path, relative to its resource
	phElement = "element" // the element's path from the app (each only)
	phValue   = "value"   // the blamed value (never a sensitive one)
)

// msgTemplate is a check's message: literal text and {{placeholders}}.
type msgTemplate struct {
	parts []msgPart
	// size is the length of the literal text, to size a message once.
	size int
}

type msgPart struct {
	lit  string
	ph   string   // placeholder name; "" for literal text
	path attrPath // for app.… / item.… placeholders
}

func parseTemplate(s string) (msgTemplate, error) {
	var t msgTemplate
	rest := s
	for rest != "" {
		i := strings.Index(rest, "{{")
		if i < 0 {
			t.parts = append(t.parts, msgPart{lit: rest})
			t.size += len(rest)
			break
		}
		if i > 0 {
			t.parts = append(t.parts, msgPart{lit: rest[:i]})
			t.size += i
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			return t, fmt.Errorf("unclosed {{ in message")
		}
		name := strings.TrimSpace(rest[i+2 : i+j])
		part := msgPart{ph: name}
		switch name {
		case phName, phAddress, phType, phPath, phElement, phValue:
		default:
			p, err := parseAttrPath(name)
			if err != nil || (p.root != varApp && p.root != varItem) {
				return t, fmt.Errorf("unknown placeholder {{%s}} (use name, address, type, path, element, value, app.<path> or item.<path>)", name)
			}
			part.path = p
		}
		t.parts = append(t.parts, part)
		rest = rest[i+j+2:]
	}
	return t, nil
}

// validateTemplate checks every placeholder against the sample app: paths
// must exist and name a scalar that is not sensitive.
func (c *compiler) validateTemplate(t msgTemplate, hasEach bool, elements []*model.Node, blamed *model.Node) error {
	for _, p := range t.parts {
		switch {
		case p.ph == "":
		case p.ph == phElement && !hasEach:
			return fmt.Errorf("{{element}} is only defined in a check with each")
		case p.ph == phValue:
			if blamed != nil {
				if err := printable("{{value}} (the blamed value)", blamed); err != nil {
					return err
				}
			}
		case p.path.root != "":
			n, probs := c.resolveSample(p.path, hasEach, elements)
			if len(probs) > 0 {
				return fmt.Errorf("{{%s}}: %s", p.ph, probs[0])
			}
			if err := printable("{{"+p.ph+"}}", n); err != nil {
				return err
			}
		}
	}
	return nil
}

func printable(what string, n *model.Node) error {
	switch {
	case n.Sensitive:
		return fmt.Errorf("%s is sensitive and must never appear in a message", what)
	case n.Kind == model.KindObject || n.Kind == model.KindList:
		return fmt.Errorf("%s is %s; a placeholder must name a single value", what, kindName(n))
	}
	return nil
}

// render fills the template for one outcome. A message whose blamed
// value was not written ends saying that the platform default decided
// (writeDefaultedSuffix), written into it rather than made apart. The
// message is made at its length, in memory of its own: the findings keep
// it as it is (detach does not copy it).
func (t msgTemplate) render(ac *appContext, item *located, blamed located, path string) string {
	// The placeholders' texts first, to know the message's length.
	var room [8]string
	texts := room[:0]
	size := t.size
	for _, p := range t.parts {
		if p.ph != "" {
			text := t.placeholder(p, ac, item, blamed, path)
			texts = append(texts, text)
			size += len(text)
		}
	}
	defaulted := blamed.node.Meta.Origin == model.Default
	if defaulted {
		size += defaultedSuffixLen(blamed.node.Meta.Note)
	}
	var b strings.Builder
	b.Grow(size)
	for _, p := range t.parts {
		if p.ph == "" {
			b.WriteString(p.lit)
			continue
		}
		b.WriteString(texts[0])
		texts = texts[1:]
	}
	if defaulted {
		writeDefaultedSuffix(&b, blamed.node.Meta.Note)
	}
	return b.String()
}

// placeholder is the text of placeholder p in a message (render).
func (t msgTemplate) placeholder(p msgPart, ac *appContext, item *located, blamed located, path string) string {
	switch p.ph {
	case phName:
		return ac.name()
	case phAddress:
		return ac.app.Address
	case phType:
		return ac.app.Type
	case phPath:
		return path
	case phElement:
		if item != nil {
			return item.appPath()
		}
		return ""
	case phValue:
		return scalarText(blamed.node)
	}
	from := ac.top
	if p.path.root == varItem {
		if item == nil {
			return ""
		}
		from = *item
	}
	n, ok := from.reach(p.path.segs)
	if !ok {
		return "(none)"
	}
	return scalarText(n.node)
}

// scalarText renders a non-sensitive scalar for a message.
func scalarText(n *model.Node) string {
	switch {
	case n == nil, n.Kind == model.KindNull:
		return "(none)"
	case n.Sensitive:
		return model.Redacted
	case n.Meta.Origin == model.Unknown:
		return "(unknown)"
	}
	switch n.Kind {
	case model.KindBool:
		return strconv.FormatBool(n.Bool)
	case model.KindInt:
		return strconv.FormatInt(n.Int, 10)
	case model.KindString:
		return n.Str
	}
	return "(" + kindName(n) + ")"
}
