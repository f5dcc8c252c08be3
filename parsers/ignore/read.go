package ignore

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
)

// maxSize bounds the files read for directives.
const maxSize = 16 << 20

// Read returns the ignores written in the named files, in file order. Each
// name is used as the findings give it (forward slashes, relative to the
// working directory or absolute) and is the Filename of the ignores' At
// and Scope. Files of no known kind, files that cannot be read and files
// without the text "azfuncscan" are skipped: their problems, if any, are
// the parsers' to report.
func Read(files []string) ([]model.Ignore, model.Diagnostics) {
	return ReadWith(nil, files)
}

// ReadWith is Read with the files read through read (from disk when nil):
// an editor's unsaved buffers over the files.
func ReadWith(read func(path string) ([]byte, error), files []string) ([]model.Ignore, model.Diagnostics) {
	return readFrom(func(name string) ([]byte, error) {
		return source.Read(read, filepath.FromSlash(name), maxSize)
	}, files)
}

// ReadHeld is Read with the files held in memory (held's ok) taken from
// there: a parser's copy of the files it read, not read again. The others
// are read from disk.
func ReadHeld(held func(name string) (src []byte, ok bool), files []string) ([]model.Ignore, model.Diagnostics) {
	return readFrom(func(name string) ([]byte, error) {
		if src, ok := held(name); ok {
			return src, nil
		}
		return source.Read(nil, filepath.FromSlash(name), maxSize)
	}, files)
}

// readFrom is Read with the files (as named) read by read.
func readFrom(read func(name string) ([]byte, error), files []string) ([]model.Ignore, model.Diagnostics) {
	var (
		out   []model.Ignore
		diags model.Diagnostics
	)
	for _, name := range files {
		scan := scanner(name)
		if scan == nil {
			continue
		}
		src, err := read(name)
		if err != nil || len(src) > maxSize || !bytes.Contains(src, []byte("azfuncscan")) {
			continue
		}
		igs, ds := scan(name, src)
		out = append(out, igs...)
		diags = append(diags, ds...)
	}
	return out, diags
}

// scanner picks the scanner for a file by its name.
func scanner(name string) func(string, []byte) ([]model.Ignore, model.Diagnostics) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".tf"), strings.HasSuffix(lower, ".tofu"),
		strings.HasSuffix(lower, ".tfvars"), strings.HasSuffix(lower, ".hcl"):
		return scanHCL
	case strings.HasSuffix(lower, ".json"), strings.HasSuffix(lower, ".jsonc"):
		return scanARM
	case strings.HasSuffix(lower, ".bicep"):
		return scanBicep
	}
	return nil
}

// newIgnore makes the in-source ignore of a directive.
func newIgnore(d directive, at, scope model.Range) model.Ignore {
	return model.Ignore{Checks: d.ids, Reason: d.reason, Expires: d.expires, At: at, Scope: scope}
}

// lines is a range of whole lines of a file.
func lines(name string, first, last int) model.Range {
	return model.Range{Filename: name, Start: model.Pos{Line: first, Column: 1}, End: model.Pos{Line: last, Column: 1}}
}

func warning(summary, detail string, at model.Range) model.Diagnostic {
	return model.Diagnostic{Severity: model.SevWarning, Summary: summary, Detail: detail, Range: at}
}
