package ignore

import (
	"strings"
	"testing"
)

// TestARMEntry: the entry ARMEntry inserts is read back by the ignore
// scanner as covering the resource that held the offset, whatever part
// of the metadata was there already, in nested deployments and with
// comments.
func TestARMEntry(t *testing.T) {
	const schema = `"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"`
	for _, tc := range []struct {
		name, src, at string // at: a unique text inside the resource
		entries       int    // ignore entries read back in all
	}{
		{"no metadata", "{" + schema + `,
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "name": "AT"
    }
  ]
}`, "AT", 1},
		{"one line", "{" + schema + `, "resources": [{"type": "t", "name": "AT"}]}`, "AT", 1},
		{"empty metadata", "{" + schema + `, "resources": [{"name": "AT", "metadata": {}}]}`, "AT", 1},
		{"other metadata", "{" + schema + `, "resources": [{"name": "AT", "metadata": {"owner": "x"}}]}`, "AT", 1},
		{"no ignore", "{" + schema + `, "resources": [{"name": "AT", "metadata": {"azfuncscan": {}}}]}`, "AT", 1},
		{"a list", "{" + schema + `, "resources": [{"name": "AT", "metadata": {"azfuncscan": {"ignore": [{"id": "AZFUNC-001"}]}}}]}`, "AT", 2},
		{"nested deployment", "{" + schema + `, "resources": [{"name": "outer", "properties": {"template": {"resources": [
  // a comment, blanked
  {"name": "AT"}
]}}}]}`, "AT", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			off := strings.Index(tc.src, tc.at)
			at, text, ok := ARMEntry([]byte(tc.src), off, "AZFUNC-040", `why "quoted"`)
			if !ok {
				t.Fatal("no entry")
			}
			out := tc.src[:at] + text + tc.src[at:]
			igs, diags := scanARM("t.json", []byte(out))
			if len(diags) > 0 || len(igs) != tc.entries {
				t.Fatalf("%d ignores, diagnostics %v, in:\n%s", len(igs), diags, out)
			}
			before, _, _ := strings.Cut(out, tc.at)
			line := 1 + strings.Count(before, "\n")
			covered := false
			for _, ig := range igs {
				for _, id := range ig.Checks {
					if id == "AZFUNC-040" && ig.Scope.Start.Line <= line && line <= ig.Scope.End.Line && ig.Reason == `why "quoted"` {
						covered = true
					}
				}
			}
			if !covered {
				t.Errorf("the entry does not cover line %d: %+v\n%s", line, igs, out)
			}
		})
	}
	for _, src := range []string{
		`{"resources": [{"name": "AT"}]}`,            // not a template
		"{" + schema + `, "resources": [], "AT": 1}`, // outside every resource
		"{" + schema + `, "resources": [{"name": "AT", "metadata": []}]}`,
	} {
		if _, _, ok := ARMEntry([]byte(src), strings.Index(src, "AT"), "AZFUNC-040", "r"); ok {
			t.Errorf("an entry for %s", src)
		}
	}
}
