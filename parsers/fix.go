package parsers

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
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
	switch editedAs(name) {
	case model.Terraform:
		return terraform.ApplyEdits(name, src, edits)
	case model.ARM:
		return arm.ApplyEdits(src, edits)
	}
	return src, []error{notEdited(name)}
}

// editedAs returns the syntax the file named name is edited by: Terraform
// (.tf, .tofu, .tfvars), ARM JSON (.json and .jsonc, but JSON-syntax
// Terraform), or "" for a file that is not edited.
func editedAs(name string) model.Format {
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".tf" || ext == ".tofu" || ext == ".tfvars":
		return model.Terraform
	case (ext == ".json" || ext == ".jsonc") && !strings.HasSuffix(name, ".tf.json") && !strings.HasSuffix(name, ".tfvars.json"):
		return model.ARM
	}
	return ""
}

// notEdited is the error of an edit of a file that is not edited.
func notEdited(name string) error {
	return fmt.Errorf("%s: files of this kind are not edited; change the value by hand", name)
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
	err := notEdited(name)
	switch editedAs(name) {
	case model.Terraform:
		var ed *terraform.Editor
		if ed, err = terraform.NewEditor(name, src); err == nil {
			return splicedReplacements(name, src, ed.Splice)
		}
	case model.ARM:
		return splicedReplacements(name, src, arm.NewEditor(src).Splice)
	}
	return func([]model.Edit) ([]model.Replacement, error) { return nil, err }
}

// ModuleReplacements returns Replacements computed from the files as
// the parser read them into m (model.Module.Splicer), each file's
// editor made once: ok is false for edits of a file the module does not
// hold, which FileReplacements then makes from the file on disk. Fixes
// computed this way, while the module is in memory, cost no second read
// and parse of their files. It is for one goroutine.
func ModuleReplacements(m *model.Module) func([]model.Edit) (reps []model.Replacement, ok bool, err error) {
	byFile := map[string]func([]model.Edit) ([]model.Replacement, error){}
	return func(edits []model.Edit) ([]model.Replacement, bool, error) {
		if len(edits) == 0 || m.Splicer == nil {
			return nil, false, nil
		}
		name := edits[0].Range.Filename
		replace, ok := byFile[name]
		if !ok {
			// Only a file FileReplacements would edit by the module's
			// syntax.
			if src, sp, held := m.Splicer(name); held && editedAs(name) == m.Format {
				replace = splicedReplacements(name, src, sp)
			}
			byFile[name] = replace
		}
		if replace == nil {
			return nil, false, nil
		}
		reps, err := replace(edits)
		return reps, true, err
	}
}

