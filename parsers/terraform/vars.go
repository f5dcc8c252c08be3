package terraform

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// loadVariables sets the value of every declared input variable, in
// Terraform's order of precedence (later wins): the declaration's default,
// terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in lexical
// order, opts.VarFiles in order, then opts.Vars. A variable left without a
// value is unknown.
func (s *scope) loadVariables(opts Options) {
	types := map[string]typeInfo{}
	values := map[string]cty.Value{}
	fromDefault := map[string]bool{}
	for _, v := range s.cfg.variables {
		types[v.name] = s.varType(v)
		if v.dflt != nil {
			values[v.name], fromDefault[v.name] = s.varDefault(v), true
		}
	}

	for _, path := range s.autoVarFiles() {
		s.applyVarFile(filepath.Join(s.dir, path), filepath.ToSlash(filepath.Join(s.dir, path)), values, fromDefault)
	}
	for _, path := range opts.VarFiles {
		s.applyVarFile(path, filepath.ToSlash(path), values, fromDefault)
	}
	names := make([]string, 0, len(opts.Vars))
	for name := range opts.Vars {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, declared := s.cfg.varByName[name]; !declared {
			s.addDiag(model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "Value for undeclared variable",
				Detail:   "-var " + name + " was given but the module declares no variable " + name + ".",
			})
			continue
		}
		// A -var flag is written nowhere a finding could point at: its
		// hop has no range.
		values[name] = withHop(s.parseVarFlag(name, opts.Vars[name], types[name].ty), model.Hop{Kind: model.HopVarFile, Name: "var." + name})
		fromDefault[name] = false
	}

	obj := map[string]cty.Value{}
	for _, v := range s.cfg.variables {
		val, ok := values[v.name]
		val = withHop(s.finishVar(v, val, ok, types[v.name]), varHop(v, fromDefault[v.name]))
		v.val, v.state = val, done
		s.vars[v.name] = val
		obj[v.name] = val
	}
	s.varObj = cty.ObjectVal(obj)
}

// typeInfo is a variable's type constraint with its optional attribute
// defaults.
type typeInfo struct {
	ty       cty.Type
	defaults *typeexpr.Defaults
}

// varType reads a variable's type constraint; without one (or with a
// broken one) any value is accepted.
func (s *scope) varType(v *variable) typeInfo {
	ti := typeInfo{ty: cty.DynamicPseudoType}
	if v.typ != nil {
		ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(v.typ)
		s.addHCLDiags(diags, model.SevWarning, v.decl.Filename)
		if !diags.HasErrors() {
			ti = typeInfo{ty: ty, defaults: defaults}
		}
	}
	return ti
}

// finishVar turns the value found for a variable (ok false: none) into
// its value: unknown when there is none, converted to the type constraint,
// marked when the variable is sensitive.
func (s *scope) finishVar(v *variable, val cty.Value, ok bool, ti typeInfo) cty.Value {
	if !ok {
		val = cty.UnknownVal(cty.DynamicPseudoType).Mark(unsetVarMark{Name: v.name})
	} else if !ti.ty.Equals(cty.DynamicPseudoType) || ti.defaults != nil {
		val = s.convertVar(v, val, ti.ty, ti.defaults)
	}
	if v.sensitive != nil {
		sens := s.evalConst(v.sensitive, "sensitive")
		if raw := unmarked(sens); raw.IsKnown() && !raw.IsNull() && raw.Type() == cty.Bool && raw.True() {
			val = val.Mark(sensitiveMark{})
		}
	}
	return val
}

// autoVarFiles lists the variables files Terraform reads on its own.
func (s *scope) autoVarFiles() []string {
	entries, err := s.t.loader.opts.readDirEntries(s.dir)
	if err != nil {
		return nil
	}
	var out, auto []string
	present := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		present[name] = true
		if strings.HasSuffix(name, ".auto.tfvars") || strings.HasSuffix(name, ".auto.tfvars.json") {
			auto = append(auto, name)
		}
	}
	for _, name := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if present[name] {
			out = append(out, name)
		}
	}
	sort.Strings(auto)
	return append(out, auto...)
}

// applyVarFile reads a tfvars file into values. Values for variables the
// module does not declare are ignored, as Terraform only warns about them.
func (s *scope) applyVarFile(osPath, path string, values map[string]cty.Value, fromDefault map[string]bool) {
	f := s.parseFile(osPath, path)
	if f == nil {
		return
	}
	s.t.useFuncs(f.funcs)
	attrs, diags := f.body.JustAttributes()
	s.addHCLDiags(diags, model.SevError, path)
	for _, a := range sortedAttrs(attrs) {
		if _, declared := s.cfg.varByName[a.Name]; !declared {
			continue
		}
		values[a.Name] = withHop(s.evalConst(a.Expr, "A variables file"), model.Hop{Kind: model.HopVarFile, Name: "var." + a.Name, Range: toRange(a.Expr.Range())})
		fromDefault[a.Name] = false
	}
}

