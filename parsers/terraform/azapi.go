package terraform

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/armsite"
	"github.com/azfuncscan/azfuncscan/parsers/internal/derive"
)

// azapi resources: ARM documents written in Terraform. An azapi_resource of
// type Microsoft.Web/sites (or /slots) whose kind lists functionapp is a
// function app; azapi resources of the site's child types
// (Microsoft.Web/sites/config, …/basicPublishingCredentialsPolicies,
// …/networkConfig, and the same under /slots) are its ARM children when
// their parent_id names it, and an azapi_update_resource patches the
// resource its resource_id (or name and parent_id) names. All of them are
// mapped with ARM semantics by armsite, after the other resources are
// built, so that children can target azurerm apps as well.
const (
	azapiResource       = "azapi_resource"
	azapiUpdateResource = "azapi_update_resource"
)

// maxUnwrap bounds how far expressions are followed (through locals,
// parentheses, jsonencode and conditionals) to locate body values.
const maxUnwrap = 16

// azapiState collects the azapi instances while building and the cty
// value behind every node converted from them, for linking.
type azapiState struct {
	insts []*instance
	vals  map[*model.Node]cty.Value
}

// azapiApp is what link needs of a function app mapped from azapi.
type azapiApp struct {
	links  armsite.Links
	parent *appEntry // a slot's production app, when resolved
}

// azapiDoc is one azapi resource as an ARM document.
type azapiDoc struct {
	inst   *instance
	update bool
	doc    armsite.Doc
	// target is parent_id (azapi_resource) or resource_id
	// (azapi_update_resource): what the document belongs to or patches.
	target     cty.Value
	targetExpr hcl.Expression
	// targetSelf is true when target names the resource itself
	// (resource_id), false when it names the parent (parent_id).
	targetSelf bool
}

// buildAzapi maps the collected azapi resources: storage accounts, plans,
// function apps and slots with their children, and children or patches
// of azurerm function apps. It runs before linking.
func (b *builder) buildAzapi() {
	if len(b.azapi.insts) == 0 {
		return
	}
	b.azapi.vals = map[*model.Node]cty.Value{}
	var docs []*azapiDoc
	for _, inst := range b.azapi.insts {
		if b.s.cancelled() {
			return
		}
		if d := b.azapiDocOf(inst); d != nil {
			docs = append(docs, d)
		}
	}
	r := newAzapiResolver(b, docs)
	for _, d := range docs {
		if d.update {
			continue
		}
		switch {
		case isARMType(d.doc.Type, armsite.TypeStorageAccount):
			sa := armsite.StorageAccount(d.doc)
			b.accounts = append(b.accounts, &accountEntry{sa: sa, inst: d.inst})
			b.mod.StorageAccounts = append(b.mod.StorageAccounts, sa)
		case isARMType(d.doc.Type, armsite.TypeServerFarm):
			p := armsite.Plan(d.doc)
			b.plans = append(b.plans, &planEntry{plan: p, inst: d.inst})
			b.mod.Plans = append(b.mod.Plans, p)
		case isARMType(d.doc.Type, armsite.TypeDiagnosticSettings):
			// An extension resource: parent_id is the resource whose logs
			// it streams, linked like target_resource_id.
			ds := armsite.DiagnosticSetting(d.doc)
			e := &diagEntry{ds: ds, inst: d.inst, target: cty.NullVal(cty.String), attr: "parent_id", at: d.inst.res.def}
			if d.target != cty.NilVal && !d.targetSelf {
				e.target, e.at = d.target, d.targetExpr.Range()
			}
			b.diagSettings = append(b.diagSettings, e)
			b.mod.DiagnosticSettings = append(b.mod.DiagnosticSettings, ds)
		}
	}

	// Children and patches, grouped by the site or app they target.
	children := map[*azapiDoc][]armsite.Doc{}
	patches := map[*appEntry][]armsite.Doc{}
	var patched []*appEntry
	for _, d := range docs {
		if !isSiteFamily(d.doc.Type) || (!d.update && r.isSite(d)) {
			continue
		}
		t := r.targetOf(d)
		switch {
		case t.doc != nil:
			children[t.doc] = append(children[t.doc], d.doc)
		case t.app != nil:
			if patches[t.app] == nil {
				patched = append(patched, t.app)
			}
			patches[t.app] = append(patches[t.app], d.doc)
		}
	}

	// Production apps first, then slots (which may take their parent's
	// kind), each in file order.
	built := map[*azapiDoc]*appEntry{}
	for _, slots := range []bool{false, true} {
		for _, d := range docs {
			if d.update || !r.isSite(d) || isARMType(d.doc.Type, armsite.TypeSlot) != slots {
				continue
			}
			var opts armsite.SiteOptions
			var parent *appEntry
			if slots {
				t := r.targetOf(d)
				switch {
				case t.doc != nil:
					parent = built[t.doc]
				case t.app != nil:
					parent = t.app
				}
				if !r.slotIsFunctionApp(d, parent) {
					continue
				}
				if parent != nil {
					opts = armsite.SiteOptions{Parent: parent.app, ParentAt: toRange(r.targetRange(d))}
				}
			} else if !armsite.IsFunctionApp(d.doc) {
				continue
			}
			app, links := armsite.Site(d.doc, children[d], opts)
			if parent != nil {
				inheritExistence(app, parent.app)
			}
			e := &appEntry{app: app, inst: d.inst, kind: appKind{flavor: app.Flavor.V, os: app.OS.V, slot: slots},
				arm: &azapiApp{links: links, parent: parent}}
			built[d] = e
			b.apps = append(b.apps, e)
			b.mod.FunctionApps = append(b.mod.FunctionApps, app)
		}
	}
	for _, e := range patched {
		armsite.Apply(e.app, patches[e])
		// The patch may set app settings or the identity.
		derive.App(e.app)
		kvIdentityByReference(b.s, e.inst, e.app)
	}
}

