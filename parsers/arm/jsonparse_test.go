package arm

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/tidwall/gjson"
	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/sharedtest"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
)

// gjsonTree is how templates were read before decodeJSON (encoding/json
// to validate, then gjson): the reference decodeJSON must agree with.
func gjsonTree(text []byte) (*jval, bool) {
	var probe any
	if json.Unmarshal(text, &probe) != nil {
		return nil, false
	}
	r := gjson.ParseBytes(text)
	r.Index = len(text) - len(strings.TrimLeft(string(text), " \t\r\n"))
	return gjsonConvert(r, 0), true
}

func gjsonConvert(r gjson.Result, depth int) *jval {
	v := &jval{start: r.Index, end: r.Index + len(r.Raw)}
	switch r.Type {
	case gjson.Null:
		v.kind = model.KindNull
	case gjson.False, gjson.True:
		v.kind, v.b = model.KindBool, r.Type == gjson.True
	case gjson.String:
		v.kind, v.str = model.KindString, r.Str
	case gjson.Number:
		v.kind, v.str = model.KindInt, r.Raw
		if i, err := strconv.ParseInt(r.Raw, 10, 64); err == nil {
			v.num, v.isInt = i, true
		} else if fl, err := strconv.ParseFloat(r.Raw, 64); err == nil && fl == float64(int64(fl)) && !strings.ContainsAny(r.Raw, ".eE") {
			v.num, v.isInt = int64(fl), true
		}
	case gjson.JSON:
		v.kind = model.KindObject
		if r.IsArray() {
			v.kind = model.KindList
		}
		if depth >= maxJSONDepth {
			v.deep = true
			return v
		}
		r.ForEach(func(k, e gjson.Result) bool {
			c := gjsonConvert(e, depth+1)
			if v.kind == model.KindList {
				v.items = append(v.items, c)
			} else {
				v.fields = append(v.fields, jfield{key: k.Str, keyStart: k.Index, val: c})
			}
			return true
		})
	}
	return v
}

func checkDecode(t *testing.T, text []byte) {
	t.Helper()
	raw := bytes.Clone(text)
	text = flattenStrings(text)
	want, wantOK := gjsonTree(text)
	got, gotOK := decodeJSON(text)
	if gotOK != wantOK {
		t.Fatalf("decodeJSON ok=%v, encoding/json ok=%v on %q", gotOK, wantOK, text)
	}
	// parseJSON decodes a file as read first: that must read it as its
	// flattened text reads, and jsonc must have nothing to change in it.
	gotRaw, ix, ctl, rawOK := decodeLines(raw)
	if rawOK != gotOK {
		t.Fatalf("decodeJSON ok=%v as read, ok=%v flattened, on %q", rawOK, gotOK, raw)
	}
	// The loader's Editor takes the check of the text from this pass
	// (checked) instead of validJSON's.
	vOK, vEnds, vCtl := validJSON(raw)
	if vOK != rawOK || rawOK && vCtl != ctl {
		t.Fatalf("validJSON ok=%v ctl=%v, decodeLines ok=%v ctl=%v, on %q", vOK, vCtl, rawOK, ctl, raw)
	}
	if rawOK {
		// The tree holds no container inside one at maxJSONDepth.
		if pairs, want := containerEnds(gotRaw, raw), pairsUpTo(vEnds, maxJSONDepth); !slices.Equal(pairs, want) {
			t.Fatalf("containerEnds %v, validJSON's ends %v, on %.200q", pairs, want, raw)
		}
	}
	if gotOK {
		// The line index from the same pass is the one New makes.
		want := srcpos.New(raw)
		for off := range len(raw) + 1 {
			if a, b := ix.Pos(off), want.Pos(off); a != b {
				t.Fatalf("Pos(%d) = %+v from decodeLines, %+v from srcpos.New, on %.200q", off, a, b, raw)
			}
		}
		if where := sameTree(got, gotRaw, "$"); where != "" {
			t.Fatalf("tree as read differs from the flattened one at %s on %.200q", where, raw)
		}
		if j := jsonc.ToJSON(raw); !bytes.Equal(j, raw) {
			t.Fatalf("jsonc changes %.200q, which decodeJSON reads, into %.200q", raw, j)
		}
	}
	if !gotOK || want.kind == model.KindString || want.kind == model.KindInt || want.kind == model.KindBool || want.kind == model.KindNull {
		// gjson's top-level scalars are not what templates are made of.
		return
	}
	if where := sameTree(want, got, "$"); where != "" {
		t.Fatalf("tree differs from gjson's at %s on %.200q", where, text)
	}
}

