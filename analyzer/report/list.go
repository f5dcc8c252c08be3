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
	Description      string                  `json:"description"`
	Remediation      map[model.Format]string `json:"remediation"`
	References       []engine.Reference      `json:"references"`
	Source           string                  `json:"source"`
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
				Description: c.Description, Remediation: c.Remediation, References: nonNil(c.References),
				Source: c.Source,
			})
		}
		return encodeJSON(w, out)
	case FormatText:
		rows := [][]string{{"ID", "SEVERITY", "TITLE", "FORMATS", "DEFAULT"}}
		for _, c := range sorted {
			formats := make([]string, len(c.Formats))
			for i, f := range c.Formats {
				formats[i] = string(f)
			}
			def := "off"
			if c.EnabledByDefault {
				def = "on"
			}
			rows = append(rows, []string{c.ID, string(c.Severity), oneLine(c.Title), strings.Join(formats, ","), def})
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
