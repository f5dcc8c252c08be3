package arm

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

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
	// Source, when set, is the template's contents, already read from
	// disk (by the walk that found it, see package parsers): LoadFile
	// does not read it again. Its size is still checked against Limits.
	// Parameter files and the .bicep source are read as without it.
	Source []byte
	// Limits bound the file size and the resources copy loops expand
	// to (zero: the defaults of package limits).
	Limits limits.Limits
	// Within, when set, are the directories (absolute) the parameter
	// file and the .bicep source found beside a template by name may be
	// read from: a symbolic link leading outside them is not read.
	Within []string
	// ListDir, when set, returns the entries of a directory (absolute,
	// clean) already listed in this scan, or ok false when it was not:
	// the files looked for beside a template (its parameter files, its
	// .bicep source) are then looked up in the listing instead of on
	// disk, where most are not. Not used with ReadFile, whose files need
	// not be on disk. It is called from several goroutines.
	ListDir func(dir string) (entries []fs.DirEntry, ok bool)
	// Exprs, when set, keeps the expressions parsed for every template
	// loaded with it (those of one scan), each parsed once.
	Exprs *armexpr.ParseCache
}

// listed returns the entries of the directory of path as ListDir gives
// them, or ok false when it does not know it (or ReadFile is set).
func (o *Options) listed(dir string) ([]fs.DirEntry, bool) {
	if o.ListDir == nil || o.ReadFile != nil {
		return nil, false
	}
	abs, err := filepath.Abs(filepathDir(dir))
	if err != nil {
		return nil, false
	}
	return o.ListDir(abs)
}

// mayExist reports whether the file at path may exist: false only when
// its directory's listing (ListDir) holds no entry of that name, in any
// case (a case-insensitive file system finds it under another).
func (o *Options) mayExist(path string) bool {
	entries, ok := o.listed(filepath.Dir(path))
	if !ok {
		return true
	}
	name := filepath.Base(path)
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) {
			return true
		}
	}
	return false
}

// ParameterFile is a parameter file and the template it applies to.
type ParameterFile struct {
	// Template is the template file the parameters apply to; "" applies
	// them to every template.
	Template string
	// Path is the parameter file.
	Path string
}