// sameTree returns where a and b first differ, "" when they do not.
func sameTree(a, b *jval, at string) string {
	if a.kind != b.kind || a.b != b.b || a.str != b.str || a.num != b.num || a.isInt != b.isInt ||
		a.start != b.start || a.end != b.end || a.deep != b.deep ||
		len(a.fields) != len(b.fields) || len(a.items) != len(b.items) {
		return fmt.Sprintf("%s (gjson %+v, decodeJSON %+v)", at, *a, *b)
	}
	for i := range a.fields {
		if a.fields[i].key != b.fields[i].key || a.fields[i].keyStart != b.fields[i].keyStart {
			return fmt.Sprintf("%s key %d", at, i)
		}
		if w := sameTree(a.fields[i].val, b.fields[i].val, at+"."+a.fields[i].key); w != "" {
			return w
		}
	}
	for i := range a.items {
		if w := sameTree(a.items[i], b.items[i], fmt.Sprintf("%s[%d]", at, i)); w != "" {
			return w
		}
	}
	return ""
}

var decodeSeeds = []string{
	`{}`, `[]`, ` {"a": 1} `, `{"a":[1,2.5,-0,1e3,-12E-2,true,false,null,"x"]}`,
	`{"k\"ey": "v\\al\/u\n\u00e9\ud83d\ude00\ud800x\udc00"}`, `{"a":{"b":{"c":[[[]]]}}}`,
	`{"a":1,}`, `[1,]`, `{"a" 1}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`, `{"a":1E700}`, `[-1e309]`, `{"a":1e308}`,
	`{"a":"\x"}`, `{"a":"\u12"}`, `{"a":tru}`, `{"a":nul}`, `{} {}`, `{"a":1}x`, ``, `  `,
	"{\"a\":\"line\nbreak\"}", `{"dup":1,"dup":2}`, `[9223372036854775808, 1.0e2, 100]`,
	"{\"a\":\"\xff\xfe\"}", "{\"s\":\"tab\there\\u0041\r\n/* not // a comment */\", \"t\": \"\\\\\"}",
	"{\"a\": 1 // comment\n}", "{\"a\": [1, /* c */ 2,]}", "[\"x\\\"\n\", \"//\"]", "{\"é\n\": \"€\n😀\"\n,\r\n\"k\":\n[1,\n\"x\xffy\"]}\n", "{\"k\x01\": \"v\x1f\"}", strings.Repeat("[", 300) + strings.Repeat("]", 300),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

func TestDecodeJSONAgreesWithGJSON(t *testing.T) {
	for _, s := range decodeSeeds {
		checkDecode(t, []byte(s))
	}
	decodeAll(t, filepath.Join("..", "..", "testdata"))
}

// TestDecodeJSONCorpus: every JSON file of the shared corpus.
func TestDecodeJSONCorpus(t *testing.T) {
	decodeAll(t, sharedtest.Dir(t, "corpus"))
}

func decodeAll(t *testing.T, root string) {
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(p, func(t *testing.T) { checkDecode(t, b) })
		return nil
	})
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDecode(t, b) })
}

