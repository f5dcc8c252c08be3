package engine

import (
	"fmt"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Severity is a check's severity band.
type Severity string

// Severity bands, most severe first.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Rank orders severities: critical 4 … low 1, unknown 0.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// ParseSeverity accepts a band name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	sev := Severity(strings.ToLower(strings.TrimSpace(s)))
	if sev.Rank() == 0 {
		return "", fmt.Errorf("unknown severity %q (want critical, high, medium or low)", s)
	}
	return sev, nil
}

// Reference is a documentation link of a check.
type Reference struct {
	Title string `json:"title" yaml:"title"`
	URL   string `json:"url" yaml:"url"`
}

// Check is one declarative check, as loaded from its YAML file. Its
// metadata drives SARIF rules, `azfuncscan checks` and the docs; its logic
// is a CEL expression over the model view.
type Check struct {
	ID               string                  `json:"id"`
	Title            string                  `json:"title"`
	Severity         Severity                `json:"severity"`
	SecuritySeverity float64                 `json:"security_severity"`
	Description      string                  `json:"description"`
	Remediation      map[model.Format]string `json:"remediation"`
	References       []Reference             `json:"references"`
	Tags             []string                `json:"tags"`
	// MCSB lists the Microsoft cloud security benchmark controls the
	// check gives evidence for ("NS-2", "DP-3"), in file order; empty
	// when it maps to none (the compliance report leaves it out).
	MCSB    []string       `json:"mcsb,omitempty"`
	Formats []model.Format `json:"formats"`
	// EnabledByDefault is false for opt-in checks (--enable turns them on).
	EnabledByDefault bool `json:"enabled_by_default"`
	// Source is the file the check was loaded from ("checks/AZFUNC-040.yaml"
	// for built-ins).
	Source string `json:"source"`
	// DefaultsSource says where the platform defaults the parsers apply for
	// this check's values are documented.
	DefaultsSource string `json:"defaults_source,omitempty"`
	// HelpURI is where the check is documented (SARIF helpUri): the
	// check file's help_uri, set by the caller for built-in checks to
	// their section of docs/checks.md. Empty: the first reference.
	HelpURI string `json:"help_uri,omitempty"`

	// The logic as written in the file; see the package documentation.
	Each    []string `json:"each,omitempty"`
	When    string   `json:"when,omitempty"`
	Fail    string   `json:"fail"`
	Blame   string   `json:"blame,omitempty"`
	Message string   `json:"message"`
	// LowerSeverity, when set, gives a failing finding a lower severity
	// when its condition holds (an account key held in Key Vault is still
	// a key, but less exposed).
	LowerSeverity *LowerSeverity `json:"lower_severity,omitempty"`
	// Fix is the check's automatic fix per format (none for Pulumi: a
	// stack export is not source); FixHint says what to do when a fix
	// needs a human decision.
	Fix     map[model.Format]FixSpec `json:"fix,omitempty"`
	FixHint string                   `json:"fix_hint,omitempty"`

	logic *logic
}

// LowerSeverity lowers the severity of a check's failing findings whose
// When (CEL, like the check's fail) is true; Reason is appended to the
// message.
type LowerSeverity struct {
	To     Severity `json:"to"`
	When   string   `json:"when"`
	Reason string   `json:"reason"`
}

// AppliesTo reports whether the check is written for format f. A module of
// no declared format (hand-built in tests) gets every check.
func (c *Check) AppliesTo(f model.Format) bool {
	if f == "" {
		return true
	}
	for _, cf := range c.Formats {
		if cf == f {
			return true
		}
	}
	return false
}

// Band returns the security-severity range of a severity band, as SARIF
// security-severity uses it: critical 9.0–10, high 7.0–8.9, medium
// 4.0–6.9, low 0.1–3.9.
func (s Severity) Band() (lo, hi float64) {
	switch s {
	case Critical:
		return 9.0, 10.0
	case High:
		return 7.0, 8.9
	case Medium:
		return 4.0, 6.9
	case Low:
		return 0.1, 3.9
	}
	return 0, 0
}
