package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func TestRoundTrip(t *testing.T) {
	fs := []engine.Finding{
		{CheckID: "AZFUNC-041", Fingerprint: "bb", Root: "envs/dev", Resource: "azurerm_linux_function_app.a", Path: "site_config.min_tls_version", Range: model.Range{Filename: "main.tf", Start: model.Pos{Line: 9}}},
		{CheckID: "AZFUNC-040", Fingerprint: "aa", Root: "envs/dev", Resource: "azurerm_linux_function_app.a", Path: "https_only"},
		{CheckID: "AZFUNC-040", Fingerprint: "aa", Root: "envs/dev", Resource: "azurerm_linux_function_app.a", Path: "https_only"}, // once
		{CheckID: "AZFUNC-052", Fingerprint: "cc", Suppressed: &model.Ignore{}},                                                    // not recorded
	}
	var buf bytes.Buffer
	if err := New(Tool{Name: "azfuncscan", Version: "1.0.0"}, fs).Write(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "tool": {
    "name": "azfuncscan",
    "version": "1.0.0"
  },
  "findings": [
    {
      "check_id": "AZFUNC-040",
      "fingerprint": "aa",
      "root": "envs/dev",
      "resource": "azurerm_linux_function_app.a",
      "path": "https_only"
    },
    {
      "check_id": "AZFUNC-041",
      "fingerprint": "bb",
      "root": "envs/dev",
      "resource": "azurerm_linux_function_app.a",
      "path": "site_config.min_tls_version"
    }
  ]
}
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("baseline (-want +got):\n%s", diff)
	}
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	later := []engine.Finding{
		{CheckID: "AZFUNC-041", Fingerprint: "bb", Range: model.Range{Filename: "main.tf", Start: model.Pos{Line: 30}}}, // moved: still baselined
		{CheckID: "AZFUNC-001", Fingerprint: "dd"},
		{CheckID: "AZFUNC-052", Fingerprint: "cc"},
	}
	kept, n := b.Filter(later)
	if n != 1 || len(kept) != 2 || kept[0].Fingerprint != "dd" || kept[1].Fingerprint != "cc" {
		t.Errorf("Filter = %+v, %d", kept, n)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"v2.json":      `{"version": 2, "tool": {"name": "x", "version": "y"}, "findings": []}`,
		"bad.json":     `{"version": 1,`,
		"unknown.json": `{"version": 1, "fingerprints": []}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Read(p); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: error = %v, want one naming the file", name, err)
		}
	}
	if _, err := Read(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
}
