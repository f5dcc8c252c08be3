package checks_test

import (
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
)

// TestBuiltinChecksAreComplete loads the embedded checks and holds each to
// what SARIF rules, `azfuncscan checks` and the docs need.
func TestBuiltinChecksAreComplete(t *testing.T) {
	cs, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(checks.FS(), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != len(files) || len(cs) == 0 {
		t.Fatalf("loaded %d checks from %d files", len(cs), len(files))
	}
	for _, c := range cs {
		t.Run(c.ID, func(t *testing.T) {
			if want := "checks/" + c.ID + ".yaml"; c.Source != want {
				t.Errorf("check %s lives in %s, want %s", c.ID, c.Source, want)
			}
			if !strings.HasPrefix(c.ID, "AZFUNC-") {
				t.Errorf("built-in id %s does not start with AZFUNC-", c.ID)
			}
			if strings.TrimSpace(c.Title) == "" || strings.TrimSpace(c.Description) == "" {
				t.Error("missing title or description")
			}
			if c.Severity.Rank() == 0 {
				t.Errorf("invalid severity %q", c.Severity)
			}
			if lo, hi := c.Severity.Band(); c.SecuritySeverity < lo || c.SecuritySeverity > hi {
				t.Errorf("security_severity %.1f outside the %s band", c.SecuritySeverity, c.Severity)
			}
			if len(c.Formats) == 0 {
				t.Error("no formats")
			}
			for _, f := range c.Formats {
				r := c.Remediation[f]
				if strings.TrimSpace(r) == "" {
					t.Errorf("no remediation for %s", f)
				} else if !strings.Contains(r, "```") {
					t.Errorf("remediation for %s has no code example", f)
				}
			}
			if len(c.References) == 0 {
				t.Error("no references")
			}
			for _, r := range c.References {
				if !strings.HasPrefix(r.URL, "https://") {
					t.Errorf("reference %q is not https", r.URL)
				}
			}
			if strings.TrimSpace(c.DefaultsSource) == "" {
				t.Error("no defaults_source")
			}
			if strings.TrimSpace(c.Message) == "" {
				t.Error("no message")
			}
		})
	}
}

// TestBuiltinChecksFixOrHint: every built-in check has an automatic fix
// for each source format it applies to (Terraform, ARM), or a fix_hint
// saying what a person has to decide; Pulumi state is not source and never
// has a fix.
func TestBuiltinChecksFixOrHint(t *testing.T) {
	cs, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if _, ok := c.Fix[model.Pulumi]; ok {
			t.Errorf("%s declares a Pulumi fix", c.ID)
		}
		for _, f := range c.Formats {
			if _, ok := c.Fix[f]; !ok && f != model.Pulumi && c.FixHint == "" {
				t.Errorf("%s has neither a %s fix nor a fix_hint", c.ID, f)
			}
		}
	}
}

// TestDecodedIsCurrent: the built-in checks decoded ahead (decoded.jsonl,
// read at start-up instead of the YAML) are what the check files decode
// to now. UPDATE_GOLDEN=1 go test ./checks rewrites it after a check
// changed.
func TestDecodedIsCurrent(t *testing.T) {
	want, err := engine.EncodeDecoded(checks.FS())
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile("decoded.jsonl", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(checks.Decoded(), want) {
		t.Fatal("checks/decoded.jsonl is not what the check files decode to: run UPDATE_GOLDEN=1 go test ./checks")
	}
	// Every built-in check is in it, on a line of its own: a scan
	// decodes no YAML.
	files, err := fs.Glob(checks.FS(), "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(want, []byte("\n")); lines != len(files) {
		t.Errorf("%d lines for %d check files", lines, len(files))
	}
	for _, f := range files {
		if !bytes.HasPrefix(want, []byte(`{"name":"`+f+`"`)) && !bytes.Contains(want, []byte("\n"+`{"name":"`+f+`"`)) {
			t.Errorf("%s is not in decoded.jsonl (its fix values do not survive JSON?)", f)
		}
	}
}
