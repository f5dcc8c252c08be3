package engine

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Status is the outcome of a check on one resource (or one item of it).
type Status uint8

// Outcomes. Fail and Undetermined produce a Finding; every outcome of a
// check on an app is listed in Result.Apps and counted in Stats.
const (
	// Fail: the check's condition holds; this is a finding.
	Fail Status = iota
	// Undetermined: the outcome depends on a value unknown before
	// deployment. Not a finding by default; shown on request.
	Undetermined
	// Pass: the check applies and its condition does not hold.
	Pass
	// NotApplicable: the check's precondition (when) is false.
	NotApplicable
	// Error: the evaluation raised an error, reported as a diagnostic.
	Error
)

// String returns the status name used in outputs.
func (s Status) String() string {
	switch s {
	case Undetermined:
		return "undetermined"
	case Pass:
		return "pass"
	case NotApplicable:
		return "not_applicable"
	case Error:
		return "error"
	}
	return "fail"
}

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Related is a secondary location of a finding (a module call, the Bicep
// source of a compiled template).
type Related struct {
	Range   model.Range `json:"range"`
	Message string      `json:"message"`
}

// Finding is one check outcome worth reporting. It never contains a
// sensitive value.
type Finding struct {
	CheckID  string   `json:"check_id"`
	Severity Severity `json:"severity"`
	Status   Status   `json:"status"`
	// Message is plain text naming the resource; never a secret value.
	Message string `json:"message"`
	// Range is where the deciding value was written, or the resource block
	// when the value was defaulted (Origin == model.Default).
	Range model.Range `json:"range"`
	// Resource is the address of the resource the blamed value belongs to.
	Resource     string `json:"resource"`
	ResourceType string `json:"resource_type"`
	// Path is the blamed attribute path relative to the resource, e.g.
	// "site_config.min_tls_version" or "app_settings[DB_PASSWORD].value".
	Path   string       `json:"path"`
	Origin model.Origin `json:"origin"`
	// Related lists secondary locations: the module calls that led to the
	// blamed resource (outermost first), the resource's own related
	// locations (model.Resource.Related: the Bicep declaration of a
	// compiled template), then, when the blamed resource is not the app
	// (its host storage account), each function app it serves.
	Related []Related `json:"related,omitempty"`
	// Apps are the addresses of the function apps (in Root) whose
	// evaluation gave this finding, sorted: the app itself, or every app
	// a shared storage account or plan serves. An app through which a
	// shared problem is only undetermined (it may not exist) is not
	// listed on the failing finding; its outcome (Result.Apps) says so.
	Apps []string `json:"apps,omitempty"`
	// Root is the root the finding was evaluated from (model.Module.Path:
	// a Terraform root module directory, an ARM template, a Pulumi stack
	// export), as a forward-slash path relative to Options.RepoRoot ("."
	// for the repository root itself). The same module called from two
	// roots gives two findings.
	Root string `json:"root"`
	// Trail is where the deciding value came from, origin first, ending
	// at Range: the tfvars line, the variables, module arguments and
	// locals it passed through, then the attribute; for a default, the
	// resource block (kind default).
	Trail []model.Hop `json:"trail,omitempty"`
	// Computed: an expression on the trail computed the value from what
	// its origin wrote (model.Meta.Computed); no fix sets the origin.
	Computed bool `json:"computed,omitempty"`
	// Fingerprint is stable across edits that move lines and across
	// other list elements: derived from check id, root, the file of the
	// resource, its address and the path (list elements named by key or
	// value).
	Fingerprint string `json:"fingerprint"`
	// SecretOnLine: a sensitive value (an access key written in the
	// source) is on the line the finding points at, so writers must not
	// print that line.
	SecretOnLine bool `json:"-"`
	// Suppressed, when set, is the ignore that covers the finding (see
	// package analyzer/suppress): it is still reported (SARIF
	// suppressions, JSON) but never counts for the exit status.
	Suppressed *model.Ignore `json:"suppressed,omitempty"`
	// Fix, on a failing finding of a check with a fix for the module's
	// format, is the edit that fixes it; NoFix says why a check that
	// declares a fix (or a fix_hint) has none here.
	Fix   *Fix   `json:"fix,omitempty"`
	NoFix string `json:"no_fix,omitempty"`

	// sources, for a check whose fix has several settings, are where
	// each value they set was decided, by view path; planning the fix
	// consumes them (Run clears them).
	sources map[string]decided
}

// AppOutcome is what every check that ran gave for one function app (or
// deployment slot).
type AppOutcome struct {
	// Root is the app's root, named as Finding.Root.
	Root string `json:"root"`
	// Address is the app's resource address, as Finding.Apps names it.
	Address string `json:"address"`
	// Name is the app's name when known, else empty.
	Name string `json:"name,omitempty"`
	// Type is the app's resource type; Slot is set for deployment slots.
	Type string `json:"type"`
	Slot bool   `json:"slot,omitempty"`
	// Parent is, for a slot, its production app's address when known.
	Parent string `json:"parent,omitempty"`
	// Checks are the outcomes, by check id in id order, of every active
	// check that applies to the module's format.
	Checks []CheckOutcome `json:"checks"`
}

// CheckOutcome is the outcome of one check on one app.
type CheckOutcome struct {
	CheckID string `json:"check_id"`
	Status  Status `json:"status"`
}

// Fingerprint identifies one problem across edits that move lines: the
// hex SHA-256 of check id, root, the file the resource is declared in,
// resource address and attribute path, truncated to 32 digits. Root and
// file are forward-slash paths relative to the repository root
// (Options.RepoRoot), so that the fingerprint does not depend on where the
// scan was started from.
func Fingerprint(checkID, root, file, resource, path string) string {
	// Room for an ARM resource id: most are longer than 200 bytes, and
	// a buffer too short for the whole input is copied to the heap.
	var buf [512]byte
	b := buf[:0]
	for i, s := range [...]string{checkID, root, file, resource, path} {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, s...)
	}
	sum := sha256.Sum256(b)
	// Hex into an array, then one string: hex.EncodeToString allocates
	// the hex bytes and then the string.
	var digits [32]byte
	hex.Encode(digits[:], sum[:16])
	return string(digits[:])
}
