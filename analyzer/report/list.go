package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

type jsonCheck struct {
	ID               string                  `json:"id"`
	Title            string                  `json:"title"`
	Severity         string                  `json:"severity"`
	SecuritySeverity float64                 `json:"security_severity"`
	EnabledByDefault bool                    `json:"enabled_by_default"`
	Formats          []model.Format          `json:"formats"`
	Tags             []string                `json:"tags"`
	MCSB             []string                `json:"mcsb"`
	Description      string                  `json:"description"`
	Remediation      map[model.Format]string `json:"remediation"`
	References       []engine.Reference      `json:"references"`
	Source           string                  `json:"source"`
	Fix              []model.Format          `json:"fix"`      // formats `azfuncscan fix` edits
	FixHint          string                  `json:"fix_hint"` // what to decide when there is no automatic fix
}

// WriteChecks lists checks sorted by id: a table (text) or a JSON array of
// their metadata.
func WriteChecks(w io.Writer, checks []*engine.Check, f Format) error {
	r := &Report{Checks: checks}
	sorted := r.sortedChecks()
	switch f {
	case FormatJSON:
		out := make([]jsonCheck, 0, len(sorted))
		for _, c := range sorted {
			out = append(out, jsonCheck{
				ID: c.ID, Title: c.Title, Severity: string(c.Severity), SecuritySeverity: c.SecuritySeverity,
				EnabledByDefault: c.EnabledByDefault, Formats: nonNil(c.Formats), Tags: nonNil(c.Tags),
				MCSB:        nonNil(c.MCSB),
				Description: c.Description, Remediation: c.Remediation, References: nonNil(c.References),
				Source: c.Source, Fix: nonNil(fixFormats(c)), FixHint: c.FixHint,
			})
		}
		return encodeJSON(w, out)
	case FormatText:
		rows := [][]string{{"ID", "SEVERITY", "TITLE", "FORMATS", "DEFAULT", "MCSB", "FIX"}}
		for _, c := range sorted {
			formats := make([]string, len(c.Formats))
			for i, f := range c.Formats {
				formats[i] = string(f)
			}
			def := "off"
			if c.EnabledByDefault {
				def = "on"
			}
			mcsb := "-"
			if len(c.MCSB) > 0 {
				mcsb = strings.Join(c.MCSB, ",")
			}
			fix := make([]string, 0, 3)
			for _, f := range fixFormats(c) {
				fix = append(fix, string(f))
			}
			if strings.TrimSpace(c.FixHint) != "" {
				fix = append(fix, "hint")
			}
			if len(fix) == 0 {
				fix = append(fix, "-")
			}
			rows = append(rows, []string{c.ID, string(c.Severity), oneLine(c.Title), strings.Join(formats, ","), def, mcsb, strings.Join(fix, ",")})
		}
		if _, err := io.WriteString(w, table(rows)); err != nil {
			return fmt.Errorf("write checks: %w", err)
		}
		return nil
	}
	return fmt.Errorf("checks cannot be listed as %q (want text or json)", f)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type jsonModule struct {
	Format       model.Format  `json:"format"`
	Path         string        `json:"path"`
	FunctionApps []*model.Node `json:"function_apps"`
}

// WriteModel prints the normalized model of each module as JSON: for each
// module its format, path and the view of every function app (with
// sensitive values redacted by the view).
func WriteModel(w io.Writer, modules []*model.Module) error {
	out := struct {
		Modules []jsonModule `json:"modules"`
	}{Modules: make([]jsonModule, 0, len(modules))}
	for _, m := range modules {
		jm := jsonModule{Format: m.Format, Path: filepath.ToSlash(m.Path), FunctionApps: make([]*model.Node, 0, len(m.FunctionApps))}
		for _, app := range m.FunctionApps {
			jm.FunctionApps = append(jm.FunctionApps, model.View(app))
		}
		out.Modules = append(out.Modules, jm)
	}
	return encodeJSON(w, out)
}

// table aligns rows in columns two spaces apart.
func table(rows [][]string) string {
	var width []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// WriteCheckDetails describes checks one after another, sorted by id, for
// `azfuncscan checks ID…`: text (id and title, severity, formats, tags,
// then the description, remediation per format and references, as SARIF
// help shows them) or JSON (the metadata WriteChecks lists).
func WriteCheckDetails(w io.Writer, checks []*engine.Check, f Format) error {
	if f == FormatJSON {
		return WriteChecks(w, checks, f)
	}
	if f != FormatText {
		return fmt.Errorf("checks cannot be described as %q (want text or json)", f)
	}
	r := &Report{Checks: checks}
	var b strings.Builder
	for i, c := range r.sortedChecks() {
		if i > 0 {
			b.WriteString("\n")
		}
		formats := make([]string, len(c.Formats))
		for i, f := range c.Formats {
			formats[i] = string(f)
		}
		fmt.Fprintf(&b, "%s  %s\n", c.ID, oneLine(c.Title))
		enabled := "enabled by default"
		if !c.EnabledByDefault {
			enabled = "opt-in (--enable " + c.ID + ")"
		}
		fmt.Fprintf(&b, "severity: %s (security-severity %s), %s, formats: %s\n",
			c.Severity, securitySeverity(c), enabled, strings.Join(formats, ", "))
		if len(c.Tags) > 0 {
			fmt.Fprintf(&b, "tags: %s\n", strings.Join(c.Tags, ", "))
		}
		if len(c.MCSB) > 0 {
			fmt.Fprintf(&b, "MCSB controls: %s\n", strings.Join(c.MCSB, ", "))
		}
		text, _ := helpTexts(c)
		b.WriteString("\n" + text + "\n")
		if c.HelpURI != "" {
			fmt.Fprintf(&b, "\nDocumentation: %s\n", c.HelpURI)
		}
		if c.Source != "" {
			fmt.Fprintf(&b, "Defined in: %s\n", filepath.ToSlash(c.Source))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write checks: %w", err)
	}
	return nil
}
