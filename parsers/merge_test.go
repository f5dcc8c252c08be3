package parsers

import (
	"strings"
	"testing"
)

// Issue 13: a diagnostic met once per instance of a module is reported
// once, with a count.
func TestIdenticalDiagnosticsMerged(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"main.tf":   normalApp + "module \"m\" {\n  source = \"./m\"\n  count  = 5\n}\n",
		"m/main.tf": "resource \"azurerm_storage_account\" \"s\" {\n  for_each = 5\n}\n",
	})
	res := loadBeside(t, dir, Options{})
	requireNormalApp(t, res)
	ds := diagsFor(res, dir, "m/main.tf")
	if len(ds) != 1 || !strings.HasSuffix(ds[0].Summary, " (×5)") {
		t.Errorf("want one diagnostic counted (×5), got %v", ds)
	}
}
