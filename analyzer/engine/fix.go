package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// FixSpec is a check's fix for one format: the attribute or property to
// set, relative to the resource, in the format's own names, and the value
// that passes the check.
type FixSpec struct {
	// Path is dot-separated: Terraform nested blocks then the attribute
	// ("site_config.minimum_tls_version"); ARM keys of the resource object
	// ("properties.httpsOnly").
	Path  string `json:"path" yaml:"path"`
	Value any    `json:"value" yaml:"value"`
	// Types, when set, are the resource types the path is right for
	// (the legacy azurerm_function_app names some attributes otherwise);
	// a finding on another type gets no fix.
	Types []string `json:"types,omitempty" yaml:"types"`
	// Child and ChildPath (ARM): when the resource has the child
	// resource Child ("config/web", addressed <resource>/config/web),
	// whose ChildPath overrides Path, a platform default is set there
	// (where the value is then read from) instead of at Path.
	Child     string `json:"child,omitempty" yaml:"child"`
	ChildPath string `json:"child_path,omitempty" yaml:"child_path"`
	// NoAdd, when set, is why a platform default gets no fix when the
	// Child resource is absent (the value lives in it), and what to do.
	NoAdd string `json:"no_add,omitempty" yaml:"no_add"`
}

// Fix is the concrete fix of one failing finding: the edit of the place
// where the deciding value was written, or of the resource when the value
// was a platform default. Message says what it does.
type Fix struct {
	Message string     `json:"message"`
	Edit    model.Edit `json:"edit"`
}

// passThrough reports whether a value passes a hop of kind k unchanged,
// so that a literal written at the trail's origin is the value the check
// read. A local or an output may compute it: no fix then.
func passThrough(k model.HopKind) bool {
	switch k {
	case model.HopVarFile, model.HopVariable, model.HopModuleArgument,
		model.HopParameterFile, model.HopParameter, model.HopDeploymentParameter,
		model.HopAttribute, model.HopModuleCall, model.HopOverride:
		return true
	}
	return false
}

