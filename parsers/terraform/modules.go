package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
)

// Module calls are evaluated as terraform plan does: the called module is
// read from its local path (or from .terraform/modules when terraform init
// downloaded it), once per instance of the call, with the call's arguments
// as its variables; its outputs are values of the calling module.

// maxModuleNesting bounds the nesting of module calls.
const maxModuleNesting = 32

// moduleCall is a module block.
type moduleCall struct {
	name    string
	def     hcl.Range // the block header
	whole   hcl.Range // header to closing brace
	source  string
	srcRng  hcl.Range // the source argument, or the header without one
	hasSrc  bool
	args    []*hcl.Attribute // arguments other than meta-arguments, in source order
	count   hcl.Expression
	forEach hcl.Expression

	state evalState // of the expansion into insts
	insts []*moduleInstance
}

// multi reports whether the call has count or for_each.
func (c *moduleCall) multi() bool { return c.count != nil || c.forEach != nil }

// moduleInstance is one instance of a module call.
type moduleInstance struct {
	call *moduleCall
	addr string    // module.x, module.x[0], module.x["k"] (prefixed in nested modules)
	ctx  *instance // count.index / each.* for the call's arguments
	args map[string]*evalAttr
	// child evaluates the called module; nil when it could not be read
	// (not downloaded, a cycle, too deep), and its outputs are unknown.
	child *scope
}

// output is an output block of a module.
type output struct {
	name      string
	expr      hcl.Expression
	sensitive hcl.Expression
	state     evalState
	val       cty.Value
}

// isModuleMetaArg names the arguments of a module block that are not
// input variables.
func isModuleMetaArg(name string) bool {
	switch name {
	case "source", "version", "count", "for_each", "providers", "depends_on":
		return true
	}
	return false
}

func (s *scope) decodeModuleCall(c *config, blk *hcl.Block) {
	name := blk.Labels[0]
	if _, dup := c.callByName[name]; dup {
		s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Duplicate module call",
			Detail: "module." + name + " is declared more than once; the first declaration is used.", Range: toRange(blk.DefRange)})
		return
	}
	mc := &moduleCall{name: name, def: blk.DefRange, whole: blockRange(blk), srcRng: blk.DefRange}
	attrs, diags := blk.Body.JustAttributes()
	s.addHCLDiags(withoutBlockComplaints(diags), model.SevWarning, blk.DefRange.Filename)
	for _, a := range sortedAttrs(attrs) {
		switch a.Name {
		case "source":
			mc.srcRng = a.Expr.Range()
			v, vd := a.Expr.Value(nil)
			if vd.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
				s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Invalid module source",
					Detail: "The source of module." + name + " must be a literal string; the module is not analysed.", Range: toRange(a.Expr.Range())})
				continue
			}
			mc.source, mc.hasSrc = v.AsString(), true
		case "count":
			mc.count = a.Expr
		case "for_each":
			mc.forEach = a.Expr
		default:
			if !isModuleMetaArg(a.Name) {
				mc.args = append(mc.args, a)
			}
		}
	}
	if !mc.hasSrc && mc.srcRng == blk.DefRange {
		s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Module call without source",
			Detail: "module." + name + " has no source argument; the module is not analysed.", Range: toRange(blk.DefRange)})
	}
	c.calls = append(c.calls, mc)
	c.callByName[name] = mc
}

func (s *scope) decodeOutput(c *config, blk *hcl.Block) {
	name := blk.Labels[0]
	attr, diags := partialAttrs(blk.Body, &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "value"}, {Name: "sensitive"}, {Name: "description"}, {Name: "depends_on"}, {Name: "ephemeral"}},
	})
	s.addHCLDiags(diags, model.SevWarning, blk.DefRange.Filename)
	if _, dup := c.outputByNm[name]; dup {
		s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Duplicate output",
			Detail: "output " + strconv.Quote(name) + " is declared more than once; the first declaration is used.", Range: toRange(blk.DefRange)})
		return
	}
	o := &output{name: name, expr: attr("value"), sensitive: attr("sensitive")}
	c.outputs = append(c.outputs, o)
	c.outputByNm[name] = o
}

