package arm

import (
	"strings"

	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
)

// Nested deployments' outputs. Bicep modules pass values to each other as
// reference('<module>').outputs.<name>.value (languageVersion 2.0) or
// reference(resourceId('Microsoft.Resources/deployments', '<name>'),
// '<api>').outputs.<name>.value. When the deployment's template is inline,
// the output is evaluated in it, as ARM does after deploying it: a
// resourceId(), a parameter or a literal is then known. ARM deploys in
// dependency order, not document order, so a deployment referenced before
// its declaration is expanded on demand (and skipped when its turn comes).

// DeploymentOutput implements armexpr.OutputContext.
func (t *tmpl) DeploymentOutput(ref, name string) (value, bool) {
	dep := t.deploymentFor(ref)
	if dep == nil || dep.nested == nil {
		return nil, false
	}
	return dep.nested.output(name)
}

// output evaluates an output of the template, once; ok is false when the
// template has no such output (or it refers to itself).
func (t *tmpl) output(name string) (value, bool) {
	of := t.outputs.field(name)
	if of == nil || of.val.field("value") == nil {
		return nil, false
	}
	key := strings.ToLower(of.key)
	if t.outVals == nil {
		t.outVals = map[string]*outVal{}
	}
	o := t.outVals[key]
	switch {
	case o == nil:
		o = &outVal{state: evaluating}
		t.outVals[key] = o
		o.val = anchor(t, t.evalJSON(of.val.get("value")), 0)
		o.state = evaluated
	case o.state == evaluating:
		return nil, false
	}
	return o.val, true
}

// outVal is an evaluated output.
type outVal struct {
	val   value
	state evalState
}

// deploymentFor finds the nested deployment a reference() names: a
// symbolic name of t or a template above it (languageVersion 2.0), else a
// deployment's resource id or name. A deployment declared but not
// expanded yet is expanded now.
func (t *tmpl) deploymentFor(ref string) *inst {
	if d := t.findDeployment(ref); d != nil {
		return d
	}
	for s := t; s != nil; s = s.parent {
		if s.expandDeclared(ref) {
			return t.findDeployment(ref)
		}
	}
	return nil
}

// deploymentKey is the key a deployment's id or name gives.
func deploymentKey(ref string) string {
	key := strings.ToLower(pathOfID(ref))
	if !strings.Contains(key, "/") {
		key = strings.ToLower(typeDeployments) + "/" + key
	}
	return key
}

// findDeployment looks ref up among the instances expanded so far.
func (t *tmpl) findDeployment(ref string) *inst {
	for s := t; s != nil; s = s.parent {
		if d := s.syms[strings.ToLower(ref)]; d != nil && d.isType(typeDeployments) {
			return d
		}
	}
	key := deploymentKey(ref)
	for _, d := range t.l.insts {
		if d.key == key && d.isType(typeDeployments) {
			return d
		}
	}
	return nil
}

// expandDeclared expands the top-level deployment of t that ref names
// (its symbolic name, or its evaluated name), when it is declared outside
// copy loops and not expanded yet; it reports whether it expanded one.
func (t *tmpl) expandDeclared(ref string) bool {
	list := t.root.get("resources")
	try := func(obj *jval, sym string) bool {
		if t.started[obj] || !obj.isObject() || obj.get("copy") != nil {
			return false
		}
		if tv := obj.get("type"); !tv.isString() || !strings.EqualFold(strings.TrimSpace(tv.str), typeDeployments) {
			return false
		}
		match := sym != "" && strings.EqualFold(sym, ref)
		if !match {
			name, ok := t.evalJSON(obj.get("name")).(string)
			match = ok && deploymentKey(ref) == deploymentKey(name)
		}
		if !match {
			return false
		}
		// Expanded as at the top of the template, whatever is being
		// evaluated now.
		frames, quiet := t.frames, t.l.quiet
		t.frames, t.l.quiet = nil, 0
		t.expandResource(obj, sym, nil)
		t.frames, t.l.quiet = frames, quiet
		return true
	}
	switch {
	case list.isList():
		for _, r := range list.items {
			if try(r, "") {
				return true
			}
		}
	case list.isObject():
		for i := range list.fields {
			if try(list.fields[i].val, list.fields[i].key) {
				return true
			}
		}
	}
	return false
}

var _ armexpr.OutputContext = (*tmpl)(nil)
