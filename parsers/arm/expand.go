package arm

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
	"github.com/azfuncscan/azfuncscan/parsers/internal/armsite"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// Caps on what one file may expand to.
const (
	// maxNesting bounds nested deployments inside nested deployments.
	maxNesting = 16
)

// Resource types this package reads besides armsite's.
const (
	typeDeployments     = "Microsoft.Resources/deployments"
	typePrivateEndpoint = "Microsoft.Network/privateEndpoints"
	typeDiagSettings    = "Microsoft.Insights/diagnosticSettings"
)

// inst is one instance of a resource declaration: one per copy iteration.
type inst struct {
	t      *tmpl
	obj    *jval
	sym    string // languageVersion 2.0 symbolic name
	parent *inst  // the resource a nested child is declared in
	index  int    // copy index, -1 outside copy loops

	typ      string // full type (Microsoft.Web/sites/config), "" when not known
	ltyp     string // typ in lower case
	api      string
	name     string // full name when known ("" otherwise)
	nameSym  string // full name as symText (for matching)
	nameOK   bool   // known and not built from the fake deployment scope
	nameNode *model.Node
	addr     string
	key      string // lower-case type/name path: microsoft.web/sites/app/config/web
	header   model.Range
	existing bool
	// scopeKey is the lower-case type/name path of the resource an
	// extension resource (scope) applies to; "" when none or unknown.
	scopeKey string

	body   *model.Node // kind, identity, sku, properties (read types only)
	nested *tmpl       // the inline template of a deployment
	// maybe, when set, says why the instance may or may not exist: its
	// condition or copy count is not known, or that of the resource or
	// deployment it is declared in.
	maybe string
}

// view is what armexpr's Context tells about the resource.
func (in *inst) view() armexpr.ResourceView {
	return armexpr.ResourceView{ID: in.id(), Type: in.typ, APIVersion: in.api}
}

// id is the resource id with the scope's placeholders, "" when the name
// is not known.
func (in *inst) id() string {
	if in.name == "" || in.typ == "" {
		return ""
	}
	p := interleave(in.typ, in.name)
	if p == "" {
		return ""
	}
	s := armexpr.DefaultScope()
	return "/subscriptions/" + s.SubscriptionID + "/resourceGroups/" + s.ResourceGroup + "/providers/" + p
}

// isType compares the instance's type case-insensitively.
func (in *inst) isType(typ string) bool { return strings.EqualFold(in.typ, typ) }

// interleave joins an ARM type and name into the resource path of its id:
// Microsoft.Web/sites/config + app/web = Microsoft.Web/sites/app/config/web.
// "" when their segments do not pair up.
func interleave(typ, name string) string {
	slashes := strings.Count(typ, "/")
	if slashes < 1 || slashes != strings.Count(name, "/")+1 {
		return ""
	}
	var b strings.Builder
	b.Grow(len(typ) + 1 + len(name))
	t, ts, _ := strings.Cut(typ, "/")
	b.WriteString(t)
	for more := true; more; {
		var n string
		t, ts, _ = strings.Cut(ts, "/")
		n, name, more = strings.Cut(name, "/")
		b.WriteByte('/')
		b.WriteString(t)
		b.WriteByte('/')
		b.WriteString(n)
	}
	return b.String()
}

// pathOfID returns the resource path of an id or scope: the part after the
// last /providers/ of a full id, else the text itself
// (Microsoft.Web/sites/app).
func pathOfID(id string) string {
	id = strings.TrimSpace(id)
	if i := lastProviders(id); i >= 0 {
		return strings.TrimSuffix(id[i+len("/providers/"):], "/")
	}
	return strings.Trim(id, "/")
}

