package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/glob"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// FileName is the name of the configuration file Find looks for.
const FileName = ".azfuncscan.yaml"

// Config is a configuration file, read. Paths in it are absolute (made
// so from the file's directory); globs stay relative to Dir.
type Config struct {
	// Path is the file; Dir its directory (absolute).
	Path, Dir string
	// Threshold is severity-threshold; "" when not set.
	Threshold engine.Severity
	// MinSeverity is min-severity; "" when not set.
	MinSeverity engine.Severity
	// Enable and Disable are check ids (upper case).
	Enable, Disable []string
	// Severity overrides the severity of checks by id.
	Severity []SeverityOverride
	// ChecksDirs, VarFiles: absolute paths.
	ChecksDirs, VarFiles []string
	// ARMParameters are FILE or TEMPLATE=FILE, both made absolute.
	ARMParameters []string
	// SkipPaths are globs relative to Dir.
	SkipPaths []string
	// Ignores are external ignores (model.Ignore.External).
	Ignores []model.Ignore
}

// SeverityOverride sets the severity of one check.
type SeverityOverride struct {
	Check    string
	Severity engine.Severity
	Line     int
}

// Error is a problem in a configuration file, with its line.
type Error struct {
	File string
	Line int // 0: the whole file
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	}
	return e.File + ": " + e.Msg
}

// Find returns the configuration file for a scan of start (a file or a
// directory): FileName in start's directory or the nearest directory
// above it, not looking above the repository root (the first directory
// holding .git). "" when there is none.
func Find(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	for {
		p := filepath.Join(dir, FileName)
		// Regular files only: reading a FIFO put in a repository under
		// this name would block the scan forever.
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load reads a configuration file. Every problem (unknown keys, values of
// the wrong kind, bad severities, dates and globs) is reported with its
// line; all are returned together, joined, each an *Error.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, filepath.Dir(abs), data)
}

// Parse reads configuration data; name is the file name used in errors
// and in the ignores' positions, dir the directory paths are relative to.
func Parse(name, dir string, data []byte) (*Config, error) {
	l := &loader{file: name, cfg: &Config{Path: name, Dir: dir}}
	file, err := parser.ParseBytes(data, parser.ParseComments)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			line := 0
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				line = tk.Position.Line
			}
			return nil, &Error{File: name, Line: line, Msg: strings.TrimSpace(ye.GetMessage())}
		}
		return nil, &Error{File: name, Msg: err.Error()}
	}
	switch {
	case len(file.Docs) == 0 || file.Docs[0] == nil || file.Docs[0].Body == nil:
		return l.cfg, nil // empty or only comments
	case len(file.Docs) > 1:
		return nil, &Error{File: name, Msg: "a configuration file holds one YAML document"}
	}
	body := file.Docs[0].Body
	if c, ok := body.(*ast.CommentGroupNode); ok && c != nil {
		return l.cfg, nil
	}
	l.top(body)
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	return l.cfg, nil
}

// keys are the top-level keys, in the order of the documentation.
func keys() []string {
	return []string{"severity-threshold", "min-severity", "enable", "disable", "severity", "checks-dirs",
		"skip-paths", "var-files", "arm-parameters", "ignore"}
}

// Keys returns the top-level keys a configuration file may have.
func Keys() []string { return keys() }

type loader struct {
	file string
	cfg  *Config
	errs []error
}

func (l *loader) errorf(n ast.Node, format string, args ...any) {
	l.errs = append(l.errs, &Error{File: l.file, Line: line(n), Msg: fmt.Sprintf(format, args...)})
}

func line(n ast.Node) int {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

// mapping returns the entries of a mapping node, or reports that n is
// not one.
func (l *loader) mapping(n ast.Node, what string) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	l.errorf(n, "%s must be a mapping of keys", what)
	return nil
}

