package model

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