// moduleInstances expands a module call and prepares a scope for each
// instance whose module can be read.
func (s *scope) moduleInstances(c *moduleCall) []*moduleInstance {
	switch c.state {
	case done:
		return c.insts
	case evaluating:
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Reference cycle",
			Detail:   "The instances of " + s.address("module."+c.name) + " depend on the module itself; references to it are unknown.",
			Range:    toRange(c.def),
		})
		return nil
	}
	c.state = evaluating
	addr := s.address("module." + c.name)
	keys := s.expand(c.count, c.forEach, addr)
	dir, ok := s.resolveModule(c)
	insts := make([]*moduleInstance, 0, len(keys))
	for _, k := range keys {
		if s.cancelled() {
			break
		}
		mi := &moduleInstance{call: c, addr: addr + k.suffix, args: map[string]*evalAttr{}}
		mi.ctx = &instance{s: s, addr: mi.addr, key: k.key, each: k.each, eachOf: k.eachOf, maybe: s.maybeOf(k)}
		for _, a := range c.args {
			mi.args[a.Name] = &evalAttr{name: a.Name, expr: a.Expr, rng: a.Expr.Range(), inst: mi.ctx, s: s}
		}
		if ok {
			mi.child = s.newChild(mi, dir)
		}
		insts = append(insts, mi)
	}
	c.insts, c.state = insts, done
	return c.insts
}

// resolveModule finds the directory a module call reads: a local path
// relative to the calling module, else the directory terraform init
// downloaded the module to. Sources that cannot be read, cycles and too
// deep nesting are reported once, at the call.
func (s *scope) resolveModule(c *moduleCall) (string, bool) {
	if !c.hasSrc {
		return "", false
	}
	key := c.name
	if s.key != "" {
		key = s.key + "." + c.name
	}
	var dir string
	if isLocalSource(c.source) {
		dir = filepath.Join(s.dir, filepath.FromSlash(c.source))
	} else {
		d, ok := s.t.downloaded(key)
		if !ok {
			s.addDiag(model.Diagnostic{
				Severity: model.SevInfo,
				Summary:  "Module source not downloaded",
				Detail: fmt.Sprintf("module source %q not downloaded; run terraform init to include it — its resources are not analysed and its outputs are unknown.",
					c.source),
				Range: toRange(c.srcRng),
			})
			return "", false
		}
		dir = d
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Module directory not found",
			Detail:   fmt.Sprintf("%s reads %s, which is not a directory; its resources are not analysed.", s.address("module."+c.name), filepath.ToSlash(dir)),
			Range:    toRange(c.srcRng),
		})
		return "", false
	}
	if roots := s.t.loader.opts.Within; len(roots) > 0 && !s.t.loader.within(dir) {
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Module outside the scanned directories",
			Detail: fmt.Sprintf("%s reads %s, outside the directories scanned (and their repository); it is not read, its resources are not analysed and its outputs are unknown.",
				s.address("module."+c.name), filepath.ToSlash(dir)),
			Range: toRange(c.srcRng),
		})
		return "", false
	}
	target := absPath(dir)
	for sc := s; sc != nil; sc = sc.parent {
		if absPath(sc.dir) == target {
			s.addDiag(model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Module cycle",
				Detail:   fmt.Sprintf("%s calls %s, which is already being evaluated (a module calls itself directly or indirectly); the call is not followed.", s.address("module."+c.name), filepath.ToSlash(dir)),
				Range:    toRange(c.srcRng),
			})
			return "", false
		}
	}
	if s.depth+1 > maxModuleNesting {
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Module nesting too deep",
			Detail:   fmt.Sprintf("%s is nested more than %d modules deep; it is not analysed.", s.address("module."+c.name), maxModuleNesting),
			Range:    toRange(c.srcRng),
		})
		return "", false
	}
	return dir, true
}

// newChild prepares the scope of one module instance. Its variables are
// evaluated on first use (see moduleVar), so that a call's arguments may
// depend on other outputs of the same module as in Terraform.
func (s *scope) newChild(mi *moduleInstance, dir string) *scope {
	key := mi.call.name
	if s.key != "" {
		key = s.key + "." + key
	}
	calls := make([]model.Hop, 0, len(s.calls)+1)
	calls = append(calls, s.calls...)
	calls = append(calls, model.Hop{Kind: model.HopModuleCall, Name: mi.addr, Range: toRange(mi.call.def)})
	c := &scope{
		t:      s.t,
		ctx:    s.ctx,
		dir:    dir,
		module: mi.addr,
		key:    key,
		calls:  calls,
		parent: s,
		depth:  s.depth + 1,
		call:   mi,
		maybe:  mi.ctx.maybe,
		funcs:  s.funcs,
		vars:   map[string]cty.Value{},
		varObj: cty.EmptyObjectVal,
	}
	c.cfg = c.decodeConfig(c.loadFiles())
	for _, a := range mi.call.args {
		if _, declared := c.cfg.varByName[a.Name]; !declared {
			s.addDiag(model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Unsupported argument",
				Detail:   fmt.Sprintf("%s declares no variable %q; the argument is ignored.", mi.addr, a.Name),
				Range:    toRange(a.NameRange),
			})
		}
	}
	return c
}

