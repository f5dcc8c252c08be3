package model

import "strconv"

// Severity of a diagnostic about the input (not a finding).
type Severity uint8

// Diagnostic severities.
const (
	// SevError: the file or part of it could not be read; what it holds
	// was not analysed.
	SevError Severity = iota
	// SevWarning: something was read but may be analysed incompletely.
	SevWarning
	// SevInfo: a limitation worth knowing (remote module not downloaded).
	SevInfo
)

// String returns the severity's name.
func (s Severity) String() string {
	switch s {
	case SevError:
		return "error"
	case SevWarning:
		return "warning"
	default:
		return "info"
	}
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is a problem with the input: a file that does not parse, a
// module that cannot be loaded, a function that cannot be evaluated. The scan
// goes on; diagnostics are reported beside the findings.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Summary  string   `json:"summary"`
	Detail   string   `json:"detail,omitempty"`
	Range    Range    `json:"range"`
}

// Diagnostics is a list of diagnostics, accumulated as hcl.Diagnostics are.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SevError {
			return true
		}
	}
	return false
}

// MergeIdentical keeps the first of the diagnostics that say the same
// at the same place (severity, summary and range alike; the detail may
// differ, as it names the instance of a module met there), wherever the
// others are, and says how many there were in its summary (see
// Repeated): a message repeated for every instance of an expanded module
// would otherwise bury the rest.
func (ds Diagnostics) MergeIdentical() Diagnostics {
	type key struct {
		sev     Severity
		summary string
		rng     Range
	}
	first := map[key]int{}
	n := make([]int, 0, len(ds))
	out := make(Diagnostics, 0, len(ds))
	for _, d := range ds {
		k := key{d.Severity, d.Summary, d.Range}
		if i, ok := first[k]; ok {
			n[i]++
			continue
		}
		first[k] = len(out)
		out = append(out, d)
		n = append(n, 1)
	}
	for i := range out {
		out[i].Summary = Repeated(out[i].Summary, n[i])
	}
	return out
}

// Repeated returns the summary of a diagnostic met n times: "summary
// (×9,981)", or the summary itself when n is 1.
func Repeated(summary string, n int) string {
	if n <= 1 {
		return summary
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return summary + " (×" + s + ")"
}
