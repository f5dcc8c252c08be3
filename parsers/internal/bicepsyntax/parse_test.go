package bicepsyntax

import (
	"fmt"
	"strings"
	"testing"
)

const sample = `targetScope = 'resourceGroup'

@description('The app''s name')
@minLength(2)
param appName string = 'func-${uniqueString(resourceGroup().id)}'
param tls '1.0' | '1.1' | '1.2' = '1.2'
param tags object = {
  env: 'dev'
}

var storageName = toLower('st${appName}') // trailing comment
/* a block
   comment */
var settings = [
  {
    name: 'A'
    value: '}{'
  }
  { name: 'B', value: 'x' }
]

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${appName}-plan'
  sku: { name: 'Y1' }
}

resource site 'Microsoft.Web/sites@2023-12-01' = if (deploy) {
  name: appName
  kind: 'functionapp'
  'properties': {
    serverFarmId: plan.id
    siteConfig: {
      minTlsVersion: tls
      ftpsState: deploy ? 'Disabled' : 'FtpsOnly'
      appSettings: [for s in settings: {
        name: s.name
      }]
      cors: {
        allowedOrigins: [
          'https://a.example'
          '*'
        ]
      }
    }
    description: '''
multi {line} ${not} 'interpolated'
'''
  }
  resource web 'config@2023-12-01' = {
    name: 'web'
    properties: {
      http20Enabled: true
    }
  }
}

resource slots 'Microsoft.Web/sites/slots@2023-12-01' = [for (n, i) in range(0, 2): {
  parent: site
  name: 'slot${i}'
  properties: { httpsOnly: false }
}]

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv'
}

module app './modules/app.bicep' = {
  name: 'app-deploy'
  params: {
    httpsOnly: false
  }
}

output id string = site.id
`

func decl(t *testing.T, f *File, kind DeclKind, name string) *Decl {
	t.Helper()
	d := f.Find(kind, name)
	if d == nil {
		t.Fatalf("no %s %s", kind, name)
	}
	return d
}

func at(r Range) string { return fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Column) }

