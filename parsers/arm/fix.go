package arm

import (
	"errors"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// ApplyEdits applies fix edits to an ARM template or parameter file.
func ApplyEdits(src []byte, edits []model.Edit) ([]byte, []error) {
	_ = edits
	return src, []error{errors.New("ARM files are not edited yet")}
}
