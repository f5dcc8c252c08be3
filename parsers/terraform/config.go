package terraform

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// config is the decoded, not yet evaluated content of one module.
type config struct {
	variables []*variable
	varByName map[string]*variable
	locals    []*local
	localByNm map[string]*local
	// resources holds managed resources and data sources in file order.
	resources []*resource
	byAddr    map[string]*resource // by configAddr
	types     map[string]bool      // managed resource types declared
	// calls holds the module calls in file order.
	calls      []*moduleCall
	callByName map[string]*moduleCall
	outputs    []*output
	outputByNm map[string]*output
}

func newConfig() *config {
	return &config{
		varByName:  map[string]*variable{},
		localByNm:  map[string]*local{},
		byAddr:     map[string]*resource{},
		types:      map[string]bool{},
		callByName: map[string]*moduleCall{},
		outputByNm: map[string]*output{},
	}
}

// variable is a declared input variable.
type variable struct {
	name      string
	decl      hcl.Range
	dflt      hcl.Expression // nil when there is no default
	typ       hcl.Expression // nil when there is no type constraint
	sensitive hcl.Expression // nil when absent
	nullable  hcl.Expression // nil when absent

	// In a called module, the value is computed on first use from the
	// call's argument (see scope.moduleVar).
	state evalState
	val   cty.Value
}

// local is a local value; its value is computed lazily (see scope.local).
type local struct {
	name  string
	expr  hcl.Expression
	state evalState
	val   cty.Value
}

// resourceMode tells managed resources from data sources.
type resourceMode uint8

const (
	managed resourceMode = iota
	dataSource
)

// resource is a resource or data block. Its instances are produced by
// scope.instances, which expands count and for_each.
type resource struct {
	mode    resourceMode
	typ     string
	name    string
	def     hcl.Range // the block header: resource "type" "name"
	whole   hcl.Range // header to closing brace
	body    hcl.Body
	count   hcl.Expression
	forEach hcl.Expression
	state   evalState // of the expansion into insts
	insts   []*instance
	// coll is the resource as a whole (see collection), once built from
	// its expanded instances.
	coll cty.Value
	// collSize remembers the size of coll (see sizeMemo).
	collSize sizeMemo
}

// configAddr is the address within the module: type.name or data.type.name.
func (r *resource) configAddr() string {
	if r.mode == dataSource {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

// multi reports whether the resource has count or for_each, so that its
// references carry an instance key.
func (r *resource) multi() bool { return r.count != nil || r.forEach != nil }

// blockLabels returns the label names of a top-level block type.
func blockLabels(typ string) []string {
	for _, b := range fileSchema().Blocks {
		if b.Type == typ {
			return b.LabelNames
		}
	}
	return nil
}

// fileSchema is the top level of a Terraform file.
func fileSchema() *hcl.BodySchema {
	one := []string{"name"}
	two := []string{"type", "name"}
	return &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "provider", LabelNames: one},
		{Type: "variable", LabelNames: one},
		{Type: "locals"},
		{Type: "output", LabelNames: one},
		{Type: "module", LabelNames: one},
		{Type: "resource", LabelNames: two},
		{Type: "data", LabelNames: two},
		{Type: "ephemeral", LabelNames: two},
		{Type: "moved"},
		{Type: "import"},
		{Type: "removed"},
		{Type: "check", LabelNames: one},
	}}
}

// decodeConfig decodes the top-level blocks of all files, with the
// override files merged into the others (see override.go).
func (s *scope) decodeConfig(files []*sourceFile) *config {
	c := newConfig()
	var blocks, overrides []fileBlock
	for _, f := range files {
		content, _, diags := f.body.PartialContent(fileSchema())
		s.addHCLDiags(diags, model.SevError, f.path)
		if content == nil {
			continue
		}
		for _, blk := range content.Blocks {
			if len(blk.Labels) < len(blockLabels(blk.Type)) {
				continue // hcl already reported the missing label
			}
			if f.override {
				overrides = append(overrides, fileBlock{blk: blk, path: f.path})
			} else {
				blocks = append(blocks, fileBlock{blk: blk, path: f.path})
			}
		}
	}
	blocks, locals := s.applyOverrides(blocks, overrides)
	for _, fb := range blocks {
		blk := fb.blk
		switch blk.Type {
		case "variable":
			s.decodeVariable(c, blk)
		case "locals":
			s.decodeLocals(c, blk, fb.path)
		case "resource", "data":
			s.decodeResource(c, blk)
		case "module":
			s.decodeModuleCall(c, blk)
		case "output":
			s.decodeOutput(c, blk)
		}
	}
	s.overrideLocals(c, locals)
	return c
}

