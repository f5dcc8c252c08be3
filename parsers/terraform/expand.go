package terraform

import (
	"fmt"
	"math/big"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// Expansion of count and for_each (resources and module calls) and of
// dynamic blocks, as terraform plan does it. A count or for_each that is
// not known before apply yields one instance whose count.index / each.*
// are unknown, addressed without a key, that may or may not exist: it
// carries the reason (instanceKey.maybe), and so do the instances of the
// resources and module calls of a module instance that may not exist.

// Limits that keep odd input (count = 1e9) from exhausting memory: the
// instances of a whole module tree, where nested module expansions
// multiply, are bounded by limits.Instances (--max-instances); each
// instance of a function app becomes a model and its findings (tens of
// kilobytes), so this also bounds memory and report size.

// maxExpansion is the most instances one count/for_each (or dynamic
// block) may produce, beyond the tree's limit when that is lower; beyond
// it the expansion is treated as unknown (without building 1e9 keys).
const maxExpansion = 10000

// expansionLimit is the most instances one count/for_each may produce.
func (t *tree) expansionLimit() int { return max(maxExpansion, t.maxInstances()) }

// maxInstances is the tree's instance limit.
func (t *tree) maxInstances() int { return t.loader.opts.Limits.MaxInstances(limits.Terraform) }

// instanceKey is one expanded instance: count.index or each.key, each.value,
// and the address suffix ([0], ["key"], or "" when unexpanded).
type instanceKey struct {
	key  cty.Value
	each cty.Value
	// eachOf, when set, is the resource instance each.value is, built
	// only when read whole (see forEachResource); each is then NilVal.
	eachOf *instance
	suffix string
	// maybe, when set, says why the instance may or may not exist: the
	// count or for_each is not known before apply.
	maybe string
}

// single is the key of a resource or module without count/for_each.
func single() []instanceKey { return []instanceKey{{key: cty.NilVal, each: cty.NilVal}} }

// unknownExpansion is the one instance of a count/for_each not known
// before apply; maybe says why it may or may not exist ("" when it surely
// exists, though how many times is not known).
func unknownExpansion(forEach bool, maybe string) []instanceKey {
	if forEach {
		return []instanceKey{{key: cty.UnknownVal(cty.String), each: cty.NilVal, maybe: maybe}}
	}
	return []instanceKey{{key: cty.UnknownVal(cty.Number), each: cty.NilVal, maybe: maybe}}
}

// unknownExpansionWhy says why the instances of a count or for_each whose value v
// is not known before apply may or may not exist: the expression, where it
// is written, and what it depends on.
func (s *scope) unknownExpansionWhy(meta string, expr hcl.Expression, v cty.Value) string {
	why := fmt.Sprintf("%s = %s is not known before apply (%s)", meta, s.exprText(expr), place(expr.Range()))
	if cause := unknownWhy("it", marksOf(v)); cause != unknownWhy("it", markSet{}) {
		why += ": " + cause
	}
	return why
}

// invalidMeta says why the instances of an invalid count or for_each are
// treated as maybe existing.
func invalidMeta(meta string, expr hcl.Expression, problem string) string {
	return fmt.Sprintf("%s is invalid (%s): %s", meta, place(expr.Range()), problem)
}

// place is file:line of a range, for reasons.
func place(r hcl.Range) string {
	return fmt.Sprintf("%s:%d", filepath.ToSlash(r.Filename), r.Start.Line)
}

// maxQuote bounds how much of an expression a reason quotes.
const maxQuote = 80

// exprText is the source text of an expression of the scope's module,
// on one line and shortened for a reason; "the expression" when the text
// is not at hand.
func (s *scope) exprText(expr hcl.Expression) string {
	r := expr.Range()
	for _, f := range s.t.parsed(s.dir).files {
		if f.path != r.Filename || r.End.Byte > len(f.src) || r.Start.Byte >= r.End.Byte {
			continue
		}
		text := strings.Join(strings.Fields(string(f.src[r.Start.Byte:r.End.Byte])), " ")
		if rs := []rune(text); len(rs) > maxQuote {
			text = string(rs[:maxQuote-1]) + "…"
		}
		return text
	}
	return "the expression"
}

// expand evaluates count or for_each (at most one is set; Terraform
// rejects both) and returns the instance keys in Terraform's order:
// ascending index, or keys in lexical order.
func (s *scope) expand(count, forEach hcl.Expression, what string) []instanceKey {
	switch {
	case count != nil:
		return s.expandCount(count, what)
	case forEach != nil:
		return s.expandForEach(forEach, what)
	}
	return single()
}

func (s *scope) expandCount(expr hcl.Expression, what string) []instanceKey {
	v := s.eval(expr)
	raw := unmarked(v)
	if !raw.IsKnown() {
		return unknownExpansion(false, s.unknownExpansionWhy("count", expr, v))
	}
	report := func(why string) {
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Invalid count argument",
			Detail:   what + ": " + why + "; its instances are treated as unknown.",
			Range:    toRange(expr.Range()),
		})
	}
	bad := func(why string) []instanceKey {
		report(why)
		return unknownExpansion(false, invalidMeta("count", expr, why))
	}
	if raw.IsNull() {
		return bad("count is null")
	}
	n, err := convert.Convert(raw, cty.Number)
	if err != nil || !n.IsKnown() || n.IsNull() {
		return bad("count must be a whole number")
	}
	i, acc := n.AsBigFloat().Int64()
	switch {
	case acc != big.Exact:
		return bad("count must be a whole number")
	case i < 0:
		return bad("count must not be negative")
	case i > int64(s.t.expansionLimit()):
		// Too many to expand, but they surely exist.
		report(fmt.Sprintf("count %d is more than the %d instances azfuncscan expands", i, s.t.expansionLimit()))
		return unknownExpansion(false, "")
	}
	if !s.t.budget(int(i)) {
		return s.overBudget(expr, what, false)
	}
	keys := make([]instanceKey, i)
	for j := range keys {
		keys[j] = instanceKey{key: cty.NumberIntVal(int64(j)), each: cty.NilVal, suffix: "[" + strconv.Itoa(j) + "]"}
	}
	return keys
}

