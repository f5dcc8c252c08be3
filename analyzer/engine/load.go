package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	sjson "github.com/segmentio/encoding/json"
	"golang.org/x/sync/errgroup"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// idPattern is the form of a check id: AZFUNC-040, ACME-1234.
var idPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[0-9]{3,}$`)

// checkFile is the YAML form of a check; see the package documentation.
type checkFile struct {
	ID               string             `yaml:"id"`
	Title            string             `yaml:"title"`
	Severity         string             `yaml:"severity"`
	SecuritySeverity *float64           `yaml:"security_severity"`
	EnabledByDefault *bool              `yaml:"enabled_by_default"`
	Formats          []string           `yaml:"formats"`
	Tags             []string           `yaml:"tags"`
	MCSB             []string           `yaml:"mcsb"`
	Description      string             `yaml:"description"`
	Remediation      map[string]string  `yaml:"remediation"`
	References       []Reference        `yaml:"references"`
	DefaultsSource   string             `yaml:"defaults_source"`
	HelpURI          string             `yaml:"help_uri"`
	Each             pathList           `yaml:"each"`
	When             string             `yaml:"when"`
	Fail             string             `yaml:"fail"`
	Blame            string             `yaml:"blame"`
	Message          string             `yaml:"message"`
	LowerSeverity    *lowerSeverity     `yaml:"lower_severity"`
	Fix              map[string]FixSpec `yaml:"fix"`
	FixHint          string             `yaml:"fix_hint"`
}

// FileKeys returns the top-level keys a check file may have, in the order
// of the package documentation.
func FileKeys() []string {
	t := reflect.TypeFor[checkFile]()
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if k, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// lowerSeverity is the YAML form of Check.LowerSeverity.
type lowerSeverity struct {
	To     string `yaml:"to"`
	When   string `yaml:"when"`
	Reason string `yaml:"reason"`
}

// pathList accepts one path or a list of paths.
type pathList []string

// UnmarshalYAML implements yaml.InterfaceUnmarshaler.
func (p *pathList) UnmarshalYAML(unmarshal func(any) error) error {
	var one string
	if err := unmarshal(&one); err == nil {
		*p = pathList{one}
		return nil
	}
	var many []string
	if err := unmarshal(&many); err != nil {
		return errors.New("each must be a path or a list of paths")
	}
	*p = many
	return nil
}

// LoadError is a problem with one check file.
type LoadError struct {
	// File is the check file as Check.Source names it.
	File string
	// Line is 1-based; 0 when the problem concerns the whole file.
	Line int
	// Field is the YAML key concerned ("fail", "remediation.arm"), if any.
	Field string
	Msg   string
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Load reads every *.yaml / *.yml check file of fsys (not recursive),
// validates and compiles it. origin prefixes Check.Source (e.g. "checks"
// for built-ins). All problems are returned together, joined, each a
// *LoadError naming file and line; no check is returned then.
func Load(fsys fs.FS, origin string) ([]*Check, error) {
	return LoadCached(fsys, origin, nil)
}

// LoadCached is Load with the files decoded ahead (EncodeDecoded of the
// same directory) in cache: a file whose contents are those the cache
// was made from is taken from it instead of its YAML being decoded again,
// which is most of the start-up of a scan (the built-in checks: 28 of 36
// ms of CPU). Any other file, or all of them when cache is nil or not
// readable, is decoded as Load decodes it: a stale cache costs time, not
// correctness.
func LoadCached(fsys fs.FS, origin string, cache []byte) ([]*Check, error) {
	ahead := readDecoded(cache)
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading checks from %s: %w", displayOr(origin, ""), err)
	}
	comp, err := newCompiler()
	if err != nil {
		return nil, err
	}
	// Decoding the YAML is most of the start-up and each file's is its
	// own, so the files are decoded on every core; validating and
	// compiling (which share the CEL environments) then run in file order.
	type file struct {
		source string
		data   []byte
		dec    *decoded
		probs  []problem
		err    error
	}
	var files []*file
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || (!strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml")) {
			continue
		}
		source := name
		if origin != "" {
			source = path.Join(origin, name)
		}
		f := &file{source: source}
		f.data, f.err = fs.ReadFile(fsys, name)
		files = append(files, f)
	}
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for _, f := range files {
		if f.err != nil {
			continue
		}
		a := ahead[path.Base(f.source)]
		if a != nil && a.sum != sha256.Sum256(f.data) {
			a = nil // changed since the cache was made
		}
		g.Go(func() error {
			if a != nil {
				if d, err := a.decode(); err == nil {
					f.dec = d
					return nil
				}
			}
			f.dec, f.probs = decodeFile(f.data)
			return nil
		})
	}
	_ = g.Wait() // the goroutines report through their file
	var (
		checks []*Check
		errs   []error
		byID   = map[string]*Check{}
	)
	for _, f := range files {
		source := f.source
		if f.err != nil {
			errs = append(errs, &LoadError{File: source, Msg: f.err.Error()})
			continue
		}
		var (
			check  *Check
			idLine int
			probs  = f.probs
		)
		if f.dec != nil {
			check, idLine, probs = comp.build(f.dec)
		}
		for _, p := range probs {
			errs = append(errs, &LoadError{File: source, Line: p.line, Field: p.field, Msg: p.msg})
		}
		if check == nil || len(probs) > 0 {
			continue
		}
		check.Source = source
		if prev := byID[check.ID]; prev != nil {
			errs = append(errs, &LoadError{File: source, Line: idLine, Field: "id", Msg: fmt.Sprintf("duplicate id %s (also in %s)", check.ID, prev.Source)})
			continue
		}
		byID[check.ID] = check
		checks = append(checks, check)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(checks, func(i, j int) bool { return checks[i].ID < checks[j].ID })
	return checks, nil
}

// decodedFile is the cached form of one decoded check file: one line of
// JSON (map keys sorted, so the same files give the same bytes) whose
// first members are the name and the digest, so that a scan finds the
// line of each file without decoding any, and decodes each line on its
// own, in parallel with the others (see readDecoded).
type decodedFile struct {
	Name      string            `json:"name"`
	SHA256    string            `json:"sha256"` // of the file's contents
	File      checkFile         `json:"file"`
	Positions map[string][2]int `json:"positions"` // line, 1 for a block scalar
	// Checked are the CEL expressions type-checked, by field: protocol
	// buffers (google.api.expr.v1alpha1.CheckedExpr, the form cel-go
	// reads back) in base64.
	Checked map[string][]byte `json:"checked,omitempty"`
	// Compiled is what compiling each expression gave, by field.
	Compiled map[string]*compiledExpr `json:"compiled,omitempty"`
}

// aheadFile is a cached decoded file, still JSON (each is decoded where
// its YAML would be), and the digest of what it decoded.
type aheadFile struct {
	sum  [sha256.Size]byte
	line []byte
}

// decode gives the cached file as decodeFile gave it.
func (a *aheadFile) decode() (*decoded, error) {
	var df decodedFile
	// segmentio's decoder (linked already, by the language server's
	// JSON-RPC) reads the built-in checks' lines in a third of the time
	// encoding/json takes in a fresh process: 4.5 against 12 ms of CPU
	// of a scan's start.
	if err := sjson.Unmarshal(a.line, &df); err != nil {
		return nil, err
	}
	d := &decoded{cf: df.File, positions: make(map[string]fieldPos, len(df.Positions))}
	for k, p := range df.Positions {
		d.positions[k] = fieldPos{line: p[0], block: p[1] == 1}
	}
	if len(df.Checked) > 0 {
		d.checked = decodeChecked(df.Checked, df.Compiled)
	}
	return d, nil
}

// EncodeDecoded decodes every check file of fsys, as Load does, for
// LoadCached: one line of JSON per file (JSON Lines). A file that does
// not decode is an error.
func EncodeDecoded(fsys fs.FS) ([]byte, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	comp, err := newCompiler()
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || (!strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml")) {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		d, probs := decodeFile(data)
		if len(probs) > 0 {
			return nil, fmt.Errorf("%s: line %d: %s", name, probs[0].line, probs[0].msg)
		}
		sum := sha256.Sum256(data)
		// The expressions as a scan compiles them: a file that does not
		// compile is compiled (and its problems reported) at each scan.
		comp.record = map[string]recorded{}
		_, _, probs = comp.build(d)
		rec := comp.record
		comp.record = nil
		var (
			checked  map[string][]byte
			compiled map[string]*compiledExpr
		)
		if len(probs) == 0 && len(rec) > 0 {
			asts := make(map[string]*cel.Ast, len(rec))
			compiled = make(map[string]*compiledExpr, len(rec))
			for field, r := range rec {
				asts[field], compiled[field] = r.ast, r.compiled
			}
			if checked, err = encodeChecked(asts); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		df := decodedFile{Name: name, SHA256: hex.EncodeToString(sum[:]), File: d.cf, Positions: map[string][2]int{}, Checked: checked, Compiled: compiled}
		for k, p := range d.positions {
			block := 0
			if p.block {
				block = 1
			}
			df.Positions[k] = [2]int{p.line, block}
		}
		line, err := json.Marshal(df)
		if err != nil {
			return nil, err
		}
		line = append(line, '\n')
		// Only what JSON gives back as decoded: a number in a fix's
		// value (uint64 from YAML, float64 from JSON) would not be.
		a := readDecoded(line)[name]
		if a == nil {
			continue
		}
		if back, err := a.decode(); err != nil || !reflect.DeepEqual(back.cf, d.cf) || !reflect.DeepEqual(back.positions, d.positions) || len(back.checked) != len(checked) {
			continue
		}
		out = append(out, line...)
	}
	return out, nil
}

// readDecoded reads a cache EncodeDecoded made, by file name, without
// decoding it: each line is taken whole for its file, whose name and
// digest it starts with (a line that does not is left out, and its file
// decoded from its YAML). Splitting the cache when it was one JSON array
// meant decoding all of it, on one core, before any file: a quarter of
// the in-process start-up of a scan of one small module.
func readDecoded(cache []byte) map[string]*aheadFile {
	out := map[string]*aheadFile{}
	for line := range bytes.Lines(cache) {
		name, sum, ok := lineHead(line)
		if !ok {
			continue
		}
		a := &aheadFile{line: line}
		if n, err := hex.Decode(a.sum[:], sum); err != nil || n != sha256.Size {
			continue
		}
		out[name] = a
	}
	return out
}

// lineHead returns the name and the digest a cache line starts with:
// {"name":"…","sha256":"…", as json.Marshal writes a decodedFile.
func lineHead(line []byte) (name string, sum []byte, ok bool) {
	rest, ok := bytes.CutPrefix(line, []byte(`{"name":`))
	if !ok {
		return "", nil, false
	}
	// The quotes of this marker cannot be inside the name's string, where
	// json.Marshal escapes quotes: its first occurrence ends the name.
	end := bytes.Index(rest, []byte(`,"sha256":"`))
	if end < 2 || rest[0] != '"' || rest[end-1] != '"' || json.Unmarshal(rest[:end], &name) != nil {
		return "", nil, false
	}
	rest = rest[end+len(`,"sha256":"`):]
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		return "", nil, false
	}
	return name, rest[:q], true
}

