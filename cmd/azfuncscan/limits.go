package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azfuncscan/azfuncscan/parsers"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// limitFlags raise the bounds of package limits (README, "Limits"), and
// widen what the scan reads (--allow-outside, --follow-symlinks).
type limitFlags struct {
	hclDepth, jsonDepth, instances, diagsPerFile int
	fileSize                                     string
	evalBudget, scanEvalBudget                   int64
	allowOutside, followSymlinks                 bool
}

func (f *limitFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&f.hclDepth, "max-hcl-depth", limits.HCLDepth, "nesting `levels` of HCL (.tf, .tfvars, templates in .tf.json strings) read; a file nested deeper is a diagnostic")
	fl.IntVar(&f.jsonDepth, "max-json-depth", limits.JSONDepth, "nesting `levels` of Terraform JSON (.tf.json) read; a file nested deeper is a diagnostic")
	fl.StringVar(&f.fileSize, "max-file-size", "", "largest input `size` read, in every format (bytes, or with KiB, MiB or GiB); default "+
		limits.Bytes(limits.TerraformFileSize)+" for Terraform, "+limits.Bytes(limits.PlanFileSize)+" for plans, "+limits.Bytes(limits.ARMFileSize)+" for ARM, "+limits.Bytes(limits.PulumiFileSize)+" for Pulumi")
	fl.IntVar(&f.instances, "max-instances", 0, fmt.Sprintf("instances of one Terraform module tree (module count × resource count; default %d) and resources of one ARM template (default %d) expanded; the rest are unknown", limits.Instances, limits.ARMInstances))
	fl.Int64Var(&f.evalBudget, "eval-budget", limits.EvalBudget, "elements and string bytes computed evaluating one Terraform module tree; beyond, values are unknown")
	fl.Int64Var(&f.scanEvalBudget, "scan-eval-budget", limits.ScanEvalBudget, fmt.Sprintf("elements and string bytes computed by all Terraform module trees of the scan beyond %d each; beyond, values in those trees are unknown", limits.EvalAllowance))
	fl.IntVar(&f.diagsPerFile, "max-diagnostics-per-file", limits.DiagnosticsPerFile, "diagnostics reported for one file; the last says how many more there were")
	fl.BoolVar(&f.allowOutside, "allow-outside", false, "read local module sources and files behind symbolic links outside the scanned paths and their repository (by default not read, with a diagnostic)")
	fl.BoolVar(&f.followSymlinks, "follow-symlinks", false, "follow symbolic links to files met while walking (never to directories); by default they are left out, with a diagnostic")
}

// apply sets the parser options from the flags.
func (f *limitFlags) apply(opts *parsers.Options) error {
	for _, c := range []struct {
		name string
		v    int64
	}{
		{"--max-hcl-depth", int64(f.hclDepth)}, {"--max-json-depth", int64(f.jsonDepth)}, {"--max-instances", int64(f.instances)},
		{"--eval-budget", f.evalBudget}, {"--scan-eval-budget", f.scanEvalBudget}, {"--max-diagnostics-per-file", int64(f.diagsPerFile)},
	} {
		if c.v < 0 {
			return usagef("%s %d: must not be negative", c.name, c.v)
		}
	}
	size, err := parseSize(f.fileSize)
	if err != nil {
		return usagef("--max-file-size: %w", err)
	}
	opts.Limits = limits.Limits{
		HCLDepth: f.hclDepth, JSONDepth: f.jsonDepth, FileSize: size, Instances: f.instances,
		EvalBudget: f.evalBudget, ScanEvalBudget: f.scanEvalBudget, DiagnosticsPerFile: f.diagsPerFile,
	}
	opts.AllowOutside = f.allowOutside
	opts.FollowSymlinks = f.followSymlinks
	return nil
}

// parseSize reads a size: a whole number of bytes, optionally followed by
// KiB, MiB or GiB (or K, M, G). "" is 0, the default.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q: want a number of bytes, optionally with KiB, MiB or GiB", s)
	}
	return n * mult, nil
}
