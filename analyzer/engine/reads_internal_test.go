package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/checks"
)

// readPaths lists a reads tree as "path" (selected through) and
// "path*" (read whole) lines, sorted.
func readPaths(r *reads, prefix string) []string {
	var out []string
	for name, c := range r.fields {
		p := prefix + "." + name
		if c.all {
			out = append(out, p+"*")
		} else {
			out = append(out, p)
		}
		out = append(out, readPaths(c, p)...)
	}
	sort.Strings(out)
	return out
}

// TestReadsOf: a path of selections is followed field by field and read
// whole where it ends; a comparison with null reads no field; has() reads
// its field; an index by number or a comprehension ends the path before it.
func TestReadsOf(t *testing.T) {
	c, err := newCompiler()
	if err != nil {
		t.Fatal(err)
	}
	for src, want := range map[string]string{
		`app.https_only`: "app.https_only*",
		`app.storage_account != null && app.storage_account.min_tls_version == "1.2"`: "app.storage_account app.storage_account.min_tls_version*",
		`null == app.plan`:      "app.plan",
		`has(app.auth.enabled)`: "app.auth app.auth.enabled*",
		`app["auth"].enabled`:   "app.auth app.auth.enabled*",
		`app.site_config.ip_restrictions[0].action == "Allow"`:                           "app.site_config app.site_config.ip_restrictions*",
		`app.private_endpoints.exists(pe, pe.subresource_names.exists(s, s == "sites"))`: "app.private_endpoints*",
		`size(app.site_config) > 2`:                                                      "app.site_config*",
		`item.value.startsWith("x") && app.flavor == "flex"`:                             "app.flavor* | item.value*",
		`app.app_settings.exists(app, app.name == "A")`:                                  "app.app_settings* app.name*",
		`size(app) > 0`: "app*",
	} {
		ast, iss := c.appEnv.Parse(src)
		if iss != nil && iss.Err() != nil {
			t.Fatalf("%s: %v", src, iss.Err())
		}
		var app, item reads
		readsOf(ast.NativeRep().Expr(), &app, &item)
		got := strings.Join(readPaths(&app, "app"), " ")
		if app.all {
			got = "app*"
		}
		if it := readPaths(&item, "item"); len(it) > 0 {
			got += " | " + strings.Join(it, " ")
		}
		if got != want {
			t.Errorf("%s: reads %q, want %q", src, got, want)
		}
	}
}

// TestCelDataGivesWhatChecksRead evaluates every built-in check's
// expressions on the sample app, as it is and with each of its values
// unknown in turn, once on the whole view as CEL data and once on the
// part the engine converts (celData): the outcomes, errors and the
// attribute trails of unknown outcomes must be the same.
func TestCelDataGivesWhatChecksRead(t *testing.T) {
	all, err := Load(checks.FS(), "checks")
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(all, Options{})
	if err != nil {
		t.Fatal(err)
	}
	view := model.View(sampleApp())
	var leaves []*model.Node
	for n := range view.Nodes() {
		if n.Kind != model.KindObject {
			leaves = append(leaves, n)
		}
	}
	ctx := context.Background()
	compared := 0
	for variant := -1; variant < len(leaves); variant++ {
		saved := model.Explicit
		if variant >= 0 {
			saved = leaves[variant].Meta.Origin
			leaves[variant].Meta.Origin = model.Unknown
		}
		full := celValue(view, nil, &unknowns{variable: varApp}, nil)
		part := celData(view, &e.appReads, nil, &unknowns{variable: varApp}, nil)
		for _, ch := range e.active {
			l := ch.logic
			acts := [][2]*activation{{{app: full}, {app: part}}}
			if len(l.each) > 0 {
				acts = acts[:0]
				for _, p := range l.each {
					list, ok := rootLocated(view).follow(p.segs)
					if !ok {
						continue
					}
					for _, el := range list.node.Items {
						fi := celValue(el, nil, &unknowns{variable: varItem}, nil)
						pi := celData(el, &e.itemReads, nil, &unknowns{variable: varItem}, nil)
						acts = append(acts, [2]*activation{{app: full, item: fi, hasItem: true}, {app: part, item: pi, hasItem: true}})
					}
				}
			}
			for _, x := range []*expr{l.when, l.fail, l.lower} {
				if x == nil {
					continue
				}
				for _, a := range acts {
					want, got := describe(evaluate(ctx, x, a[0])), describe(evaluate(ctx, x, a[1]))
					if got != want {
						t.Fatalf("%s %s (variant %d): on the part read %s, on the whole view %s", ch.ID, x.field, variant, got, want)
					}
					compared++
				}
			}
		}
		if variant >= 0 {
			leaves[variant].Meta.Origin = saved
		}
	}
	if compared < 1000 {
		t.Fatalf("only %d evaluations compared", compared)
	}
}

