package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixEnableDisable: fix selects checks as scan does. --disable leaves
// a check's findings unfixed; an opt-in check (here a custom one from
// --checks-dir) fixes nothing until --enable names it.
func TestFixEnableDisable(t *testing.T) {
	dir := copyFixture(t, filepath.Join("testdata", "terraform"))
	const httpsFix, tlsFix = "+  https_only           = true", `+    minimum_tls_version = "1.2"`
	dryRun := func(args ...string) string {
		t.Helper()
		code, diff, stderr := cli(t, append(append([]string{"fix", "--dry-run"}, args...), dir)...)
		if code != 0 {
			t.Fatalf("fix --dry-run %v: exit %d: %s", args, code, stderr)
		}
		return diff
	}
	if diff := dryRun(); !strings.Contains(diff, httpsFix) || !strings.Contains(diff, tlsFix) {
		t.Fatalf("both fixes expected:\n%s", diff)
	}
	if diff := dryRun("--disable", "AZFUNC-040"); strings.Contains(diff, httpsFix) || !strings.Contains(diff, tlsFix) {
		t.Errorf("--disable AZFUNC-040 still fixes https_only, or no longer the TLS:\n%s", diff)
	}

	checks := t.TempDir()
	custom := `id: ACME-040
title: HTTPS only (house rule)
severity: high
security_severity: 7.0
formats: [terraform]
enabled_by_default: false
description: d
fail: "!app.https_only"
blame: app.https_only
message: "{{name}} is not HTTPS-only"
fix:
  terraform: {path: https_only, value: true}
`
	if err := os.WriteFile(filepath.Join(checks, "ACME-040.yaml"), []byte(custom), 0o600); err != nil {
		t.Fatal(err)
	}
	if diff := dryRun("--checks-dir", checks, "--disable", "AZFUNC-040"); strings.Contains(diff, httpsFix) {
		t.Errorf("an opt-in check fixed without --enable:\n%s", diff)
	}
	if diff := dryRun("--checks-dir", checks, "--disable", "AZFUNC-040", "--enable", "ACME-040"); !strings.Contains(diff, httpsFix) {
		t.Errorf("--enable ACME-040 does not fix https_only:\n%s", diff)
	}
	// Nothing was written by the dry runs.
	for name, src := range readTree(t, dir) {
		if orig, err := os.ReadFile(filepath.Join("testdata", "terraform", filepath.Base(name))); err != nil || string(orig) != src {
			t.Errorf("%s changed (%v)", name, err)
		}
	}
}
