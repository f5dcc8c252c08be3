package arm

import (
	"fmt"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TestComputedValues: a property that hands on a parameter's or a
// variable's value (directly, a literal member, a parameter file's value)
// is not computed; one a template expression computed is (model.Meta.Computed:
// no fix sets its origin), also when the expression sits in the
// parameter's default or the variable it reads.
func TestComputedValues(t *testing.T) {
	needEval(t)
	for expr, want := range map[string]bool{
		`false`:                                 false,
		`"[parameters('off')]"`:                 false,
		`"[variables('cfg').https]"`:            false,
		`"[variables('plain')]"`:                false,
		`"[not(parameters('on'))]"`:             true,
		`"[if(parameters('on'), false, true)]"`: true,
		// An array element: the trail ends at the whole array.
		`"[parameters('list')[0]]"`:         true,
		`"[parameters('list')[sub(1, 1)]]"`: true,
		`"[parameters('fromExpr')]"`:        true,
		`"[variables('negated')]"`:          true,
		`"[bool('false')]"`:                 true,
	} {
		src := fmt.Sprintf(`{%s,
  "parameters": {
    "on": {"type": "bool", "defaultValue": true},
    "off": {"type": "bool", "defaultValue": false},
    "list": {"type": "array", "defaultValue": [false]},
    "fromExpr": {"type": "bool", "defaultValue": "[not(parameters('on'))]"}
  },
  "variables": {"cfg": {"https": false}, "plain": false, "negated": "[not(parameters('on'))]"},
  "resources": [{
    "type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "app", "kind": "functionapp", "location": "x",
    "properties": {"httpsOnly": %s}
  }]
}`, schema, expr)
		m, diags := loadTemplate(t, src)
		noErrors(t, diags)
		app := appNamed(t, m, "Microsoft.Web/sites/app")
		if app.HTTPSOnly.V || app.HTTPSOnly.Computed != want {
			t.Errorf("httpsOnly %s: value %v, computed %v, want computed %v", expr, app.HTTPSOnly.V, app.HTTPSOnly.Computed, want)
		}
	}
}

// TestDefaultInComputedObject: a property absent from a siteConfig that a
// template expression builds is a platform default that cannot be added
// where it would be written: its Meta says computed. Absent from a
// written siteConfig, it is a plain default.
func TestDefaultInComputedObject(t *testing.T) {
	needEval(t)
	for siteConfig, want := range map[string]bool{
		`"[variables('sc')]"`:      true,
		`{"minTlsVersion": "1.2"}`: false,
	} {
		src := fmt.Sprintf(`{%s,
  "variables": {"sc": {"minTlsVersion": "1.2"}},
  "resources": [{
    "type": "Microsoft.Web/sites", "apiVersion": "2023-12-01", "name": "app", "kind": "functionapp", "location": "x",
    "properties": {"httpsOnly": true, "siteConfig": %s}
  }]
}`, schema, siteConfig)
		m, diags := loadTemplate(t, src)
		noErrors(t, diags)
		app := appNamed(t, m, "Microsoft.Web/sites/app")
		if got := app.SiteConfig.FTPSState; got.Origin != model.Default || got.Computed != want {
			t.Errorf("siteConfig %s: ftpsState origin %s, computed %v, want default, computed %v", siteConfig, got.Origin, got.Computed, want)
		}
	}
}
