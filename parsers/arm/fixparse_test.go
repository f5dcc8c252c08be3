package arm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// treeLocate finds what starts at off in decodeJSON's tree: a value (v),
// or the key of a member (fd; v is nil then). It is what the editor did
// before it decoded only what it looks at, kept to check that.
func treeLocate(root *jval, off int) (v *jval, fd *jfield) {
	cur := root
	for cur != nil {
		if cur.start == off {
			return cur, nil
		}
		var next *jval
		switch cur.kind {
		case model.KindObject:
			for i := range cur.fields {
				f := &cur.fields[i]
				if f.keyStart == off {
					return nil, f
				}
				if f.val.start <= off && off < f.val.end {
					next = f.val
					break
				}
			}
		case model.KindList:
			for _, it := range cur.items {
				if it.start <= off && off < it.end {
					next = it
					break
				}
			}
		}
		cur = next
	}
	return nil, nil
}

// treeParamOf returns the parameter declaration (an object under the
// template's "parameters") whose defaultValue is v, in decodeJSON's tree.
func treeParamOf(root, v *jval) *jval {
	for _, f := range root.get("parameters").fieldsOrNil() {
		if f.val.isObject() && f.val.get("defaultValue") == v {
			return f.val
		}
	}
	return nil
}

// fieldsOrNil is v's members, nil when v is not an object.
func (v *jval) fieldsOrNil() []jfield {
	if !v.isObject() {
		return nil
	}
	return v.fields
}

// treeParse is what the editor read before: the whole tree.
func treeParse(text []byte) (*jval, bool) {
	return decodeJSON(flattenStrings(jsonc.ToJSON(text)))
}

// fixParseTexts are texts that exercise the corners of parse: comments,
// trailing commas, control characters in strings, escaped and
// case-folded keys, duplicate members, deep nesting, and broken JSON.
func fixParseTexts(t testing.TB) [][]byte {
	texts := []string{
		`{"PARAMETERS": {"a": {"DefaultValue": 1, "DEFAULTVALUE": 2}}, "Parameters": {"b": {"defaultValue": 3}}}`,
		`{"parameters": {"a": {"type": "bool", "defaultValue": false}}, "resources": []}`,
		"{\n  // a comment\n  \"parameters\": {\"a\": {\"defaultValue\": 1, /* here */ \"type\": \"int\",},},\n}\n",
		"{\"Parameters\": {\"a\": {\"DefaultValue\": \"x\"}, \"b\": {\"defaultValue\": \"y\", \"defaultvalue\": \"z\"}}}",
		`{"param\u0065ters": {"a\"b": {"defaultValue": "\u00e9"}}, "parameters": {"c": {"defaultValue": true}}}`,
		"{\"parameters\": {\"a\": {\"defaultValue\": \"tab\there\"}}, \"k\": \"new\nline\"}",
		`{"parameters": 1, "parameters": {"a": {"defaultValue": [1, {"x": -0.5e+3}, "s", null]}}}`,
		`[1, [2, [3, {"a": [true, false]}]], "x"]`,
		`  "just a string"  `,
		`{"a": {"b": 1} "c": 2}`,
		`{"a": 01}`,
		`{"a": 1E700, "parameters": {"p": {"defaultValue": 1}}}`,
		`{"a": [-1e309]}`,
		`{"a": 1e308, "b": 1e-400, "c": 12345678901234567890123}`,
		`{"a": ` + strings.Repeat("9", 310) + `}`,
		`{"a": "\x"}`,
		`{"a": tru}`,
		`{"a": 1,}`,
		`[1, 2,]`,
		`{"a": "b/c", "d": "//not a comment"}`,
		`{"a": 1} /* unterminated`,
		`{"a": 1} // trailing`,
		"",
		`{}`,
		`[]`,
		strings.Repeat("[", maxJSONDepth+2) + `{"a": 1}` + strings.Repeat("]", maxJSONDepth+2),
		strings.Repeat(`{"a":`, 300) + "1" + strings.Repeat("}", 300),
		strings.Repeat("[", maxValidDepth+1) + strings.Repeat("]", maxValidDepth+1),
	}
	var out [][]byte
	for _, s := range texts {
		out = append(out, []byte(s))
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "arm", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no ARM fixtures: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))
	}
	return out
}