func (s *scope) expandForEach(expr hcl.Expression, what string) []instanceKey {
	if keys, ok := s.forEachResource(expr, what); ok {
		if cmp := s.t.loader.opts.compareForEach; cmp != nil {
			cmp(expr, keys, s.expandForEachValue(expr, what))
		}
		return keys
	}
	return s.expandForEachValue(expr, what)
}

// forEachResource expands for_each = azurerm_x.y, a resource with
// for_each itself, whose instances are expanded with known keys: one key
// per instance, in the order of their keys, each.value the instance
// (instanceKey.eachOf), as the value of the reference gives them, without
// building that value: the object of every instance with every attribute
// evaluated (a diagnostic setting per app reads each.value.id). ok is
// false for any other for_each, and the value decides.
func (s *scope) forEachResource(expr hcl.Expression, what string) ([]instanceKey, bool) {
	e, isRef := expr.(*hclsyntax.ScopeTraversalExpr)
	if !isRef || len(e.Traversal) != 2 {
		return nil, false
	}
	name, isAttr := e.Traversal[1].(hcl.TraverseAttr)
	if !isAttr {
		return nil, false
	}
	r := s.declaredResource(e.Traversal.RootName(), name.Name)
	if r == nil || r.mode != managed || r.forEach == nil || r.state == evaluating {
		return nil, false
	}
	insts := s.instances(r)
	if len(insts) == 0 || len(insts) > s.t.expansionLimit() {
		return nil, false
	}
	for _, in := range insts {
		if in.key == cty.NilVal || !in.key.IsKnown() || in.key.IsMarked() || !in.key.Type().Equals(cty.String) {
			return nil, false
		}
	}
	if !s.t.budget(len(insts)) {
		return s.overBudget(expr, what, true), true
	}
	sorted := slices.SortedFunc(slices.Values(insts), func(a, b *instance) int { return strings.Compare(a.key.AsString(), b.key.AsString()) })
	keys := make([]instanceKey, len(sorted))
	for i, in := range sorted {
		k := in.key.AsString()
		keys[i] = instanceKey{key: cty.StringVal(k), eachOf: in, suffix: "[" + hclQuote(k) + "]"}
	}
	return keys, true
}

