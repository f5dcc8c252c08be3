package terraform

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// maxFileSize is the largest file read; bigger files are generated or not
// Terraform at all and are skipped with a diagnostic.
const maxFileSize = 10 << 20

// sourceFile is one parsed configuration or variables file.
type sourceFile struct {
	path string // as ranges name it: filepath.Join(dir, name), forward slashes
	body hcl.Body
}

// isConfigFile reports whether name is a Terraform configuration file.
func isConfigFile(name string) bool {
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// isOverrideFile reports whether name is a Terraform override file, which
// Terraform merges into the other files instead of reading on its own.
func isOverrideFile(name string) bool {
	base := strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".tf")
	return base == "override" || strings.HasSuffix(base, "_override")
}

// loadFiles parses every configuration file of the scope's directory in
// lexical order. Files that cannot be read or parsed become diagnostics;
// a file with syntax errors still contributes what hcl could recover.
func (s *scope) loadFiles() []*sourceFile {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		s.addDiag(model.Diagnostic{
			Severity: model.SevError,
			Summary:  "Cannot read directory",
			Detail:   err.Error(),
			Range:    model.Range{Filename: filepath.ToSlash(s.dir)},
		})
		return nil
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() || !isConfigFile(e.Name()) {
			continue
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)

	var files []*sourceFile
	for _, name := range names {
		if s.cancelled() {
			break
		}
		path := filepath.ToSlash(filepath.Join(s.dir, name))
		if isOverrideFile(name) {
			s.addDiag(model.Diagnostic{
				Severity: model.SevInfo,
				Summary:  "Override file not merged",
				Detail:   "Terraform override files are not merged into the configuration yet; " + name + " was skipped.",
				Range:    fileStart(path),
			})
			continue
		}
		if f := s.parseFile(filepath.Join(s.dir, name), path); f != nil {
			files = append(files, f)
		}
	}
	return files
}

// parseFile reads and parses one file. osPath is where to read it, path is
// the name ranges carry. It returns nil when nothing could be recovered.
func (s *scope) parseFile(osPath, path string) *sourceFile {
	src, ok := s.readSource(osPath, path)
	if !ok {
		return nil
	}
	var (
		f     *hcl.File
		diags hcl.Diagnostics
	)
	if strings.HasSuffix(path, ".json") {
		f, diags = s.parser.ParseJSON(src, path)
	} else {
		f, diags = s.parser.ParseHCL(src, path)
	}
	s.addHCLDiags(diags, model.SevError, path)
	if f == nil || f.Body == nil {
		return nil
	}
	return &sourceFile{path: path, body: f.Body}
}

// readSource reads a file, refusing huge and binary files.
func (s *scope) readSource(osPath, path string) ([]byte, bool) {
	fh, err := os.Open(osPath)
	if err != nil {
		s.addDiag(model.Diagnostic{Severity: model.SevError, Summary: "Cannot read file", Detail: err.Error(), Range: fileStart(path)})
		return nil, false
	}
	defer func() { _ = fh.Close() }() // read-only: a close error changes nothing
	// Read one byte past the limit to tell "exactly at the limit" from "over".
	src, err := io.ReadAll(io.LimitReader(fh, maxFileSize+1))
	if err != nil {
		s.addDiag(model.Diagnostic{Severity: model.SevError, Summary: "Cannot read file", Detail: err.Error(), Range: fileStart(path)})
		return nil, false
	}
	if len(src) > maxFileSize {
		s.addDiag(model.Diagnostic{
			Severity: model.SevError,
			Summary:  "File too large",
			Detail:   fmt.Sprintf("%s is larger than %d MiB and was not analysed.", path, maxFileSize>>20),
			Range:    fileStart(path),
		})
		return nil, false
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		r := fileStart(path)
		r.Start.Line, r.Start.Column, r.Start.Byte = lineCol(src, i)
		r.End = r.Start
		s.addDiag(model.Diagnostic{
			Severity: model.SevError,
			Summary:  "Binary file",
			Detail:   path + " contains NUL bytes; it is not a text file and was not analysed.",
			Range:    r,
		})
		return nil, false
	}
	return src, true
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
		s.addDiag(md)
	}
}

// addDiag records a diagnostic once: the same problem at the same place is
// reported a single time however often it is evaluated.
func (s *scope) addDiag(d model.Diagnostic) {
	key := fmt.Sprintf("%d|%s|%s|%s", d.Severity, d.Summary, d.Range.String(), d.Detail)
	if s.seenDiags[key] {
		return
	}
	s.seenDiags[key] = true
	s.diags = append(s.diags, d)
}

// newParser returns a fresh hcl parser; one per LoadDir, never shared.
func newParser() *hclparse.Parser { return hclparse.NewParser() }
