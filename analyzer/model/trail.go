package model

import "encoding/json"

// HopKind names what a place in a value's trail is.
type HopKind string

// Hop kinds, from where a value can be written to where it is used.
const (
	// HopVarFile is an assignment in a variable definitions file
	// (terraform.tfvars, *.auto.tfvars, --var-file) or a --var flag.
	HopVarFile HopKind = "var-file"
	// HopVariable is a variable declaration (its default, or the variable
	// a value passed through): Terraform variable, ARM variable.
	HopVariable HopKind = "variable"
	// HopModuleArgument is an argument of a Terraform module call.
	HopModuleArgument HopKind = "module-argument"
	// HopLocal is a Terraform local value.
	HopLocal HopKind = "local"
	// HopOutput is a module or nested-deployment output, or a Pulumi
	// resource output.
	HopOutput HopKind = "output"
	// HopOverride is an override file's assignment that replaced the
	// original one.
	HopOverride HopKind = "override"
	// HopParameterFile is a value in an ARM parameter file.
	HopParameterFile HopKind = "parameter-file"
	// HopParameter is an ARM template parameter (its defaultValue, or the
	// parameter a value passed through).
	HopParameter HopKind = "parameter"
	// HopDeploymentParameter is a parameter a nested deployment is given.
	HopDeploymentParameter HopKind = "deployment-parameter"
	// HopInput is a Pulumi resource input.
	HopInput HopKind = "input"
	// HopModuleCall is a Terraform module call that led to a resource.
	HopModuleCall HopKind = "module-call"
	// HopAttribute is the attribute or property the value decided.
	HopAttribute HopKind = "attribute"
	// HopDefault is the block of a resource whose platform default decided.
	HopDefault HopKind = "default"
)

// Hop is one place a value passed through on its way to the attribute a
// check reads: what the place is, what it is called there, where it is.
type Hop struct {
	Kind HopKind `json:"kind"`
	// Name is the value's name at that place: var.https_only,
	// module.app, parameters('httpsOnly'), local.tls.
	Name  string `json:"name,omitempty"`
	Range Range  `json:"range"`
}

// Trail is the immutable chain of places a value passed through, from
// where it was written (its origin) towards the attribute that uses it.
// Extending a trail never changes it, so every value derived from one
// variable shares that variable's trail. The nil *Trail is the empty trail.
type Trail struct {
	hop  Hop
	prev *Trail
	n    int
}

// TrailOf returns a trail of the given hops, origin first.
func TrailOf(hops ...Hop) *Trail {
	var t *Trail
	for _, h := range hops {
		t = t.Then(h)
	}
	return t
}

// Then returns t followed by h. A hop at the same place as the last one
// (the same kind, name and range) is not repeated.
func (t *Trail) Then(h Hop) *Trail {
	if t != nil && t.hop == h {
		return t
	}
	return &Trail{hop: h, prev: t, n: t.Len() + 1}
}

// Join returns t followed by the hops of u (u's origin first).
func (t *Trail) Join(u *Trail) *Trail {
	for _, h := range u.Hops() {
		t = t.Then(h)
	}
	return t
}

// Len returns the number of hops.
func (t *Trail) Len() int {
	if t == nil {
		return 0
	}
	return t.n
}

// Last returns the hop nearest the attribute.
func (t *Trail) Last() (Hop, bool) {
	if t == nil {
		return Hop{}, false
	}
	return t.hop, true
}

// Origin returns the first hop: where the value was written.
func (t *Trail) Origin() (Hop, bool) {
	if t == nil {
		return Hop{}, false
	}
	for t.prev != nil {
		t = t.prev
	}
	return t.hop, true
}

// Hops returns the hops, origin first.
func (t *Trail) Hops() []Hop {
	if t == nil {
		return nil
	}
	out := make([]Hop, t.n)
	for i, c := t.n-1, t; c != nil; i, c = i-1, c.prev {
		out[i] = c.hop
	}
	return out
}

// MarshalJSON writes the hops, origin first.
func (t *Trail) MarshalJSON() ([]byte, error) { return json.Marshal(t.Hops()) }
