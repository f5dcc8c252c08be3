// Package checks holds the built-in checks, one YAML file per check, embedded
// in the binary. Users add their own in the same format with --checks-dir.
package checks

import (
	"embed"
	"io/fs"
)

//go:embed *.yaml
var files embed.FS

// decoded is the check files decoded ahead, one line of JSON each, their
// CEL type-checked (engine.EncodeDecoded), so that a scan does not decode
// their YAML nor parse and check their expressions: TestDecodedIsCurrent
// fails when a check changed since it was written (UPDATE_GOLDEN=1
// rewrites it), and a file changed since is decoded at start-up anyway.
//
//go:embed decoded.jsonl
var decoded []byte

// FS returns the built-in check files.
func FS() fs.FS { return files }

// Decoded returns the built-in check files decoded ahead, for
// engine.LoadCached.
func Decoded() []byte { return decoded }
