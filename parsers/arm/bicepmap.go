package arm

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/bicepsyntax"
)

// Bicep source as the primary location. When the .bicep file a template
// was compiled from is beside it, the model's locations move from the
// compiled JSON to the Bicep the user edits, after the model is built:
//
//   - a value whose compiled property (properties.siteConfig.minTlsVersion
//     of a resource) is written in the resource's Bicep declaration goes to
//     that Bicep property; when only an enclosing property is written there
//     (siteConfig: config), to it; otherwise to the declaration;
//   - a default (blamed on the resource's "type" line) goes to the
//     resource declaration;
//   - a value passed to a nested deployment compiled from a `module`
//     (properties.parameters.<p>.value) goes to params.<p> of the module
//     declaration; the resources of the module's template map into the
//     module's .bicep file;
//   - trail hops at a compiled parameter, variable or output go to the
//     param, var or output declaration of the same name (to the member of
//     an object variable written in Bicep).
//
// The resource itself (Resource.Range, where findings without a value of
// their own point) goes to its declaration; its related locations keep
// the compiled object ("compiled template resource here"). What cannot be
// matched (a resource without a Bicep declaration, the template of a
// registry module) keeps its compiled location.

// bicepSpan is a part of the template file owned by one Bicep
// declaration context: a resource instance's object, or a template's
// root object (its parameters, variables and outputs).
type bicepSpan struct {
	start, end int
	in         *inst // nil for a template root
	t          *tmpl
	decl       *bicepDecl // the instance's declaration (nil when none)
}

// bicepMapper moves ranges of one template file into .bicep files.
type bicepMapper struct {
	l      *loader
	name   string
	spans  []bicepSpan
	trails map[*model.Trail]*model.Trail
	seen   map[uintptr]bool
}

// mapToBicep moves the ranges of mod's values from the compiled template
// to the .bicep sources, when there are any.
func (l *loader) mapToBicep(mod *model.Module) {
	m := &bicepMapper{l: l, name: l.f.name, trails: map[*model.Trail]*model.Trail{}, seen: map[uintptr]bool{}}
	tmpls := map[*tmpl]bool{}
	for _, in := range l.insts {
		if in.t.bicep == nil {
			continue
		}
		if !tmpls[in.t] {
			tmpls[in.t] = true
			m.spans = append(m.spans, bicepSpan{start: in.t.root.start, end: in.t.root.end, t: in.t})
		}
		d := in.t.bicep.declOf(in, isDeployment(in))
		m.spans = append(m.spans, bicepSpan{start: in.obj.start, end: in.obj.end, in: in, t: in.t, decl: d})
	}
	if len(m.spans) == 0 {
		return
	}
	l.bicepSyntaxErrors()
	m.walk(reflect.ValueOf(mod), 0)
}