// splicedReplacements is FileReplacements given the editor of the file:
// apply makes edits as a splice of src.
func splicedReplacements(name string, src []byte, apply model.Splice) func([]model.Edit) ([]model.Replacement, error) {
	// The position of the end of the last replacement: the next one's
	// lines are counted from there when it is further into the file.
	var last model.Pos
	replace := func(edits []model.Edit) ([]model.Replacement, error) {
		start, end, text, errs := apply(edits)
		out := splice{src: src, start: start, end: end, text: text}
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		start, endSrc, endOut, ok := out.changedRegion()
		if !ok {
			return nil, nil
		}
		// A few positions in the file: looked up without indexing it,
		// counting from a position known before them.
		from := srcpos.PosAfter(src, last, start)
		to := srcpos.PosAfter(src, from, endSrc)
		last = to
		return []model.Replacement{{
			Range: model.Range{Filename: name, Start: from, End: to},
			Text:  out.slice(start, endOut),
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
		key := editsKey(edits)
		r, ok := done[string(key)]
		if !ok {
			r.reps, r.err = replace(edits)
			done[string(key)] = r
		}
		return slices.Clone(r.reps), r.err
	}
}

// editsKey identifies a list of edits of one file: their kinds, where
// they start, their paths and values.
func editsKey(edits []model.Edit) []byte {
	var key []byte
	for _, e := range edits {
		key = append(key, e.Kind...)
		key = append(key, 0)
		for _, n := range []int{e.Range.Start.Byte, e.Range.Start.Line, e.Range.Start.Column} {
			key = strconv.AppendInt(key, int64(n), 10)
			key = append(key, ':')
		}
		for _, p := range e.Path {
			key = strconv.AppendQuote(key, p)
		}
		key = append(key, 0)
		switch v := e.Value.(type) {
		case bool:
			key = strconv.AppendBool(append(key, 'b'), v)
		case string:
			key = strconv.AppendQuote(append(key, 's'), v)
		case int:
			key = strconv.AppendInt(append(key, 'i'), int64(v), 10)
		case float64:
			key = strconv.AppendFloat(append(key, 'f'), v, 'g', -1, 64)
		default:
			key = fmt.Appendf(key, "%T:%v", v, v)
		}
		key = append(key, 1)
	}
	return key
}

// splice is an edited text given by what changed: src with
// src[start:end] replaced by text. Outside that window the edited text
// is src's, so comparing the two starts at the window.
type splice struct {
	src        []byte
	start, end int
	text       []byte
}

// len is the length of the edited text.
func (s splice) len() int { return len(s.src) - (s.end - s.start) + len(s.text) }

// at is the byte at offset i of the edited text.
func (s splice) at(i int) byte {
	switch {
	case i < s.start:
		return s.src[i]
	case i < s.start+len(s.text):
		return s.text[i-s.start]
	}
	return s.src[i-len(s.text)+s.end-s.start]
}

// slice is the edited text from offset i to j, as a string.
func (s splice) slice(i, j int) string {
	var sb strings.Builder
	sb.Grow(j - i)
	// The three parts of the text, each cut to [i, j).
	shift := len(s.text) - (s.end - s.start)
	for _, p := range [...]struct {
		b          []byte
		from, upto int // offsets of b in the edited text
	}{
		{s.src[:s.start], 0, s.start},
		{s.text, s.start, s.start + len(s.text)},
		{s.src[s.end:], s.start + len(s.text), len(s.src) + shift},
	} {
		lo, hi := max(i, p.from), min(j, p.upto)
		if lo < hi {
			sb.Write(p.b[lo-p.from : hi-p.from])
		}
	}
	return sb.String()
}

// changedRegion returns where a and b differ: a[start:endA] was replaced
// by b[start:endB]; ok is false when they are equal. The bounds fall on
// character starts and are widened to whole words.
func changedRegion(a, b []byte) (start, endA, endB int, ok bool) {
	return splice{src: a, end: len(a), text: b}.changedRegion()
}

// changedRegion returns where the edited text b differs from s.src (a):
// a[start:endA] was replaced by b[start:endB]; ok is false when they are
// equal. The bounds fall on character starts and are widened to whole
// words. The result is what comparing the two texts byte by byte from
// either end gives; the comparison starts at the edges of the window,
// the text outside it being the same in both.
func (s splice) changedRegion() (start, endA, endB int, ok bool) {
	a := s.src
	lenB := s.len()
	if s.end-s.start == len(s.text) && bytes.Equal(a[s.start:s.end], s.text) {
		return 0, 0, 0, false
	}
	n := min(len(a), lenB)
	// The common prefix: a[:s.start] at least, then compared on; the
	// window's part of it a chunk at a time.
	start = s.start + commonPrefix(a[s.start:], s.text)
	if start == s.start+len(s.text) {
		for start < n && a[start] == s.at(start) {
			start++
		}
	}
	// The common suffix: a[s.end:] at least (as far as the prefix
	// leaves), then compared on, the window's part from its end.
	suffix := min(len(a)-s.end, n-start)
	if suffix == len(a)-s.end {
		suffix += commonSuffix(a[:s.end], s.text, n-start-suffix)
		for suffix < n-start && a[len(a)-1-suffix] == s.at(lenB-1-suffix) {
			suffix++
		}
	}
	endA, endB = len(a)-suffix, lenB-suffix
	if start == endA || start == endB {
		// A pure insertion or deletion: where it sits among repeated
		// text is arbitrary; prefer the start of a line (a whole line
		// added, as a reader writes it) when sliding back reaches one.
		x := s.at
		endX := endB
		if start == endB {
			x, endX = func(i int) byte { return a[i] }, endA
		}
		lo, hi := start, endX
		for lo > 0 && x(lo-1) != '\n' && x(lo-1) == x(hi-1) {
			lo--
			hi--
		}
		if lo == 0 || x(lo-1) == '\n' {
			shift := start - lo
			return lo, endA - shift, endB - shift, true
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

// chunk is how many bytes commonPrefix and commonSuffix compare at once.
const chunk = 64

// commonPrefix returns the length of the longest common prefix of x and
// y, comparing a chunk at a time before the byte that differs.
func commonPrefix(x, y []byte) int {
	n := min(len(x), len(y))
	i := 0
	for i+chunk <= n && bytes.Equal(x[i:i+chunk], y[i:i+chunk]) {
		i += chunk
	}
	for i < n && x[i] == y[i] {
		i++
	}
	return i
}

// commonSuffix returns the length of the longest common suffix of x and
// y, at most limit, comparing a chunk at a time.
func commonSuffix(x, y []byte, limit int) int {
	n := min(len(x), len(y), limit)
	i := 0
	for i+chunk <= n && bytes.Equal(x[len(x)-i-chunk:len(x)-i], y[len(y)-i-chunk:len(y)-i]) {
		i += chunk
	}
	for i < n && x[len(x)-1-i] == y[len(y)-1-i] {
		i++
	}
	return i
}

// wordByte reports whether c is part of a word of a value or name:
// letters, digits and the . _ - of versions and identifiers.
func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}
