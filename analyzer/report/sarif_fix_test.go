package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

// withFixes gives the test report's HTTPS (a literal replaced) and TLS (a
// variable's default) findings a fix, and the CORS finding of the infra
// root one whose edit gives no replacement (as for a file that is not
// edited); FixChanges stands for the parsers.
func withFixes(r *report.Report) {
	for i := range r.Findings {
		f := &r.Findings[i]
		switch f.Fingerprint {
		case "fp-040":
			f.Fix = &engine.Fix{Message: "Fix: set https_only of " + app + " to true",
				Edits: []model.Edit{{Kind: model.EditReplace, Range: f.Trail[0].Range, Value: true}}}
		case "fp-041":
			f.Fix = &engine.Fix{Message: `Fix: set the default of var.min_tls to "1.2"`,
				Edits: []model.Edit{{Kind: model.EditDefault, Range: f.Trail[0].Range, Value: "1.2"}}}
		case "fp-009":
			f.Fix = &engine.Fix{Message: "Fix: unusable", Edits: []model.Edit{{Kind: model.EditReplace, Range: rng("infra/app.bicep", 1, 1, 1, 2)}}}
		}
	}
	r.FixChanges = func(edits []model.Edit) ([]model.Replacement, error) {
		e := edits[0]
		switch e.Range.Filename {
		case "infra/main.tf":
			// Replace the literal false (11:15-11:20); and, to show
			// the order, add a line further down first.
			return []model.Replacement{
				{Range: model.Range{Filename: e.Range.Filename, Start: model.Pos{Line: 30, Column: 1, Byte: 900}, End: model.Pos{Line: 30, Column: 1, Byte: 900}}, Text: "  # fixed\n"},
				{Range: model.Range{Filename: e.Range.Filename, Start: model.Pos{Line: 11, Column: 15, Byte: 300}, End: model.Pos{Line: 11, Column: 20, Byte: 305}}, Text: "true"},
			}, nil
		case "infra/variables.tf":
			return []model.Replacement{{Range: model.Range{Filename: e.Range.Filename, Start: model.Pos{Line: 3, Column: 14, Byte: 60}, End: model.Pos{Line: 3, Column: 17, Byte: 63}}, Text: "1.2"}}, nil
		}
		return nil, errors.New("files of this kind are not edited")
	}
}

