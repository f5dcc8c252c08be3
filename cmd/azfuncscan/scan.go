package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azfuncscan/azfuncscan/analyzer/config"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers"
	"github.com/azfuncscan/azfuncscan/parsers/arm"
	"github.com/azfuncscan/azfuncscan/parsers/bicepcli"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

const informationURI = "https://github.com/azfuncscan/azfuncscan"

type scanFlags struct {
	formats          []string
	output           string
	threshold        string
	minSeverity      string
	category         string
	enable, disable  []string
	checksDir        string
	showUndetermined bool
	noColor          bool
	noSnippets       bool
	stats            bool
	input            inputFlags
	// suppressions (suppress.go)
	showSuppressed, reportUnusedIgnores bool
	findingsInMemory                    int
	// baseline (baseline.go)
	baselineFile, writeBaseline string
	// configuration file (config.go)
	configFile string
	cfg        *config.Config
	// profiles (--cpuprofile, --memprofile)
	cpuProfile, memProfile string
	traceFile              string
	cfgDirs                []string
}

// inputFlags are the flags that tune how inputs are read (scan and model).
type inputFlags struct {
	varFiles  []string
	vars      []string
	armParams []string
	bicep     bool
	limits    limitFlags
}

func (f *inputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.varFiles, "var-file", nil, "Terraform variable definitions `FILE`, applied after terraform.tfvars and *.auto.tfvars (repeatable)")
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "set a Terraform variable, `name=value`, applied last (repeatable)")
	cmd.Flags().BoolVar(&f.bicep, "bicep", false, "compile each .bicep entry file without a compiled template beside it with the Bicep CLI on PATH (bicep build --no-restore --stdout) and scan the result; the only process azfuncscan starts")
	cmd.Flags().StringArrayVar(&f.armParams, "arm-parameters", nil, "ARM parameter `FILE` for every template, or TEMPLATE=FILE for one, applied after the parameter file matched by name (repeatable)")
	f.limits.register(cmd)
}

// check fails when a named --var-file cannot be read: its variables
// would silently keep their defaults.
func (f *inputFlags) check() error {
	for _, p := range f.varFiles {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("--var-file: %w", err)
		}
		if fi.IsDir() {
			return fmt.Errorf("--var-file %s: is a directory", p)
		}
	}
	return nil
}

// options turns the flags into parser options.
func (f *inputFlags) options() (parsers.Options, error) {
	opts := parsers.Options{Terraform: terraform.Options{VarFiles: f.varFiles}}
	if err := f.limits.apply(&opts); err != nil {
		return opts, err
	}
	if f.bicep {
		opts.Bicep = bicepcli.Find()
	}
	for _, kv := range f.vars {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return opts, usagef("--var %q: want name=value", kv)
		}
		if opts.Terraform.Vars == nil {
			opts.Terraform.Vars = map[string]string{}
		}
		opts.Terraform.Vars[strings.TrimSpace(name)] = value
	}
	for _, p := range f.armParams {
		pf := arm.ParameterFile{Path: p}
		if tmpl, file, ok := strings.Cut(p, "="); ok {
			pf = arm.ParameterFile{Template: tmpl, Path: file}
		}
		if strings.TrimSpace(pf.Path) == "" || (strings.Contains(p, "=") && strings.TrimSpace(pf.Template) == "") {
			return opts, usagef("--arm-parameters %q: want FILE or TEMPLATE=FILE", p)
		}
		if _, err := os.Stat(pf.Path); err != nil {
			return opts, usagef("--arm-parameters: %w", err)
		}
		opts.ARM.Parameters = append(opts.ARM.Parameters, pf)
	}
	return opts, nil
}

