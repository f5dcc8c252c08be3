package arm

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// given is a parameter value from a parameter file or from the parameters
// a parent deployment passes to a nested template.
type given struct {
	val   value
	taint taint
	// keyVault is set for a parameter file's Key Vault reference
	// ({"reference": {"keyVault": …, "secretName": …}}): the value is
	// resolved at deployment from the vault.
	keyVault bool
	// name and keyAt are the parameter's name and place in a parameter
	// file.
	name  string
	keyAt model.Range
	// trail is where the value came from: the parameter file's value, or
	// the nested deployment's parameter and what it was built from. at
	// and file are the value's JSON in a parameter file.
	trail *model.Trail
	at    *jval
	file  *file
}

// paramFile is a parameter file that applies to a template; strict when
// it was chosen for this template (by name or TEMPLATE=FILE), so that
// parameters the template does not declare are worth a warning.
type paramFile struct {
	path   string
	strict bool
}

// parameterFiles returns the parameter files that apply to the template
// at path, in the order they apply: the one matched by name, then those
// of opts for every template, then those given for this template.
func parameterFiles(path string, opts Options, diag func(model.Diagnostic)) []paramFile {
	var out []paramFile
	if p := matchParameterFile(path, &opts, diag); p != "" {
		if source.OutsideLink(p, opts.Within) {
			diag(model.Diagnostic{
				Severity: model.SevWarning,
				Summary:  "File outside the scanned directories",
				Detail:   filepath.ToSlash(p) + " is a symbolic link to a file outside the scanned directories and their repository; its parameters were not applied (--allow-outside reads it).",
				Range:    fileStart(filepath.ToSlash(p)),
			})
		} else {
			out = append(out, paramFile{path: p, strict: true})
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	for _, pass := range []bool{false, true} {
		for _, pf := range opts.Parameters {
			if (pf.Template != "") != pass {
				continue
			}
			if pass {
				t, err := filepath.Abs(pf.Template)
				if err != nil {
					t = filepath.Clean(pf.Template)
				}
				if t != abs {
					continue
				}
			}
			out = append(out, paramFile{path: pf.Path, strict: pass})
		}
	}
	return out
}

// matchParameterFile finds the parameter file beside a template by name:
// <base>.parameters.json (or .jsonc) for <base>.json, else the only
// <base>.parameters.<env>.json, and parameters.json for template.json
// (the Azure portal's export). Several <env> variants and no plain one
// match nothing, with an info diagnostic.
func matchParameterFile(path string, opts *Options, diag func(model.Diagnostic)) string {
	dir, file := filepath.Split(path)
	ext := filepath.Ext(file)
	base := strings.TrimSuffix(file, ext)
	if base == "" {
		return ""
	}
	var exact []string
	for _, e := range []string{".json", ".jsonc"} {
		exact = append(exact, base+".parameters"+e)
	}
	if strings.EqualFold(base, "template") {
		exact = append(exact, "parameters.json")
	}
	for _, name := range exact {
		p := filepath.Join(dir, name)
		if !opts.mayExist(p) {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	entries, ok := opts.listed(dir)
	if !ok {
		var err error
		if entries, err = os.ReadDir(filepathDir(dir)); err != nil {
			return ""
		}
	}
	prefix := strings.ToLower(base + ".parameters.")
	var variants []string
	for _, e := range entries {
		n := e.Name()
		ln := strings.ToLower(n)
		if !e.Type().IsRegular() || !strings.HasPrefix(ln, prefix) {
			continue
		}
		if strings.HasSuffix(ln, ".json") || strings.HasSuffix(ln, ".jsonc") {
			variants = append(variants, n)
		}
	}
	sort.Strings(variants)
	switch len(variants) {
	case 0:
		return ""
	case 1:
		return filepath.Join(dir, variants[0])
	}
	diag(model.Diagnostic{
		Severity: model.SevInfo,
		Summary:  "Several parameter files match the template",
		Detail: fmt.Sprintf("%s has parameter files %s; none is applied. Choose one with --arm-parameters %s=FILE.",
			filepath.ToSlash(path), strings.Join(variants, ", "), filepath.ToSlash(path)),
		Range: model.Range{Filename: filepath.ToSlash(path), Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: 1, Column: 1}},
	})
	return ""
}

func filepathDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// readParameterFile reads the parameters section of a parameter file:
// name → {value} or {reference: {keyVault, secretName}}. A file that is
// not JSON is an error diagnostic; one without a parameters object gives
// nothing.
func (l *loader) readParameterFile(path string) map[string]*given {
	name := filepath.ToSlash(path)
	src, err := readCapped(l.read, path, l.lim.MaxFileSize(limits.ARM))
	if err != nil {
		l.diag(model.SevError, "Cannot read parameter file", err.Error(), model.Range{Filename: name})
		return nil
	}
	if d := srcpos.InvalidUTF8(name, src); d != nil {
		l.diags = append(l.diags, *d)
	}
	f, d := parseJSON(name, src)
	if d != nil {
		d.Detail = strings.Replace(d.Detail, "it was not analysed", "its parameters were not applied", 1)
		l.diags = append(l.diags, *d)
		return nil
	}
	ps := f.root.get("parameters")
	if !ps.isObject() {
		return nil
	}
	out := map[string]*given{}
	for i := range ps.fields {
		fd := &ps.fields[i]
		g := &given{}
		switch {
		case fd.val.get("reference").isObject():
			g.keyVault = true
			g.val = unknownValue(sourceKeyVaultParam, "parameter "+fd.key+" is read from Key Vault at deployment", fd.key)
			g.at = fd.val.get("reference")
		case fd.val.field("value") != nil:
			g.at = fd.val.get("value")
			g.val = plainValue(g.at)
		default:
			continue
		}
		g.file = f
		g.trail = model.TrailOf(model.Hop{Kind: model.HopParameterFile, Name: fd.key, Range: f.rng(g.at)})
		g.name = fd.key
		g.keyAt = f.keyRange(fd)
		out[strings.ToLower(fd.key)] = g
	}
	return out
}
