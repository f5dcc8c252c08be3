package terraform

import (
	"reflect"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

const overrideBase = `variable "unknown" {}

resource "azurerm_linux_function_app" "a" {
  name                 = "a"
  service_plan_id      = "x"
  storage_account_name = "y"
  https_only           = true

  site_config {
    ftps_state          = "FtpsOnly"
    minimum_tls_version = "1.2"
  }

  dynamic "identity" {
    for_each = var.unknown
    content {
      type = "UserAssigned"
    }
  }
}

module "m" {
  source = "./m"
  https  = true
}
`

const overrideModule = `variable "https" {}

resource "azurerm_linux_function_app" "inner" {
  name                 = "inner"
  service_plan_id      = "x"
  storage_account_name = "y"
  https_only           = var.https
}
`

func TestOverrideFilesMerge(t *testing.T) {
	dir := fixture(t, map[string]string{
		"main.tf":   overrideBase,
		"m/main.tf": overrideModule,
		// A nested block replaces every block of its type, a dynamic one
		// included; attributes it does not write are gone.
		"a_override.tf": `resource "azurerm_linux_function_app" "a" {
  site_config {
    minimum_tls_version = "1.0"
  }
  identity {
    type = "SystemAssigned"
  }
}
`,
		// JSON, read after a_override.tf.
		"b_override.tf.json": `{"resource": {"azurerm_linux_function_app": {"a": {"https_only": false}}}}`,
		"override.tf": `module "m" {
  https = false
}
`,
	})
	mod, diags := load(t, dir, Options{})
	for _, d := range diags {
		t.Logf("diagnostic %s: %s %s", d.Range, d.Summary, d.Detail)
	}
	a := app(t, mod, "azurerm_linux_function_app.a")
	if got := a.SiteConfig.MinTLSVersion; got.V != "1.0" || got.Range.Filename != fileOf(dir, "a_override.tf") || got.Range.Start.Line != 3 {
		t.Errorf("minimum_tls_version %+v, want 1.0 at a_override.tf:3", got)
	}
	if got := a.SiteConfig.FTPSState; got.Origin != model.Default {
		t.Errorf("ftps_state %+v: the override's site_config replaces the original, so it is the default", got)
	}
	if got := a.Identity.Type; got.V != "SystemAssigned" || !got.Known() {
		t.Errorf("identity %+v: the override's identity block replaces the dynamic one", got)
	}
	h := a.HTTPSOnly
	if h.V || h.Range.Filename != fileOf(dir, "b_override.tf.json") {
		t.Errorf("https_only %+v, want false from b_override.tf.json", h)
	}
	if hops := h.Hops(); len(hops) != 1 || hops[0].Kind != model.HopOverride || hops[0].Name != "azurerm_linux_function_app.a.https_only" {
		t.Errorf("https_only hops %+v, want the override", hops)
	}

	inner := app(t, mod, "module.m.azurerm_linux_function_app.inner")
	want := "override module.m.https override.tf:2\n" +
		"module-argument module.m.https override.tf:2\n" +
		"variable var.https m/main.tf:1\n" +
		"attribute  m/main.tf:7\n"
	if got := hopsText(dir, inner.HTTPSOnly.Meta); inner.HTTPSOnly.V || got != want {
		t.Errorf("inner https_only %v, hops:\n%s\nwant:\n%s", inner.HTTPSOnly.V, got, want)
	}
}

func TestOverridesCompoundInFileOrder(t *testing.T) {
	dir := fixture(t, map[string]string{
		"main.tf": `locals {
  tls = "1.2"
}

resource "azurerm_linux_function_app" "a" {
  name                 = "a"
  service_plan_id      = "x"
  storage_account_name = "y"
  https_only           = true
  site_config {
    minimum_tls_version = local.tls
  }
}
`,
		"override.tf":   "resource \"azurerm_linux_function_app\" \"a\" {\n  https_only = false\n}\nlocals {\n  tls = \"1.0\"\n}\n",
		"z_override.tf": "resource \"azurerm_linux_function_app\" \"a\" {\n  https_only = true\n}\n",
		"x_override.tf": "locals {\n  missing = 1\n}\nvariable \"missing\" {}\n",
	})
	mod, diags := load(t, dir, Options{})
	a := app(t, mod, "azurerm_linux_function_app.a")
	if !a.HTTPSOnly.V || a.HTTPSOnly.Range.Filename != fileOf(dir, "z_override.tf") {
		t.Errorf("https_only %+v: z_override.tf, read last, wins", a.HTTPSOnly)
	}
	if got := a.SiteConfig.MinTLSVersion; got.V != "1.0" || got.Range.Filename != fileOf(dir, "main.tf") {
		t.Errorf("minimum_tls_version %+v, want 1.0 where local.tls is used", got)
	}
	if hops := a.SiteConfig.MinTLSVersion.Hops(); len(hops) != 3 || hops[0].Kind != model.HopOverride || hops[1].Kind != model.HopLocal {
		t.Errorf("minimum_tls_version hops %+v, want override, local, attribute", hops)
	}
	n := 0
	for _, d := range diags {
		if d.Summary == "Nothing to override" && d.Range.Filename == fileOf(dir, "x_override.tf") {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want a warning for local.missing and variable missing, got %d: %+v", n, diags)
	}
}

func TestConfigFilesPreferOpenTofu(t *testing.T) {
	read, replaced := configFiles([]string{
		"main.tf", "main.tofu", "vars.tf.json", "vars.tofu.json", "x.tf.json", "x.tofu",
		"override.tf", "override.tofu", "only.tf", "README.md", "terraform.tfvars", ".tf",
	})
	wantRead := []string{"main.tofu", "only.tf", "override.tofu", "vars.tofu.json", "x.tf.json", "x.tofu"}
	if !reflect.DeepEqual(read, wantRead) {
		t.Errorf("read %v, want %v", read, wantRead)
	}
	wantReplaced := map[string]string{"main.tf": "main.tofu", "vars.tf.json": "vars.tofu.json", "override.tf": "override.tofu"}
	if !reflect.DeepEqual(replaced, wantReplaced) {
		t.Errorf("replaced %v, want %v", replaced, wantReplaced)
	}
	for name, want := range map[string]bool{
		"override.tf": true, "override.tofu.json": true, "a_override.tofu": true, "b_override.tf.json": true,
		"override.tfvars": false, "main.tf": false, "overrides.tf": false,
	} {
		if got := isOverrideFile(name); got != want {
			t.Errorf("isOverrideFile(%q) = %v", name, got)
		}
	}
}