// expandForEachValue expands a for_each from its value.
func (s *scope) expandForEachValue(expr hcl.Expression, what string) []instanceKey {
	v := s.eval(expr)
	top, marks := v.Unmark()
	if !top.IsKnown() {
		return unknownExpansion(true, s.unknownExpansionWhy("for_each", expr, v))
	}
	report := func(why string) {
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Invalid for_each argument",
			Detail:   what + ": " + why + "; its instances are treated as unknown.",
			Range:    toRange(expr.Range()),
		})
	}
	bad := func(why string) []instanceKey {
		report(why)
		return unknownExpansion(true, invalidMeta("for_each", expr, why))
	}
	ty := top.Type()
	switch {
	case top.IsNull():
		return bad("for_each is null")
	case ty.IsMapType() || ty.IsObjectType():
	case ty.IsSetType():
		if !top.IsWhollyKnown() {
			return unknownExpansion(true, s.unknownExpansionWhy("for_each", expr, v))
		}
		if et := ty.ElementType(); !et.Equals(cty.String) && !et.Equals(cty.DynamicPseudoType) {
			return bad("for_each must be a map or a set of strings, not a set of " + et.FriendlyName())
		}
	default:
		return bad("for_each must be a map or a set of strings, not " + ty.FriendlyName() + " (use toset() for a list)")
	}
	n := top.LengthInt()
	if n > s.t.expansionLimit() {
		// Too many to expand, but they surely exist.
		report(fmt.Sprintf("for_each has %d elements, more than the %d instances azfuncscan expands", n, s.t.expansionLimit()))
		return unknownExpansion(true, "")
	}
	if !s.t.budget(n) {
		return s.overBudget(expr, what, true)
	}
	keys := make([]instanceKey, 0, n)
	for it := top.ElementIterator(); it.Next(); {
		k, el := it.Element()
		if ty.IsSetType() {
			if el.IsMarked() {
				el, _ = el.Unmark()
			}
			if el.IsNull() || !el.Type().Equals(cty.String) {
				return bad("for_each set elements must be strings")
			}
			k = el
		}
		key := k.AsString()
		keys = append(keys, instanceKey{key: cty.StringVal(key), each: el.WithMarks(marks), suffix: "[" + hclQuote(key) + "]"})
	}
	return keys
}

// budget reserves n instances of the tree's allowance.
func (t *tree) budget(n int) bool {
	if t.instances+n > t.maxInstances() {
		return false
	}
	t.instances += n
	return true
}

func (s *scope) overBudget(expr hcl.Expression, what string, forEach bool) []instanceKey {
	if s.t.overInstances { // reported once: module expansions repeat it
		return unknownExpansion(forEach, "")
	}
	s.t.overInstances = true
	s.addDiag(model.Diagnostic{
		Severity: model.SevWarning,
		Summary:  "Too many instances",
		Detail:   fmt.Sprintf("%s: the module tree has more than %d instances (--max-instances); the rest are treated as unknown.", what, s.t.maxInstances()),
		Range:    toRange(expr.Range()),
	})
	return unknownExpansion(forEach, "")
}

// instances returns the instances of r: one per count index or for_each
// key, each addressed type.name[key], or a single one.
func (s *scope) instances(r *resource) []*instance {
	switch r.state {
	case done:
		return r.insts
	case evaluating:
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Reference cycle",
			Detail:   "The instances of " + s.address(r.configAddr()) + " depend on the resource itself; references to it are unknown.",
			Range:    toRange(r.def),
		})
		return nil
	}
	r.state = evaluating
	addr := s.address(r.configAddr())
	var bs *blockSchema
	if r.mode == managed {
		bs = s.t.schemaFor(r.typ)
	}
	keys := s.expand(r.count, r.forEach, addr)
	insts := make([]*instance, 0, len(keys))
	for _, k := range keys {
		if s.cancelled() {
			break
		}
		inst := &instance{s: s, res: r, addr: addr + k.suffix, key: k.key, each: k.each, eachOf: k.eachOf, maybe: s.maybeOf(k)}
		inst.body = s.decodeBody(r.body, r.def, bs, inst, true, nil)
		insts = append(insts, inst)
	}
	r.insts, r.state = insts, done
	return r.insts
}

// maybeOf says why an instance of this scope with key k may or may not
// exist: its own count or for_each, else the module instance it is in.
func (s *scope) maybeOf(k instanceKey) string {
	if k.maybe != "" {
		return k.maybe
	}
	return s.maybe
}

// selectInstance finds the instance an index selects: by number for count,
// by string for for_each. An unexpanded (unknown) instance stands for
// every key.
func selectInstance(insts []*instance, key cty.Value, count bool) *instance {
	if len(insts) == 1 && insts[0].key != cty.NilVal && !insts[0].key.IsKnown() {
		return insts[0]
	}
	k := unmarked(key)
	if !k.IsKnown() || k.IsNull() {
		return nil
	}
	want := cty.String
	if count {
		want = cty.Number
	}
	k, err := convert.Convert(k, want)
	if err != nil {
		return nil
	}
	for _, inst := range insts {
		if inst.key != cty.NilVal && inst.key.IsKnown() && inst.key.Equals(k).True() {
			return inst
		}
	}
	return nil
}