func (s *scope) decodeVariable(c *config, blk *hcl.Block) {
	name := blk.Labels[0]
	attr, diags := partialAttrs(blk.Body, &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "default"}, {Name: "type"}, {Name: "sensitive"},
			{Name: "description"}, {Name: "nullable"}, {Name: "ephemeral"},
		},
		Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
	})
	s.addHCLDiags(diags, model.SevWarning, blk.DefRange.Filename)
	if _, dup := c.varByName[name]; dup {
		s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Duplicate variable declaration",
			Detail: "variable " + strconv.Quote(name) + " is declared more than once; the first declaration is used.", Range: toRange(blk.DefRange)})
		return
	}
	v := &variable{name: name, decl: blk.DefRange, dflt: attr("default"), typ: attr("type"), sensitive: attr("sensitive"), nullable: attr("nullable")}
	c.variables = append(c.variables, v)
	c.varByName[name] = v
}

func (s *scope) decodeLocals(c *config, blk *hcl.Block, path string) {
	attrs, diags := blk.Body.JustAttributes()
	s.addHCLDiags(diags, model.SevError, path)
	for _, a := range sortedAttrs(attrs) {
		if _, dup := c.localByNm[a.Name]; dup {
			s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Duplicate local value",
				Detail: "local." + a.Name + " is defined more than once; the first definition is used.", Range: toRange(a.NameRange)})
			continue
		}
		l := &local{name: a.Name, expr: a.Expr}
		c.locals = append(c.locals, l)
		c.localByNm[a.Name] = l
	}
}

func (s *scope) decodeResource(c *config, blk *hcl.Block) {
	r := &resource{
		typ:  blk.Labels[0],
		name: blk.Labels[1],
		def:  blk.DefRange,
		body: blk.Body,
	}
	if blk.Type == "data" {
		r.mode = dataSource
	}
	r.whole = blockRange(blk)
	// Meta-arguments are read here; the rest of the body is decoded per
	// instance (decodeBody), where count.index and each.* are in scope.
	attr, _ := partialAttrs(blk.Body, &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}}})
	r.count, r.forEach = attr("count"), attr("for_each")
	key := r.configAddr()
	if _, dup := c.byAddr[key]; dup {
		s.addDiag(model.Diagnostic{Severity: model.SevWarning, Summary: "Duplicate resource",
			Detail: key + " is declared more than once; the first declaration is used.", Range: toRange(blk.DefRange)})
		return
	}
	c.byAddr[key] = r
	c.resources = append(c.resources, r)
	if r.mode == managed {
		c.types[r.typ] = true
	}
}

// partialAttrs reads the attributes of schema from body as
// PartialContent does: attr gives the expression of one (nil when
// absent), diags PartialContent's diagnostics. A native-syntax body as
// the parser made it (nothing of it hidden) is read directly when
// PartialContent would report nothing: schema requires no attribute and
// the body's blocks of the types schema names carry the labels it names.
func partialAttrs(body hcl.Body, schema *hcl.BodySchema) (attr func(name string) hcl.Expression, diags hcl.Diagnostics) {
	if sb, ok := body.(*hclsyntax.Body); ok && quietPartialContent(sb, schema) {
		return func(name string) hcl.Expression {
			if a := sb.Attributes[name]; a != nil && slices.ContainsFunc(schema.Attributes, func(as hcl.AttributeSchema) bool { return as.Name == name }) {
				return a.Expr
			}
			return nil
		}, nil
	}
	content, _, diags := body.PartialContent(schema)
	return func(name string) hcl.Expression {
		if content == nil || content.Attributes[name] == nil {
			return nil
		}
		return content.Attributes[name].Expr
	}, diags
}

// quietPartialContent reports whether PartialContent(schema) of b has no
// diagnostics to give: no required attribute, no block of a type schema
// names with other labels than it names.
func quietPartialContent(b *hclsyntax.Body, schema *hcl.BodySchema) bool {
	for _, as := range schema.Attributes {
		if as.Required {
			return false
		}
	}
	for _, blk := range b.Blocks {
		for _, bs := range schema.Blocks {
			if bs.Type == blk.Type && len(bs.LabelNames) != len(blk.Labels) {
				return false
			}
		}
	}
	return true
}

