package engine

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// FixSpec is a check's fix for one format: the attribute or property to
// set, relative to the resource, in the format's own names, and the value
// that passes the check (the FixSetting it embeds). A fix that needs more
// than one setting lists them in Settings instead (the embedded setting
// is then empty): every setting is planned, and the finding gets a fix
// only when each can be made.
type FixSpec struct {
	FixSetting `yaml:",inline"`
	// Settings, when set, are the settings of a fix that needs more than
	// one (client certificates: enabled and mode), each placed where its
	// own deciding value was written.
	Settings []FixSetting `json:"settings,omitempty" yaml:"settings"`
	// Caution, when set, is appended to the fix's message: what to make
	// sure of before applying it.
	Caution string `json:"caution,omitempty" yaml:"caution"`
}

// FixSetting is one setting of a fix.
type FixSetting struct {
	// Path is dot-separated: Terraform nested blocks then the attribute
	// ("site_config.minimum_tls_version"); ARM keys of the resource object
	// ("properties.httpsOnly").
	Path  string `json:"path,omitempty" yaml:"path"`
	Value any    `json:"value,omitempty" yaml:"value"`
	// From is the view path (app.client_cert_mode) of the value the
	// setting decides, whose trail says where the edit goes; empty: the
	// check's blamed value. It matters only among several settings.
	From string `json:"from,omitempty" yaml:"from"`
	// Types, when set, are the resource types the path is right for
	// (the legacy azurerm_function_app names some attributes otherwise);
	// a finding on another type gets no fix of this setting (of the
	// single form: no fix; among several: the others are made).
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

// List returns the fix's settings: Settings, or the one setting of the
// single form.
func (s FixSpec) List() []FixSetting {
	if len(s.Settings) > 0 {
		return s.Settings
	}
	return []FixSetting{s.FixSetting}
}

// Fix is the concrete fix of one failing finding: the edits of the places
// where the deciding values were written, or of the resource when a value
// was a platform default (one edit per setting of the check's fix that
// does not have its value yet; they may be in different files). Message
// says what it does.
type Fix struct {
	Message string       `json:"message"`
	Edits   []model.Edit `json:"edits"`
	// Changes, once Resolved, are the text replacements the edits make,
	// sorted by file and offset, computed while the module was in memory
	// (report.ResolveFixes); none when an edit cannot be made. A report
	// computes those of a fix not resolved from the files on disk. The
	// JSON report gives the edits, not these.
	Changes  []model.Replacement `json:"-"`
	Resolved bool                `json:"-"`
}

// decided is where a value a fix sets was decided, as a finding blaming
// it would say: its resource, range, origin and trail, and the value.
type decided struct {
	Range        model.Range
	Resource     string
	ResourceType string
	Origin       model.Origin
	Trail        []model.Hop
	Computed     bool
	// value is the known scalar value (bool, string or int64), else nil.
	value any
}

// decidedOf is what the finding says about its blamed value.
func decidedOf(f *Finding) decided {
	return decided{Range: f.Range, Resource: f.Resource, ResourceType: f.ResourceType, Origin: f.Origin, Trail: f.Trail, Computed: f.Computed}
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
// a module of format format, or nil with the reason there is none. With
// several settings, each is planned from where its own value was decided
// (f.sources); a setting that already has its value is left out, and one
// that cannot be made means no fix at all: a fix is never half applied.
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
	multi := len(spec.Settings) > 0
	settings := spec.List()
	var (
		edits []model.Edit
		// parts are the settings' messages, joined into the fix's.
		partsRoom [4]string
		parts     = partsRoom[:0]
		typed     bool
	)
	for _, s := range settings {
		if len(s.Types) > 0 && !slices.Contains(s.Types, f.ResourceType) {
			continue
		}
		typed = true
		d, sr := decidedOf(f), r
		if multi {
			from := s.From
			if from == "" && c.logic != nil {
				from = c.logic.blame.text
			}
			src, ok := f.sources[from]
			if !ok {
				return nil, fmt.Sprintf("%s: where its value was decided is not known", s.Path)
			}
			if src.Origin != model.Unknown && sameValue(src.value, s.Value) {
				continue
			}
			d, sr = src, idx[src.Resource]
		}
		if typ := typeOf(d, sr); format == model.Terraform && d.Origin == model.Default && strings.HasPrefix(typ, "azapi_") {
			// The Terraform fix names an azurerm attribute, which an
			// azapi resource does not have: its settings are ARM
			// properties of its body.
			return nil, azapiNoAdd(c, typ)
		}
		e, msg, why := planSetting(s, format, d, sr, idx)
		if why != "" {
			if multi {
				why = s.Path + ": " + why
			}
			return nil, why
		}
		if edits == nil {
			edits = make([]model.Edit, 0, len(settings)) // room for every setting
		}
		edits = append(edits, e)
		parts = append(parts, msg)
	}
	switch {
	case !typed:
		return nil, "no automatic fix for " + f.ResourceType
	case len(edits) == 0:
		return nil, "every setting of the fix already has its value"
	}
	for i := range edits {
		for j := range i {
			a, b := edits[i], edits[j]
			if a.Range.Filename == b.Range.Filename && a.Range.Start == b.Range.Start && (a.Kind != model.EditAdd || b.Kind != model.EditAdd) {
				return nil, fmt.Sprintf("two settings of the fix were decided at the same place (%s); change them by hand", a.Range)
			}
		}
	}
	msg := "Fix: " + strings.Join(parts, "; ")
	if caution := strings.TrimSpace(spec.Caution); caution != "" {
		msg += ". " + caution
	}
	return &Fix{Message: msg, Edits: edits}, ""
}

// isChildOf reports whether address ends in "/"+child, without making
// that string.
func isChildOf(address, child string) bool {
	return len(address) > len(child) && strings.HasSuffix(address, child) && address[len(address)-len(child)-1] == '/'
}

// planSetting returns the edit that sets s where value d was decided (on
// resource r), and what it does ("set https_only = true in …"), or the
// reason it cannot be made.
func planSetting(s FixSetting, format model.Format, d decided, r *model.Resource, idx resourceIndex) (model.Edit, string, string) {
	// A value read from the Child resource (config/web) is set there:
	// written in it, or a default while it exists (its value overrides
	// the resource's own).
	inChild := s.Child != "" && isChildOf(d.Resource, s.Child)
	if !inChild && s.Child != "" && d.Origin == model.Default && r != nil {
		// The child's address, r's and the child's name, looked up
		// from bytes on the stack (most addresses fit), not made.
		var room [256]byte
		key := append(append(append(room[:0], r.Address...), '/'), s.Child...)
		if ch := idx[string(key)]; ch != nil && !ch.Range.IsZero() {
			r, inChild = ch, true
		}
	}
	if inChild {
		s.Path = s.ChildPath
	}
	var none model.Edit
	if fromBicep(d, r) {
		// The template is compiled: the edit belongs in the .bicep
		// source, which is not edited.
		compiled := "the template is compiled from Bicep"
		if r != nil && r.Generated != "" {
			compiled += " (" + r.Generated + ")"
		}
		if d.Origin == model.Default && !inChild && s.NoAdd != "" {
			return none, "", compiled + "; in the .bicep source: " + s.NoAdd
		}
		return none, "", compiled + ": set " + s.Path + " to " + valueText(s.Value) + " in the .bicep source"
	}
	switch d.Origin {
	case model.Default:
		if !inChild && s.NoAdd != "" {
			return none, "", s.NoAdd
		}
		if d.Computed && !inChild {
			// ARM: the object the property belongs in is built by a
			// template expression ("siteConfig": "[variables('sc')]").
			// Or the property is written as an expression that gives
			// no value ("[parameters('nullable')]").
			return none, "", s.Path + " is computed by a template expression (its own, which gives no value, or its object's); set it where that value is written"
		}
		if r == nil || r.Range.IsZero() {
			return none, "", "the resource's source range is not known"
		}
		if len(r.Calls) > 0 {
			// Adding the attribute to a module's body changes every
			// caller of the module.
			return none, "", "the value is a platform default inside " + r.Calls[len(r.Calls)-1].Name + ": set " + s.Path + " = " + valueText(s.Value) + " in the module (every caller gets it) or pass it in through a variable"
		}
		return model.Edit{Kind: model.EditAdd, Range: r.Range, Path: strings.Split(s.Path, "."), Value: s.Value},
			"set " + s.Path + " = " + valueText(s.Value) + " in " + d.Resource, ""
	case model.Explicit:
	default:
		return none, "", "the value is not known before deployment"
	}
	if len(d.Trail) == 0 {
		return none, "", "the place the value was written is not known"
	}
	if d.Computed {
		return none, "", "the value is computed by an expression (an operator, a function, a template or a conditional); change it by hand"
	}
	for _, h := range d.Trail {
		if !passThrough(h.Kind) {
			return none, "", fmt.Sprintf("the value is computed (%s %s); change it by hand", h.Kind, h.Name)
		}
		if h.Kind == model.HopDeploymentParameter {
			// The inner template's parameter is given by an expression of
			// the outer template: set what it passes by hand.
			return none, "", fmt.Sprintf("the value is passed to a nested deployment (parameter %s); change it where the deployment passes it", h.Name)
		}
	}
	origin := d.Trail[0]
	if origin.Range.IsZero() {
		return none, "", "the place the value was written is not known"
	}
	e := model.Edit{Kind: model.EditReplace, Range: origin.Range, Value: s.Value}
	var where string
	switch origin.Kind {
	case model.HopVariable, model.HopParameter:
		e.Kind = model.EditDefault
		where = "the default of " + origin.Name
		if format == model.ARM && origin.Kind == model.HopVariable {
			where = origin.Name + " (" + origin.Range.String() + ")"
		}
	case model.HopAttribute:
		where = s.Path + " of " + d.Resource
	default:
		where = origin.Range.String()
		if origin.Name != "" {
			where = origin.Name + " (" + where + ")"
		}
	}
	return e, "set " + where + " to " + valueText(s.Value), ""
}

// typeOf is the type of the resource value d was decided in.
func typeOf(d decided, r *model.Resource) string {
	if d.ResourceType == "" && r != nil {
		return r.Type
	}
	return d.ResourceType
}

// azapiNoAdd says why a platform default of an azapi resource (azapi_resource,
// azapi_update_resource) gets no fix, and what to set in its body: the
// ARM properties of the check's ARM fix, when it has one.
func azapiNoAdd(c *Check, typ string) string {
	msg := fmt.Sprintf("the value is a platform default of an %s, whose settings are ARM properties of its body, where a fix adds nothing", typ)
	arm, ok := c.Fix[model.ARM]
	if !ok {
		return msg
	}
	var sets []string
	for _, s := range arm.List() {
		sets = append(sets, fmt.Sprintf("%s = %s", s.Path, valueText(s.Value)))
	}
	return msg + "; set " + strings.Join(sets, " and ") + " in the body"
}

// sameValue reports whether a value read from the model is the value a
// fix setting writes (numbers compared as numbers).
func sameValue(have, want any) bool {
	switch h := have.(type) {
	case bool:
		w, ok := want.(bool)
		return ok && h == w
	case string:
		w, ok := want.(string)
		return ok && h == w
	case int64:
		switch w := want.(type) {
		case int:
			return h == int64(w)
		case int64:
			return h == w
		case uint64:
			return float64(h) == float64(w)
		case float64:
			return float64(h) == w
		}
	}
	return false
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

// fromBicep reports whether the resource is in a template compiled from
// Bicep (Generated: also one declared in no local .bicep file, as a
// registry module's resources are), or the finding, its resource or a
// place its value passed through was mapped to a .bicep source (the
// parsers move the locations of a template compiled from Bicep there).
func fromBicep(d decided, r *model.Resource) bool {
	isBicep := func(rg model.Range) bool { return isBicepFile(rg.Filename) }
	if isBicep(d.Range) || r != nil && (r.Generated != "" || isBicep(r.Range)) {
		return true
	}
	return slices.ContainsFunc(d.Trail, func(h model.Hop) bool { return isBicep(h.Range) })
}

// isBicepFile reports whether the file name ends in .bicep, in any case:
// strings.HasSuffix(strings.ToLower(name), ".bicep"), without lowering
// (and copying) every name a finding's trail passes through. The end of
// a name is compared byte by byte; a name whose last six characters are
// not all ASCII, one of which may lower to an ASCII letter (U+0130 to
// i), is lowered: the lowered name's last six bytes, ASCII, come from
// its last six characters.
func isBicepFile(name string) bool {
	const ext = ".bicep"
	if len(name) >= len(ext) {
		tail := name[len(name)-len(ext):]
		same := true
		for i := range len(ext) {
			c := tail[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != ext[i] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	for i := max(0, len(name)-len(ext)*utf8.UTFMax); i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			return strings.HasSuffix(strings.ToLower(name), ext)
		}
	}
	return false
}

// pulumiNoFix says why a Pulumi finding is not fixed (a stack export is
// state, not source) and what to change in the program: the input the
// value was read from when the state has one, then the check's hint.
func pulumiNoFix(c *Check, f *Finding) string {
	msg := "Pulumi stack state is not source and is not edited"
	// The blamed value's input, then those of the other values a fix
	// with several settings sets (by view path).
	trails := [][]model.Hop{f.Trail}
	for _, from := range slices.Sorted(maps.Keys(f.sources)) {
		trails = append(trails, f.sources[from].Trail)
	}
	var inputs []string
	for _, t := range trails {
		for _, h := range t {
			if h.Kind == model.HopInput && strings.HasPrefix(h.Name, "inputs.") {
				if in := strconv.Quote(strings.TrimPrefix(h.Name, "inputs.")); !slices.Contains(inputs, in) {
					inputs = append(inputs, in)
				}
				break
			}
		}
	}
	switch len(inputs) {
	case 0:
	case 1:
		msg += fmt.Sprintf("; in the Pulumi program, change the %s input of %s", inputs[0], f.Resource)
	default:
		msg += fmt.Sprintf("; in the Pulumi program, the values come from the %s and %s inputs of %s", strings.Join(inputs[:len(inputs)-1], ", "), inputs[len(inputs)-1], f.Resource)
	}
	if c.FixHint != "" {
		return msg + ". " + c.FixHint
	}
	if len(c.Fix) > 0 {
		return msg + "; see the check's Pulumi remediation for the property to set"
	}
	return msg
}