// describe is an outcome with its unknowns' attribute trails, not their
// ids (which count the unknowns converted).
func describe(r evalResult) string {
	s := fmt.Sprint(r.v)
	if r.err != nil {
		s += " " + r.err.Error()
	}
	if r.unk != nil {
		var trails []string
		for _, id := range r.unk.IDs() {
			ts, _ := r.unk.GetAttributeTrails(id)
			for _, t := range ts {
				trails = append(trails, t.String())
			}
		}
		slices.Sort(trails)
		s += " " + strings.Join(trails, ",")
	}
	return s
}

// TestDataBufferReuse: CEL data converted in a dataBuffer that held
// other apps' data before is the data converted without one, its lists
// are their own, and converting again in the buffer allocates no map.
func TestDataBufferReuse(t *testing.T) {
	small := sampleApp()
	small.AppSettings.Items = small.AppSettings.Items[:0]
	large := sampleApp()
	for range 20 {
		large.AppSettings.Items = append(large.AppSettings.Items, large.AppSettings.Items[0])
	}
	var vw model.Viewer
	views := []*model.Node{vw.View(large), vw.View(small), vw.View(sampleApp()), vw.View(large)}
	var buf dataBuffer
	for i, v := range views {
		buf.reset()
		got := celValue(v, nil, &unknowns{variable: varApp}, &buf)
		if want := celValue(v, nil, &unknowns{variable: varApp}, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("view %d: the data converted in the buffer differs", i)
		}
	}
	buf.reset()
	a, b := buf.list(2), buf.list(2)
	b[0] = "b"
	_ = append(a, "extra")
	if b[0] != "b" {
		t.Error("appending to a list wrote into another")
	}
	maps := func(b *dataBuffer) float64 {
		return testing.AllocsPerRun(10, func() {
			b.reset()
			celValue(views[0], nil, nil, b)
		})
	}
	fresh := testing.AllocsPerRun(10, func() { celValue(views[0], nil, nil, nil) })
	objects := 0
	for n := range views[0].Nodes() {
		if n.Kind == model.KindObject {
			objects++
		}
	}
	if got := maps(&buf); got > fresh-float64(objects) {
		t.Errorf("%v allocations in the buffer, %v without it: the %d maps were allocated again", got, fresh, objects)
	}
}

// TestFollowIsStepByStep: follow, which builds one display path for the
// whole walk, reaches the node, paths and owning resource that stepping
// field by field and element by element reaches, also where it stops
// early.
func TestFollowIsStepByStep(t *testing.T) {
	app := sampleApp()
	app.AppSettings.Items = append(app.AppSettings.Items, app.AppSettings.Items[0])
	top := rootLocated(model.View(app))
	for _, src := range []string{
		"app", "app.site_config.cors.allowed_origins[0]", "app.storage_account.private_endpoints[0].subresource_names[0]",
		"app.app_settings[1].value", "app.diagnostic_settings[0].log_categories", "app.storage_account.nope.x",
		"app.app_settings[7].name", "app.https_only.x", "app.site_config.ip_restrictions[0]",
	} {
		p, err := parseAttrPath(src)
		if err != nil {
			t.Fatal(err)
		}
		got, gotOK := top.follow(p.segs)
		want, wantOK := top, true
		for _, s := range p.segs {
			var next located
			var ok bool
			if s.name != "" {
				next, ok = want.field(s.name)
			} else {
				next, ok = want.index(s.index)
			}
			if !ok {
				wantOK = false
				break
			}
			want = next
		}
		if got.node != want.node || gotOK != wantOK || got.appPath() != want.appPath() || got.resourcePath() != want.resourcePath() || got.res != want.res {
			t.Errorf("%s: follow reached %q (%q in its resource, ok %v), stepping %q (%q, ok %v)", src, got.appPath(), got.resourcePath(), gotOK, want.appPath(), want.resourcePath(), wantOK)
		}
		// reach gets to the same node and resource, without a path.
		if r, ok := top.reach(p.segs); r.node != want.node || r.res != want.res || ok != wantOK || r.segs != nil {
			t.Errorf("%s: reach reached %v (resource %v, ok %v, path %q), stepping %v (%v)", src, r.node, r.res, ok, r.segs, want.node, want.res)
		}
	}
}

// TestScalarsAreCELValues: the scalars of CEL data are CEL values, which
// CEL reads as they are, rather than Go values it adapts (allocating) at
// every read, and they are the values CEL would adapt them to.
func TestScalarsAreCELValues(t *testing.T) {
	for _, n := range []*model.Node{
		{Kind: model.KindString, Str: "TLS1_2"}, {Kind: model.KindBool, Bool: true}, {Kind: model.KindInt, Int: 1 << 40},
	} {
		v := celValue(n, nil, nil, nil)
		rv, ok := v.(ref.Val)
		if !ok {
			t.Errorf("%v is %T, not a CEL value", n.Kind, v)
			continue
		}
		native := map[model.Kind]any{model.KindString: n.Str, model.KindBool: n.Bool, model.KindInt: n.Int}[n.Kind]
		if want := types.DefaultTypeAdapter.NativeToValue(native); rv.Equal(want) != types.True || rv.Type() != want.Type() {
			t.Errorf("%v is %v (%v), CEL adapts it to %v (%v)", n.Kind, rv, rv.Type(), want, want.Type())
		}
	}
}