// blockRange spans a block from its header to its closing brace. The start
// is the header line, which is where findings about defaults point.
func blockRange(blk *hcl.Block) hcl.Range {
	body := baseBody(blk.Body)
	if hb, ok := body.(*hclsyntax.Body); ok {
		return hcl.RangeBetween(blk.DefRange, hb.SrcRange)
	}
	end := body.MissingItemRange()
	if end.Filename != blk.DefRange.Filename || end.End.Byte < blk.DefRange.Start.Byte {
		return blk.DefRange
	}
	return hcl.RangeBetween(blk.DefRange, end)
}

// sortedAttrs returns attributes in source order (then by name), so that
// evaluation and diagnostics are deterministic.
func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].Range, out[j].Range
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Start.Byte != b.Start.Byte {
			return a.Start.Byte < b.Start.Byte
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// evalState tracks lazy evaluation and detects cycles.
type evalState uint8

const (
	pending evalState = iota
	evaluating
	done
)

// blockSchema names the nested block types of a block, so that .tf.json
// objects are read as blocks rather than object attributes. Attributes need
// no schema: everything that is not a known block is an attribute.
type blockSchema struct {
	blocks map[string]*blockSchema
	// decode are what decodeBody starts from for a nested block and for
	// a resource body (top), made on first use.
	decode [2]*decodeSchema
}

// decodeSchema is the schema decodeBody decodes a body of a blockSchema
// with before the block types only the body's syntax names, and the
// block types it holds.
type decodeSchema struct {
	schema *hcl.BodySchema
	known  map[string]bool
}

// schemaFor is schemaFor(typ), remembered by the tree (also when nil)
// and, for the few types that have one, shared by every tree of the
// loader: a scan of many stacks made the same schemas and decode schemas
// for each.
func (t *tree) schemaFor(typ string) *blockSchema {
	if bs, ok := t.schemas[typ]; ok {
		return bs
	}
	bs := t.loader.schemaFor(typ)
	t.schemas[typ] = bs
	return bs
}

// schemaFor is schemaFor(typ), prepared (see prepareSchema) and shared
// by the trees of the loader, which only read it. Only types with a
// schema are kept, so at most the few types schemaFor names.
func (l *Loader) schemaFor(typ string) *blockSchema {
	if bs, ok := l.schemas.Load(typ); ok {
		return bs.(*blockSchema)
	}
	bs := schemaFor(typ)
	if bs == nil {
		return nil
	}
	prepareSchema(bs)
	got, _ := l.schemas.LoadOrStore(typ, bs)
	return got.(*blockSchema)
}

// noSchemaFor stands for a block without nested types, its decode
// schemas made ahead (see prepareSchema), shared by every tree.
func (l *Loader) noSchemaFor() *blockSchema {
	l.noSchemaOnce.Do(func() {
		l.noSchema = &blockSchema{}
		prepareSchema(l.noSchema)
	})
	return l.noSchema
}

// prepareSchema makes the decode schemas of bs and of every nested block
// type it describes, so that decodeSchema never writes into a schema
// another goroutine may read.
func prepareSchema(bs *blockSchema) {
	bs.decode[0] = buildDecodeSchema(bs, false)
	bs.decode[1] = buildDecodeSchema(bs, true)
	for _, c := range bs.blocks {
		if len(c.blocks) > 0 {
			prepareSchema(c)
		}
	}
}

// decodeSchema returns the schema to decode a body of bs (nil: a block
// without nested types) with: dynamic blocks, the meta-argument blocks
// of a resource body (top), then the nested block types of bs in
// lexical order. It is made once per blockSchema and kind of body
// (ahead, for the shared schemas: see prepareSchema).
func (t *tree) decodeSchema(bs *blockSchema, top bool) *decodeSchema {
	if bs == nil || len(bs.blocks) == 0 {
		bs = t.loader.noSchemaFor()
	}
	i := 0
	if top {
		i = 1
	}
	if ds := bs.decode[i]; ds != nil {
		return ds
	}
	bs.decode[i] = buildDecodeSchema(bs, top)
	return bs.decode[i]
}

// buildDecodeSchema makes the decode schema decodeSchema gives.
func buildDecodeSchema(bs *blockSchema, top bool) *decodeSchema {
	schema := &hcl.BodySchema{}
	known := map[string]bool{"dynamic": true}
	schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: "dynamic", LabelNames: []string{"type"}})
	if top {
		for _, m := range resourceMetaBlocks() {
			known[m.Type] = true
			schema.Blocks = append(schema.Blocks, m)
		}
	}
	for _, n := range sortedKeys(bs.blocks) {
		if !known[n] {
			known[n] = true
			schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: n})
		}
	}
	return &decodeSchema{schema: schema, known: known}
}