// varDefault is the value of a variable's default, an override file's
// hop included.
func (s *scope) varDefault(v *variable) cty.Value {
	return viaOverride(s.evalConst(v.dflt, "A variable default"), v.dflt, "var."+v.name)
}

// parseVarFlag interprets a -var value as Terraform does: literally for
// variables of a primitive type, otherwise as an HCL expression when it is
// one, else as a string.
func (s *scope) parseVarFlag(name, raw string, ty cty.Type) cty.Value {
	if ty.IsPrimitiveType() {
		return cty.StringVal(raw)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), "<value for var."+name+">", hcl.InitialPos)
	if diags.HasErrors() || len(expr.Variables()) > 0 {
		return cty.StringVal(raw)
	}
	s.t.useFuncs(nil)
	v, diags := expr.Value(&hcl.EvalContext{Functions: s.funcs})
	if diags.HasErrors() {
		return cty.StringVal(raw)
	}
	return v
}

// convertVar applies a variable's type constraint (and optional attribute
// defaults) to its value. A value that does not convert is reported and
// becomes unknown.
func (s *scope) convertVar(v *variable, val cty.Value, ty cty.Type, defaults *typeexpr.Defaults) cty.Value {
	var pvm []cty.PathValueMarks
	raw, marks := val.Unmark()
	leaf := !raw.IsKnown() || raw.IsNull() || raw.Type().IsPrimitiveType()
	if !leaf {
		raw, pvm = val.UnmarkDeepWithPaths()
	}
	if defaults != nil {
		// Optional attributes get their defaults also inside values that
		// are partly unknown (a module argument built from references).
		raw = applyDefaults(defaults, raw)
	}
	out, err := convert.Convert(raw, ty)
	if err != nil {
		s.addDiag(model.Diagnostic{
			Severity: model.SevWarning,
			Summary:  "Invalid value for variable",
			Detail:   "var." + v.name + ": " + err.Error() + "; the variable is treated as unknown.",
			Range:    toRange(v.decl),
		})
		return cty.UnknownVal(cty.DynamicPseudoType)
	}
	if leaf {
		// A value that holds no others has its marks at its top only:
		// they go on the converted value, as remark would put them.
		return out.WithMarks(marks)
	}
	return remark(out, pvm)
}

// remark puts marks taken off a value back onto its converted form: at
// the same path where it still exists (an object attribute may have become
// a map key), otherwise on the whole value, so no mark is ever lost.
func remark(out cty.Value, pvm []cty.PathValueMarks) cty.Value {
	var atPath []cty.PathValueMarks
	var whole []cty.ValueMarks
	for _, p := range pvm {
		if path, ok := pathIn(out, p.Path); ok {
			atPath = append(atPath, cty.PathValueMarks{Path: path, Marks: p.Marks})
		} else {
			whole = append(whole, p.Marks)
		}
	}
	if len(atPath) > 0 {
		out = out.MarkWithPaths(atPath)
	}
	return out.WithMarks(whole...)
}

// pathIn translates a path of a value before conversion into the
// converted value v: an attribute step becomes an index step into a map
// and the other way round. ok is false when the path does not exist in v.
func pathIn(v cty.Value, p cty.Path) (cty.Path, bool) {
	out := make(cty.Path, 0, len(p))
	cur := v
	for _, step := range p {
		if !cur.IsKnown() || cur.IsNull() {
			return nil, false
		}
		ty := cur.Type()
		var name string
		isName := false
		switch st := step.(type) {
		case cty.GetAttrStep:
			name, isName = st.Name, true
		case cty.IndexStep:
			if st.Key.Type() == cty.String && st.Key.IsKnown() {
				name, isName = st.Key.AsString(), true
			}
		}
		switch {
		case isName && ty.IsObjectType():
			if !ty.HasAttribute(name) {
				return nil, false
			}
			out = append(out, cty.GetAttrStep{Name: name})
			cur = cur.GetAttr(name)
		case isName && ty.IsMapType():
			k := cty.StringVal(name)
			if !cur.HasIndex(k).True() {
				return nil, false
			}
			out = append(out, cty.IndexStep{Key: k})
			cur = cur.Index(k)
		case !isName && (ty.IsListType() || ty.IsTupleType()):
			st, ok := step.(cty.IndexStep)
			if !ok || !cur.HasIndex(st.Key).True() {
				return nil, false
			}
			out = append(out, st)
			cur = cur.Index(st.Key)
		default:
			return nil, false
		}
	}
	return out, true
}

// applyDefaults applies optional-attribute defaults; should the library
// fail on an odd value, the value is left as it is.
func applyDefaults(d *typeexpr.Defaults, v cty.Value) (out cty.Value) {
	defer func() {
		if r := recover(); r != nil {
			out = v
		}
	}()
	return d.Apply(v)
}
