package terraform

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tidwall/gjson"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Most ids are unknown at plan time, so resources of a plan are related
// through the references of the configuration (the .tf source, or the
// plan's "configuration" section): every value the mapping reads carries a
// refMark per resource instance its expression refers to, exactly as an
// evaluated .tf expression does, and link.go does the rest.
//
// A reference names a resource block (azurerm_linux_function_app.this),
// perhaps with a literal key (this["west"]). It selects:
//   - the instance with that key, when the key is written;
//   - else the instance with the referring instance's own key, when the
//     referring resource is expanded with the same keys
//     (for_each = azurerm_linux_function_app.this, this[each.key].id);
//   - else every instance of the block. An endpoint or diagnostic setting
//     that so refers to several app instances is linked to each of them
//     (linkAllInstances); a storage account or plan to the first.
//
// A reference to a module output follows the output's own references into
// the module's instances; a module's var.x follows the argument of the
// module call into the calling module.

// planRef is one resource instance (or data source, or module output) a
// value refers to: the refMark to put on the value, and for resource
// instances of the plan the referenced value itself and whether the
// configuration leaves it to the provider (computed at apply time).
type planRef struct {
	mark     refMark
	value    gjson.Result // absent when not known from the plan
	computed bool
}

// configModule is one module of the plan's configuration section.
type configModule struct {
	resources map[string]gjson.Result // managed resources by type.name
	calls     map[string]gjson.Result // module_calls entries by name
	callKeys  map[string]gjson.Result // the keys of module_calls, for locations
	outputs   map[string]gjson.Result
}

// configModule returns the configuration of the module at a call path
// ([] for the root), or nil when the plan does not describe it.
func (p *plan) configModule(path []string) *configModule {
	k := strings.Join(path, ".")
	if cm, ok := p.configMods[k]; ok {
		return cm
	}
	var cm *configModule
	switch {
	case len(path) == 0:
		cm = newConfigModule(field(field(p.root, "configuration"), "root_module"))
	case len(path) <= maxModuleDepth:
		if parent := p.configModule(path[:len(path)-1]); parent != nil {
			if call, ok := parent.calls[path[len(path)-1]]; ok {
				cm = newConfigModule(field(call, "module"))
			}
		}
	}
	p.configMods[k] = cm
	return cm
}

func newConfigModule(m gjson.Result) *configModule {
	if !m.IsObject() {
		return nil
	}
	cm := &configModule{
		resources: map[string]gjson.Result{}, calls: map[string]gjson.Result{},
		callKeys: map[string]gjson.Result{}, outputs: map[string]gjson.Result{},
	}
	for _, r := range elements(field(m, "resources")) {
		if mode := field(r, "mode").String(); mode != "" && mode != "managed" {
			continue
		}
		k := field(r, "type").String() + "." + field(r, "name").String()
		if _, dup := cm.resources[k]; !dup {
			cm.resources[k] = r
		}
	}
	calls, _ := members(field(m, "module_calls"))
	for name := range calls {
		cm.calls[name], cm.callKeys[name] = calls[name].val, calls[name].key
	}
	outs, _ := members(field(m, "outputs"))
	for name := range outs {
		cm.outputs[name] = outs[name].val
	}
	return cm
}

