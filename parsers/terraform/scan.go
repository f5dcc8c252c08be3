package terraform

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
)

// Root detection needs only the local sources of each directory's module
// calls. Parsing every directory up front and keeping the syntax trees
// until their roots are evaluated holds the whole scan in memory (and the
// garbage collector scans it over and over), so the sources are found by a
// byte scanner that understands just enough HCL: comments, strings with
// templates, heredocs and braces. It errs on the safe side: what it cannot
// read yields no call, so a directory is at worst analysed once more as a
// root of its own.

// Root detection reads every configuration file of the scan, and each is
// read again when its module loads: a file's read is mostly system calls
// (open, stat, read, close: 10-30 µs each on the machines measured), so
// the contents read for root detection are kept for the load, while they
// total at most holdBudget; past that, files are read again at the load.
// The load takes a file's contents out (each directory is parsed once per
// scan), so memory stays bounded by the budget whatever the corpus.
// What is held is live heap until its module loads, which every garbage
// collection marks: on 10k .tf (31 MiB of .tf files) a scan collected
// 177 times holding nothing, 182 times with 8 MiB and 205 times with
// 16 MiB, where the reads saved by the second 8 MiB cost about what the
// extra collections cost. 8 MiB holds the whole of 1k .tf (3.1 MiB).
const holdBudget = 8 << 20

// sourceHold is the files kept between root detection and the load, by
// OS path: only files that readSource read without a problem. A nil
// sourceHold keeps nothing (a language server's ReadFile is not read
// twice from disk).
type sourceHold struct {
	mu    sync.Mutex
	files map[string][]byte
	left  int64
}

// put keeps src, the contents of the file at osPath, if the budget has
// room for it.
func (h *sourceHold) put(osPath string, src []byte) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.files[osPath]; dup || int64(len(src)) > h.left {
		return
	}
	h.files[osPath] = src
	h.left -= int64(len(src))
}

// take returns the contents kept for the file at osPath, once.
func (h *sourceHold) take(osPath string) ([]byte, bool) {
	if h == nil {
		return nil, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	src, ok := h.files[osPath]
	if ok {
		delete(h.files, osPath)
		h.left += int64(len(src))
	}
	return src, ok
}

// dirModuleSources returns the literal local sources of the top-level
// module blocks in the configuration files of dir, and whether dir is
// quiet: its files declare no function app (see quietSource) and every
// module block they hold has a literal local source (returned), so that
// the directories those name are all the tree can add. A directory that
// cannot be listed, or with a file that cannot be read, is not quiet.
func dirModuleSources(o *Options, dir string) (sources []string, quiet bool) {
	names, regular, err := configFileNames(o, dir)
	if err != nil {
		return nil, false
	}
	var out []string
	quiet = true
	for _, name := range names {
		osPath := filepath.Join(dir, name)
		src, diags := readSource(o, osPath, filepath.ToSlash(osPath), regular[name])
		if diags != nil {
			quiet = false
			continue
		}
		o.hold.put(osPath, src)
		quiet = quiet && quietSource(src)
		var all []string
		var calls int
		switch {
		case strings.HasSuffix(name, ".json"):
			all, calls = jsonModuleSources(src)
		case bytes.Contains(src, []byte("module")):
			// (A file without the word calls no module and has no
			// line starting with it: most files of a configuration,
			// found without scanning their tokens.)
			all, calls = hclModuleSources(src)
			// A block the byte scanner did not see (it skips what it
			// cannot read) still starts a line with "module": the
			// directory is then not quiet.
			quiet = quiet && calls == moduleLines(src)
		}
		quiet = quiet && calls == len(all)
		for _, s := range all {
			if isLocalSource(s) {
				out = append(out, s)
			} else {
				quiet = false
			}
		}
	}
	return out, quiet
}

// moduleLines counts the lines of src whose first word is module followed
// by a space, a tab or a quote: at least every module block.
func moduleLines(src []byte) int {
	n := 0
	for line := range bytes.Lines(src) {
		line = bytes.TrimLeft(line, " \t")
		if rest, ok := bytes.CutPrefix(line, []byte("module")); ok && len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '"') {
			n++
		}
	}
	return n
}

// quietSource reports whether a configuration file's text cannot declare
// a function app: it does not contain function_app (every azurerm function
// app and slot resource type, and their data sources) nor azapi_ (azapi
// resources, whose type is an expression), anywhere, comments included.
// A resource type is always written out, so a module tree whose files are
// all quiet has no function app: evaluating it can give no finding.
func quietSource(src []byte) bool {
	return !bytes.Contains(src, []byte("function_app")) &&
		!bytes.Contains(src, []byte("azapi_"))
}