func keyName(mv *ast.MappingValueNode) string {
	if tk := mv.Key.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// unknownKey reports a key that is not one of known.
func (l *loader) unknownKey(mv *ast.MappingValueNode, where string, known []string) {
	name := keyName(mv)
	msg := fmt.Sprintf("unknown key %q%s", name, where)
	if s := engine.Closest(name, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else {
		msg += " (known: " + strings.Join(known, ", ") + ")"
	}
	l.errorf(mv.Key, "%s", msg)
}

func (l *loader) top(body ast.Node) {
	seen := map[string]bool{}
	for _, mv := range l.mapping(body, "the configuration") {
		name := keyName(mv)
		if seen[name] {
			l.errorf(mv.Key, "%s given twice", name)
			continue
		}
		seen[name] = true
		v := mv.Value
		switch name {
		case "severity-threshold":
			if s, ok := l.str(v, name); ok {
				sev, err := engine.ParseSeverity(s)
				if err != nil {
					l.errorf(v, "%s: %v", name, err)
				}
				l.cfg.Threshold = sev
			}
		case "min-severity":
			if s, ok := l.str(v, name); ok {
				sev, err := engine.ParseSeverity(s)
				if err != nil {
					l.errorf(v, "%s: %v", name, err)
				}
				l.cfg.MinSeverity = sev
			}
		case "enable":
			l.cfg.Enable = l.ids(v, name)
		case "disable":
			l.cfg.Disable = l.ids(v, name)
		case "severity":
			l.severity(v)
		case "checks-dirs":
			l.cfg.ChecksDirs = l.paths(v, name)
		case "skip-paths":
			l.cfg.SkipPaths = l.globs(v, name)
		case "var-files":
			l.cfg.VarFiles = l.paths(v, name)
		case "arm-parameters":
			l.armParameters(v)
		case "ignore":
			l.ignores(v)
		default:
			l.unknownKey(mv, "", keys())
		}
	}
}

// str decodes a string scalar.
func (l *loader) str(n ast.Node, what string) (string, bool) {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode, *ast.NullNode, nil:
		l.errorf(n, "%s must be a string", what)
		return "", false
	}
	var s string
	if err := yaml.NodeToValue(n, &s); err != nil {
		l.errorf(n, "%s must be a string", what)
		return "", false
	}
	return strings.TrimSpace(s), true
}

// strs decodes a string or a list of strings, each with its node.
func (l *loader) strs(n ast.Node, what string) ([]string, []ast.Node) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		if s, ok := l.str(n, what); ok {
			return []string{s}, []ast.Node{n}
		}
		return nil, nil
	}
	var out []string
	var nodes []ast.Node
	for _, v := range seq.Values {
		if s, ok := l.str(v, what+" entry"); ok {
			out = append(out, s)
			nodes = append(nodes, v)
		}
	}
	return out, nodes
}

// ids decodes check ids (not globs), upper-cased.
func (l *loader) ids(n ast.Node, what string) []string {
	list, nodes := l.strs(n, what)
	var out []string
	for i, id := range list {
		if !validID(id) {
			l.errorf(nodes[i], "%s: %q is not a check id (want e.g. AZFUNC-040)", what, id)
			continue
		}
		out = append(out, strings.ToUpper(id))
	}
	return out
}

