package arm

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/bicepsyntax"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// Bicep source links. A template compiled from Bicep sits beside its
// .bicep file (main.json and main.bicep); the declarations of the .bicep
// file are read by bicepsyntax (a syntax reader, not a compiler):
// `resource <symbol> '<type>@<api>' … =` with its nesting (a child
// declared inside its parent's body) and the `name:` of its body, and
// `module <symbol> '<path>' =` declarations, whose local .bicep files
// hold the resources of the nested deployments they compile to.
//
// languageVersion 2.0 templates keep Bicep's symbolic names (a nested
// child is parent::child), which makes the match exact. For 1.x a
// declaration matches by type, and when several declarations share the
// type, by the name: a parameter or variable reference or a literal.

// bicepDecl is a resource or module declaration of a .bicep file.
type bicepDecl struct {
	sym      string // symbolic name; parent::child for nested children
	typ      string // full resource type without api-version; the path of a module
	nameExpr string // the text of its name: property
	// parentRef is the text of its parent: property (a symbolic name).
	parentRef string
	module    bool
	at        model.Range // the declaration's header: keyword to type string
	syn       *bicepsyntax.Decl
}

// bicepIndex is what a .bicep file declares.
type bicepIndex struct {
	path  string // OS path
	name  string // path with forward slashes, as ranges name it
	file  *bicepsyntax.File
	decls []*bicepDecl
	bySym map[string]*bicepDecl // lower-case symbolic name
}

// bicepFiles caches the .bicep files read for one template, by path.
type bicepFiles map[string]*bicepIndex

// loadBicep returns the index of the .bicep file beside a template (same
// base name), or nil.
func (l *loader) loadBicep(path string) *bicepIndex {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	return l.loadBicepFile(base + ".bicep")
}

// loadBicepFile reads and indexes a .bicep file once; nil when it cannot
// be read. One larger than the Bicep file size limit is a diagnostic: the
// findings stay on the compiled template's lines.
func (l *loader) loadBicepFile(path string) *bicepIndex {
	if ix, ok := l.bicepFiles[path]; ok {
		return ix
	}
	l.bicepFiles[path] = nil
	limit := l.lim.MaxFileSize(limits.Bicep)
	src, err := source.Read(l.read, path, limit)
	if err != nil {
		return nil
	}
	if int64(len(src)) > limit {
		l.diag(model.SevWarning, "Bicep source too large",
			fmt.Sprintf("%s is larger than %s (--max-file-size); it was not read, and findings are placed in the compiled template", filepath.ToSlash(path), limits.Bytes(limit)),
			model.Range{Filename: path, Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: 1, Column: 1}})
		return nil
	}
	if !utf8.Valid(src) {
		return nil
	}
	ix := scanBicep(path, src)
	l.bicepFiles[path] = ix
	return ix
}

// scanBicep indexes the declarations of a .bicep file, read by
// bicepsyntax: resources (nested children as parent::child, with their
// full type) and modules.
func scanBicep(path string, src []byte) *bicepIndex {
	name := filepath.ToSlash(path)
	f := bicepsyntax.Parse(src)
	ix := &bicepIndex{path: path, name: name, file: f, bySym: map[string]*bicepDecl{}}
	for _, d := range f.Resources() {
		ix.add(&bicepDecl{sym: d.SymbolicName(), typ: d.FullType(), nameExpr: propText(src, d, "name"),
			parentRef: propText(src, d, "parent"), at: bicepRange(name, d.Header), syn: d})
	}
	for _, d := range f.Decls {
		if d.Kind == bicepsyntax.Module {
			ix.add(&bicepDecl{sym: d.Name, typ: d.Type, nameExpr: propText(src, d, "name"), module: true, at: bicepRange(name, d.Header), syn: d})
		}
	}
	sort.SliceStable(ix.decls, func(i, j int) bool { return ix.decls[i].at.Start.Byte < ix.decls[j].at.Start.Byte })
	return ix
}

// propText is the source text of the value of a declaration's property.
func propText(src []byte, d *bicepsyntax.Decl, path string) string {
	p, ok := d.Prop(path)
	if !ok || p.Value.End.Byte <= p.Value.Start.Byte || p.Value.End.Byte > len(src) {
		return ""
	}
	return strings.TrimSpace(string(src[p.Value.Start.Byte:p.Value.End.Byte]))
}

// bicepRange converts a range of a .bicep file.
func bicepRange(name string, r bicepsyntax.Range) model.Range {
	return model.Range{Filename: name,
		Start: model.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:   model.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte}}
}

func (ix *bicepIndex) add(d *bicepDecl) {
	ix.decls = append(ix.decls, d)
	if _, dup := ix.bySym[strings.ToLower(d.sym)]; !dup {
		ix.bySym[strings.ToLower(d.sym)] = d
	}
}