func TestParseSample(t *testing.T) {
	f := Parse([]byte(sample))
	for _, e := range f.Errors {
		t.Errorf("unexpected error %v", e)
	}
	var got []string
	for _, d := range f.Decls {
		got = append(got, d.Keyword+" "+d.Name+"@"+at(d.Header))
	}
	want := "targetScope @1:1; param appName@5:1; param tls@6:1; param tags@7:1; var storageName@11:1; var settings@14:1; " +
		"resource plan@22:1; resource site@27:1; resource slots@57:1; resource kv@63:1; module app@67:1; output id@74:1"
	if g := strings.Join(got, "; "); g != want {
		t.Errorf("declarations\n got %s\nwant %s", g, want)
	}

	site := decl(t, f, Resource, "site")
	if site.Type != "Microsoft.Web/sites" || site.APIVersion != "2023-12-01" || !site.Conditional || site.Loop || site.Existing {
		t.Errorf("site = %+v", site)
	}
	for path, want := range map[string]string{
		"name":                                "28:3",
		"kind":                                "29:3",
		"properties":                          "30:3",
		"PROPERTIES.siteConfig.minTlsVersion": "33:7",
		"properties.siteConfig.ftpsState":     "34:7",
		"properties.siteConfig.appSettings":   "35:7",
		"properties.siteConfig.cors.allowedOrigins":    "39:9",
		"properties.siteConfig.cors.allowedOrigins[1]": "41:11",
		"properties.description":                       "45:5",
	} {
		p, ok := site.Prop(path)
		if !ok {
			t.Errorf("site has no property %s", path)
			continue
		}
		if at(p.Key) != want {
			t.Errorf("site %s at %s, want %s", path, at(p.Key), want)
		}
	}
	if p, _ := site.Prop("properties.siteConfig.appSettings"); !p.Loop {
		t.Errorf("appSettings is a for expression: %+v", p)
	}
	if _, ok := site.Prop("properties.siteConfig.appSettings.name"); ok {
		t.Errorf("the inside of a for expression is listed")
	}
	if p, _ := site.Prop("properties.siteConfig.minTlsVersion"); at(p.Value) != "33:22" || p.Value.End.Column != 25 {
		t.Errorf("minTlsVersion value %+v", p.Value)
	}

	if len(site.Children) != 1 {
		t.Fatalf("site children = %d", len(site.Children))
	}
	web := site.Children[0]
	if web.SymbolicName() != "site::web" || web.FullType() != "Microsoft.Web/sites/config" || at(web.Header) != "49:3" {
		t.Errorf("web = %s %s %s", web.SymbolicName(), web.FullType(), at(web.Header))
	}
	if p, ok := web.Prop("properties.http20Enabled"); !ok || at(p.Key) != "52:7" {
		t.Errorf("web http20Enabled = %+v %v", p, ok)
	}
	if _, ok := site.Prop("web"); ok {
		t.Errorf("nested resource listed as a property")
	}

	slots := decl(t, f, Resource, "slots")
	if !slots.Loop || slots.Conditional {
		t.Errorf("slots loop=%v cond=%v", slots.Loop, slots.Conditional)
	}
	if p, ok := slots.Prop("properties.httpsOnly"); !ok || at(p.Key) != "60:17" {
		t.Errorf("slots httpsOnly = %+v %v", p, ok)
	}
	if kv := decl(t, f, Resource, "kv"); !kv.Existing {
		t.Errorf("kv not existing")
	}
	app := decl(t, f, Module, "app")
	if app.Type != "./modules/app.bicep" {
		t.Errorf("module path %q", app.Type)
	}
	if p, ok := app.Prop("params.httpsOnly"); !ok || at(p.Key) != "70:5" {
		t.Errorf("module params.httpsOnly = %+v %v", p, ok)
	}
	settings := decl(t, f, Var, "settings")
	if p, ok := settings.Prop("[1].value"); !ok || at(p.Key) != "19:16" {
		t.Errorf("settings[1].value = %+v %v", p, ok)
	}
	if p, ok := settings.Prop("[0].value"); !ok || at(p.Key) != "17:5" {
		t.Errorf("settings[0].value = %+v %v", p, ok)
	}
	if tls := decl(t, f, Param, "tls"); tls.Type != "'1.0' | '1.1' | '1.2'" {
		t.Errorf("tls type %q", tls.Type)
	}
	if tags := decl(t, f, Param, "tags"); at(tags.Value) != "7:21" {
		t.Errorf("tags default at %s", at(tags.Value))
	}
	var all []string
	for _, r := range f.Resources() {
		all = append(all, r.SymbolicName())
	}
	if g := strings.Join(all, ","); g != "plan,site,site::web,slots,kv" {
		t.Errorf("resources %s", g)
	}
}

func TestLexStrings(t *testing.T) {
	src := "'a\\'b\\\\c\\n\\u{1F600}' 'x${'}'}y' '''\nline 'q'\n''' 'é${1}' 12 1.5 x.y :: ??"
	toks, errs := Lex([]byte(src))
	if len(errs) > 0 {
		t.Fatalf("errors %v", errs)
	}
	var got []string
	for _, tk := range toks {
		switch tk.Kind {
		case String:
			got = append(got, fmt.Sprintf("S(%q,%v)", tk.Value, tk.Interp))
		case MultilineString:
			got = append(got, fmt.Sprintf("M(%q)", tk.Value))
		case EOF:
			got = append(got, "EOF")
		default:
			got = append(got, tk.Text)
		}
	}
	want := `S("a'b\\c\n😀",false) S("",true) M("line 'q'\n") S("",true) 12 1.5 x . y :: ?? EOF`
	if g := strings.Join(got, " "); g != want {
		t.Errorf("tokens\n got %s\nwant %s", g, want)
	}
	// Columns count characters: the token after 'é${1}' starts at 'é…' + 1 space.
	for _, tk := range toks {
		if tk.Text == "12" && tk.Range.Start.Column != utfCol(src, "12") {
			t.Errorf("12 at column %d, want %d", tk.Range.Start.Column, utfCol(src, "12"))
		}
	}
}

func utfCol(src, sub string) int {
	i := max(0, strings.Index(src, sub))
	line := src[:i]
	if j := strings.LastIndexByte(line, '\n'); j >= 0 {
		line = line[j+1:]
	}
	return len([]rune(line)) + 1
}