func newScanCmd(e *env) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan files and directories for misconfigured function apps",
		Long: `Scan files and directories (default: the current directory) for misconfigured
Azure Function Apps. Directories are walked recursively; every directory with
.tf, .tf.json, .tofu or .tofu.json files is one Terraform (or OpenTofu)
module, every ARM template (a .json or .jsonc file whose $schema is a
deployment template) one ARM module.

When only files are named (as a pre-commit hook names the changed files),
the scan looks for what reads them from the repository root (the directory
holding .git): the Terraform root modules whose module tree includes a named
file's directory (a local module's file changes what every root calling it
sees, directly or through other modules), the root a named .tfvars belongs
to or that is given it with --var-file, the ARM templates a named parameter
file applies to, every template when a .bicep file is named, and the named
ARM templates, plans and Pulumi stack exports. Those are evaluated whole,
and only findings that a named file is part of are reported: the finding's
location, a step of its value trail ("value from", "via"), a related
location (the module call that led to it) or its root. Diagnostics are
kept for named files, errors also elsewhere.

Reports: --format text (default), compact, github, json or sarif, to
stdout or -o FILE; several at once with FORMAT=FILE
(--format sarif=out.sarif --format text). Without --format, an -o ending in
.sarif or .json picks that format.

Exit status: 0 no finding at or above --severity-threshold, 1 findings,
2 usage or fatal error: also a path named here that cannot be read, a
missing --var-file, a scan that read no input at all, or a check that
raised an error. --severity-threshold decides the exit status only; every
finding is still reported (--min-severity filters the report). Undetermined,
suppressed and baselined findings never fail a scan.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			if err := f.applyConfig(cmd, args); err != nil {
				return err
			}
			return scan(cmd.Context(), e, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.formats, "format", nil, "output `format`: text (default), compact, github, json or sarif; FORMAT=FILE writes that one to FILE (repeatable: --format sarif=out.sarif --format text)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` (- for stdout); without --format, a FILE ending in .sarif or .json picks that format")
	fl.StringVar(&f.threshold, "severity-threshold", "low", "lowest `severity` of a finding that fails the scan (exit 1): low, medium, high or critical; decides the exit status only, every finding is still reported")
	fl.StringVar(&f.minSeverity, "min-severity", "low", "lowest `severity` reported: low, medium, high or critical; findings below it are left out of the report but still decide the exit status")
	fl.StringVar(&f.category, "category", "", "SARIF runs[0].automationDetails.id: the code scanning `category` of this run, needed by GitHub when a repository uploads several SARIF files")
	fl.StringSliceVar(&f.enable, "enable", nil, "run these check `IDs` too, incl. opt-in checks (comma-separated, repeatable)")
	fl.StringSliceVar(&f.disable, "disable", nil, "do not run these check `IDs` (comma-separated, repeatable)")
	fl.StringVar(&f.checksDir, "checks-dir", "", "load extra checks from the YAML files in `DIR`, besides the built-in ones")
	fl.BoolVar(&f.showUndetermined, "show-undetermined", false, "also report checks whose outcome depends on values known only at deployment")
	fl.BoolVar(&f.noColor, "no-color", false, "never color the text output (it is colored only on a terminal)")
	fl.BoolVar(&f.noSnippets, "no-snippets", false, "do not print source lines under text findings")
	fl.BoolVar(&f.stats, "stats", false, "count values left unknown because a template function is not supported or could not be evaluated (JSON: in the summary; otherwise on stderr)")
	fl.BoolVar(&f.showSuppressed, "show-suppressed", false, "also print findings an azfuncscan:ignore or a configuration ignore suppresses (JSON and SARIF always list them, marked)")
	fl.StringVar(&f.baselineFile, "baseline", "", "report only findings not recorded in the baseline `FILE` (written by --write-baseline)")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "record every current finding (by fingerprint) in `FILE`; they are then reported as baselined, and later scans with --baseline report only new ones")
	fl.StringVar(&f.configFile, "config", "", "read the configuration from `FILE` (default: "+config.FileName+" in the scanned directory or above, up to the repository root)")
	fl.BoolVar(&f.reportUnusedIgnores, "report-unused-ignores", false, "warn about each check id of an ignore that covers no finding of a check that ran")
	fl.IntVar(&f.findingsInMemory, "findings-in-memory", spoolLimit, "findings held in memory; beyond, they are written, sorted, to temporary files and merged back for the report (memory stays bounded on large scans)")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the scan to `FILE` (go tool pprof reads it)")
	fl.StringVar(&f.memProfile, "memprofile", "", "write a heap profile to `FILE` when the scan ends, after a garbage collection (go tool pprof reads it)")
	fl.StringVar(&f.traceFile, "trace", "", "write an execution trace of the scan to `FILE`, with its phases (load checks, scan modules, write reports) as regions (go tool trace reads it)")
	f.input.register(cmd)
	return cmd
}