// isARMType compares ARM types case-insensitively.
func isARMType(typ, want string) bool { return strings.EqualFold(typ, want) }

// isSiteFamily reports whether typ is Microsoft.Web/sites or one of its
// child types.
func isSiteFamily(typ string) bool {
	t := strings.ToLower(typ)
	return t == "microsoft.web/sites" || strings.HasPrefix(t, "microsoft.web/sites/")
}

// azapiDocOf converts one azapi instance; nil when its type is not known.
func (b *builder) azapiDocOf(inst *instance) *azapiDoc {
	body := inst.body
	typeAttr := body.attr("type")
	if typeAttr == nil {
		return nil
	}
	typ, ok := knownString(b.s.attrValue(typeAttr))
	if !ok {
		return nil
	}
	armType, api := armsite.SplitType(typ)
	d := &azapiDoc{inst: inst, update: inst.res.typ == azapiUpdateResource, target: cty.NilVal}
	hdr := header(b.s, inst)
	d.doc = armsite.Doc{
		Type:       armType,
		APIVersion: api,
		Resource:   hdr,
		Header:     toRange(inst.res.def),
		Sources:    map[*model.Node]armsite.Source{},
	}
	c := &nodeConv{b: b, addr: inst.addr, sources: d.doc.Sources}
	root := c.body(inst)

	if a := body.attr("name"); a != nil {
		v := b.s.attrValue(a)
		n := c.node(v, exprAt{expr: a.expr, s: a.scope(b.s), inst: inst}, a.rng, "name", 0)
		setField(root, "name", n)
		if s, ok := knownString(v); ok {
			d.doc.Name = s
		}
	}
	for _, name := range []string{"parent_id", "resource_id"} {
		if a := body.attr(name); a != nil && (name == "resource_id" || d.target == cty.NilVal) {
			d.target, d.targetExpr, d.targetSelf = b.s.attrValue(a), a.expr, name == "resource_id"
		}
	}
	if d.doc.Name == "" && d.targetSelf {
		// azapi_update_resource names its resource by id: the name is the
		// id's last segment (".../config/web" → web).
		if s, ok := knownString(d.target); ok {
			d.doc.Name = lastIDSegment(s)
		} else if suffix := literalSuffix(d.targetExpr); suffix != "" {
			d.doc.Name = lastIDSegment(suffix)
		}
	}
	if nodeField(root, "identity") == nil {
		if n := c.identity(inst); n != nil {
			setField(root, "identity", n)
		}
	}
	d.doc.Body = root
	return d
}