// decoded is a check file decoded from YAML, with where each key is.
type decoded struct {
	cf        checkFile
	positions map[string]fieldPos
	// checked are the file's expressions compiled ahead, by field
	// ("when", "fail", "lower_severity.when"); nil when not cached.
	checked map[string]*aheadExpr
}

// decodeFile decodes one check file; it needs no compiler, so files can be
// decoded concurrently. It returns nil and the problem when the file is not
// one YAML mapping of the check file's keys.
func decodeFile(data []byte) (*decoded, []problem) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, []problem{yamlProblem(err)}
	}
	if len(file.Docs) != 1 || file.Docs[0] == nil || file.Docs[0].Body == nil {
		return nil, []problem{{msg: "a check file holds exactly one YAML document, a mapping"}}
	}
	body := file.Docs[0].Body
	if _, ok := body.(*ast.MappingNode); !ok {
		if _, ok := body.(*ast.MappingValueNode); !ok {
			return nil, []problem{{line: line(body), msg: "a check file must be a mapping of keys (id, title, …)"}}
		}
	}
	d := &decoded{positions: map[string]fieldPos{}}
	if err := yaml.NodeToValue(body, &d.cf, yaml.Strict()); err != nil {
		return nil, []problem{yamlProblem(err)}
	}
	recordPositions(body, "", d.positions)
	return d, nil
}

