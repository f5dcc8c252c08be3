package terraform

import (
	"reflect"
	"strings"
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func addresses[T interface{ Header() *model.Resource }](items []T) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.Header().Address)
	}
	return out
}

func linked(l model.List[*model.EndpointLink]) []string { return addresses(l.Items) }

func TestCountAndForEachExpansion(t *testing.T) {
	src := `locals {
  apps = {
    api       = { https = true }
    "we\"ird" = { https = false }
  }
}

resource "azurerm_linux_function_app" "counted" {
  count      = 2
  name       = "func-${count.index}"
  https_only = count.index == 1
}

resource "azurerm_linux_function_app" "mapped" {
  for_each   = local.apps
  name       = "func-${each.key}"
  https_only = each.value.https
}

resource "azurerm_linux_function_app" "set" {
  for_each = toset(["b", "a"])
  name     = "func-set-${each.value}"
}

resource "azurerm_linux_function_app" "off" {
  count = 0
  name  = "never"
}

resource "azurerm_linux_function_app" "empty" {
  for_each = {}
  name     = "never"
}

resource "azurerm_linux_function_app" "list" {
  for_each = ["x"]
  name     = "func-list-${each.key}"
}
`
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": src})
	want := []string{
		"azurerm_linux_function_app.counted[0]", "azurerm_linux_function_app.counted[1]",
		`azurerm_linux_function_app.mapped["api"]`, `azurerm_linux_function_app.mapped["we\"ird"]`,
		`azurerm_linux_function_app.set["a"]`, `azurerm_linux_function_app.set["b"]`,
		"azurerm_linux_function_app.list",
	}
	if got := addresses(mod.FunctionApps); !reflect.DeepEqual(got, want) {
		t.Fatalf("addresses:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantValue(t, "counted[0]", mod.FunctionApps[0].HTTPSOnly, false, model.Explicit, lineOf(t, src, "count.index == 1"))
	wantValue(t, "counted[1]", mod.FunctionApps[1].HTTPSOnly, true, model.Explicit, 0)
	wantValue(t, "mapped api", mod.FunctionApps[2].HTTPSOnly, true, model.Explicit, lineOf(t, src, "each.value.https"))
	wantValue(t, "mapped weird", mod.FunctionApps[3].HTTPSOnly, false, model.Explicit, 0)
	wantValue(t, "set a", mod.FunctionApps[4].Name, "func-set-a", model.Explicit, 0)
	l := mod.FunctionApps[6]
	if l.Name.Origin != model.Unknown || !strings.Contains(l.Name.Note, "each.key") {
		t.Errorf("a list for_each is invalid: one unknown instance: %+v", l.Name)
	}
	if !hasDiag(diags, model.SevWarning, "Invalid for_each argument") {
		t.Errorf("list for_each not reported: %+v", diags)
	}
}

func TestReferencesToExpandedResources(t *testing.T) {
	src := `resource "azurerm_linux_function_app" "app" {
  for_each = toset(["api", "web"])
  name     = "func-${each.key}"
}

resource "azurerm_linux_function_app" "counted" {
  count = 2
  name  = "func-c${count.index}"
}

# One endpoint per app, iterating over the apps themselves.
resource "azurerm_private_endpoint" "each" {
  for_each = azurerm_linux_function_app.app
  name     = "pe-${each.key}"
  private_service_connection {
    private_connection_resource_id = each.value.id
  }
}

# By index, by splat, by a for expression over the resource.
resource "azurerm_private_endpoint" "indexed" {
  name = "pe-indexed"
  private_service_connection {
    private_connection_resource_id = azurerm_linux_function_app.counted[1].id
  }
}

resource "azurerm_private_endpoint" "splat" {
  count = 2
  name  = "pe-splat-${count.index}"
  private_service_connection {
    private_connection_resource_id = (azurerm_linux_function_app.counted[*].id)[count.index]
  }
}

resource "azurerm_monitor_diagnostic_setting" "looped" {
  for_each           = { for k, a in azurerm_linux_function_app.app : k => a.id if k == "web" }
  name               = "diag-${each.key}"
  target_resource_id = each.value
}

resource "azurerm_monitor_diagnostic_setting" "keyed" {
  name               = "diag-keyed"
  target_resource_id = azurerm_linux_function_app.app["api"].id
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	api := app(t, mod, `azurerm_linux_function_app.app["api"]`)
	web := app(t, mod, `azurerm_linux_function_app.app["web"]`)
	c0 := app(t, mod, "azurerm_linux_function_app.counted[0]")
	c1 := app(t, mod, "azurerm_linux_function_app.counted[1]")
	check := func(what string, got []string, want ...string) {
		t.Helper()
		if len(want) == 0 {
			want = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	check("api endpoints", linked(api.PrivateEndpoints), `azurerm_private_endpoint.each["api"]`)
	check("web endpoints", linked(web.PrivateEndpoints), `azurerm_private_endpoint.each["web"]`)
	check("counted[0] endpoints", linked(c0.PrivateEndpoints), "azurerm_private_endpoint.splat[0]")
	check("counted[1] endpoints", linked(c1.PrivateEndpoints), "azurerm_private_endpoint.indexed", "azurerm_private_endpoint.splat[1]")
	check("api diagnostics", addresses(api.DiagnosticSettings.Items), "azurerm_monitor_diagnostic_setting.keyed")
	check("web diagnostics", addresses(web.DiagnosticSettings.Items), `azurerm_monitor_diagnostic_setting.looped["web"]`)
}

func TestUnknownForEach(t *testing.T) {
	src := `variable "apps" {
  type = map(string)
}

resource "azurerm_linux_function_app" "app" {
  for_each   = var.apps
  name       = each.value
  https_only = true
}

resource "azurerm_private_endpoint" "pe" {
  for_each = azurerm_linux_function_app.app
  name     = "pe"
  private_service_connection {
    private_connection_resource_id = each.value.id
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_linux_function_app.app")
	if a.Name.Origin != model.Unknown || !strings.Contains(a.Name.Note, "each.value") {
		t.Errorf("name: %+v", a.Name)
	}
	wantValue(t, "https_only", a.HTTPSOnly, true, model.Explicit, 0)
	if len(mod.PrivateEndpoints) != 1 || mod.PrivateEndpoints[0].Address != "azurerm_private_endpoint.pe" {
		t.Errorf("endpoints: %v", addresses(mod.PrivateEndpoints))
	}
}

func TestNestedDynamicBlocksKeepRanges(t *testing.T) {
	src := `locals {
  rules = {
    office = ["10.0.0.0/24", "10.0.1.0/24"]
  }
}

resource "azurerm_windows_function_app" "app" {
  name = "f"
  dynamic "site_config" {
    for_each = [1]
    content {
      minimum_tls_version = "1.0"
      dynamic "ip_restriction" {
        for_each = local.rules.office
        iterator = cidr
        content {
          name       = "office-${cidr.key}-${site_config.value}"
          ip_address = cidr.value
        }
      }
    }
  }
}
`
	_, mod, _ := loadFiles(t, map[string]string{"main.tf": src})
	a := app(t, mod, "azurerm_windows_function_app.app")
	wantValue(t, "tls", a.SiteConfig.MinTLSVersion, "1.0", model.Explicit, lineOf(t, src, `minimum_tls_version = "1.0"`))
	r := a.SiteConfig.IPRestrictions
	if len(r.Items) != 2 {
		t.Fatalf("rules: %+v", r)
	}
	wantValue(t, "rule name", r.Items[1].Name, "office-1-1", model.Explicit, lineOf(t, src, `name       = "office-`))
	wantValue(t, "rule ip", r.Items[0].IPAddress, "10.0.0.0/24", model.Explicit, lineOf(t, src, "ip_address = cidr.value"))
	if r.Range.Start.Line != lineOf(t, src, `dynamic "ip_restriction"`) {
		t.Errorf("the list is located at the dynamic block: %s", r.Range)
	}
}

func TestHCLQuote(t *testing.T) {
	cases := map[string]string{
		"":         `""`,
		"api":      `"api"`,
		`a"b\c`:    `"a\"b\\c"`,
		"x\ny\tz":  `"x\ny\tz"`,
		"${x}%{y}": `"$${x}%%{y}"`,
		"$x%":      `"$x%"`,
		"\x01é":    `"\u0001é"`,
	}
	for in, want := range cases {
		if got := hclQuote(in); got != want {
			t.Errorf("hclQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