// lastIDSegment is the last path segment of an ARM id.
func lastIDSegment(id string) string {
	id = strings.TrimRight(id, "/")
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[i+1:]
	}
	return id
}

// literalSuffix returns the literal text that ends a template such as
// "${azapi_resource.site.id}/config/web".
func literalSuffix(expr hcl.Expression) string {
	tpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok {
		return ""
	}
	var b strings.Builder
	for i := len(tpl.Parts) - 1; i >= 0; i-- {
		lit, ok := tpl.Parts[i].(*hclsyntax.LiteralValueExpr)
		if !ok || lit.Val.Type() != cty.String || !lit.Val.IsKnown() || lit.Val.IsNull() {
			break
		}
		b.WriteString(reverse(lit.Val.AsString()))
	}
	return reverse(b.String())
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func nodeField(n *model.Node, name string) *model.Node {
	if n == nil || n.Kind != model.KindObject {
		return nil
	}
	for _, f := range n.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Node
		}
	}
	return nil
}

// setField adds a field to an object node (a known object only).
func setField(n *model.Node, name string, v *model.Node) {
	if n == nil || n.Kind != model.KindObject || n.Meta.Origin == model.Unknown {
		return
	}
	n.Fields = append(n.Fields, model.Field{Name: name, Node: v})
}

// nodeConv converts evaluated cty values into model nodes, locating each
// node at its expression where the expression can be followed, and
// annotating values whose source the node cannot tell.
type nodeConv struct {
	b       *builder
	addr    string
	sources map[*model.Node]armsite.Source
}

// exprAt is an expression with the scope and instance it is evaluated in
// (inst is nil inside locals).
type exprAt struct {
	expr hcl.Expression
	s    *scope
	inst *instance
}

// body converts the body attribute: an HCL object (azapi ≥ 1.13),
// jsonencode(...) of one, or a JSON string. A missing body is an empty
// object at the resource header.
func (c *nodeConv) body(inst *instance) *model.Node {
	a := inst.body.attr("body")
	if a == nil {
		return &model.Node{Kind: model.KindObject, Meta: model.Meta{Range: toRange(inst.res.def), Origin: model.Explicit, Resource: c.addr}}
	}
	at := exprAt{expr: a.expr, s: a.scope(c.b.s), inst: inst}
	// Look through locals and parentheses for jsonencode(x): x carries the
	// marks and the ranges of every value.
	if arg, ok := c.jsonencodeArg(at); ok {
		v := arg.s.evalIn(arg.expr, arg.inst, nil)
		return c.node(v, arg, a.rng, "body", 0)
	}
	v := c.b.s.attrValue(a)
	raw, marks := v.Unmark()
	if raw.IsKnown() && !raw.IsNull() && raw.Type() == cty.String {
		decoded, err := decodeJSON(raw.AsString())
		if err != nil {
			c.b.s.addDiag(model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Unexpected value",
				Detail:   "body of " + c.addr + " is not a JSON object: " + err.Error(),
				Range:    toRange(a.rng),
			})
			return &model.Node{Meta: model.Meta{Range: toRange(a.rng), Origin: model.Unknown, Resource: c.addr, Note: "body is not valid JSON"}}
		}
		return c.node(decoded.WithMarks(marks), exprAt{}, a.rng, "body", 0)
	}
	return c.node(v, at, a.rng, "body", 0)
}

