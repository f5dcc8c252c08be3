// Package pulumi reads `pulumi stack export` files (deployment version 3)
// into the format-neutral model: azure-native sites through the shared ARM
// mapping (armsite), classic azure provider apps directly.
package pulumi

import (
	"context"
	"path/filepath"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// LoadFile reads one stack export file. Problems in the file are
// diagnostics; what can be read is still returned.
func LoadFile(ctx context.Context, path string) (*model.Module, model.Diagnostics) {
	_ = ctx
	return &model.Module{Format: model.Pulumi, Path: filepath.ToSlash(path)}, nil
}

// IsStackExport reports whether head, the first bytes of a file, looks like
// a Pulumi stack export: a top-level "version": 3 and a "deployment".
func IsStackExport(head []byte) bool {
	_ = head
	return false
}
