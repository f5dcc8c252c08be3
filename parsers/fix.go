package parsers

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

// ApplyEdits applies fix edits to src, the contents of the file named
// name (every edit's range names it), by the syntax of that file: hclwrite for Terraform
// (.tf, .tofu, .tfvars), byte-range edits for ARM JSON (templates and
// parameter files). Other files (Pulumi stack exports, .bicep sources,
// JSON-syntax Terraform) are not edited: an error says so. An edit that
// cannot be applied is left out, with its error; the others are applied.
func ApplyEdits(name string, src []byte, edits []model.Edit) ([]byte, []error) {
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".tf" || ext == ".tofu" || ext == ".tfvars":
		return terraform.ApplyEdits(name, src, edits)
	case (ext == ".json" || ext == ".jsonc") && !strings.HasSuffix(name, ".tf.json") && !strings.HasSuffix(name, ".tfvars.json"):
		return arm.ApplyEdits(src, edits)
	}
	return src, []error{fmt.Errorf("%s: files of this kind are not edited; change the value by hand", name)}
}
