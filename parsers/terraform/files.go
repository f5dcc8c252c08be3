package terraform

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// sourceFile is one parsed configuration or variables file.
type sourceFile struct {
	path string // as ranges name it: filepath.Join(dir, name), forward slashes
	// override is set for override files, merged into the others (see
	// override.go).
	override bool
	body     hcl.Body
	src      []byte // the text, to quote expressions in reasons
	// names are the attribute names the file's expressions use after a
	// dot (see parsedDir.attrNames); nil for JSON files.
	names map[string]bool
	// funcs are the functions the file's expressions call; nil for JSON
	// files, whose expressions are parsed when evaluated.
	funcs map[string]bool
	// clean: the file parsed without errors (a fix may edit it as read).
	clean bool
}

// configStem splits a configuration file name into its stem and
// extension: .tf, .tf.json, or OpenTofu's .tofu and .tofu.json. ok is
// false for other files.
func configStem(name string) (stem, ext string, ok bool) {
	for _, ext := range []string{".tf.json", ".tofu.json", ".tf", ".tofu"} {
		if strings.HasSuffix(name, ext) && len(name) > len(ext) {
			return strings.TrimSuffix(name, ext), ext, true
		}
	}
	return "", "", false
}

// isConfigFile reports whether name is a Terraform or OpenTofu
// configuration file.
func isConfigFile(name string) bool {
	_, _, ok := configStem(name)
	return ok
}

// IsConfigFile reports whether a file name is a Terraform or OpenTofu
// configuration file (.tf, .tf.json, .tofu, .tofu.json), which makes its
// directory a module.
func IsConfigFile(name string) bool { return isConfigFile(name) }

// isOverrideFile reports whether name is an override file (override.tf,
// x_override.tf and their .tf.json, .tofu and .tofu.json forms), which
// is merged into the other files instead of read on its own.
func isOverrideFile(name string) bool {
	stem, _, ok := configStem(name)
	return ok && (stem == "override" || strings.HasSuffix(stem, "_override"))
}

// configFiles chooses, among the file names of one directory, the
// configuration files read, as OpenTofu does: a .tofu file replaces the
// .tf file of the same stem, a .tofu.json file the .tf.json file (see
// https://opentofu.org/docs/language/files/). It returns them sorted,
// and the names replaced, each with the name that replaced it.
func configFiles(names []string) (read []string, replaced map[string]string) {
	present := map[string]bool{}
	for _, n := range names {
		present[n] = true
	}
	for _, n := range names {
		stem, ext, ok := configStem(n)
		if !ok {
			continue
		}
		var tofu string
		switch ext {
		case ".tf":
			tofu = stem + ".tofu"
		case ".tf.json":
			tofu = stem + ".tofu.json"
		}
		if tofu != "" && present[tofu] {
			if replaced == nil {
				replaced = map[string]string{}
			}
			replaced[n] = tofu
			continue
		}
		read = append(read, n)
	}
	sort.Strings(read)
	return read, replaced
}

// loadFiles returns the parsed configuration files of the scope's
// directory, from the loader's cache; problems reading them are reported
// in this scope's tree.
func (s *scope) loadFiles() []*sourceFile {
	pd := s.t.parsed(s.dir)
	for _, d := range pd.diags {
		s.addDiag(d)
	}
	return pd.files
}

// parseFile reads and parses one file, reporting problems in the scope.
// osPath is where to read it, path is the name ranges carry. It returns
// nil when nothing could be recovered.
func (s *scope) parseFile(osPath, path string) *sourceFile {
	f, diags := parseSource(&s.t.loader.opts, osPath, path, false)
	for _, d := range diags {
		s.addDiag(d)
	}
	return f
}

// parseSource reads (through read, see Options.ReadFile) and parses one
// file. It returns nil when nothing could be recovered. It shares nothing,
// so files may be parsed in parallel. listed: see readSource.
func parseSource(o *Options, osPath, path string, listed bool) (*sourceFile, model.Diagnostics) {
	src, diags := readSource(o, osPath, path, listed)
	if diags != nil {
		return nil, diags
	}
	if o.ParseCache != nil {
		depth := [2]int{o.Limits.MaxHCLDepth(), o.Limits.MaxJSONDepth()}
		return o.ParseCache.parse(path, src, depth, func() (*sourceFile, model.Diagnostics) { return parseText(o, src, path) })
	}
	return parseText(o, src, path)
}