// TestDecodeJSONSlab: the values of a document are allocated a slab at a
// time and a slab fills a size class of the allocator; containers get
// members and elements at their size, in order, and nested containers
// do not mix theirs up.
func TestDecodeJSONSlab(t *testing.T) {
	if n := slabSize * int(unsafe.Sizeof(jval{})); n > 8192 || n < 8192-int(unsafe.Sizeof(jval{})) {
		t.Errorf("a slab of %d values is %d bytes, not filling 8 KiB", slabSize, n)
	}
	text := []byte(`{"a": [1, {"b": [], "c": {"d": [true, null, "x"]}}, 3], "e": {}, "f": [[[]], [2]]}`)
	root, ok := decodeJSON(text)
	if !ok {
		t.Fatal("not decoded")
	}
	var render func(v *jval) string
	render = func(v *jval) string {
		switch v.kind {
		case model.KindObject:
			if v.fields != nil && len(v.fields) != cap(v.fields) {
				t.Errorf("object at %d: %d fields, capacity %d", v.start, len(v.fields), cap(v.fields))
			}
			var parts []string
			for _, f := range v.fields {
				parts = append(parts, f.key+":"+render(f.val))
			}
			return "{" + strings.Join(parts, ",") + "}"
		case model.KindList:
			if v.items != nil && len(v.items) != cap(v.items) {
				t.Errorf("array at %d: %d items, capacity %d", v.start, len(v.items), cap(v.items))
			}
			var parts []string
			for _, it := range v.items {
				parts = append(parts, render(it))
			}
			return "[" + strings.Join(parts, ",") + "]"
		}
		return string(text[v.start:v.end])
	}
	if got, want := render(root), `{a:[1,{b:[],c:{d:[true,null,"x"]}},3],e:{},f:[[[]],[2]]}`; got != want {
		t.Errorf("decoded %s, want %s", got, want)
	}
	// More values than a slab holds.
	big := "[" + strings.Repeat(`{"k": [1, 2]}, `, 3*slabSize) + "0]"
	root, ok = decodeJSON([]byte(big))
	if !ok || len(root.items) != 3*slabSize+1 {
		t.Fatalf("big array: ok %v", ok)
	}
	for i, it := range root.items[:3*slabSize] {
		if k := it.get("k"); k == nil || len(k.items) != 2 || k.items[1].num != 2 {
			t.Fatalf("element %d decoded wrong", i)
		}
	}
	// Members and elements: more than a slab of them, and containers
	// larger than half a slab among small ones.
	var b strings.Builder
	b.WriteString("[")
	for i := range 3 * elemSlab {
		if i > 0 {
			b.WriteString(",")
		}
		switch i % 100 {
		case 7:
			b.WriteString("{")
			for j := range memberSlab {
				fmt.Fprintf(&b, "%q: %d,", "m"+strconv.Itoa(j), j)
			}
			b.WriteString(`"last": [` + strings.Repeat("0,", elemSlab) + `1]}`)
		default:
			fmt.Fprintf(&b, `{"a": %d, "b": [%d, %d]}`, i, i, -i)
		}
	}
	b.WriteString("]")
	root, ok = decodeJSON([]byte(b.String()))
	if !ok || len(root.items) != 3*elemSlab || cap(root.items) != len(root.items) {
		t.Fatalf("members and elements: ok %v", ok)
	}
	for i, it := range root.items {
		if cap(it.fields) != len(it.fields) {
			t.Fatalf("element %d: %d fields, capacity %d", i, len(it.fields), cap(it.fields))
		}
		if i%100 == 7 {
			last := it.get("last")
			if len(it.fields) != memberSlab+1 || it.get("m5").num != 5 || last == nil || len(last.items) != elemSlab+1 || last.items[elemSlab].num != 1 {
				t.Fatalf("element %d decoded wrong", i)
			}
			continue
		}
		if a, bs := it.get("a"), it.get("b"); len(it.fields) != 2 || a.num != int64(i) || len(bs.items) != 2 || cap(bs.items) != 2 || bs.items[1].num != -int64(i) {
			t.Fatalf("element %d decoded wrong", i)
		}
	}
}

