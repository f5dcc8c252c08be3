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
	"github.com/azfuncscan/azfuncscan/checks"
)

// runFixture loads a fixture directory under testdata/arm and runs the
// built-in checks on it.
func runFixture(t *testing.T, name string) (string, *engine.Result) {
	t.Helper()
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.New(all, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "testdata", "arm", name)
	m, diags := loadDir(dir)
	for _, d := range diags {
		if d.Severity == model.SevError {
			t.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
	return dir, eng.Run(context.Background(), m)
}

// finding returns the one finding of a check with the given status.
func finding(t *testing.T, res *engine.Result, check string, st engine.Status) engine.Finding {
	t.Helper()
	var out []engine.Finding
	for i := range res.Findings {
		if f := &res.Findings[i]; f.CheckID == check && f.Status == st {
			out = append(out, *f)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d %s findings of %s, want 1: %+v", len(out), st, check, out)
	}
	return out[0]
}

// lineOf returns the line of file that holds the n-th (1-based)
// occurrence of text.
func lineOf(t *testing.T, file, text string, n int) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, text) {
			n--
			if n == 0 {
				return i + 1
			}
		}
	}
	t.Fatalf("%s: %q not found", file, text)
	return 0
}

// hopText renders hops as kind name file:line for comparison.
func hopText(hops []model.Hop) []string {
	out := make([]string, len(hops))
	for i, h := range hops {
		out[i] = fmt.Sprintf("%s %s %s:%d", h.Kind, h.Name, filepath.Base(h.Range.Filename), h.Range.Start.Line)
	}
	return out
}

func sameHops(t *testing.T, what string, got []model.Hop, want []string) {
	t.Helper()
	g := hopText(got)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s trail:\n got %s\nwant %s", what, strings.Join(g, "\n     "), strings.Join(want, "\n     "))
	}
}

// TestParameterFileTrail: a value set in the parameter file, passed
// through a variable and a nested deployment's parameter, carries every
// place it passed, origin first; a default value starts at its
// defaultValue.
func TestParameterFileTrail(t *testing.T) {
	dir, res := runFixture(t, "parameter-file-trail")
	tpl := filepath.Join(dir, "azuredeploy.json")
	params := filepath.Join(dir, "azuredeploy.parameters.json")

	https := finding(t, res, "AZFUNC-040", engine.Fail)
	sameHops(t, "AZFUNC-040", https.Trail, []string{
		fmt.Sprintf("parameter-file httpsOnly azuredeploy.parameters.json:%d", lineOf(t, params, `"value": false`, 1)),
		fmt.Sprintf("parameter parameters('httpsOnly') azuredeploy.json:%d", lineOf(t, tpl, `"httpsOnly": {`, 1)),
		fmt.Sprintf("variable variables('site').https azuredeploy.json:%d", lineOf(t, tpl, `"https": "[parameters('httpsOnly')]"`, 1)),
		fmt.Sprintf("deployment-parameter https azuredeploy.json:%d", lineOf(t, tpl, `"value": "[variables('site').https]"`, 1)),
		fmt.Sprintf("parameter parameters('https') azuredeploy.json:%d", lineOf(t, tpl, `"https": {`, 2)),
		fmt.Sprintf("attribute  azuredeploy.json:%d", lineOf(t, tpl, `"httpsOnly": "[parameters('https')]"`, 1)),
	})

	tls := finding(t, res, "AZFUNC-041", engine.Fail)
	sameHops(t, "AZFUNC-041", tls.Trail, []string{
		fmt.Sprintf("parameter parameters('minTlsVersion') azuredeploy.json:%d", lineOf(t, tpl, `"defaultValue": "1.0"`, 1)),
		fmt.Sprintf("deployment-parameter tls azuredeploy.json:%d", lineOf(t, tpl, `"value": "[parameters('minTlsVersion')]"`, 1)),
		fmt.Sprintf("parameter parameters('tls') azuredeploy.json:%d", lineOf(t, tpl, `"tls": {`, 2)),
		fmt.Sprintf("attribute  azuredeploy.json:%d", lineOf(t, tpl, `"minTlsVersion": "[parameters('tls')]"`, 1)),
	})
}
