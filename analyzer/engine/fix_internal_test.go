package engine

import (
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestPlanFixRefuses: no fix for a computed value, for a finding whose
// locations were mapped to a Bicep source (wherever the origin is), or in
// a format the check has no fix for (Pulumi); the plain case is fixed.
func TestPlanFixRefuses(t *testing.T) {
	c := &Check{ID: "AZFUNC-040", Fix: map[model.Format]FixSpec{
		model.Terraform: {FixSetting: FixSetting{Path: "https_only", Value: true}},
		model.ARM:       {FixSetting: FixSetting{Path: "properties.httpsOnly", Value: true}},
	}}
	at := func(file string, line int) model.Range {
		return model.Range{Filename: file, Start: model.Pos{Line: line, Column: 3, Byte: 10 * line}}
	}
	finding := func(file string, trail ...model.Hop) *Finding {
		return &Finding{CheckID: "AZFUNC-040", Status: Fail, Origin: model.Explicit, Resource: "x.y", ResourceType: "azurerm_linux_function_app",
			Range: at(file, 5), Trail: append(trail, model.Hop{Kind: model.HopAttribute, Range: at(file, 5)})}
	}
	res := &model.Resource{Address: "x.y", Range: at("main.tf", 1)}

	if fx, why := planFix(c, model.Terraform, finding("main.tf", model.Hop{Kind: model.HopVariable, Name: "var.h", Range: at("vars.tf", 2)}), res, nil); fx == nil || fx.Edits[0].Kind != model.EditDefault {
		t.Fatalf("plain variable: %+v (%s)", fx, why)
	}
	computed := finding("main.tf", model.Hop{Kind: model.HopVariable, Name: "var.h", Range: at("vars.tf", 2)})
	computed.Computed = true
	if fx, why := planFix(c, model.Terraform, computed, res, nil); fx != nil || !strings.Contains(why, "computed") {
		t.Errorf("computed: %+v (%s)", fx, why)
	}
	for name, f := range map[string]*Finding{
		"finding in the .bicep":               finding("main.bicep"),
		"origin in the .bicep":                finding("main.json", model.Hop{Kind: model.HopParameter, Name: "h", Range: at("main.bicep", 2)}),
		"origin in the compiled JSON, mapped": finding("main.bicep", model.Hop{Kind: model.HopParameter, Name: "h", Range: at("main.json", 2)}),
	} {
		if fx, why := planFix(c, model.ARM, f, &model.Resource{Address: "x.y", Range: at("main.json", 1)}, nil); fx != nil || !strings.Contains(why, "Bicep") {
			t.Errorf("%s: %+v (%s)", name, fx, why)
		}
	}
	def := finding("main.json")
	def.Origin, def.Trail = model.Default, nil
	if fx, why := planFix(c, model.ARM, def, &model.Resource{Address: "x.y", Range: at("main.BICEP", 1)}, nil); fx != nil || !strings.Contains(why, "Bicep") {
		t.Errorf("default in a resource declared in Bicep: %+v (%s)", fx, why)
	}
	if fx, _ := planFix(c, model.ARM, finding("main.json"), &model.Resource{Address: "x.y", Range: at("main.json", 1)}, nil); fx == nil {
		t.Error("a plain ARM template got no fix")
	}
	if fx, _ := planFix(c, model.Pulumi, finding("Pulumi.dev.json"), res, nil); fx != nil {
		t.Errorf("pulumi: %+v", fx)
	}
}

// TestPlanFixARM: a value passed to a nested deployment gets no fix; a
// platform default goes into the config/web child when the app has one
// (its value overrides the inline siteConfig), else into the site; a
// check whose value lives in an absent child says what to add.
func TestPlanFixARM(t *testing.T) {
	at := func(file string, line int) model.Range {
		return model.Range{Filename: file, Start: model.Pos{Line: line, Column: 3, Byte: 10 * line}}
	}
	site := &model.Resource{Address: "Microsoft.Web/sites/app", Type: "Microsoft.Web/sites", Range: at("t.json", 3)}
	web := &model.Resource{Address: "Microsoft.Web/sites/app/config/web", Type: "Microsoft.Web/sites/config", Range: at("t.json", 30)}
	c := &Check{ID: "AZFUNC-041", Fix: map[model.Format]FixSpec{
		model.ARM: {FixSetting: FixSetting{Path: "properties.siteConfig.minTlsVersion", Value: "1.2", Child: "config/web", ChildPath: "properties.minTlsVersion"}},
	}}
	def := &Finding{CheckID: c.ID, Status: Fail, Origin: model.Default, Resource: site.Address, ResourceType: site.Type, Range: at("t.json", 4)}
	fx, why := planFix(c, model.ARM, def, site, resourceIndex{site.Address: site})
	if fx == nil || fx.Edits[0].Range != site.Range || strings.Join(fx.Edits[0].Path, ".") != "properties.siteConfig.minTlsVersion" {
		t.Errorf("no config child: %+v (%s)", fx, why)
	}
	fx, why = planFix(c, model.ARM, def, site, resourceIndex{site.Address: site, web.Address: web})
	if fx == nil || fx.Edits[0].Range != web.Range || strings.Join(fx.Edits[0].Path, ".") != "properties.minTlsVersion" {
		t.Errorf("config child: %+v (%s)", fx, why)
	}
	inExpr := *def
	inExpr.Computed = true
	if fx, why := planFix(c, model.ARM, &inExpr, site, resourceIndex{site.Address: site}); fx != nil || !strings.Contains(why, "computed by a template expression") {
		t.Errorf("default in a computed siteConfig: %+v (%s)", fx, why)
	}
	if fx, why := planFix(c, model.ARM, &inExpr, site, resourceIndex{site.Address: site, web.Address: web}); fx == nil || fx.Edits[0].Range != web.Range {
		t.Errorf("default in a computed siteConfig, config/web child present: %+v (%s)", fx, why)
	}
	if c.Fix[model.ARM].Path != "properties.siteConfig.minTlsVersion" {
		t.Error("planning changed the check's spec")
	}
	passed := &Finding{CheckID: c.ID, Status: Fail, Origin: model.Explicit, Resource: site.Address, ResourceType: site.Type, Range: at("t.json", 40), Trail: []model.Hop{
		{Kind: model.HopParameter, Name: "parameters('tls')", Range: at("t.json", 2)},
		{Kind: model.HopDeploymentParameter, Name: "tls", Range: at("t.json", 20)},
		{Kind: model.HopParameter, Name: "parameters('tls')", Range: at("t.json", 25)},
		{Kind: model.HopAttribute, Range: at("t.json", 40)},
	}}
	if fx, why := planFix(c, model.ARM, passed, site, nil); fx != nil || !strings.Contains(why, "nested deployment") {
		t.Errorf("nested deployment parameter: %+v (%s)", fx, why)
	}
	noAdd := &Check{ID: "AZFUNC-024", Fix: map[model.Format]FixSpec{
		model.ARM: {FixSetting: FixSetting{Path: "properties.allow", Value: false, NoAdd: "add the ftp child"}},
	}}
	def.CheckID = noAdd.ID
	if fx, why := planFix(noAdd, model.ARM, def, site, nil); fx != nil || why != "add the ftp child" {
		t.Errorf("no_add: %+v (%s)", fx, why)
	}

	// Compiled from Bicep: the message names the property where the
	// value is read from, or what to add.
	inWeb := &Finding{CheckID: c.ID, Status: Fail, Origin: model.Explicit, Resource: web.Address, ResourceType: web.Type, Range: at("main.bicep", 9),
		Trail: []model.Hop{{Kind: model.HopAttribute, Range: at("main.bicep", 9)}}}
	if fx, why := planFix(c, model.ARM, inWeb, web, nil); fx != nil || !strings.Contains(why, "set properties.minTlsVersion to \"1.2\" in the .bicep") {
		t.Errorf("bicep, config/web: %+v (%s)", fx, why)
	}
	bicepDef := &Finding{CheckID: noAdd.ID, Status: Fail, Origin: model.Default, Resource: site.Address, ResourceType: site.Type, Range: at("main.bicep", 4)}
	if fx, why := planFix(noAdd, model.ARM, bicepDef, site, nil); fx != nil || !strings.Contains(why, "Bicep") || !strings.Contains(why, "add the ftp child") {
		t.Errorf("bicep, no_add: %+v (%s)", fx, why)
	}
}

// TestPlanFixSettings: a fix of several settings plans each from where
// its own value was decided (f.sources): one already at its value gets no
// edit, one of a type it is not for is not made, all already right is no
// fix, and two settings decided at the same place are not fixed.
func TestPlanFixSettings(t *testing.T) {
	c := &Check{ID: "T-028", logic: &logic{blame: attrPath{text: "app.a"}}, Fix: map[model.Format]FixSpec{
		model.Terraform: {Caution: "Careful.", Settings: []FixSetting{
			{Path: "a", Value: true},
			{Path: "b", Value: "Required", From: "app.b", Types: []string{"t1"}},
			{Path: "legacy_b", Value: "Required", From: "app.b", Types: []string{"t2"}},
		}},
	}}
	res := &model.Resource{Address: "r", Range: model.Range{Filename: "main.tf", Start: model.Pos{Line: 1, Column: 1}}}
	lit := func(line int, v any) decided {
		rg := model.Range{Filename: "main.tf", Start: model.Pos{Line: line, Column: 3, Byte: 10 * line}}
		return decided{Range: rg, Resource: "r", Origin: model.Explicit, Trail: []model.Hop{{Kind: model.HopAttribute, Range: rg}}, value: v}
	}
	finding := func(typ string, a, b decided) *Finding {
		return &Finding{CheckID: c.ID, Status: Fail, Resource: "r", ResourceType: typ, Origin: a.Origin, Range: a.Range, Trail: a.Trail,
			sources: map[string]decided{"app.a": a, "app.b": b}}
	}
	idx := resourceIndex{"r": res}

	fx, why := planFix(c, model.Terraform, finding("t1", lit(2, false), lit(3, "Optional")), res, idx)
	if fx == nil || len(fx.Edits) != 2 || fx.Edits[0].Range.Start.Line != 2 || fx.Edits[1].Range.Start.Line != 3 ||
		fx.Message != `Fix: set a of r to true; set b of r to "Required". Careful.` {
		t.Errorf("both settings: %+v (%s)", fx, why)
	}
	if fx, why := planFix(c, model.Terraform, finding("t1", lit(2, true), lit(3, "Optional")), res, idx); fx == nil || len(fx.Edits) != 1 || fx.Edits[0].Range.Start.Line != 3 {
		t.Errorf("a already right: %+v (%s)", fx, why)
	}
	if fx, why := planFix(c, model.Terraform, finding("t2", lit(2, true), lit(3, "Optional")), res, idx); fx == nil || len(fx.Edits) != 1 || !strings.Contains(fx.Message, "legacy_b") {
		t.Errorf("type t2: %+v (%s)", fx, why)
	}
	if fx, why := planFix(c, model.Terraform, finding("t3", lit(2, false), lit(3, "Optional")), res, idx); fx == nil || len(fx.Edits) != 1 {
		t.Errorf("type t3 (only the untyped setting): %+v (%s)", fx, why)
	}
	if fx, why := planFix(c, model.Terraform, finding("t1", lit(2, true), lit(3, "Required")), res, idx); fx != nil || why != "every setting of the fix already has its value" {
		t.Errorf("all right: %+v (%s)", fx, why)
	}
	computed := lit(3, "Optional")
	computed.Computed = true
	if fx, why := planFix(c, model.Terraform, finding("t1", lit(2, false), computed), res, idx); fx != nil || !strings.HasPrefix(why, "b: ") {
		t.Errorf("b computed: %+v (%s)", fx, why)
	}
	if fx, why := planFix(c, model.Terraform, finding("t1", lit(2, false), lit(2, "Optional")), res, idx); fx != nil || !strings.Contains(why, "same place") {
		t.Errorf("same place: %+v (%s)", fx, why)
	}
	// Both defaults: two additions to the one resource.
	def := decided{Range: res.Range, Resource: "r", Origin: model.Default, value: "Optional"}
	defA := def
	defA.value = false
	if fx, why := planFix(c, model.Terraform, finding("t1", defA, def), res, idx); fx == nil || len(fx.Edits) != 2 || fx.Edits[0].Kind != model.EditAdd || fx.Edits[1].Kind != model.EditAdd {
		t.Errorf("two defaults: %+v (%s)", fx, why)
	}
}

// TestIsBicepFile: isBicepFile says what lowering the name and looking at
// its end says, for names of any case, names whose other characters
// lower to ASCII (U+0130 to i, the Kelvin sign to k) or to longer or
// shorter text, invalid UTF-8 and names shorter than the extension.
func TestIsBicepFile(t *testing.T) {
	names := []string{
		"", "bicep", ".bicep", "main.bicep", "main.BICEP", "main.Bicep", "MAIN.BiCeP",
		"main.bice", "main.bicepx", "main.bicep.json", "mainbicep", "a/b.bicep",
		"main.b\u0130cep", "main.B\u0130CEP", "\u0130.bicep", "\u00fc.bicep", "\u00fc.json",
		"main.\u212abicep", "main.bicep\u212a", "\xff.bicep", "main.bicep\xff", "\xff",
		"main,bicep", "main.bic\u0130p", "x.\u0130", "\u023a\u023a\u023a.bicep",
		"\u0130" + strings.Repeat("x", 30) + ".bicep", "main.\U0001F600bicep", "main.bicep\U0001F600",
		"\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600.b\u0130cep", "\u0130\u0130\u0130\u0130\u0130\u0130", "xx\u0130CEP",
	}
	for _, n := range names {
		if got, want := isBicepFile(n), strings.HasSuffix(strings.ToLower(n), ".bicep"); got != want {
			t.Errorf("isBicepFile(%q) = %v, want %v", n, got, want)
		}
	}
}

// TestIsChildOf: an address is a child's when it ends in "/" and the
// child's name, as strings.HasSuffix(address, "/"+child) says.
func TestIsChildOf(t *testing.T) {
	for _, tc := range []struct {
		address, child string
		want           bool
	}{
		{"Microsoft.Web/sites/app/config/web", "config/web", true},
		{"Microsoft.Web/sites/app/web", "web", true},
		{"Microsoft.Web/sites/appweb", "web", false},
		{"web", "web", false},
		{"/web", "web", true},
		{"", "web", false},
	} {
		if got := isChildOf(tc.address, tc.child); got != tc.want || got != strings.HasSuffix(tc.address, "/"+tc.child) {
			t.Errorf("isChildOf(%q, %q) = %v, want %v", tc.address, tc.child, got, tc.want)
		}
	}
}
