package terraform

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tidwall/gjson"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/jsonhead"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// A Terraform plan in JSON form (terraform show -json <planfile>) is read
// into the same evalBody structure a .tf resource block is decoded into,
// with every attribute already evaluated, and then mapped by the same
// builder (appservice.go, resources.go) and linked by the same link code.
// plan.go reads and sniffs the file, planbody.go turns resource values into
// bodies, planref.go resolves configuration references and planhcl.go
// finds the .tf source of a resource for locations.

// providerDefaultMark is set on a value the plan holds for an attribute the
// configuration does not write: the provider filled in its default. The
// mapping reports such a value with Origin Default (see fromValue).
type providerDefaultMark struct{}

// planSensitiveMark is set on a value the plan marks sensitive
// (after_sensitive). The plan holds the cleartext, so the value is judged
// like any other; the model's Sensitive type keeps it out of every output.
type planSensitiveMark struct{}

// planUnknownMark is set on a value the plan says is known only after
// apply when no configuration reference tells which resource computes it.
type planUnknownMark struct{}

// hasMark reports whether v or anything inside it carries mark.
func hasMark(v cty.Value, mark any) bool {
	if v == cty.NilVal {
		return false
	}
	return hasMarkDeep(v, mark)
}

// isProviderDefault reports whether v is a provider default read from a
// plan (not written in configuration).
func isProviderDefault(v cty.Value) bool { return hasMark(v, providerDefaultMark{}) }

// providerDefaultNote explains a provider default read from a plan. Only
// plain strings, booleans and numbers are quoted: a sensitive value never
// reaches a note.
func providerDefaultNote[T any](path string, out T, v cty.Value) string {
	if !hasMark(v, planSensitiveMark{}) {
		switch x := any(out).(type) {
		case string:
			return fmt.Sprintf("%s not set; provider default %q (from the plan)", path, x)
		case bool, int64:
			return fmt.Sprintf("%s not set; provider default %v (from the plan)", path, x)
		}
	}
	return path + " not set; provider default from the plan"
}

// IsPlanJSON reports whether head, the first bytes of a .json file, starts a
// Terraform plan in JSON form: an object with "format_version" and
// "planned_values" or "resource_changes" among its top-level keys. Only the
// top level of head is scanned; nothing is decoded. A plan whose
// "variables" fill more than head still counts when "format_version" and
// "terraform_version" come before them (a state file has "values" instead).
// ARM templates, package.json, host.json and other JSON are not plans.
func IsPlanJSON(head []byte) bool {
	// Keys count as written (jsonhead), so a plan's head holds the bytes
	// "format_version", quotes included: other JSON (every ARM template)
	// is turned away by one search instead of a walk of its top level.
	// The search is for the key's end, which starts with a rare byte
	// (bytes.Index skips to each of its first byte, and '"' is everywhere).
	if !bytes.Contains(head, []byte(`_version"`)) {
		return false
	}
	keys, complete := topLevelKeys(head)
	if !keys["format_version"] || keys["values"] {
		return false
	}
	if keys["planned_values"] || keys["resource_changes"] {
		return true
	}
	return !complete && keys["terraform_version"] && keys["variables"]
}

// topLevelKeys lists the keys of the JSON object src starts with, as far as
// src goes. complete is false when src ends (or stops being JSON) before the
// object closes.
func topLevelKeys(src []byte) (keys map[string]bool, complete bool) {
	keys = map[string]bool{}
	complete = jsonhead.Members(src, func(key string, _ []byte) bool {
		keys[key] = true
		return true
	})
	return keys, complete
}

// LoadPlan reads a Terraform plan in JSON form (terraform show -json
// <planfile>, format_version 1.x) into a model.Module, with the resources of
// every module of the plan. Resources are mapped by the same code as .tf
// configuration; values come from resource_changes[].change.after (or
// planned_values), unknown where after_unknown says so.
//
// Locations point at the .tf source when the plan file sits in the root
// module's directory (module resources: in the directory of a local module
// source): explicit values at the attribute, provider defaults (values the
// configuration does not write) at the resource block header. Otherwise
// they point into the plan file: at the value in "after", or at the
// resource's "address" for defaults.
//
// Problems become diagnostics with file and line; what can be read is still
// returned.
func LoadPlan(ctx context.Context, path string) (*model.Module, model.Diagnostics) {
	return LoadPlanWith(ctx, path, Options{})
}