// jsonencodeArg finds the argument of a jsonencode call an expression
// is, directly or through locals and parentheses.
func (c *nodeConv) jsonencodeArg(at exprAt) (exprAt, bool) {
	for range maxUnwrap {
		switch e := at.expr.(type) {
		case *hclsyntax.ParenthesesExpr:
			at.expr = e.Expression
		case *hclsyntax.ScopeTraversalExpr:
			next, ok := followLocal(at, e)
			if !ok {
				return exprAt{}, false
			}
			at = next
		case *hclsyntax.FunctionCallExpr:
			if e.Name != "jsonencode" || len(e.Args) != 1 || e.ExpandFinal {
				return exprAt{}, false
			}
			at.expr = e.Args[0]
			return at, true
		default:
			return exprAt{}, false
		}
	}
	return exprAt{}, false
}

// followLocal resolves local.name to the local's expression.
func followLocal(at exprAt, e *hclsyntax.ScopeTraversalExpr) (exprAt, bool) {
	t := e.Traversal
	if at.s == nil || len(t) != 2 || t.RootName() != "local" {
		return exprAt{}, false
	}
	step, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return exprAt{}, false
	}
	l := at.s.cfg.localByNm[step.Name]
	if l == nil {
		return exprAt{}, false
	}
	return exprAt{expr: l.expr, s: at.s, inst: nil}, true
}

// unwrap follows an expression to the one that built its value: through
// parentheses, locals, jsonencode and conditionals whose condition is
// known. It returns a zero exprAt when the value has no expression of
// its own (a function result, a variable).
func (c *nodeConv) unwrap(at exprAt) exprAt {
	for range maxUnwrap {
		switch e := at.expr.(type) {
		case nil:
			return exprAt{}
		case *hclsyntax.ParenthesesExpr:
			at.expr = e.Expression
		case *hclsyntax.ScopeTraversalExpr:
			next, ok := followLocal(at, e)
			if !ok {
				return at
			}
			at = next
		case *hclsyntax.FunctionCallExpr:
			if e.Name != "jsonencode" || len(e.Args) != 1 || e.ExpandFinal {
				return at
			}
			at.expr = e.Args[0]
		case *hclsyntax.ConditionalExpr:
			if at.s == nil {
				return at
			}
			cond := unmarked(at.s.evalIn(e.Condition, at.inst, nil))
			if !cond.IsKnown() || cond.IsNull() || cond.Type() != cty.Bool {
				return at
			}
			if cond.True() {
				at.expr = e.TrueResult
			} else {
				at.expr = e.FalseResult
			}
		default:
			return at
		}
	}
	return at
}

// items maps the keys of an object constructor to their value expressions.
func (c *nodeConv) items(at exprAt) map[string]exprAt {
	oc, ok := at.expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	out := map[string]exprAt{}
	for _, item := range oc.Items {
		key := hcl.ExprAsKeyword(item.KeyExpr)
		if ok := key != ""; !ok && at.s != nil {
			k := unmarked(at.s.evalIn(item.KeyExpr, at.inst, nil))
			if k.IsKnown() && !k.IsNull() && k.Type() == cty.String {
				key = k.AsString()
			}
		}
		if key == "" {
			continue
		}
		if _, dup := out[key]; !dup {
			out[key] = exprAt{expr: item.ValueExpr, s: at.s, inst: at.inst}
		}
	}
	return out
}

// maxDepth bounds the nesting of converted values.
const maxDepth = 64