type sarifFixDoc struct {
	Runs []struct {
		Results []struct {
			RuleID              string            `json:"ruleId"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Fixes []struct {
				Description     struct{ Text string } `json:"description"`
				ArtifactChanges []struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Replacements []struct {
						DeletedRegion struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
							EndLine     int `json:"endLine"`
							EndColumn   int `json:"endColumn"`
						} `json:"deletedRegion"`
						InsertedContent *struct {
							Text *string `json:"text"`
						} `json:"insertedContent"`
					} `json:"replacements"`
				} `json:"artifactChanges"`
			} `json:"fixes"`
		} `json:"results"`
	} `json:"runs"`
}

// TestSARIFFixes: a result whose finding has a fix carries it (the fix's
// message, the file as the result's locations name it, each replacement's
// deleted region and inserted text, in file order); other results, and a
// fix whose edit gives no replacement, carry none; both schemas accept it.
func TestSARIFFixes(t *testing.T) {
	r := testReport(true)
	withFixes(r)
	data := render(t, report.FormatSARIF, r, report.TextOptions{})
	if err := sariftest.Validate(data); err != nil {
		t.Fatalf("SARIF with fixes: %v", err)
	}
	var doc sarifFixDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	type rep struct {
		sl, sc, el, ec int
		text           string
	}
	want := map[string]struct {
		desc, uri string
		reps      []rep
	}{
		"fp-040": {desc: "Fix: set https_only of " + app + " to true", uri: "infra/main.tf", reps: []rep{{11, 15, 11, 20, "true"}, {30, 1, 30, 1, "  # fixed\n"}}},
		"fp-041": {desc: `Fix: set the default of var.min_tls to "1.2"`, uri: "infra/variables.tf", reps: []rep{{3, 14, 3, 17, "1.2"}}},
	}
	seen := 0
	for _, res := range doc.Runs[0].Results {
		fp := res.PartialFingerprints[report.FingerprintKey]
		w, ok := want[fp]
		if !ok {
			if len(res.Fixes) != 0 {
				t.Errorf("%s (%s) has fixes although it has no usable fix", res.RuleID, fp)
			}
			continue
		}
		seen++
		if len(res.Fixes) != 1 || len(res.Fixes[0].ArtifactChanges) != 1 {
			t.Errorf("%s: fixes %+v, want one fix of one file", fp, res.Fixes)
			continue
		}
		fx := res.Fixes[0]
		if fx.Description.Text != w.desc {
			t.Errorf("%s: description %q, want %q", fp, fx.Description.Text, w.desc)
		}
		ch := fx.ArtifactChanges[0]
		if ch.ArtifactLocation.URI != w.uri || ch.ArtifactLocation.URIBaseID != report.SRCRoot {
			t.Errorf("%s: artifact %+v, want %s under %s", fp, ch.ArtifactLocation, w.uri, report.SRCRoot)
		}
		if res.Locations[0].PhysicalLocation.ArtifactLocation.URIBaseID != ch.ArtifactLocation.URIBaseID {
			t.Errorf("%s: the fix's artifact and the result's location use different base ids", fp)
		}
		var got []rep
		for _, rp := range ch.Replacements {
			d := rp.DeletedRegion
			if rp.InsertedContent == nil || rp.InsertedContent.Text == nil {
				t.Errorf("%s: a replacement without insertedContent.text", fp)
				continue
			}
			got = append(got, rep{d.StartLine, d.StartColumn, d.EndLine, d.EndColumn, *rp.InsertedContent.Text})
		}
		if len(got) != len(w.reps) {
			t.Errorf("%s: replacements %+v, want %+v", fp, got, w.reps)
			continue
		}
		for i := range got {
			if got[i] != w.reps[i] {
				t.Errorf("%s: replacement %d is %+v, want %+v", fp, i, got[i], w.reps[i])
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d results with fixes found, want %d", seen, len(want))
	}
	// NewFixChanges instead, one FixChanges per goroutine of the writer:
	// the same document.
	serial := render(t, report.FormatSARIF, r, report.TextOptions{})
	fc := r.FixChanges
	var made atomic.Int32
	r.FixChanges = nil
	r.NewFixChanges = func() func([]model.Edit) ([]model.Replacement, error) {
		made.Add(1) // once per goroutine of the writer
		return fc
	}
	if got := render(t, report.FormatSARIF, r, report.TextOptions{}); !bytes.Equal(got, serial) {
		t.Errorf("with NewFixChanges:\n%s\nwith FixChanges:\n%s", got, serial)
	}
	if made.Load() == 0 {
		t.Error("NewFixChanges was not called")
	}
	r.NewFixChanges = nil
	// Without FixChanges (no source to compute them from): no fixes.
	if out := string(render(t, report.FormatSARIF, r, report.TextOptions{})); strings.Contains(out, `"fixes"`) {
		t.Error("fixes without replacements")
	}
}

// TestResolveFixesGroupsEditsByFile: the edits of a fix are given to
// changes file by file, in the order of the files' names, each file's
// edits together and in their order, however the fix interleaves them;
// the replacements come back sorted by file and offset. A file changes
// cannot make leaves the fix unresolved; an edit it cannot apply leaves
// the fix without replacements.
func TestResolveFixesGroupsEditsByFile(t *testing.T) {
	edit := func(file string, off int) model.Edit {
		return model.Edit{Kind: model.EditReplace, Range: model.Range{Filename: file, Start: model.Pos{Line: 1, Column: off + 1, Byte: off}}, Value: true}
	}
	finding := func() []engine.Finding {
		return []engine.Finding{{CheckID: "AZFUNC-001", Status: engine.Fail, Fix: &engine.Fix{
			Message: "fix",
			Edits:   []model.Edit{edit("b.tf", 10), edit("a.tf", 5), edit("b.tf", 3)},
		}}}
	}
	var calls []string
	record := func(edits []model.Edit) []model.Replacement {
		call := edits[0].Range.Filename + ":"
		var reps []model.Replacement
		for _, e := range edits {
			call += " " + strconv.Itoa(e.Range.Start.Byte)
			reps = append(reps, model.Replacement{Range: e.Range, Text: e.Range.String()})
		}
		calls = append(calls, call)
		return reps
	}

	fs := finding()
	report.ResolveFixes(fs, func(edits []model.Edit) ([]model.Replacement, bool, error) {
		return record(edits), true, nil
	})
	if want := []string{"a.tf: 5", "b.tf: 10 3"}; !slices.Equal(calls, want) {
		t.Errorf("changes called with %q, want %q", calls, want)
	}
	var got []string
	for _, r := range fs[0].Fix.Changes {
		got = append(got, r.Text)
	}
	if want := []string{"a.tf:1:6", "b.tf:1:4", "b.tf:1:11"}; !fs[0].Fix.Resolved || !slices.Equal(got, want) {
		t.Errorf("resolved %v, replacements %q; want resolved, %q", fs[0].Fix.Resolved, got, want)
	}

	fs = finding()
	report.ResolveFixes(fs, func(edits []model.Edit) ([]model.Replacement, bool, error) {
		return nil, edits[0].Range.Filename != "b.tf", nil
	})
	if fs[0].Fix.Resolved || fs[0].Fix.Changes != nil {
		t.Errorf("a file changes cannot make: resolved %v, replacements %v; want unresolved, none", fs[0].Fix.Resolved, fs[0].Fix.Changes)
	}

	fs = finding()
	report.ResolveFixes(fs, func(edits []model.Edit) ([]model.Replacement, bool, error) {
		if edits[0].Range.Filename == "a.tf" {
			return nil, true, errors.New("cannot apply")
		}
		return record(edits), true, nil
	})
	if !fs[0].Fix.Resolved || fs[0].Fix.Changes != nil {
		t.Errorf("an edit that cannot be made: resolved %v, replacements %v; want resolved, none", fs[0].Fix.Resolved, fs[0].Fix.Changes)
	}
}
