package pulumi

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// res is one resource of the stack.
type res struct {
	urn    string
	token  string // type token without API version: azure-native:web:WebApp
	typ    string // type token as written (the model's Resource.Type)
	apiVer string // from a versioned token or outputs.azureApiVersion
	id     string // outputs.id, else id
	parent string
	deps   []string
	body   *model.Node // outputs merged with inputs
	inputs *model.Node // inputs alone (a child's name is its site's there)
	header model.Range // the "urn" member
	whole  model.Range
}

// loader holds one stack's parse.
type loader struct {
	ctx   context.Context
	d     *doc
	mod   *model.Module
	diags model.Diagnostics
	res   []*res
}

func load(ctx context.Context, name string, text []byte) (*model.Module, model.Diagnostics) {
	mod := &model.Module{Format: model.Pulumi, Path: name}
	d, root, diag := parse(name, text)
	if diag != nil {
		return mod, model.Diagnostics{*diag}
	}
	l := &loader{ctx: ctx, d: d, mod: mod}
	if v := root.Get("version"); v.Exists() && v.Raw != "3" {
		l.diag(model.SevWarning, "unexpected stack export version", fmt.Sprintf("%s has deployment version %s; azfuncscan reads version 3.", name, v.Raw), d.rng(v))
	}
	dep := root.Get("deployment")
	rs := dep.Get("resources")
	if !rs.IsArray() {
		l.diag(model.SevWarning, "no resources", name+" has no deployment.resources list; nothing was analysed.", d.rng(dep))
		return mod, l.diags
	}
	if po := dep.Get("pending_operations"); po.IsArray() && len(po.Array()) > 0 {
		l.diag(model.SevInfo, "pending operations", fmt.Sprintf("%s lists %d pending operations; they were not analysed.", name, len(po.Array())), d.rng(po))
	}
	rs.ForEach(func(_, r gjson.Result) bool {
		if ctx.Err() != nil {
			return false
		}
		if x := l.resource(r); x != nil {
			l.res = append(l.res, x)
		}
		return true
	})
	l.build()
	return mod, l.diags
}

func (l *loader) diag(sev model.Severity, summary, detail string, r model.Range) {
	l.diags = append(l.diags, model.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: r})
}

// resource reads one entry of deployment.resources; nil for deleted ones.
func (l *loader) resource(r gjson.Result) *res {
	if !r.IsObject() || r.Get("delete").Bool() {
		return nil
	}
	urn := r.Get("urn")
	x := &res{urn: urn.String(), parent: r.Get("parent").String(), whole: l.d.rng(r)}
	x.header = x.whole
	if urn.Exists() {
		x.header = l.d.point(urnKeyOffset(l.d.text, urn.Index))
	}
	x.typ = r.Get("type").String()
	x.token, x.apiVer = normToken(x.typ)
	for _, dep := range r.Get("dependencies").Array() {
		x.deps = append(x.deps, dep.String())
	}
	var out, in *model.Node
	if o := r.Get("outputs"); o.IsObject() {
		out = l.d.node(o, o.Index, 0)
		tag(out, "from outputs")
	}
	if i := r.Get("inputs"); i.IsObject() {
		in = l.d.node(i, i.Index, 0)
		tag(in, "from inputs")
	}
	x.body = merge(out, in)
	x.inputs = in
	if x.body == nil {
		x.body = &model.Node{Kind: model.KindObject, Meta: model.Meta{Range: x.header, Origin: model.Explicit}}
	}
	x.id = str(get(out, "id"))
	if x.id == "" {
		x.id = r.Get("id").String()
	}
	if x.apiVer == "" {
		x.apiVer = str(get(x.body, "azureApiVersion"))
	}
	return x
}

// urnKeyOffset returns the offset of the "urn" key before the value at
// off, so that defaults point at the member, not its value.
func urnKeyOffset(text []byte, off int) int {
	i := off - 1
	for i > 0 && (text[i] == ' ' || text[i] == '\t' || text[i] == ':' || text[i] == '\r' || text[i] == '\n') {
		i--
	}
	if i > 0 && text[i] == '"' {
		if j := strings.LastIndexByte(string(text[max(0, i-8):i]), '"'); j >= 0 {
			return max(0, i-8) + j
		}
	}
	return off
}

// tag notes on every known node where it came from.
func tag(n *model.Node, note string) {
	if n == nil {
		return
	}
	if n.Meta.Origin == model.Explicit && n.Meta.Note == "" {
		n.Meta.Note = note
	}
	for _, it := range n.Items {
		tag(it, note)
	}
	for _, f := range n.Fields {
		tag(f.Node, note)
	}
}

// normToken drops the API version of a versioned type token:
// azure-native:web/v20230101:WebApp is azure-native:web:WebApp, API
// version 2023-01-01.
func normToken(t string) (token, api string) {
	parts := strings.Split(t, ":")
	if len(parts) != 3 {
		return t, ""
	}
	mod, ver, ok := strings.Cut(parts[1], "/")
	if ok {
		ver = strings.TrimPrefix(ver, "v")
		if len(ver) >= 8 {
			api = ver[0:4] + "-" + ver[4:6] + "-" + ver[6:8] + ver[8:]
		}
	}
	return parts[0] + ":" + mod + ":" + parts[2], api
}

// resource returns the model identity of x.
func (x *res) resource() model.Resource {
	return model.Resource{Address: x.urn, Type: x.typ, Range: x.whole}
}

// sameID compares resource ids case-insensitively.
func sameID(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

func hasDep(x *res, urn string) bool { return x.parent == urn || slices.Contains(x.deps, urn) }
