package analyzertest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/analyzertest"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
)

// recorder stands in for *testing.T to observe the helper's failures.
type recorder struct {
	errors []string
}

func (r *recorder) Helper()             {}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Errorf(f string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(f, args...))
}

func builtin(t *testing.T) *engine.Engine {
	t.Helper()
	cs, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(cs, engine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func rng(file string, line int) model.Range {
	return model.Range{Filename: file, Start: model.Pos{Line: line, Column: 3}, End: model.Pos{Line: line, Column: 30}}
}

// hardened returns an app whose every value the built-in checks read is
// explicit and secure, declared at line l of file.
func hardened(file, addr, typ string, l int) *model.FunctionApp {
	r := rng(file, l)
	a := &model.FunctionApp{Resource: model.Resource{Address: addr, Type: typ, Range: r}}
	a.Name = model.Set("func", r, addr)
	a.Flavor = model.Set("linux", r, addr)
	a.PublicNetworkAccess = model.Set(false, r, addr)
	a.HTTPSOnly = model.Set(true, r, addr)
	a.FTPBasicAuth = model.Set(false, r, addr)
	a.SCMBasicAuth = model.Set(false, r, addr)
	a.Identity.Type = model.Set("SystemAssigned", r, addr)
	a.SiteConfig.MinTLSVersion = model.Set("1.2", r, addr)
	a.SiteConfig.FTPSState = model.Set("Disabled", r, addr)
	a.SiteConfig.RemoteDebugging = model.Set(false, r, addr)
	a.Auth.Enabled = model.Set(true, r, addr)
	a.Auth.AnonymousAllowed = model.Set(false, r, addr)
	a.Auth.RequireHTTPS = model.Set(true, r, addr)
	a.AdminIsolation = model.Set(true, r, addr)
	a.FunctionKeysStorage = model.Set("keyvault", r, addr)
	a.FunctionKeysVault = model.Set(true, r, addr)
	a.ClientCertEnabled = model.Set(true, r, addr)
	a.ClientCertMode = model.Set("Required", r, addr)
	known := model.Meta{Range: r, Origin: model.Explicit, Resource: addr}
	a.SiteConfig.CORS.AllowedOrigins.Meta = known
	a.AppSettings.Meta = known
	a.ConnectionStrings.Meta = known
	a.DiagnosticSettings = model.List[*model.DiagnosticSetting]{Items: []*model.DiagnosticSetting{{}}, Meta: known}
	return a
}

// fakeLoader mirrors the fixtures under testdata; prefix is how it names
// files (relative to dir, with dir, or absolute). extra adds a finding
// nobody expects; drop removes one that is expected.
func fakeLoader(t *testing.T, prefix func(dir, file string) string, extra, drop bool, diags model.Diagnostics) analyzertest.Loader {
	return func(dir string) (*model.Module, model.Diagnostics) {
		switch filepath.Base(dir) {
		case "tf":
			f := prefix(dir, "main.tf")
			a := hardened(f, "azurerm_linux_function_app.a", "azurerm_linux_function_app", 2)
			if !drop {
				a.HTTPSOnly = model.Set(false, rng(f, 4), a.Address)
			}
			a.SiteConfig.MinTLSVersion = model.Unresolved[string](rng(f, 7), a.Address, "var.tls has no value")
			a.SiteConfig.RemoteDebugging = model.Set(true, rng(f, 8), a.Address)
			if extra {
				a.SCMBasicAuth = model.Defaulted(true, rng(f, 2), a.Address, "")
			}
			return &model.Module{Format: model.Terraform, Path: dir, FunctionApps: []*model.FunctionApp{a}}, diags
		case "arm":
			f := prefix(dir, "nested/azuredeploy.json")
			a := hardened(f, "Microsoft.Web/sites/func-b", "Microsoft.Web/sites", 3)
			a.HTTPSOnly = model.Set(false, rng(f, 8), a.Address)
			return &model.Module{Format: model.ARM, Path: dir, FunctionApps: []*model.FunctionApp{a}}, diags
		}
		t.Fatalf("no fake module for %s", dir)
		return nil, nil
	}
}

func relative(_, file string) string { return file }
func withDir(dir, file string) string {
	return filepath.ToSlash(filepath.Join(dir, file))
}

func absolute(dir, file string) string {
	abs, err := filepath.Abs(filepath.Join(dir, file))
	if err != nil {
		panic(err)
	}
	return filepath.ToSlash(abs)
}

var tfvarsDiag = model.Diagnostics{{Severity: model.SevError, Summary: "cannot read dev.tfvars", Range: model.Range{Filename: "dev.tfvars"}}}

func TestPassingFixtures(t *testing.T) {
	e := builtin(t)
	for name, prefix := range map[string]func(string, string) string{"relative": relative, "with dir": withDir, "absolute": absolute} {
		t.Run(name, func(t *testing.T) {
			for _, dir := range []string{"testdata/tf", "testdata/arm"} {
				r := &recorder{}
				res := analyzertest.Run(r, dir, fakeLoader(t, prefix, false, false, tfvarsDiagFor(dir)), e)
				if len(r.errors) > 0 {
					t.Errorf("%s: unexpected failures:\n%s", dir, strings.Join(r.errors, "\n"))
				}
				if res == nil || len(res.Findings) == 0 {
					t.Errorf("%s: no result", dir)
				}
			}
		})
	}
	// The real *testing.T works too.
	analyzertest.Run(t, "testdata/arm", fakeLoader(t, relative, false, false, nil), e)
}

func tfvarsDiagFor(dir string) model.Diagnostics {
	if filepath.Base(dir) == "tf" {
		return tfvarsDiag
	}
	return nil
}

func TestReportsMissingAndUnexpected(t *testing.T) {
	e := builtin(t)
	r := &recorder{}
	analyzertest.Run(r, "testdata/tf", fakeLoader(t, relative, true, true, tfvarsDiag), e)
	if len(r.errors) != 1 {
		t.Fatalf("failures: %q", r.errors)
	}
	msg := r.errors[0]
	for _, want := range []string{
		"missing (expected, not reported):\n\tmain.tf:4: AZFUNC-040",
		"unexpected (reported, not expected):\n\tmain.tf:2: AZFUNC-025 fail: Function app func accepts SCM/WebDeploy",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("failure message lacks %q:\n%s", want, msg)
		}
	}
}

func TestDiagnostics(t *testing.T) {
	e := builtin(t)
	// An error diagnostic nobody expects fails the test.
	r := &recorder{}
	other := model.Diagnostics{{Severity: model.SevError, Summary: "syntax error in main.tf", Range: rng("main.tf", 1)}}
	analyzertest.Run(r, "testdata/arm", fakeLoader(t, relative, false, false, other), e)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "unexpected error") || !strings.Contains(r.errors[0], "syntax error in main.tf") {
		t.Errorf("failures: %q", r.errors)
	}
	// An expected diagnostic that does not come fails the test.
	r = &recorder{}
	analyzertest.Run(r, "testdata/tf", fakeLoader(t, relative, false, false, nil), e)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], `expected a diagnostic containing "cannot read dev.tfvars"`) {
		t.Errorf("failures: %q", r.errors)
	}
	// A check error (an evaluation that raised one) fails the test too.
	r = &recorder{}
	load := fakeLoader(t, relative, false, false, nil)
	analyzertest.Run(r, "testdata/arm", func(dir string) (*model.Module, model.Diagnostics) {
		m, d := load(dir)
		m.FunctionApps[0].SiteConfig.MinTLSVersion = model.Set("latest", rng("nested/azuredeploy.json", 5), m.FunctionApps[0].Address)
		return m, d
	}, e)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "unexpected error") || !strings.Contains(r.errors[0], "check AZFUNC-041 could not be evaluated") {
		t.Errorf("failures: %q", r.errors)
	}
	// Warnings are only logged.
	r = &recorder{}
	warn := model.Diagnostics{{Severity: model.SevWarning, Summary: "remote module not downloaded"}}
	analyzertest.Run(r, "testdata/arm", fakeLoader(t, relative, false, false, warn), e)
	if len(r.errors) != 0 {
		t.Errorf("failures: %q", r.errors)
	}
}

