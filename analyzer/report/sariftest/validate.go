package sariftest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema file names inside the schema directory.
const (
	OASISSchema  = "sarif-schema-2.1.0.json"
	GitHubSchema = "codeql-action-sarif-schema-2.1.0.json"
)

// SchemaDir returns the shared SARIF schema directory, ../shared/sarif
// relative to the repository root (the nearest directory above the working
// directory that holds go.mod), and whether both schemas are there.
func SchemaDir() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
	sd := filepath.Join(dir, "..", "shared", "sarif")
	for _, name := range []string{OASISSchema, GitHubSchema} {
		if _, err := os.Stat(filepath.Join(sd, name)); err != nil {
			return sd, false
		}
	}
	return sd, true
}

// Validate checks data against both schemas in schemaDir and returns every
// violation found (joined), or nil.
func Validate(schemaDir string, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("sarif is not json: %w", err)
	}
	var errs []error
	for _, name := range []string{OASISSchema, GitHubSchema} {
		sch, err := compile(filepath.Join(schemaDir, name))
		if err != nil {
			return err
		}
		if err := sch.Validate(inst); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// compile loads one schema. GitHub's copy keeps an "anyOf" array inside
// definitions.region.properties, which a strict compiler rejects (its
// upload action ignores it); it is dropped before compiling.
func compile(path string) (*jsonschema.Schema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open schema: %w", err)
	}
	defer func() { _ = f.Close() }()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("read schema %s: %w", path, err)
	}
	if root, ok := doc.(map[string]any); ok {
		if defs, ok := root["definitions"].(map[string]any); ok {
			if region, ok := defs["region"].(map[string]any); ok {
				if props, ok := region["properties"].(map[string]any); ok {
					delete(props, "anyOf")
				}
			}
		}
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file:///" + filepath.Base(path)
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("add schema %s: %w", path, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", path, err)
	}
	return sch, nil
}
