package arm_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm"
	"github.com/azfuncscan/azfuncscan/parsers/limits"
)

// TestBicepSourceTrails: with the .bicep sources beside the compiled
// template, a finding's trail runs through Bicep too: the param whose
// default decided, the module's params entry that passed the value, the
// module's param, then the property; the compiled template is a related
// location.
func TestBicepSourceTrails(t *testing.T) {
	dir, res := runFixture(t, "bicep-source/lang2")
	mainBicep := filepath.Join(dir, "main.bicep")
	worker := filepath.Join(dir, "modules", "worker.bicep")

	var https *engine.Finding
	for i := range res.Findings {
		if f := &res.Findings[i]; f.CheckID == "AZFUNC-040" && f.Status == engine.Fail && filepath.Base(f.Range.Filename) == "worker.bicep" {
			https = f
		}
	}
	if https == nil {
		t.Fatal("no AZFUNC-040 finding in modules/worker.bicep")
	}
	sameHops(t, "AZFUNC-040", https.Trail, []string{
		fmt.Sprintf("deployment-parameter httpsOnly main.bicep:%d", lineOf(t, mainBicep, "httpsOnly: false", 1)),
		fmt.Sprintf("parameter parameters('httpsOnly') worker.bicep:%d", lineOf(t, worker, "param httpsOnly bool", 1)),
		fmt.Sprintf("attribute  worker.bicep:%d", lineOf(t, worker, "httpsOnly: httpsOnly", 1)),
	})
	var compiled bool
	for _, r := range https.Related {
		if r.Message == "compiled template resource here" && filepath.Base(r.Range.Filename) == "main.json" {
			compiled = true
		}
	}
	if !compiled {
		t.Errorf("no related location in the compiled template: %+v", https.Related)
	}

	tls := finding(t, res, "AZFUNC-041", engine.Fail)
	sameHops(t, "AZFUNC-041", tls.Trail, []string{
		fmt.Sprintf("parameter parameters('webTls') main.bicep:%d", lineOf(t, mainBicep, "param webTls", 1)),
		fmt.Sprintf("attribute  main.bicep:%d", lineOf(t, mainBicep, "minTlsVersion: webTls", 1)),
	})

	dir1, res1 := runFixture(t, "bicep-source/lang1")
	main1 := filepath.Join(dir1, "main.bicep")
	tls1 := finding(t, res1, "AZFUNC-041", engine.Fail)
	sameHops(t, "AZFUNC-041 (languageVersion 1)", tls1.Trail, []string{
		fmt.Sprintf("parameter parameters('minTls') main.bicep:%d", lineOf(t, main1, "param minTls string = '1.0'", 1)),
		fmt.Sprintf("attribute  main.bicep:%d", lineOf(t, main1, "minTlsVersion: minTls", 1)),
	})
}

// TestBicepSourceTooLarge: a .bicep source beyond the file size limit is
// not read; one diagnostic says so and the findings stay on the compiled
// template's lines.
func TestBicepSourceTooLarge(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("..", "..", "testdata", "arm", "bicep-source", "lang1")
	tmpl, err := os.ReadFile(filepath.Join(src, "main.json"))
	if err != nil {
		t.Fatal(err)
	}
	bicep, err := os.ReadFile(filepath.Join(src, "main.bicep"))
	if err != nil {
		t.Fatal(err)
	}
	limit := int64(len(tmpl)) + 100
	bicep = append(bicep, "\n// "+strings.Repeat("x", int(limit))+"\n"...)
	for name, b := range map[string][]byte{"main.json": tmpl, "main.bicep": bicep} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	load := func(lim limits.Limits) (*model.Module, model.Diagnostics) {
		return arm.LoadFile(context.Background(), filepath.Join(dir, "main.json"), arm.Options{Limits: lim})
	}
	placed := func(mod *model.Module) string {
		if len(mod.FunctionApps) != 1 {
			t.Fatalf("%d function apps", len(mod.FunctionApps))
		}
		return filepath.Base(mod.FunctionApps[0].Range.Filename)
	}
	mod, diags := load(limits.Limits{FileSize: limit})
	var said int
	for _, d := range diags {
		if d.Summary == "Bicep source too large" && strings.Contains(d.Detail, "main.bicep") && d.Range.Start.Line == 1 {
			said++
		}
	}
	if said != 1 {
		t.Errorf("want one too-large diagnostic on main.bicep, got %v", diags)
	}
	if got := placed(mod); got != "main.json" {
		t.Errorf("app placed in %s, want main.json", got)
	}
	// Within the default limit it is read and the app is placed on it.
	mod, diags = load(limits.Limits{})
	if got := placed(mod); got != "main.bicep" || len(diags) != 0 {
		t.Errorf("default limit: app placed in %s (want main.bicep), diagnostics %v", got, diags)
	}
}