// parseText parses the text of one file read by parseSource.
func parseText(o *Options, src []byte, path string) (*sourceFile, model.Diagnostics) {
	if d := checkNesting(src, path, o.Limits); d != nil {
		return nil, model.Diagnostics{*d}
	}
	var (
		f     *hcl.File
		hdiag hcl.Diagnostics
	)
	if strings.HasSuffix(path, ".json") {
		f, hdiag = hcljson.Parse(src, path)
	} else {
		f, hdiag = hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	}
	diags := hclDiags(hdiag, model.SevError, path)
	if f == nil || f.Body == nil {
		return nil, diags
	}
	// One walk of the syntax tree: charged for expressions (see
	// chargedExpr), the attribute names instance objects offer and the
	// functions called.
	sf := &sourceFile{path: path, body: f.Body, src: f.Bytes, clean: !hdiag.HasErrors()}
	sf.names, sf.funcs = prepareSyntax(f.Body)
	return sf, diags
}

// checkNesting refuses a file nested deeper than the parsers can recurse
// (see limits.HCLDepth): its own diagnostic, instead of a stack
// overflow that would end the whole scan.
func checkNesting(src []byte, path string, lim limits.Limits) *model.Diagnostic {
	var off int
	limit := lim.MaxHCLDepth()
	if strings.HasSuffix(path, ".json") {
		var inString bool
		off, inString = source.JSONDepth(src, lim.MaxJSONDepth(), lim.MaxHCLDepth())
		if !inString {
			limit = lim.MaxJSONDepth()
		}
	} else {
		off = source.HCLDepth(src, lim.MaxHCLDepth())
	}
	if off < 0 {
		return nil
	}
	r := fileStart(path)
	r.Start.Line, r.Start.Column, r.Start.Byte = lineCol(src, off)
	r.End = r.Start
	return &model.Diagnostic{
		Severity: model.SevError,
		Summary:  fmt.Sprintf("Nested more than %d levels deep", limit),
		Detail:   fmt.Sprintf("%s nests expressions more than %d levels deep here; it was not analysed.", path, limit),
		Range:    r,
	}
}

// readSource reads a file (through read, see Options.ReadFile), refusing
// huge and binary files. listed says the directory listing just read
// showed a regular file at osPath, not a symbolic link: it cannot lead
// outside the scanned directories, and is not looked up again to tell.
func readSource(o *Options, osPath, path string, listed bool) ([]byte, model.Diagnostics) {
	if src, ok := o.hold.take(osPath); ok {
		return src, nil // read, and checked as below, by root detection
	}
	if !listed && source.OutsideLink(osPath, o.Within) {
		return nil, model.Diagnostics{{
			Severity: model.SevWarning,
			Summary:  "File outside the scanned directories",
			Detail:   path + " is a symbolic link to a file outside the scanned directories and their repository; it was not read (--allow-outside reads it).",
			Range:    fileStart(path),
		}}
	}
	maxFileSize := o.Limits.MaxFileSize(limits.Terraform)
	src, err := source.Read(o.ReadFile, osPath, maxFileSize)
	if err != nil {
		return nil, model.Diagnostics{{Severity: model.SevError, Summary: "Cannot read file", Detail: err.Error(), Range: fileStart(path)}}
	}
	if int64(len(src)) > maxFileSize {
		return nil, model.Diagnostics{{
			Severity: model.SevError,
			Summary:  "File too large",
			Detail:   fmt.Sprintf("%s is larger than %s and was not analysed (--max-file-size).", path, limits.Bytes(maxFileSize)),
			Range:    fileStart(path),
		}}
	}
	if i := firstInvalidUTF8(src); i >= 0 {
		r := fileStart(path)
		r.Start.Line, r.Start.Column, r.Start.Byte = lineCol(src, i)
		r.End = r.Start
		return nil, model.Diagnostics{{
			Severity: model.SevError,
			Summary:  "Invalid character encoding",
			Detail:   path + " is not UTF-8 text, as Terraform requires; it was not analysed.",
			Range:    r,
		}}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		r := fileStart(path)
		r.Start.Line, r.Start.Column, r.Start.Byte = lineCol(src, i)
		r.End = r.Start
		return nil, model.Diagnostics{{
			Severity: model.SevError,
			Summary:  "Binary file",
			Detail:   path + " contains NUL bytes; it is not a text file and was not analysed.",
			Range:    r,
		}}
	}
	return src, nil
}

