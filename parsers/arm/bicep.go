package arm

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Bicep source links. A template compiled from Bicep sits beside its
// .bicep file (main.json and main.bicep); the resource declarations of the
// .bicep file are found by a light scan (no Bicep parser): the line
// `resource <symbol> '<type>@<api>' … =`, its nesting (a child declared
// inside its parent's body), the `name:` of its body, and `module <symbol>
// '<path>' =` declarations, whose local .bicep files hold the resources
// of the nested deployments they compile to.
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
	nameExpr string // the text after name: in its body
	module   bool
	at       model.Range
}

// bicepIndex is what a .bicep file declares.
type bicepIndex struct {
	path  string // OS path
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

// Declaration headers: resource sym 'type@api' [existing] = …, and
// module sym 'path' = ….
var (
	bicepResourceRe = regexp.MustCompile(`^resource\s+([A-Za-z_][A-Za-z0-9_]*)\s+'([^'@]*)(?:@[^']*)?'\s*(existing\s*)?=`)
	bicepModuleRe   = regexp.MustCompile(`^module\s+([A-Za-z_][A-Za-z0-9_]*)\s+'([^']*)'\s*=`)
	bicepNameRe     = regexp.MustCompile(`^name\s*:\s*(.+?)\s*$`)
)

// scanBicep finds the declarations of a .bicep file. It follows strings
// (with interpolation), comments and braces, so that nesting is right
// without parsing expressions.
func scanBicep(path string, src []byte) *bicepIndex {
	ix := &bicepIndex{path: path, bySym: map[string]*bicepDecl{}}
	name := filepath.ToSlash(path)
	type open struct {
		d     *bicepDecl
		depth int // brace depth of its body; 0 until its { is met
	}
	var stack []open
	depth := 0
	// modes: code, in a string, in an interpolation (code inside ${…}).
	var interp []int // brace depth at which each open interpolation started
	inStr := false
	line, lineStart := 1, 0
	atLineStart := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			line++
			lineStart = i + 1
			atLineStart = true
			continue
		}
		if inStr {
			switch {
			case c == '\\':
				i++
			case c == '\'':
				inStr = false
			case c == '$' && i+1 < len(src) && src[i+1] == '{':
				inStr = false
				interp = append(interp, depth)
				depth++
				i++
			}
			continue
		}
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i += 2
			for i+1 < len(src) && (src[i] != '*' || src[i+1] != '/') {
				if src[i] == '\n' {
					line++
					lineStart = i + 1
				}
				i++
			}
			i++
			continue
		case c == '\'' && i+2 < len(src) && src[i+1] == '\'' && src[i+2] == '\'':
			// Multi-line string: no escapes, no interpolation.
			j := i + 3
			for j+2 < len(src) && (src[j] != '\'' || src[j+1] != '\'' || src[j+2] != '\'') {
				if src[j] == '\n' {
					line++
					lineStart = j + 1
				}
				j++
			}
			i = j + 2
			atLineStart = false
			continue
		case c == '\'':
			inStr = true
			atLineStart = false
			continue
		case c == '{':
			depth++
			if n := len(stack); n > 0 && stack[n-1].depth == 0 {
				stack[n-1].depth = depth
			}
		case c == '}':
			if n := len(interp); n > 0 && interp[n-1] == depth-1 {
				interp = interp[:n-1]
				depth--
				inStr = true
				continue
			}
			depth--
			for len(stack) > 0 && stack[len(stack)-1].depth > depth {
				stack = stack[:len(stack)-1]
			}
		}
		if atLineStart && len(interp) == 0 {
			atLineStart = false
			rest := lineText(src, i)
			col := utf8.RuneCount(src[lineStart:i]) + 1
			at := model.Range{Filename: name,
				Start: model.Pos{Line: line, Column: col, Byte: i},
				End:   model.Pos{Line: line, Column: col + utf8.RuneCountInString(rest), Byte: i + len(rest)}}
			if m := bicepResourceRe.FindStringSubmatch(rest); m != nil {
				d := &bicepDecl{sym: m[1], typ: m[2], at: at}
				if n := len(stack); n > 0 && !stack[n-1].d.module {
					p := stack[n-1].d
					d.sym = p.sym + "::" + d.sym
					if !strings.Contains(strings.SplitN(d.typ, "/", 2)[0], ".") {
						d.typ = p.typ + "/" + d.typ
					}
				}
				ix.add(d)
				stack = append(stack, open{d: d})
				i += len(m[0]) - 1
				continue
			}
			if m := bicepModuleRe.FindStringSubmatch(rest); m != nil {
				d := &bicepDecl{sym: m[1], typ: m[2], module: true, at: at}
				if len(stack) == 0 {
					ix.add(d)
				}
				stack = append(stack, open{d: d})
				i += len(m[0]) - 1
				continue
			}
			if n := len(stack); n > 0 && stack[n-1].depth == depth && stack[n-1].d.nameExpr == "" {
				if m := bicepNameRe.FindStringSubmatch(rest); m != nil {
					stack[n-1].d.nameExpr = stripComment(m[1])
				}
			}
		}
		atLineStart = false
	}
	return ix
}

// lineText returns the rest of the line starting at src[i], without the
// line break.
func lineText(src []byte, i int) string {
	j := i
	for j < len(src) && src[j] != '\n' {
		j++
	}
	return strings.TrimRight(string(src[i:j]), "\r")
}

// stripComment removes a trailing // comment outside strings.
func stripComment(s string) string {
	in := false
	for i := 0; i+1 < len(s); i++ {
		switch {
		case s[i] == '\'':
			in = !in
		case !in && s[i] == '/' && s[i+1] == '/':
			return strings.TrimSpace(s[:i])
		}
	}
	return strings.TrimSpace(s)
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
		out = append(out, model.RelatedRange{Range: d.at, Message: "declared in Bicep here (resource " + d.sym + ")"})
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