// LoadPlanWith is LoadPlan with options: their Limits (the file size,
// limits.PlanFileSize by default) and the evaluation budgets apply.
func LoadPlanWith(ctx context.Context, path string, opts Options) (mod *model.Module, diags model.Diagnostics) {
	mod = &model.Module{Format: model.Terraform, Path: path}
	if ctx == nil {
		ctx = context.Background()
	}
	name := filepath.ToSlash(path)
	defer func() {
		if r := recover(); r != nil {
			diags = append(diags, model.Diagnostic{
				Severity: model.SevError,
				Summary:  internalErrorSummary,
				Detail:   fmt.Sprintf("%v\n%s", r, debug.Stack()),
				Range:    fileStart(name),
			})
		}
	}()

	s := newTree(ctx, NewLoader(opts), filepath.Dir(path)).root
	s.t.useFuncs(nil)
	src, ok := readPlanFile(s, path, name)
	if !ok {
		return mod, s.t.finish()
	}
	p, ok := parsePlan(s, src, name, filepath.Dir(path))
	if !ok {
		return mod, s.t.finish()
	}
	p.build(mod)
	if err := ctx.Err(); err != nil {
		s.addDiag(model.Diagnostic{
			Severity: model.SevError,
			Summary:  "Scan cancelled",
			Detail:   "reading " + name + " was interrupted (" + err.Error() + "); the model is incomplete",
			Range:    fileStart(name),
		})
	}
	return mod, s.t.finish()
}

// readPlanFile reads a plan file, refusing files over the size limit.
// Plans of big estates run to tens of megabytes; far beyond that the file
// is not worth holding in memory twice.
func readPlanFile(s *scope, osPath, name string) ([]byte, bool) {
	maxPlanSize := s.t.loader.opts.Limits.MaxFileSize(limits.Plan)
	fh, size, err := source.Open(osPath)
	if err != nil {
		s.addDiag(model.Diagnostic{Severity: model.SevError, Summary: "Cannot read file", Detail: err.Error(), Range: fileStart(name)})
		return nil, false
	}
	defer func() { _ = fh.Close() }() // read-only: a close error changes nothing
	tooLarge := func() ([]byte, bool) {
		s.addDiag(model.Diagnostic{
			Severity: model.SevError,
			Summary:  "File too large",
			Detail:   fmt.Sprintf("%s is larger than %s and was not analysed (--max-file-size).", name, limits.Bytes(maxPlanSize)),
			Range:    fileStart(name),
		})
		return nil, false
	}
	if size > maxPlanSize {
		return tooLarge()
	}
	src, err := io.ReadAll(io.LimitReader(fh, maxPlanSize+1))
	if err != nil {
		s.addDiag(model.Diagnostic{Severity: model.SevError, Summary: "Cannot read file", Detail: err.Error(), Range: fileStart(name)})
		return nil, false
	}
	if int64(len(src)) > maxPlanSize {
		return tooLarge()
	}
	if d := srcpos.InvalidUTF8(name, src); d != nil {
		s.addDiag(*d)
	}
	return src, true
}

// plan is a parsed plan file and the indexes the mapping needs.
type plan struct {
	s    *scope
	name string // the plan file as ranges name it
	dir  string // the plan file's directory: the root module's, if any
	text string
	ix   *srcpos.Index[string]
	root gjson.Result

	resources []*planResource
	// byBlock lists the instances of a resource block:
	// module instance address + "\x00" + type.name; byKey finds one by
	// block + "\x00" + instance key as keyText renders it.
	byBlock map[string][]*planResource
	byKey   map[string]*planResource
	// children lists the instances of a module call:
	// parent instance address + "\x00" + call name.
	children map[string][]string

	configMods map[string]*configModule // by config path ("a.b")
	hclDirs    map[string]*hclDir       // by config path; nil entry: no .tf source
	warnedDeep map[string]bool
}