// firstInvalidUTF8 returns the offset of the first byte of src that is
// not part of valid UTF-8, or -1.
func firstInvalidUTF8(src []byte) int {
	if utf8.Valid(src) {
		return -1
	}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// lineCol returns the 1-based line and column (in bytes) and the byte
// offset of src[i].
func lineCol(src []byte, i int) (line, col, byteOff int) {
	line = 1 + bytes.Count(src[:i], []byte{'\n'})
	start := bytes.LastIndexByte(src[:i], '\n') + 1
	return line, i - start + 1, i
}

// fileStart is the range of a whole file, blamed on its first line.
func fileStart(path string) model.Range {
	return model.Range{Filename: path, Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: 1, Column: 1}}
}

// toRange converts an hcl range. Filenames are already in scan form
// because files are parsed under that name.
func toRange(r hcl.Range) model.Range {
	return model.Range{
		Filename: filepath.ToSlash(r.Filename),
		Start:    model.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      model.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// addHCLDiags converts hcl diagnostics. Errors become sev (the caller
// decides how bad an hcl error is in its context); warnings stay warnings.
// fallback names the file when a diagnostic has no subject.
func (s *scope) addHCLDiags(diags hcl.Diagnostics, sev model.Severity, fallback string) {
	for _, d := range hclDiags(diags, sev, fallback) {
		s.addDiag(d)
	}
}

// hclDiags converts hcl diagnostics as addHCLDiags describes.
func hclDiags(diags hcl.Diagnostics, sev model.Severity, fallback string) model.Diagnostics {
	var out model.Diagnostics
	for _, d := range diags {
		if d == nil {
			continue
		}
		md := model.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			md.Severity = model.SevWarning
		}
		switch {
		case d.Subject != nil:
			md.Range = toRange(*d.Subject)
		case d.Context != nil:
			md.Range = toRange(*d.Context)
		default:
			md.Range = fileStart(fallback)
		}
		if md.Range.Start.Line == 0 {
			md.Range.Start.Line, md.Range.Start.Column = 1, 1
		}
		out = append(out, md)
	}
	return out
}

// addDiag records a diagnostic once per root module: the same problem at
// the same place is reported a single time however often it is evaluated
// (a module called twice has its problems reported once).
func (s *scope) addDiag(d model.Diagnostic) { s.t.addDiag(d) }

// addDiag reports d once: the same diagnostic again at the same place
// (an expression evaluated for each instance of a module, whose detail
// names the instance) is counted, and finish says how many times it was
// met.
func (t *tree) addDiag(d model.Diagnostic) {
	key := fmt.Sprintf("%d|%s|%s", d.Severity, d.Summary, d.Range.String())
	if i, ok := t.seenDiags[key]; ok {
		t.diagCount[i]++
		return
	}
	t.seenDiags[key] = len(t.diags)
	t.diags = append(t.diags, d)
	t.diagCount = append(t.diagCount, 1)
}

// newParser returns a fresh hcl parser for files read outside the parse
// cache; never shared between goroutines.
func newParser() *hclparse.Parser { return hclparse.NewParser() }

// IsDirFile reports whether a Terraform module directory's loader reads
// a file of this name by itself: configuration files and the variable
// files Terraform loads automatically.
func IsDirFile(name string) bool {
	return isConfigFile(name) || name == "terraform.tfvars" || name == "terraform.tfvars.json" ||
		strings.HasSuffix(name, ".auto.tfvars") || strings.HasSuffix(name, ".auto.tfvars.json")
}