// configFileNames lists the configuration files of dir Terraform reads
// (override files excluded), in lexical order, and which of the
// directory's entries are regular files (not links).
func configFileNames(o *Options, dir string) (names []string, regular map[string]bool, err error) {
	entries, err := o.readDirEntries(dir)
	if err != nil {
		return nil, nil, err
	}
	all, regular := fileNames(entries)
	read, _ := configFiles(all)
	names = make([]string, 0, len(read))
	for _, n := range read {
		if !isOverrideFile(n) {
			names = append(names, n)
		}
	}
	return names, regular, nil
}

// fileNames returns the names of the entries that are not directories
// (links to directories included), and the set of those that are
// regular files.
func fileNames(entries []fs.DirEntry) (all []string, regular map[string]bool) {
	regular = make(map[string]bool, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			all = append(all, e.Name())
			if e.Type().IsRegular() {
				regular[e.Name()] = true
			}
		}
	}
	return all, regular
}

// jsonModuleSources reads the module sources of a .tf.json file:
// {"module": {"name": {"source": "..."}}}, where Terraform also accepts an
// array at either level, and counts the calls (-1: the file cannot be
// read).
func jsonModuleSources(src []byte) (sources []string, calls int) {
	var top map[string]json.RawMessage
	if json.Unmarshal(src, &top) != nil {
		return nil, -1 // cannot tell
	}
	if top["module"] == nil {
		return nil, 0
	}
	var out []string
	blocks := jsonObjects(top["module"])
	if blocks == nil {
		return nil, -1
	}
	for _, cs := range blocks {
		for _, name := range sortedKeys(cs) {
			objs := jsonObjects(cs[name])
			if objs == nil {
				calls++ // a call that cannot be read
			}
			for _, call := range objs {
				calls++
				var s string
				if call["source"] != nil && json.Unmarshal(call["source"], &s) == nil {
					out = append(out, s)
				}
			}
		}
	}
	return out, calls
}

// jsonObjects reads an object, or an array of objects, as a list.
func jsonObjects(raw json.RawMessage) []map[string]json.RawMessage {
	var one map[string]json.RawMessage
	if json.Unmarshal(raw, &one) == nil {
		return []map[string]json.RawMessage{one}
	}
	var many []map[string]json.RawMessage
	if json.Unmarshal(raw, &many) == nil {
		return many
	}
	return nil
}

// tokKind classifies what the byte scanner sees.
type tokKind uint8

const (
	tokOther tokKind = iota
	tokIdent
	tokString // a quoted string; lit says whether it has no template
	tokOpen   // {
	tokClose  // }
	tokEquals // = (not ==, =>)
	tokNewline
	tokEOF
)

type srcToken struct {
	kind tokKind
	text string // identifier, or the value of a literal string
	lit  bool
}

// hclModuleSources finds `module "name" { source = "..." }` at the top
// level of native-syntax source and returns the sources written as plain
// string literals, in order, and how many module blocks it saw.
func hclModuleSources(src []byte) (sources []string, calls int) {
	sc := &byteScanner{b: src}
	var (
		out      []string
		line     []srcToken // tokens since the last newline or brace
		depth    int
		inModule bool
	)
	checkSource := func() {
		if inModule && depth == 1 && len(line) == 3 &&
			line[0].kind == tokIdent && line[0].text == "source" &&
			line[1].kind == tokEquals && line[2].kind == tokString && line[2].lit {
			out = append(out, line[2].text)
		}
	}
	for {
		t := sc.next()
		switch t.kind {
		case tokEOF:
			return out, calls
		case tokNewline:
			checkSource()
			line = line[:0]
		case tokOpen:
			if depth == 0 && len(line) == 2 && line[0].kind == tokIdent && line[0].text == "module" &&
				(line[1].kind == tokIdent || (line[1].kind == tokString && line[1].lit)) {
				inModule = true
				calls++
			}
			depth++
			line = line[:0]
		case tokClose:
			checkSource()
			line = line[:0]
			if depth > 0 {
				depth--
			}
			if depth == 0 {
				inModule = false
			}
		default:
			line = append(line, t)
		}
	}
}

