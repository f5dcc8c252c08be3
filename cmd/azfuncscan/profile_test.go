package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProfiles: --cpuprofile and --memprofile write profiles (pprof's
// gzip-compressed protocol buffers, not empty), --trace an execution
// trace (Go's trace format, with the scan's phases as regions), and the
// scan's report and exit status are unchanged.
func TestProfiles(t *testing.T) {
	fixture := filepath.Join("..", "..", "testdata", "terraform", "040-https-only")
	dir := t.TempDir()
	cpu, mem, tr := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof"), filepath.Join(dir, "scan.trace")
	_, want, _ := cli(t, "scan", "--format", "compact", fixture)
	code, got, stderr := cli(t, "scan", "--format", "compact", "--cpuprofile", cpu, "--memprofile", mem, "--trace", tr, fixture)
	if code != exitFindings || got != want {
		t.Fatalf("with profiles: exit %d, stderr %q, report\n%s\nwant\n%s", code, stderr, got, want)
	}
	for _, p := range []string{cpu, mem} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		n, err := func() (int64, error) {
			defer func() { _ = f.Close() }()
			z, err := gzip.NewReader(f)
			if err != nil {
				return 0, err
			}
			return io.Copy(io.Discard, z)
		}()
		if err != nil || n == 0 {
			t.Errorf("%s: %d bytes uncompressed, %v", filepath.Base(p), n, err)
		}
	}
	// The trace's header names its format, and the phases' names are
	// in it as strings.
	data, err := os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("go 1.")) {
		t.Errorf("--trace: header %q, want a Go execution trace", data[:min(len(data), 16)])
	}
	for _, phase := range []string{"load checks", "scan modules", "write reports"} {
		if !bytes.Contains(data, []byte(phase)) {
			t.Errorf("--trace: no region %q in the trace", phase)
		}
	}
	if code, _, stderr := cli(t, "scan", "--trace", filepath.Join(dir, "no", "such", "dir", "trace"), fixture); code != exitError {
		t.Errorf("unwritable --trace: exit %d, stderr %q; want %d", code, stderr, exitError)
	}
	if code, _, stderr := cli(t, "scan", "--cpuprofile", filepath.Join(dir, "no", "such", "dir", "cpu"), fixture); code != exitError {
		t.Errorf("unwritable --cpuprofile: exit %d, stderr %q; want %d", code, stderr, exitError)
	}
}

// The checks are set up while the walk runs: an error in their setup is
// still the scan's error, whatever the input, and nothing is reported.
func TestSetupErrorIsTheScansError(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "not-a-dir")
	if err := os.WriteFile(bad, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{
		"many modules": "../../testdata/terraform",
		"no input":     filepath.Join(dir, "missing"),
		"empty dir":    t.TempDir(),
	}
	setups := map[string]struct {
		flags []string
		want  string
	}{
		"unknown id":       {[]string{"--enable", "AZFUNC-999"}, "unknown check id AZFUNC-999"},
		"checks dir":       {[]string{"--checks-dir", bad}, "not a directory"},
		"missing baseline": {[]string{"--baseline", filepath.Join(dir, "missing.json")}, "missing.json"},
	}
	for in, path := range inputs {
		for name, s := range setups {
			t.Run(in+"/"+name, func(t *testing.T) {
				code, stdout, stderr := cli(t, append(append([]string{"scan", "--format", "json"}, s.flags...), path)...)
				if code != exitError || !strings.Contains(stderr, s.want) || stdout != "" {
					t.Errorf("exit %d, stderr %q (want %q), stdout %d bytes", code, stderr, s.want, len(stdout))
				}
			})
		}
	}
}
