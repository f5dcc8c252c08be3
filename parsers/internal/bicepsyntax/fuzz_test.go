package bicepsyntax

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: any input parses without panicking, every position is
// inside the input and consistent with its byte offset, and property
// paths stay under their declaration.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		sample,
		"",
		"resource",
		"resource a 'T@1' = {",
		"resource a 'T@1' = [for x in y: if (c) {\n name: 'x'\n}]",
		"var x = '${'${'${1}'}'}'",
		"var x = '''\nabc",
		"var x = 'abc",
		"/* open",
		"param p string = '\\u{zz}'",
		"var x = {\n a: [\n {\n b: {\n c: 1\n }\n }\n ]\n}\n",
		"}}}]]])))",
		"@description('x')\n@sys.batchSize(2)\nresource r 'T@1' existing = {}\n",
		"resource p 'A.B/c@1' = {\n resource c 'd@1' = {\n resource e 'f@1' = {\n }\n }\n}\n",
		"var x = { 'a.b': 1, c: 2 }\nvar é = 1\n",
		"module m 'br/public:avm/res/web/site:0.1.0' = if (x) {\n params: { a: 1 }\n}\n",
		"var x = [?\n",
		"var x = {\r\n a: 1\r\n}\r\n",
		"\xff\xfe'\xff'",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file := Parse(src)
		check := func(what string, r Range) {
			for _, p := range []Pos{r.Start, r.End} {
				if p.Byte < 0 || p.Byte > len(src) || p.Line < 1 || p.Column < 1 {
					t.Fatalf("%s: position %+v outside the input of %d bytes", what, p, len(src))
				}
				want := 1 + strings.Count(string(src[:p.Byte]), "\n")
				if p.Line != want {
					t.Fatalf("%s: line %d at byte %d, want %d", what, p.Line, p.Byte, want)
				}
				ls := strings.LastIndexByte(string(src[:p.Byte]), '\n') + 1
				if c := utf8.RuneCount(src[ls:p.Byte]) + 1; p.Column != c {
					t.Fatalf("%s: column %d at byte %d, want %d", what, p.Column, p.Byte, c)
				}
			}
			if r.End.Byte < r.Start.Byte {
				t.Fatalf("%s: range ends before it starts: %+v", what, r)
			}
		}
		for _, e := range file.Errors {
			check("error "+e.Message, e.Range)
		}
		var walk func(ds []*Decl)
		walk = func(ds []*Decl) {
			for _, d := range ds {
				check(d.Keyword+" "+d.Name, d.Range)
				check("header", d.Header)
				for _, p := range d.Props {
					check(p.Path, p.Key)
					if p.Key.Start.Byte < d.Range.Start.Byte || p.Key.End.Byte > d.Range.End.Byte {
						t.Fatalf("property %s at %+v outside its declaration %+v", p.Path, p.Key, d.Range)
					}
				}
				walk(d.Children)
			}
		}
		walk(file.Decls)
		_ = file.Resources()
	})
}
