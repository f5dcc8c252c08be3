package suppress

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func at(file string, line int) model.Range {
	return model.Range{Filename: file, Start: model.Pos{Line: line, Column: 1}, End: model.Pos{Line: line, Column: 40}}
}

func lines(file string, first, last int) model.Range {
	return model.Range{Filename: file, Start: model.Pos{Line: first}, End: model.Pos{Line: last}}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// now is the fixed clock of these tests.
var now = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func findings() []engine.Finding {
	return []engine.Finding{
		{ // 0: written in the module, value from the root's module argument
			CheckID: "AZFUNC-040", Resource: "module.legacy.azurerm_linux_function_app.this", Root: "envs/dev",
			Range: at("modules/app/main.tf", 30),
			Trail: []model.Hop{{Kind: model.HopModuleArgument, Range: at("envs/dev/main.tf", 12)}, {Kind: model.HopAttribute, Range: at("modules/app/main.tf", 30)}},
		},
		{ // 1: defaulted on the block; the module call is related
			CheckID: "AZFUNC-052", Resource: "module.legacy.azurerm_linux_function_app.this", Root: "envs/dev",
			Range:   lines("modules/app/main.tf", 23, 44),
			Related: []engine.Related{{Range: at("envs/dev/main.tf", 10), Message: "module.legacy is called here"}},
		},
		{ // 2: value from a tfvars file
			CheckID: "AZFUNC-041", Resource: "azurerm_linux_function_app.api", Root: "envs/prod",
			Range: at("envs/prod/main.tf", 8),
			Trail: []model.Hop{{Kind: model.HopVarFile, Range: at("envs/prod/terraform.tfvars", 3)}, {Kind: model.HopVariable, Range: at("envs/prod/variables.tf", 1)}},
		},
		{ // 3: nothing covers it
			CheckID: "AZFUNC-001", Resource: "azurerm_linux_function_app.api", Root: "envs/prod",
			Range: at("envs/prod/main.tf", 9),
		},
	}
}

func suppressed(fs []engine.Finding) []string {
	var out []string
	for i := range fs {
		if f := &fs[i]; f.Suppressed != nil {
			out = append(out, fmt.Sprintf("%s by %s:%d (%s)", f.CheckID, f.Suppressed.At.Filename, f.Suppressed.At.Start.Line, f.Suppressed.Kind()))
		}
	}
	return out
}

func diagLines(ds model.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s:%d: %s: %s: %s", d.Range.Filename, d.Range.Start.Line, d.Severity, d.Summary, d.Detail))
	}
	return out
}

func TestInSourceLocations(t *testing.T) {
	fs := findings()
	igs := []model.Ignore{
		// above the module block in the root: covers the argument hop of 0
		{Checks: []string{"AZFUNC-040"}, Reason: "r", At: at("envs/dev/main.tf", 9), Scope: lines("envs/dev/main.tf", 10, 14)},
		// the same lines, other check: covers the related module call of 1
		{Checks: []string{"azfunc-052"}, Reason: "r", At: at("envs/dev/main.tf", 8), Scope: lines("envs/dev/main.tf", 10, 14)},
		// above the tfvars assignment: covers the trail of 2
		{Checks: []string{"AZFUNC-041"}, Reason: "r", At: at("./envs/prod/terraform.tfvars", 2), Scope: lines("./envs/prod/terraform.tfvars", 3, 3)},
		// right file, wrong lines
		{Checks: []string{"AZFUNC-001"}, Reason: "r", At: at("envs/prod/main.tf", 1), Scope: lines("envs/prod/main.tf", 2, 8)},
	}
	diags := Apply(fs, igs, Options{Now: now})
	want := []string{
		"AZFUNC-040 by envs/dev/main.tf:9 (inSource)",
		"AZFUNC-052 by envs/dev/main.tf:8 (inSource)",
		"AZFUNC-041 by ./envs/prod/terraform.tfvars:2 (inSource)",
	}
	if diff := cmp.Diff(want, suppressed(fs)); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diagLines(diags))
	}
}

