package sariftest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema file names inside the schema directory.
const (
	OASISSchema  = "sarif-schema-2.1.0.json"
	GitHubSchema = "codeql-action-sarif-schema-2.1.0.json"
)

// SchemaDir returns the directory holding both schemas, testdata/sarif
// of the repository, or an error naming what is missing. The repository is
// the one this file was compiled from (so that tests that change the
// working directory still find it), else the nearest directory at or above
// the working directory that holds go.mod.
func SchemaDir() (string, error) {
	var starts []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	for _, dir := range starts {
		root, ok := moduleRoot(dir)
		if !ok {
			continue
		}
		sd := filepath.Join(root, "testdata", "sarif")
		for _, name := range []string{OASISSchema, GitHubSchema} {
			if _, err := os.Stat(filepath.Join(sd, name)); err != nil {
				return "", fmt.Errorf("sarif schema: %w", err)
			}
		}
		return sd, nil
	}
	return "", errors.New("sarif schemas: no go.mod above this package or the working directory")
}

// moduleRoot returns the nearest directory at or above dir holding go.mod.
func moduleRoot(dir string) (string, bool) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Validate checks data against both schemas of the repository's
// testdata/sarif and returns every violation found (joined), or nil. A
// schema that cannot be found or compiled is an error too, never a pass.
func Validate(data []byte) error {
	dir, err := SchemaDir()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("sarif is not json: %w", err)
	}
	var errs []error
	for _, name := range []string{OASISSchema, GitHubSchema} {
		sch, err := compile(filepath.Join(dir, name))
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
