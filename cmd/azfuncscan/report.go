package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azfuncscan/azfuncscan/analyzer/compliance"
	"github.com/azfuncscan/azfuncscan/analyzer/config"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// Compliance report formats.
const (
	complianceMarkdown = "markdown"
	complianceHTML     = "html"
)

func newReportCmd(e *env) *cobra.Command {
	var (
		f              scanFlags
		format, output string
	)
	cmd := &cobra.Command{
		Use:   "report [PATH...]",
		Short: "Write an MCSB compliance report: each function app against each benchmark control",
		Long: `Scan the paths as scan does and write a compliance report: one row per
function app (and deployment slot), named by root and resource address, one
column per Microsoft cloud security benchmark control the checks that ran
map to (a check file's mcsb list; azfuncscan checks shows it), each cell
pass, fail (naming the failing checks), undetermined (a value known only at
deployment decides), pass by suppression (every failing finding is
suppressed) or not applicable; then a summary per control.

--format markdown renders on GitHub and can be appended to a job summary
(azfuncscan report --format markdown >> "$GITHUB_STEP_SUMMARY"); --format
html is one self-contained page (inline CSS, no script, nothing fetched),
printable. Without --format, an -o ending in .html or .htm picks html.

Undetermined outcomes are always part of the report. Diagnostics about the
input go to stderr. Exit status: 0 when the report is written, whatever it
says; 2 on a usage or fatal error, or when nothing was scanned.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			if err := f.applyConfig(cmd, args); err != nil {
				return err
			}
			return complianceReport(cmd.Context(), e, &f, format, output, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "", "report `format`: markdown (default) or html")
	fl.StringVarP(&output, "output", "o", "", "write the report to `FILE` (default: standard output)")
	fl.StringSliceVar(&f.enable, "enable", nil, "run these check `IDs` too, incl. opt-in checks (comma-separated, repeatable)")
	fl.StringSliceVar(&f.disable, "disable", nil, "do not run these check `IDs` (comma-separated, repeatable)")
	fl.StringVar(&f.checksDir, "checks-dir", "", "load extra checks from the YAML files in `DIR`, besides the built-in ones")
	fl.StringVar(&f.configFile, "config", "", "read the configuration from `FILE` (default: "+config.FileName+" in the scanned directory or above, up to the repository root)")
	f.input.register(cmd)
	return cmd
}

// complianceFormat resolves --format and -o.
func complianceFormat(format, output string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case complianceMarkdown, "md":
		return complianceMarkdown, nil
	case complianceHTML:
		return complianceHTML, nil
	case "":
		switch strings.ToLower(filepath.Ext(output)) {
		case ".html", ".htm":
			return complianceHTML, nil
		}
		return complianceMarkdown, nil
	}
	return "", usagef("--format %q: want markdown or html", format)
}

func complianceReport(ctx context.Context, e *env, f *scanFlags, format, output string, paths []string) error {
	format, err := complianceFormat(format, output)
	if err != nil {
		return err
	}
	popts, err := f.input.options()
	if err != nil {
		return err
	}
	if err := f.input.check(); err != nil {
		return err
	}
	work, base, err := dirs(paths...)
	if err != nil {
		return err
	}
	popts.Skip = f.cfg.Skip(work)
	all, err := loadChecks(f.checkDirs()...)
	if err != nil {
		return err
	}
	eng, err := engine.New(all, engine.Options{Enable: f.enable, Disable: f.disable, RepoRoot: base, WorkDir: work})
	if err != nil {
		return fmt.Errorf("checks: %w", err)
	}
	loaded, err := parsers.Load(ctx, paths, popts)
	if err != nil {
		return err
	}
	r := &report.Report{Checks: eng.Checks(), Diagnostics: loaded.Diagnostics, BaseDir: base, WorkDir: work}
	var apps []engine.AppOutcome
	for _, m := range loaded.Modules {
		res := eng.Run(ctx, m)
		r.Findings = append(r.Findings, res.Findings...)
		r.Diagnostics = append(r.Diagnostics, res.Diagnostics...)
		apps = append(apps, res.Apps...)
	}
	suppressFindings(r, eng, nil, configIgnores(f.cfg), false)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := report.WriteDiagnostics(e.stderr, r); err != nil {
		return err
	}
	switch {
	case loaded.Inputs == 0:
		return fmt.Errorf("no input: nothing in %s is a Terraform, ARM or Pulumi file", strings.Join(paths, ", "))
	case loaded.Units == 0:
		return fmt.Errorf("no input: no file found in %s was scanned (the diagnostics say why)", strings.Join(paths, ", "))
	}
	cr := &report.ComplianceReport{
		Tool:   report.Tool{Name: "azfuncscan", Version: version(), InformationURI: informationURI},
		Matrix: compliance.Build(eng.Checks(), apps, r.Findings),
		Checks: len(eng.Checks()),
	}
	write := report.WriteComplianceMarkdown
	if format == complianceHTML {
		write = report.WriteComplianceHTML
	}
	if output == "" || output == stdoutName {
		return write(e.stdout, cr)
	}
	return writeFile(output, func(w io.Writer) error { return write(w, cr) })
}

// writeFile creates path and writes it with fn.
func writeFile(path string, fn func(io.Writer) error) (err error) {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer func() {
		if cerr := file.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("output %s: %w", path, cerr)
		}
	}()
	return fn(file)
}
