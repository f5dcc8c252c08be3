package limits

import (
	"strconv"
	"sync/atomic"
)

// Defaults. Real configurations stay far below each: they exist for
// generated, broken and hostile input.
const (
	// HCLDepth bounds the nesting of brackets, parentheses, braces and
	// templates in HCL (.tf, .tfvars, and the templates inside
	// Terraform JSON strings): the HCL parser recurses once per level
	// and a few thousand levels overflow the stack of the whole scan.
	HCLDepth = 1000
	// JSONDepth bounds the nesting of arrays and objects in Terraform
	// JSON (.tf.json, .tfvars.json) and in the JSON read for ignore
	// directives; a JSON value is cheaper per level than HCL.
	JSONDepth = 10000
	// TerraformFileSize, PlanFileSize, ARMFileSize and PulumiFileSize
	// are the largest file of each format read; a larger one is a
	// diagnostic.
	TerraformFileSize = 10 << 20
	PlanFileSize      = 256 << 20
	ARMFileSize       = 64 << 20
	PulumiFileSize    = 256 << 20
	// BicepFileSize is the largest .bicep source read: to place the
	// findings of its compiled template on its lines, and to find the
	// local modules it uses.
	BicepFileSize = 8 << 20
	// Instances bounds the resource, module and dynamic-block
	// instances of one Terraform module tree, where nested count and
	// for_each multiply (module count × resource count), and the
	// resources an ARM template's copy loops expand to is
	// ARMInstances. Each instance of an app is a model and its
	// findings, so this bounds memory and report size too.
	Instances    = 1000
	ARMInstances = 20000
	// EvalBudget bounds the elements (list, set, tuple, map and object
	// members) and string bytes of the values computed while
	// evaluating one Terraform module tree. When spent, further values
	// are unknown.
	EvalBudget = 1 << 20
	// EvalAllowance is what a tree spends before it charges the scan's
	// budget: ScanEvalBudget bounds only what trees spend beyond it,
	// together. Ordinary trees stay within it (the most spent by one
	// tree of ../shared/corpus and of a generated 2,000-stack corpus:
	// 14,929), so they never depend on the scan's budget, or on the
	// order trees run in; it is not a limit and has no flag.
	EvalAllowance  = 64 << 10
	ScanEvalBudget = 8 << 20
	// DiagnosticsPerFile bounds the diagnostics reported for one file;
	// the last one kept says how many more there were.
	DiagnosticsPerFile = 20
)

// Limits are the bounds of one scan. A zero field means its default (the
// constant of the same name); a scan flag sets each (README, "Limits").
type Limits struct {
	HCLDepth  int
	JSONDepth int
	// FileSize, when set, is the largest file read in every format (in
	// place of TerraformFileSize, PlanFileSize, ARMFileSize,
	// PulumiFileSize and BicepFileSize).
	FileSize int64
	// Instances, when set, bounds Terraform module trees and ARM
	// templates alike (in place of Instances and ARMInstances).
	Instances          int
	EvalBudget         int64
	ScanEvalBudget     int64
	DiagnosticsPerFile int
}

// Format names the formats whose defaults differ.
type Format int

// Formats with their own file size or instance default.
const (
	Terraform Format = iota
	Plan             // a Terraform plan in JSON form
	ARM
	Pulumi
	Bicep // a .bicep source read beside its compiled template
)

func or[T int | int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// MaxHCLDepth returns the HCL nesting limit.
func (l Limits) MaxHCLDepth() int { return or(l.HCLDepth, HCLDepth) }

// MaxJSONDepth returns the JSON nesting limit.
func (l Limits) MaxJSONDepth() int { return or(l.JSONDepth, JSONDepth) }

// MaxFileSize returns the largest file of format f read.
func (l Limits) MaxFileSize(f Format) int64 {
	switch f {
	case ARM:
		return or(l.FileSize, ARMFileSize)
	case Pulumi:
		return or(l.FileSize, PulumiFileSize)
	case Plan:
		return or(l.FileSize, PlanFileSize)
	case Bicep:
		return or(l.FileSize, BicepFileSize)
	}
	return or(l.FileSize, TerraformFileSize)
}

// MaxInstances returns the instance limit of format f.
func (l Limits) MaxInstances(f Format) int {
	if f == ARM {
		return or(l.Instances, ARMInstances)
	}
	return or(l.Instances, Instances)
}

// MaxEvalBudget returns the evaluation budget of one module tree.
func (l Limits) MaxEvalBudget() int64 { return or(l.EvalBudget, EvalBudget) }

// MaxScanEvalBudget returns the evaluation budget of the whole scan; it
// is never below one tree's.
func (l Limits) MaxScanEvalBudget() int64 {
	return max(or(l.ScanEvalBudget, ScanEvalBudget), l.MaxEvalBudget())
}

// MaxDiagnosticsPerFile returns the diagnostics kept per file.
func (l Limits) MaxDiagnosticsPerFile() int { return or(l.DiagnosticsPerFile, DiagnosticsPerFile) }

// Budget is the evaluation work left to a whole scan (ScanEvalBudget),
// shared by the module trees evaluated in parallel, each charging what it
// spends beyond EvalAllowance; safe for concurrent use. Nil spends
// nothing and never runs out.
type Budget struct {
	left     atomic.Int64
	spent    atomic.Bool
	reported atomic.Bool
}

// NewBudget returns a scan budget of l.MaxScanEvalBudget.
func NewBudget(l Limits) *Budget {
	b := &Budget{}
	b.left.Store(l.MaxScanEvalBudget())
	return b
}

// Charge spends n and reports whether the budget still holds.
func (b *Budget) Charge(n int64) bool {
	if b == nil {
		return true
	}
	if b.left.Add(-n) < 0 {
		b.spent.Store(true)
		return false
	}
	return true
}

// Exhausted reports whether the budget ran out.
func (b *Budget) Exhausted() bool { return b != nil && b.spent.Load() }

// Report reports whether the caller is the first to report the budget
// spent: it is reported once per scan.
func (b *Budget) Report() bool { return b != nil && b.reported.CompareAndSwap(false, true) }

// Bytes formats a size limit: whole MiB or KiB when it is one, else
// bytes.
func Bytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
