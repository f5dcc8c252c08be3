package arm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/jsonhead"
)

func TestIsTemplate(t *testing.T) {
	cases := []struct {
		name, head string
		template   bool
		parameters bool
	}{
		{"resource group", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}`, true, false},
		{"subscription", `{"$schema":"https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#","resources":[]}`, true, false},
		{"management group", `{"$schema": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#"}`, true, false},
		{"tenant", `{"$schema": "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#"}`, true, false},
		{"old http schema", `{"$schema": "http://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#"}`, true, false},
		{"schema after other keys", `{"contentVersion": "1.0.0.0", "parameters": {"a": {"type": "string"}}, "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}`, true, false},
		{"comments and BOM", "\xef\xbb\xbf// generated\n/* x */ {\n  // schema\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n}", true, false},
		{"parameter file", `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}`, false, true},
		{"package.json", `{"name": "func", "version": "1.0.0"}`, false, false},
		{"array", `[{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}]`, false, false},
		{"nested schema only", `{"properties": {"template": {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"}}}`, false, false},
		{"truncated before schema", `{"parameters": {"a": "` + strings.Repeat("x", 100), false, false},
		{"empty", ``, false, false},
		{"not JSON", `resource "x" "y" {}`, false, false},
	}
	cases = append(cases, []struct {
		name, head string
		template   bool
		parameters bool
	}{
		{"trailing commas", `{"parameters": {"a": [1,],}, "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",}`, true, false},
		{"comment hiding a schema", "{\"a\": {/* \" */ \"$schema\": \"deploymentTemplate.json\"}, \"$schema\": \"deploymentParameters.json\"}", false, true},
		{"slash in a string before a comment", `{"x": "a/b\"//", /* "$schema": "deploymentTemplate.json" */ "$schema": "deploymentParameters.json"}`, false, true},
		{"escaped quote", `{"x": "\\", "$schema": "deploymentTemplate.json"}`, true, false},
		{"comment after the schema", "{\"$schema\": \"deploymentTemplate.json\", /* \"$schema\": \"x\" */ \"a\": 1 // c\n}", true, false},
		{"double byte order mark", "\xef\xbb\xbf\xef\xbb\xbf{\"$schema\": \"deploymentTemplate.json\"}", true, false},
	}...)
	for _, tc := range cases {
		// Heads without comments are read as they are, the others
		// through jsonc: both must read what jsonc's text reads.
		want := ""
		jsonhead.Members(jsonc.ToJSON(bytes.TrimPrefix([]byte(tc.head), []byte("\xef\xbb\xbf"))), func(key string, value []byte) bool {
			if key != "$schema" {
				return true
			}
			if json.Unmarshal(value, &want) != nil {
				want = ""
			}
			return false
		})
		if got := schemaOf([]byte(tc.head)); got != want {
			t.Errorf("%s: schemaOf = %q, want %q", tc.name, got, want)
		}
		if got := IsTemplate([]byte(tc.head)); got != tc.template {
			t.Errorf("%s: IsTemplate = %v, want %v", tc.name, got, tc.template)
		}
		if got := IsParameters([]byte(tc.head)); got != tc.parameters {
			t.Errorf("%s: IsParameters = %v, want %v", tc.name, got, tc.parameters)
		}
	}
}

func TestInvalidJSONIsAnErrorAtItsPosition(t *testing.T) {
	src := "{\n  " + schema + ",\n  \"resources\": [\n    {\"type\": \"Microsoft.Web/sites\",, }\n  ]\n}\n"
	m, diags := loadTemplate(t, src)
	if m == nil || m.Format != model.ARM {
		t.Fatalf("module = %+v", m)
	}
	if len(diags) != 1 || diags[0].Severity != model.SevError || diags[0].Summary != "Invalid JSON" {
		t.Fatalf("diagnostics = %+v", diags)
	}
	if r := diags[0].Range; r.Start.Line != 4 || r.Start.Column < 35 {
		t.Errorf("error at %s, want line 4 from column 35", r)
	}
}

func TestNotAnObjectIsAnError(t *testing.T) {
	_, diags := loadTemplate(t, `["not", "a", "template"]`)
	if len(diags) != 1 || diags[0].Severity != model.SevError || diags[0].Summary != "Not an ARM template" {
		t.Fatalf("diagnostics = %+v", diags)
	}
}

func TestCommentsAndTrailingCommasKeepPositions(t *testing.T) {
	src := `{
  // a comment
  ` + schema + `,
  /* a block
     comment */
  "resources": [
    {
      "type": "Microsoft.Web/sites", // the app
      "apiVersion": "2023-12-01",
      "name": "func-é",
      "kind": "functionapp",
      "properties": { "httpsOnly": false, },
    },
  ],
}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	a := appNamed(t, m, "Microsoft.Web/sites/func-é")
	if a.HTTPSOnly.V || a.HTTPSOnly.Origin != model.Explicit || a.HTTPSOnly.Range.Start.Line != lineOf(src, `"httpsOnly"`) {
		t.Errorf("https_only = %+v", a.HTTPSOnly)
	}
	// Columns count characters: "func-é" ends one column after its
	// seven characters and the quotes.
	if r := a.Name.Range; r.Start.Column != 15 || r.End.Column != 23 {
		t.Errorf("name range = %+v", r)
	}
}

func TestDeepAndLargeInputIsCapped(t *testing.T) {
	deep := strings.Repeat(`{"a":`, maxJSONDepth+10) + "1" + strings.Repeat("}", maxJSONDepth+10)
	src := `{` + schema + `, "resources": [{"type": "Microsoft.Web/sites", "name": "f", "kind": "functionapp", "properties": {"x": ` + deep + `}}]}`
	m, diags := loadTemplate(t, src)
	noErrors(t, diags)
	if len(m.FunctionApps) != 1 {
		t.Fatalf("apps = %d", len(m.FunctionApps))
	}
}

func TestParameterFileMatchedByName(t *testing.T) {
	tmpl := `{` + schema + `,
  "parameters": {"https": {"type": "bool", "defaultValue": true}},
  "resources": [{"type": "Microsoft.Web/sites", "name": "f", "kind": "functionapp",
    "properties": {"httpsOnly": "[parameters('https')]"}}]}`
	params := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {"https": {"value": false}}}`
	for _, tc := range []struct {
		name  string
		files map[string]string
		main  string
		want  bool
		info  string
	}{
		{"azuredeploy", map[string]string{"azuredeploy.json": tmpl, "azuredeploy.parameters.json": params}, "azuredeploy.json", false, ""},
		{"main", map[string]string{"main.json": tmpl, "main.parameters.json": params}, "main.json", false, ""},
		{"one variant", map[string]string{"main.json": tmpl, "main.parameters.dev.json": params}, "main.json", false, ""},
		{"portal export", map[string]string{"template.json": tmpl, "parameters.json": params}, "template.json", false, ""},
		{"two variants", map[string]string{"main.json": tmpl, "main.parameters.dev.json": params, "main.parameters.prod.json": params}, "main.json", true, "Several parameter files"},
		{"other template's", map[string]string{"main.json": tmpl, "other.parameters.json": params}, "main.json", true, ""},
	} {
		// From the disk, and from the walk's listing of the directory
		// (Options.ListDir): the same files match.
		for _, listed := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s listed %v", tc.name, listed), func(t *testing.T) {
				needEval(t)
				var opts Options
				if listed {
					opts.ListDir = func(dir string) ([]fs.DirEntry, bool) {
						entries, err := os.ReadDir(dir)
						return entries, err == nil
					}
				}
				m, diags := loadFiles(t, tc.main, tc.files, opts)
				if len(m.FunctionApps) != 1 || m.FunctionApps[0].HTTPSOnly.V != tc.want {
					t.Fatalf("https_only = %+v", m.FunctionApps)
				}
				if tc.info != "" && (len(diags) != 1 || !strings.Contains(diags[0].Summary, tc.info)) {
					t.Errorf("diagnostics = %+v", diags)
				}
			})
		}
	}
}

