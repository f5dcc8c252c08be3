package arm

import (
	"bufio"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
)

// invalidCorpusFiles are corpus files that are not valid JSON even as ARM
// reads it; an error diagnostic is expected for them.
func invalidCorpusFiles() map[string]bool {
	return map[string]bool{}
}

// TestCorpus reads every template of the shared corpus of real ARM
// templates (skipped when absent): no panic, no error diagnostic, no value
// left unknown by an unsupported function, and every template that
// declares a function app (a site whose kind is a literal listing
// functionapp) yields one.
func TestCorpus(t *testing.T) {
	root := sharedtest.Dir(t, "corpus", "arm")
	var templates, apps, unsupported, errs int
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := strings.ToLower(filepath.Ext(p))
		if ext != ".json" && ext != ".jsonc" {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !IsTemplate(src[:min(len(src), 8<<10)]) {
			return nil
		}
		templates++
		rel, _ := filepath.Rel(root, p)
		m, diags := LoadFile(context.Background(), p, Options{})
		for _, d := range diags {
			if d.Summary == internalErrorSummary {
				t.Errorf("%s: %s", rel, d.Detail)
			} else if d.Severity == model.SevError && !invalidCorpusFiles()[filepath.ToSlash(rel)] {
				t.Errorf("%s: %s: %s: %s", rel, d.Range, d.Summary, d.Detail)
			}
		}
		apps += len(m.FunctionApps)
		unsupported += m.Stats.Unsupported
		errs += m.Stats.Errors
		if m.Stats.Unsupported > 0 {
			t.Errorf("%s: %d values left unknown by unsupported functions", rel, m.Stats.Unsupported)
		}
		if declaresFunctionApp(src) && len(m.FunctionApps) == 0 {
			t.Errorf("%s declares a function app; none was read", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d templates, %d function apps, %d values unknown by unsupported functions, %d by evaluation errors", templates, apps, unsupported, errs)
	if templates < 20 {
		t.Errorf("only %d templates found under %s", templates, root)
	}
}

// declaresFunctionApp reports whether a template holds a site or slot
// whose kind is a literal string listing functionapp.
func declaresFunctionApp(src []byte) bool {
	f, d := parseJSON("t.json", src)
	if d != nil {
		return false
	}
	found := false
	var walk func(v *jval, depth int)
	walk = func(v *jval, depth int) {
		if v == nil || found || depth > 64 {
			return
		}
		switch v.kind {
		case model.KindObject:
			typ, kind := strOf(v.get("type")), strOf(v.get("kind"))
			lt := strings.ToLower(typ)
			if (strings.HasSuffix(lt, "microsoft.web/sites") || strings.HasSuffix(lt, "sites/slots") || lt == "slots") &&
				!strings.HasPrefix(kind, "[") && strings.Contains(strings.ToLower(kind), "functionapp") {
				found = true
				return
			}
			for i := range v.fields {
				walk(v.fields[i].val, depth+1)
			}
		case model.KindList:
			for _, it := range v.items {
				walk(it, depth+1)
			}
		}
	}
	walk(f.root, 0)
	return found
}

// TestGencorpus loads `gencorpus -seed 1 -arm 20` (skipped when the
// generator is absent or -short): every function app of its manifest is
// found, by the address the generator records (the deployment of a
// nested one named by a fragment: companion:Microsoft.Web/sites/…), with
// nothing left unknown by unsupported functions.
func TestGencorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a corpus")
	}
	gen := sharedtest.Dir(t, "tools", "gencorpus")
	out := t.TempDir()
	cmd := exec.Command("go", "run", ".", "-out", out, "-seed", "1", "-arm", "20", "-q")
	cmd.Dir = gen
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gencorpus: %v\n%s", err, b)
	}
	mf, err := os.Open(filepath.Join(out, "manifest.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = mf.Close() }()
	want := map[string][]string{} // file → function app resources
	sc := bufio.NewScanner(mf)
	for sc.Scan() {
		var e struct{ File, Format, Resource, Kind string }
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.Format == "arm" && e.Kind == "functionapp" {
			want[e.File] = append(want[e.File], e.Resource)
		}
	}
	if len(want) == 0 {
		t.Fatal("the manifest lists no ARM function app")
	}
	found, total := 0, 0
	for file, resources := range want {
		m, diags := LoadFile(context.Background(), filepath.Join(out, filepath.FromSlash(file)), Options{})
		for _, d := range diags {
			if d.Severity != model.SevInfo {
				t.Errorf("%s: %s: %s: %s", file, d.Range, d.Severity, d.Summary)
			}
		}
		if m.Stats.Unsupported > 0 {
			t.Errorf("%s: %d values left unknown by unsupported functions", file, m.Stats.Unsupported)
		}
		for _, r := range resources {
			total++
			if appFor(m, r) {
				found++
			} else {
				t.Errorf("%s: function app %s not found", file, r)
			}
		}
	}
	t.Logf("function apps found: %d/%d", found, total)
}

// appFor reports whether the module has the app a gencorpus manifest
// resource names: "type/name", or "deployment:type/name" for one in a
// nested deployment whose name contains the fragment.
func appFor(m *model.Module, resource string) bool {
	dep, res, nested := strings.Cut(resource, ":")
	for _, a := range m.FunctionApps {
		switch {
		case !nested && a.Address == resource:
			return true
		case nested && strings.HasSuffix(a.Address, "/"+res):
			prefix := strings.TrimSuffix(a.Address, "/"+res)
			d, _ := strings.CutPrefix(dep, "Microsoft.Resources/deployments/")
			if strings.HasPrefix(prefix, "Microsoft.Resources/deployments/") && strings.Contains(prefix, d) {
				return true
			}
		}
	}
	return false
}
