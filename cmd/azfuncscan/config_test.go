package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/config"
)

const configFixture = "testdata/config"

// The fixture's .azfuncscan.yaml raises the threshold to high and the
// minimum severity reported to medium, disables
// AZFUNC-043, makes AZFUNC-052 high, skips skipped/, applies
// envs/dev.tfvars (TLS 1.0) and ignores AZFUNC-040.
func TestConfigFile(t *testing.T) {
	code, stdout, stderr := cli(t, "scan", "--no-snippets", configFixture)
	if code != exitFindings {
		t.Errorf("exit %d, want 1; stderr %s", code, stderr)
	}
	goldenFile(t, "config.txt", stdout)
}

// A flag overrides the setting of the same name; --enable and --disable
// override the file check by check.
func TestFlagsOverrideConfig(t *testing.T) {
	_, stdout, _ := cli(t, "scan", "--no-snippets", "--severity-threshold", "low", "--min-severity", "low", "--enable", "AZFUNC-043",
		"--var-file", filepath.Join(configFixture, "main.tf"), configFixture)
	for _, want := range []string{
		"low AZFUNC-055",  // minimum severity low from the flag
		"high AZFUNC-043", // enabled on the command line although the file disables it
		"high AZFUNC-052", // the file's severity override still applies
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "AZFUNC-041") {
		t.Errorf("--var-file did not replace the file's var-files (TLS 1.0 still applied):\n%s", stdout)
	}

	_, stdout, _ = cli(t, "scan", "--no-snippets", "--disable", "AZFUNC-052", configFixture)
	if strings.Contains(stdout, "AZFUNC-052") || !strings.Contains(stdout, "AZFUNC-041") {
		t.Errorf("--disable did not add to the file's disable list:\n%s", stdout)
	}
	if strings.Contains(stdout, "func-skipped") {
		t.Errorf("skip-paths not applied:\n%s", stdout)
	}

	// --config names another file; this one sets nothing, so the
	// defaults apply again.
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(empty, []byte("# nothing\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ = cli(t, "scan", "--no-snippets", "--config", empty, configFixture)
	for _, want := range []string{"low AZFUNC-052", "high AZFUNC-043", "high AZFUNC-040", "func-skipped"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("with an empty --config, output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("enable: [AZFUNC-065]\nseverty:\n  AZFUNC-040: low\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := cli(t, "scan", "--config", bad, configFixture)
	if code != exitError || !strings.Contains(stderr, `bad.yaml:2: unknown key "severty" (did you mean "severity"?)`) {
		t.Errorf("exit %d, stderr %q; want 2 and the unknown key with its line", code, stderr)
	}

	unknownCheck := filepath.Join(dir, "unknown-check.yaml")
	if err := os.WriteFile(unknownCheck, []byte("severity:\n  AZFUNC-999: low\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = cli(t, "scan", "--config", unknownCheck, configFixture)
	if code != exitError || !strings.Contains(stderr, "unknown-check.yaml:2: severity: no loaded check is AZFUNC-999") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}

	code, _, stderr = cli(t, "scan", "--config", filepath.Join(dir, "missing.yaml"), configFixture)
	if code != exitError || !strings.Contains(stderr, "--config") || !strings.Contains(stderr, "scan --help") {
		t.Errorf("missing --config: exit %d, stderr %q", code, stderr)
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := cli(t, "init", dir)
	path := filepath.Join(dir, config.FileName)
	if code != exitOK || stdout != "wrote "+path+"\n" {
		t.Fatalf("init: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != config.Template() {
		t.Fatalf("init wrote %q, %v", data, err)
	}
	if _, err := config.Load(path); err != nil {
		t.Errorf("the written file does not load: %v", err)
	}
	// Never overwrites.
	if err := os.WriteFile(path, []byte("enable: [AZFUNC-065]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = cli(t, "init", dir)
	if code != exitError || !strings.Contains(stderr, "already exists") {
		t.Errorf("second init: exit %d, stderr %q", code, stderr)
	}
	if data, _ := os.ReadFile(path); string(data) != "enable: [AZFUNC-065]\n" {
		t.Errorf("init overwrote the file: %q", data)
	}
}
