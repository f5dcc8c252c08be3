package arm

import "github.com/azfuncscan/azfuncscan/parsers/limits"

// Options tune how a template is read.
type Options struct {
	// Parameters are parameter files given by the user
	// (--arm-parameters), applied after the parameter file matched to the
	// template by name; later files win.
	Parameters []ParameterFile
	// ReadFile, when set, reads the template, its parameter files and its
	// .bicep source in place of the disk (an editor's unsaved buffers over
	// the files; see package parsers/internal/source). Directories are
	// still listed from disk.
	ReadFile func(path string) ([]byte, error)
	// Limits bound the file size and the resources copy loops expand
	// to (zero: the defaults of package limits).
	Limits limits.Limits
}

// ParameterFile is a parameter file and the template it applies to.
type ParameterFile struct {
	// Template is the template file the parameters apply to; "" applies
	// them to every template.
	Template string
	// Path is the parameter file.
	Path string
}