// TestParseMatchesTree checks that what the editor finds without
// decoding a whole template is what it found in decodeJSON's tree: the
// same validity, and at every offset where a value or a key starts (and
// at others), the same value, member and parameter declaration. Broken
// variants of every text (bytes removed or inserted) check validity.
func TestParseMatchesTree(t *testing.T) {
	if testing.Short() {
		t.Skip("serial, over every fixture: skipped with -short (the race step of .ci/run); the plain go test step runs it")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	texts := fixParseTexts(t)
	found, located := 0, 0
	for n, text := range texts {
		variants := [][]byte{text}
		for range 40 {
			if len(text) == 0 {
				break
			}
			v := bytes.Clone(text)
			i := rng.IntN(len(v))
			if rng.IntN(2) == 0 {
				v = append(v[:i], v[i+1:]...)
			} else {
				v = append(v[:i], append([]byte{`{}[],:"\/ *\t\n\x01a0eE.-u`[rng.IntN(21)]}, v[i:]...)...)
			}
			variants = append(variants, v)
		}
		for k, v := range variants {
			root, ok := treeParse(bytes.Clone(v))
			p := parse(v)
			if p.ok != ok {
				t.Fatalf("text %d variant %d %q: parse ok %v, decodeJSON %v", n, k, v, p.ok, ok)
			}
			if !ok {
				continue
			}
			if want := flattenStrings(jsonc.ToJSON(v)); !bytes.Equal(p.conv, want) {
				t.Fatalf("text %d variant %d: the text decoded differs", n, k)
			}
			if k > 0 && n%8 != 0 {
				continue // offsets: the texts as written, and a few variants
			}
			// The loader's Editor takes the text as checked by its
			// decoding, and the ends of the containers of its tree.
			var loaded *parsedText
			if f, _ := parseJSON("t.json", bytes.Clone(v)); f.strict {
				loaded = checked(f.text, f.ctl, containerEnds(f.root, f.text))
			}
			for _, off := range offsetsToTry(rng, root, len(v)) {
				want, wantFd := treeLocate(root, off)
				got, gotFd := p.locate(off, false)
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotFd, wantFd) {
					t.Fatalf("text %d variant %d offset %d: locate gives %+v %+v, the tree %+v %+v", n, k, off, got, gotFd, want, wantFd)
				}
				if loaded != nil {
					if got, gotFd := loaded.locate(off, false); !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotFd, wantFd) {
						t.Fatalf("text %d variant %d offset %d: locate as loaded gives %+v %+v, the tree %+v %+v", n, k, off, got, gotFd, want, wantFd)
					}
					located++
				}
				if want == nil {
					continue
				}
				found++
				if got, want := p.paramOf(got), treeParamOf(root, want); !reflect.DeepEqual(got, want) {
					t.Fatalf("text %d variant %d offset %d: paramOf gives %+v, the tree %+v", n, k, off, got, want)
				}
				// Decoded shallow, then expanded: the same value, and
				// the same members set.
				sh, _ := p.locate(off, true)
				if got := expandAll(p, sh); !reflect.DeepEqual(got, want) {
					t.Fatalf("text %d variant %d offset %d: shallow and expanded %+v, the tree %+v", n, k, off, got, want)
				}
				sh, _ = p.locate(off, true)
				for _, path := range memberPaths(want) {
					wc, werr := setMember(v, p.st, want, path, "true", func(v *jval) *jval { return v })
					gc, gerr := setMember(v, p.st, sh, path, "true", p.expand)
					if !reflect.DeepEqual(gc, wc) || fmt.Sprint(gerr) != fmt.Sprint(werr) {
						t.Fatalf("text %d variant %d offset %d path %q: setMember on the shallow value %+v %v, on the tree %+v %v", n, k, off, path, gc, gerr, wc, werr)
					}
				}
			}
		}
	}
	if found < 1000 || located < 1000 {
		t.Errorf("only %d values located, %d offsets as loaded", found, located)
	}
}

// expandAll expands every stub in v (see parsedText.shallow).
func expandAll(p *parsedText, v *jval) *jval {
	v = p.expand(v)
	for i := range v.fields {
		v.fields[i].val = expandAll(p, v.fields[i].val)
	}
	for i := range v.items {
		v.items[i] = expandAll(p, v.items[i])
	}
	return v
}