// child returns the schema of a nested block type (an empty schema when
// the type is not described).
func (bs *blockSchema) child(name string) *blockSchema {
	if bs != nil {
		if c := bs.blocks[name]; c != nil {
			return c
		}
	}
	return &blockSchema{}
}

// resourceMetaBlocks are the meta-argument blocks of a resource body.
func resourceMetaBlocks() []hcl.BlockHeaderSchema {
	return []hcl.BlockHeaderSchema{
		{Type: "lifecycle"},
		{Type: "connection"},
		{Type: "provisioner", LabelNames: []string{"type"}},
	}
}

// resourceMetaAttrs are meta-arguments, not part of the resource's value.
func isResourceMetaAttr(name string) bool {
	switch name {
	case "count", "for_each", "provider", "depends_on":
		return true
	}
	return false
}

// evalBody is a decoded block of one resource instance: its attributes
// (evaluated lazily) and nested blocks.
type evalBody struct {
	inst    *instance
	def     hcl.Range // header of this block
	attrs   map[string]*evalAttr
	blocks  map[string][]*evalBody // dynamic blocks expanded, in source order
	dynamic map[string][]hcl.Range // dynamic "type" blocks whose for_each is unknown
	// unknown, when set, says why this placeholder body's content is
	// unknown (it stands for blocks a dynamic block generates).
	unknown string
}

// evalAttr is one attribute; val is valid once state is done.
type evalAttr struct {
	name  string
	expr  hcl.Expression
	rng   hcl.Range // the expression
	inst  *instance
	s     *scope    // where the expression is evaluated
	it    *iterator // dynamic block iterators in scope, innermost first
	state evalState
	val   cty.Value
}

// hopName names the attribute in a trail: the resource or module call
// instance's address and the attribute's name.
func (a *evalAttr) hopName() string {
	if a.inst == nil || a.inst.addr == "" {
		return a.name
	}
	return a.inst.addr + "." + a.name
}

// scope is where the attribute is evaluated: its own scope, or fallback
// for attributes made without one (plan input).
func (a *evalAttr) scope(fallback *scope) *scope {
	if a.s != nil {
		return a.s
	}
	return fallback
}

// addBlock appends a nested block of a type.
func (b *evalBody) addBlock(typ string, nb *evalBody) {
	if b.blocks == nil {
		b.blocks = map[string][]*evalBody{}
	}
	b.blocks[typ] = append(b.blocks[typ], nb)
}

// addDynamic records a dynamic block of a type whose for_each is not
// known.
func (b *evalBody) addDynamic(typ string, r hcl.Range) {
	if b.dynamic == nil {
		b.dynamic = map[string][]hcl.Range{}
	}
	b.dynamic[typ] = append(b.dynamic[typ], r)
}

// attr returns the named attribute, or nil when b is nil or lacks it.
func (b *evalBody) attr(name string) *evalAttr {
	if b == nil {
		return nil
	}
	return b.attrs[name]
}

// block returns the first nested block of a type, or nil.
func (b *evalBody) block(name string) *evalBody {
	if b == nil || len(b.blocks[name]) == 0 {
		return nil
	}
	return b.blocks[name][0]
}

// isDynamic reports whether blocks of the type are generated by a dynamic
// block whose for_each is not known, which makes their content unknown.
func (b *evalBody) isDynamic(name string) bool { return b != nil && len(b.dynamic[name]) > 0 }