// TestParameterFileLookedUpInListing: with a listing of the template's
// directory (Options.ListDir), a parameter file and a .bicep source are
// looked for in it, not on disk: a listing without them finds neither;
// with ReadFile (an editor's buffers, which need not be on disk) the
// listing is not used.
func TestParameterFileLookedUpInListing(t *testing.T) {
	needEval(t)
	tmpl := `{` + schema + `,
  "parameters": {"https": {"type": "bool", "defaultValue": true}},
  "resources": [{"type": "Microsoft.Web/sites", "name": "f", "kind": "functionapp",
    "properties": {"httpsOnly": "[parameters('https')]"}}]}`
	files := map[string]string{
		"main.json":            tmpl,
		"main.parameters.json": `{"parameters": {"https": {"value": false}}}`,
	}
	onlyTemplate := func(dir string) ([]fs.DirEntry, bool) {
		entries, err := os.ReadDir(dir)
		var out []fs.DirEntry
		for _, e := range entries {
			if e.Name() == "main.json" {
				out = append(out, e)
			}
		}
		return out, err == nil
	}
	m, diags := loadFiles(t, "main.json", files, Options{ListDir: onlyTemplate})
	noErrors(t, diags)
	if !m.FunctionApps[0].HTTPSOnly.V {
		t.Error("the parameter file was applied though the listing does not hold it")
	}
	m, diags = loadFiles(t, "main.json", files, Options{ListDir: onlyTemplate, ReadFile: os.ReadFile})
	noErrors(t, diags)
	if m.FunctionApps[0].HTTPSOnly.V {
		t.Error("with ReadFile, the parameter file beside the template was not applied")
	}
}