// node converts v, written by at (when known) or else located at fallback.
func (c *nodeConv) node(v cty.Value, at exprAt, fallback hcl.Range, path string, depth int) *model.Node {
	at = c.unwrap(at)
	rng := fallback
	if at.expr != nil {
		rng = at.expr.Range()
	}
	n := &model.Node{Meta: model.Meta{Range: toRange(rng), Origin: model.Explicit, Resource: c.addr}}
	c.b.azapi.vals[n] = v
	top, marks := v.Unmark()
	n.Meta.Trail = bestTrail(marks)
	switch {
	case !top.IsKnown():
		n.Meta.Origin = model.Unknown
		n.Meta.Note = unknownWhy(path, marksOf(v))
		c.annotate(n, v)
		return n
	case top.IsNull():
		n.Kind = model.KindNull
		return n
	case depth > maxDepth:
		n.Meta.Origin, n.Meta.Note = model.Unknown, path+" is nested too deeply"
		return n
	}
	ty := top.Type()
	switch {
	case ty == cty.String:
		n.Kind, n.Str = model.KindString, top.AsString()
		c.annotate(n, v)
	case ty == cty.Bool:
		n.Kind, n.Bool = model.KindBool, top.True()
	case ty == cty.Number:
		bf := top.AsBigFloat()
		if i, acc := bf.Int64(); bf.IsInt() && acc == big.Exact {
			n.Kind, n.Int = model.KindInt, i
		} else {
			n.Kind, n.Str = model.KindString, bf.Text('f', -1)
		}
	case ty.IsObjectType() || ty.IsMapType():
		n.Kind = model.KindObject
		items := c.items(at)
		for it := top.ElementIterator(); it.Next(); {
			k, el := it.Element()
			key := k.AsString()
			n.Fields = append(n.Fields, model.Field{Name: key, Node: c.node(el.WithMarks(marks), items[key], rng, path+"."+key, depth+1)})
		}
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		n.Kind = model.KindList
		var elems []hclsyntax.Expression
		if tc, ok := at.expr.(*hclsyntax.TupleConsExpr); ok && !ty.IsSetType() && len(tc.Exprs) == top.LengthInt() {
			elems = tc.Exprs
		}
		i := 0
		for it := top.ElementIterator(); it.Next(); i++ {
			_, el := it.Element()
			var sub exprAt
			if elems != nil {
				sub = exprAt{expr: elems[i], s: at.s, inst: at.inst}
			}
			n.Items = append(n.Items, c.node(el.WithMarks(marks), sub, rng, path+"["+strconv.Itoa(i)+"]", depth+1))
		}
	default:
		n.Meta.Origin, n.Meta.Note = model.Unknown, path+" has a type azfuncscan does not read"
	}
	return n
}

// annotate records where a scalar or unknown value comes from when it is
// not a plain literal: a sensitive input, another resource's attribute, a
// Key Vault reference known only by its prefix.
func (c *nodeConv) annotate(n *model.Node, v cty.Value) {
	if src, attr := classify(v); src != model.SourceLiteral {
		c.sources[n] = armsite.Source{Kind: src, Attribute: attr}
	}
}

// identity converts azapi's identity block (or, in .tf.json, attribute)
// into the ARM identity object: type and userAssignedIdentities (a list
// of ids, which armsite accepts like the ARM object keyed by id).
func (c *nodeConv) identity(inst *instance) *model.Node {
	body := inst.body
	if body.isDynamic("identity") {
		return &model.Node{Meta: model.Meta{Range: toRange(body.dynamic["identity"][0]), Origin: model.Unknown, Resource: c.addr,
			Note: "identity is generated by a dynamic block whose for_each is not known before apply"}}
	}
	if a := body.attr("identity"); a != nil {
		v := c.b.s.attrValue(a)
		top, marks := v.Unmark()
		if top.IsKnown() && !top.IsNull() && (top.Type().IsListType() || top.Type().IsTupleType()) {
			if top.LengthInt() == 0 {
				return nil
			}
			v = top.Index(cty.NumberIntVal(0)).WithMarks(marks)
		}
		n := c.node(v, exprAt{}, a.rng, "identity", 0)
		if ids := nodeField(n, "identity_ids"); ids != nil {
			n.Fields = append(n.Fields, model.Field{Name: "userAssignedIdentities", Node: ids})
		}
		return n
	}
	blk := body.sub("identity")
	if blk == nil {
		return nil
	}
	n := &model.Node{Kind: model.KindObject, Meta: model.Meta{Range: toRange(blk.def), Origin: model.Explicit, Resource: c.addr}}
	if blk.unknown != "" {
		n.Kind, n.Meta.Origin, n.Meta.Note = model.KindNull, model.Unknown, blk.unknown
		return n
	}
	if a := blk.attr("type"); a != nil {
		n.Fields = append(n.Fields, model.Field{Name: "type", Node: c.node(c.b.s.attrValue(a), exprAt{expr: a.expr, s: a.scope(c.b.s), inst: inst}, a.rng, "identity.type", 0)})
	}
	if a := blk.attr("identity_ids"); a != nil {
		n.Fields = append(n.Fields, model.Field{Name: "userAssignedIdentities", Node: c.node(c.b.s.attrValue(a), exprAt{expr: a.expr, s: a.scope(c.b.s), inst: inst}, a.rng, "identity.identity_ids", 0)})
	}
	return n
}