// BenchmarkDecodeJSON reads the hardened fixture template (every value
// kind, ~20 KB) with positions.
func BenchmarkDecodeJSON(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "arm", "hardened", "azuredeploy.json"))
	if err != nil {
		b.Fatal(err)
	}
	text := flattenStrings(src)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := decodeJSON(text); !ok {
			b.Fatal("not decoded")
		}
	}
}

// pairsUpTo returns the pairs of ends (a start and an end of each
// container, sorted by start) of the containers at most depth deep.
func pairsUpTo(ends []int, depth int) []int {
	var out, open []int // open: the ends of the containers around
	for i := 0; i+1 < len(ends); i += 2 {
		for len(open) > 0 && open[len(open)-1] <= ends[i] {
			open = open[:len(open)-1]
		}
		if len(open) <= depth {
			out = append(out, ends[i], ends[i+1])
		}
		open = append(open, ends[i+1])
	}
	return out
}

// TestSpecialBytes: the lowest bit specialBytes sets is at the first byte
// of the word that str must look at, for every byte value at every place
// (with plain bytes and with every byte value after it).
func TestSpecialBytes(t *testing.T) {
	special := func(c byte) bool { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80 }
	for k := range 8 {
		for c := range 256 {
			for _, after := range []byte{'a', 0, '"', 0x1f, 0x20, 0x7f, 0x80, 0xff} {
				var w [8]byte
				for i := range w {
					switch {
					case i < k:
						w[i] = byte(' ' + (i*7+c)%('~'-' '))
						if w[i] == '"' || w[i] == '\\' {
							w[i] = 'x'
						}
					case i == k:
						w[i] = byte(c)
					default:
						w[i] = after
					}
				}
				want := 8
				for i, b := range w {
					if special(b) {
						want = i
						break
					}
				}
				got := 8
				if m := specialBytes(binary.LittleEndian.Uint64(w[:])); m != 0 {
					got = bits.TrailingZeros64(m) >> 3
				}
				if got != want {
					t.Fatalf("specialBytes(%q): first special byte at %d, want %d", w, got, want)
				}
			}
		}
	}
}

// TestDecodeJSONStringChunks: str reads plain bytes eight at a time; an
// escape, a quote, a control character or a wide character at every
// place around and across those eight bytes decodes as gjson decodes it,
// with the same lines.
func TestDecodeJSONStringChunks(t *testing.T) {
	for _, piece := range []string{`\"`, `\\`, `\n`, `\u00e9`, `\ud83d\ude00`, "\n", "\t", "é", "\xff", `"`, `\`, `\u12`} {
		for before := range 18 {
			for after := range 10 {
				s := `{"k":"` + strings.Repeat("a", before) + piece + strings.Repeat("b", after) + `","` + strings.Repeat("c", after) + `":1}`
				checkDecode(t, []byte(s))
				checkDecode(t, []byte(s[:len(s)-after-5]))
			}
		}
	}
}

// TestDecodeJSONSpaceRuns: white space is skipped eight spaces at a time;
// runs of every length of spaces, with a newline, CRLF or tab at every
// place, before and after every token, decode as gjson decodes them,
// with the same lines, and a control character in a run is refused.
func TestDecodeJSONSpaceRuns(t *testing.T) {
	for _, odd := range []string{"", "\n", "\r\n", "\t", "\x01"} {
		for n := range 20 {
			for at := 0; at <= n; at += 3 {
				ws := strings.Repeat(" ", at) + odd + strings.Repeat(" ", n-at)
				s := ws + "{" + ws + `"a"` + ws + ":" + ws + "[" + ws + "1" + ws + "," + ws + `"x"` + ws + "]" + ws + "}" + ws
				checkDecode(t, []byte(s))
				if _, ok := decodeJSON([]byte(s)); ok == (odd == "\x01") {
					t.Fatalf("decodeJSON(%q) ok = %v", s, ok)
				}
			}
		}
	}
}
