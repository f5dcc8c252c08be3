package parsers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azfuncscan/azfuncscan/analyzer/analyzertest"
	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
	"github.com/azfuncscan/azfuncscan/parsers/bicepcli"
)

var bicepCLIFixture = filepath.Join("..", "testdata", "bicep-cli")

// withStandInBicep puts the stand-in Bicep CLI of testdata first on PATH
// and returns the file it logs each compiled file to.
func withStandInBicep(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join(bicepCLIFixture, "bin"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	log := filepath.Join(t.TempDir(), "compiled.log")
	t.Setenv("BICEP_STANDIN_LOG", log)
	return log
}

func compiledFiles(t *testing.T, log string) []string {
	t.Helper()
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

func builtinEngine(t *testing.T) *engine.Engine {
	t.Helper()
	all, err := engine.Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	e, err := engine.New(all, analyzertest.EnableAll(all))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// With --bicep, the entry file (not the module it uses) is compiled by the
// CLI and its findings land on the .bicep lines the want comments mark,
// in the entry and in the module.
func TestBicepEntryCompiledWithCLI(t *testing.T) {
	log := withStandInBicep(t)
	src := filepath.Join(bicepCLIFixture, "src")
	var mods []*model.Module
	analyzertest.RunModules(t, src, func(dir string) ([]*model.Module, model.Diagnostics) {
		res, err := Load(context.Background(), []string{dir}, Options{Bicep: bicepcli.Find()})
		if err != nil {
			t.Fatal(err)
		}
		mods = res.Modules
		return res.Modules, res.Diagnostics
	}, builtinEngine(t))
	if got := compiledFiles(t, log); len(got) != 1 || filepath.Base(got[0]) != "main.bicep" {
		t.Errorf("compiled %q, want main.bicep alone (modules/worker.bicep is its module)", got)
	}
	if len(mods) != 1 || mods[0].Path != filepath.Join(src, "main.bicep") || mods[0].Format != model.ARM {
		t.Fatalf("modules: %+v", mods)
	}
	// Nothing points into the compiled template, which is not on disk.
	for _, a := range mods[0].FunctionApps {
		for _, r := range a.Related {
			if !strings.HasSuffix(r.Range.Filename, ".bicep") {
				t.Errorf("%s: related location %s (%s) is not in Bicep", a.Address, r.Range, r.Message)
			}
		}
		if !strings.HasSuffix(a.Range.Filename, ".bicep") {
			t.Errorf("%s is located in %s", a.Address, a.Range)
		}
	}
}

// A .bicep with its compiled template beside it is scanned through that
// template: the CLI is not run.
func TestBicepWithCompiledTemplateNotCompiled(t *testing.T) {
	log := withStandInBicep(t)
	res, err := Load(context.Background(), []string{filepath.Join("..", "testdata", "arm", "bicep-source")}, Options{Bicep: bicepcli.Find()})
	if err != nil {
		t.Fatal(err)
	}
	if got := compiledFiles(t, log); len(got) != 0 {
		t.Errorf("compiled %q", got)
	}
	if len(res.Modules) != 2 {
		t.Errorf("want the two committed templates, got %d modules", len(res.Modules))
	}
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Summary, "Bicep") {
			t.Errorf("unexpected diagnostic %s: %s", d.Summary, d.Detail)
		}
	}
}

// Without the CLI, one warning names what was not compiled; without
// --bicep, one note says --bicep would compile it. Nothing is loaded.
func TestBicepSkippedSaysWhat(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	src := filepath.Join(bicepCLIFixture, "src")
	for _, tt := range []struct {
		name string
		opts Options
		sev  model.Severity
		want string
	}{
		{"no CLI", Options{Bicep: bicepcli.Find()}, model.SevWarning, "Bicep files not compiled: no bicep CLI on PATH"},
		{"no --bicep", Options{}, model.SevInfo, "Bicep files not scanned"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Load(context.Background(), []string{src}, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Modules) != 0 || len(res.Diagnostics) != 1 {
				t.Fatalf("modules %d, diagnostics %+v", len(res.Modules), res.Diagnostics)
			}
			d := res.Diagnostics[0]
			main := filepath.ToSlash(filepath.Join(src, "main.bicep"))
			if d.Severity != tt.sev || d.Summary != tt.want || !strings.HasSuffix(d.Detail, ": "+main) || d.Range.Filename != main {
				t.Errorf("diagnostic %s %q %q at %s", d.Severity, d.Summary, d.Detail, d.Range.Filename)
			}
		})
	}
}

// A file the CLI cannot compile, or does not compile in time, is an error
// at the file; the scan goes on with the others.
func TestBicepCompileFailures(t *testing.T) {
	withStandInBicep(t)
	dir := writeFiles(t, map[string]string{
		"broken.bicep": "resourc x\n",
		"slow.bicep":   "param x string\n",
	})
	c := bicepcli.Find()
	c.Timeout = 300 * time.Millisecond
	start := time.Now()
	res, err := Load(context.Background(), []string{dir, filepath.Join(bicepCLIFixture, "src")}, Options{Bicep: c})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the scan waited %s for the slow compilation", took)
	}
	if len(res.Modules) != 1 {
		t.Errorf("want the fixture's entry loaded, got %d modules", len(res.Modules))
	}
	want := map[string]string{
		"broken.bicep": "BCP007: This declaration type is not recognized",
		"slow.bicep":   "no result after 300ms",
	}
	for _, d := range res.Diagnostics {
		w, ok := want[filepath.Base(d.Range.Filename)]
		if !ok {
			continue
		}
		if d.Severity != model.SevError || d.Summary != "Cannot compile Bicep file" || !strings.Contains(d.Detail, w) || d.Range.Start.Line != 1 {
			t.Errorf("diagnostic %s %q %q at %s", d.Severity, d.Summary, d.Detail, d.Range)
		}
		delete(want, filepath.Base(d.Range.Filename))
	}
	for f := range want {
		t.Errorf("no diagnostic for %s: %+v", f, res.Diagnostics)
	}
}
