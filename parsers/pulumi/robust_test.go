package pulumi_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
	"github.com/azfuncscan/azfuncscan/parsers/pulumi"
)

// TestTruncatedStacks loads prefixes of a fixture: every one is a module
// with an error diagnostic or a clean parse, never a panic.
func TestTruncatedStacks(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "pulumi", "secure", "dev.stack.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for n := 0; n < len(src); n += 61 {
		p := filepath.Join(dir, "s.json")
		if err := os.WriteFile(p, src[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		mod, diags := pulumi.LoadFile(context.Background(), p)
		if mod == nil {
			t.Fatalf("prefix %d: nil module", n)
		}
		for _, d := range diags {
			if d.Summary == "internal error" {
				t.Fatalf("prefix %d: %s", n, d.Detail)
			}
		}
	}
}

// TestDeterministic loads a fixture twice and compares the model views.
func TestDeterministic(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "pulumi", "private-endpoint", "dev.stack.json")
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	view := func() string {
		mod, _ := pulumi.LoadFile(context.Background(), p)
		var parts []any
		for _, a := range mod.FunctionApps {
			parts = append(parts, model.View(a))
		}
		b, err := json.Marshal(parts)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if a, b := view(), view(); a != b {
		t.Error("two loads of the same stack differ")
	}
}

// TestLoadFileSource: Options.Source is the export as read already:
// LoadFileWith reads no file for it (the path need not exist) and loads
// what the file on disk gives, and it is held to the same size limit.
func TestLoadFileSource(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "pulumi", "secure", "dev.stack.json")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fromDisk, diskDiags := pulumi.LoadFile(context.Background(), path)
	missing := filepath.Join(t.TempDir(), "dev.stack.json")
	held, heldDiags := pulumi.LoadFileWith(context.Background(), missing, pulumi.Options{Source: src})
	if len(heldDiags) != len(diskDiags) || len(held.FunctionApps) == 0 || len(held.FunctionApps) != len(fromDisk.FunctionApps) {
		t.Fatalf("from Source: %d apps, %v; from disk: %d apps, %v", len(held.FunctionApps), heldDiags, len(fromDisk.FunctionApps), diskDiags)
	}
	for i, app := range held.FunctionApps {
		if app.Name.V != fromDisk.FunctionApps[i].Name.V || app.HTTPSOnly.V != fromDisk.FunctionApps[i].HTTPSOnly.V {
			t.Errorf("app %d from Source: %s https_only %v; from disk: %s %v", i, app.Name.V, app.HTTPSOnly.V, fromDisk.FunctionApps[i].Name.V, fromDisk.FunctionApps[i].HTTPSOnly.V)
		}
	}
	_, diags := pulumi.LoadFileWith(context.Background(), missing, pulumi.Options{Source: src, Limits: limits.Limits{FileSize: int64(len(src) - 1)}})
	if len(diags) != 1 || diags[0].Summary != "cannot read file" {
		t.Errorf("Source above the size limit: %v; want one \"cannot read file\" error", diags)
	}
}
