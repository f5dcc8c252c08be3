package ignore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// summary renders ignores as "ids scope reason [exp]" and diagnostics as
// "line: severity: summary".
func summary(igs []model.Ignore, diags model.Diagnostics) []string {
	var out []string
	for i := range igs {
		ig := &igs[i]
		s := fmt.Sprintf("%d: %s lines %d-%d %q", ig.At.Start.Line, strings.Join(ig.Checks, ","), ig.Scope.Start.Line, ig.Scope.End.Line, ig.Reason)
		if !ig.Expires.IsZero() {
			s += " exp " + ig.Expires.Format(time.DateOnly)
		}
		out = append(out, s)
	}
	for _, d := range diags {
		out = append(out, fmt.Sprintf("%d: %s: %s: %s", d.Range.Start.Line, d.Severity, d.Summary, d.Detail))
	}
	return out
}

func TestHCL(t *testing.T) {
	src := `# azfuncscan:ignore[AZFUNC-040] the whole resource
resource "azurerm_linux_function_app" "a" {
  # azfuncscan:ignore[AZFUNC-040] fronted by Front Door
  https_only = false

  // azfuncscan:ignore[azfunc-041,AZFUNC-042] exp:2026-06-30 legacy clients
  # another comment between
  site_config {
    minimum_tls_version = "1.0"
    cors {
      allowed_origins = ["*"]
    }
  }

  /* azfuncscan:ignore[AZFUNC-030] multi-line
     reason */
  app_settings = {
    A = "x"
    B = <<EOT
# azfuncscan:ignore[AZFUNC-999] inside a heredoc is text
EOT
  }
  ftp_publish_basic_authentication_enabled = true # azfuncscan:ignore[AZFUNC-024] trailing
  # azfuncscan:ignore[AZFUNC-025]
  webdeploy_publish_basic_authentication_enabled = true

  # azfuncscan:ignore[AZFUNC-001] followed by a blank line

  public_network_access_enabled = true
  # azfuncscan:ignore[AZFUNC-001] above a closing brace
}
# azfuncscan:ignore AZFUNC-001 no brackets
# azfuncscan:ignore[AZFUNC-1] bad id
# azfuncscan:ignore[AZFUNC-001] exp:2026-13-01 bad date
# see azfuncscan:ignore[AZFUNC-001] not at the start: an ordinary comment
locals {
  x = 1
}
`
	igs, diags := scanHCL("main.tf", []byte(src))
	got := summary(igs, diags)
	want := []string{
		`1: AZFUNC-040 lines 2-31 "the whole resource"`,
		`3: AZFUNC-040 lines 4-4 "fronted by Front Door"`,
		`6: AZFUNC-041,AZFUNC-042 lines 8-13 "legacy clients" exp 2026-06-30`,
		`15: AZFUNC-030 lines 17-22 "multi-line reason"`,
		`23: AZFUNC-024 lines 23-23 "trailing"`,
		`24: AZFUNC-025 lines 25-25 ""`,
		`27: warning: azfuncscan:ignore applies to nothing: the comment must be directly above an attribute or a block (no blank line between)`,
		`30: warning: azfuncscan:ignore applies to nothing: the comment must be directly above an attribute or a block (no blank line between)`,
		`32: warning: Malformed azfuncscan:ignore: want azfuncscan:ignore[CHECK-ID,…] and a reason; the comment is not applied`,
		`33: warning: Malformed azfuncscan:ignore: "AZFUNC-1" is not a check id (want e.g. AZFUNC-040); the comment is not applied`,
		`34: warning: Malformed azfuncscan:ignore: exp: "2026-13-01" is not a date (want YYYY-MM-DD); the comment is not applied`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	// The comment's own range excludes its newline.
	if at := igs[1].At; at.Start.Line != 3 || at.End.Line != 3 || at.Start.Column != 3 || at.End.Column != 56 {
		t.Errorf("At = %#v", at)
	}
}

// Read skips files without the marker and files of unknown kinds, and
// names ignores by the names it was given.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(p)
	}
	tf := write("main.tf", "# azfuncscan:ignore[AZFUNC-040] ok\nx = 1\n")
	vars := write("dev.tfvars", "# azfuncscan:ignore[AZFUNC-041] ok\ntls = \"1.0\"\n")
	plain := write("other.tf", "x = 1\n")
	txt := write("notes.txt", "# azfuncscan:ignore[AZFUNC-040] ok\nx = 1\n")
	igs, diags := Read([]string{tf, vars, plain, txt, filepath.ToSlash(filepath.Join(dir, "missing.tf"))})
	if len(diags) > 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	if len(igs) != 2 || igs[0].Scope.Filename != tf || igs[1].Scope.Filename != vars || igs[1].At.Filename != vars {
		t.Errorf("ignores = %+v", igs)
	}
}

