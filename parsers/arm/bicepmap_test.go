package arm_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
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