// planFix returns the fix of failing finding f of check c on resource r in
// a module of format format, or nil with the reason there is none.
func planFix(c *Check, format model.Format, f *Finding, r *model.Resource, idx resourceIndex) (*Fix, string) {
	spec, ok := c.Fix[format]
	if !ok && format == model.Pulumi {
		return nil, pulumiNoFix(c, f)
	}
	if !ok {
		if c.FixHint != "" {
			return nil, c.FixHint
		}
		return nil, "no automatic fix for this check"
	}
	if f.Status != Fail {
		return nil, "only a failing finding is fixed"
	}
	if len(spec.Types) > 0 && !slices.Contains(spec.Types, f.ResourceType) {
		return nil, "no automatic fix for " + f.ResourceType
	}
	// A value read from the Child resource (config/web) is set there:
	// written in it, or a default while it exists (its value overrides
	// the resource's own).
	inChild := spec.Child != "" && strings.HasSuffix(f.Resource, "/"+spec.Child)
	if !inChild && spec.Child != "" && f.Origin == model.Default && r != nil {
		if ch := idx[r.Address+"/"+spec.Child]; ch != nil && !ch.Range.IsZero() {
			r, inChild = ch, true
		}
	}
	if inChild {
		spec.Path = spec.ChildPath
	}
	if fromBicep(f, r) {
		// The template is compiled: the edit belongs in the .bicep
		// source, which is not edited.
		if f.Origin == model.Default && !inChild && spec.NoAdd != "" {
			return nil, "the template is compiled from Bicep; in the .bicep source: " + spec.NoAdd
		}
		return nil, fmt.Sprintf("the template is compiled from Bicep: set %s to %s in the .bicep source", spec.Path, valueText(spec.Value))
	}
	path := strings.Split(spec.Path, ".")
	switch f.Origin {
	case model.Default:
		if !inChild && spec.NoAdd != "" {
			return nil, spec.NoAdd
		}
		if f.Computed && !inChild {
			// ARM: the object the property belongs in is built by a
			// template expression ("siteConfig": "[variables('sc')]").
			return nil, fmt.Sprintf("the object %s belongs in is computed by a template expression; set it where that value is written", spec.Path)
		}
		if r == nil || r.Range.IsZero() {
			return nil, "the resource's source range is not known"
		}
		if len(r.Calls) > 0 {
			// Adding the attribute to a module's body changes every
			// caller of the module.
			return nil, fmt.Sprintf("the value is a platform default inside %s: set %s = %s in the module (every caller gets it) or pass it in through a variable", r.Calls[len(r.Calls)-1].Name, spec.Path, valueText(spec.Value))
		}
		return &Fix{
			Message: fmt.Sprintf("Fix: set %s = %s in %s", spec.Path, valueText(spec.Value), f.Resource),
			Edit:    model.Edit{Kind: model.EditAdd, Range: r.Range, Path: path, Value: spec.Value},
		}, ""
	case model.Explicit:
	default:
		return nil, "the value is not known before deployment"
	}
	if len(f.Trail) == 0 {
		return nil, "the place the value was written is not known"
	}
	if f.Computed {
		return nil, "the value is computed by an expression (an operator, a function, a template or a conditional); change it by hand"
	}
	for _, h := range f.Trail {
		if !passThrough(h.Kind) {
			return nil, fmt.Sprintf("the value is computed (%s %s); change it by hand", h.Kind, h.Name)
		}
		if h.Kind == model.HopDeploymentParameter {
			// The inner template's parameter is given by an expression of
			// the outer template: set what it passes by hand.
			return nil, fmt.Sprintf("the value is passed to a nested deployment (parameter %s); change it where the deployment passes it", h.Name)
		}
	}
	origin := f.Trail[0]
	if origin.Range.IsZero() {
		return nil, "the place the value was written is not known"
	}
	e := model.Edit{Kind: model.EditReplace, Range: origin.Range, Value: spec.Value}
	where := origin.Range.String()
	switch origin.Kind {
	case model.HopVariable, model.HopParameter:
		e.Kind = model.EditDefault
		where = "the default of " + origin.Name
		if format == model.ARM && origin.Kind == model.HopVariable {
			where = origin.Name + " (" + origin.Range.String() + ")"
		}
	case model.HopAttribute:
		where = spec.Path + " of " + f.Resource
	default:
		if origin.Name != "" {
			where = origin.Name + " (" + origin.Range.String() + ")"
		}
	}
	return &Fix{Message: fmt.Sprintf("Fix: set %s to %s", where, valueText(spec.Value)), Edit: e}, ""
}

func valueText(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// validFixValue reports whether v is a value a fix may write.
func validFixValue(v any) bool {
	switch v.(type) {
	case bool, string, int, int64, uint64, float64:
		return true
	}
	return false
}

// fromBicep reports whether the finding, its resource or a place its
// value passed through was mapped to a .bicep source (the parsers move
// the locations of a template compiled from Bicep there).
func fromBicep(f *Finding, r *model.Resource) bool {
	isBicep := func(rg model.Range) bool { return strings.HasSuffix(strings.ToLower(rg.Filename), ".bicep") }
	if isBicep(f.Range) || r != nil && isBicep(r.Range) {
		return true
	}
	return slices.ContainsFunc(f.Trail, func(h model.Hop) bool { return isBicep(h.Range) })
}

// pulumiNoFix says why a Pulumi finding is not fixed (a stack export is
// state, not source) and what to change in the program: the input the
// value was read from when the state has one, then the check's hint.
func pulumiNoFix(c *Check, f *Finding) string {
	msg := "Pulumi stack state is not source and is not edited"
	for _, h := range f.Trail {
		if h.Kind == model.HopInput && strings.HasPrefix(h.Name, "inputs.") {
			msg += fmt.Sprintf("; in the Pulumi program, change the %q input of %s", strings.TrimPrefix(h.Name, "inputs."), f.Resource)
			break
		}
	}
	if c.FixHint != "" {
		return msg + ". " + c.FixHint
	}
	if len(c.Fix) > 0 {
		return msg + "; see the check's Pulumi remediation for the property to set"
	}
	return msg
}