// instanceKeySuffix renders an index as Terraform writes instance keys.
func instanceKeySuffix(key cty.Value) string {
	k := unmarked(key)
	if !k.IsKnown() || k.IsNull() {
		return ""
	}
	switch {
	case k.Type().Equals(cty.String):
		return "[" + hclQuote(k.AsString()) + "]"
	case k.Type().Equals(cty.Number):
		return "[" + k.AsBigFloat().Text('f', -1) + "]"
	}
	return ""
}

// collection is a resource with count (a tuple of instance objects) or
// for_each (an object of them by key) referenced as a whole. When the
// instances are not known, neither is the collection.
func (s *scope) collection(r *resource, insts []*instance) cty.Value {
	if r.coll != cty.NilVal {
		return r.coll
	}
	v := s.buildCollection(r, insts)
	if r.state == done { // insts are all of them: the value is final
		r.coll = v
	}
	return v
}

// buildCollection builds the value collection returns.
func (s *scope) buildCollection(r *resource, insts []*instance) cty.Value {
	if len(insts) == 1 && insts[0].key != cty.NilVal && !insts[0].key.IsKnown() {
		return cty.DynamicVal.Mark(refMark{Address: s.address(r.configAddr()), Unknown: true})
	}
	if r.count != nil {
		vals := make([]cty.Value, len(insts))
		for i, inst := range insts {
			vals[i] = s.instanceObject(inst)
		}
		return cty.TupleVal(vals)
	}
	m := make(map[string]cty.Value, len(insts))
	for _, inst := range insts {
		if inst.key.IsKnown() && inst.key.Type().Equals(cty.String) {
			m[inst.key.AsString()] = s.instanceObject(inst)
		}
	}
	return cty.ObjectVal(m)
}

// builtinComputed are attributes azurerm computes for the resources the
// model reads; an instance object offers them (unknown) even when no
// expression of the module names them.
func builtinComputed() []string {
	return []string{
		"id", "name", "location", "resource_group_name", "tags",
		"default_hostname", "outbound_ip_addresses", "outbound_ip_address_list",
		"possible_outbound_ip_addresses", "possible_outbound_ip_address_list",
		"custom_domain_verification_id", "kind", "site_credential", "principal_id", "tenant_id",
		"client_id", "object_id", "primary_access_key", "secondary_access_key",
		"primary_connection_string", "secondary_connection_string",
		"primary_blob_endpoint", "primary_blob_host", "primary_web_endpoint",
		"connection_string", "instrumentation_key", "app_id", "workspace_id",
		"private_service_connection", "network_interface", "custom_dns_configs",
	}
}

// instanceObject is a resource instance as a value: the attributes and
// blocks written in configuration, and as unknown values (remembering where
// they come from) the attributes azurerm computes and the expressions of
// the module tree read. Block types of the resource's schema that are not
// written are empty. The object is marked with the instance's address.
func (s *scope) instanceObject(inst *instance) cty.Value {
	if inst.obj != cty.NilVal {
		return inst.obj
	}
	// The body's attributes as bodyObject's object holds them (names
	// normalized as cty does), without building that object.
	m := s.bodyAttrs(inst.body)
	for name, v := range m {
		if n := cty.NormalizeString(name); n != name {
			delete(m, name)
			m[n] = v
		}
	}
	if inst.res != nil {
		if bs := s.t.schemaFor(inst.res.typ); bs != nil {
			for name := range bs.blocks {
				if _, ok := m[name]; !ok && !inst.body.isDynamic(name) {
					m[name] = cty.EmptyTupleVal
				}
			}
		}
	}
	for _, name := range s.offeredNames() {
		if _, ok := m[name]; !ok {
			m[name] = cty.DynamicVal.Mark(refMark{Address: inst.addr, Attribute: name, Unknown: true})
		}
	}
	inst.obj = cty.ObjectVal(m).Mark(refMark{Address: inst.addr})
	return inst.obj
}

// offeredNames are the attribute names an instance object of this scope
// offers as unknown values when not written: those azurerm computes and
// those the expressions of this module and the modules around it use
// after a dot; computed once per scope.
func (s *scope) offeredNames() []string {
	if s.objNames != nil {
		return s.objNames
	}
	seen := map[string]bool{}
	names := []string{}
	add := func(name string) {
		if !seen[name] && validIdentifier(name) {
			seen[name] = true
			names = append(names, name)
		}
	}
	for _, name := range builtinComputed() {
		add(name)
	}
	for sc := s; sc != nil; sc = sc.parent {
		for _, name := range sortedKeys(s.t.parsed(sc.dir).attrNames()) {
			add(name)
		}
	}
	s.objNames = names
	return names
}