// build validates and compiles a decoded check file. It returns the check,
// the line of its id and the problems.
func (c *compiler) build(d *decoded) (*Check, int, []problem) {
	cf := d.cf
	pos := func(key string) fieldPos { return d.positions[key] }

	var probs []problem
	add := func(field string, format string, args ...any) {
		probs = append(probs, problem{line: pos(field).line, field: field, msg: fmt.Sprintf(format, args...)})
	}
	check := &Check{
		ID:             strings.TrimSpace(cf.ID),
		Title:          strings.TrimSpace(cf.Title),
		Description:    cf.Description,
		Tags:           cf.Tags,
		References:     cf.References,
		DefaultsSource: strings.TrimSpace(cf.DefaultsSource),
		HelpURI:        strings.TrimSpace(cf.HelpURI),
		Each:           []string(cf.Each),
		When:           cf.When,
		Fail:           cf.Fail,
		Blame:          cf.Blame,
		Message:        strings.TrimSpace(cf.Message),
		Remediation:    map[model.Format]string{},
	}
	switch {
	case check.ID == "":
		add("id", "required")
	case !idPattern.MatchString(check.ID):
		add("id", "%q is not a check id (want letters and digits, a dash and at least three digits, e.g. AZFUNC-040)", check.ID)
	}
	if check.Title == "" {
		add("title", "required")
	}
	if strings.TrimSpace(check.Description) == "" {
		add("description", "required (markdown)")
	}
	sev, err := ParseSeverity(cf.Severity)
	if err != nil {
		add("severity", "%v", err)
	}
	check.Severity = sev
	switch {
	case cf.SecuritySeverity == nil:
		add("security_severity", "required: a number in the band of the severity")
	case sev != "":
		lo, hi := sev.Band()
		if *cf.SecuritySeverity < lo || *cf.SecuritySeverity > hi {
			add("security_severity", "%g is outside the %s band %.1f–%.1f", *cf.SecuritySeverity, sev, lo, hi)
		}
		check.SecuritySeverity = *cf.SecuritySeverity
	}
	check.EnabledByDefault = cf.EnabledByDefault == nil || *cf.EnabledByDefault
	if len(cf.Formats) == 0 {
		add("formats", "required: a list of %s, %s, %s", model.Terraform, model.ARM, model.Pulumi)
	}
	seen := map[model.Format]bool{}
	for i, f := range cf.Formats {
		mf := model.Format(f)
		if !validFormat(mf) {
			probs = append(probs, problem{line: pos(fmt.Sprintf("formats[%d]", i)).line, field: "formats", msg: fmt.Sprintf("unknown format %q (want %s, %s or %s)", f, model.Terraform, model.ARM, model.Pulumi)})
			continue
		}
		if seen[mf] {
			probs = append(probs, problem{line: pos(fmt.Sprintf("formats[%d]", i)).line, field: "formats", msg: fmt.Sprintf("%s listed twice", f)})
			continue
		}
		seen[mf] = true
		check.Formats = append(check.Formats, mf)
	}
	check.MCSB = validMCSB(cf.MCSB, func(i int, format string, args ...any) {
		probs = append(probs, problem{line: pos(fmt.Sprintf("mcsb[%d]", i)).line, field: "mcsb", msg: fmt.Sprintf(format, args...)})
	})
	for f, text := range cf.Remediation {
		key := "remediation." + f
		if !validFormat(model.Format(f)) || !seen[model.Format(f)] {
			add(key, "remediation for %q, which is not one of the check's formats", f)
			continue
		}
		if strings.TrimSpace(text) == "" {
			add(key, "empty remediation")
			continue
		}
		check.Remediation[model.Format(f)] = text
	}
	for _, f := range slices.Sorted(maps.Keys(cf.Fix)) {
		spec := cf.Fix[f]
		key := "fix." + f
		mf := model.Format(f)
		switch {
		case !validFormat(mf) || !seen[mf]:
			add(key, "fix for %q, which is not one of the check's formats", f)
			continue
		case mf == model.Pulumi:
			add(key, "no fix for pulumi: a stack export is not source (say what to change in fix_hint)")
			continue
		}
		ok := true
		if len(spec.Settings) > 0 {
			if s := spec.FixSetting; s.Path != "" || s.Value != nil || s.From != "" || len(s.Types) > 0 || s.Child != "" || s.ChildPath != "" || s.NoAdd != "" {
				add(key+".settings", "either one setting (path, value, …) or a list of settings, not both")
				continue
			}
			for i := range spec.Settings {
				s := &spec.Settings[i]
				s.From = strings.TrimSpace(s.From)
				ok = validFixSetting(fmt.Sprintf("%s.settings[%d]", key, i), *s, add) && ok
			}
			for i, s := range spec.Settings {
				for _, o := range spec.Settings[:i] {
					if o.Path == s.Path && typesOverlap(o.Types, s.Types) {
						add(fmt.Sprintf("%s.settings[%d].path", key, i), "%s is set twice", s.Path)
						ok = false
					}
				}
			}
		} else {
			ok = validFixSetting(key, spec.List()[0], add)
		}
		if !ok {
			continue
		}
		spec.Caution = strings.TrimSpace(spec.Caution)
		if check.Fix == nil {
			check.Fix = map[model.Format]FixSpec{}
		}
		check.Fix[mf] = spec
	}
	check.FixHint = strings.TrimSpace(cf.FixHint)
	for i, r := range cf.References {
		key := fmt.Sprintf("references[%d]", i)
		switch {
		case strings.TrimSpace(r.Title) == "":
			add(key, "a reference needs a title")
		case !strings.HasPrefix(r.URL, "https://") && !strings.HasPrefix(r.URL, "http://"):
			add(key, "a reference needs an http(s) url")
		}
	}
	if ls := cf.LowerSeverity; ls != nil {
		to, err := ParseSeverity(ls.To)
		switch {
		case err != nil:
			add("lower_severity.to", "%v", err)
		case sev != "" && to.Rank() >= sev.Rank():
			add("lower_severity.to", "%s is not below the check's severity %s", to, sev)
		}
		if strings.TrimSpace(ls.Reason) == "" {
			add("lower_severity.reason", "required: why the finding is less severe")
		}
		check.LowerSeverity = &LowerSeverity{To: to, When: ls.When, Reason: strings.TrimSpace(ls.Reason)}
	}
	c.ahead = d.checked
	l, lprobs := c.compile(&cf, pos)
	c.ahead = nil
	probs = append(probs, lprobs...)
	check.logic = l
	return check, pos("id").line, probs
}