// byteScanner splits HCL native syntax into the few tokens
// hclModuleSources needs, skipping comments, heredocs and the inside of
// template interpolations.
type byteScanner struct {
	b []byte
	i int
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isIdentByte(c byte) bool { return isIdentStart(c) || c == '-' || (c >= '0' && c <= '9') }

func (sc *byteScanner) next() srcToken {
	for sc.i < len(sc.b) {
		c := sc.b[sc.i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			sc.i++
		case c == '\n':
			sc.i++
			return srcToken{kind: tokNewline}
		case c == '#' || (c == '/' && sc.peek(1) == '/'):
			sc.skipLine()
		case c == '/' && sc.peek(1) == '*':
			end := bytes.Index(sc.b[sc.i+2:], []byte("*/"))
			if end < 0 {
				sc.i = len(sc.b)
			} else {
				sc.i += 2 + end + 2
			}
		case c == '"':
			sc.i++
			s, lit := sc.quoted()
			return srcToken{kind: tokString, text: s, lit: lit}
		case c == '<' && sc.peek(1) == '<':
			if !sc.heredoc() {
				sc.i += 2
				return srcToken{kind: tokOther}
			}
		case c == '{':
			sc.i++
			return srcToken{kind: tokOpen}
		case c == '}':
			sc.i++
			return srcToken{kind: tokClose}
		case c == '=':
			sc.i++
			if n := sc.peek(0); n == '=' || n == '>' {
				sc.i++
				return srcToken{kind: tokOther}
			}
			return srcToken{kind: tokEquals}
		case isIdentStart(c):
			start := sc.i
			for sc.i < len(sc.b) && isIdentByte(sc.b[sc.i]) {
				sc.i++
			}
			return srcToken{kind: tokIdent, text: string(sc.b[start:sc.i])}
		default:
			sc.i++
			return srcToken{kind: tokOther}
		}
	}
	return srcToken{kind: tokEOF}
}

func (sc *byteScanner) peek(n int) byte {
	if sc.i+n < len(sc.b) {
		return sc.b[sc.i+n]
	}
	return 0
}

func (sc *byteScanner) skipLine() {
	for sc.i < len(sc.b) && sc.b[sc.i] != '\n' {
		sc.i++
	}
}

// quoted reads a quoted string after its opening quote. lit is false when
// the string contains a template sequence (${ or %{), whose inside is
// skipped with its own strings and braces. A newline ends an unterminated
// string, as HCL does.
func (sc *byteScanner) quoted() (string, bool) {
	var b strings.Builder
	lit := true
	for sc.i < len(sc.b) {
		c := sc.b[sc.i]
		switch {
		case c == '"':
			sc.i++
			return b.String(), lit
		case c == '\n':
			return b.String(), false
		case c == '\\' && sc.i+1 < len(sc.b):
			switch e := sc.b[sc.i+1]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '"', '\\':
				b.WriteByte(e)
			default:
				lit = false // \u escapes and the like: not worth decoding
			}
			sc.i += 2
		case (c == '$' || c == '%') && sc.peek(1) == c && sc.peek(2) == '{':
			b.WriteByte(c) // $${ and %%{ are literal
			b.WriteByte('{')
			sc.i += 3
		case (c == '$' || c == '%') && sc.peek(1) == '{':
			lit = false
			sc.i += 2
			sc.skipTemplate()
		default:
			b.WriteByte(c)
			sc.i++
		}
	}
	return b.String(), false
}

// skipTemplate skips the inside of ${ … } up to its closing brace.
func (sc *byteScanner) skipTemplate() {
	depth := 1
	for sc.i < len(sc.b) {
		c := sc.b[sc.i]
		sc.i++
		switch c {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return
			}
		case '"':
			sc.quoted()
		}
	}
}

// heredoc skips <<EOF … EOF (and <<-EOF); false when what follows << is
// not a heredoc introducer.
func (sc *byteScanner) heredoc() bool {
	j := sc.i + 2
	if j < len(sc.b) && sc.b[j] == '-' {
		j++
	}
	start := j
	for j < len(sc.b) && isIdentByte(sc.b[j]) {
		j++
	}
	marker := string(sc.b[start:j])
	if marker == "" {
		return false
	}
	for j < len(sc.b) && (sc.b[j] == ' ' || sc.b[j] == '\t' || sc.b[j] == '\r') {
		j++
	}
	if j >= len(sc.b) || sc.b[j] != '\n' {
		return false
	}
	j++
	for j < len(sc.b) {
		end := bytes.IndexByte(sc.b[j:], '\n')
		lineEnd := len(sc.b)
		if end >= 0 {
			lineEnd = j + end
		}
		if strings.TrimSpace(string(sc.b[j:lineEnd])) == marker {
			sc.i = lineEnd // the newline after the marker ends the attribute
			return true
		}
		j = lineEnd + 1
	}
	sc.i = len(sc.b)
	return true
}
