package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/checks"
)

// TestEncodeStreamedSameBytes: filling an array while writing gives the
// bytes of encoding the filled document at once, whatever the depth of
// the array, for no, one and several elements, with characters that HTML
// escaping would change.
func TestEncodeStreamedSameBytes(t *testing.T) {
	type item struct {
		Name string         `json:"name"`
		Tags []string       `json:"tags"`
		More map[string]int `json:"more"`
	}
	type inner struct {
		ID    string `json:"id"`
		Items []item `json:"items"`
		After string `json:"after"`
	}
	type doc struct {
		Version int     `json:"version"`
		Runs    []inner `json:"runs"`
	}
	all := []item{
		{Name: "a<b>&c", Tags: []string{"x", "y"}, More: map[string]int{"k": 1}},
		{Name: "\"items\": []", Tags: []string{}},
		{Name: "three"},
	}
	for n := range len(all) + 1 {
		full := doc{Version: 1, Runs: []inner{{ID: "r", Items: append([]item{}, all[:n]...), After: "z"}}}
		var want bytes.Buffer
		if err := encodeJSON(&want, full); err != nil {
			t.Fatal(err)
		}
		empty := doc{Version: 1, Runs: []inner{{ID: "r", Items: []item{}, After: "z"}}}
		var got bytes.Buffer
		if err := encodeStreamed(&got, empty, "items", n, func(i int) any { return all[i] }); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d elements: streamed\n%s\nwant\n%s", n, got.String(), want.String())
		}
	}
	// No empty array under the key: an error, not a wrong document.
	var out bytes.Buffer
	err := encodeStreamed(&out, doc{Runs: []inner{{Items: all}}}, "items", 1, func(i int) any { return all[i] })
	if err == nil || !strings.Contains(err.Error(), `"items"`) {
		t.Errorf("array not empty: err %v", err)
	}
}

