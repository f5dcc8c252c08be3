package arm

import "strings"

// deploymentFor finds the nested deployment a reference() names: a
// symbolic name of t or a template above it (languageVersion 2.0), else a
// deployment's resource id or name.
func (t *tmpl) deploymentFor(ref string) *inst {
	for s := t; s != nil; s = s.parent {
		if d := s.syms[strings.ToLower(ref)]; d != nil && d.isType(typeDeployments) {
			return d
		}
	}
	key := strings.ToLower(pathOfID(ref))
	if !strings.Contains(key, "/") {
		key = strings.ToLower(typeDeployments + "/" + key)
	}
	for _, d := range t.l.insts {
		if d.key == key && d.isType(typeDeployments) {
			return d
		}
	}
	return nil
}
