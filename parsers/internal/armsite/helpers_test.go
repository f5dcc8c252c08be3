package armsite

import (
	"strconv"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// testFile is the file name of every node the helpers build.
const testFile = "t.json"

// jsonNodes parses JSON into a Node tree with the line and column of every
// value, as a parser would. Special strings stand for what parsers
// annotate:
//
//	"<unknown>" or "<unknown:why>"   an unknown value (Note why)
//	"<ref:attr>"                     unknown, from another resource's attr
//	"<sensitive:text>"               the known string text, a sensitive input
//	"<kvref>"                        unknown, a Key Vault reference
type jsonNodes struct {
	t       *testing.T
	src     string
	pos     int
	sources map[*model.Node]Source
}

func parseJSON(t *testing.T, src string, sources map[*model.Node]Source) *model.Node {
	t.Helper()
	p := &jsonNodes{t: t, src: src, sources: sources}
	p.ws()
	n := p.value()
	p.ws()
	if p.pos != len(p.src) {
		t.Fatalf("trailing input at %d: %q", p.pos, p.src[p.pos:])
	}
	return n
}

func (p *jsonNodes) ws() {
	for p.pos < len(p.src) && strings.ContainsRune(" \t\r\n", rune(p.src[p.pos])) {
		p.pos++
	}
}

func (p *jsonNodes) posOf(off int) model.Pos {
	line := 1 + strings.Count(p.src[:off], "\n")
	col := off - strings.LastIndex(p.src[:off], "\n")
	return model.Pos{Line: line, Column: col, Byte: off}
}

func (p *jsonNodes) meta(start int) model.Meta {
	return model.Meta{Range: model.Range{Filename: testFile, Start: p.posOf(start), End: p.posOf(p.pos)}, Origin: model.Explicit}
}

func (p *jsonNodes) expect(c byte) {
	p.ws()
	if p.pos >= len(p.src) || p.src[p.pos] != c {
		p.t.Fatalf("want %q at %d in %q", c, p.pos, p.src)
	}
	p.pos++
}

func (p *jsonNodes) value() *model.Node {
	p.ws()
	start := p.pos
	if p.pos >= len(p.src) {
		p.t.Fatalf("unexpected end of JSON")
	}
	switch c := p.src[p.pos]; {
	case c == '{':
		p.pos++
		n := &model.Node{Kind: model.KindObject}
		p.ws()
		if p.src[p.pos] == '}' {
			p.pos++
			n.Meta = p.meta(start)
			return n
		}
		for {
			p.ws()
			k := p.str()
			p.expect(':')
			v := p.value()
			n.Fields = append(n.Fields, model.Field{Name: k, Node: v})
			p.ws()
			if p.src[p.pos] == ',' {
				p.pos++
				continue
			}
			p.expect('}')
			break
		}
		n.Meta = p.meta(start)
		return n
	case c == '[':
		p.pos++
		n := &model.Node{Kind: model.KindList}
		p.ws()
		if p.src[p.pos] == ']' {
			p.pos++
			n.Meta = p.meta(start)
			return n
		}
		for {
			n.Items = append(n.Items, p.value())
			p.ws()
			if p.src[p.pos] == ',' {
				p.pos++
				continue
			}
			p.expect(']')
			break
		}
		n.Meta = p.meta(start)
		return n
	case c == '"':
		s := p.str()
		return p.special(s, start)
	case strings.HasPrefix(p.src[p.pos:], "true"):
		p.pos += 4
		return &model.Node{Kind: model.KindBool, Bool: true, Meta: p.meta(start)}
	case strings.HasPrefix(p.src[p.pos:], "false"):
		p.pos += 5
		return &model.Node{Kind: model.KindBool, Meta: p.meta(start)}
	case strings.HasPrefix(p.src[p.pos:], "null"):
		p.pos += 4
		return &model.Node{Kind: model.KindNull, Meta: p.meta(start)}
	default:
		end := p.pos
		for end < len(p.src) && strings.ContainsRune("-+.0123456789eE", rune(p.src[end])) {
			end++
		}
		text := p.src[p.pos:end]
		p.pos = end
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return &model.Node{Kind: model.KindInt, Int: i, Meta: p.meta(start)}
		}
		return &model.Node{Kind: model.KindString, Str: text, Meta: p.meta(start)}
	}
}