// planResource is one managed resource instance of the plan.
type planResource struct {
	addr    string    // module.api.azurerm_linux_function_app.this["west"]
	module  string    // module.api ("" for the root module)
	modPath []string  // module call names: ["api"]
	typ     string    // azurerm_linux_function_app
	name    string    // this
	key     cty.Value // instance key; cty.NilVal when not expanded
	// obj is the resource_changes entry (or planned_values resource);
	// addrKey its "address" member, where defaults are blamed without .tf.
	obj, addrKey          gjson.Result
	after, unk, sensitive gjson.Result
}

// parsePlan validates src and indexes its resources. JSON errors and files
// that are not plans become diagnostics.
func parsePlan(s *scope, src []byte, name, dir string) (*plan, bool) {
	p := &plan{
		s: s, name: name, dir: dir,
		byBlock: map[string][]*planResource{}, byKey: map[string]*planResource{}, children: map[string][]string{},
		configMods: map[string]*configModule{}, hclDirs: map[string]*hclDir{},
		warnedDeep: map[string]bool{},
	}
	p.text = string(src)
	p.ix = srcpos.New(p.text)
	// encoding/json scans without recursion, limits nesting and says where
	// the input breaks; gjson, which recurses, only ever sees valid JSON.
	var probe struct{}
	if err := json.Unmarshal(src, &probe); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			off := int(syn.Offset) - 1
			if off < 0 {
				off = 0
			}
			p.diag(model.SevError, "Invalid JSON", fmt.Sprintf("%s is not valid JSON: %s; the plan was not analysed.", name, syn.Error()), p.point(off))
		case errors.As(err, &typ):
			p.diag(model.SevError, "Not a Terraform plan", name+" does not hold a JSON object; it was not analysed.", fileStart(name))
		default:
			p.diag(model.SevError, "Invalid JSON", name+": "+err.Error(), fileStart(name))
		}
		return nil, false
	}
	p.root = gjson.Parse(p.text)
	p.root.Index = len(p.text) - len(p.root.Raw) // Parse leaves leading space out of Raw but not out of Index

	fv := p.root.Get("format_version")
	if !fv.Exists() || (!p.root.Get("planned_values").Exists() && !p.root.Get("resource_changes").Exists()) {
		p.diag(model.SevError, "Not a Terraform plan",
			name+" has no format_version with planned_values or resource_changes; it is not the output of terraform show -json <planfile> and was not analysed.", fileStart(name))
		return nil, false
	}
	if v := fv.String(); fv.Type != gjson.String || !strings.HasPrefix(v, "1.") {
		p.diag(model.SevWarning, "Unsupported plan format version",
			fmt.Sprintf("format_version %q is not 1.x; the plan is read as 1.x and may be misread.", v), toRange(p.rangeOf(fv)))
	}
	if p.root.Get("errored").Bool() {
		p.diag(model.SevWarning, "Plan errored",
			"Terraform reported errors while planning; the plan may be incomplete.", toRange(p.rangeOf(p.root.Get("errored"))))
	}
	p.collect()
	return p, true
}

// pos converts a byte offset to a position: 1-based line, 1-based column
// in characters (as hcl counts them, so that editors and snippets agree),
// and the byte offset.
func (p *plan) pos(off int) hcl.Pos {
	q := p.ix.Pos(off)
	return hcl.Pos{Line: q.Line, Column: q.Column, Byte: q.Byte}
}

// rangeOf is the range of a JSON value (or key) of the plan; the start of
// the file when r carries no position.
func (p *plan) rangeOf(r gjson.Result) hcl.Range {
	if !r.Exists() || r.Raw == "" {
		return hcl.Range{Filename: p.name, Start: hcl.InitialPos, End: hcl.InitialPos}
	}
	return hcl.Range{Filename: p.name, Start: p.pos(r.Index), End: p.pos(r.Index + len(r.Raw))}
}

// point is a model range at one byte offset.
func (p *plan) point(off int) model.Range {
	pos := p.pos(off)
	return toRange(hcl.Range{Filename: p.name, Start: pos, End: pos})
}

func (p *plan) diag(sev model.Severity, summary, detail string, r model.Range) {
	p.s.addDiag(model.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: r})
}