// decodeJSON parses a JSON document into a cty value.
func decodeJSON(s string) (cty.Value, error) {
	b := []byte(s)
	ty, err := ctyjson.ImpliedType(b)
	if err != nil {
		return cty.NilVal, err
	}
	return ctyjson.Unmarshal(b, ty)
}

// azapiResolver finds what an azapi document's parent_id or resource_id
// names: an azapi site or slot, another azapi document (whose own target
// is followed), or an azurerm function app.
type azapiResolver struct {
	list   []*azapiDoc          // azapi_resource documents in file order
	docs   map[string]*azapiDoc // by address
	sites  map[string][]*azapiDoc
	apps   map[string]*appEntry // azurerm apps by address
	byName map[string][]*appEntry
}

func newAzapiResolver(b *builder, docs []*azapiDoc) *azapiResolver {
	r := &azapiResolver{docs: map[string]*azapiDoc{}, sites: map[string][]*azapiDoc{}, apps: map[string]*appEntry{}, byName: map[string][]*appEntry{}}
	for _, d := range docs {
		if d.update {
			continue
		}
		r.list = append(r.list, d)
		r.docs[d.inst.addr] = d
		if isARMType(d.doc.Type, armsite.TypeSite) && d.doc.Name != "" {
			n := strings.ToLower(d.doc.Name)
			r.sites[n] = append(r.sites[n], d)
		}
	}
	for _, e := range b.apps {
		r.apps[e.app.Address] = e
		if !e.kind.slot && e.app.Name.Origin == model.Explicit {
			n := strings.ToLower(e.app.Name.V)
			r.byName[n] = append(r.byName[n], e)
		}
	}
	return r
}

// isSite reports whether d is an azapi_resource site or slot.
func (r *azapiResolver) isSite(d *azapiDoc) bool {
	return !d.update && (isARMType(d.doc.Type, armsite.TypeSite) || isARMType(d.doc.Type, armsite.TypeSlot))
}

// slotIsFunctionApp: a slot is a function app when its kind says so, or
// when it has no kind and its parent is a function app.
func (r *azapiResolver) slotIsFunctionApp(d *azapiDoc, parent *appEntry) bool {
	if armsite.IsFunctionApp(d.doc) {
		return true
	}
	_, hasKind := armsite.KindOf(d.doc)
	return !hasKind && !armsite.KindUnknown(d.doc) && parent != nil
}

// target is what a document belongs to: an azapi site/slot or an azurerm
// app (neither when unresolved).
type target struct {
	doc *azapiDoc
	app *appEntry
}

// targetOf resolves d's parent (or, for azapi_update_resource of a site,
// the site itself).
func (r *azapiResolver) targetOf(d *azapiDoc) target {
	return r.resolve(d, 0)
}