// configRefs returns the references of a configuration expression object
// ({"references": [...]}) as traversals, leaving out the shorter forms
// Terraform lists beside each reference (a.b.id is listed with a.b, and
// a.b["k"] with a.b), so that a keyed reference stays keyed.
func configRefs(expr gjson.Result) []hcl.Traversal {
	var strs []string
	for _, r := range elements(field(expr, "references")) {
		if r.Type == gjson.String && r.Str != "" {
			strs = append(strs, r.Str)
		}
	}
	var out []hcl.Traversal
	for _, s := range strs {
		shorter := false
		for _, other := range strs {
			if len(other) > len(s) && strings.HasPrefix(other, s) && (other[len(s)] == '.' || other[len(s)] == '[') {
				shorter = true
				break
			}
		}
		if shorter {
			continue
		}
		if t, diags := hclsyntax.ParseTraversalAbs([]byte(s), "", hcl.InitialPos); !diags.HasErrors() && len(t) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// maxRefDepth bounds how far references through module outputs are followed.
const maxRefDepth = 8

// resolve returns a mark for every resource instance (or data source or
// unresolvable module output) the traversals of a value refer to, as seen
// from resource r. Unknown is false; the caller sets it per value.
func (p *plan) resolve(r *planResource, ts []hcl.Traversal) []planRef {
	var out []planRef
	for _, t := range ts {
		for _, t := range p.eachValue(r, t) {
			out = append(out, p.resolveIn(r.module, r.modPath, r.key, t, 0)...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].mark.Address != out[j].mark.Address {
			return out[i].mark.Address < out[j].mark.Address
		}
		return out[i].mark.Attribute < out[j].mark.Attribute
	})
	// Drop duplicates.
	n := 0
	for i := range out {
		if i == 0 || out[i].mark != out[n-1].mark {
			out[n] = out[i]
			n++
		}
	}
	return out[:n]
}

// eachValue rewrites each.value.rest, in a resource whose for_each
// iterates over resource blocks (for_each = azurerm_linux_function_app.this),
// into block[key].rest for each of them; other traversals are returned as
// they are.
func (p *plan) eachValue(r *planResource, t hcl.Traversal) []hcl.Traversal {
	if t.RootName() != "each" || len(t) < 2 || r.key == cty.NilVal {
		return []hcl.Traversal{t}
	}
	if name, _ := stepKey(t[1]); name != "value" {
		return []hcl.Traversal{t}
	}
	var out []hcl.Traversal
	for _, ref := range configRefs(field(p.configResource(r), "for_each_expression")) {
		if root := ref.RootName(); len(ref) != 2 || root == "var" || root == "local" || root == "module" || root == "data" {
			continue
		}
		rt := append(hcl.Traversal{}, ref...)
		rt = append(rt, hcl.TraverseIndex{Key: r.key})
		out = append(out, append(rt, t[2:]...))
	}
	return out
}

// resolveIn resolves one traversal in the module instance mod (call path
// path); key is the referring instance's key.
func (p *plan) resolveIn(mod string, path []string, key cty.Value, t hcl.Traversal, depth int) []planRef {
	root := t.RootName()
	switch root {
	case "", "local", "each", "count", "path", "terraform", "self":
		return nil
	case "var":
		return p.resolveVar(mod, path, t, depth)
	case "data":
		typ, ok1 := stepName(t, 1)
		name, ok2 := stepName(t, 2)
		if !ok1 || !ok2 {
			return nil
		}
		rest := t[3:]
		if len(rest) > 0 {
			if _, isIndex := rest[0].(hcl.TraverseIndex); isIndex {
				rest = rest[1:]
			}
		}
		return []planRef{{mark: refMark{Address: joinAddr(mod, "data."+typ+"."+name), Attribute: pathString(rest)}}}
	case "module":
		return p.resolveOutput(mod, path, t, depth)
	}
	name, ok := stepName(t, 1)
	if !ok {
		return nil
	}
	rest := t[2:]
	idx := cty.NilVal
	if len(rest) > 0 {
		if ix, isIndex := rest[0].(hcl.TraverseIndex); isIndex {
			idx = ix.Key
			rest = rest[1:]
		}
	}
	attr := pathString(rest)
	block := mod + "\x00" + root + "." + name
	var picked []*planResource
	switch {
	case idx != cty.NilVal:
		if c := p.byKey[block+"\x00"+keyText(idx)]; c != nil {
			picked = []*planResource{c}
		}
	case key != cty.NilVal && p.byKey[block+"\x00"+keyText(key)] != nil:
		picked = []*planResource{p.byKey[block+"\x00"+keyText(key)]}
	default:
		picked = p.byBlock[block]
	}
	if len(picked) == 0 {
		addr := joinAddr(mod, root+"."+name)
		if idx != cty.NilVal {
			addr += "[" + keyText(idx) + "]"
		}
		return []planRef{{mark: refMark{Address: addr, Attribute: attr}}}
	}
	out := make([]planRef, 0, len(picked))
	for _, c := range picked {
		ref := planRef{mark: refMark{Address: c.addr, Attribute: attr}}
		if len(rest) > 0 {
			ref.value = walkValue(c.after, rest)
			first, _ := stepKey(rest[0])
			ref.computed = !field(p.configExprs(c), first).Exists()
		}
		out = append(out, ref)
	}
	return out
}

// configResource returns the configuration of a resource instance's block
// (absent when the configuration does not describe it).
func (p *plan) configResource(r *planResource) gjson.Result {
	if cm := p.configModule(r.modPath); cm != nil {
		return cm.resources[r.typ+"."+r.name]
	}
	return gjson.Result{}
}

// configExprs returns the configuration expressions of a resource
// instance's block.
func (p *plan) configExprs(r *planResource) gjson.Result {
	return field(p.configResource(r), "expressions")
}

// walkValue follows a relative traversal (attributes and indexes) into a
// JSON value.
func walkValue(v gjson.Result, rel hcl.Traversal) gjson.Result {
	for _, step := range rel {
		switch st := step.(type) {
		case hcl.TraverseAttr:
			v = field(v, st.Name)
		case hcl.TraverseIndex:
			k, _ := st.Key.Unmark()
			switch {
			case !k.IsKnown() || k.IsNull():
				return gjson.Result{}
			case k.Type() == cty.String:
				v = field(v, k.AsString())
			case k.Type() == cty.Number:
				i, acc := k.AsBigFloat().Int64()
				if acc != 0 {
					return gjson.Result{}
				}
				v = elementAt(v, int(i))
			default:
				return gjson.Result{}
			}
		default:
			return gjson.Result{}
		}
		if !v.Exists() {
			return v
		}
	}
	return v
}

// resolveOutput follows module.NAME[key].OUTPUT into the module's
// configuration: the output's references, resolved in each instance of the
// call. Without them the output itself is the reference.
func (p *plan) resolveOutput(mod string, path []string, t hcl.Traversal, depth int) []planRef {
	call, ok := stepName(t, 1)
	if !ok {
		return nil
	}
	rest := t[2:]
	idx := cty.NilVal
	if len(rest) > 0 {
		if ix, isIndex := rest[0].(hcl.TraverseIndex); isIndex {
			idx = ix.Key
			rest = rest[1:]
		}
	}
	output := ""
	if len(rest) > 0 {
		output, _ = stepKey(rest[0])
	}
	fallback := []planRef{{mark: refMark{Address: joinAddr(mod, "module."+call), Attribute: output}}}
	if output == "" || depth >= maxRefDepth {
		return fallback
	}
	child := append(append([]string(nil), path...), call)
	cm := p.configModule(child)
	if cm == nil {
		return fallback
	}
	o, ok := cm.outputs[output]
	if !ok {
		return fallback
	}
	refs := configRefs(field(o, "expression"))
	var out []planRef
	for _, inst := range p.children[mod+"\x00"+call] {
		if idx != cty.NilVal && !strings.HasSuffix(inst, "["+keyText(idx)+"]") {
			continue
		}
		for _, ref := range refs {
			out = append(out, p.resolveIn(inst, child, cty.NilVal, ref, depth+1)...)
		}
	}
	if len(out) == 0 {
		return fallback
	}
	return out
}

// resolveVar follows var.NAME of a called module to the argument the
// module call passes: its references, resolved in the calling module.
// Variables of the root module are inputs: they refer to nothing.
func (p *plan) resolveVar(mod string, path []string, t hcl.Traversal, depth int) []planRef {
	name, ok := stepName(t, 1)
	if !ok || len(path) == 0 || depth >= maxRefDepth {
		return nil
	}
	parent, _, ok := splitModuleAddr(mod)
	cm := p.configModule(path[:len(path)-1])
	if !ok || cm == nil {
		return nil
	}
	arg := field(field(cm.calls[path[len(path)-1]], "expressions"), name)
	var out []planRef
	for _, ref := range configRefs(arg) {
		out = append(out, p.resolveIn(parent, path[:len(path)-1], cty.NilVal, ref, depth+1)...)
	}
	return out
}

// keyText renders an instance key as in an address: 0 or "west"; "" when
// it is not a known number or string.
func keyText(k cty.Value) string {
	if k == cty.NilVal {
		return ""
	}
	k, _ = k.Unmark()
	if !k.IsKnown() || k.IsNull() {
		return ""
	}
	switch k.Type() {
	case cty.Number:
		return k.AsBigFloat().Text('f', -1)
	case cty.String:
		return quoteKey(k.AsString())
	}
	return ""
}

// quoteKey quotes a string key the way Terraform addresses do.
func quoteKey(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func joinAddr(mod, addr string) string {
	if mod == "" {
		return addr
	}
	return mod + "." + addr
}

// linkAllInstances completes link for references that select several
// instances of an app block (see the comment at the top): link attached
// each endpoint and diagnostic setting to one of them, this attaches it to
// the others.
func (p *plan) linkAllInstances(b *builder) {
	ix := b.index()
	targets := func(v cty.Value) []*appEntry {
		var out []*appEntry
		seen := map[string]bool{}
		for _, m := range marksOf(v).refs {
			if e := ix.apps[m.Address]; e != nil && !seen[m.Address] {
				seen[m.Address] = true
				out = append(out, e)
			}
		}
		if len(out) < 2 {
			return nil
		}
		return out
	}
	for _, pe := range b.endpoints {
		for _, e := range targets(pe.target) {
			if !containsLink(e.app.PrivateEndpoints.Items, pe.link) {
				e.app.PrivateEndpoints = model.AppendLinked(e.app.PrivateEndpoints, pe.link, e.app.Address)
			}
		}
	}
	for _, d := range b.diagSettings {
		for _, e := range targets(d.target) {
			if !containsLink(e.app.DiagnosticSettings.Items, d.ds) {
				e.app.DiagnosticSettings = model.AppendLinked(e.app.DiagnosticSettings, d.ds, e.app.Address)
			}
		}
	}
}

func containsLink[T comparable](items []T, item T) bool {
	for _, it := range items {
		if it == item {
			return true
		}
	}
	return false
}