// member is one member of a JSON object: its key (for locations) and value.
type member struct {
	key, val gjson.Result
}

// members returns the members of a JSON object by key, and the keys in
// document order; nothing for any other value. A repeated key keeps its
// first value.
func members(obj gjson.Result) (map[string]member, []string) {
	if !obj.IsObject() {
		return nil, nil
	}
	m := map[string]member{}
	var order []string
	obj.ForEach(func(k, v gjson.Result) bool {
		if _, dup := m[k.Str]; !dup {
			m[k.Str] = member{key: k, val: v}
			order = append(order, k.Str)
		}
		return true
	})
	return m, order
}

// field returns the value of key in a JSON object (no path syntax).
func field(obj gjson.Result, key string) gjson.Result {
	var out gjson.Result
	if !obj.IsObject() {
		return out
	}
	obj.ForEach(func(k, v gjson.Result) bool {
		if k.Str == key {
			out = v
			return false
		}
		return true
	})
	return out
}

// elements returns the elements of a JSON array; nothing for any other value.
func elements(arr gjson.Result) []gjson.Result {
	if !arr.IsArray() {
		return nil
	}
	var out []gjson.Result
	arr.ForEach(func(_, v gjson.Result) bool {
		out = append(out, v)
		return true
	})
	return out
}

// elementAt returns element i of a JSON array, or an absent result.
func elementAt(arr gjson.Result, i int) gjson.Result { return at(elements(arr), i) }

// at returns els[i], or an absent result.
func at(els []gjson.Result, i int) gjson.Result {
	if i >= 0 && i < len(els) {
		return els[i]
	}
	return gjson.Result{}
}

// isTrue reports whether r is the JSON literal true (after_unknown and
// after_sensitive say true where a whole value is unknown or sensitive).
func isTrue(r gjson.Result) bool { return r.Type == gjson.True }

// collect indexes the managed resource instances of the plan: every
// resource_changes entry whose change leaves an object behind, then
// resources of planned_values that resource_changes does not list.
func (p *plan) collect() {
	seen := map[string]bool{}
	for _, rc := range elements(field(p.root, "resource_changes")) {
		if p.s.cancelled() {
			return
		}
		if field(rc, "mode").String() != "managed" || field(rc, "deposed").Exists() {
			continue
		}
		change := field(rc, "change")
		after := field(change, "after")
		// Only-delete (and forget) changes leave nothing to analyse.
		if !after.IsObject() || onlyDeletes(field(change, "actions")) {
			if addr := field(rc, "address").String(); addr != "" {
				seen[addr] = true
			}
			continue
		}
		p.add(rc, field(rc, "module_address").String(), after, field(change, "after_unknown"), field(change, "after_sensitive"), seen)
	}
	p.plannedModule(field(field(p.root, "planned_values"), "root_module"), seen, 0)
}

// onlyDeletes reports whether a change's actions are all "delete" (or
// "forget"): the resource is going away.
func onlyDeletes(actions gjson.Result) bool {
	els := elements(actions)
	if len(els) == 0 {
		return false
	}
	for _, a := range els {
		if s := a.String(); s != "delete" && s != "forget" {
			return false
		}
	}
	return true
}

// maxModuleDepth bounds the nesting of child modules followed in the plan
// and in its configuration.
const maxModuleDepth = 32

// plannedModule adds the managed resources of planned_values (module and
// its children) that resource_changes did not list.
func (p *plan) plannedModule(m gjson.Result, seen map[string]bool, depth int) {
	if !m.IsObject() || depth > maxModuleDepth {
		return
	}
	modAddr := field(m, "address").String()
	for _, r := range elements(field(m, "resources")) {
		if field(r, "mode").String() != "managed" || seen[field(r, "address").String()] {
			continue
		}
		p.add(r, modAddr, field(r, "values"), gjson.Result{}, field(r, "sensitive_values"), seen)
	}
	for _, c := range elements(field(m, "child_modules")) {
		p.plannedModule(c, seen, depth+1)
	}
}

