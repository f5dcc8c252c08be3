package terraform

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// hopsText renders a value's hops (trail and final hop) as
// "kind name file:line" lines, file relative to dir.
func hopsText(dir string, m model.Meta) string {
	var b strings.Builder
	for _, h := range m.Hops() {
		file := h.Range.Filename
		if rel, err := filepath.Rel(filepath.ToSlash(dir), file); err == nil && file != "" {
			file = filepath.ToSlash(rel)
		}
		fmt.Fprintf(&b, "%s %s %s:%d\n", h.Kind, h.Name, file, h.Range.Start.Line)
	}
	return b.String()
}

func TestTrailThroughVariablesModulesLocalsAndOutputs(t *testing.T) {
	dir := fixture(t, map[string]string{
		"main.tf": `variable "https_only" {
  type = bool
}

variable "tls" {
  default = "1.0"
}

module "app" {
  source     = "./app"
  https_only = var.https_only
}

resource "azurerm_linux_function_app" "root" {
  name                 = "root"
  service_plan_id      = "x"
  storage_account_name = "y"
  https_only           = module.app.https
  site_config {
    minimum_tls_version = var.tls
  }
}
`,
		"terraform.tfvars": "https_only = false\n",
		"app/main.tf": `variable "https_only" {}

locals {
  https = var.https_only
}

resource "azurerm_linux_function_app" "this" {
  name                 = "inner"
  service_plan_id      = "x"
  storage_account_name = "y"
  https_only           = local.https
  site_config {
    minimum_tls_version = "1.0"
  }
}

output "https" {
  value = local.https
}
`,
	})
	mod, _ := load(t, dir, Options{})

	inner := app(t, mod, "module.app.azurerm_linux_function_app.this")
	want := `var-file var.https_only terraform.tfvars:1
variable var.https_only main.tf:1
module-argument module.app.https_only main.tf:11
variable var.https_only app/main.tf:1
local local.https app/main.tf:4
attribute  app/main.tf:11
`
	if got := hopsText(dir, inner.HTTPSOnly.Meta); got != want {
		t.Errorf("inner https_only hops:\n%s\nwant:\n%s", got, want)
	}
	// A literal written at the attribute has no trail.
	if inner.SiteConfig.MinTLSVersion.Trail != nil {
		t.Errorf("literal has trail %v", inner.SiteConfig.MinTLSVersion.Trail.Hops())
	}

	root := app(t, mod, "azurerm_linux_function_app.root")
	want = `var-file var.https_only terraform.tfvars:1
variable var.https_only main.tf:1
module-argument module.app.https_only main.tf:11
variable var.https_only app/main.tf:1
local local.https app/main.tf:4
output module.app.https app/main.tf:18
attribute  main.tf:18
`
	if got := hopsText(dir, root.HTTPSOnly.Meta); got != want {
		t.Errorf("root https_only (through a module output) hops:\n%s\nwant:\n%s", got, want)
	}
	// The default decided: the trail starts at the default.
	want = `variable var.tls main.tf:6
attribute  main.tf:20
`
	if got := hopsText(dir, root.SiteConfig.MinTLSVersion.Meta); got != want {
		t.Errorf("root minimum_tls_version hops:\n%s\nwant:\n%s", got, want)
	}
}

