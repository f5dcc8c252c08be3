package engine

import (
	"reflect"
	"strings"
	"testing"

	"cel.dev/cel-go/common/types"

	"github.com/azfuncscan/azfuncscan/checks"
)

// TestCheckedAheadCompilesTheSame: the built-in checks compiled from the
// cache's type-checked expressions (what a scan does) have the logic
// compiled from their source: the same expressions, reading the same of
// app and item, looping or not, when per item or not, and giving the same
// value on the sample app; and every expression of every built-in check
// comes from the cache.
func TestCheckedAheadCompilesTheSame(t *testing.T) {
	fromSource, err := Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	cached, err := LoadCached(checks.FS(), "checks", checks.Decoded())
	if err != nil {
		t.Fatal(err)
	}
	if len(cached) != len(fromSource) {
		t.Fatalf("%d checks from the cache, %d from source", len(cached), len(fromSource))
	}
	comp, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{varApp: comp.sampleData}
	for i, want := range fromSource {
		got := cached[i]
		if got.ID != want.ID {
			t.Fatalf("check %d: %s from the cache, %s from source", i, got.ID, want.ID)
		}
		if got.logic.whenPerItem != want.logic.whenPerItem {
			t.Errorf("%s: whenPerItem %v from the cache, %v from source", want.ID, got.logic.whenPerItem, want.logic.whenPerItem)
		}
		pairs := [][2]*expr{{got.logic.when, want.logic.when}, {got.logic.fail, want.logic.fail}, {got.logic.lower, want.logic.lower}}
		for _, p := range pairs {
			g, w := p[0], p[1]
			if (g == nil) != (w == nil) {
				t.Errorf("%s: an expression only one way", want.ID)
				continue
			}
			if w == nil {
				continue
			}
			if g.field != w.field || g.src != w.src || g.line != w.line || g.loops != w.loops ||
				!reflect.DeepEqual(g.app, w.app) || !reflect.DeepEqual(g.item, w.item) || !reflect.DeepEqual(g.fast, w.fast) {
				t.Errorf("%s %s: compiled from the cache as %+v, from source as %+v", want.ID, w.field, *g, *w)
			}
			if len(want.logic.each) > 0 {
				continue // needs an item; the fixtures evaluate those
			}
			gp, err := g.program()
			if err != nil {
				t.Fatalf("%s %s: %v", want.ID, w.field, err)
			}
			wp, err := w.program()
			if err != nil {
				t.Fatalf("%s %s: %v", want.ID, w.field, err)
			}
			gv, _, gerr := gp.Eval(vars)
			wv, _, werr := wp.Eval(vars)
			if (gerr == nil) != (werr == nil) || (gerr == nil && gv.Equal(wv) != types.True) {
				t.Errorf("%s %s on the sample: %v, %v from the cache; %v, %v from source", want.ID, w.field, gv, gerr, wv, werr)
			}
		}
	}
	for name, a := range readDecoded(checks.Decoded()) {
		d, err := a.decode()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for field, src := range map[string]string{"when": d.cf.When, "fail": d.cf.Fail} {
			if strings.TrimSpace(src) != "" && d.checked[field] == nil {
				t.Errorf("%s: %s is not type-checked in the cache", name, field)
			}
		}
		if d.cf.LowerSeverity != nil && d.checked["lower_severity.when"] == nil {
			t.Errorf("%s: lower_severity.when is not type-checked in the cache", name)
		}
	}
}

// TestCheckedAheadUnreadable: a cache entry without its compiled form is
// left out whole (its file's expressions are compiled from source); a
// checked form that does not decode, met when the program is first
// needed, is compiled from the source then.
func TestCheckedAheadUnreadable(t *testing.T) {
	if got := decodeChecked(map[string][]byte{"fail": {0xff, 0xff}}, nil); got != nil {
		t.Errorf("decodeChecked without the compiled forms = %v, want nil", got)
	}
	if got := decodeChecked(nil, nil); got != nil {
		t.Errorf("decodeChecked(nil) = %v, want nil", got)
	}
	comp, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	const src = `app.https_only == false || app.site_config.ftps_state.trim() == "x"`
	comp.record = map[string]recorded{}
	want, _, probs := comp.compileExpr(comp.appEnv, "fail", src, fieldPos{line: 1}, nil)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	comp.ahead = decodeChecked(map[string][]byte{"fail": {0xff, 0xff}}, map[string]*compiledExpr{"fail": comp.record["fail"].compiled})
	comp.record = nil
	got, _, probs := comp.compileExpr(comp.appEnv, "fail", src, fieldPos{line: 1}, nil)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if _, err := comp.ahead["fail"].ast(); err == nil {
		t.Fatal("junk decoded")
	}
	if !reflect.DeepEqual(got.fast, want.fast) || !reflect.DeepEqual(got.app, want.app) {
		t.Errorf("compiled from the cache as %+v, from source as %+v", *got, *want)
	}
	gp, err := got.program()
	if err != nil {
		t.Fatalf("program of an unreadable checked form: %v", err)
	}
	wp, err := want.program()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{varApp: comp.sampleData}
	gv, _, gerr := gp.Eval(vars)
	wv, _, werr := wp.Eval(vars)
	if (gerr == nil) != (werr == nil) || (gerr == nil && gv.Equal(wv) != types.True) {
		t.Errorf("on the sample: %v, %v from the cache; %v, %v from source", gv, gerr, wv, werr)
	}
}

// TestLineHead: the name and digest a cache line starts with are read
// as json.Marshal writes them, escapes included; any other start is not
// a line of the cache.
func TestLineHead(t *testing.T) {
	for _, tc := range []struct {
		line, name, sum string
		ok              bool
	}{
		{`{"name":"A.yaml","sha256":"ab12","file":{}}`, "A.yaml", "ab12", true},
		{`{"name":"a \"q\" \\ b.yaml","sha256":"00"}`, `a "q" \ b.yaml`, "00", true},
		{`{"name": "A.yaml","sha256":"ab12"}`, "", "", false},
		{`{"name":"A.yaml" ,"sha256":"ab12"}`, "", "", false},
		{`{"name":"a,\"sha256\":\"x.yaml","sha256":"ab12"}`, `a,"sha256":"x.yaml`, "ab12", true},
		{`{"name":"A.yaml"}`, "", "", false},
		{`{"name":"A.yaml","sha256":"ab12`, "", "", false},
		{`{"name":"A.yaml`, "", "", false},
		{`{"name":1,"sha256":"00"}`, "", "", false},
		{`[{"name":"A.yaml","sha256":"00"}]`, "", "", false},
		{``, "", "", false},
	} {
		name, sum, ok := lineHead([]byte(tc.line))
		if ok != tc.ok || name != tc.name || string(sum) != tc.sum {
			t.Errorf("lineHead(%s) = %q, %q, %v; want %q, %q, %v", tc.line, name, sum, ok, tc.name, tc.sum, tc.ok)
		}
	}
}
