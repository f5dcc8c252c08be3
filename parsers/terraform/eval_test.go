package terraform

import (
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// evalIn evaluates src in a scope over a fixture module.
func evalIn(t *testing.T, files map[string]string, src string) cty.Value {
	t.Helper()
	s := newScope(t.Context(), fixture(t, files))
	s.cfg = s.decodeConfig(s.loadFiles())
	s.loadVariables(Options{})
	expr, diags := hclsyntax.ParseExpression([]byte(src), "expr.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return s.eval(expr)
}

func TestReferencesCarryMarks(t *testing.T) {
	files := map[string]string{"main.tf": `
resource "azurerm_linux_function_app" "app" {
  name = "written"
  identity {
    type = "SystemAssigned"
  }
}
resource "azurerm_storage_account" "sa" {
  count = 2
  name  = "sa${count.index}"
}
`}
	cases := []struct {
		expr, addr, attr string
		unknown          bool
	}{
		{`azurerm_linux_function_app.app.name`, "azurerm_linux_function_app.app", "name", false},
		{`azurerm_linux_function_app.app.id`, "azurerm_linux_function_app.app", "id", true},
		{`azurerm_linux_function_app.app.identity[0].principal_id`, "azurerm_linux_function_app.app", "identity[0].principal_id", true},
		{`"${azurerm_linux_function_app.app.default_hostname}/api"`, "azurerm_linux_function_app.app", "default_hostname", true},
		{`upper(azurerm_linux_function_app.app.id)`, "azurerm_linux_function_app.app", "id", true},
		{`azurerm_storage_account.sa[1].primary_access_key`, "azurerm_storage_account.sa[1]", "primary_access_key", true},
		{`azurerm_storage_account.sa[*].primary_access_key`, "azurerm_storage_account.sa[0]", "primary_access_key", true},
		{`[for sa in azurerm_storage_account.sa : sa.id][1]`, "azurerm_storage_account.sa[1]", "id", true},
		{`data.azurerm_client_config.current.tenant_id`, "data.azurerm_client_config.current", "tenant_id", true},
		{`azurerm_undeclared.x.id`, "azurerm_undeclared.x", "id", true},
		{`module.m.out`, "module.m", "out", true},
	}
	for _, tc := range cases {
		v := evalIn(t, files, tc.expr)
		found := false
		for _, r := range marksOf(v).refs {
			if r.Address == tc.addr && r.Attribute == tc.attr && r.Unknown == tc.unknown {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: marks %+v, want %s %s unknown=%v", tc.expr, marksOf(v).refs, tc.addr, tc.attr, tc.unknown)
		}
		raw, _ := v.UnmarkDeep()
		if raw.IsWhollyKnown() == tc.unknown {
			t.Errorf("%s: known=%v", tc.expr, raw.IsWhollyKnown())
		}
	}
	if v := evalIn(t, files, `azurerm_linux_function_app.app.identity[0].type`); v.IsMarked() {
		raw, _ := v.Unmark()
		if raw.AsString() != "SystemAssigned" {
			t.Errorf("written nested attribute = %#v", raw)
		}
	}
}

func TestClassify(t *testing.T) {
	ref := refMark{Address: "azurerm_storage_account.sa", Attribute: "primary_access_key", Unknown: true}
	name := refMark{Address: "azurerm_storage_account.sa", Attribute: "name"}
	cases := []struct {
		v    cty.Value
		src  model.ValueSource
		attr string
	}{
		{cty.StringVal("x"), model.SourceLiteral, ""},
		{cty.StringVal("x").Mark(name), model.SourceLiteral, ""},
		{cty.StringVal(" @microsoft.keyvault(SecretUri=x)"), model.SourceKeyVault, ""},
		{cty.UnknownVal(cty.String).Refine().StringPrefix("@Microsoft.KeyVault(VaultName=").NewValue().Mark(ref), model.SourceKeyVault, ""},
		{cty.UnknownVal(cty.String).Mark(ref).Mark(name), model.SourceResource, "primary_access_key"},
		{cty.UnknownVal(cty.String).Mark(ref).Mark(sensitiveMark{}), model.SourceSensitiveInput, ""},
		{cty.StringVal("x").Mark(sensitiveMark{}), model.SourceSensitiveInput, ""},
		{cty.DynamicVal, model.SourceUnknown, ""},
		{cty.DynamicVal.Mark(unsetVarMark{Name: "x"}), model.SourceUnknown, ""},
		// A written attribute passing on a variable without value is unknown,
		{cty.DynamicVal.Mark(unsetVarMark{Name: "x"}).Mark(name), model.SourceUnknown, ""},
		// but passing on another resource's computed attribute is that attribute.
		{cty.DynamicVal.Mark(refMark{Address: "random_pet.p", Attribute: "id", Unknown: true}).Mark(name), model.SourceResource, "id"},
	}
	for i, tc := range cases {
		src, attr := classify(tc.v)
		if src != tc.src || attr != tc.attr {
			t.Errorf("case %d: %s %q, want %s %q", i, src, attr, tc.src, tc.attr)
		}
	}
}

func TestARMIDs(t *testing.T) {
	cases := []struct{ id, site, slot string }{
		{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app", "app", ""},
		{"/SUBSCRIPTIONS/s/resourcegroups/rg/PROVIDERS/microsoft.web/SITES/App/slots/staging", "app", "staging"},
		{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app/config/web", "app", ""},
	}
	for _, tc := range cases {
		site, slot, ok := armSite(tc.id)
		if !ok || !strings.EqualFold(site, tc.site) || slot != tc.slot {
			t.Errorf("%s: %q %q %v", tc.id, site, slot, ok)
		}
	}
	for _, id := range []string{"", "/subscriptions/s/providers/Microsoft.Web/sites/", "/providers/Microsoft.Storage/storageAccounts/x"} {
		if _, _, ok := armSite(id); ok {
			t.Errorf("%q should not parse as a site", id)
		}
	}
	if n, _, ok := armSegment("/x/providers/Microsoft.Storage/storageAccounts/sa1/blobServices/default", "Microsoft.Storage/storageAccounts"); !ok || n != "sa1" {
		t.Errorf("storage id: %q %v", n, ok)
	}
}

func TestNeverPanicsOnOddInput(t *testing.T) {
	odd := []string{
		`resource "azurerm_linux_function_app" {`,
		`resource "azurerm_linux_function_app" "a" { name = 1 / 0 }`,
		`resource "azurerm_linux_function_app" "a" { app_settings = "not a map" }`,
		`resource "azurerm_linux_function_app" "a" { app_settings = { (null) = 1 } }`,
		`resource "azurerm_linux_function_app" "a" { name = self.name }`,
		`resource "azurerm_linux_function_app" "a" { name = azurerm_linux_function_app.a.name }`,
		`resource "azurerm_linux_function_app" "a" { site_config = "x" }`,
		`resource "azurerm_linux_function_app" "a" { site_config { ip_restriction = [1, {priority = "x"}] } }`,
		`resource "azurerm_linux_function_app" "a" { name = [for x in azurerm_linux_function_app.a : x] }`,
		`resource "azurerm_linux_function_app" "a" { name = azurerm_linux_function_app.a[*].id }`,
		`resource "azurerm_linux_function_app" "a" { https_only = sensitive(var.nope) }`,
		`locals { x = local.x }`,
		`variable "v" { type = object({ a = optional(string, "d") }) default = {} }
resource "azurerm_linux_function_app" "a" { name = var.v.a }`,
		`variable "v" { type = number default = "abc" }`,
		`{"resource": {"azurerm_linux_function_app": {"a": [1, 2]}}}`,
		"\xff\xfe",
	}
	for _, src := range odd {
		name := "main.tf"
		if src != "" && src[0] == '{' {
			name = "main.tf.json"
		}
		dir := fixture(t, map[string]string{name: src})
		load(t, dir, Options{}) // fails on a recovered panic
	}
}

// deepMarks, anyMark and hasMarkDeep find the marks UnmarkDeep does, at
// every depth and on values of every kind: known, unknown and null,
// primitive, dynamic and structural.
func TestDeepMarksFindEveryMark(t *testing.T) {
	mk := func(i int) refMark { return refMark{Address: "x.y", Attribute: strconv.Itoa(i)} }
	leaves := []cty.Value{
		cty.StringVal("a").Mark(mk(1)),
		cty.UnknownVal(cty.String).Mark(mk(2)),
		cty.NullVal(cty.Number).Mark(mk(3)),
		cty.DynamicVal.Mark(mk(4)).Mark(sensitiveMark{}),
		cty.NullVal(cty.DynamicPseudoType).Mark(mk(5)),
		cty.UnknownVal(cty.List(cty.String)).Mark(mk(6)),
		cty.ListVal([]cty.Value{cty.StringVal("b").Mark(mk(7)), cty.StringVal("c")}).Mark(mk(8)),
		cty.NullVal(cty.Object(map[string]cty.Type{"a": cty.String})).Mark(mk(9)),
		cty.True,
	}
	values := append([]cty.Value{}, leaves...)
	values = append(values,
		cty.TupleVal(leaves),
		cty.ObjectVal(map[string]cty.Value{"t": cty.TupleVal(leaves[:4]).Mark(mk(10)), "s": leaves[6]}),
		cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v").Mark(mk(11))}),
		cty.SetVal([]cty.Value{cty.StringVal("v").Mark(mk(12))}),
	)
	for i, v := range values {
		_, want := v.UnmarkDeep()
		got := cty.ValueMarks{}
		deepMarks(v, got)
		if !got.Equal(want) {
			t.Errorf("value %d: deepMarks %#v, want %#v", i, got, want)
		}
		for j := range 13 {
			_, has := want[mk(j)]
			if anyMark(v, func(m any) bool { return m == mk(j) }) != has {
				t.Errorf("value %d: anyMark(%d) = %v, want %v", i, j, !has, has)
			}
			if hasMarkDeep(v, mk(j)) != has {
				t.Errorf("value %d: hasMarkDeep(%d) = %v, want %v", i, j, !has, has)
			}
		}
	}
}
