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
	// depAt locates the parent member and each dependencies entry, by
	// URN: where a link by the only dependency is written.
	depAt map[string]model.Range
	// maybe, when set, says why the resource may or may not exist
	// (Resource.UnknownExistence).
	maybe string
}

// loader holds one stack's parse.
type loader struct {
	ctx   context.Context
	d     *doc
	mod   *model.Module
	diags model.Diagnostics
	res   []*res
	// live holds the URNs of the entries not marked delete; deleting the
	// resources a pending operation was deleting.
	live     map[string]bool
	deleting []pendingDelete
}

// pendingDelete is the resource of a pending "deleting" operation.
type pendingDelete struct {
	urn, id string
	del     bool
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
	l.pending(name, dep.Get("pending_operations"))
	l.live = map[string]bool{}
	rs.ForEach(func(_, r gjson.Result) bool {
		if r.IsObject() && !r.Get("delete").Bool() {
			l.live[r.Get("urn").String()] = true
		}
		return true
	})
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

// Reasons a resource of the stack may or may not exist.
const (
	whyDelete      = "it is pending deletion (delete: true in the stack export)"
	whyReplacement = "it was deleted to be replaced (pendingReplacement: true) and is not recreated yet"
	whyDeleting    = "its deletion was in progress when the stack was exported (pending_operations: deleting)"
)

// pending reads deployment.pending_operations: the resources a
// "deleting" operation names may or may not exist (they stay in
// deployment.resources); the others (creating, updating, reading,
// importing) are not analysed, which an info diagnostic says.
func (l *loader) pending(name string, po gjson.Result) {
	if !po.IsArray() {
		return
	}
	other := 0
	po.ForEach(func(_, op gjson.Result) bool {
		r := op.Get("resource")
		if op.Get("type").String() == "deleting" && r.IsObject() {
			l.deleting = append(l.deleting, pendingDelete{urn: r.Get("urn").String(), id: r.Get("id").String(), del: r.Get("delete").Bool()})
		} else {
			other++
		}
		return true
	})
	if other > 0 {
		l.diag(model.SevInfo, "pending operations", fmt.Sprintf("%s lists %d pending operations other than deletions (creating, updating, …); the resources they concern were not analysed beyond what deployment.resources holds.", name, other), l.d.rng(po))
	}
}

// existence says why the entry r may or may not exist, "" when it
// exists; skip is true for the old copy of a replaced resource (delete:
// true beside a live entry with the same URN), which the live entry
// stands for.
func (l *loader) existence(r gjson.Result) (why string, skip bool) {
	urn, id, del := r.Get("urn").String(), r.Get("id").String(), r.Get("delete").Bool()
	switch {
	case del && l.live[urn]:
		return "", true
	case del:
		return whyDelete, false
	case r.Get("pendingReplacement").Bool():
		return whyReplacement, false
	}
	for _, p := range l.deleting {
		if p.urn == urn && !p.del && (p.id == "" || p.id == id) {
			return whyDeleting, false
		}
	}
	return "", false
}

// resource reads one entry of deployment.resources; nil for the old copy
// of a replaced resource.
func (l *loader) resource(r gjson.Result) *res {
	if !r.IsObject() {
		return nil
	}
	maybe, skip := l.existence(r)
	if skip {
		return nil
	}
	urn := r.Get("urn")
	x := &res{urn: urn.String(), parent: r.Get("parent").String(), whole: l.d.rng(r), maybe: maybe, depAt: map[string]model.Range{}}
	x.header = x.whole
	if urn.Exists() {
		x.header = l.d.point(urnKeyOffset(l.d.text, urn.Index))
	}
	x.typ = r.Get("type").String()
	x.token, x.apiVer = normToken(x.typ)
	if p := r.Get("parent"); p.Exists() {
		x.depAt[x.parent] = l.d.rng(p)
	}
	for _, dep := range r.Get("dependencies").Array() {
		x.deps = append(x.deps, dep.String())
		if _, ok := x.depAt[dep.String()]; !ok {
			x.depAt[dep.String()] = l.d.rng(dep)
		}
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
	l.d.trace(out, in, "", "", false)
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
	return model.Resource{Address: x.urn, Type: x.typ, Range: x.whole, UnknownExistence: x.maybe}
}

// sameID compares resource ids case-insensitively.
func sameID(a, b string) bool {
	return a != "" && strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

func hasDep(x *res, urn string) bool { return x.parent == urn || slices.Contains(x.deps, urn) }