// TestEscapersMatchReplacers: the hand-written escapers give what the
// strings.Replacer they replace gave.
func TestEscapersMatchReplacers(t *testing.T) {
	cases := []struct {
		name string
		got  func(string) string
		want *strings.Replacer
	}{
		{"brackets", escapeBrackets, strings.NewReplacer(`[`, `\[`, `]`, `\]`)},
		{"link text", escapeLinkText, strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)},
		{"data", escapeData, strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")},
		{"property", escapeProperty, strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")},
	}
	inputs := []string{"", "plain", `a[b]c\d`, "50% off\r\nnext: a,b", "é[ü]%\n", `\\[[]]`, "::,,%%"}
	for _, c := range cases {
		for _, in := range inputs {
			if got, want := c.got(in), c.want.Replace(in); got != want {
				t.Errorf("%s(%q) = %q, want %q", c.name, in, got, want)
			}
		}
	}
}

// TestBackslashed: every byte escaped with a backslash as the closures it
// replaced did (a byte above 0x7f as a rune), the constants
// for brackets and backslash included.
func TestBackslashed(t *testing.T) {
	for c := range 256 {
		if got, want := backslashed(byte(c)), `\`+string(rune(c)); got != want {
			t.Errorf("backslashed(%q) = %q, want %q", byte(c), got, want)
		}
	}
}

// TestEncodeStreamedWithStates: with more elements than one chunk, the
// streamed array is the same bytes as the document encoded at once
// whatever the number of goroutines; each goroutine has its own state,
// never used by two goroutines at once; a group of consecutive elements
// (same) smaller than maxChunk goes to one state; and an element that
// cannot be encoded is an error.
func TestEncodeStreamedWithStates(t *testing.T) {
	type doc struct {
		Items []string `json:"items"`
	}
	type state struct {
		busy atomic.Bool
		seen []int
	}
	group := func(i int) int { return i / 100 } // groups of 100, across chunk sizes
	for _, workers := range []int{1, 3} {
		for _, n := range []int{0, 1, streamChunk - 1, streamChunk, streamChunk + 1, 5*streamChunk + 3, 3 * maxChunk} {
			all := make([]string, n)
			for i := range all {
				all[i] = fmt.Sprintf("item %d <%d>", i, i*i)
			}
			var want bytes.Buffer
			if err := encodeJSON(&want, doc{Items: all}); err != nil {
				t.Fatal(err)
			}
			var (
				mu     sync.Mutex
				states []*state
			)
			var got bytes.Buffer
			err := encodeStreamedWith(&got, doc{Items: []string{}}, "items", indices(n), workers,
				func(i, j int) bool { return group(i) == group(j) },
				func() *state {
					s := &state{}
					mu.Lock()
					states = append(states, s)
					mu.Unlock()
					return s
				},
				func(s *state, i int) any {
					if s.busy.Swap(true) {
						t.Errorf("element %d: its state is in use on another goroutine", i)
					}
					defer s.busy.Store(false)
					s.seen = append(s.seen, i)
					return all[i]
				})
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%d workers, %d elements: streamed\n%s\nwant\n%s", workers, n, got.String(), want.String())
			}
			if len(states) != workers {
				t.Errorf("%d workers: %d states", workers, len(states))
			}
			owner := map[int]*state{}
			count := 0
			for _, s := range states {
				for _, i := range s.seen {
					count++
					if o, ok := owner[group(i)]; ok && o != s {
						t.Errorf("%d workers, %d elements: group %d is split between states", workers, n, group(i))
					}
					owner[group(i)] = s
				}
			}
			if count != n {
				t.Errorf("%d workers, %d elements: %d calls of elem", workers, n, count)
			}
		}
	}
	// An element that cannot be encoded, past the first chunks.
	var out bytes.Buffer
	err := encodeStreamed(&out, doc{Items: []string{}}, "items", 4*streamChunk, func(i int) any {
		if i == 3*streamChunk+1 {
			return func() {}
		}
		return "x"
	})
	if err == nil || !strings.Contains(err.Error(), "encode report") {
		t.Errorf("unencodable element: err %v", err)
	}
}

// TestAppendIndentedMatchesIndent: appendIndented gives json.Indent's
// bytes for compact JSON: punctuation and escapes inside strings, empty
// and nested containers, scalars, every JSON golden of the repository,
// and random documents.
func TestAppendIndentedMatchesIndent(t *testing.T) {
	docs := []string{
		`null`, `1`, `"a"`, `{}`, `[]`, `[{}]`, `{"a":[]}`, `[[],[[]],{}]`,
		`{"a\"b":"c\\","d":["{","}","[","]",",",":","\\\"",""],"e":{"f":{"g":[1,2.5e3,true,false,null]}}}`,
		`["é\u2028", "\\", "x\\\\\"y"]`,
	}
	err := filepath.WalkDir(filepath.Join("..", ".."), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(p); !d.IsDir() && (ext == ".json" || ext == ".sarif") && strings.Contains(filepath.ToSlash(p), "/testdata/") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			docs = append(docs, string(b))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var gen func(depth int) any
	gen = func(depth int) any {
		switch k := rnd.IntN(7); {
		case depth > 4 || k == 0:
			return []string{"", "a", `q"uote`, `back\slash`, "{[,:]}", "\n\t", "é"}[rnd.IntN(7)]
		case k == 1:
			return rnd.Float64() * 1e6
		case k == 2:
			return rnd.IntN(2) == 0
		case k == 3:
			return nil
		case k == 4:
			m := map[string]any{}
			for range rnd.IntN(4) {
				m[fmt.Sprint("k", rnd.IntN(10), `"\`)] = gen(depth + 1)
			}
			return m
		default:
			a := make([]any, rnd.IntN(4))
			for i := range a {
				a[i] = gen(depth + 1)
			}
			return a
		}
	}
	for range 500 {
		b, err := json.Marshal(gen(0))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	checked := 0
	for _, d := range docs {
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(d)) != nil {
			continue // not JSON (a golden of a broken input)
		}
		for _, prefix := range []string{"", "    "} {
			var want bytes.Buffer
			if err := json.Indent(&want, compact.Bytes(), prefix, "  "); err != nil {
				t.Fatal(err)
			}
			if got := appendIndented([]byte("x"), compact.Bytes(), prefix); string(got) != "x"+want.String() {
				t.Fatalf("prefix %q, %s:\ngot  %s\nwant %s", prefix, compact.String(), got[1:], want.String())
			}
		}
		checked++
	}
	if checked < 520 {
		t.Errorf("only %d documents checked", checked)
	}
}

// TestIndentedJSONIsTheEncoders: indentedJSON writes what an
// encoding/json Encoder without HTML escaping writes with a two-space
// indent, byte for byte: HTML characters, escapes and brackets in
// strings, empty and nested objects and arrays, omitted fields, and a
// whole SARIF log's head (rules with their help text).
func TestIndentedJSONIsTheEncoders(t *testing.T) {
	type inner struct {
		A []string          `json:"a"`
		M map[string]any    `json:"m,omitempty"`
		E map[string]string `json:"e"`
	}
	builtin, err := engine.LoadCached(checks.FS(), "checks", checks.Decoded())
	if err != nil {
		t.Fatal(err)
	}
	var sarifHead bytes.Buffer
	if err := WriteSARIF(&sarifHead, &Report{Tool: Tool{Name: "azfuncscan", Version: "1.0"}, Checks: builtin}); err != nil {
		t.Fatal(err)
	}
	if sarifHead.Len() < 100<<10 {
		t.Fatalf("a SARIF log of the built-in rules of %d bytes", sarifHead.Len())
	}
	var log any
	if err := json.Unmarshal(sarifHead.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	values := []any{
		map[string]any{"html": "<a href=\"x\">&amp;</a>", "esc": "tab\t\"quote\" \\ {[,:]} \u2028 é", "n": 1.5, "null": nil, "t": true},
		[]any{},
		map[string]any{},
		[]any{[]any{}, map[string]any{}, []any{1, []any{2, map[string]any{"k": []any{}}}}},
		inner{A: nil, E: map[string]string{}},
		inner{A: []string{"x", "]"}, M: map[string]any{"z": inner{}}},
		"plain",
		log,
	}
	for i, v := range values {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		got, err := indentedJSON(v)
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("value %d: %v\ngot  %s\nwant %s", i, err, got, want.Bytes())
		}
	}
	if _, err := indentedJSON(func() {}); err == nil {
		t.Error("a value encoding/json cannot encode: no error")
	}
}