func TestDiagnostics(t *testing.T) {
	fs := findings()
	igs := []model.Ignore{
		// no reason: a warning, still applies
		{Checks: []string{"AZFUNC-040"}, At: at("modules/app/main.tf", 29), Scope: lines("modules/app/main.tf", 30, 30)},
		// expires today: a note, no longer applies
		{Checks: []string{"AZFUNC-052"}, Reason: "r", Expires: day("2026-03-15"), At: at("modules/app/main.tf", 22), Scope: lines("modules/app/main.tf", 23, 44)},
		// expires tomorrow: applies
		{Checks: []string{"AZFUNC-041"}, Reason: "r", Expires: day("2026-03-16"), At: at("envs/prod/main.tf", 7), Scope: lines("envs/prod/main.tf", 8, 8)},
		// covers AZFUNC-001 but names 009 (ran) and 999 (unknown) too
		{Checks: []string{"AZFUNC-001", "AZFUNC-009", "AZFUNC-999", "AZFUNC-065"}, Reason: "r", At: at("envs/prod/main.tf", 5), Scope: lines("envs/prod/main.tf", 9, 9)},
	}
	opts := Options{
		Now:    now,
		Known:  func(id string) bool { return id != "AZFUNC-999" },
		Active: func(id string) bool { return id != "AZFUNC-999" && id != "AZFUNC-065" },
	}
	diags := Apply(fs, igs, opts)
	wantSup := []string{
		"AZFUNC-040 by modules/app/main.tf:29 (inSource)",
		"AZFUNC-041 by envs/prod/main.tf:7 (inSource)",
		"AZFUNC-001 by envs/prod/main.tf:5 (inSource)",
	}
	if diff := cmp.Diff(wantSup, suppressed(fs)); diff != "" {
		t.Errorf("suppressed (-want +got):\n%s", diff)
	}
	want := []string{
		"modules/app/main.tf:29: warning: Ignore without a reason: azfuncscan:ignore[AZFUNC-040] gives no reason; say why the finding is acceptable (it still applies)",
		"modules/app/main.tf:22: info: Expired ignore: azfuncscan:ignore[AZFUNC-052] expired on 2026-03-15 and no longer applies",
		"envs/prod/main.tf:5: warning: Ignore of an unknown check: azfuncscan:ignore[AZFUNC-001,AZFUNC-009,AZFUNC-999,AZFUNC-065]: no loaded check is AZFUNC-999",
	}
	if diff := cmp.Diff(want, diagLines(diags)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}

	// With ReportUnused, AZFUNC-009 (ran, covered nothing) is reported;
	// AZFUNC-065 did not run, so whether it is needed cannot be told.
	fs = findings()
	opts.ReportUnused = true
	diags = Apply(fs, igs, opts)
	unused := []string{}
	for _, l := range diagLines(diags) {
		if strings.Contains(l, "Unused ignore") {
			unused = append(unused, l)
		}
	}
	wantUnused := []string{"envs/prod/main.tf:5: warning: Unused ignore: azfuncscan:ignore[AZFUNC-001,AZFUNC-009,AZFUNC-999,AZFUNC-065] covers no finding of AZFUNC-009; remove it"}
	if diff := cmp.Diff(wantUnused, unused); diff != "" {
		t.Errorf("unused (-want +got):\n%s", diff)
	}
}

func TestExternal(t *testing.T) {
	cfg := at("/repo/.azfuncscan.yaml", 3)
	for _, tt := range []struct {
		name string
		ig   model.Ignore
		want []string
	}{
		{"resource glob", model.Ignore{Checks: []string{"*"}, Resource: "module.legacy.*"}, []string{"AZFUNC-040", "AZFUNC-052"}},
		{"path glob on a trail file", model.Ignore{Checks: []string{"AZFUNC-04?"}, Path: "envs/prod/*.tfvars"}, []string{"AZFUNC-041"}},
		{"path glob on a directory", model.Ignore{Checks: []string{"*"}, Path: "modules/app"}, []string{"AZFUNC-040", "AZFUNC-052"}},
		{"root glob", model.Ignore{Checks: []string{"AZFUNC-001", "AZFUNC-041"}, Root: "envs/prod"}, []string{"AZFUNC-041", "AZFUNC-001"}},
		{"all must match", model.Ignore{Checks: []string{"*"}, Root: "envs/prod", Resource: "module.*"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fs := findings()
			ig := tt.ig
			ig.External, ig.Reason, ig.At, ig.Base = true, "r", cfg, "/repo"
			Apply(fs, []model.Ignore{ig}, Options{Now: now, WorkDir: "/repo"})
			var got []string
			for _, f := range fs {
				if f.Suppressed != nil {
					got = append(got, f.CheckID)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("suppressed (-want +got):\n%s", diff)
			}
		})
	}
}

// An in-source ignore wins over an external one given first.
func TestInSourceFirst(t *testing.T) {
	fs := findings()
	igs := []model.Ignore{
		{Checks: []string{"*"}, Reason: "cfg", External: true, At: at(".azfuncscan.yaml", 2)},
		{Checks: []string{"AZFUNC-001"}, Reason: "src", At: at("envs/prod/main.tf", 8), Scope: lines("envs/prod/main.tf", 9, 9)},
	}
	Apply(fs, igs, Options{Now: now, ReportUnused: true})
	if r := fs[3].Suppressed; r == nil || r.Reason != "src" {
		t.Errorf("AZFUNC-001 suppressed by %+v, want the in-source ignore", r)
	}
}
