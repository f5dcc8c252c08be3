package limits

import (
	"sync"
	"testing"
)

func TestDefaultsAndOverrides(t *testing.T) {
	var d Limits
	if d.MaxHCLDepth() != HCLDepth || d.MaxJSONDepth() != JSONDepth || d.MaxInstances(Terraform) != Instances ||
		d.MaxInstances(ARM) != ARMInstances || d.MaxEvalBudget() != EvalBudget || d.MaxScanEvalBudget() != ScanEvalBudget ||
		d.MaxDiagnosticsPerFile() != DiagnosticsPerFile {
		t.Errorf("zero Limits do not give the defaults: %+v", d)
	}
	for f, want := range map[Format]int64{Terraform: TerraformFileSize, Plan: PlanFileSize, ARM: ARMFileSize, Pulumi: PulumiFileSize} {
		if got := d.MaxFileSize(f); got != want {
			t.Errorf("MaxFileSize(%d) = %d, want %d", f, got, want)
		}
	}
	l := Limits{FileSize: 5, Instances: 7, EvalBudget: 100, ScanEvalBudget: 10}
	for _, f := range []Format{Terraform, Plan, ARM, Pulumi} {
		if l.MaxFileSize(f) != 5 || l.MaxInstances(f) != 7 {
			t.Errorf("format %d: FileSize and Instances apply to every format", f)
		}
	}
	if l.MaxScanEvalBudget() != 100 {
		t.Errorf("scan budget %d below one tree's %d", l.MaxScanEvalBudget(), l.MaxEvalBudget())
	}
	if Bytes(10<<20) != "10 MiB" || Bytes(3<<10) != "3 KiB" || Bytes(1000) != "1000 bytes" {
		t.Error("Bytes")
	}
}

func TestBudget(t *testing.T) {
	var nilBudget *Budget
	if !nilBudget.Charge(1<<40) || nilBudget.Exhausted() || nilBudget.Report() {
		t.Error("a nil budget spends nothing and never runs out")
	}
	b := NewBudget(Limits{EvalBudget: 1000, ScanEvalBudget: 1000})
	var wg sync.WaitGroup
	reports := make(chan bool, 100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.Charge(20)
			reports <- b.Exhausted() && b.Report()
		}()
	}
	wg.Wait()
	close(reports)
	n := 0
	for r := range reports {
		if r {
			n++
		}
	}
	if !b.Exhausted() || n != 1 {
		t.Errorf("2000 charged of 1000: exhausted %v, reported %d times, want once", b.Exhausted(), n)
	}
}
