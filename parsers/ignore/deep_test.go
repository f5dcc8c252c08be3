package ignore

import (
	"strings"
	"testing"
)

// A template nested deeper than JSON allows is not scanned for
// directives (gjson would recurse once per level); the ARM parser
// reports it.
func TestScanARMTooDeep(t *testing.T) {
	src := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "azfuncscan": ` +
		strings.Repeat("[", 300000) + strings.Repeat("]", 300000) + "}"
	if igs, diags := scanARM("deep.json", []byte(src)); igs != nil || diags != nil {
		t.Errorf("scanARM = %v, %v; want nothing", igs, diags)
	}
}
