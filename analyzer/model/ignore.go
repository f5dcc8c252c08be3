package model

import "time"

// Ignore is one suppression: which findings it covers, why, and until
// when. Parsers read the in-source ones (an `azfuncscan:ignore[…]` comment
// in HCL or Bicep, an ARM resource's metadata.azfuncscan.ignore); the
// configuration file gives the external ones.
//
// An in-source Ignore covers the findings of its Checks that have a
// location — the blamed value, a hop of its trail, a related location —
// in Scope (file and lines).
//
// An external Ignore covers the findings of its Checks whose resource
// address matches Resource, one of whose locations matches Path and whose
// root matches Root (globs; an empty glob matches everything; Path and
// Root are relative to Base).
type Ignore struct {
	// Checks are check ids; in the configuration file also globs
	// (AZFUNC-06*, *). Matched case-insensitively.
	Checks []string `json:"checks"`
	// Reason is the justification; a missing one is a warning.
	Reason string `json:"reason,omitempty"`
	// Expires, when set, is the first day (UTC) the ignore no longer
	// applies: `exp:2026-06-30` applies through 2026-06-29.
	Expires time.Time `json:"expires,omitzero"`
	// At is where the ignore is written (the comment, the metadata entry,
	// the configuration entry).
	At Range `json:"at"`
	// External is set for ignores from the configuration file (SARIF
	// suppression kind "external"); others are "inSource".
	External bool `json:"external,omitempty"`

	// Scope is the span of source an in-source ignore covers: the
	// attribute, block, property or resource under the comment. Only the
	// lines are compared.
	Scope Range `json:"-"`
	// Resource, Path and Root are the globs of an external ignore; Base
	// is the directory Path and Root are relative to.
	Resource string `json:"-"`
	Path     string `json:"-"`
	Root     string `json:"-"`
	Base     string `json:"-"`
}

// Kind is the SARIF suppression kind: "external" or "inSource".
func (ig *Ignore) Kind() string {
	if ig.External {
		return "external"
	}
	return "inSource"
}

// ExpiredAt reports whether the ignore no longer applies at now.
func (ig *Ignore) ExpiredAt(now time.Time) bool {
	return !ig.Expires.IsZero() && !now.Before(ig.Expires)
}
