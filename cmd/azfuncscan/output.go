package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

// stdoutName is the file name that means standard output (-o -,
// --format json=-).
const stdoutName = "-"

// destination is one report to write: a format and where to.
type destination struct {
	format report.Format
	// path is the file to write, or stdoutName.
	path string
}

// destinations resolves --format (repeatable, NAME or NAME=FILE) and -o:
// a format without its own file is written to -o, or to stdout without
// one. Without --format, an -o ending in .sarif or .json picks that
// format, else text. Two reports cannot share a destination.
func destinations(formats []string, output string) ([]destination, error) {
	if len(formats) == 0 {
		f := report.FormatText
		switch strings.ToLower(filepath.Ext(output)) {
		case ".sarif":
			f = report.FormatSARIF
		case ".json":
			f = report.FormatJSON
		}
		formats = []string{string(f)}
	}
	if output == "" {
		output = stdoutName
	}
	var out []destination
	used := map[string]report.Format{}
	toOutput := 0
	for _, v := range formats {
		name, file, named := strings.Cut(v, "=")
		f, err := report.ParseFormat(name)
		if err != nil {
			return nil, usagef("--format: %w", err)
		}
		if named && strings.TrimSpace(file) == "" {
			return nil, usagef("--format %q: want FORMAT or FORMAT=FILE", v)
		}
		if !named {
			file = output
			toOutput++
		}
		key := file
		if key != stdoutName {
			if abs, err := filepath.Abs(file); err == nil {
				key = abs
			}
		}
		if prev, ok := used[key]; ok {
			where := "standard output"
			if file != stdoutName {
				where = file
			}
			return nil, usagef("--format: %s and %s would both be written to %s; give each its own file (--format %s=FILE)", prev, f, where, f)
		}
		used[key] = f
		out = append(out, destination{format: f, path: file})
	}
	if toOutput == 0 && output != stdoutName {
		return nil, usagef("-o %s: every --format names its own file; -o applies to a format given without one", output)
	}
	return out, nil
}

// writeReports writes r to every destination. Text is colored only when
// written to standard output and color is on. Every destination is
// attempted; the errors are joined.
func writeReports(e *env, dests []destination, r *report.Report, opts report.TextOptions, color bool) error {
	var errs []error
	for _, d := range dests {
		o := opts
		if d.path == stdoutName {
			o.Color = color
			if err := report.Write(e.stdout, d.format, r, o); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		o.Color = false
		if err := writeReportFile(d.path, d.format, r, o); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func writeReportFile(path string, f report.Format, r *report.Report, opts report.TextOptions) (err error) {
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	defer func() {
		if cerr := file.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("output %s: %w", path, cerr)
		}
	}()
	return report.Write(file, f, r, opts)
}
