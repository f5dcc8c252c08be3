package engine

import (
	"fmt"
	"regexp"
	"sync"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/overloads"
	exprpb "google.golang.org/genproto/googleapis/api/expr/v1alpha1"
	"google.golang.org/protobuf/proto"
)

// The cache of decoded check files (EncodeDecoded) also holds each CEL
// expression type-checked, so that a scan compiles the built-in checks
// without parsing and checking their CEL again (ANTLR's parse and the
// checker were 86% of compiling them), and what compiling it gives the
// engine (compiledExpr: its fast path, what it reads), so that a scan
// decodes the checked expression, a protocol buffer, only to build its
// CEL program, at the first evaluation the fast path does not answer
// (most scans build none: decoding the 81 built-in expressions was
// 6 ms of CPU at start-up, most of it the protobuf library's first
// use). An expression is taken from the cache only with its file's
// contents unchanged, and the cache is rebuilt whenever what the checker
// or the compiler gives changes (TestDecodedIsCurrent): the environments
// it was checked in are this package's.

// aheadExpr is an expression of the cache: what compiling it gave, and
// its checked form, decoded at the first need.
type aheadExpr struct {
	compiled *compiledExpr
	ast      func() (*cel.Ast, error)
}

// compiledExpr is what compileExpr derives from an expression's syntax
// tree, in the cache's JSON.
type compiledExpr struct {
	Loops   bool      `json:"loops,omitempty"`
	PerItem bool      `json:"per_item,omitempty"`
	App     readsJSON `json:"app"`
	Item    readsJSON `json:"item"`
	Fast    *fastJSON `json:"fast"`
}

// readsJSON is reads in the cache. Lists and maps are written even when
// empty (null and empty read back as they were).
type readsJSON struct {
	All    bool                  `json:"all,omitempty"`
	Fields map[string]*readsJSON `json:"fields"`
}

func readsToJSON(r reads) readsJSON {
	out := readsJSON{All: r.all}
	if r.fields != nil {
		out.Fields = make(map[string]*readsJSON, len(r.fields))
		for k, v := range r.fields {
			j := readsToJSON(*v)
			out.Fields[k] = &j
		}
	}
	return out
}

func (j readsJSON) reads() reads {
	out := reads{all: j.All}
	if j.Fields != nil {
		out.fields = make(map[string]*reads, len(j.Fields))
		for k, v := range j.Fields {
			r := v.reads()
			out.fields[k] = &r
		}
	}
	return out
}

// fastJSON is a fastExpr in the cache; matches' pattern (re) is
// compiled again from lit.
type fastJSON struct {
	Op    fastOp           `json:"op"`
	Names []string         `json:"names"`
	Item  bool             `json:"item,omitempty"`
	Loop  string           `json:"loop,omitempty"`
	Iter  string           `json:"iter,omitempty"`
	Not   bool             `json:"not,omitempty"`
	Lit   string           `json:"lit,omitempty"`
	Lits  []string         `json:"lits"`
	Min   int              `json:"min,omitempty"`
	Rel   relOp            `json:"rel,omitempty"`
	Num   int64            `json:"num,omitempty"`
	Fn    string           `json:"fn,omitempty"`
	Cond  *fastJSON        `json:"cond,omitempty"`
	Args  [2]*fastJSON     `json:"args"`
	Norm  []stringFuncJSON `json:"norm"`
}

// stringFuncJSON is a stringFunc in the cache.
type stringFuncJSON struct {
	Kind stringFuncKind `json:"kind"`
	From string         `json:"from,omitempty"`
	To   string         `json:"to,omitempty"`
}

func fastToJSON(f *fastExpr) *fastJSON {
	if f == nil {
		return nil
	}
	j := &fastJSON{Op: f.op, Names: f.names, Item: f.item, Loop: f.loop, Iter: f.iter, Not: f.not, Lit: f.lit,
		Lits: f.lits, Min: f.min, Rel: f.rel, Num: f.num, Fn: f.fn, Cond: fastToJSON(f.cond),
		Args: [2]*fastJSON{fastToJSON(f.args[0]), fastToJSON(f.args[1])}}
	if f.norm != nil {
		j.Norm = make([]stringFuncJSON, len(f.norm))
		for i, fn := range f.norm {
			j.Norm[i] = stringFuncJSON{Kind: fn.kind, From: fn.from, To: fn.to}
		}
	}
	return j
}

func (j *fastJSON) fast() (*fastExpr, error) {
	if j == nil {
		return nil, nil
	}
	f := &fastExpr{op: j.Op, names: j.Names, item: j.Item, loop: j.Loop, iter: j.Iter, not: j.Not, lit: j.Lit,
		lits: j.Lits, min: j.Min, rel: j.Rel, num: j.Num, fn: j.Fn}
	var err error
	if j.Op == opStrCall && j.Fn == overloads.Matches {
		if f.re, err = regexp.Compile(j.Lit); err != nil {
			return nil, err
		}
	}
	if f.cond, err = j.Cond.fast(); err != nil {
		return nil, err
	}
	for i, a := range j.Args {
		if f.args[i], err = a.fast(); err != nil {
			return nil, err
		}
	}
	if j.Norm != nil {
		f.norm = make([]stringFunc, len(j.Norm))
		for i, fn := range j.Norm {
			f.norm[i] = stringFunc{kind: fn.Kind, from: fn.From, to: fn.To}
		}
	}
	return f, nil
}

// compiledOf is what the cache keeps of x.
func compiledOf(x *expr, perItem bool) *compiledExpr {
	return &compiledExpr{Loops: x.loops, PerItem: perItem, App: readsToJSON(x.app), Item: readsToJSON(x.item), Fast: fastToJSON(x.fast)}
}

// expr is the expression the cache compiled, its program not built.
func (c *compiledExpr) expr(field string, line int, src string) (*expr, error) {
	f, err := c.Fast.fast()
	if err != nil {
		return nil, err
	}
	return &expr{field: field, line: line, src: src, loops: c.Loops, app: c.App.reads(), item: c.Item.reads(), fast: f}, nil
}

// encodeChecked gives the checked expressions by field in their protocol
// buffer form, deterministically.
func encodeChecked(asts map[string]*cel.Ast) (map[string][]byte, error) {
	if len(asts) == 0 {
		return nil, nil
	}
	out := make(map[string][]byte, len(asts))
	for field, a := range asts {
		ce, err := cel.AstToCheckedExpr(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(ce)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		out[field] = b
	}
	return out, nil
}

// decodeChecked gives the expressions of a cached file, their checked
// forms decoded when first asked for; nil when an expression's compiled
// form is missing (the file is then compiled from its source).
func decodeChecked(enc map[string][]byte, compiled map[string]*compiledExpr) map[string]*aheadExpr {
	if len(enc) == 0 || len(compiled) != len(enc) {
		return nil
	}
	out := make(map[string]*aheadExpr, len(enc))
	for field, b := range enc {
		c := compiled[field]
		if c == nil {
			return nil
		}
		out[field] = &aheadExpr{compiled: c, ast: sync.OnceValues(func() (*cel.Ast, error) { return decodeAst(b) })}
	}
	return out
}

// decodeAst reads one expression encodeChecked wrote.
func decodeAst(b []byte) (*cel.Ast, error) {
	var ce exprpb.CheckedExpr
	if err := proto.Unmarshal(b, &ce); err != nil {
		return nil, err
	}
	a, err := cel.CheckedExprToAstWithSource(&ce, nil)
	if err != nil {
		return nil, err
	}
	if !a.IsChecked() {
		return nil, fmt.Errorf("the cached expression is not type-checked")
	}
	return a, nil
}
