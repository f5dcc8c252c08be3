package arm

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/bicepsyntax"
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

// maxBicepSize bounds the .bicep files read for source links.
const maxBicepSize = 8 << 20

// bicepDecl is a resource or module declaration of a .bicep file.
type bicepDecl struct {
	sym      string // symbolic name; parent::child for nested children
	typ      string // full resource type without api-version; the path of a module
	nameExpr string // the text of its name: property
	module   bool
	at       model.Range // the declaration's header: keyword to type string
	syn      *bicepsyntax.Decl
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
func loadBicep(path string, files bicepFiles) *bicepIndex {
	base := strings.TrimSuffix(path, filepath.Ext(path))
	return files.load(base + ".bicep")
}

// load reads and indexes a .bicep file once; nil when it cannot be read.
func (fs bicepFiles) load(path string) *bicepIndex {
	if ix, ok := fs[path]; ok {
		return ix
	}
	fs[path] = nil
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxBicepSize {
		return nil
	}
	src, err := os.ReadFile(path)
	if err != nil || !utf8.Valid(src) {
		return nil
	}
	ix := scanBicep(path, src)
	fs[path] = ix
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
		ix.add(&bicepDecl{sym: d.SymbolicName(), typ: d.FullType(), nameExpr: propText(src, d, "name"), at: bicepRange(name, d.Header), syn: d})
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

// declOf finds the declaration of an instance: by symbolic name, else by
// type (and name when several declarations share the type).
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
		if bicepNameMatches(d.nameExpr, nameJ.str) {
			if match != nil {
				return nil
			}
			match = d
		}
	}
	return match
}

// bicepNameMatches compares a Bicep name expression with the compiled
// JSON name: 'literal' with literal, an identifier with
// [parameters('id')] or [variables('id')].
func bicepNameMatches(bicep, json string) bool {
	bicep = strings.TrimSpace(bicep)
	if bicep == "" {
		return false
	}
	if strings.HasPrefix(bicep, "'") && strings.HasSuffix(bicep, "'") && len(bicep) >= 2 && !strings.Contains(bicep, "${") {
		return bicep[1:len(bicep)-1] == json
	}
	for _, fn := range []string{"parameters", "variables"} {
		if strings.EqualFold(json, "["+fn+"('"+bicep+"')]") {
			return true
		}
	}
	return false
}

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
	return l.bicepFiles.load(filepath.Join(filepath.Dir(parent.path), filepath.FromSlash(p)))
}