func TestUndeterminedComparedWhenExpected(t *testing.T) {
	e := builtin(t)
	r := &recorder{}
	// The tf fixture expects an undetermined AZFUNC-041 on line 7; a loader
	// that resolves the value breaks that expectation.
	loader := func(dir string) (*model.Module, model.Diagnostics) {
		m, d := fakeLoader(t, relative, false, false, tfvarsDiag)(dir)
		m.FunctionApps[0].SiteConfig.MinTLSVersion = model.Set("1.2", rng("main.tf", 7), "x")
		return m, d
	}
	analyzertest.Run(r, "testdata/tf", loader, e)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "main.tf:7: AZFUNC-041 (undetermined)") {
		t.Errorf("failures: %q", r.errors)
	}
}

func TestExpectations(t *testing.T) {
	ws, err := analyzertest.Expectations("testdata")
	if err != nil {
		t.Fatal(err)
	}
	want := []analyzertest.Expectation{
		{File: "arm/nested/azuredeploy.json", Line: 8, Check: "AZFUNC-040", Status: "fail"},
		{File: "tf/dev.tfvars", Line: 1, Diag: "cannot read dev.tfvars"},
		{File: "tf/main.tf", Line: 4, Check: "AZFUNC-040", Status: "fail"},
		{File: "tf/main.tf", Line: 7, Check: "AZFUNC-041", Status: "undetermined"},
		{File: "tf/main.tf", Line: 8, Check: "AZFUNC-080", Status: "fail"},
		{File: "tf/main.tf", Line: 13, Checks: []string{"AZFUNC-025"}},
	}
	if fmt.Sprint(ws) != fmt.Sprint(want) {
		t.Errorf("expectations:\n%v\nwant\n%v", ws, want)
	}
}

// TestScope: a fixture is compared on the checks it names; a finding of
// another check is not "unexpected" unless want-checks widens the scope,
// and a fixture that names no check is compared on all of them.
func TestScope(t *testing.T) {
	e := builtin(t)
	dir := filepath.Join(t.TempDir(), "tf") // the fake loader knows the fixture by its name
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"main.tf", "dev.tfvars"} {
		data, err := os.ReadFile(filepath.Join("testdata", "tf", name))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "# want-checks AZFUNC-025", "")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r := &recorder{}
	analyzertest.Run(r, dir, fakeLoader(t, relative, true, false, tfvarsDiag), e)
	if len(r.errors) != 0 {
		t.Errorf("a finding of a check the fixture does not name failed it: %q", r.errors)
	}

	// want-checks all: every check is compared again.
	f, err := os.OpenFile(filepath.Join(dir, "main.tf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\n# want-checks all\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	r = &recorder{}
	analyzertest.Run(r, dir, fakeLoader(t, relative, true, false, tfvarsDiag), e)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "unexpected (reported, not expected):\n") ||
		!strings.Contains(r.errors[0], "\n\tmain.tf:2: AZFUNC-025 fail") {
		t.Errorf("with want-checks all, the AZFUNC-025 finding should be unexpected; failures: %q", r.errors)
	}
}
