package engine

import (
	"context"
	"errors"
	"io/fs"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// Options select which loaded checks run.
type Options struct {
	// Enable turns on checks by id (incl. opt-in checks); Disable turns off.
	Enable, Disable []string
}

// Stats counts check outcomes over everything Run saw.
type Stats struct {
	Resources     int `json:"resources"`
	Evaluated     int `json:"evaluated"`
	Passed        int `json:"passed"`
	Failed        int `json:"failed"`
	Undetermined  int `json:"undetermined"`
	NotApplicable int `json:"not_applicable"`
}

// Result is what Run found in one module.
type Result struct {
	// Findings are sorted by file, line, column, check id, resource, path.
	// Undetermined outcomes are included with Status == Undetermined.
	Findings []Finding
	Stats    Stats
}

// Engine runs a fixed set of compiled checks. It is safe for concurrent use.
type Engine struct {
	checks []*Check
}

// Load reads every *.yaml / *.yml check file of fsys (not recursive) and
// compiles it. origin prefixes Check.Source (e.g. "checks" for built-ins).
func Load(fsys fs.FS, origin string) ([]*Check, error) {
	return nil, errors.New("not implemented")
}

// New returns an engine running checks selected by opts.
func New(checks []*Check, opts Options) (*Engine, error) {
	return &Engine{checks: checks}, nil
}

// Checks returns the active checks sorted by id.
func (e *Engine) Checks() []*Check { return e.checks }

// Run evaluates every active check on every function app of m.
func (e *Engine) Run(ctx context.Context, m *model.Module) *Result {
	return &Result{}
}
