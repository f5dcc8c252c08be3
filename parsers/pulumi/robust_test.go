package pulumi_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
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
