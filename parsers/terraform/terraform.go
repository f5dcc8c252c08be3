package terraform

import (
	"context"
	"io/fs"
	"os"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// Options tune how a module is evaluated.
type Options struct {
	// VarFiles are extra -var-file paths, applied after terraform.tfvars and
	// *.auto.tfvars; Vars are -var name=value pairs, applied last.
	VarFiles []string
	Vars     map[string]string
	// ReadFile, when set, reads every configuration and variables file
	// in place of the disk (an editor's unsaved buffers over the files;
	// see package parsers/internal/source). Directories are still listed
	// from disk.
	ReadFile func(path string) ([]byte, error)
	// hold keeps the files root detection read for their load (set by
	// NewLoader; see sourceHold).
	hold *sourceHold
	// compareIndexed, set by tests, is given the value of every
	// expression a shortcut answered (indexedRef, eachAttr) and the value
	// the evaluation context gives it.
	compareIndexed func(expr hcl.Expression, fast, full cty.Value)
	// compareForEach, set by tests, is given the keys forEachResource
	// made of a for_each and those its value gives.
	compareForEach func(expr hcl.Expression, fast, full []instanceKey)
	// Within, when set, are the directories (absolute) module calls may
	// read: a local module source that resolves, symbolic links
	// followed, outside all of them is not read, with a diagnostic, so
	// that a configuration cannot have the scan read and quote files
	// elsewhere on the machine. Empty: no limit.
	Within []string
	// Limits bound nesting, file size, instances and evaluation work
	// (zero: the defaults of package limits).
	Limits limits.Limits
	// ScanBudget, when set, is shared by every module tree of a scan:
	// what each spends beyond limits.EvalAllowance, together, may be
	// Limits.MaxScanEvalBudget.
	ScanBudget *limits.Budget
	// ParseCache, when set, keeps parsed files from one load to the next
	// (see [ParseCache]): files whose content did not change are not
	// parsed again. Files are still read each time.
	ParseCache *ParseCache
	// ListDir, when set, returns the entries of a directory (absolute,
	// clean) already listed in this scan, sorted by name, or ok false
	// when it was not: the walk that found the directories lists each
	// once, and the loader need not list them again (a root's files are
	// otherwise listed three times: for its module calls, its files and
	// its variables files). It is called from several goroutines.
	ListDir func(dir string) (entries []fs.DirEntry, ok bool)
}

// readDirEntries lists dir as os.ReadDir does, through o.ListDir when it
// knows the directory.
func (o *Options) readDirEntries(dir string) ([]fs.DirEntry, error) {
	if o.ListDir != nil {
		if entries, ok := o.ListDir(absPath(dir)); ok {
			return entries, nil
		}
	}
	return os.ReadDir(dir)
}

// LoadDir reads every .tf, .tf.json, .tofu and .tofu.json file of dir
// (not recursive; override files merged) as one root module, evaluates it with the modules it calls and returns its
// model. Broken files become diagnostics; what can be read is still
// returned. To load several directories sharing one parse cache, and to
// skip directories that others call as modules, use [LoadDirs] or a
// [Loader].
func LoadDir(ctx context.Context, dir string, opts Options) (*model.Module, model.Diagnostics) {
	return NewLoader(opts).Load(ctx, dir)
}

// internalErrorSummary is the summary of the diagnostic that replaces a
// recovered panic; tests look for it.
const internalErrorSummary = "Internal error while reading Terraform"

// finish returns the accumulated diagnostics in a stable order.
func (t *tree) finish() model.Diagnostics {
	out := append(model.Diagnostics(nil), t.diags...)
	for i := range out {
		out[i].Summary = model.Repeated(out[i].Summary, t.diagCount[i])
	}
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
