package report

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestSARIFFindingJSONMatchesResult: a result written straight from its
// finding is, compact and indented, the bytes written for the result
// sarifResult builds, for findings as scans make them and for random
// findings with every field set or not (odd text, ranges without a file
// or a line, suppressions, fixes, undetermined).
func TestSARIFFindingJSONMatchesResult(t *testing.T) {
	r := &Report{BaseDir: "proj", WorkDir: "proj"}
	at := func(file string, l, c, el, ec int) model.Range {
		return model.Range{Filename: file, Start: model.Pos{Line: l, Column: c}, End: model.Pos{Line: el, Column: ec}}
	}
	findings := append(sampleFindings(),
		engine.Finding{CheckID: "AZFUNC-042", Severity: engine.Critical, Message: "fixed", Range: at("main.tf", 5, 1, 5, 4),
			Fix: &engine.Fix{Message: "Set it", Resolved: true, Changes: []model.Replacement{
				{Range: at("main.tf", 5, 1, 5, 4), Text: "x = 1\n"}, {Range: at("b.tf", 2, 0, 1, 0), Text: ""},
			}}},
		engine.Finding{CheckID: "AZFUNC-043", Message: "no file", Range: at("", 0, 0, 0, 0)},
	)
	rnd := rand.New(rand.NewPCG(9, 10))
	for range 300 {
		var f engine.Finding
		fillRandom(rnd, reflect.ValueOf(&f).Elem())
		findings = append(findings, f)
	}
	for i := range findings {
		f := &findings[i]
		fx := r.sarifFix(f, nil)
		want, ok := sarifResultJSON{r.sarifResult(f, fx).WithRuleIndex(i)}.appendCompactJSON([]byte("x"))
		if !ok {
			t.Fatalf("finding %d: the result writer refused the result", i)
		}
		got, ok := sarifFindingJSON{r: r, f: f, fx: fx, ruleIndex: i}.appendCompactJSON([]byte("x"))
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("finding %d:\ngot  %s\nwant %s", i, got, want)
		}
		want, _ = sarifResultJSON{r.sarifResult(f, fx).WithRuleIndex(i)}.appendIndentedJSON([]byte("x"), "  ")
		got, ok = sarifFindingJSON{r: r, f: f, fx: fx, ruleIndex: i}.appendIndentedJSON([]byte("x"), "  ")
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("finding %d, indented:\ngot  %s\nwant %s", i, got, want)
		}
	}
}