// mcsbPattern is the form of a Microsoft cloud security benchmark control
// id: a domain and a number, NS-2, DP-3.
var mcsbPattern = regexp.MustCompile(`^([A-Z]{2})-([1-9][0-9]?)$`)

// MCSBDomains are the control domains of the Microsoft cloud security
// benchmark, in the benchmark's order: network security, identity
// management, privileged access, data protection, asset management,
// logging and threat detection, incident response, posture and
// vulnerability management, endpoint security, backup and recovery,
// DevOps security, governance and strategy.
func MCSBDomains() []string {
	return []string{"NS", "IM", "PA", "DP", "AM", "LT", "IR", "PV", "ES", "BR", "DS", "GS"}
}

// validMCSB returns the control ids of a check file's mcsb list, reporting
// each that is not a control id of a known domain or is listed twice.
func validMCSB(ids []string, bad func(i int, format string, args ...any)) []string {
	var out []string
	for i, id := range ids {
		m := mcsbPattern.FindStringSubmatch(id)
		switch {
		case m == nil:
			bad(i, "%q is not an MCSB control id (want a domain, a dash and a number, e.g. DP-3)", id)
		case !slices.Contains(MCSBDomains(), m[1]):
			bad(i, "%q: unknown MCSB domain %s (want one of %s)", id, m[1], strings.Join(MCSBDomains(), ", "))
		case slices.Contains(out, id):
			bad(i, "%s listed twice", id)
		default:
			out = append(out, id)
		}
	}
	return out
}

