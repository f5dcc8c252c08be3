package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/azfuncscan/azfuncscan/analyzer/config"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// applyConfig reads the configuration file (--config, or the one found
// upward from the first path) and fills in every setting not given as a
// flag. --enable and --disable override it check by check: a check the
// command line enables is no longer disabled by the file, and the other
// way round.
func (f *scanFlags) applyConfig(cmd *cobra.Command, paths []string) error {
	path := f.configFile
	if path == "" {
		found, err := config.Find(paths[0])
		if err != nil || found == "" {
			return err
		}
		path = found
	}
	cfg, err := config.Load(displayPath(path))
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && f.configFile != "" {
			return usageError{err: fmt.Errorf("--config: %w", err), cmd: cmd.CommandPath()}
		}
		return err
	}
	changed := cmd.Flags().Changed
	if !changed("severity-threshold") && cfg.Threshold != "" {
		f.threshold = string(cfg.Threshold)
	}
	if !changed("min-severity") && cfg.MinSeverity != "" {
		f.minSeverity = string(cfg.MinSeverity)
	}
	f.enable, f.disable = overrideIDs(cfg.Enable, cfg.Disable, f.enable, f.disable)
	if !changed("checks-dir") {
		f.cfgDirs = cfg.ChecksDirs
	}
	if !changed("var-file") {
		f.input.varFiles = cfg.VarFiles
	}
	if !changed("arm-parameters") {
		f.input.armParams = cfg.ARMParameters
	}
	f.cfg = cfg
	return nil
}

// overrideIDs merges the configuration's enable/disable lists with the
// command line's: the command line wins for each id it names.
func overrideIDs(cfgOn, cfgOff, flagOn, flagOff []string) (on, off []string) {
	named := func(list []string, id string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), id) })
	}
	for _, id := range cfgOn {
		if !named(flagOff, id) {
			on = append(on, id)
		}
	}
	for _, id := range cfgOff {
		if !named(flagOn, id) {
			off = append(off, id)
		}
	}
	return append(on, flagOn...), append(off, flagOff...)
}

// checkDirs are the directories of extra checks: --checks-dir, else the
// configuration's.
func (f *scanFlags) checkDirs() []string {
	if f.checksDir != "" {
		return []string{f.checksDir}
	}
	return f.cfgDirs
}

// configIgnores returns the configuration's ignores (none without one).
func configIgnores(c *config.Config) []model.Ignore {
	if c == nil {
		return nil
	}
	return c.Ignores
}

// displayPath makes a path relative to the working directory when it is
// below it, for messages and reports.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

func newInitCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented default " + config.FileName + " (never overwrites one)",
		Long: `Write ` + config.FileName + ` to DIR (default: the current directory): every
setting, commented out and explained, so the file changes nothing until
edited. An existing file is left alone.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			path := filepath.Join(dir, config.FileName)
			file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644) //nolint:gosec // a configuration file is meant to be read by everyone
			if err != nil {
				if errors.Is(err, fs.ErrExist) {
					return fmt.Errorf("init: %s already exists; not overwritten", path)
				}
				return fmt.Errorf("init: %w", err)
			}
			_, werr := file.WriteString(config.Template())
			if cerr := file.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				return fmt.Errorf("init: %w", werr)
			}
			_, err = fmt.Fprintf(e.stdout, "wrote %s\n", path)
			return err
		},
	}
}