// validIdentifier reports whether name can be an attribute name.
func validIdentifier(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		if r == '_' || unicode.IsLetter(r) || (i > 0 && (unicode.IsDigit(r) || r == '-')) {
			continue
		}
		return false
	}
	return true
}

// iterator is the symbol a dynamic block's content sees (identity.key,
// identity.value), chained to the iterators of enclosing dynamic blocks.
type iterator struct {
	name       string
	key, value cty.Value
	up         *iterator
}

// names reports whether an iterator of it or around it is called name.
func (it *iterator) names(name string) bool {
	for ; it != nil; it = it.up {
		if it.name == name {
			return true
		}
	}
	return false
}

// lookup returns the value of an iterator symbol, the innermost first.
func (it *iterator) lookup(name string) (cty.Value, bool) {
	for ; it != nil; it = it.up {
		if it.name == name {
			return cty.ObjectVal(map[string]cty.Value{"key": it.key, "value": it.value}), true
		}
	}
	return cty.NilVal, false
}

// dynamicSchema is the body of a dynamic block.
func dynamicSchema() *hcl.BodySchema {
	return &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "for_each", Required: true}, {Name: "iterator"}, {Name: "labels"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
	}
}

// expandDynamic expands a dynamic "type" block into eb: one block of the
// type per for_each element, whose attributes are the content block's
// (ranges inside content) evaluated with the iterator in scope. A for_each
// that is not known leaves the blocks of the type unknown.
func (s *scope) expandDynamic(eb *evalBody, blk *hcl.Block, bs *blockSchema, inst *instance, it *iterator) {
	typ := blk.Labels[0]
	unknown := func() { eb.addDynamic(typ, blk.DefRange) }
	content, diags := blk.Body.Content(dynamicSchema())
	s.addHCLDiags(diags, model.SevWarning, blk.DefRange.Filename)
	if content == nil || content.Attributes["for_each"] == nil || len(content.Blocks) == 0 {
		unknown()
		return
	}
	name := typ
	if a := content.Attributes["iterator"]; a != nil {
		kw := hcl.ExprAsKeyword(a.Expr)
		if kw == "" {
			s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Invalid dynamic iterator name",
				Detail: "iterator must be a single name; the dynamic block is treated as unknown.", Range: toRange(a.Expr.Range())})
			unknown()
			return
		}
		name = kw
	}
	fe := content.Attributes["for_each"].Expr
	v := s.evalIn(fe, inst, it)
	top, marks := v.Unmark()
	if !top.IsKnown() || (top.Type().IsSetType() && !top.IsWhollyKnown()) {
		unknown()
		return
	}
	ty := top.Type()
	if top.IsNull() || !isCollection(ty) {
		s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Invalid dynamic for_each value",
			Detail: "for_each of dynamic \"" + typ + "\" must be a collection; the blocks are treated as unknown.", Range: toRange(fe.Range())})
		unknown()
		return
	}
	if n := top.LengthInt(); n > s.t.expansionLimit() || !s.t.budget(n) {
		s.t.overInstances = true
		s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Too many instances",
			Detail: "dynamic \"" + typ + "\" generates too many blocks; they are treated as unknown.", Range: toRange(fe.Range())})
		unknown()
		return
	}
	body := content.Blocks[0]
	for e := top.ElementIterator(); e.Next(); {
		k, el := e.Element()
		iter := &iterator{name: name, key: k, value: el.WithMarks(marks), up: it}
		eb.addBlock(typ, s.decodeBody(body.Body, blk.DefRange, bs.child(typ), inst, false, iter))
	}
}

// isCollection reports whether a dynamic block can iterate over ty.
func isCollection(ty cty.Type) bool {
	return ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType()
}

// hclQuote quotes an instance key as Terraform prints it in addresses: an
// HCL quoted string, with template introducers ("${", "%{") doubled and
// non-printable characters escaped.
func hclQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '$', '%':
			b.WriteRune(r)
			if strings.HasPrefix(s[i+1:], "{") {
				b.WriteRune(r)
			}
		default:
			switch {
			case unicode.IsPrint(r):
				b.WriteRune(r)
			case r < 0x10000:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
