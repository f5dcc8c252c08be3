package arm

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// LoadCompiled reads the template compiled from the .bicep file at
// bicepPath (the output of `bicep build --stdout`) as if it lay beside it:
// parameter files are matched by the .bicep's name and locations move into
// the .bicep sources, as for a committed compiled template. The module's
// Path is the .bicep file. What cannot be placed in Bicep keeps its place
// in the compiled template, named as `bicep build` would write it (x.json
// beside x.bicep) although no such file is read; the related locations
// "compiled template resource here" are left out, since there is nothing
// to open.
func LoadCompiled(ctx context.Context, bicepPath string, compiled []byte, opts Options) (*model.Module, model.Diagnostics) {
	virtual := CompiledName(bicepPath)
	read := opts.ReadFile
	opts.ReadFile = func(p string) ([]byte, error) {
		if filepath.Clean(p) == filepath.Clean(virtual) {
			return compiled, nil
		}
		if read != nil {
			return read(p)
		}
		return source.Read(nil, p, opts.Limits.MaxFileSize(limits.ARM))
	}
	mod, diags := LoadFile(ctx, virtual, opts)
	mod.Path = bicepPath
	name := filepath.ToSlash(virtual)
	for _, r := range resourcesOf(mod) {
		if r.Generated == "" {
			// The .bicep file could not be indexed: the template is
			// still its build output.
			r.Generated = filepath.ToSlash(bicepPath)
		}
		kept := r.Related[:0]
		for _, rel := range r.Related {
			if rel.Range.Filename != name {
				kept = append(kept, rel)
			}
		}
		r.Related = kept
	}
	return mod, diags
}

// CompiledName is the file `bicep build` writes for a .bicep file: the
// same name with .json.
func CompiledName(bicepPath string) string {
	return strings.TrimSuffix(bicepPath, filepath.Ext(bicepPath)) + ".json"
}

// resourcesOf returns the header of every resource of mod.
func resourcesOf(mod *model.Module) []*model.Resource {
	var out []*model.Resource
	add := func(r *model.Resource) { out = append(out, r) }
	for _, a := range mod.FunctionApps {
		if a != nil {
			add(&a.Resource)
		}
	}
	for _, s := range mod.StorageAccounts {
		if s != nil {
			add(&s.Resource)
		}
	}
	for _, p := range mod.Plans {
		if p != nil {
			add(&p.Resource)
		}
	}
	for _, pe := range mod.PrivateEndpoints {
		if pe != nil {
			add(&pe.Resource)
		}
	}
	for _, d := range mod.DiagnosticSettings {
		if d != nil {
			add(&d.Resource)
		}
	}
	return out
}
