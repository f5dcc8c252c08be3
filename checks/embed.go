// Package checks holds the built-in checks, one YAML file per check, embedded
// in the binary. Users add their own in the same format with --checks-dir.
package checks

import (
	"embed"
	"io/fs"
)

//go:embed *.yaml
var files embed.FS

// FS returns the built-in check files.
func FS() fs.FS { return files }
