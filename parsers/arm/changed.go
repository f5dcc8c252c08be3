package arm

import "github.com/azfuncscan/azfuncscan/analyzer/model"

// ParameterFiles returns the parameter files that apply to the template
// at path with opts, in the order they apply (see [LoadFile]): the one
// matched by name, then those given for every template, then those given
// for this one. A scan of changed files uses it to find the templates a
// changed parameter file feeds.
func ParameterFiles(path string, opts Options) []string {
	pfs := parameterFiles(path, opts, func(model.Diagnostic) {})
	out := make([]string, len(pfs))
	for i, pf := range pfs {
		out[i] = pf.path
	}
	return out
}