// declOf finds the declaration of an instance: by symbolic name (the
// key of a languageVersion 2.0 resource, or the copy loop's name, which
// Bicep sets to the symbolic name), else by type (and name when several
// declarations share the type).
func (ix *bicepIndex) declOf(in *inst, module bool) *bicepDecl {
	if ix == nil {
		return nil
	}
	if in.sym != "" {
		if d := ix.bySym[strings.ToLower(in.sym)]; d != nil && d.module == module {
			return d
		}
		return nil
	}
	if c := in.obj.get("copy").get("name"); c.isString() {
		if d := ix.bySym[strings.ToLower(c.str)]; d != nil && d.module == module && (module || strings.EqualFold(d.typ, in.typ)) {
			return d
		}
	}
	var cands []*bicepDecl
	for _, d := range ix.decls {
		if d.module == module && (module || strings.EqualFold(d.typ, in.typ)) {
			cands = append(cands, d)
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	nameJ := in.obj.get("name")
	if !nameJ.isString() {
		return nil
	}
	var match *bicepDecl
	for _, d := range cands {
		if ix.nameMatches(d, nameJ.str, in.name) {
			if match != nil {
				return nil
			}
			match = d
		}
	}
	return match
}

// nameMatches compares a declaration's Bicep name with the compiled name
// json (as written) and name (evaluated, "" when not known). Bicep
// compiles a literal to itself, a param or var to parameters('x') or
// variables('x'), an interpolation to format(), and the name of a child
// declared in its parent (or with parent:) to format('{0}/{1}', <parent's
// name>, <its own>).
func (ix *bicepIndex) nameMatches(d *bicepDecl, json, name string) bool {
	arg, lit, ok := ix.armName(d, 0)
	if !ok {
		return false
	}
	if lit != "" && (json == lit || name == lit) {
		return true
	}
	return strings.EqualFold(json, "["+arg+"]")
}

// armName renders a declaration's full name as the ARM expression Bicep
// compiles it to and, when every part is a literal, as the literal.
func (ix *bicepIndex) armName(d *bicepDecl, depth int) (arg, lit string, ok bool) {
	if d == nil || d.syn == nil || d.nameExpr == "" || depth > 16 {
		return "", "", false
	}
	toks, errs := bicepsyntax.Lex([]byte(d.nameExpr))
	if len(errs) > 0 || len(toks) != 2 { // the expression and EOF
		return "", "", false
	}
	t := toks[0]
	if t.Kind == bicepsyntax.String && !t.Interp {
		arg, lit = armString(t.Value), t.Value
	} else if arg, ok = ix.armArg(t); !ok {
		return "", "", false
	}
	var parent *bicepDecl
	if p := d.syn.Parent; p != nil {
		parent = ix.bySym[strings.ToLower(p.SymbolicName())]
	} else if d.parentRef != "" {
		parent = ix.bySym[strings.ToLower(d.parentRef)]
	}
	if d.syn.Parent == nil && parent == nil {
		if _, has := d.syn.Prop("parent"); has {
			return "", "", false // a parent: this reader cannot follow
		}
		return arg, lit, true
	}
	pArg, pLit, ok := ix.armName(parent, depth+1)
	if !ok {
		return "", "", false
	}
	if lit != "" && pLit != "" {
		lit = pLit + "/" + lit
	} else {
		lit = ""
	}
	return "format('{0}/{1}', " + pArg + ", " + arg + ")", lit, true
}

// armArg renders a Bicep name token as the ARM expression Bicep compiles
// it to: an identifier naming a param or var, or an interpolated string
// of such identifiers; false for anything else.
func (ix *bicepIndex) armArg(t bicepsyntax.Token) (string, bool) {
	ref := func(id string) (string, bool) {
		switch {
		case ix.file.Find(bicepsyntax.Param, id) != nil:
			return "parameters('" + id + "')", true
		case ix.file.Find(bicepsyntax.Var, id) != nil:
			return "variables('" + id + "')", true
		}
		return "", false
	}
	switch {
	case t.Kind == bicepsyntax.Ident:
		return ref(t.Text)
	case t.Kind == bicepsyntax.String && t.Interp:
		var f strings.Builder
		args := make([]string, 0, len(t.Exprs))
		for i, e := range t.Exprs {
			f.WriteString(strings.NewReplacer("{", "{{", "}", "}}").Replace(t.Parts[i]))
			f.WriteString("{" + strconv.Itoa(i) + "}")
			a, ok := ref(e)
			if !ok {
				return "", false
			}
			args = append(args, a)
		}
		f.WriteString(strings.NewReplacer("{", "{{", "}", "}}").Replace(t.Parts[len(t.Exprs)]))
		return "format(" + armString(f.String()) + ", " + strings.Join(args, ", ") + ")", true
	}
	return "", false
}

// armString quotes s as an ARM expression string literal.
func armString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// bicepRelated returns the Bicep locations of an instance: the module
// declarations of the nested deployments it is in (outermost first), then
// its own declaration.
func (l *loader) bicepRelated(in *inst) []model.RelatedRange {
	var out []model.RelatedRange
	for t := in.t; t != nil && t.deployedBy != nil; t = t.parent {
		dep := t.deployedBy
		if d := dep.t.bicep.declOf(dep, true); d != nil {
			out = append([]model.RelatedRange{{Range: d.at, Message: "Bicep module " + d.sym + " is declared here"}}, out...)
		}
	}
	if d := in.t.bicep.declOf(in, false); d != nil {
		out = append(out,
			model.RelatedRange{Range: d.at, Message: "declared in Bicep here (resource " + d.sym + ")"},
			model.RelatedRange{Range: l.f.rng(in.obj), Message: "compiled template resource here"})
	}
	return out
}

// bicepOfModule returns the index of the local .bicep file a module
// declaration deploys, or nil (registry modules, template specs).
func (l *loader) bicepOfModule(parent *bicepIndex, d *bicepDecl) *bicepIndex {
	if parent == nil || d == nil || !d.module {
		return nil
	}
	p := d.typ
	if strings.Contains(p, ":") || !strings.HasSuffix(strings.ToLower(p), ".bicep") {
		return nil
	}
	return l.loadBicepFile(filepath.Join(filepath.Dir(parent.path), filepath.FromSlash(p)))
}