// moduleVars is the var object of a called module for the traversals an
// expression makes through it.
func (s *scope) moduleVars(ts []hcl.Traversal) cty.Value {
	m := map[string]cty.Value{}
	for _, t := range ts {
		name, ok := stepName(t, 1)
		if !ok {
			// var as a whole, or var[expr]: every variable.
			for _, v := range s.cfg.variables {
				m[v.name] = s.moduleVar(v)
			}
			continue
		}
		if v := s.cfg.varByName[name]; v != nil {
			m[name] = s.moduleVar(v)
		}
	}
	return cty.ObjectVal(m)
}

// moduleVar is the value of a called module's variable: the call's
// argument (evaluated in the calling module, marks and all), else the
// variable's default, else unknown.
func (s *scope) moduleVar(v *variable) cty.Value {
	switch v.state {
	case done:
		return v.val
	case evaluating:
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Reference cycle",
			Detail:   "var." + v.name + " of " + s.module + " depends on itself; it is treated as unknown.",
			Range:    toRange(v.decl),
		})
		return cty.DynamicVal.Mark(evalErrorMark{})
	}
	v.state = evaluating
	var (
		val cty.Value
		ok  bool
	)
	fromDefault := false
	if a := s.call.args[v.name]; a != nil {
		val, ok = a.s.attrValue(a), true
		if raw, _ := val.Unmark(); raw.IsKnown() && raw.IsNull() && v.dflt != nil && !s.nullable(v) {
			ok = false // null for a non-nullable variable means its default
		} else {
			val = withHop(val, model.Hop{Kind: model.HopModuleArgument, Name: s.module + "." + v.name, Range: toRange(a.rng)})
		}
	}
	if !ok && v.dflt != nil {
		val, ok, fromDefault = s.varDefault(v), true, true
	}
	v.val = withHop(s.finishVar(v, val, ok, s.varType(v)), varHop(v, fromDefault))
	v.state = done
	return v.val
}

// nullable reports the variable's nullable argument (true by default).
func (s *scope) nullable(v *variable) bool {
	if v.nullable == nil {
		return true
	}
	raw := unmarked(s.evalConst(v.nullable, "nullable"))
	return !raw.IsKnown() || raw.IsNull() || raw.Type() != cty.Bool || raw.True()
}

// outputValue is the value of an output of this module.
func (s *scope) outputValue(o *output) cty.Value {
	switch o.state {
	case done:
		return o.val
	case evaluating:
		if o.expr != nil {
			s.addDiag(model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Reference cycle",
				Detail:   "output " + o.name + " of " + s.module + " depends on itself; it is treated as unknown.",
				Range:    toRange(o.expr.Range()),
			})
		}
		return cty.DynamicVal.Mark(evalErrorMark{})
	}
	o.state = evaluating
	val := s.eval(o.expr)
	if o.expr != nil {
		name := "output." + o.name
		if s.module != "" {
			name = s.module + "." + o.name
		}
		val = viaOverride(val, o.expr, name)
		val = withHop(val, model.Hop{Kind: model.HopOutput, Name: name, Range: toRange(o.expr.Range())})
	}
	if o.sensitive != nil {
		if raw := unmarked(s.evalConst(o.sensitive, "sensitive")); raw.IsKnown() && !raw.IsNull() && raw.Type() == cty.Bool && raw.True() {
			val = val.Mark(sensitiveMark{})
		}
	}
	o.val, o.state = val, done
	return val
}

// outputsObject is a module instance as a value: an object of its outputs.
func (s *scope) outputsObject() cty.Value {
	m := make(map[string]cty.Value, len(s.cfg.outputs))
	for _, o := range s.cfg.outputs {
		m[o.name] = s.outputValue(o)
	}
	return cty.ObjectVal(m)
}

// moduleTree is the value of the module symbol for the traversals an
// expression makes through it. Outputs of a module that is read are
// evaluated in its scope and keep their marks, so a reference through
// module.app.id still leads to the resource behind it; the outputs of a
// module that is not read are unknown.
func (s *scope) moduleTree(ts []hcl.Traversal) cty.Value {
	tree := &refTree{}
	for _, t := range ts {
		keys, n := keyPath(t) // keys[0] is "module"
		if n < 2 {
			tree.insert(keys[1:], cty.DynamicVal)
			continue
		}
		c := s.cfg.callByName[keys[1]]
		if c == nil {
			s.insertUnknown(tree, t, 2)
			continue
		}
		insts := s.moduleInstances(c)
		if (len(insts) == 0 && !c.multi()) || (len(insts) > 0 && insts[0].child == nil) {
			s.insertUnknown(tree, t, 2)
			continue
		}
		rel := t[2:n]
		path, v := s.moduleRef(c, insts, rel)
		tree.insert(append([]string{keys[1]}, keys[2:2+path]...), v)
	}
	return tree.value()
}