// bicepSyntaxErrors reports, once per .bicep file read, that it was read
// only in part: what could not be read keeps its compiled location.
func (l *loader) bicepSyntaxErrors() {
	paths := make([]string, 0, len(l.bicepFiles))
	for p, ix := range l.bicepFiles {
		if ix != nil && len(ix.file.Errors) > 0 {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		ix := l.bicepFiles[p]
		e := ix.file.Errors[0]
		more := ""
		if n := len(ix.file.Errors) - 1; n > 0 {
			more = fmt.Sprintf(" (and %d more)", n)
		}
		l.diag(model.SevWarning, "Bicep source read in part",
			fmt.Sprintf("%s%s; values declared where it could not be read keep their location in the compiled template %s", e.Message, more, l.f.name),
			bicepRange(ix.name, e.Range))
	}
}

// isDeployment reports a nested deployment: a `module` in Bicep.
func isDeployment(in *inst) bool {
	return strings.EqualFold(in.typ, "Microsoft.Resources/deployments")
}

// walk visits every Meta and Resource header reachable from v once and
// maps its range (and a Meta's trail).
func (m *bicepMapper) walk(v reflect.Value, depth int) {
	if depth > maxJSONDepth {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || m.seen[v.Pointer()] {
			return
		}
		m.seen[v.Pointer()] = true
		m.walk(v.Elem(), depth+1)
	case reflect.Slice:
		for i := range v.Len() {
			m.walk(v.Index(i), depth+1)
		}
	case reflect.Struct:
		switch v.Type() {
		case reflect.TypeFor[model.Meta]():
			if v.CanAddr() {
				m.meta(v.Addr().Interface().(*model.Meta))
			}
			return
		case reflect.TypeFor[model.Resource]():
			// The resource is where it is declared; its related
			// locations (the compiled object among them) stay.
			if v.CanAddr() {
				res := v.Addr().Interface().(*model.Resource)
				if r, ok := m.mapRange(res.Range); ok {
					res.Range = r
				}
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				m.walk(v.Field(i), depth+1)
			}
		}
	}
}

func (m *bicepMapper) meta(mt *model.Meta) {
	if r, ok := m.mapRange(mt.Range); ok {
		mt.Range = r
	}
	mt.Trail = m.trail(mt.Trail)
}

// trail maps the hops of t; trails are shared, so each is mapped once.
func (m *bicepMapper) trail(t *model.Trail) *model.Trail {
	if t == nil {
		return nil
	}
	if u, ok := m.trails[t]; ok {
		return u
	}
	hops := t.Hops()
	changed := false
	for i := range hops {
		if r, ok := m.mapRange(hops[i].Range); ok {
			hops[i].Range = r
			changed = true
		}
	}
	u := t
	if changed {
		u = model.TrailOf(hops...)
	}
	m.trails[t] = u
	return u
}

// mapRange returns the Bicep range for a range of the compiled template,
// false when it stays.
func (m *bicepMapper) mapRange(r model.Range) (model.Range, bool) {
	if r.Filename != m.name || r.Start.Line == 0 {
		return r, false
	}
	off := r.Start.Byte
	var best *bicepSpan
	for i := range m.spans {
		s := &m.spans[i]
		if s.start <= off && off < s.end && (best == nil || s.end-s.start < best.end-best.start) {
			best = s
		}
	}
	if best == nil {
		return r, false
	}
	if best.in == nil {
		return m.templatePart(best.t, off)
	}
	if best.decl == nil || best.decl.syn == nil {
		return r, false
	}
	path := jsonPath(best.in.obj, off)
	if best.decl.module {
		if len(path) >= 2 && strings.EqualFold(path[0], "properties") && strings.EqualFold(path[1], "template") {
			// The template of a module whose .bicep is not at hand (a
			// registry module): it stays where it is written.
			return r, false
		}
		path = moduleParamPath(path)
	}
	return m.propRange(best.t.bicep, best.decl.syn, path, best.decl.at), true
}

// propRange is where a declaration writes path: the property, else the
// nearest enclosing property it writes, else the declaration header.
func (m *bicepMapper) propRange(ix *bicepIndex, d *bicepsyntax.Decl, path []string, header model.Range) model.Range {
	for n := len(path); n > 0; n-- {
		if p, ok := d.Prop(joinPath(path[:n])); ok {
			return bicepRange(ix.name, bicepsyntax.Range{Start: p.Key.Start, End: p.Value.End})
		}
	}
	return header
}

// templatePart maps a place in a template's parameters, variables or
// outputs to the param, var or output declaration of that name.
func (m *bicepMapper) templatePart(t *tmpl, off int) (model.Range, bool) {
	path := jsonPath(t.root, off)
	if len(path) < 2 {
		return model.Range{}, false
	}
	var kind bicepsyntax.DeclKind
	switch strings.ToLower(path[0]) {
	case "parameters":
		kind = bicepsyntax.Param
	case "variables":
		kind = bicepsyntax.Var
	case "outputs":
		kind = bicepsyntax.Output
	default:
		return model.Range{}, false
	}
	ix := t.bicep
	d := ix.file.Find(kind, path[1])
	if d == nil {
		return model.Range{}, false
	}
	header := bicepRange(ix.name, d.Header)
	rest := path[2:]
	switch kind {
	case bicepsyntax.Param:
		// parameters.p.defaultValue[.member]: the default in Bicep.
		if len(rest) > 0 && strings.EqualFold(rest[0], "defaultValue") && d.Value.End.Line > 0 {
			if len(rest) > 1 {
				return m.propRange(ix, d, rest[1:], bicepRange(ix.name, d.Value)), true
			}
			return bicepRange(ix.name, d.Value), true
		}
		return header, true
	case bicepsyntax.Output:
		if len(rest) > 0 && strings.EqualFold(rest[0], "value") && d.Value.End.Line > 0 {
			return bicepRange(ix.name, d.Value), true
		}
		return header, true
	}
	if len(rest) > 0 {
		return m.propRange(ix, d, rest, bicepRange(ix.name, d.Value)), true
	}
	return bicepRange(ix.name, bicepsyntax.Range{Start: d.Header.Start, End: d.Value.End}), true
}

// moduleParamPath turns the path of a nested deployment's parameter value
// (properties.parameters.p.value.x) into the module declaration's
// (params.p.x).
func moduleParamPath(path []string) []string {
	if len(path) >= 3 && strings.EqualFold(path[0], "properties") && strings.EqualFold(path[1], "parameters") {
		out := []string{"params", path[2]}
		if len(path) > 3 && strings.EqualFold(path[3], "value") {
			return append(out, path[4:]...)
		}
		return out
	}
	return path
}

// jsonPath is the path from v to the innermost value (or key) at byte
// off: object keys, and array indexes as "[i]". A property loop compiled
// to a copy array (properties.copy[i].name = p) is named by its property p
// and not followed further.
func jsonPath(v *jval, off int) []string {
	var path []string
	for depth := 0; v != nil && depth < maxJSONDepth; depth++ {
		var next *jval
		switch v.kind {
		case model.KindObject:
			for i := range v.fields {
				fd := &v.fields[i]
				if fd.keyStart > off || off >= fd.val.end {
					continue
				}
				if strings.EqualFold(fd.key, "copy") && depth > 0 && fd.val.isList() {
					for _, it := range fd.val.items {
						if it.start <= off && off < it.end && it.get("name").isString() {
							return append(path, it.get("name").str)
						}
					}
				}
				path = append(path, fd.key)
				if off >= fd.val.start {
					next = fd.val
				}
				break
			}
		case model.KindList:
			for i, it := range v.items {
				if it.start <= off && off < it.end {
					path = append(path, "["+strconv.Itoa(i)+"]")
					next = it
					break
				}
			}
		}
		v = next
	}
	return path
}

// joinPath writes path the way bicepsyntax names properties:
// properties.siteConfig.appSettings[0].name.
func joinPath(path []string) string {
	var b strings.Builder
	for i, s := range path {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}