// add records one resource instance.
func (p *plan) add(obj gjson.Result, modAddr string, after, unk, sens gjson.Result, seen map[string]bool) {
	addr := field(obj, "address").String()
	typ, name := field(obj, "type").String(), field(obj, "name").String()
	if addr == "" || typ == "" || name == "" || seen[addr] || !after.IsObject() {
		return
	}
	seen[addr] = true
	modPath, ok := modulePath(modAddr)
	if !ok {
		p.diag(model.SevWarning, "Unreadable module address",
			fmt.Sprintf("module address %q of %s cannot be read; the resource is analysed as part of the root module.", modAddr, addr), toRange(p.rangeOf(obj)))
		modAddr, modPath = "", nil
	}
	r := &planResource{
		addr: addr, module: modAddr, modPath: modPath, typ: typ, name: name, key: cty.NilVal,
		obj: obj, addrKey: memberKey(obj, "address"),
		after: after, unk: unk, sensitive: sens,
	}
	switch idx := field(obj, "index"); idx.Type {
	case gjson.Number:
		if n, err := cty.ParseNumberVal(idx.Raw); err == nil {
			r.key = n
		}
	case gjson.String:
		r.key = cty.StringVal(idx.Str)
	}
	p.resources = append(p.resources, r)
	block := modAddr + "\x00" + typ + "." + name
	p.byBlock[block] = append(p.byBlock[block], r)
	if k := keyText(r.key); k != "" {
		p.byKey[block+"\x00"+k] = r
	}
	p.addModuleInstances(modAddr)
}

// memberKey returns the key (not the value) of a member, for locations.
func memberKey(obj gjson.Result, key string) gjson.Result {
	if m, _ := members(obj); m != nil {
		if mb, ok := m[key]; ok {
			return mb.key
		}
	}
	return obj
}

// addModuleInstances records every module instance on the way to modAddr
// as a child of its parent, for references to module outputs.
func (p *plan) addModuleInstances(modAddr string) {
	for modAddr != "" {
		parent, call, ok := splitModuleAddr(modAddr)
		if !ok {
			return
		}
		k := parent + "\x00" + call
		found := false
		for _, c := range p.children[k] {
			if c == modAddr {
				found = true
				break
			}
		}
		if found {
			return // its parents are recorded already
		}
		p.children[k] = append(p.children[k], modAddr)
		sort.Strings(p.children[k])
		modAddr = parent
	}
}

