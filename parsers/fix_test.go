package parsers_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers"
)

// applyReplacements applies replacements (in order, non-overlapping) to
// src by their byte offsets.
func applyReplacements(src string, rs []model.Replacement) string {
	var b strings.Builder
	at := 0
	for _, r := range rs {
		b.WriteString(src[at:r.Range.Start.Byte])
		b.WriteString(r.Text)
		at = r.Range.End.Byte
	}
	return b.String() + src[at:]
}

func TestReplacements(t *testing.T) {
	const tf = `# café ☕ config
resource "azurerm_linux_function_app" "api" {
  name       = "api"
  https_only = false

  site_config {
    minimum_tls_version = "1.0"
  }
}
`
	at := func(sub string) model.Pos {
		off := strings.Index(tf, sub)
		line := strings.Count(tf[:off], "\n") + 1
		col := len([]rune(tf[strings.LastIndex(tf[:off], "\n")+1:off])) + 1
		return model.Pos{Line: line, Column: col, Byte: off}
	}
	tests := []struct {
		name       string
		edit       model.Edit
		start, end string // the text at the deleted region's ends
		deleted    string
		text       string
	}{
		{
			name:    "replace a bool",
			edit:    model.Edit{Kind: model.EditReplace, Range: model.Range{Filename: "main.tf", Start: at("false")}, Value: true},
			deleted: "false", text: "true",
		},
		{
			name:    "replace a string",
			edit:    model.Edit{Kind: model.EditReplace, Range: model.Range{Filename: "main.tf", Start: at(`"1.0"`)}, Value: "1.2"},
			deleted: "1.0", text: "1.2",
		},
		{
			// Formatted: the new attribute's = is aligned with its
			// neighbour's.
			name:    "add an attribute",
			edit:    model.Edit{Kind: model.EditAdd, Range: model.Range{Filename: "main.tf", Start: at("resource")}, Path: []string{"site_config", "http2_enabled"}, Value: true},
			deleted: "", text: "    http2_enabled       = true\n",
		},
	}
	// One prepared file answers every edit alone, in any order, as
	// Replacements does for each: an edit given before leaves no trace.
	replace := parsers.FileReplacements("main.tf", []byte(tf))
	for _, i := range []int{2, 0, 1, 0, 2} {
		got, err := replace([]model.Edit{tests[i].edit})
		want, werr := parsers.Replacements("main.tf", []byte(tf), []model.Edit{tests[i].edit})
		if err != nil || werr != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s through FileReplacements: %+v (%v), alone: %+v (%v)", tests[i].name, got, err, want, werr)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := parsers.Replacements("main.tf", []byte(tf), []model.Edit{tt.edit})
			if err != nil {
				t.Fatal(err)
			}
			if len(rs) != 1 {
				t.Fatalf("%d replacements, want 1: %+v", len(rs), rs)
			}
			r := rs[0]
			if got := tf[r.Range.Start.Byte:r.Range.End.Byte]; got != tt.deleted || r.Text != tt.text {
				t.Errorf("replaces %q by %q, want %q by %q", got, r.Text, tt.deleted, tt.text)
			}
			if r.Range.Filename != "main.tf" {
				t.Errorf("file %q", r.Range.Filename)
			}
			// Lines and columns (characters) agree with the offsets.
			for _, p := range []model.Pos{r.Range.Start, r.Range.End} {
				want := model.Pos{Line: strings.Count(tf[:p.Byte], "\n") + 1, Byte: p.Byte}
				want.Column = len([]rune(tf[strings.LastIndex(tf[:p.Byte], "\n")+1:p.Byte])) + 1
				if p != want {
					t.Errorf("position %+v, want %+v", p, want)
				}
			}
			// The replacement is exactly what the edit does.
			out, errs := parsers.ApplyEdits("main.tf", []byte(tf), []model.Edit{tt.edit})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if got := applyReplacements(tf, rs); got != string(out) {
				t.Errorf("replacements give\n%s\nthe edit gives\n%s", got, out)
			}
			// Once applied, the edit changes nothing more.
			again, err := parsers.Replacements("main.tf", out, []model.Edit{tt.edit})
			if tt.edit.Kind != model.EditAdd && (err != nil || len(again) != 0) {
				t.Errorf("on the fixed file: %+v, %v", again, err)
			}
		})
	}
}

func TestReplacementsRefused(t *testing.T) {
	const text = "resource \"x\" \"y\" {\n  https_only = !var.off\n}\n"
	src := []byte(text)
	e := model.Edit{Kind: model.EditReplace, Range: model.Range{Filename: "main.tf", Start: model.Pos{Line: 2, Column: 16, Byte: strings.Index(text, "!")}}, Value: true}
	if rs, err := parsers.Replacements("main.tf", src, []model.Edit{e}); err == nil || len(rs) != 0 {
		t.Errorf("an expression was replaced: %+v, %v", rs, err)
	}
	if rs, err := parsers.Replacements("Pulumi.dev.json", []byte(`{}`), []model.Edit{e}); err == nil || len(rs) != 0 {
		t.Errorf("a stack export was edited: %+v, %v", rs, err)
	}
}