func validID(id string) bool {
	dash := strings.LastIndexByte(id, '-')
	if dash < 1 || len(id)-dash-1 < 3 {
		return false
	}
	for i, c := range id {
		switch {
		case i == dash:
		case i > dash && c >= '0' && c <= '9':
		case i < dash && (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9'):
		default:
			return false
		}
	}
	return true
}

// paths decodes paths relative to the configuration file, made absolute.
func (l *loader) paths(n ast.Node, what string) []string {
	list, nodes := l.strs(n, what)
	var out []string
	for i, p := range list {
		if p == "" {
			l.errorf(nodes[i], "%s: empty path", what)
			continue
		}
		out = append(out, l.abs(p))
	}
	return out
}

func (l *loader) abs(p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(l.cfg.Dir, p)
}

// globs decodes path globs relative to the configuration file.
func (l *loader) globs(n ast.Node, what string) []string {
	list, nodes := l.strs(n, what)
	var out []string
	for i, g := range list {
		if problem := glob.Valid(g); problem != "" || g == "" {
			if g == "" {
				problem = "empty pattern"
			}
			l.errorf(nodes[i], "%s: %s", what, problem)
			continue
		}
		out = append(out, filepath.ToSlash(g))
	}
	return out
}

func (l *loader) severity(n ast.Node) {
	for _, mv := range l.mapping(n, "severity") {
		id := keyName(mv)
		if !validID(id) {
			l.errorf(mv.Key, "severity: %q is not a check id (want e.g. AZFUNC-040: high)", id)
			continue
		}
		s, ok := l.str(mv.Value, "severity of "+id)
		if !ok {
			continue
		}
		sev, err := engine.ParseSeverity(s)
		if err != nil {
			l.errorf(mv.Value, "severity of %s: %v", id, err)
			continue
		}
		l.cfg.Severity = append(l.cfg.Severity, SeverityOverride{Check: strings.ToUpper(id), Severity: sev, Line: line(mv.Key)})
	}
}

func (l *loader) armParameters(n ast.Node) {
	list, nodes := l.strs(n, "arm-parameters")
	for i, p := range list {
		tmpl, file, pair := strings.Cut(p, "=")
		switch {
		case !pair && p != "":
			l.cfg.ARMParameters = append(l.cfg.ARMParameters, l.abs(p))
		case pair && strings.TrimSpace(tmpl) != "" && strings.TrimSpace(file) != "":
			l.cfg.ARMParameters = append(l.cfg.ARMParameters, l.abs(strings.TrimSpace(tmpl))+"="+l.abs(strings.TrimSpace(file)))
		default:
			l.errorf(nodes[i], "arm-parameters: %q: want FILE or TEMPLATE=FILE", p)
		}
	}
}

// ignoreKeys are the keys of an ignore entry.
func ignoreKeys() []string {
	return []string{"id", "resource", "path", "root", "reason", "expires"}
}

func (l *loader) ignores(n ast.Node) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		l.errorf(n, "ignore must be a list of entries (- id: AZFUNC-040 …)")
		return
	}
	for _, entry := range seq.Values {
		ig := model.Ignore{External: true, Base: l.cfg.Dir, At: model.Range{
			Filename: filepath.ToSlash(l.file),
			Start:    model.Pos{Line: line(entry), Column: 1},
			End:      model.Pos{Line: line(entry), Column: 1},
		}}
		hasID := false
		for _, mv := range l.mapping(entry, "an ignore entry") {
			name, v := keyName(mv), mv.Value
			switch name {
			case "id":
				hasID = true
				list, nodes := l.strs(v, "id")
				for i, id := range list {
					if id == "" || (!validID(id) && !strings.ContainsAny(id, "*?")) {
						l.errorf(nodes[i], "id: %q is not a check id or a pattern (AZFUNC-040, AZFUNC-06*, *)", id)
						continue
					}
					ig.Checks = append(ig.Checks, strings.ToUpper(id))
				}
			case "resource":
				ig.Resource, _ = l.str(v, name)
			case "path", "root":
				g, _ := l.str(v, name)
				if problem := glob.Valid(g); problem != "" {
					l.errorf(v, "%s: %s", name, problem)
				}
				if name == "path" {
					ig.Path = g
				} else {
					ig.Root = g
				}
			case "reason":
				ig.Reason, _ = l.str(v, name)
			case "expires":
				s, ok := l.str(v, name)
				if !ok {
					continue
				}
				t, err := time.Parse(time.DateOnly, s)
				if err != nil {
					l.errorf(v, "expires: %q is not a date (want YYYY-MM-DD)", s)
					continue
				}
				ig.Expires = t
			default:
				l.unknownKey(mv, " in an ignore entry", ignoreKeys())
			}
		}
		if !hasID {
			l.errorf(entry, "an ignore entry needs an id (a check id, a pattern such as AZFUNC-06*, or *)")
			continue
		}
		if len(ig.Checks) > 0 {
			l.cfg.Ignores = append(l.cfg.Ignores, ig)
		}
	}
}

// Skip returns a function telling whether the walk of a scan leaves out a
// path (as the walk names it: relative to workDir, or absolute): whether
// it, relative to the configuration's directory, matches a skip-paths
// glob. Nil when there are none.
func (c *Config) Skip(workDir string) func(path string) bool {
	if c == nil || len(c.SkipPaths) == 0 {
		return nil
	}
	return func(p string) bool {
		if !filepath.IsAbs(p) {
			p = filepath.Join(workDir, p)
		}
		rel, err := filepath.Rel(c.Dir, p)
		if err != nil {
			return false
		}
		rel = filepath.ToSlash(rel)
		if rel == ".." || strings.HasPrefix(rel, "../") {
			return false
		}
		return slices.ContainsFunc(c.SkipPaths, func(g string) bool { return glob.Path(g, rel) })
	}
}

// ApplySeverity sets the overridden severities on the loaded checks. A
// check id that no check has is an error with its line. The SARIF score
// of an overridden check is reset to the middle of its new band.
func (c *Config) ApplySeverity(checks []*engine.Check) error {
	if c == nil {
		return nil
	}
	byID := map[string]*engine.Check{}
	for _, ch := range checks {
		byID[ch.ID] = ch
	}
	var errs []error
	for _, o := range c.Severity {
		ch := byID[o.Check]
		if ch == nil {
			errs = append(errs, &Error{File: c.Path, Line: o.Line, Msg: "severity: no loaded check is " + o.Check})
			continue
		}
		if ch.Severity != o.Severity {
			ch.Severity = o.Severity
			ch.SecuritySeverity = 0
		}
	}
	return errors.Join(errs...)
}
