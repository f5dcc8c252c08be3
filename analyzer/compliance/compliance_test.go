package compliance_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/compliance"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func check(id string, mcsb ...string) *engine.Check {
	return &engine.Check{ID: id, MCSB: mcsb}
}

// outcomes builds an app's outcomes from "ID=status" pairs.
func outcomes(root, addr string, pairs ...string) engine.AppOutcome {
	ao := engine.AppOutcome{Root: root, Address: addr, Name: addr + "-name", Type: "azurerm_linux_function_app"}
	for _, p := range pairs {
		id, st, _ := strings.Cut(p, "=")
		s := map[string]engine.Status{"pass": engine.Pass, "fail": engine.Fail, "und": engine.Undetermined, "na": engine.NotApplicable, "err": engine.Error}[st]
		ao.Checks = append(ao.Checks, engine.CheckOutcome{CheckID: id, Status: s})
	}
	return ao
}

func finding(id, root string, st engine.Status, suppressed bool, apps ...string) engine.Finding {
	f := engine.Finding{CheckID: id, Root: root, Status: st, Apps: apps}
	if suppressed {
		f.Suppressed = &model.Ignore{Reason: "accepted"}
	}
	return f
}

// describe renders a row as "STATE[ids]" per control.
func describe(m *compliance.Matrix, row compliance.Row) string {
	var parts []string
	for i, c := range row.Cells {
		s := m.Controls[i].ID + ":" + c.State.String()
		var ids []string
		ids = append(ids, c.Failed...)
		ids = append(ids, c.Undetermined...)
		ids = append(ids, c.Errors...)
		ids = append(ids, c.Suppressed...)
		if len(ids) > 0 {
			s += fmt.Sprint(ids)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestCells(t *testing.T) {
	checks := []*engine.Check{
		check("T-001", "NS-2"), check("T-002", "NS-2"), check("T-003", "DP-3", "NS-2"),
		check("T-004", "IM-8"), check("T-005"), check("T-006", "NS-10"), check("T-007", "BR-1"),
	}
	tests := []struct {
		name     string
		app      engine.AppOutcome
		findings []engine.Finding
		want     string
	}{
		{
			"fail beats undetermined and pass; a check in two controls counts in both",
			outcomes(".", "a", "T-001=fail", "T-002=und", "T-003=fail", "T-004=pass", "T-005=fail", "T-006=na", "T-007=pass"),
			[]engine.Finding{finding("T-001", ".", engine.Fail, false, "a"), finding("T-003", ".", engine.Fail, false, "a")},
			"NS-2:fail[T-001 T-003 T-002] NS-10:n/a IM-8:pass DP-3:fail[T-003] BR-1:pass",
		},
		{
			"undetermined beats pass; an error is undetermined",
			outcomes(".", "a", "T-001=pass", "T-002=und", "T-003=pass", "T-004=err", "T-006=pass", "T-007=na"),
			nil,
			"NS-2:undetermined[T-002] NS-10:pass IM-8:undetermined[T-004] DP-3:pass BR-1:n/a",
		},
		{
			"every failing finding suppressed: pass by suppression; one not suppressed: fail",
			outcomes(".", "a", "T-001=fail", "T-002=pass", "T-003=fail", "T-004=fail", "T-007=fail"),
			[]engine.Finding{
				finding("T-001", ".", engine.Fail, true, "a"),
				finding("T-003", ".", engine.Fail, true, "a", "b"),
				finding("T-003", ".", engine.Undetermined, false, "a"), // not a failure: does not unsuppress
				finding("T-004", ".", engine.Fail, true, "a"),
				finding("T-004", ".", engine.Fail, false, "a"),
				finding("T-007", "other", engine.Fail, true, "a"), // another root's app
			},
			"NS-2:suppressed[T-001 T-003] NS-10:n/a IM-8:fail[T-004] DP-3:suppressed[T-003] BR-1:fail[T-007]",
		},
		{
			"suppression beaten by undetermined",
			outcomes(".", "a", "T-001=fail", "T-002=und"),
			[]engine.Finding{finding("T-001", ".", engine.Fail, true, "a")},
			"NS-2:undetermined[T-002 T-001] NS-10:n/a IM-8:n/a DP-3:n/a BR-1:n/a",
		},
		{
			"checks that did not run decide nothing",
			outcomes(".", "a"),
			nil,
			"NS-2:n/a NS-10:n/a IM-8:n/a DP-3:n/a BR-1:n/a",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := compliance.Build(checks, []engine.AppOutcome{tt.app}, tt.findings)
			if got := describe(m, m.Rows[0]); got != tt.want {
				t.Errorf("row:\n got %s\nwant %s", got, tt.want)
			}
			if !reflect.DeepEqual(m.Unmapped, []string{"T-005"}) {
				t.Errorf("unmapped = %v", m.Unmapped)
			}
		})
	}
}

func TestRowsControlsAndCounts(t *testing.T) {
	checks := []*engine.Check{check("T-010", "BR-1"), check("T-001", "NS-2"), check("T-002", "NS-1"), check("T-003", "PV-6"), check("T-004", "IM-8")}
	apps := []engine.AppOutcome{
		outcomes("envs/prod", "b", "T-001=fail", "T-002=pass", "T-010=na"),
		outcomes("envs/dev", "z", "T-001=pass", "T-002=pass", "T-010=pass"),
		outcomes("envs/dev", "a", "T-001=und", "T-002=fail", "T-010=pass"),
	}
	apps[0].Slot = true
	m := compliance.Build(checks, apps, nil)
	var ids []string
	for _, c := range m.Controls {
		ids = append(ids, c.ID)
	}
	if got := strings.Join(ids, " "); got != "NS-1 NS-2 IM-8 PV-6 BR-1" {
		t.Errorf("controls in %s, want the benchmark's order", got)
	}
	var rows []string
	for _, r := range m.Rows {
		rows = append(rows, r.Root+"//"+r.Address)
	}
	if got := strings.Join(rows, " "); got != "envs/dev//a envs/dev//z envs/prod//b" {
		t.Errorf("rows in %s, want by root and address", got)
	}
	if !m.Rows[2].Slot || m.Rows[2].Name != "b-name" || m.Rows[2].Type != "azurerm_linux_function_app" {
		t.Errorf("row lost the app's identity: %+v", m.Rows[2])
	}
	ns2 := m.Controls[1]
	if ns2.Count[compliance.Pass] != 1 || ns2.Count[compliance.Fail] != 1 || ns2.Count[compliance.Undetermined] != 1 {
		t.Errorf("NS-2 counts = %v", ns2.Count)
	}
	if br1 := m.Controls[4]; br1.Count[compliance.Pass] != 2 || br1.Count[compliance.NotApplicable] != 1 {
		t.Errorf("BR-1 counts = %v", br1.Count)
	}
	if im8 := m.Controls[2]; im8.Count[compliance.NotApplicable] != 3 {
		t.Errorf("IM-8, which no outcome names, counts %v", im8.Count)
	}
}

func TestSlotsFollowTheirApp(t *testing.T) {
	checks := []*engine.Check{check("T-001", "NS-2")}
	slot := outcomes("r", "azurerm_linux_function_app_slot.s", "T-001=pass")
	slot.Slot, slot.Parent = true, "azurerm_linux_function_app.b"
	orphan := outcomes("r", "azurerm_linux_function_app_slot.o", "T-001=pass")
	orphan.Slot, orphan.Parent = true, "azurerm_linux_function_app.gone"
	apps := []engine.AppOutcome{
		slot, orphan,
		outcomes("r", "azurerm_linux_function_app.c", "T-001=pass"),
		outcomes("r", "azurerm_linux_function_app.b", "T-001=pass"),
		outcomes("r", "azurerm_linux_function_app.a", "T-001=pass"),
	}
	m := compliance.Build(checks, apps, nil)
	var order, parents []string
	for i := range m.Rows {
		order = append(order, m.Rows[i].Address[strings.LastIndex(m.Rows[i].Address, ".")+1:])
		parents = append(parents, m.ParentName(&m.Rows[i]))
	}
	if got := strings.Join(order, " "); got != "a b s c o" {
		t.Errorf("rows %s, want a b s c o (slot s after its app b, o by its parent's address)", got)
	}
	want := []string{"", "", "azurerm_linux_function_app.b-name", "", "azurerm_linux_function_app.gone"}
	if !reflect.DeepEqual(parents, want) {
		t.Errorf("parent names %q, want %q", parents, want)
	}
}
