package arm

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm/armexpr"
)

// needEval skips a test until armexpr evaluates expressions (its API was
// committed before its implementation).
func needEval(t *testing.T) {
	t.Helper()
	v, err := armexpr.NewEvaluator(armexpr.NopContext{}, armexpr.Options{}).EvalString("[concat('a', 'b')]")
	if err != nil || v != "ab" {
		t.Skip("armexpr does not evaluate expressions yet")
	}
}

// loadFiles writes files (name → content) to a temporary directory and
// loads the template called main.
func loadFiles(t *testing.T, main string, files map[string]string, opts Options) (*model.Module, model.Diagnostics) {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for i := range opts.Parameters {
		opts.Parameters[i].Path = filepath.Join(dir, opts.Parameters[i].Path)
		if opts.Parameters[i].Template != "" {
			opts.Parameters[i].Template = filepath.Join(dir, opts.Parameters[i].Template)
		}
	}
	return LoadFile(context.Background(), filepath.Join(dir, main), opts)
}

// loadTemplate loads one template given as text.
func loadTemplate(t *testing.T, src string) (*model.Module, model.Diagnostics) {
	t.Helper()
	return loadFiles(t, "azuredeploy.json", map[string]string{"azuredeploy.json": src}, Options{})
}

// noErrors fails on error and warning diagnostics.
func noErrors(t *testing.T, diags model.Diagnostics) {
	t.Helper()
	for _, d := range diags {
		if d.Severity != model.SevInfo {
			t.Errorf("diagnostic: %s: %s: %s (%s)", d.Range, d.Severity, d.Summary, d.Detail)
		}
	}
}

// lineOf returns the 1-based line of the first occurrence of needle in
// src (0 when absent), for asserting positions.
func lineOf(src, needle string) int {
	i := strings.Index(src, needle)
	if i < 0 {
		return 0
	}
	return strings.Count(src[:i], "\n") + 1
}

// appNamed returns the function app with address addr.
func appNamed(t *testing.T, m *model.Module, addr string) *model.FunctionApp {
	t.Helper()
	var have []string
	for _, a := range m.FunctionApps {
		if a.Address == addr {
			return a
		}
		have = append(have, a.Address)
	}
	t.Fatalf("no function app %q; have %q", addr, have)
	return nil
}

// schema is the resource group deployment template schema.
const schema = `"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0"`