func TestARM(t *testing.T) {
	src := `{
  // comments are allowed
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "name": "func-a",
      "metadata": {"azfuncscan": {"ignore": [
        {"id": "AZFUNC-040", "reason": "behind   Front Door", "expires": "2026-06-30"},
        {"id": ["azfunc-041", "AZFUNC-042"], "reason": "partner"},
        {"id": "AZFUNC-1"},
        {"id": "AZFUNC-043", "reson": "typo"}
      ]}},
      "properties": {"httpsOnly": false}
    },
    {
      "type": "Microsoft.Resources/deployments",
      "name": "inner",
      "properties": {"template": {"resources": [
        {
          "type": "Microsoft.Web/sites",
          "name": "func-b",
          "metadata": {"azfuncscan": {"ignore": [{"id": "AZFUNC-001"}]}}
        }
      ]}}
    }
  ]
}`
	igs, diags := scanARM("azuredeploy.json", []byte(src))
	want := []string{
		`9: AZFUNC-040 lines 5-15 "behind Front Door" exp 2026-06-30`,
		`10: AZFUNC-041,AZFUNC-042 lines 5-15 "partner"`,
		`23: AZFUNC-001 lines 20-24 ""`,
		`11: warning: Malformed azfuncscan ignore: id: "AZFUNC-1" is not a check id (want e.g. AZFUNC-040); not applied`,
		`12: warning: Malformed azfuncscan ignore: unknown key "reson" in an ignore entry (want id, reason, expires); not applied`,
	}
	if diff := cmp.Diff(want, summary(igs, diags)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	// Parameter files and other JSON are not templates.
	if igs, _ := scanARM("p.json", []byte(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "resources": [{"metadata": {"azfuncscan": {"ignore": [{"id": "AZFUNC-001"}]}}}]}`)); len(igs) != 0 {
		t.Errorf("a parameter file gave ignores: %+v", igs)
	}
}

func TestBicep(t *testing.T) {
	src := `// azfuncscan:ignore[AZFUNC-041] the whole resource, decorators skipped
@description('The app.')
@sys.batchSize(
  1
)
resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'func-a'
  properties: {
    // azfuncscan:ignore[AZFUNC-040] exp:2026-06-30 fronted by Front Door
    httpsOnly: false
    /* azfuncscan:ignore[AZFUNC-043] multi-line
       reason */
    // another comment between
    siteConfig: {
      ftpsState: 'AllAllowed'
      minTlsVersion: '1.0' // azfuncscan:ignore[AZFUNC-041] trailing
      appSettings: [
        // azfuncscan:ignore[AZFUNC-030] one element
        {
          name: 'DB_PASSWORD'
          value: 'x'
        }
      ]
    }
    // azfuncscan:ignore[AZFUNC-001] followed by a blank line

    publicNetworkAccess: 'Enabled'
    // azfuncscan:ignore[AZFUNC-001] above a closing brace
  }

  // azfuncscan:ignore[AZFUNC-024] a nested child
  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: { allow: true }
  }
}
var s = 'text // azfuncscan:ignore[AZFUNC-999] inside a string'
// azfuncscan:ignore AZFUNC-001 no brackets
// see azfuncscan:ignore[AZFUNC-001] not at the start: an ordinary comment
// azfuncscan:ignore[AZFUNC-040,AZFUNC-050] a module
module worker './worker.bicep' = {
  name: 'w'
}
/* azfuncscan:ignore[AZFUNC-025] */ param x string
// azfuncscan:ignore[AZFUNC-001] at the end of the file`
	igs, diags := scanBicep("main.bicep", []byte(src))
	want := []string{
		`1: AZFUNC-041 lines 6-36 "the whole resource, decorators skipped"`,
		`9: AZFUNC-040 lines 10-10 "fronted by Front Door" exp 2026-06-30`,
		`11: AZFUNC-043 lines 14-24 "multi-line reason"`,
		`16: AZFUNC-041 lines 16-16 "trailing"`,
		`18: AZFUNC-030 lines 19-22 "one element"`,
		`31: AZFUNC-024 lines 32-35 "a nested child"`,
		`40: AZFUNC-040,AZFUNC-050 lines 41-43 "a module"`,
		`44: AZFUNC-025 lines 44-44 ""`,
		`25: warning: azfuncscan:ignore applies to nothing: the comment must be directly above a declaration or a property (no blank line between)`,
		`28: warning: azfuncscan:ignore applies to nothing: the comment must be directly above a declaration or a property (no blank line between)`,
		`38: warning: Malformed azfuncscan:ignore: want azfuncscan:ignore[CHECK-ID,…] and a reason; the comment is not applied`,
		`45: warning: azfuncscan:ignore applies to nothing: the comment must be directly above a declaration or a property (no blank line between)`,
	}
	if diff := cmp.Diff(want, summary(igs, diags)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	if at := igs[1].At; at.Start.Line != 9 || at.End.Line != 9 || at.Start.Column != 5 || at.End.Column != 74 {
		t.Errorf("At = %#v", at)
	}
}

// A decorator on the declaration's own line, and a blank line after a
// decorator.
func TestBicepDecoratorLines(t *testing.T) {
	src := "// azfuncscan:ignore[AZFUNC-030] inline decorator\n@secure() param key string\n// azfuncscan:ignore[AZFUNC-030] blank after the decorator\n@secure()\n\nparam other string\n"
	igs, diags := scanBicep("main.bicep", []byte(src))
	want := []string{
		`1: AZFUNC-030 lines 2-2 "inline decorator"`,
		`3: warning: azfuncscan:ignore applies to nothing: the comment must be directly above a declaration or a property (no blank line between)`,
	}
	if diff := cmp.Diff(want, summary(igs, diags)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
}

// TestReadHeld: a held file is read from memory, whatever the disk holds
// (the parser's copy is what the findings were computed from); the others
// from disk, under the same rules as Read (a FIFO is not read).
func TestReadHeld(t *testing.T) {
	dir := t.TempDir()
	onDisk := filepath.ToSlash(filepath.Join(dir, "disk.tf"))
	if err := os.WriteFile(filepath.FromSlash(onDisk), []byte("# azfuncscan:ignore[AZFUNC-041] on disk\nx = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	heldName := filepath.ToSlash(filepath.Join(dir, "held.tf")) // not on disk
	changed := filepath.ToSlash(filepath.Join(dir, "changed.tf"))
	if err := os.WriteFile(filepath.FromSlash(changed), []byte("# azfuncscan:ignore[AZFUNC-099] written since\nx = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	held := map[string]string{
		heldName: "# azfuncscan:ignore[AZFUNC-040] held\nx = 1\n",
		changed:  "x = 1\n",
	}
	igs, diags := ReadHeld(func(name string) ([]byte, bool) {
		src, ok := held[name]
		return []byte(src), ok
	}, []string{changed, onDisk, heldName})
	got := summary(igs, diags)
	want := []string{
		`1: AZFUNC-041 lines 2-2 "on disk"`,
		`1: AZFUNC-040 lines 2-2 "held"`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadHeld (-want +got):\n%s", diff)
	}
}