// lastProviders is strings.LastIndex(strings.ToLower(id), "/providers/"),
// without lower-casing an ASCII id.
func lastProviders(id string) int {
	const sep = "/providers/"
	for i := 0; i < len(id); i++ {
		if id[i] >= utf8.RuneSelf {
			return strings.LastIndex(strings.ToLower(id), sep)
		}
	}
	for i := len(id) - len(sep); i >= 0; i-- {
		if id[i] == '/' && id[i+len(sep)-1] == '/' && strings.EqualFold(id[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

// expandResources expands a resources section: an array, or in
// languageVersion 2.0 an object keyed by symbolic name.
func (t *tmpl) expandResources(list *jval, parent *inst) {
	switch {
	case list.isList():
		for _, r := range list.items {
			t.expandResource(r, "", parent)
		}
	case list.isObject():
		for i := range list.fields {
			t.expandResource(list.fields[i].val, list.fields[i].key, parent)
		}
	}
}

// expandResource expands one declaration: each copy iteration whose
// condition is not false becomes an instance.
func (t *tmpl) expandResource(obj *jval, sym string, parent *inst) {
	if !obj.isObject() || t.l.cancelled() {
		return
	}
	if parent == nil {
		if t.started[obj] {
			return
		}
		t.started[obj] = true
	}
	// Problems evaluating resources azfuncscan does not read (role
	// assignments, DNS records) are not worth a diagnostic: they change
	// nothing in the model.
	if !t.relevant(obj, parent) {
		t.l.quiet++
		defer func() { t.l.quiet-- }()
	}
	c := obj.get("copy")
	if !c.isObject() {
		t.instance(obj, sym, parent, -1, "")
		return
	}
	maybe := ""
	n, ok := t.count(c.get("count"))
	if !ok {
		if t.l.quiet == 0 {
			t.l.diag(model.SevInfo, "Copy count not known",
				"the number of copies is known only at deployment; one instance is analysed", t.l.f.rng(c.get("count")))
		}
		n = 1
		maybe = "the copy count " + t.l.quote(c.get("count")) + " is not known before deployment (" + t.l.place(c.get("count")) + ")"
	}
	name := strOf(c.get("name"))
	for i := 0; i < n; i++ {
		t.frames = append(t.frames, frame{name: name, index: int64(i), resource: true})
		t.instance(obj, sym, parent, i, maybe)
		t.frames = t.frames[:len(t.frames)-1]
	}
}

// quote renders a JSON value of the template briefly for a reason.
func (l *loader) quote(v *jval) string {
	switch {
	case v == nil:
		return "?"
	case v.isString():
		return truncate(v.str, 80)
	}
	// As decoded: control characters inside strings read as spaces.
	return truncate(string(flattenStrings(bytes.Clone(l.f.text[v.start:v.end]))), 80)
}

// place is file:line of a JSON value of the template.
func (l *loader) place(v *jval) string {
	r := l.f.rng(v)
	return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line)
}

// instance evaluates one resource instance and the resources declared in
// it.
func (t *tmpl) instance(obj *jval, sym string, parent *inst, index int, maybe string) {
	// The resource instances of one file (copy loops multiply them) are
	// bounded by limits.ARMInstances (--max-instances).
	if maxInstances := t.l.lim.MaxInstances(limits.ARM); len(t.l.insts) >= maxInstances {
		if !t.l.warnedMany {
			t.l.warnedMany = true
			t.l.diag(model.SevWarning, "Too many resources", fmt.Sprintf("the template expands to more than %d resources (--max-instances); the rest are not analysed", maxInstances), t.l.f.rng(obj))
		}
		return
	}
	if cond := obj.field("condition"); cond != nil {
		switch b := t.evalJSON(cond.val).(type) {
		case bool:
			if !b {
				return
			}
		case string:
			switch strings.ToLower(strings.TrimSpace(b)) {
			case "false":
				return
			case "true":
			default:
				maybe = t.unknownCondition(cond.val)
			}
		default:
			maybe = t.unknownCondition(cond.val)
		}
	}
	switch {
	case maybe != "":
	case parent != nil && parent.maybe != "":
		maybe = parent.maybe
	case t.deployedBy != nil && t.deployedBy.maybe != "":
		maybe = t.deployedBy.maybe
	}
	in := &inst{t: t, obj: obj, sym: sym, parent: parent, index: index, maybe: maybe}
	if b, ok := t.evalJSON(obj.get("existing")).(bool); ok && b {
		in.existing = true
	}
	in.header = t.l.f.rng(obj)
	if tf := obj.field("type"); tf != nil {
		in.header = t.l.f.keyRange(tf)
	}
	t.typeAndName(in)
	if api, ok := t.evalJSON(obj.get("apiVersion")).(string); ok {
		in.api = api
	}
	if sf := obj.field("scope"); sf != nil {
		in.scopeKey = t.scopeKey(sf.val)
	}
	t.l.insts = append(t.l.insts, in)
	if sym != "" {
		if _, dup := t.syms[strings.ToLower(sym)]; !dup {
			t.syms[strings.ToLower(sym)] = in
		}
	}
	if !in.existing && readType(in.ltyp) {
		in.body = t.body(in)
	}
	if !in.existing && in.isType(typeDeployments) {
		t.deployment(in)
	}
	if children := obj.get("resources"); children != nil && !in.existing {
		t.expandResources(children, in)
	}
}

// unknownCondition says why a condition leaves a resource's existence
// unknown.
func (t *tmpl) unknownCondition(v *jval) string {
	return "the condition " + t.l.quote(v) + " is not known before deployment (" + t.l.place(v) + ")"
}

// typeAndName evaluates the type and name of an instance, joined with its
// parent's for a nested child ("config" + "web" in site "app" is
// Microsoft.Web/sites/config "app/web"), and its address.
func (t *tmpl) typeAndName(in *inst) {
	obj := in.obj
	typ, _ := t.evalJSON(obj.get("type")).(string)
	typ = strings.Trim(strings.TrimSpace(typ), "/")
	nameJ := obj.get("name")
	nameVal := t.evalJSON(nameJ)
	nameSym, known := symText(nameVal)
	if nameJ == nil {
		nameSym, known = "", false
	}
	scoped := nameJ != nil && nameJ.isString() && t.taintOf(nameJ.str)&taintScope != 0
	nameStr := ""
	if known {
		nameStr = strings.Trim(nameSym, "/")
		nameSym = nameStr
	}
	disp := ""
	switch {
	case known && !scoped:
		disp = nameStr
	case nameJ != nil && nameJ.isString():
		disp = nameJ.str
	case nameJ != nil:
		disp = "?"
	}

	p := in.parent
	relative := p != nil && typ != "" && !strings.Contains(strings.SplitN(typ, "/", 2)[0], ".")
	switch {
	case relative:
		in.typ = p.typ + "/" + typ
		if p.name != "" && known {
			in.name = p.name + "/" + nameStr
		}
		if p.nameSym != "" && nameSym != "" {
			in.nameSym = p.nameSym + "/" + nameSym
		}
		in.nameOK = p.nameOK && known && !scoped
		in.addr = p.addr + "/" + pairUp(typ, disp)
	default:
		in.typ = typ
		if known {
			in.name = nameStr
		}
		in.nameSym = nameSym
		in.nameOK = known && !scoped
		if path := interleave(typ, disp); path != "" && in.nameOK {
			in.addr = t.prefix + path
		} else {
			in.addr = t.prefix + typ + "/" + disp
		}
	}
	in.ltyp = t.l.lower(in.typ)
	if in.index >= 0 {
		in.addr += "[" + strconv.Itoa(in.index) + "]"
	}
	if k := interleave(in.typ, in.nameSym); k != "" && in.nameSym != "" {
		in.key = strings.ToLower(k)
	}

	// The name node: the full name where known and real, else unknown.
	r := t.l.f.rng(nameJ)
	switch {
	case nameJ == nil:
		in.nameNode = nil
	case in.nameOK && in.name != "":
		in.nameNode = t.l.explicit(model.Node{Kind: model.KindString, Str: in.name}, r)
	case known && scoped:
		in.nameNode = t.l.unknownNode(armexpr.Unknown{Source: armexpr.SourceRuntime,
			Reason: "the name is built from the deployment scope (resource group, subscription or deployment) and is known only at deployment"}, r, 0)
		t.l.vals[in.nameNode] = in.name
	default:
		u, ok := nameVal.(armexpr.Unknown)
		if !ok {
			u = armexpr.Unknown{Reason: "the name is not known before deployment"}
		}
		in.nameNode = t.l.unknownNode(u, r, 0)
	}
	if nameJ.isString() {
		setTrail(in.nameNode, t.trailOf(nameJ.str), 0)
	}
}

// readdress gives a top-level child resource (Microsoft.Web/sites/config
// named app/web) the address of its parent followed by its own type and
// name (Microsoft.Web/sites/app/config/web), as a nested child has, when
// the parent is in the file: findings on a child then read as findings
// under its app, even when the app's name is not known.
func (l *loader) readdress() {
	byKey := map[string]*inst{}
	for _, in := range l.insts {
		if _, dup := byKey[in.key]; !dup && in.key != "" {
			byKey[in.key] = in
		}
	}
	for _, in := range l.insts {
		if in.parent == nil && in.key != "" && strings.Count(in.typ, "/") > 1 {
			ts, ns := strings.Split(in.typ, "/"), strings.Split(in.nameSym, "/")
			for k := 1; k < len(ns); k++ {
				p := byKey[strings.ToLower(interleave(strings.Join(ts[:len(ts)-k], "/"), strings.Join(ns[:len(ns)-k], "/")))]
				if p == nil || p == in {
					continue
				}
				rest := strings.Join(ns[len(ns)-k:], "/")
				if strings.ContainsRune(rest, 0) {
					break
				}
				in.addr = p.addr + "/" + pairUp(strings.Join(ts[len(ts)-k:], "/"), rest)
				if in.index >= 0 {
					in.addr += "[" + strconv.Itoa(in.index) + "]"
				}
				break
			}
		}
	}
}

// pairUp joins the segments of a relative child type and its name:
// "config" + "web" = "config/web"; "providers/diagnosticSettings" +
// "Microsoft.Insights/x" = "providers/Microsoft.Insights/diagnosticSettings/x".
func pairUp(typ, name string) string {
	ts := strings.Split(typ, "/")
	ns := strings.Split(name, "/")
	if len(ts) != len(ns) || strings.HasPrefix(name, "[") {
		return typ + "/" + name
	}
	parts := make([]string, 0, 2*len(ts))
	for i := range ts {
		parts = append(parts, ts[i], ns[i])
	}
	return strings.Join(parts, "/")
}

// scopeKey evaluates an extension resource's scope: a symbolic name
// (languageVersion 2.0), a resource id, or a type/name path.
func (t *tmpl) scopeKey(v *jval) string {
	if v.isString() && !armexpr.IsExpression(v.str) {
		if in := t.syms[strings.ToLower(strings.TrimSpace(v.str))]; in != nil {
			return in.key
		}
	}
	s, _ := symText(t.evalJSON(v))
	if s == "" {
		return ""
	}
	return strings.ToLower(pathOfID(s))
}

// readType reports whether resources of a type (in lower case) are read
// into the model: sites and slots with the children armsite reads,
// storage accounts, plans, private endpoints and diagnostic settings.
func readType(t string) bool {
	switch t {
	case "microsoft.web/sites", "microsoft.storage/storageaccounts", "microsoft.web/serverfarms",
		"microsoft.network/privateendpoints", "microsoft.insights/diagnosticsettings", "microsoft.security/pricings":
		return true
	}
	t = strings.TrimPrefix(t, "microsoft.web/sites/")
	t = strings.TrimPrefix(t, "slots/")
	switch t {
	case "slots", "config", "basicpublishingcredentialspolicies", "networkconfig", "providers/diagnosticsettings":
		return true
	}
	return false
}

// relevant reports whether a declaration may matter to the model: a type
// azfuncscan reads, a deployment (whose template may hold such
// resources), a parent of such children, or a type not known before
// evaluation.
func (t *tmpl) relevant(obj *jval, parent *inst) bool {
	tv := obj.get("type")
	if !tv.isString() || armexpr.IsExpression(tv.str) {
		return true
	}
	typ := strings.Trim(strings.TrimSpace(tv.str), "/")
	if parent != nil && !strings.Contains(strings.SplitN(typ, "/", 2)[0], ".") {
		typ = parent.typ + "/" + typ
	}
	return readType(t.l.lower(typ)) || strings.EqualFold(typ, typeDeployments) || obj.get("resources") != nil
}

// body converts what armsite reads of a resource: name, kind, identity,
// sku and properties.
func (t *tmpl) body(in *inst) *model.Node {
	n := t.l.newNode(model.Node{Kind: model.KindObject, Meta: model.Meta{Range: t.l.f.rng(in.obj), Origin: model.Explicit}})
	if in.nameNode != nil {
		n.Fields = append(n.Fields, model.Field{Name: "name", Node: in.nameNode})
	}
	for i := range in.obj.fields {
		fd := &in.obj.fields[i]
		switch t.l.lower(fd.key) {
		case "kind", "identity", "sku", "properties":
			n.Fields = append(n.Fields, model.Field{Name: fd.key, Node: t.node(fd.val, 1)})
		}
	}
	return n
}

// doc is the armsite document of an instance.
func (in *inst) doc(l *loader) armsite.Doc {
	name := in.name
	if name == "" {
		// armsite tells children apart by the last segment of the name
		// (config "web"), which may be known when the parent's is not.
		if i := strings.LastIndex(in.nameSym, "/"); i >= 0 && !strings.ContainsRune(in.nameSym[i:], 0) {
			name = in.nameSym[i+1:]
		}
	}
	return armsite.Doc{
		Type:       in.typ,
		APIVersion: in.api,
		Name:       name,
		Resource: model.Resource{
			Address:          in.addr,
			Type:             in.typ,
			Range:            l.f.rng(in.obj),
			Related:          l.bicepRelated(in),
			Generated:        generatedFrom(in.t),
			UnknownExistence: in.maybe,
		},
		Header:  in.header,
		Body:    in.body,
		Sources: l.sources,
	}
}

// generatedFrom is the .bicep file the file of template t was compiled
// from: the one beside its top-level template, "" when there is none.
// Every template of the file, nested deployments' included, is then
// build output, also those of modules whose source is not local.
func generatedFrom(t *tmpl) string {
	for t.parent != nil {
		t = t.parent
	}
	if t.bicep == nil {
		return ""
	}
	return t.bicep.name
}

// deployment expands the inline template of a Microsoft.Resources/
// deployments resource. A linked template (templateLink) is not followed.
func (t *tmpl) deployment(in *inst) {
	props := in.obj.get("properties")
	if tl := props.field("templateLink"); tl != nil {
		t.l.diag(model.SevInfo, "Linked template not followed",
			"the deployment "+in.addr+" links its template (templateLink); linked templates are not fetched, so their resources are not analysed",
			t.l.f.keyRange(tl))
		return
	}
	tpl := props.get("template")
	if !tpl.isObject() {
		return
	}
	if t.depth+1 > maxNesting {
		t.l.diag(model.SevWarning, "Nested deployments too deep",
			fmt.Sprintf("deployments are nested more than %d levels deep; the template of %s is not analysed", maxNesting, in.addr), in.header)
		return
	}
	inner := false
	if s, ok := t.evalJSON(props.get("expressionEvaluationOptions").get("scope")).(string); ok && strings.EqualFold(strings.TrimSpace(s), "inner") {
		inner = true
	}
	var passed map[string]*given
	if inner {
		passed = map[string]*given{}
		if ps := props.get("parameters"); ps.isObject() {
			for i := range ps.fields {
				fd := &ps.fields[i]
				g := &given{}
				switch {
				case fd.val.get("reference").isObject():
					g.keyVault = true
					g.val = unknownValue(sourceKeyVaultParam, "parameter "+fd.key+" is read from Key Vault at deployment", fd.key)
				case fd.val.field("value") != nil:
					v := fd.val.get("value")
					g.val, g.taint = anchor(t, t.evalJSON(v), 0), t.taintJSON(v, 0)
				case fd.val.isString():
					// Bicep writes a conditional module parameter as one
					// expression: [if(c, createObject('value', a), …)].
					switch x := t.evalJSON(fd.val).(type) {
					case *armexpr.Object:
						v, ok := x.Get("value")
						if !ok {
							continue
						}
						g.val = anchor(t, v, 0)
					case armexpr.Unknown:
						g.val = anchor(t, x, 0)
					default:
						continue
					}
					g.taint = t.taintJSON(fd.val, 0)
				default:
					continue
				}
				at := fd.val
				if v := fd.val.get("value"); v != nil && fd.val.isObject() {
					at = v
				}
				g.name = fd.key
				g.trail = t.trailJSON(at, 0).Then(model.Hop{Kind: model.HopDeploymentParameter, Name: fd.key, Range: t.l.f.rng(at)})
				passed[strings.ToLower(fd.key)] = g
			}
		}
	}
	child := newTmpl(t.l, tpl, t, !inner, passed, in.addr+"/", t.depth+1)
	in.nested = child
	child.deployedBy = in
	child.bicep = t.l.bicepOfModule(t.bicep, t.bicep.declOf(in, true))
	child.expandResources(tpl.get("resources"), nil)
}