func (p *jsonNodes) str() string {
	p.expect('"')
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] != '"' {
		if p.src[p.pos] == '\\' {
			p.pos++
		}
		p.pos++
	}
	s, err := strconv.Unquote(`"` + p.src[start:p.pos] + `"`)
	if err != nil {
		p.t.Fatalf("bad string %q: %v", p.src[start:p.pos], err)
	}
	p.pos++
	return s
}

func (p *jsonNodes) special(s string, start int) *model.Node {
	m := p.meta(start)
	n := &model.Node{Kind: model.KindString, Str: s, Meta: m}
	switch {
	case s == "<unknown>":
		n = &model.Node{Meta: model.Meta{Range: m.Range, Origin: model.Unknown}}
	case strings.HasPrefix(s, "<unknown:"):
		n = &model.Node{Meta: model.Meta{Range: m.Range, Origin: model.Unknown, Note: strings.TrimSuffix(strings.TrimPrefix(s, "<unknown:"), ">")}}
	case strings.HasPrefix(s, "<ref:"):
		n = &model.Node{Meta: model.Meta{Range: m.Range, Origin: model.Unknown, Note: "known only after apply"}}
		p.sources[n] = Source{Kind: model.SourceResource, Attribute: strings.TrimSuffix(strings.TrimPrefix(s, "<ref:"), ">")}
	case strings.HasPrefix(s, "<sensitive:"):
		n.Str = strings.TrimSuffix(strings.TrimPrefix(s, "<sensitive:"), ">")
		p.sources[n] = Source{Kind: model.SourceSensitiveInput}
	case s == "<kvref>":
		n = &model.Node{Meta: model.Meta{Range: m.Range, Origin: model.Unknown, Note: "known only after apply"}}
		p.sources[n] = Source{Kind: model.SourceKeyVault}
	}
	return n
}

// doc builds a document of type typ from JSON; its header is line 1.
func doc(t *testing.T, typ, name, addr, body string) Doc {
	t.Helper()
	sources := map[*model.Node]Source{}
	typ, api := SplitType(typ)
	n := parseJSON(t, body, sources)
	rng := model.Range{Filename: testFile, Start: model.Pos{Line: 1, Column: 1}, End: n.Meta.Range.End}
	return Doc{
		Type:       typ,
		APIVersion: api,
		Name:       name,
		Resource:   model.Resource{Address: addr, Type: "azapi_resource", Range: rng},
		Header:     model.Range{Filename: testFile, Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: 1, Column: 2}},
		Body:       n,
		Sources:    sources,
	}
}

// site is a function app document at address "site".
func site(t *testing.T, body string) Doc {
	t.Helper()
	return doc(t, "Microsoft.Web/sites@2024-04-01", "app", "site", body)
}

// lineOf returns the 1-based line of the first occurrence of needle in src.
func lineOf(t *testing.T, src, needle string) int {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("no %q in %s", needle, src)
	}
	return 1 + strings.Count(src[:i], "\n")
}

// want checks a value, its origin and (when line > 0) its line.
func want[T comparable](t *testing.T, what string, v model.Value[T], val T, origin model.Origin, line int) {
	t.Helper()
	if v.Origin != origin {
		t.Errorf("%s: origin = %s, want %s (note %q)", what, v.Origin, origin, v.Note)
		return
	}
	if origin != model.Unknown && v.V != val {
		t.Errorf("%s = %v, want %v", what, v.V, val)
	}
	if line > 0 && v.Range.Start.Line != line {
		t.Errorf("%s: line = %d, want %d", what, v.Range.Start.Line, line)
	}
	if v.Range.IsZero() {
		t.Errorf("%s: no range", what)
	}
	if v.Resource == "" {
		t.Errorf("%s: no resource", what)
	}
	if origin != model.Explicit && v.Note == "" {
		t.Errorf("%s: %s value without a note", what, origin)
	}
}

func settingNamed(t *testing.T, l model.List[*model.Setting], name string) *model.Setting {
	t.Helper()
	for _, s := range l.Items {
		if s.Name.V == name {
			return s
		}
	}
	t.Fatalf("setting %s not found", name)
	return nil
}