// memberPaths returns paths setMember may be given below object v:
// each member, a member of each object member, and missing ones.
func memberPaths(v *jval) [][]string {
	if !v.isObject() {
		return nil
	}
	paths := [][]string{{"azfuncscanMissing"}, {"azfuncscanMissing", "deeper"}}
	for _, f := range v.fields {
		paths = append(paths, []string{f.key}, []string{f.key, "azfuncscanMissing"})
		if f.val.isObject() {
			for _, g := range f.val.fields {
				paths = append(paths, []string{f.key, g.key}, []string{f.key, g.key, "azfuncscanMissing"})
			}
		}
	}
	return paths
}

// offsetsToTry returns every offset of a short text of length n; of a
// longer one, offsets where values and keys of the tree start and end
// (120 of them at most, at random), and some anywhere.
func offsetsToTry(rng *rand.Rand, root *jval, n int) []int {
	var offs []int
	var walk func(v *jval)
	walk = func(v *jval) {
		offs = append(offs, v.start, v.end, v.end-1)
		for _, f := range v.fields {
			offs = append(offs, f.keyStart, f.keyStart+1)
			walk(f.val)
		}
		for _, it := range v.items {
			walk(it)
		}
	}
	if n < 600 {
		// A short text: every offset.
		for off := range n + 1 {
			offs = append(offs, off)
		}
		return offs
	}
	walk(root)
	// Some of them: each is a walk from the top.
	rng.Shuffle(len(offs), func(i, j int) { offs[i], offs[j] = offs[j], offs[i] })
	offs = offs[:min(len(offs), 120)]
	for range 10 {
		offs = append(offs, rng.IntN(n+1))
	}
	return append(offs, 0, n)
}

// TestParseCopiesOnlyWhenNeeded checks that strict JSON is read in place
// and that a text with comments or control characters is not changed.
func TestParseCopiesOnlyWhenNeeded(t *testing.T) {
	strict := []byte(`{"a": "b/c"}`)
	if p := parse(strict); !p.ok || &p.conv[0] != &strict[0] {
		t.Error("strict JSON was copied")
	}
	for _, s := range []string{"{\"a\": 1 // c\n}", "{\"a\": \"x\ty\"}", `{"a": [1,],}`} {
		text := []byte(s)
		p := parse(text)
		if !p.ok || string(text) != s || &p.conv[0] == &text[0] {
			t.Errorf("%q: ok %v, text now %q, read in place %v", s, p.ok, text, &p.conv[0] == &text[0])
		}
	}
}

// TestJSONTextMatchesEncoder checks the values jsonText writes without
// an encoder against encoding/json.
func TestJSONTextMatchesEncoder(t *testing.T) {
	for _, v := range []any{true, false, 0, 1, -1, 443, math.MaxInt, math.MinInt, "x<&>\u2028\"", 1.5, int64(-7), uint64(math.MaxUint64)} {
		got, err := jsonText(v)
		if err != nil {
			t.Fatalf("%v: %v", v, err)
		}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := v.(string); ok {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				t.Fatal(err)
			}
			want = bytes.TrimSpace(b.Bytes())
		}
		if got != string(want) {
			t.Errorf("%#v: %s, encoding/json %s", v, got, want)
		}
	}
}

// FuzzParseMatchesTree checks parse's validity and decoded text against
// decodeJSON's (the validator follows the decoder's grammar: this finds
// where they part). go test ./parsers/arm -run - -fuzz ParseMatchesTree
func FuzzParseMatchesTree(f *testing.F) {
	for _, text := range fixParseTexts(f) {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		root, ok := treeParse(bytes.Clone(text))
		p := parse(bytes.Clone(text))
		if p.ok != ok {
			t.Fatalf("%q: parse ok %v, decodeJSON %v", text, p.ok, ok)
		}
		if !ok {
			return
		}
		if want := flattenStrings(jsonc.ToJSON(text)); !bytes.Equal(p.conv, want) {
			t.Fatalf("%q: the text decoded differs", text)
		}
		if got := p.decode(skipSpace(p.conv, 0), 0); !reflect.DeepEqual(got, root) {
			t.Fatalf("%q: the top value decoded alone differs", text)
		}
	})
}