func TestTrailOfVarFlagsVarFilesAndUnsetVariables(t *testing.T) {
	dir := fixture(t, map[string]string{
		"main.tf": `variable "https_only" {}
variable "tls" {}
variable "ftps" {}

resource "azurerm_linux_function_app" "a" {
  name                 = "a"
  service_plan_id      = "x"
  storage_account_name = "y"
  https_only           = var.https_only
  site_config {
    minimum_tls_version = var.tls
    ftps_state          = var.ftps
  }
}
`,
		"terraform.tfvars": "https_only = true\ntls = \"1.1\"\n",
		"extra.tfvars":     "\n\ntls = \"1.0\"\n",
	})
	mod, _ := load(t, dir, Options{VarFiles: []string{filepath.Join(dir, "extra.tfvars")}, Vars: map[string]string{"https_only": "false"}})
	a := app(t, mod, "azurerm_linux_function_app.a")

	// -var wins over terraform.tfvars; it is written in no file.
	if a.HTTPSOnly.V || a.HTTPSOnly.Origin != model.Explicit {
		t.Fatalf("https_only = %+v", a.HTTPSOnly)
	}
	hops := a.HTTPSOnly.Hops()
	if len(hops) != 3 || hops[0].Kind != model.HopVarFile || hops[0].Name != "var.https_only" || !hops[0].Range.IsZero() {
		t.Errorf("https_only from -var: hops %+v", hops)
	}
	// --var-file wins over terraform.tfvars, and its line starts the trail.
	want := `var-file var.tls extra.tfvars:3
variable var.tls main.tf:2
attribute  main.tf:11
`
	if got := hopsText(dir, a.SiteConfig.MinTLSVersion.Meta); got != want {
		t.Errorf("minimum_tls_version hops:\n%s\nwant:\n%s", got, want)
	}
	// A variable without a value: unknown, and the trail says which.
	if a.SiteConfig.FTPSState.Known() {
		t.Fatalf("ftps_state known: %+v", a.SiteConfig.FTPSState)
	}
	want = `variable var.ftps main.tf:3
attribute  main.tf:12
`
	if got := hopsText(dir, a.SiteConfig.FTPSState.Meta); got != want {
		t.Errorf("ftps_state hops:\n%s\nwant:\n%s", got, want)
	}
}

func TestTrailChoiceIsDeterministic(t *testing.T) {
	// Two inputs combine: the longer trail wins, whatever the order.
	dir := fixture(t, map[string]string{
		"main.tf": `variable "a" {
  default = true
}

locals {
  b = var.a
}

resource "azurerm_linux_function_app" "x" {
  name                 = "x"
  service_plan_id      = "x"
  storage_account_name = "y"
  https_only           = var.a && local.b
  public_network_access_enabled = local.b && var.a
}
`,
	})
	mod, _ := load(t, dir, Options{})
	a := app(t, mod, "azurerm_linux_function_app.x")
	for _, m := range []model.Meta{a.HTTPSOnly.Meta, a.PublicNetworkAccess.Meta} {
		hops := m.Hops()
		if len(hops) != 3 || hops[1].Kind != model.HopLocal {
			t.Errorf("hops %+v, want the trail through local.b", hops)
		}
	}

	// Equal lengths: source order of the hops decides.
	x := model.TrailOf(model.Hop{Kind: model.HopVariable, Name: "var.x", Range: model.Range{Filename: "a.tf", Start: model.Pos{Line: 2}}})
	y := model.TrailOf(model.Hop{Kind: model.HopVariable, Name: "var.y", Range: model.Range{Filename: "a.tf", Start: model.Pos{Line: 9}}})
	if !betterTrail(x, y) || betterTrail(y, x) {
		t.Error("the earlier trail must win a tie")
	}
	v := cty.True.Mark(trailMark{t: y}).Mark(trailMark{t: x})
	if got := marksOf(v).trail; got != x {
		t.Errorf("chosen %v, want %v", got.Hops(), x.Hops())
	}
}

func TestWithHopKeepsPathsAndOtherMarks(t *testing.T) {
	inner := model.TrailOf(model.Hop{Kind: model.HopVarFile, Name: "var.x"})
	obj := cty.ObjectVal(map[string]cty.Value{
		"a": cty.False.Mark(trailMark{t: inner}).Mark(sensitiveMark{}),
		"b": cty.True,
	})
	h := model.Hop{Kind: model.HopLocal, Name: "local.o"}
	out := withHop(obj, h)
	a := out.GetAttr("a")
	if ms := marksOf(a); ms.trail.Len() != 2 || !ms.sensitive {
		t.Errorf("a: trail %v sensitive %v, want var-file then local, sensitive", ms.trail.Hops(), ms.sensitive)
	}
	if ms := marksOf(out.GetAttr("b")); ms.trail.Len() != 1 {
		t.Errorf("b: trail %v, want the local alone", ms.trail.Hops())
	}
	// The value itself is unchanged.
	raw, _ := out.UnmarkDeep()
	want, _ := obj.UnmarkDeep()
	if !raw.RawEquals(want) {
		t.Errorf("withHop changed the value: %#v", raw)
	}
}
