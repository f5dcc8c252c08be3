package pulumi_test

import (
	"testing"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

func TestNativeSlotAndSlotChildren(t *testing.T) {
	slotID := siteID + "/slots/staging"
	mod, diags, _ := stack(t,
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp,linux", "resourceGroupName": "rg"}`),
		res("func-a-staging", "azure-native:web:WebAppSlot", slotID, `{"id": "`+slotID+`", "name": "func-a", "slot": "staging", "resourceGroupName": "rg", "httpsOnly": true}`),
		res("func-a-staging-ftp", "azure-native:web:WebAppFtpAllowedSlot", "", `{"name": "func-a", "slot": "staging", "resourceGroupName": "rg", "allow": false}`),
		res("func-a-ftp", "azure-native:web:WebAppFtpAllowed", "", `{"name": "func-a", "resourceGroupName": "rg", "allow": true}`),
	)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(mod.FunctionApps) != 2 {
		t.Fatalf("want app and slot, got %d", len(mod.FunctionApps))
	}
	var app, slot *model.FunctionApp
	for _, a := range mod.FunctionApps {
		if a.IsSlot.V {
			slot = a
		} else {
			app = a
		}
	}
	if app == nil || slot == nil {
		t.Fatal("slot not told from app")
	}
	if !slot.HTTPSOnly.V || slot.FTPBasicAuth.V || slot.FTPBasicAuth.Origin != model.Explicit {
		t.Errorf("slot: https %v ftp %+v", slot.HTTPSOnly.V, slot.FTPBasicAuth)
	}
	if !app.FTPBasicAuth.V || app.FTPBasicAuth.Origin != model.Explicit {
		t.Errorf("app ftp %+v", app.FTPBasicAuth)
	}
	if slot.Parent.V != app.Address || slot.OS.V != "linux" {
		t.Errorf("slot parent %q os %q", slot.Parent.V, slot.OS.V)
	}
}

// TestChildLinkedByInputName: a child's outputs name the child ("ftp"),
// its inputs the site; a dependency on another site does not decide.
func TestChildLinkedByInputName(t *testing.T) {
	otherID := sub + "/providers/Microsoft.Web/sites/func-b"
	mod, _, _ := stack(t,
		res("func-a", "azure-native:web:WebApp", siteID, `{"id": "`+siteID+`", "name": "func-a", "kind": "functionapp"}`),
		res("func-b", "azure-native:web:WebApp", otherID, `{"id": "`+otherID+`", "name": "func-b", "kind": "functionapp"}`),
		res("b-ftp", "azure-native:web:WebAppFtpAllowed", otherID+"/basicPublishingCredentialsPolicies/ftp",
			`{"name": "ftp", "allow": false}`, `"inputs": {"name": "func-b", "allow": false}`,
			`"dependencies": ["urn:pulumi:dev::proj::azure-native:web:WebApp::func-a", "urn:pulumi:dev::proj::azure-native:web:WebApp::func-b"]`),
	)
	for _, a := range mod.FunctionApps {
		want := a.Name.V == "func-a"
		if a.FTPBasicAuth.V != want {
			t.Errorf("%s: ftp basic auth %v, want %v", a.Name.V, a.FTPBasicAuth.V, want)
		}
	}
}