func TestParameterFilesFromOptions(t *testing.T) {
	needEval(t)
	tmpl := `{` + schema + `,
  "parameters": {"https": {"type": "bool", "defaultValue": true}, "tls": {"type": "string", "defaultValue": "1.2"}},
  "resources": [{"type": "Microsoft.Web/sites", "name": "f", "kind": "functionapp",
    "properties": {"httpsOnly": "[parameters('https')]", "siteConfig": {"minTlsVersion": "[parameters('tls')]"}}}]}`
	files := map[string]string{
		"main.json":            tmpl,
		"main.parameters.json": `{"parameters": {"https": {"value": false}, "tls": {"value": "1.0"}}}`,
		"all.json":             `{"parameters": {"tls": {"value": "1.1"}}}`,
		"only-main.json":       `{"parameters": {"https": {"value": true}}}`,
		"only-other.json":      `{"parameters": {"https": {"value": false}, "tls": {"value": "1.3"}}}`,
	}
	m, diags := loadFiles(t, "main.json", files, Options{Parameters: []ParameterFile{
		{Template: "main.json", Path: "only-main.json"},
		{Path: "all.json"},
		{Template: "other.json", Path: "only-other.json"},
	}})
	noErrors(t, diags)
	a := m.FunctionApps[0]
	// The name-matched file first, then files for every template, then
	// files for this one: https from only-main.json, tls from all.json.
	if !a.HTTPSOnly.V || a.SiteConfig.MinTLSVersion.V != "1.1" {
		t.Errorf("https_only = %v, min_tls = %q", a.HTTPSOnly.V, a.SiteConfig.MinTLSVersion.V)
	}
}

func TestBrokenParameterFileIsReported(t *testing.T) {
	tmpl := `{` + schema + `, "resources": []}`
	_, diags := loadFiles(t, "main.json", map[string]string{"main.json": tmpl, "main.parameters.json": "{\n  \"parameters\": {\"a\": tru}\n}"}, Options{})
	if len(diags) != 1 || diags[0].Severity != model.SevError || !strings.HasSuffix(diags[0].Range.Filename, "main.parameters.json") || diags[0].Range.Start.Line != 2 {
		t.Fatalf("diagnostics = %+v", diags)
	}
}

func TestUndeclaredParameterInParameterFile(t *testing.T) {
	tmpl := `{` + schema + `, "parameters": {"a": {"type": "string"}}, "resources": []}`
	params := "{\n  \"parameters\": {\n    \"a\": {\"value\": \"x\"},\n    \"typo\": {\"value\": 1}\n  }\n}"
	_, diags := loadFiles(t, "main.json", map[string]string{"main.json": tmpl, "main.parameters.json": params, "all.json": params}, Options{Parameters: []ParameterFile{{Path: "all.json"}}})
	if len(diags) != 1 || diags[0].Summary != "Parameter not declared by the template" || diags[0].Range.Start.Line != 4 || !strings.HasSuffix(diags[0].Range.Filename, "main.parameters.json") {
		t.Errorf("diagnostics = %+v", diags)
	}
}
