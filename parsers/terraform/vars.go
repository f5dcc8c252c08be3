package terraform

import (
	"os"
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
	type typeInfo struct {
		ty       cty.Type
		defaults *typeexpr.Defaults
	}
	types := map[string]typeInfo{}
	values := map[string]cty.Value{}
	for _, v := range s.cfg.variables {
		ti := typeInfo{ty: cty.DynamicPseudoType}
		if v.typ != nil {
			ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(v.typ)
			s.addHCLDiags(diags, model.SevWarning, v.decl.Filename)
			if !diags.HasErrors() {
				ti = typeInfo{ty: ty, defaults: defaults}
			}
		}
		types[v.name] = ti
		if v.dflt != nil {
			values[v.name] = s.evalConst(v.dflt, "A variable default")
		}
	}

	for _, path := range s.autoVarFiles() {
		s.applyVarFile(filepath.Join(s.dir, path), filepath.ToSlash(filepath.Join(s.dir, path)), values)
	}
	for _, path := range opts.VarFiles {
		s.applyVarFile(path, filepath.ToSlash(path), values)
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
		values[name] = s.parseVarFlag(name, opts.Vars[name], types[name].ty)
	}

	obj := map[string]cty.Value{}
	for _, v := range s.cfg.variables {
		val, ok := values[v.name]
		if !ok {
			val = cty.UnknownVal(cty.DynamicPseudoType).Mark(unsetVarMark{Name: v.name})
		} else if ti := types[v.name]; !ti.ty.Equals(cty.DynamicPseudoType) || ti.defaults != nil {
			val = s.convertVar(v, val, ti.ty, ti.defaults)
		}
		if v.sensitive != nil {
			sens := s.evalConst(v.sensitive, "sensitive")
			if raw, _ := sens.UnmarkDeep(); raw.IsKnown() && !raw.IsNull() && raw.Type() == cty.Bool && raw.True() {
				val = val.Mark(sensitiveMark{})
			}
		}
		s.vars[v.name] = val
		obj[v.name] = val
	}
	s.varObj = cty.ObjectVal(obj)
}

// autoVarFiles lists the variables files Terraform reads on its own.
func (s *scope) autoVarFiles() []string {
	entries, err := os.ReadDir(s.dir)
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
func (s *scope) applyVarFile(osPath, path string, values map[string]cty.Value) {
	f := s.parseFile(osPath, path)
	if f == nil {
		return
	}
	attrs, diags := f.body.JustAttributes()
	s.addHCLDiags(diags, model.SevError, path)
	for _, a := range sortedAttrs(attrs) {
		if _, declared := s.cfg.varByName[a.Name]; !declared {
			continue
		}
		values[a.Name] = s.evalConst(a.Expr, "A variables file")
	}
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
	raw, pvm := val.UnmarkDeepWithPaths()
	if defaults != nil && raw.IsWhollyKnown() {
		raw = defaults.Apply(raw)
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
	// Marks on nested paths may not exist after conversion (a tuple became
	// a list): keep them on the whole value instead.
	var all []cty.ValueMarks
	for _, p := range pvm {
		all = append(all, p.Marks)
	}
	return out.WithMarks(all...)
}
