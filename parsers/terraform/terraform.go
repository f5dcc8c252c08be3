package terraform

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Options tune how a module is evaluated.
type Options struct {
	// VarFiles are extra -var-file paths, applied after terraform.tfvars and
	// *.auto.tfvars; Vars are -var name=value pairs, applied last.
	VarFiles []string
	Vars     map[string]string
}

// LoadDir reads every .tf and .tf.json file of dir (not recursive) as one
// root module, evaluates it and returns its model. Broken files become
// diagnostics; what can be read is still returned.
func LoadDir(ctx context.Context, dir string, opts Options) (mod *model.Module, diags model.Diagnostics) {
	mod = &model.Module{Format: model.Terraform, Path: dir}
	if ctx == nil {
		ctx = context.Background()
	}
	// The parser must never take the scan down: an unexpected panic in a
	// library (cty, hcl) on odd input becomes an error diagnostic.
	defer func() {
		if r := recover(); r != nil {
			diags = append(diags, model.Diagnostic{
				Severity: model.SevError,
				Summary:  internalErrorSummary,
				Detail:   fmt.Sprintf("%v\n%s", r, debug.Stack()),
				Range:    model.Range{Filename: dir},
			})
		}
	}()

	s := newScope(ctx, dir)
	files := s.loadFiles()
	s.cfg = s.decodeConfig(files)
	s.loadVariables(opts)
	s.evalLocals()
	b := newBuilder(s, mod)
	b.build()
	b.link()
	if err := ctx.Err(); err != nil {
		s.addDiag(model.Diagnostic{
			Severity: model.SevError,
			Summary:  "Scan cancelled",
			Detail:   "reading " + dir + " was interrupted (" + err.Error() + "); the model is incomplete",
			Range:    model.Range{Filename: dir},
		})
	}
	return mod, s.finish()
}

// internalErrorSummary is the summary of the diagnostic that replaces a
// recovered panic; tests look for it.
const internalErrorSummary = "Internal error while reading Terraform"

// finish returns the accumulated diagnostics in a stable order.
func (s *scope) finish() model.Diagnostics {
	out := s.diags
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Range, out[j].Range
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Start.Line != b.Start.Line {
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
	return out
}
