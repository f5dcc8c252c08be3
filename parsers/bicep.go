package parsers

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm"
	"github.com/azfuncscan/azfuncscan/parsers/internal/bicepsyntax"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// Bicep files. A .bicep file is scanned through the template compiled
// from it: a committed one beside it (x.json beside x.bicep, read by the
// ARM handler, which then locates findings in the .bicep), or, with
// Options.Bicep (scan --bicep), the output of the Bicep CLI. Only entry
// files are compiled: a .bicep with no compiled template beside it that
// no other .bicep met in the scan uses as a local module (`module m
// './app.bicep'`); a module is scanned through the entries that use it,
// with their parameters, as a Terraform module is through its roots.

// prepareBicep chooses the entry files among the .bicep units and says
// what is not compiled: without --bicep, that --bicep would; without a
// CLI, that none was found.
func prepareBicep(_ context.Context, units []string, opts Options) prepared {
	used := map[string]bool{}
	for _, u := range units {
		src, err := source.Read(opts.ReadFile, u, opts.Limits.MaxFileSize(limits.Bicep))
		if err != nil {
			continue
		}
		for _, d := range bicepsyntax.Parse(src).Decls {
			if d.Kind != bicepsyntax.Module || strings.Contains(d.Type, ":") || !strings.EqualFold(filepath.Ext(d.Type), ".bicep") {
				continue // a registry module or template spec
			}
			used[absPath(filepath.Join(filepath.Dir(u), filepath.FromSlash(d.Type)))] = true
		}
	}
	var entries []string
	for _, u := range units {
		if used[absPath(u)] || compiledBeside(u, opts) {
			continue
		}
		entries = append(entries, u)
	}
	if len(entries) == 0 {
		return prepared{}
	}
	switch {
	case opts.Bicep == nil:
		return prepared{notes: model.Diagnostics{bicepNote(model.SevInfo, entries, "Bicep files not scanned",
			"no compiled template (.json) beside them; scan with --bicep to compile them with the Bicep CLI")}}
	case !opts.Bicep.Available():
		return prepared{notes: model.Diagnostics{bicepNote(model.SevWarning, entries, "Bicep files not compiled: no bicep CLI on PATH",
			"--bicep needs the Bicep CLI (bicep) on PATH; install it or commit the compiled templates")}}
	}
	return prepared{keep: entries}
}

// bicepNote is one diagnostic naming the entry files concerned.
func bicepNote(sev model.Severity, files []string, summary, why string) model.Diagnostic {
	names := make([]string, 0, len(files))
	for i, f := range files {
		if i == 10 {
			names = append(names, fmt.Sprintf("and %d more", len(files)-i))
			break
		}
		names = append(names, filepath.ToSlash(f))
	}
	return model.Diagnostic{
		Severity: sev,
		Summary:  summary,
		Detail:   fmt.Sprintf("%s: %s", why, strings.Join(names, ", ")),
		Range:    model.Range{Filename: filepath.ToSlash(files[0])},
	}
}

// compiledBeside reports whether an ARM template compiled from the .bicep
// file lies beside it.
func compiledBeside(path string, opts Options) bool {
	return arm.IsTemplate(readHead(opts.ReadFile, arm.CompiledName(path)))
}

// loadBicepEntry compiles one entry file with the Bicep CLI and reads the
// result as its compiled template.
func loadBicepEntry(ctx context.Context, path string, opts Options) (*model.Module, model.Diagnostics) {
	compiled, err := opts.Bicep.Build(ctx, path)
	if err != nil {
		return nil, model.Diagnostics{{
			Severity: model.SevError,
			Summary:  "Cannot compile Bicep file",
			Detail:   err.Error() + "; it was not analysed",
			Range:    model.Range{Filename: filepath.ToSlash(path), Start: model.Pos{Line: 1, Column: 1}, End: model.Pos{Line: 1, Column: 1}},
		}}
	}
	a := opts.ARM
	a.ReadFile = opts.ReadFile
	return arm.LoadCompiled(ctx, path, compiled, a)
}