// profile starts a CPU profile to cpu and an execution trace to tr (each
// when set) and returns the function that stops them and writes a heap
// profile to mem (when set), after a garbage collection so that it shows
// what is still reachable.
func profile(cpu, mem, tr string) (stop func() error, err error) {
	var cf, tf *os.File
	if tr != "" {
		if tf, err = os.Create(tr); err != nil {
			return nil, fmt.Errorf("--trace: %w", err)
		}
		if err := trace.Start(tf); err != nil {
			_ = tf.Close()
			return nil, fmt.Errorf("--trace: %w", err)
		}
	}
	if cpu != "" {
		if cf, err = os.Create(cpu); err != nil {
			_ = stopTrace(tf)
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
		if err := pprof.StartCPUProfile(cf); err != nil {
			_ = cf.Close()
			_ = stopTrace(tf)
			return nil, fmt.Errorf("--cpuprofile: %w", err)
		}
	}
	return func() error {
		if err := stopTrace(tf); err != nil {
			return fmt.Errorf("--trace: %w", err)
		}
		if cf != nil {
			pprof.StopCPUProfile()
			if err := cf.Close(); err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
		}
		if mem == "" {
			return nil
		}
		mf, err := os.Create(mem)
		if err != nil {
			return fmt.Errorf("--memprofile: %w", err)
		}
		runtime.GC()
		if err := pprof.WriteHeapProfile(mf); err != nil {
			_ = mf.Close()
			return fmt.Errorf("--memprofile: %w", err)
		}
		if err := mf.Close(); err != nil {
			return fmt.Errorf("--memprofile: %w", err)
		}
		return nil
	}, nil
}

// stopTrace stops the execution trace written to f, when there is one,
// and closes f.
func stopTrace(f *os.File) error {
	if f == nil {
		return nil
	}
	trace.Stop()
	return f.Close()
}

func scan(ctx context.Context, e *env, f *scanFlags, paths []string) (err error) {
	defer tuneGC(os.Getenv)()
	stop, err := profile(f.cpuProfile, f.memProfile, f.traceFile)
	if err != nil {
		return err
	}
	defer func() {
		if perr := stop(); perr != nil && err == nil {
			err = perr
		}
	}()
	dests, err := destinations(f.formats, f.output)
	if err != nil {
		return err
	}
	threshold, err := engine.ParseSeverity(f.threshold)
	if err != nil {
		return usagef("--severity-threshold: %w", err)
	}
	minSeverity, err := engine.ParseSeverity(f.minSeverity)
	if err != nil {
		return usagef("--min-severity: %w", err)
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

	// Files named rather than directories (a pre-commit hook's changed
	// files): evaluate what reads them, report what concerns them.
	changed := newChangedFiles(paths)
	walk := paths
	if changed != nil {
		walk, popts.Changed = changed.walkPaths(work), changed.list()
	}
	// The checks compile while the walk lists the input, which does not
	// need them (start-up is a tenth of a small scan); the first module
	// loaded waits for them. A setup error stops the walk and is the
	// scan's error. The phases are regions of an execution trace
	// (--trace).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		eng      *engine.Engine
		pipe     *findingPipeline
		setupErr error
	)
	ready := make(chan struct{})
	go func() {
		defer close(ready)
		defer trace.StartRegion(ctx, "load checks").End()
		if eng, pipe, setupErr = setUpChecks(f, work, base, changed); setupErr != nil {
			cancel()
		}
	}()
	defer func() {
		<-ready
		if pipe == nil {
			return
		}
		if cerr := pipe.spool.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("spool: %w", cerr)
		}
	}()
	// Progress only for people: on a terminal, with only text reports.
	shownAs := report.FormatText
	for _, d := range dests {
		if d.format != report.FormatText {
			shownAs = d.format
		}
	}
	prog := startProgress(e.stderr, e.progressOn(shownAs), progressDelay, progressEvery)
	defer prog.end()
	popts.Progress = func(done, total int) { prog.set("scanning", done, total) }
	// Module by module: each is checked as soon as it is loaded and then
	// dropped, so that memory is bounded by the largest modules, not by
	// the corpus. Only the findings (no model) are kept, and with
	// --report-unused-ignores the files that declare resources.
	var (
		checkDiags  model.Diagnostics
		stats       engine.Stats
		unevaluated model.Stats
		declaring   []string
	)
	// The checks run where each module was loaded, in parallel; the
	// results are gathered in the load's order.
	type checked struct {
		res         *engine.Result
		unevaluated model.Stats
		declaring   []string
		files       []string // the files the findings name (preread)
	}
	// The findings of all modules are kept to the end: the text they have
	// in common (messages, hints, names) is held once.
	var shared engine.Strings
	region := trace.StartRegion(ctx, "scan modules")
	// A SARIF report gives each fix's text changes: they are computed
	// here, from the module's files as parsed, not read and parsed again.
	sarifOut := slices.ContainsFunc(dests, func(d destination) bool { return d.format == report.FormatSARIF })
	loaded, err := parsers.StreamMap(ctx, walk, popts, func(m *model.Module) checked {
		if <-ready; setupErr != nil {
			return checked{res: &engine.Result{}}
		}
		c := checked{res: eng.RunShared(ctx, m, &shared), unevaluated: m.Stats}
		c.files = pipe.preread(m, c.res.Findings)
		if sarifOut {
			report.ResolveFixes(c.res.Findings, parsers.ModuleReplacements(m))
		}
		if f.reportUnusedIgnores {
			c.declaring = resourceFiles(m)
		}
		return c
	}, func(c checked) error {
		if setupErr != nil {
			return setupErr
		}
		if err := pipe.add(c.res.Findings, c.files); err != nil {
			return err
		}
		checkDiags = append(checkDiags, c.res.Diagnostics...)
		stats.Add(c.res.Stats)
		unevaluated.Add(c.unevaluated)
		declaring = append(declaring, c.declaring...)
		return nil
	})
	region.End()
	if <-ready; setupErr != nil {
		return setupErr
	}
	if err != nil {
		return err
	}

	r := &report.Report{
		Tool:             report.Tool{Name: "azfuncscan", Version: version(), InformationURI: informationURI},
		Checks:           eng.Checks(),
		Diagnostics:      append(loaded.Diagnostics, checkDiags...),
		Stats:            stats,
		BaseDir:          base,
		WorkDir:          work,
		Threshold:        threshold,
		MinSeverity:      minSeverity,
		Category:         f.category,
		ShowUndetermined: f.showUndetermined,
		ShowSuppressed:   f.showSuppressed,
		NewFixChanges:    func() func([]model.Edit) ([]model.Replacement, error) { return fixChanges(work) },
	}
	prog.end()
	if err := pipe.finish(r, declaring, f.writeBaseline); err != nil {
		return err
	}
	if changed != nil {
		changed.filterDiagnostics(r)
	}
	if f.stats {
		// JSON carries the counts in its summary; any other format gets
		// them on stderr.
		r.Unevaluated = &unevaluated
		if slices.ContainsFunc(dests, func(d destination) bool { return d.format != report.FormatJSON }) {
			if _, err := fmt.Fprintf(e.stderr, "stats: %d values left unknown by unsupported template functions, %d by evaluation errors\n", unevaluated.Unsupported, unevaluated.Errors); err != nil {
				return fmt.Errorf("stats: %w", err)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("scan: %w", err)
	}

	r.Failed = loaded.Inputs == 0 || loaded.Units == 0 && changed == nil
	defer trace.StartRegion(ctx, "write reports").End()
	if err := writeReports(e, dests, r, report.TextOptions{Snippets: !f.noSnippets}, e.color && !f.noColor); err != nil {
		return err
	}
	// A scan that read nothing must not pass: the report says why (its
	// diagnostics), the exit status says it failed.
	switch {
	case loaded.Inputs == 0:
		return fmt.Errorf("no input: nothing in %s is a Terraform, ARM or Pulumi file", strings.Join(paths, ", "))
	case loaded.Units == 0 && changed == nil:
		return fmt.Errorf("no input: no file found in %s was scanned (the report's diagnostics say why)", strings.Join(paths, ", "))
	}
	if r.Failures() > 0 {
		return errFindings
	}
	if n := r.Stats.Errors; n == 1 {
		// A check that could not be evaluated did not pass.
		return errors.New("1 check evaluation raised an error; the report lists it as a check error")
	} else if n > 1 {
		return fmt.Errorf("%d check evaluations raised an error; the report lists each as a check error", n)
	}
	return nil
}

// loadChecks returns the built-in checks plus those in each dir given.
// setUpChecks loads and compiles the checks the flags select and returns
// the engine that runs them with the pipeline their findings go through.
func setUpChecks(f *scanFlags, work, base string, changed *changedFiles) (*engine.Engine, *findingPipeline, error) {
	all, err := loadChecks(f.checkDirs()...)
	if err != nil {
		return nil, nil, err
	}
	if err := f.cfg.ApplySeverity(all); err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	// Identities (roots, fingerprints) are relative to the repository
	// root, so they do not depend on where the scan was started.
	eng, err := engine.New(all, engine.Options{Enable: f.enable, Disable: f.disable, RepoRoot: base, WorkDir: work})
	if err != nil {
		return nil, nil, fmt.Errorf("checks: %w", err)
	}
	pipe, err := newFindingPipeline(f, eng, work, base, changed)
	if err != nil {
		return nil, nil, err
	}
	return eng, pipe, nil
}

func loadChecks(dirs ...string) ([]*engine.Check, error) {
	all, err := engine.LoadCached(checks.FS(), "checks", checks.Decoded())
	if err != nil {
		return nil, fmt.Errorf("built-in checks: %w", err)
	}
	for _, c := range all {
		if c.HelpURI == "" {
			c.HelpURI = report.CheckDocURL(c.ID)
		}
	}
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		fi, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("checks dir: %w", err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("checks dir %s: not a directory", dir)
		}
		user, err := engine.Load(os.DirFS(dir), dir)
		if err != nil {
			return nil, fmt.Errorf("checks dir %s: %w", dir, err)
		}
		all = append(all, user...)
	}
	return all, nil
}

func newChecksCmd(e *env) *cobra.Command {
	var format, dir string
	cmd := &cobra.Command{
		Use:   "checks [ID...]",
		Short: "List the checks (id, severity, title, formats, enabled by default), or describe the ones named",
		Long: `Without arguments, list every check: id, severity, title, the input formats
it applies to and whether it runs by default. With check ids (any case:
azfunc-040 is AZFUNC-040), print each one's description, remediation for
every format and references.`,
		RunE: func(_ *cobra.Command, args []string) error {
			markdown := strings.EqualFold(strings.TrimSpace(format), "markdown")
			f, err := report.ParseFormat(format)
			if !markdown && (err != nil || (f != report.FormatText && f != report.FormatJSON)) {
				return usagef("--format %q: want text, json or markdown", format)
			}
			all, err := loadChecks(dir)
			if err != nil {
				return err
			}
			if len(args) > 0 {
				if all, err = pickChecks(all, args); err != nil {
					return err
				}
			}
			switch {
			case markdown:
				return report.WriteChecksMarkdown(e.stdout, all)
			case len(args) > 0:
				return report.WriteCheckDetails(e.stdout, all, f)
			}
			return report.WriteChecks(e.stdout, all, f)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `format`: text, json or markdown (the reference documentation, docs/checks.md)")
	cmd.Flags().StringVar(&dir, "checks-dir", "", "also list the checks in the YAML files of `DIR`")
	return cmd
}

// pickChecks returns the checks named by ids (any case), in the order
// named; an id that names no check is a usage error with a suggestion.
func pickChecks(all []*engine.Check, ids []string) ([]*engine.Check, error) {
	var out []*engine.Check
	for _, id := range ids {
		i := slices.IndexFunc(all, func(c *engine.Check) bool { return strings.EqualFold(c.ID, strings.TrimSpace(id)) })
		if i < 0 {
			known := make([]string, len(all))
			for j, c := range all {
				known[j] = c.ID
			}
			return nil, usagef("no check %q%s (azfuncscan checks lists them)", id, didYouMean(strings.ToUpper(strings.TrimSpace(id)), known))
		}
		if !slices.Contains(out, all[i]) {
			out = append(out, all[i])
		}
	}
	return out, nil
}

func newModelCmd(e *env) *cobra.Command {
	var in inputFlags
	cmd := &cobra.Command{
		Use:   "model [PATH...]",
		Short: "Print the normalized model of every function app as JSON (sensitive values redacted)",
		Long: `Print, for every module found below the paths, its format, path and the
normalized view of each function app: the names checks use, each value with
its origin (explicit, default, unknown) and source position. Sensitive values
are redacted. Diagnostics about the input go to stderr. PATH defaults to
the current directory.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			opts, err := in.options()
			if err != nil {
				return err
			}
			loaded, err := parsers.Load(cmd.Context(), args, opts)
			if err != nil {
				return err
			}
			if err := writeDiagnostics(e.stderr, loaded.Diagnostics, args); err != nil {
				return err
			}
			return report.WriteModel(e.stdout, loaded.Modules)
		},
	}
	in.register(cmd)
	return cmd
}

// writeDiagnostics prints diagnostics as the text report does, paths
// relative to the repository root of the scanned paths.
func writeDiagnostics(w io.Writer, diags model.Diagnostics, paths []string) error {
	if len(diags) == 0 {
		return nil
	}
	work, base, err := dirs(paths...)
	if err != nil {
		return err
	}
	return report.WriteDiagnostics(w, &report.Report{Diagnostics: diags, BaseDir: base, WorkDir: work})
}
