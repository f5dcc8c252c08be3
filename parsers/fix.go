package parsers

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/arm"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
	"github.com/azfuncscan/azfuncscan/parsers/terraform"
)

// ApplyEdits applies fix edits to src, the contents of the file named
// name (every edit's range names it), by the syntax of that file: hclwrite for Terraform
// (.tf, .tofu, .tfvars), byte-range edits for ARM JSON (templates and
// parameter files). Other files (Pulumi stack exports, .bicep sources,
// JSON-syntax Terraform) are not edited: an error says so. An edit that
// cannot be applied is left out, with its error; the others are applied.
func ApplyEdits(name string, src []byte, edits []model.Edit) ([]byte, []error) {
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".tf" || ext == ".tofu" || ext == ".tfvars":
		return terraform.ApplyEdits(name, src, edits)
	case isARM(name, ext):
		return arm.ApplyEdits(src, edits)
	}
	return src, []error{fmt.Errorf("%s: files of this kind are not edited; change the value by hand", name)}
}

// isARM reports whether the file named name, of extension ext (lower
// case), is edited as ARM JSON.
func isARM(name, ext string) bool {
	return (ext == ".json" || ext == ".jsonc") && !strings.HasSuffix(name, ".tf.json") && !strings.HasSuffix(name, ".tfvars.json")
}

// Replacements returns the concrete text changes that edits, all of the
// file named name whose contents are src, make in it: they are applied
// together (as ApplyEdits does) and the changed region of the result is
// the one replacement, trimmed of the text common to both versions on
// either side and then widened to whole words (so that false becomes
// true, not "fals" "tru"), never splitting a character; an insertion or
// deletion of whole lines starts at the start of a line. Positions count
// lines from 1 and columns in characters from 1; the range names name.
// Edits applied together give one region, never overlapping ones (two
// attributes added to one Terraform block realign it once). An edit
// that cannot be applied is an error, and then there is no replacement
// at all; edits that change nothing (the values are already right) give
// no replacement.
func Replacements(name string, src []byte, edits []model.Edit) ([]model.Replacement, error) {
	return FileReplacements(name, src)(edits)
}

// FileReplacements returns Replacements for the file named name with
// contents src, prepared once for all the edits it is then given: a
// Terraform or ARM file is parsed once, not once per call.
func FileReplacements(name string, src []byte) func([]model.Edit) ([]model.Replacement, error) {
	apply := func(edits []model.Edit) ([]byte, []error) { return ApplyEdits(name, src, edits) }
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".tf" || ext == ".tofu" || ext == ".tfvars":
		ed, err := terraform.NewEditor(name, src)
		if err != nil {
			return func([]model.Edit) ([]model.Replacement, error) { return nil, err }
		}
		apply = ed.Apply
	case isARM(name, ext):
		apply = arm.NewEditor(src).Apply
	}
	var ix *srcpos.Index[[]byte]
	replace := func(edits []model.Edit) ([]model.Replacement, error) {
		out, errs := apply(edits)
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		start, endSrc, endOut, ok := changedRegion(src, out)
		if !ok {
			return nil, nil
		}
		if ix == nil {
			ix = srcpos.New(src)
		}
		return []model.Replacement{{
			Range: model.Range{Filename: name, Start: ix.Pos(start), End: ix.Pos(endSrc)},
			Text:  string(out[start:endOut]),
		}}, nil
	}
	// The instances of one resource (count, for_each) give the same edits
	// of the same block: they are made once.
	type result struct {
		reps []model.Replacement
		err  error
	}
	done := map[string]result{}
	return func(edits []model.Edit) ([]model.Replacement, error) {
		var key strings.Builder
		for _, e := range edits {
			fmt.Fprintf(&key, "%s\x00%d:%d:%d\x00%q\x00%T:%v\x01", e.Kind, e.Range.Start.Byte, e.Range.Start.Line, e.Range.Start.Column, e.Path, e.Value, e.Value)
		}
		r, ok := done[key.String()]
		if !ok {
			r.reps, r.err = replace(edits)
			done[key.String()] = r
		}
		return slices.Clone(r.reps), r.err
	}
}

// changedRegion returns where a and b differ: a[start:endA] was replaced
// by b[start:endB]; ok is false when they are equal. The bounds fall on
// character starts and are widened to whole words.
func changedRegion(a, b []byte) (start, endA, endB int, ok bool) {
	if bytes.Equal(a, b) {
		return 0, 0, 0, false
	}
	n := min(len(a), len(b))
	for start < n && a[start] == b[start] {
		start++
	}
	suffix := 0
	for suffix < n-start && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	endA, endB = len(a)-suffix, len(b)-suffix
	if start == endA || start == endB {
		// A pure insertion or deletion: where it sits among repeated
		// text is arbitrary; prefer the start of a line (a whole line
		// added, as a reader writes it) when sliding back reaches one.
		x, endX := b, endB
		if start == endB {
			x, endX = a, endA
		}
		s, e := start, endX
		for s > 0 && x[s-1] != '\n' && x[s-1] == x[e-1] {
			s--
			e--
		}
		if s == 0 || x[s-1] == '\n' {
			shift := start - s
			return s, endA - shift, endB - shift, true
		}
	}
	// The common prefix a[:start] is the same in both: back up to the
	// start of a character and of a word.
	for start > 0 && (start < len(a) && !utf8.RuneStart(a[start]) || wordByte(a[start-1])) {
		start--
	}
	// Likewise forwards over the common suffix.
	for endA < len(a) && (!utf8.RuneStart(a[endA]) || wordByte(a[endA])) {
		endA++
		endB++
	}
	return start, endA, endB, true
}

// wordByte reports whether c is part of a word of a value or name:
// letters, digits and the . _ - of versions and identifiers.
func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}