// moduleRef resolves as much of rel (the traversal after module.name) as
// selects an instance and an output, returning how many steps it used and
// the value there; the rest of the traversal is applied by hcl.
func (s *scope) moduleRef(c *moduleCall, insts []*moduleInstance, rel hcl.Traversal) (int, cty.Value) {
	used := 0
	var mi *moduleInstance
	if !c.multi() {
		mi = insts[0]
	} else {
		if len(rel) == 0 {
			return 0, s.moduleCollection(c, insts)
		}
		idx, ok := rel[0].(hcl.TraverseIndex)
		if !ok {
			return 0, s.moduleCollection(c, insts)
		}
		used = 1
		if mi = selectModuleInstance(insts, idx.Key, c.count != nil); mi == nil {
			return used, cty.DynamicVal.Mark(refMark{Address: s.address("module."+c.name) + instanceKeySuffix(idx.Key), Unknown: true})
		}
	}
	if used < len(rel) {
		if name, ok := stepKey(rel[used]); ok {
			if o := mi.child.cfg.outputByNm[name]; o != nil {
				return used + 1, mi.child.outputValue(o)
			}
		}
	}
	// The whole instance, or an output the module does not declare (hcl
	// then reports the unsupported attribute).
	return used, mi.child.outputsObject()
}

// moduleCollection is a module call with count (a tuple of output
// objects) or for_each (an object of them by key).
func (s *scope) moduleCollection(c *moduleCall, insts []*moduleInstance) cty.Value {
	if len(insts) == 1 && insts[0].ctx.key != cty.NilVal && !insts[0].ctx.key.IsKnown() {
		return cty.DynamicVal.Mark(refMark{Address: s.address("module." + c.name), Unknown: true})
	}
	if c.count != nil {
		vals := make([]cty.Value, len(insts))
		for i, mi := range insts {
			vals[i] = mi.child.outputsObject()
		}
		return cty.TupleVal(vals)
	}
	m := make(map[string]cty.Value, len(insts))
	for _, mi := range insts {
		if k := mi.ctx.key; k.IsKnown() && k.Type().Equals(cty.String) {
			m[k.AsString()] = mi.child.outputsObject()
		}
	}
	return cty.ObjectVal(m)
}

// selectModuleInstance finds the module instance an index selects.
func selectModuleInstance(insts []*moduleInstance, key cty.Value, count bool) *moduleInstance {
	ctxs := make([]*instance, len(insts))
	for i, mi := range insts {
		ctxs[i] = mi.ctx
	}
	sel := selectInstance(ctxs, key, count)
	for _, mi := range insts {
		if mi.ctx == sel {
			return mi
		}
	}
	return nil
}

// maxManifestSize bounds the modules.json read.
const maxManifestSize = 16 << 20

// downloaded returns the directory terraform init downloaded the module
// with the given key (dotted for nested modules: "api.inner") to, from
// .terraform/modules/modules.json of the root module.
func (t *tree) downloaded(key string) (string, bool) {
	if !t.manifestLoaded {
		t.manifestLoaded = true
		t.manifest = t.readManifest()
	}
	dir, ok := t.manifest[key]
	return dir, ok
}

func (t *tree) readManifest() map[string]string {
	path := filepath.Join(t.rootDir, ".terraform", "modules", "modules.json")
	fh, _, err := source.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // not initialised: nothing downloaded
	}
	if err != nil {
		t.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Cannot read the module manifest",
			Detail:   err.Error() + "; downloaded modules are not analysed.",
			Range:    fileStart(filepath.ToSlash(path)),
		})
		return nil
	}
	defer func() { _ = fh.Close() }() // read-only
	src, err := io.ReadAll(io.LimitReader(fh, maxManifestSize))
	var m struct {
		Modules []struct {
			Key    string `json:"Key"`
			Source string `json:"Source"`
			Dir    string `json:"Dir"`
		} `json:"Modules"`
	}
	if err == nil {
		err = json.Unmarshal(src, &m)
	}
	if err != nil {
		t.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Cannot read the module manifest",
			Detail:   filepath.ToSlash(path) + ": " + err.Error() + "; downloaded modules are not analysed.",
			Range:    fileStart(filepath.ToSlash(path)),
		})
		return nil
	}
	out := map[string]string{}
	for _, e := range m.Modules {
		if e.Key == "" || e.Dir == "" {
			continue
		}
		dir := filepath.FromSlash(e.Dir)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(t.rootDir, dir)
		}
		out[e.Key] = dir
	}
	return out
}