// TestCompareFindingsIsTheOrder: compareFindings agrees with the order
// findings were sorted in before it (referenceLess, the former
// findingLess, both ways) on pairs of findings that differ in every
// combination of the fields it compares.
func TestCompareFindingsIsTheOrder(t *testing.T) {
	var fs []Finding
	for i := range 1 << 8 {
		bit := func(k int) int { return i >> k & 1 }
		f := Finding{
			Range:    model.Range{Filename: []string{"a.tf", "b.tf"}[bit(0)], Start: model.Pos{Line: 1 + bit(1), Column: 1 + bit(2)}},
			CheckID:  []string{"AZFUNC-001", "AZFUNC-002"}[bit(3)],
			Resource: []string{"x.a", "x.b"}[bit(4)],
			Path:     []string{"https_only", "site_config"}[bit(5)],
			Status:   Status(bit(6)),
			Message:  []string{"m", "n"}[bit(7)],
		}
		fs = append(fs, f)
	}
	for i := range fs {
		for j := range fs {
			want := 0
			switch {
			case referenceLess(&fs[i], &fs[j]):
				want = -1
			case referenceLess(&fs[j], &fs[i]):
				want = 1
			}
			if got := compareFindings(&fs[i], &fs[j]); got != want {
				t.Fatalf("compareFindings(%d, %d) = %d, want %d", i, j, got, want)
			}
		}
	}
}

func referenceLess(a, b *Finding) bool {
	ra, rb := a.Range, b.Range
	switch {
	case ra.Filename != rb.Filename:
		return ra.Filename < rb.Filename
	case ra.Start.Line != rb.Start.Line:
		return ra.Start.Line < rb.Start.Line
	case ra.Start.Column != rb.Start.Column:
		return ra.Start.Column < rb.Start.Column
	case a.CheckID != b.CheckID:
		return a.CheckID < b.CheckID
	case a.Resource != b.Resource:
		return a.Resource < b.Resource
	case a.Path != b.Path:
		return a.Path < b.Path
	case a.Status != b.Status:
		return a.Status < b.Status
	}
	return a.Message < b.Message
}

// TestDecidedAtIsTheFindings: where a fix's value was decided is what a
// finding blaming it says (decidedOf), for every value of the sample app,
// though decidedAt builds no finding.
func TestDecidedAtIsTheFindings(t *testing.T) {
	app := sampleApp()
	app.Address = "azurerm_linux_function_app.a"
	view := model.View(app)
	i := 0
	for n := range view.Nodes() {
		// Values without a range of their own point at their resource's.
		if i++; i%3 == 0 {
			n.Meta.Range = model.Range{}
		}
	}
	m := &model.Module{FunctionApps: []*model.FunctionApp{app}}
	ac := newAppContext(view, app, ".", indexResources(m), func(s string) string { return s }, &reads{}, &reads{}, nil)
	var walk func(at located)
	n := 0
	walk = func(at located) {
		n++
		f := ac.finding(&Check{}, Fail, at)
		want := decidedOf(&f)
		got := ac.decidedAt(at)
		got.value = nil
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: decidedAt %+v, the finding's %+v", at.appPath(), got, want)
		}
		for _, fl := range at.node.Fields {
			next, _ := at.field(fl.Name)
			walk(next)
		}
		for i := range at.node.Items {
			next, _ := at.index(i)
			walk(next)
		}
	}
	walk(ac.top)
	if n < 100 {
		t.Fatalf("only %d values compared", n)
	}
}

// TestSortFindingsInPlace: sortFindings gives what a stable sort of a
// copy gives (findings that compare equal keep their order, told apart by
// a field compareFindings does not read), whatever the permutation,
// including those of many cycles and the sorted one.
func TestSortFindingsInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 40 {
		for round := range 20 {
			fs := make([]Finding, n)
			for i := range fs {
				fs[i] = Finding{
					Range:       model.Range{Filename: []string{"a.tf", "b.tf"}[rng.IntN(2)], Start: model.Pos{Line: 1 + rng.IntN(3)}},
					CheckID:     []string{"AZFUNC-001", "AZFUNC-002"}[rng.IntN(2)],
					Fingerprint: fmt.Sprint(i), // not compared: tells equal findings apart
				}
			}
			if round == 0 {
				slices.SortStableFunc(fs, func(a, b Finding) int { return compareFindings(&a, &b) })
			}
			want := slices.Clone(fs)
			slices.SortStableFunc(want, func(a, b Finding) int { return compareFindings(&a, &b) })
			got := sortFindings(fs)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%d findings, round %d: sorted in place as %v, want %v", n, round, fingerprints(got), fingerprints(want))
			}
		}
	}
}

func fingerprints(fs []Finding) []string {
	out := make([]string, len(fs))
	for i := range fs {
		out[i] = fs[i].Fingerprint
	}
	return out
}
