package main

import (
	"fmt"
	"os"

	"github.com/azfuncscan/azfuncscan/analyzer/baseline"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
)

// applyBaseline writes the findings to --write-baseline, then leaves out
// of the report the findings the baseline holds (--baseline, or the one
// just written, which holds every current finding).
func applyBaseline(r *report.Report, f *scanFlags) (err error) {
	var b *baseline.File
	switch {
	case f.writeBaseline != "":
		b = baseline.New(baseline.Tool{Name: r.Tool.Name, Version: r.Tool.Version}, r.Findings)
		file, err := os.Create(f.writeBaseline)
		if err != nil {
			return fmt.Errorf("--write-baseline: %w", err)
		}
		defer func() {
			if cerr := file.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("--write-baseline: %w", cerr)
			}
		}()
		if err := b.Write(file); err != nil {
			return err
		}
	case f.baselineFile != "":
		if b, err = baseline.Read(f.baselineFile); err != nil {
			return err
		}
	default:
		return nil
	}
	r.Findings, r.Baselined = b.Filter(r.Findings)
	return nil
}
