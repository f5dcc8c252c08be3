package terraform

import (
	"strings"
	"testing"
)

// TestUnmodelledResourcesExpandWhenReferenced: buildScope expands the
// resources it models (apps, plans, storage accounts, ...) and leaves the
// others to the references that need them. A resource of another type
// that nothing refers to is never evaluated, so its broken for_each says
// nothing; one an app refers to is evaluated through the reference, with
// its diagnostic, and the reference resolves.
func TestUnmodelledResourcesExpandWhenReferenced(t *testing.T) {
	_, mod, diags := loadFiles(t, map[string]string{"main.tf": `
resource "azurerm_resource_group" "unused" {
  for_each = "not a collection"
  name     = "rg"
  location = "westeurope"
}

resource "azurerm_subnet" "broken" {
  for_each = "not a collection either"
  name     = "broken"
}

resource "azurerm_subnet" "used" {
  count = 1
  name  = "snet"
}

resource "azurerm_linux_function_app" "a" {
  name                      = "a"
  virtual_network_subnet_id = azurerm_subnet.used[0].id
  app_settings = {
    BROKEN = azurerm_subnet.broken["x"].id
  }
  site_config {}
}
`})
	var about []string
	for _, d := range diags {
		about = append(about, d.Summary+": "+d.Detail)
	}
	all := strings.Join(about, "\n")
	if strings.Contains(all, "azurerm_resource_group.unused") {
		t.Errorf("the resource nothing refers to was evaluated:\n%s", all)
	}
	if !strings.Contains(all, "not a collection either") && !strings.Contains(all, "azurerm_subnet.broken") {
		t.Errorf("the broken for_each an app refers to said nothing:\n%s", all)
	}
	if a := app(t, mod, "azurerm_linux_function_app.a"); !a.VNetIntegrated.Known() {
		t.Errorf("VNet integration through the subnet reference: %+v", a.VNetIntegrated)
	}
}