func (r *azapiResolver) resolve(d *azapiDoc, depth int) target {
	if depth > maxUnwrap || d.target == cty.NilVal {
		return target{}
	}
	refs := marksOf(d.target).refs
	for _, preferID := range []bool{true, false} {
		for _, ref := range refs {
			if preferID && ref.Attribute != "id" {
				continue
			}
			if e := r.apps[ref.Address]; e != nil {
				return target{app: e}
			}
			other := r.docs[ref.Address]
			if other == nil || other == d {
				continue
			}
			if r.isSite(other) {
				return target{doc: other}
			}
			if isSiteFamily(other.doc.Type) {
				// The id of a child (…/config/web): its parent.
				return r.resolve(other, depth+1)
			}
		}
	}
	id, ok := knownString(d.target)
	if !ok {
		return target{}
	}
	site, slot, ok := armSite(id)
	if !ok {
		return target{}
	}
	if slot == "" {
		return r.siteNamed(site)
	}
	parent := r.siteNamed(site)
	if parent.doc == nil {
		return target{}
	}
	// A slot of an azapi site, named by id.
	for _, other := range r.list {
		if !isARMType(other.doc.Type, armsite.TypeSlot) || !strings.EqualFold(lastIDSegment(other.doc.Name), slot) {
			continue
		}
		if t := r.resolve(other, depth+1); t.doc == parent.doc {
			return target{doc: other}
		}
	}
	return target{}
}

// siteNamed finds the one production site called name: an azapi site or
// an azurerm app.
func (r *azapiResolver) siteNamed(name string) target {
	n := strings.ToLower(name)
	docs, apps := r.sites[n], r.byName[n]
	switch {
	case len(docs) == 1 && len(apps) == 0:
		return target{doc: docs[0]}
	case len(docs) == 0 && len(apps) == 1:
		return target{app: apps[0]}
	}
	return target{}
}

// targetRange locates a document's parent reference.
func (r *azapiResolver) targetRange(d *azapiDoc) hcl.Range {
	if d.targetExpr != nil {
		return d.targetExpr.Range()
	}
	return d.inst.res.def
}

// linkAzapiApp links an azapi function app to its host storage account
// and its plan, from the nodes armsite reported.
func (b *builder) linkAzapiApp(ix *linkIndex, e *appEntry) {
	app, links := e.app, e.arm.links
	storageWhat := "properties.functionAppConfig.deployment.storage.value"
	if links.StorageSetting != "" {
		storageWhat = "app setting " + links.StorageSetting
	}
	if v, ok := b.azapi.vals[links.Storage]; ok && links.Storage != nil {
		if acc, ok := pickRef(v, ix.accounts, "name"); ok {
			app.StorageAccount = acc.sa
			app.StorageLink = model.LinkedBy(links.Storage.Meta.Range, app.Address, linkReason(storageWhat, v, acc.sa.Resource, acc.sa.Name))
		}
	}
	if n := app.StorageAccountName; app.StorageAccount == nil && n.Origin == model.Explicit && n.V != "" {
		if acc, ok := ix.accountsByNm[strings.ToLower(n.V)]; ok {
			app.StorageAccount = acc.sa
			app.StorageLink = model.LinkedBy(n.Range, app.Address, storageWhat+" names "+acc.sa.Address+" ("+quoteName(n.V)+")")
		}
	}
	if v, ok := b.azapi.vals[links.ServerFarm]; ok && links.ServerFarm != nil {
		p, found := pickRef(v, ix.plans, "id")
		if !found {
			if s, known := knownString(v); known {
				if n, _, isFarm := armSegment(s, "Microsoft.Web/serverfarms"); isFarm {
					p = ix.plansByName[strings.ToLower(n)]
					found = p != nil
				}
			}
		}
		if found {
			app.Plan = p.plan
			app.PlanLink = model.LinkedBy(links.ServerFarm.Meta.Range, app.Address, linkReason("properties.serverFarmId", v, p.plan.Resource, p.plan.Name))
		}
	}
	if app.Plan == nil && e.arm.parent != nil {
		// A slot without its own plan runs on its parent's; parents are
		// linked first (they come first in b.apps).
		inheritPlan(app, e.arm.parent.app, "properties.serverFarmId")
	}
}

// settleAzapi finishes ARM defaults that depend on linked resources.
func (b *builder) settleAzapi() {
	for _, e := range b.apps {
		if e.arm != nil {
			armsite.Settle(e.app)
		}
	}
}
