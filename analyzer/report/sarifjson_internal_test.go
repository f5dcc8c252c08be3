package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// encodingJSON is how the streamed writers encode an element that does not
// write itself: compact, HTML escaping off.
func encodingJSON(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func checkResultJSON(t *testing.T, res *sarif.Result) {
	t.Helper()
	got, ok := sarifResultJSON{res}.appendCompactJSON([]byte("x"))
	if !ok {
		t.Fatalf("the writer refused a result of the fields it knows: %s", encodingJSON(t, res))
	}
	if want := encodingJSON(t, res); !bytes.Equal(got[1:], want) || got[0] != 'x' {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// Indented as it is written: what appendIndented makes of the compact
	// form (itself checked against encoding/json's indentation).
	ind, ok := sarifResultJSON{res}.appendIndentedJSON([]byte("x"), "    ")
	if want := appendIndented([]byte("x"), got[1:], "    "); !ok || !bytes.Equal(ind, want) {
		t.Fatalf("indented, got  %s\nwant %s", ind, want)
	}
}

// TestSARIFResultJSONMatchesEncoding: the results the SARIF writer builds,
// and random results of the fields it sets, are written byte for byte as
// encoding/json writes them; a result with a field the writer does not know
// falls back to encoding/json.
func TestSARIFResultJSONMatchesEncoding(t *testing.T) {
	// Results as the writer builds them: trails, related locations, a fix,
	// a suppression, an undetermined finding (properties), odd text.
	r := &Report{BaseDir: "proj", WorkDir: "proj"}
	findings := sampleFindings()
	for i := range findings {
		f := &findings[i]
		fx := sarif.NewFix().WithDescriptionText("Set https_only = true")
		fx.AddArtifactChanges(sarif.NewArtifactChange(sarif.NewSimpleArtifactLocation("main.tf").WithUriBaseId(SRCRoot)).
			WithReplacement(sarif.NewReplacement(sarif.NewRegion().WithStartLine(3).WithStartColumn(1).WithEndLine(3).WithEndColumn(1)).
				WithInsertedContent(sarif.NewArtifactContent().WithText("  https_only = true\n"))))
		checkResultJSON(t, r.sarifResult(f, fx).WithRuleIndex(i))
		checkResultJSON(t, r.sarifResult(f, nil))
	}

	// Random results of the fields the writer knows.
	rnd := rand.New(rand.NewPCG(3, 4))
	texts := []string{"", "a", `q"uote`, `back\slash`, "tab\tnew\nline\r", "\x00\x1f\x7f", "<&>", "é", "\u2028\u2029", "bad\xffutf8", "\xe2\x80"}
	text := func() *string {
		if rnd.IntN(4) == 0 {
			return nil
		}
		s := texts[rnd.IntN(len(texts))] + texts[rnd.IntN(len(texts))]
		return &s
	}
	num := func() *int {
		if rnd.IntN(3) == 0 {
			return nil
		}
		n := rnd.IntN(2000) - 5
		return &n
	}
	unum := func() *uint {
		if rnd.IntN(3) == 0 {
			return nil
		}
		n := uint(rnd.IntN(2000))
		return &n
	}
	props := func() sarif.Properties {
		switch rnd.IntN(3) {
		case 0:
			return nil
		case 1:
			return sarif.Properties{}
		}
		return sarif.Properties{"status": *orEmpty(text()), "b": "x", "a" + *orEmpty(text()): "y"}
	}
	message := func() *sarif.Message {
		if rnd.IntN(3) == 0 {
			return nil
		}
		m := &sarif.Message{Text: text(), Markdown: text(), ID: text(), PropertyBag: sarif.PropertyBag{Properties: props()}}
		if rnd.IntN(2) == 0 {
			m.Arguments = []string{*orEmpty(text()), "z"}
		}
		return m
	}
	region := func() *sarif.Region {
		if rnd.IntN(4) == 0 {
			return nil
		}
		g := &sarif.Region{StartLine: num(), StartColumn: num(), EndLine: num(), EndColumn: num(), CharOffset: num(),
			CharLength: num(), ByteOffset: num(), ByteLength: num(), Message: message(), SourceLanguage: text()}
		if rnd.IntN(2) == 0 {
			g.Snippet = &sarif.ArtifactContent{Text: text(), Binary: text()}
		}
		return g
	}
	location := func() *sarif.Location {
		if rnd.IntN(6) == 0 {
			return nil
		}
		l := &sarif.Location{Id: unum(), Message: message(), PropertyBag: sarif.PropertyBag{Properties: props()}}
		if rnd.IntN(4) > 0 {
			l.PhysicalLocation = &sarif.PhysicalLocation{Region: region(), ContextRegion: region()}
			if rnd.IntN(4) > 0 {
				l.PhysicalLocation.ArtifactLocation = &sarif.ArtifactLocation{URI: text(), URIBaseId: text(), Index: unum(), Description: message()}
			}
		}
		for range rnd.IntN(3) {
			l.LogicalLocations = append(l.LogicalLocations, &sarif.LogicalLocation{Index: unum(), Name: text(),
				FullyQualifiedName: text(), DecoratedName: text(), Kind: text(), ParentIndex: unum()})
		}
		return l
	}
	locations := func() []*sarif.Location {
		switch rnd.IntN(4) {
		case 0:
			return nil
		case 1:
			return []*sarif.Location{}
		}
		var ls []*sarif.Location
		for range 1 + rnd.IntN(3) {
			ls = append(ls, location())
		}
		return ls
	}
	for range 2000 {
		res := &sarif.Result{RuleID: text(), RuleIndex: unum(), Level: text(), Locations: locations(), RelatedLocations: locations(),
			PropertyBag: sarif.PropertyBag{Properties: props()}}
		if m := message(); m != nil {
			res.Message = *m
		}
		if rnd.IntN(2) == 0 {
			res.PartialFingerprints = map[string]any{"k/v2": *orEmpty(text()), "a": "b"}
		}
		for range rnd.IntN(3) {
			tf := &sarif.ThreadFlow{ID: text(), Message: message()}
			if rnd.IntN(4) > 0 {
				tf.Locations = []*sarif.ThreadFlowLocation{}
				for range rnd.IntN(3) {
					tf.Locations = append(tf.Locations, &sarif.ThreadFlowLocation{Location: location()})
				}
			}
			res.CodeFlows = append(res.CodeFlows, &sarif.CodeFlow{Message: message(), ThreadFlows: []*sarif.ThreadFlow{tf}})
		}
		for range rnd.IntN(2) {
			res.Suppressions = append(res.Suppressions, &sarif.Suppression{Kind: *orEmpty(text()), Status: text(),
				Location: location(), Guid: text(), Justification: text()})
		}
		for range rnd.IntN(3) {
			fx := &sarif.Fix{Description: message()}
			if rnd.IntN(4) > 0 {
				fx.ArtifactChanges = []*sarif.ArtifactChange{}
				for range rnd.IntN(3) {
					ch := &sarif.ArtifactChange{ArtifactLocation: sarif.ArtifactLocation{URI: text(), URIBaseId: text()}}
					if rnd.IntN(4) > 0 {
						ch.Replacements = []*sarif.Replacement{}
						for range rnd.IntN(3) {
							rep := &sarif.Replacement{}
							if g := region(); g != nil {
								rep.DeletedRegion = *g
							}
							if rnd.IntN(2) == 0 {
								rep.InsertedContent = &sarif.ArtifactContent{Text: text()}
							}
							ch.Replacements = append(ch.Replacements, rep)
						}
					}
					fx.ArtifactChanges = append(fx.ArtifactChanges, ch)
				}
			}
			res.Fixes = append(res.Fixes, fx)
		}
		checkResultJSON(t, res)
	}

	// Fields the writer does not know: encoding/json writes the result.
	kind, rank := "fail", float32(1.5)
	for _, res := range []*sarif.Result{
		{Kind: &kind},
		{Rank: &rank},
		{Locations: []*sarif.Location{{Annotations: []*sarif.Region{{}}}}},
		{PartialFingerprints: map[string]any{"n": 1}},
		{CodeFlows: []*sarif.CodeFlow{{ThreadFlows: []*sarif.ThreadFlow{{Locations: []*sarif.ThreadFlowLocation{{Kinds: []string{"x"}}}}}}}},
	} {
		if _, ok := (sarifResultJSON{res}).appendCompactJSON(nil); ok {
			t.Errorf("the writer accepted a field it does not write: %s", encodingJSON(t, res))
		}
	}
}

func orEmpty(s *string) *string {
	if s == nil {
		e := ""
		return &e
	}
	return s
}

// BenchmarkSARIFResultJSON compares writing a typical result (a trail, a
// related location, a fix) with encoding it by reflection.
func BenchmarkSARIFResultJSON(b *testing.B) {
	r := &Report{BaseDir: "proj", WorkDir: "proj"}
	at := func(file string, l, c, el, ec int) model.Range {
		return model.Range{Filename: file, Start: model.Pos{Line: l, Column: c}, End: model.Pos{Line: el, Column: ec}}
	}
	f := &engine.Finding{CheckID: "AZFUNC-040", Severity: engine.High, Message: "Function app func-a does not enforce HTTPS-only",
		Range: at("modules/app/main.tf", 69, 37, 69, 51), Resource: "module.app.azurerm_linux_function_app.this", Path: "https_only",
		Fingerprint: "950af2e64b521b8133022a673d86356d", Root: "stacks/a",
		Related: []engine.Related{{Range: at("stacks/a/main.tf", 202, 1, 202, 17), Message: "module.app is called here"}},
		Trail: []model.Hop{
			{Kind: model.HopModuleArgument, Name: "module.app.https_only", Range: at("stacks/a/main.tf", 212, 35, 212, 40)},
			{Kind: model.HopVariable, Name: "var.https_only", Range: at("modules/app/main.tf", 25, 1, 25, 22)},
			{Kind: model.HopAttribute, Range: at("modules/app/main.tf", 69, 37, 69, 51)},
		}}
	fx := sarif.NewFix().WithDescriptionText("Set https_only = true")
	fx.AddArtifactChanges(sarif.NewArtifactChange(sarif.NewSimpleArtifactLocation("stacks/a/main.tf").WithUriBaseId(SRCRoot)).
		WithReplacement(sarif.NewReplacement(sarif.NewRegion().WithStartLine(212).WithStartColumn(35).WithEndLine(212).WithEndColumn(40)).
			WithInsertedContent(sarif.NewArtifactContent().WithText("true"))))
	res := r.sarifResult(f, fx).WithRuleIndex(3)
	b.Run("writer", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = sarifResultJSON{res}.appendCompactJSON(buf[:0])
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		for b.Loop() {
			buf.Reset()
			_ = enc.Encode(res)
		}
	})
}

// sampleFindings are findings as scans make them, for the SARIF writers'
// tests: trails, related locations, a suppression, an undetermined
// finding (properties), odd text.
func sampleFindings() []engine.Finding {
	at := func(file string, l, c, el, ec int) model.Range {
		return model.Range{Filename: file, Start: model.Pos{Line: l, Column: c}, End: model.Pos{Line: el, Column: ec}}
	}
	return []engine.Finding{
		{CheckID: "AZFUNC-040", Severity: engine.High, Message: "app <x> & \"y\" [z] \u2028 \x01 é", Range: at("main.tf", 3, 5, 3, 20),
			Resource: "azurerm_linux_function_app.a", Path: "https_only", Fingerprint: "fp1", Root: "."},
		{CheckID: "AZFUNC-050", Severity: engine.Low, Status: engine.Undetermined, Message: "unknown", Range: at("m/main.tf", 1, 1, 9, 2),
			Resource: "module.m.x", Fingerprint: "fp2", Root: "m",
			Related: []engine.Related{{Range: at("main.tf", 7, 1, 7, 10), Message: "module.m is called [here]\n"}},
			Trail: []model.Hop{
				{Kind: model.HopVarFile, Name: "var.v", Range: at("t.tfvars", 2, 5, 2, 9)},
				{Kind: model.HopAttribute, Range: at("m/main.tf", 4, 3, 4, 9)},
			}},
		{CheckID: "AZFUNC-041", Severity: engine.Medium, Message: "suppressed", Range: at("/outside/x.tf", 2, 1, 2, 4), Fingerprint: "fp3",
			Suppressed: &model.Ignore{Checks: []string{"AZFUNC-041"}, Reason: "accepted\nrisk", At: at("main.tf", 1, 1, 1, 30)}},
	}
}

// TestJSONStringMatchesEncoding: the writer's strings are encoding/json's
// (HTML escaping off) for text of every length around the eight-byte
// steps of its scan, with each kind of byte it escapes or keeps at every
// position of a step: quote, backslash, controls, DEL, the bytes next to
// the limits (0x1f, 0x20, 0x21, 0x5b, 0x5d), non-ASCII, invalid UTF-8,
// U+2028.
func TestJSONStringMatchesEncoding(t *testing.T) {
	pieces := []string{"a", "Z", " ", "!", "#", "[", "]", "~", "\x7f", "\"", "\\", "\x00", "\x1f", "\n", "\t",
		"é", "\u2028", "\u2029", "\xff", "\xe2\x80", "€", "!\"", "\"#", "[\\", "\\]"}
	check := func(s string) {
		t.Helper()
		w := &jsonWriter{ok: true}
		w.str(s)
		if want := encodingJSON(t, s); !bytes.Equal(w.b, want) {
			t.Fatalf("%q: got %s, want %s", s, w.b, want)
		}
	}
	for n := range 20 {
		for _, p := range pieces {
			for at := 0; at <= n; at++ {
				check(strings.Repeat("x", at) + p + strings.Repeat("y", n-at))
			}
		}
	}
	rnd := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		for range rnd.IntN(12) {
			if rnd.IntN(3) == 0 {
				b.WriteString(pieces[rnd.IntN(len(pieces))])
			} else {
				b.WriteString(strings.Repeat("k", rnd.IntN(17)))
			}
		}
		check(b.String())
	}
}

// TestOneLine: oneLine's shortcut (the text given back as it is) gives
// what joining the words does, for text with every kind of space at every
// place.
func TestOneLine(t *testing.T) {
	pieces := []string{"a", "bc", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u0085", "\u00a0", "é", "\x00", "\xff", "\u2028"}
	rnd := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		var b strings.Builder
		for range rnd.IntN(8) {
			b.WriteString(pieces[rnd.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("oneLine(%q) = %q, want %q", s, got, want)
		}
	}
}
