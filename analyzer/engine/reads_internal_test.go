package engine

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

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
		full := celValue(view, nil, &unknowns{variable: varApp})
		part := celData(view, &e.appReads, nil, &unknowns{variable: varApp})
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
						fi := celValue(el, nil, &unknowns{variable: varItem})
						pi := celData(el, &e.itemReads, nil, &unknowns{variable: varItem})
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