// modulePath returns the module call names of a module instance address:
// module.a["x"].module.b is [a b].
func modulePath(modAddr string) ([]string, bool) {
	if modAddr == "" {
		return nil, true
	}
	t, diags := hclsyntax.ParseTraversalAbs([]byte(modAddr), "", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	var path []string
	for i := 0; i < len(t); {
		name, ok := stepKey(t[i])
		if !ok || name != "module" || i+1 >= len(t) {
			return nil, false
		}
		call, ok := t[i+1].(hcl.TraverseAttr)
		if !ok {
			return nil, false
		}
		path = append(path, call.Name)
		i += 2
		if i < len(t) {
			if _, isIndex := t[i].(hcl.TraverseIndex); isIndex {
				i++
			}
		}
	}
	return path, len(path) > 0
}

// splitModuleAddr splits module.a["x"].module.b into its parent instance
// (module.a["x"]) and the call name (b).
func splitModuleAddr(modAddr string) (parent, call string, ok bool) {
	i := strings.LastIndex(modAddr, "module.")
	if i < 0 {
		return "", "", false
	}
	parent = strings.TrimSuffix(modAddr[:i], ".")
	call = modAddr[i+len("module."):]
	if j := strings.IndexByte(call, '['); j >= 0 {
		call = call[:j]
	}
	return parent, call, call != ""
}

// build maps every resource instance of the plan to the model and links
// them, with the builder .tf configuration uses.
func (p *plan) build(mod *model.Module) {
	b := newBuilder(p.s, mod)
	byAddr := map[string]*planResource{}
	for _, r := range p.resources {
		if p.s.cancelled() {
			return
		}
		byAddr[r.addr] = r
		b.buildInstance(p.instance(r))
	}
	b.link()
	p.linkAllInstances(b)
	set := func(res *model.Resource) {
		if r := byAddr[res.Address]; r != nil {
			res.Module = r.module
			res.Calls = p.calls(r)
		}
	}
	for _, a := range mod.FunctionApps {
		set(&a.Resource)
	}
	for _, sa := range mod.StorageAccounts {
		set(&sa.Resource)
	}
	for _, pl := range mod.Plans {
		set(&pl.Resource)
	}
	for _, e := range mod.PrivateEndpoints {
		set(&e.Resource)
	}
	for _, d := range mod.DiagnosticSettings {
		set(&d.Resource)
	}
}

// calls locates the module calls that lead to r, outermost first: the
// module block in .tf when the caller's source is at hand, else the call
// in the plan's configuration.
func (p *plan) calls(r *planResource) []model.Hop {
	var out []model.Hop
	names := moduleCalls(r.module)
	for i := range r.modPath {
		parent, call := r.modPath[:i], r.modPath[i]
		hop := model.Hop{Kind: model.HopModuleCall, Name: "module." + call}
		if len(names) == len(r.modPath) {
			hop.Name = names[i]
		}
		if d := p.hclDir(parent); d != nil {
			if blk := d.calls[call]; blk != nil {
				hop.Range = toRange(blk.DefRange)
				out = append(out, hop)
				continue
			}
		}
		if cm := p.configModule(parent); cm != nil {
			if c, ok := cm.callKeys[call]; ok {
				hop.Range = toRange(p.rangeOf(c))
				out = append(out, hop)
			}
		}
	}
	return out
}

// instance turns a plan resource into an instance with an evaluated body,
// located in .tf when its block is found there, else in the plan.
func (p *plan) instance(r *planResource) *instance {
	res := &resource{mode: managed, typ: r.typ, name: r.name}
	inst := &instance{res: res, addr: r.addr, key: r.key, each: cty.NilVal}
	cfg := p.configResource(r)
	var hb hcl.Body
	if d := p.hclDir(r.modPath); d != nil {
		switch blk := d.resources[r.typ+"."+r.name]; {
		case blk == nil:
		case matchesConfig(blk, cfg):
			res.def, res.whole, hb = blk.DefRange, blockRange(blk), blk.Body
		default:
			p.diag(model.SevInfo, "Configuration differs from the plan",
				"resource "+strconv.Quote(r.typ)+" "+strconv.Quote(r.name)+" here is not the configuration "+p.name+
					" was planned from (other arguments or values); the plan's findings about it point into the plan.",
				toRange(blk.DefRange))
		}
	}
	if hb == nil {
		res.def, res.whole = p.rangeOf(r.addrKey), p.rangeOf(r.obj)
	}
	bb := &bodyBuilder{p: p, r: r, inst: inst, hclMode: hb != nil, haveConfig: cfg.Exists()}
	inst.body = bb.body(r.after, r.unk, r.sensitive, isTrue(r.sensitive), schemaFor(r.typ), hb, field(cfg, "expressions"), res.def, "", 0)
	return inst
}

// moduleCalls splits a Terraform module address into the addresses of the
// calls that lead to it, outermost first:
// module.a["k"].module.b gives module.a["k"] and module.a["k"].module.b.
// Instance keys may hold any character (quoted, with \" escapes). An
// address of another form gives nil.
func moduleCalls(module string) []string {
	var out []string
	i := 0
	for i < len(module) {
		if !strings.HasPrefix(module[i:], "module.") {
			return nil
		}
		i += len("module.")
		start := i
		for i < len(module) && module[i] != '.' && module[i] != '[' {
			i++
		}
		if i == start {
			return nil
		}
		if i < len(module) && module[i] == '[' {
			end := closingBracket(module, i)
			if end < 0 {
				return nil
			}
			i = end + 1
		}
		out = append(out, module[:i])
		if i < len(module) {
			if module[i] != '.' {
				return nil
			}
			i++
		}
	}
	return out
}

// closingBracket returns the index of the ] closing the [ at open,
// skipping a quoted key; -1 when there is none.
func closingBracket(s string, open int) int {
	inQuote := false
	for i := open + 1; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == ']':
			return i
		}
	}
	return -1
}
