package model

import "testing"

func TestMergeIdentical(t *testing.T) {
	at := func(line int) Range { return Range{Filename: "a.tf", Start: Pos{Line: line}} }
	var ds Diagnostics
	for range 9980 {
		ds = append(ds, Diagnostic{Severity: SevWarning, Summary: "Too many", Detail: "d", Range: at(3)})
	}
	ds = append(ds,
		Diagnostic{Severity: SevWarning, Summary: "Too many", Detail: "d", Range: at(4)},     // elsewhere
		Diagnostic{Severity: SevError, Summary: "Too many", Detail: "d", Range: at(3)},       // other severity
		Diagnostic{Severity: SevWarning, Summary: "Too many", Detail: "other", Range: at(3)}, // other detail: the same
		Diagnostic{Severity: SevWarning, Summary: "Too many", Detail: "d", Range: at(4)},
	)
	got := ds.MergeIdentical()
	want := []string{"Too many (×9,981)", "Too many (×2)", "Too many"}
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics: %v", len(got), got)
	}
	for i, d := range got {
		if d.Summary != want[i] {
			t.Errorf("%d: %q, want %q", i, d.Summary, want[i])
		}
	}
	if got[0].Detail != "d" || got[1].Range.Start.Line != 4 || got[2].Severity != SevError {
		t.Errorf("order or content changed: %v", got)
	}
	for n, want := range map[int]string{1: "s", 2: "s (×2)", 999: "s (×999)", 1000: "s (×1,000)", 1234567: "s (×1,234,567)"} {
		if got := Repeated("s", n); got != want {
			t.Errorf("Repeated(%d) = %q, want %q", n, got, want)
		}
	}
}
