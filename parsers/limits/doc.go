// Package limits gathers the bounds azfuncscan puts on what one input may
// cost (nesting depth, file size, instances, evaluation work, diagnostics
// per file), so that a hostile or broken file yields a diagnostic instead
// of exhausting the stack, memory or time of the whole scan. Each has a
// documented default and a scan flag to raise it (README, "Limits").
package limits
