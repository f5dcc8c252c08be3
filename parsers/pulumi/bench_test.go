package pulumi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"testing"
)

// urnName matches the name part of the URNs of the fixture stack, so that
// each copy of its resources gets names (and references) of its own.
var urnName = regexp.MustCompile(`(urn:pulumi:dev::proj::[A-Za-z0-9:-]+::)([A-Za-z0-9_-]+)`)

// bigExport builds a stack export of at least size bytes (minified) from the
// resources of a fixture, copied with renamed URNs and a non-ASCII tag on
// every copy (so that columns must be counted in characters), minified
// (one line, as tools that pipe state write it) or indented.
func bigExport(tb testing.TB, size int, indent bool) []byte {
	tb.Helper()
	src, err := os.ReadFile("../../testdata/pulumi/041-min-tls/dev.stack.json")
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Version    int `json:"version"`
		Deployment struct {
			Manifest  json.RawMessage   `json:"manifest"`
			Resources []json.RawMessage `json:"resources"`
		} `json:"deployment"`
	}
	if err := json.Unmarshal(src, &doc); err != nil {
		tb.Fatal(err)
	}
	base := doc.Deployment.Resources
	out := base[:2:2] // the stack and the provider, once
	n := 0
	for k := 0; n < size; k++ {
		for _, r := range base[2:] {
			c := urnName.ReplaceAll(r, []byte(fmt.Sprintf("${1}${2}-c%d", k)))
			c = append(bytes.TrimSuffix(bytes.TrimSpace(c), []byte("}")), []byte(`,"sourcePosition":"projets/zoë/ünïcode/index.ts"}`)...)
			var mini bytes.Buffer
			if err := json.Compact(&mini, c); err != nil {
				tb.Fatal(err)
			}
			out = append(out, mini.Bytes())
			n += mini.Len() // size is that of the minified resources
		}
	}
	doc.Deployment.Resources = out
	var text []byte
	if indent {
		text, err = json.MarshalIndent(doc, "", "    ")
	} else {
		text, err = json.Marshal(doc)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return text
}

// BenchmarkLoadExport loads a 4 MB stack export written minified and the
// same export indented; issue 14 asks for the minified one within 2× of
// the indented one.
func BenchmarkLoadExport(b *testing.B) {
	for _, indent := range []bool{false, true} {
		name := map[bool]string{false: "minified", true: "indented"}[indent]
		text := bigExport(b, 4<<20, indent)
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				mod, diags := load(context.Background(), "big.stack.json", text)
				if len(mod.FunctionApps) == 0 || diags.HasErrors() {
					b.Fatalf("%d function apps, %v", len(mod.FunctionApps), diags)
				}
			}
		})
	}
}

// The generated export loads, on one line, with the same resources as
// indented, every range inside the file.
func TestBigExportMinified(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 256 KB export")
	}
	mini, ind := bigExport(t, 256<<10, false), bigExport(t, 256<<10, true)
	if bytes.Count(mini, []byte("\n")) != 0 {
		t.Fatal("minified export has newlines")
	}
	mm, md := load(context.Background(), "m.json", mini)
	im, _ := load(context.Background(), "i.json", ind)
	if len(mm.FunctionApps) != len(im.FunctionApps) || len(mm.FunctionApps) < 30 || md.HasErrors() {
		t.Fatalf("minified: %d function apps %v; indented: %d", len(mm.FunctionApps), md, len(im.FunctionApps))
	}
}