// Broken declarations are reported where they break, and what follows
// them is still read.
func TestParseRecovers(t *testing.T) {
	src := `resource a 'Microsoft.Web/sites@2023-01-01' = {
  name: 'a'
  properties: {
    httpsOnly:
    ) 
    minTlsVersion: '1.0'
  }
}
resource 'missing-name' = {}
param p string = 'unterminated
var v = {
  x: 1 2
  y: 2
}
%
module m './m.bicep' = {
  name: 'm'
}
output o string = 'x'
`
	f := Parse([]byte(src))
	if len(f.Errors) == 0 {
		t.Fatal("no errors reported")
	}
	var msgs []string
	for _, e := range f.Errors {
		msgs = append(msgs, e.Error())
	}
	for _, want := range []string{"4:15:", "5:5:", "9:10:", "10:18: unterminated string", "12:8:", "15:1:"} {
		if !strings.Contains(strings.Join(msgs, "\n"), want) {
			t.Errorf("no error at %s in\n%s", want, strings.Join(msgs, "\n"))
		}
	}
	a := f.Find(Resource, "a")
	if p, ok := a.Prop("properties.minTlsVersion"); !ok || at(p.Key) != "6:5" {
		t.Errorf("minTlsVersion after errors: %+v %v", p, ok)
	}
	if v := f.Find(Var, "v"); v == nil {
		t.Error("var v lost")
	} else if _, ok := v.Prop("y"); !ok {
		t.Error("v.y lost")
	}
	for _, k := range []struct {
		kind DeclKind
		name string
	}{{Module, "m"}, {Output, "o"}} {
		if f.Find(k.kind, k.name) == nil {
			t.Errorf("%s %s lost after errors", k.kind, k.name)
		}
	}
}

func TestParseDeepNesting(t *testing.T) {
	src := "var x = " + strings.Repeat("{a:", 5000) + strings.Repeat("}", 5000) + "\nvar y = 1\n"
	f := Parse([]byte(src))
	if f.Find(Var, "y") == nil {
		t.Error("declaration after deep nesting lost")
	}
	found := false
	for _, e := range f.Errors {
		if strings.Contains(e.Message, "nesting deeper") {
			found = true
		}
	}
	if !found {
		t.Errorf("no nesting error: %v", f.Errors)
	}
}

// Lines continued by a ternary's ? and :, a union type's |, pragmas and
// interpolated keys, as real Bicep writes them.
func TestParseContinuations(t *testing.T) {
	src := `type color =
  | 'red'
  | 'blue'
resource s 'Microsoft.Web/sites@2024-04-01' = {
  name: 'x'
  tags: {
    'hidden-link:${resourceId('a', 'b')}': 'Resource'
  }
  properties: {
    serverFarmId: empty(plan)
      ? null
      : plan
    #disable-next-line BCP036
    httpsOnly: true
  }
}
`
	f := Parse([]byte(src))
	for _, e := range f.Errors {
		t.Errorf("unexpected error %v", e)
	}
	s := f.Find(Resource, "s")
	if s == nil {
		t.Fatal("resource s not read")
	}
	if p, ok := s.Prop("properties.httpsOnly"); !ok || at(p.Key) != "14:5" {
		t.Errorf("httpsOnly = %+v %v", p, ok)
	}
	if p, ok := s.Prop("properties.serverFarmId"); !ok || p.Value.End.Line != 12 {
		t.Errorf("serverFarmId value should end on line 12: %+v %v", p, ok)
	}
	if _, ok := s.Prop("tags.hidden-link:${resourceId('a', 'b')}"); !ok {
		t.Errorf("interpolated key missing: %+v", s.Props)
	}
	if ty := f.Find(Other, "color"); ty == nil || ty.Keyword != "type" {
		t.Errorf("type color = %+v", ty)
	}
}

func TestLexInterpolationParts(t *testing.T) {
	toks, errs := Lex([]byte(`'${prefix}-a{x}-${ concat('}', b) }'`))
	if len(errs) > 0 || toks[0].Kind != String || !toks[0].Interp {
		t.Fatalf("tokens %+v errors %v", toks, errs)
	}
	got := fmt.Sprintf("%q %q", toks[0].Parts, toks[0].Exprs)
	if want := `["" "-a{x}-" ""] ["prefix" "concat('}', b)"]`; got != want {
		t.Errorf("parts/exprs = %s, want %s", got, want)
	}
}