// validFixSetting reports whether one setting of a fix (at key) has a path
// and a value, reporting what is wrong through add.
func validFixSetting(key string, s FixSetting, add func(field, format string, args ...any)) bool {
	switch {
	case strings.TrimSpace(s.Path) == "" || slices.Contains(strings.Split(s.Path, "."), ""):
		add(key+".path", "required: the attribute or property to set, dot-separated (site_config.minimum_tls_version, properties.httpsOnly)")
	case (s.Child == "") != (s.ChildPath == ""):
		add(key+".child", "child and child_path go together: the child resource (config/web) and the property there")
	case !validFixValue(s.Value):
		add(key+".value", "required: a bool, string or number (got %T)", s.Value)
	default:
		return true
	}
	return false
}

// typesOverlap reports whether two settings' type lists share a type (an
// empty list is every type).
func typesOverlap(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	return slices.ContainsFunc(a, func(t string) bool { return slices.Contains(b, t) })
}

func validFormat(f model.Format) bool {
	return f == model.Terraform || f == model.ARM || f == model.Pulumi
}

// yamlProblem turns a go-yaml error into a problem at its line.
func yamlProblem(err error) problem {
	var ye yaml.Error
	if errors.As(err, &ye) {
		p := problem{msg: strings.TrimSpace(ye.GetMessage())}
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			p.line = tk.Position.Line
		}
		return p
	}
	return problem{msg: err.Error()}
}

func line(n ast.Node) int {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

// recordPositions records where every key and list element of a check
// file starts: "fail", "remediation.arm", "each[1]", "references[0]".
func recordPositions(n ast.Node, prefix string, out map[string]fieldPos) {
	switch n := n.(type) {
	case *ast.MappingNode:
		for _, mv := range n.Values {
			recordPositions(mv, prefix, out)
		}
	case *ast.MappingValueNode:
		key := ""
		if tk := n.Key.GetToken(); tk != nil {
			key = tk.Value
		}
		if prefix != "" {
			key = prefix + "." + key
		}
		fp := fieldPos{line: line(n.Key)}
		if lit, ok := n.Value.(*ast.LiteralNode); ok {
			fp.block = true
			if lit.Start != nil && lit.Start.Position != nil {
				fp.line = lit.Start.Position.Line
			}
		} else if l := line(n.Value); l > 0 {
			fp.line = l
		}
		out[key] = fp
		recordPositions(n.Value, key, out)
	case *ast.SequenceNode:
		for i, v := range n.Values {
			key := fmt.Sprintf("%s[%d]", prefix, i)
			out[key] = fieldPos{line: line(v)}
			recordPositions(v, key, out)
		}
	}
}
