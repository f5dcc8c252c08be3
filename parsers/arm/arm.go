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
	// Within, when set, are the directories (absolute) the parameter
	// file and the .bicep source found beside a template by name may be
	// read from: a symbolic link leading outside them is not read.
	Within []string
}

// ParameterFile is a parameter file and the template it applies to.
type ParameterFile struct {
	// Template is the template file the parameters apply to; "" applies
	// them to every template.
	Template string
	// Path is the parameter file.
	Path string
}