// decodeBody decodes body with the nested block types of bs. Blocks of
// types bs does not describe are still found in native syntax (their names
// are read from the syntax tree); in JSON they are object attributes.
// Dynamic blocks are expanded (see expandDynamic); it holds the iterators
// of the dynamic blocks body is the content of.
func (s *scope) decodeBody(body hcl.Body, def hcl.Range, bs *blockSchema, inst *instance, top bool, it *iterator) *evalBody {
	eb := &evalBody{inst: inst, def: def}
	if body == nil {
		return eb
	}
	ds := s.t.decodeSchema(bs, top)
	schema := ds.schema
	var more []string // block types only the syntax names
	for _, blk := range syntaxBlocks(body) {
		if ds.known[blk.Type] || slices.Contains(more, blk.Type) {
			continue
		}
		if len(more) == 0 {
			schema = &hcl.BodySchema{Blocks: slices.Clone(ds.schema.Blocks)}
		}
		more = append(more, blk.Type)
		labels := make([]string, len(blk.Labels))
		for i := range labels {
			labels[i] = "label" + strconv.Itoa(i)
		}
		schema.Blocks = append(schema.Blocks, hcl.BlockHeaderSchema{Type: blk.Type, LabelNames: labels})
	}

	if sb, ok := body.(*hclsyntax.Body); ok {
		if attrs, blocks, ok := syntaxContent(sb, schema); ok {
			eb.attrs = make(map[string]*evalAttr, len(attrs))
			store := make([]evalAttr, 0, len(attrs)) // one allocation for all
			for _, a := range attrs {
				if top && isResourceMetaAttr(a.Name) {
					continue
				}
				store = append(store, evalAttr{name: a.Name, expr: a.Expr, rng: a.Expr.Range(), inst: inst, s: s, it: it})
				eb.attrs[a.Name] = &store[len(store)-1]
			}
			s.decodeBlocks(eb, blocks, bs, inst, top, it)
			return eb
		}
	}
	content, remain, diags := body.PartialContent(schema)
	s.addHCLDiags(diags, model.SevWarning, def.Filename)
	if remain != nil {
		attrs, adiags := remain.JustAttributes()
		s.addHCLDiags(withoutBlockComplaints(adiags), model.SevWarning, def.Filename)
		eb.attrs = make(map[string]*evalAttr, len(attrs))
		store := make([]evalAttr, 0, len(attrs)) // one allocation for all
		for _, a := range sortedAttrs(attrs) {
			if top && isResourceMetaAttr(a.Name) {
				continue
			}
			store = append(store, evalAttr{name: a.Name, expr: a.Expr, rng: a.Expr.Range(), inst: inst, s: s, it: it})
			eb.attrs[a.Name] = &store[len(store)-1]
		}
	}
	if content == nil {
		return eb
	}
	s.decodeBlocks(eb, content.Blocks, bs, inst, top, it)
	return eb
}

// syntaxContent is, for a native-syntax body as the parser made it (none
// of it hidden by an earlier PartialContent), what decodeBody reads from
// PartialContent(schema) and JustAttributes of the rest: every attribute,
// in sortedAttrs' order, and every block of a type schema names, in
// source order; without the maps and copies those build. ok is false
// when a block's labels do not fit its schema: PartialContent reports
// that, so the body takes that path.
func syntaxContent(b *hclsyntax.Body, schema *hcl.BodySchema) (attrs []*hclsyntax.Attribute, blocks []*hcl.Block, ok bool) {
	for _, blk := range b.Blocks {
		i := slices.IndexFunc(schema.Blocks, func(h hcl.BlockHeaderSchema) bool { return h.Type == blk.Type })
		if i < 0 {
			continue // not wanted (PartialContent leaves it; JustAttributes' complaint is dropped)
		}
		if len(blk.Labels) != len(schema.Blocks[i].LabelNames) {
			return nil, nil, false
		}
		blocks = append(blocks, blk.AsHCLBlock())
	}
	attrs = make([]*hclsyntax.Attribute, 0, len(b.Attributes))
	for _, a := range b.Attributes {
		attrs = append(attrs, a)
	}
	slices.SortFunc(attrs, func(x, y *hclsyntax.Attribute) int {
		a, b := x.SrcRange, y.SrcRange
		switch {
		case a.Filename != b.Filename:
			return strings.Compare(a.Filename, b.Filename)
		case a.Start.Byte != b.Start.Byte:
			return a.Start.Byte - b.Start.Byte
		}
		return strings.Compare(x.Name, y.Name)
	})
	return attrs, blocks, true
}

// decodeBlocks decodes the nested blocks of a body into eb: dynamic
// blocks expanded, a resource's meta-argument blocks left out.
func (s *scope) decodeBlocks(eb *evalBody, blocks hcl.Blocks, bs *blockSchema, inst *instance, top bool, it *iterator) {
	for _, blk := range blocks {
		switch {
		case blk.Type == "dynamic":
			s.expandDynamic(eb, blk, bs, inst, it)
		case top && (blk.Type == "lifecycle" || blk.Type == "connection" || blk.Type == "provisioner"):
			// meta-arguments: not part of the resource's value
		default:
			eb.addBlock(blk.Type, s.decodeBody(blk.Body, blk.DefRange, bs.child(blk.Type), inst, false, it))
		}
	}
}

// withoutBlockComplaints drops the "Unexpected block" errors JustAttributes
// reports for native-syntax bodies whose blocks were already decoded.
func withoutBlockComplaints(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d != nil && strings.HasPrefix(d.Summary, "Unexpected ") && strings.HasSuffix(d.Summary, " block") {
			continue
		}
		out = append(out, d)
	}
	return out
}
