package report_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/analyzer/report"
	"github.com/azfuncscan/azfuncscan/analyzer/report/sariftest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func rng(file string, sl, sc, el, ec int) model.Range {
	return model.Range{Filename: file, Start: model.Pos{Line: sl, Column: sc}, End: model.Pos{Line: el, Column: ec}}
}

func testChecks() []*engine.Check {
	return []*engine.Check{
		{
			ID: "AZFUNC-041", Title: "Minimum inbound TLS below 1.2", Severity: engine.High, SecuritySeverity: 7.5,
			Description: "The app accepts TLS 1.0 or 1.1 connections.",
			Remediation: map[model.Format]string{model.Terraform: "Set `site_config.minimum_tls_version = \"1.2\"`."},
			Tags:        []string{"transport", "MCSB:DP-3"},
			MCSB:        []string{"DP-3"},
			Formats:     []model.Format{model.Terraform, model.ARM, model.Pulumi}, EnabledByDefault: true,
			Source: "checks/AZFUNC-041.yaml",
		},
		{
			ID: "AZFUNC-040", Title: "HTTPS-only not enforced", Severity: engine.High, SecuritySeverity: 7.5,
			Description: "Plain HTTP requests reach the app <unencrypted> & are not redirected.",
			Remediation: map[model.Format]string{
				model.ARM:       "Set `properties.httpsOnly` to `true`.",
				model.Terraform: "Set `https_only = true`:\n\n```hcl\nhttps_only = true\n```",
			},
			References: []engine.Reference{
				{Title: "Enforce HTTPS [docs]", URL: "https://learn.microsoft.com/azure/app-service/configure-ssl-bindings#enforce-https"},
				{URL: "https://learn.microsoft.com/security/benchmark/azure/baselines/azure-functions-security-baseline"},
			},
			Tags:    []string{"transport", "security"},
			Formats: []model.Format{model.Terraform, model.ARM}, EnabledByDefault: true,
			Source: "checks/AZFUNC-040.yaml",
		},
		{
			ID: "AZFUNC-009", Title: "CORS allows every origin (`*`)", Severity: engine.Medium,
			Description: "Any web site can call the app from a browser.",
			Formats:     []model.Format{model.Terraform}, EnabledByDefault: true,
		},
		{
			ID: "AZFUNC-030", Title: "Plaintext secret in app settings", Severity: engine.Critical, SecuritySeverity: 9.1,
			Description: "A secret is written in the source.", Formats: []model.Format{model.Terraform}, EnabledByDefault: true,
		},
		{
			ID: "AZFUNC-050", Title: "No diagnostic setting streams the app's resource logs", Severity: engine.Low,
			Formats: []model.Format{model.Terraform}, EnabledByDefault: false,
		},
	}
}

const app = "azurerm_linux_function_app.api"

func testFindings() []engine.Finding {
	return []engine.Finding{
		{
			CheckID: "AZFUNC-050", Severity: engine.Low, Status: engine.Undetermined,
			Message: "Whether a diagnostic setting targets " + app + " is known only after apply.",
			Range:   rng("infra/main.tf", 5, 1, 21, 2), Resource: app, ResourceType: "azurerm_linux_function_app",
			Path: "diagnostic_settings", Origin: model.Unknown, Fingerprint: "fp-050", Root: "infra",
		},
		{
			CheckID: "AZFUNC-041", Severity: engine.High, Message: app + " accepts TLS 1.0.",
			Range: rng("infra/main.tf", 18, 5, 18, 32), Resource: app, ResourceType: "azurerm_linux_function_app",
			Path: "site_config.min_tls_version", Origin: model.Explicit, Fingerprint: "fp-041", Root: "infra",
			// The value is a variable's default.
			Trail: []model.Hop{
				{Kind: model.HopVariable, Name: "var.min_tls", Range: rng("infra/variables.tf", 3, 13, 3, 18)},
				{Kind: model.HopAttribute, Range: rng("infra/main.tf", 18, 5, 18, 32)},
			},
		},
		{
			CheckID: "AZFUNC-040", Severity: engine.High, Message: app + " does not enforce HTTPS.",
			Range: rng("infra/main.tf", 11, 2, 11, 20), Resource: app, ResourceType: "azurerm_linux_function_app",
			Path: "https_only", Origin: model.Explicit, Fingerprint: "fp-040", Root: "infra",
			// Written right there: the trail is the attribute alone.
			Trail: []model.Hop{{Kind: model.HopAttribute, Range: rng("infra/main.tf", 11, 2, 11, 20)}},
		},
		{
			CheckID: "AZFUNC-030", Severity: engine.Critical, Message: "App setting DB_PASSWORD of " + app + " holds a plaintext secret.",
			Range: rng("infra/main.tf", 14, 5, 14, 28), Resource: app, ResourceType: "azurerm_linux_function_app",
			Path: "app_settings[DB_PASSWORD].value", Origin: model.Explicit, Fingerprint: "fp-030", Root: "infra",
		},
		{
			// A module called from two roots (infra and infra/prod), the
			// value passed from a tfvars file through the call.
			CheckID: "AZFUNC-009", Severity: engine.Medium, Message: `module.app.azurerm_windows_function_app.this allows CORS from any origin (allowed_origins["*"]).`,
			Range:    rng("infra/modules/app/main.tf", 5, 7, 5, 30),
			Resource: "module.app.azurerm_windows_function_app.this", ResourceType: "azurerm_windows_function_app",
			Path: `site_config.cors.allowed_origins["*"]`, Origin: model.Explicit, Fingerprint: "fp-009", Root: "infra",
			Related: []engine.Related{{Range: rng("infra/main.tf", 1, 1, 1, 13), Message: "module.app is called here"}},
			Trail: []model.Hop{
				{Kind: model.HopVarFile, Name: "var.cors_origins", Range: rng("infra/terraform.tfvars", 2, 16, 2, 21)},
				{Kind: model.HopVariable, Name: "var.cors_origins", Range: rng("infra/variables.tf", 7, 1, 9, 2)},
				{Kind: model.HopModuleArgument, Name: "module.app.cors_origins", Range: rng("infra/main.tf", 4, 3, 4, 35)},
				{Kind: model.HopVariable, Name: "var.cors_origins", Range: rng("infra/modules/app/variables.tf", 1, 1, 1, 28)},
				{Kind: model.HopAttribute, Range: rng("infra/modules/app/main.tf", 5, 7, 5, 30)},
			},
		},
		{
			CheckID: "AZFUNC-009", Severity: engine.Medium, Message: `module.app.azurerm_windows_function_app.this allows CORS from any origin (allowed_origins["*"]).`,
			Range:    rng("infra/modules/app/main.tf", 5, 7, 5, 30),
			Resource: "module.app.azurerm_windows_function_app.this", ResourceType: "azurerm_windows_function_app",
			Path: `site_config.cors.allowed_origins["*"]`, Origin: model.Explicit, Fingerprint: "fp-009-prod", Root: "infra/prod",
			Related: []engine.Related{{Range: rng("infra/prod/main.tf", 1, 1, 1, 13), Message: "module.app is called here"}},
			Trail: []model.Hop{
				{Kind: model.HopModuleArgument, Name: "module.app.cors_origins", Range: rng("infra/prod/main.tf", 4, 3, 4, 30)},
				{Kind: model.HopVariable, Name: "var.cors_origins", Range: rng("infra/modules/app/variables.tf", 1, 1, 1, 28)},
				{Kind: model.HopAttribute, Range: rng("infra/modules/app/main.tf", 5, 7, 5, 30)},
			},
		},
		{
			// No position at all: writers must still blame line 1, column 1.
			CheckID: "AZFUNC-040", Severity: engine.High, Message: "azurerm_linux_function_app.nopos does not enforce HTTPS.",
			Range: model.Range{Filename: "infra/generated file.tf"}, Resource: "azurerm_linux_function_app.nopos",
			ResourceType: "azurerm_linux_function_app", Path: "https_only", Origin: model.Default, Fingerprint: "fp-040-nopos", Root: "infra",
			Trail: []model.Hop{{Kind: model.HopDefault, Range: model.Range{Filename: "infra/generated file.tf"}}},
		},
	}
}

func testReport(showUndetermined bool) *report.Report {
	return &report.Report{
		Tool:     report.Tool{Name: "azfuncscan", Version: "1.2.3", InformationURI: "https://github.com/azfuncscan/azfuncscan"},
		Checks:   testChecks(),
		Findings: testFindings(),
		Diagnostics: model.Diagnostics{
			{Severity: model.SevWarning, Summary: "cannot follow symbolic link", Detail: "stat infra/broken: no such file or directory", Range: model.Range{Filename: "infra/broken"}},
			{Severity: model.SevError, Summary: "Unclosed configuration block", Detail: "There is no closing brace for this block.", Range: rng("infra/broken.tf", 3, 10, 3, 11)},
		},
		Stats:            engine.Stats{Resources: 3, Evaluated: 12, Passed: 6, Failed: 5, Undetermined: 1},
		BaseDir:          "testdata/project",
		WorkDir:          "testdata/project",
		ShowUndetermined: showUndetermined,
	}
}

func render(t *testing.T, format report.Format, r *report.Report, opts report.TextOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.Write(&b, format, r, opts); err != nil {
		t.Fatalf("write %s: %v", format, err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./analyzer/report -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from golden (-want +got; regenerate with -update):\n%s", name, diff)
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		format report.Format
		show   bool
		opts   report.TextOptions
		mutate func(*report.Report)
	}{
		{name: "report.txt", format: report.FormatText, opts: report.TextOptions{Snippets: true}},
		{name: "report-undetermined.txt", format: report.FormatText, show: true, opts: report.TextOptions{Snippets: true}},
		{name: "report-color.txt", format: report.FormatText, show: true, opts: report.TextOptions{Snippets: true, Color: true}},
		{name: "report-nosnippets.txt", format: report.FormatText},
		{name: "report-high.txt", format: report.FormatText, mutate: func(r *report.Report) { r.MinSeverity, r.Threshold = engine.High, engine.High }},
		// The threshold decides the exit status only: every finding is
		// still shown, and the summary says how many fail.
		{name: "report-threshold-high.txt", format: report.FormatText, mutate: func(r *report.Report) { r.Threshold = engine.High }},
		// The minimum severity filters the report only: the failures it
		// hides are counted.
		{name: "report-min-high.txt", format: report.FormatText, mutate: func(r *report.Report) { r.MinSeverity = engine.High }},
		{name: "report-min-high.json", format: report.FormatJSON, mutate: func(r *report.Report) { r.MinSeverity, r.Threshold = engine.High, engine.Medium }},
		{name: "report-empty.txt", format: report.FormatText, mutate: func(r *report.Report) { r.Findings, r.Diagnostics = nil, nil }},
		{name: "report.json", format: report.FormatJSON},
		{name: "report-undetermined.json", format: report.FormatJSON, show: true},
		{name: "report-empty.json", format: report.FormatJSON, mutate: func(r *report.Report) { r.Findings, r.Diagnostics, r.Checks = nil, nil, nil }},
		{name: "report.sarif", format: report.FormatSARIF},
		{name: "report-undetermined.sarif", format: report.FormatSARIF, show: true},
		{name: "report-fixes.sarif", format: report.FormatSARIF, mutate: withFixes},
		{name: "report-empty.sarif", format: report.FormatSARIF, mutate: func(r *report.Report) { r.Findings, r.Diagnostics = nil, nil }},
		{name: "report-category.sarif", format: report.FormatSARIF, mutate: func(r *report.Report) {
			r.Findings, r.Diagnostics, r.Checks, r.Category = nil, nil, nil, "iac/dev"
		}},
		{name: "report.compact", format: report.FormatCompact},
		{name: "report-undetermined.compact", format: report.FormatCompact, show: true},
		{name: "report-empty.compact", format: report.FormatCompact, mutate: func(r *report.Report) { r.Findings, r.Diagnostics = nil, nil }},
		{name: "report.github", format: report.FormatGitHub},
		{name: "report-undetermined.github", format: report.FormatGitHub, show: true},
		{name: "report-empty.github", format: report.FormatGitHub, mutate: func(r *report.Report) { r.Findings, r.Diagnostics = nil, nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testReport(tt.show)
			if tt.mutate != nil {
				tt.mutate(r)
			}
			got := render(t, tt.format, r, tt.opts)
			again := render(t, tt.format, r, tt.opts)
			if !bytes.Equal(got, again) {
				t.Fatal("two runs of the writer gave different bytes")
			}
			// Input order must not matter.
			rev := testReport(tt.show)
			if tt.mutate != nil {
				tt.mutate(rev)
			}
			for i, j := 0, len(rev.Findings)-1; i < j; i, j = i+1, j-1 {
				rev.Findings[i], rev.Findings[j] = rev.Findings[j], rev.Findings[i]
			}
			for i, j := 0, len(rev.Checks)-1; i < j; i, j = i+1, j-1 {
				rev.Checks[i], rev.Checks[j] = rev.Checks[j], rev.Checks[i]
			}
			if !bytes.Equal(got, render(t, tt.format, rev, tt.opts)) {
				t.Fatal("output depends on the order of findings or checks")
			}
			if (tt.format == report.FormatJSON || tt.format == report.FormatSARIF) && !json.Valid(got) {
				t.Fatalf("invalid JSON:\n%s", got)
			}
			golden(t, tt.name, got)
		})
	}
}

func TestSARIFValidatesAgainstBothSchemas(t *testing.T) {
	for _, show := range []bool{false, true} {
		data := render(t, report.FormatSARIF, testReport(show), report.TextOptions{})
		if err := sariftest.Validate(data); err != nil {
			t.Errorf("show undetermined %v: %v", show, err)
		}
	}
	empty := testReport(false)
	empty.Findings, empty.Diagnostics, empty.Checks = nil, nil, nil
	if err := sariftest.Validate(render(t, report.FormatSARIF, empty, report.TextOptions{})); err != nil {
		t.Errorf("empty report: %v", err)
	}
	// The validator does catch what GitHub rejects.
	bad := []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.tf"},"region":{"startLine":0}}}]}]}]}`)
	if err := sariftest.Validate(bad); err == nil {
		t.Error("a region with startLine 0 validated")
	}
}

// sarifDoc is the part of a SARIF log the assertions below read.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID               string                 `json:"id"`
					Name             string                 `json:"name"`
					HelpURI          string                 `json:"helpUri"`
					DefaultConfig    struct{ Level string } `json:"defaultConfiguration"`
					Properties       map[string]any         `json:"properties"`
					ShortDescription struct{ Text string }  `json:"shortDescription"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]any `json:"originalUriBaseIds"`
		Results            []struct {
			RuleID    string         `json:"ruleId"`
			RuleIndex *int           `json:"ruleIndex"`
			Level     string         `json:"level"`
			Props     map[string]any `json:"properties"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					FullyQualifiedName string `json:"fullyQualifiedName"`
					Kind               string `json:"kind"`
				} `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			RelatedLocations    []struct {
				ID int `json:"id"`
			} `json:"relatedLocations"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFContent(t *testing.T) {
	var doc sarifDoc
	if err := json.Unmarshal(render(t, report.FormatSARIF, testReport(true), report.TextOptions{}), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	run := doc.Runs[0]
	if run.OriginalURIBaseIDs != nil {
		t.Error("originalUriBaseIds is machine-dependent and must be left out")
	}
	rules := run.Tool.Driver.Rules
	var ids []string
	for _, r := range rules {
		ids = append(ids, r.ID)
		if _, ok := r.Properties["security-severity"].(string); !ok {
			t.Errorf("%s: security-severity %v is not a string", r.ID, r.Properties["security-severity"])
		}
	}
	if diff := cmp.Diff([]string{"AZFUNC-009", "AZFUNC-030", "AZFUNC-040", "AZFUNC-041", "AZFUNC-050"}, ids); diff != "" {
		t.Errorf("every active check must be a rule, sorted (-want +got):\n%s", diff)
	}
	r040 := rules[2]
	if r040.Name != "HTTPSOnlyNotEnforced" || r040.DefaultConfig.Level != "error" || r040.Properties["security-severity"] != "7.5" ||
		!strings.HasPrefix(r040.HelpURI, "https://learn.microsoft.com/azure/app-service/") {
		t.Errorf("AZFUNC-040 rule = %+v", r040)
	}
	if got := rules[0].Properties["security-severity"]; got != "5.5" {
		t.Errorf("a check without a score gets its band's middle: got %v", got)
	}
	if tags := r040.Properties["tags"].([]any); tags[0] != "security" || len(tags) != 2 {
		t.Errorf("tags = %v, want security first and no duplicates", tags)
	}

	sawUndetermined, sawNoPos := false, false
	for _, res := range run.Results {
		if res.RuleIndex == nil || rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("%s: ruleIndex %v does not point at its rule", res.RuleID, res.RuleIndex)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("%s: %d locations", res.RuleID, len(res.Locations))
		}
		loc := res.Locations[0]
		reg := loc.PhysicalLocation.Region
		if reg == nil || reg.StartLine < 1 || reg.StartColumn < 1 {
			t.Errorf("%s: region %+v: startLine and startColumn must be ≥ 1", res.RuleID, reg)
		}
		if loc.PhysicalLocation.ArtifactLocation.URIBaseID != "%SRCROOT%" || strings.Contains(loc.PhysicalLocation.ArtifactLocation.URI, "\\") {
			t.Errorf("%s: artifact location %+v", res.RuleID, loc.PhysicalLocation.ArtifactLocation)
		}
		if len(loc.LogicalLocations) != 1 || loc.LogicalLocations[0].Kind != "resource" || loc.LogicalLocations[0].FullyQualifiedName == "" {
			t.Errorf("%s: logical locations %+v", res.RuleID, loc.LogicalLocations)
		}
		if res.PartialFingerprints["azfuncscan/v2"] == "" {
			t.Errorf("%s: no partial fingerprint", res.RuleID)
		}
		if res.Props["azfuncscan/status"] == "undetermined" {
			sawUndetermined = true
			if res.Level != "note" {
				t.Errorf("undetermined result has level %q, want note", res.Level)
			}
		}
		if loc.PhysicalLocation.ArtifactLocation.URI == "infra/generated%20file.tf" {
			sawNoPos = true
			if reg.StartLine != 1 || reg.StartColumn != 1 {
				t.Errorf("a finding without position must be blamed at 1:1, got %+v", reg)
			}
		}
		for i, rl := range res.RelatedLocations {
			if rl.ID != i+1 {
				t.Errorf("related location ids must be 1..n, got %d at %d", rl.ID, i)
			}
		}
	}
	if !sawUndetermined || !sawNoPos {
		t.Errorf("missing results: undetermined %v, positionless %v", sawUndetermined, sawNoPos)
	}
}

func TestNoZeroPositions(t *testing.T) {
	// Whatever the format, no line or column 0 reaches the output.
	for _, f := range []report.Format{report.FormatJSON, report.FormatSARIF} {
		var v any
		if err := json.Unmarshal(render(t, f, testReport(true), report.TextOptions{}), &v); err != nil {
			t.Fatal(err)
		}
		walk(v, "", func(path string, key string, val any) {
			switch key {
			case "startLine", "startColumn", "line", "column":
				if n, ok := val.(float64); ok && n < 1 {
					t.Errorf("%s: %s = %v at %s", f, key, n, path)
				}
			}
		})
	}
	txt := string(render(t, report.FormatText, testReport(true), report.TextOptions{}))
	if strings.Contains(txt, ":0:") {
		t.Errorf("text output has a zero line or column:\n%s", txt)
	}
}

func walk(v any, path string, fn func(path, key string, val any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			fn(path, k, x)
			walk(x, path+"."+k, fn)
		}
	case []any:
		for _, x := range v {
			walk(x, path+"[]", fn)
		}
	}
}

func TestSnippetsNeverShowSecrets(t *testing.T) {
	txt := string(render(t, report.FormatText, testReport(true), report.TextOptions{Snippets: true}))
	if strings.Contains(txt, "hunter2") {
		t.Errorf("a snippet printed a secret:\n%s", txt)
	}
	if !strings.Contains(txt, "https_only = false") {
		t.Errorf("snippets missing:\n%s", txt)
	}
}

func TestThresholdAndFailures(t *testing.T) {
	r := testReport(false)
	if got := r.Failures(); got != 6 {
		t.Errorf("failures at low = %d, want 6 (undetermined never count)", got)
	}
	r.Threshold = engine.High
	if got := r.Failures(); got != 4 {
		t.Errorf("failures at high = %d, want 4", got)
	}
	r.Threshold = engine.Critical
	// The threshold decides the exit status only: every finding is shown.
	if got, shown := r.Failures(), len(r.Shown()); got != 1 || shown != 6 {
		t.Errorf("at critical: failures %d, shown %d, want 1, 6", got, shown)
	}
	r.Findings = nil
	if r.Failures() != 0 {
		t.Error("no findings, no failures")
	}
}

func TestPaths(t *testing.T) {
	base := t.TempDir()
	inside := filepath.Join(base, "a b", "c:d.tf")
	outside := filepath.Join(filepath.Dir(base), "elsewhere", "x.tf")
	r := &report.Report{
		Checks: testChecks()[1:2],
		Findings: []engine.Finding{
			{CheckID: "AZFUNC-040", Severity: engine.High, Message: "in", Range: rng(filepath.ToSlash(inside), 2, 3, 0, 0), Fingerprint: "a"},
			{CheckID: "AZFUNC-040", Severity: engine.High, Message: "out", Range: rng(filepath.ToSlash(outside), 2, 3, 0, 0), Fingerprint: "b"},
		},
		BaseDir: base,
	}
	var doc sarifDoc
	if err := json.Unmarshal(render(t, report.FormatSARIF, r, report.TextOptions{}), &doc); err != nil {
		t.Fatal(err)
	}
	res := doc.Runs[0].Results
	if got := res[0].Locations[0].PhysicalLocation.ArtifactLocation; got.URI != "a%20b/c%3Ad.tf" || got.URIBaseID != "%SRCROOT%" {
		t.Errorf("inside base dir: %+v", got)
	}
	if got := res[1].Locations[0].PhysicalLocation.ArtifactLocation; !strings.HasPrefix(got.URI, "file:///") || got.URIBaseID != "" {
		t.Errorf("outside base dir: %+v", got)
	}
	txt := string(render(t, report.FormatText, r, report.TextOptions{}))
	if !strings.Contains(txt, "a b/c:d.tf:2:3: high AZFUNC-040 in") || !strings.Contains(txt, filepath.ToSlash(outside)+":2:3:") {
		t.Errorf("text paths:\n%s", txt)
	}
	if err := sariftest.Validate(render(t, report.FormatSARIF, r, report.TextOptions{})); err != nil {
		t.Error(err)
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"text", "JSON", " sarif "} {
		if _, err := report.ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	if _, err := report.ParseFormat("xml"); err == nil {
		t.Error("xml accepted")
	}
}

func TestWriteChecks(t *testing.T) {
	var txt, js bytes.Buffer
	if err := report.WriteChecks(&txt, testChecks(), report.FormatText); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteChecks(&js, testChecks(), report.FormatJSON); err != nil {
		t.Fatal(err)
	}
	golden(t, "checks.txt", txt.Bytes())
	golden(t, "checks.json", js.Bytes())
	if err := report.WriteChecks(&txt, nil, report.FormatSARIF); err == nil {
		t.Error("checks as sarif accepted")
	}
}

func TestWriteModelRedacts(t *testing.T) {
	a := &model.FunctionApp{Resource: model.Resource{Address: app, Type: "azurerm_linux_function_app", Range: rng("infra/main.tf", 5, 1, 21, 2)}}
	a.HTTPSOnly = model.Set(false, rng("infra/main.tf", 11, 2, 11, 20), app)
	a.AppSettings.Items = []*model.Setting{{Name: model.Set("DB_PASSWORD", rng("infra/main.tf", 14, 5, 14, 16), app), Value: model.Set(model.Sensitive("hunter2"), rng("infra/main.tf", 14, 19, 14, 28), app)}}
	var b bytes.Buffer
	if err := report.WriteModel(&b, []*model.Module{{Format: model.Terraform, Path: "infra", FunctionApps: []*model.FunctionApp{a}}, {Format: model.Terraform, Path: "empty"}}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "hunter2") || !strings.Contains(out, model.Redacted) {
		t.Errorf("model output leaks or misses redaction:\n%s", out)
	}
	golden(t, "model.json", b.Bytes())
}

// TestSARIFTrailsAndLinks: a finding's value trail is a code flow (one
// location per hop, origin first), its origin and related entries are
// related locations linked from the message, and its logical location is
// qualified by its root.
func TestSARIFTrailsAndLinks(t *testing.T) {
	type location struct {
		ID               int `json:"id"`
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
		Message struct{ Text string } `json:"message"`
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Message   struct{ Text string }
				Locations []struct {
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				RelatedLocations    []location        `json:"relatedLocations"`
				CodeFlows           []struct {
					ThreadFlows []struct {
						Locations []struct {
							Location location `json:"location"`
						} `json:"locations"`
					} `json:"threadFlows"`
				} `json:"codeFlows"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, report.FormatSARIF, testReport(false), report.TextOptions{}), &doc); err != nil {
		t.Fatal(err)
	}
	byPrint := map[string]int{}
	results := doc.Runs[0].Results
	for i, res := range results {
		byPrint[res.PartialFingerprints[report.FingerprintKey]] = i
	}

	cors := results[byPrint["fp-009"]]
	if got, want := cors.Locations[0].LogicalLocations[0].FullyQualifiedName, "infra//module.app.azurerm_windows_function_app.this"; got != want {
		t.Errorf("fullyQualifiedName = %q, want %q", got, want)
	}
	if got := results[byPrint["fp-009-prod"]].Locations[0].LogicalLocations[0].FullyQualifiedName; got != "infra/prod//module.app.azurerm_windows_function_app.this" {
		t.Errorf("the other root's fullyQualifiedName = %q", got)
	}
	wantMsg := `module.app.azurerm_windows_function_app.this allows CORS from any origin (allowed_origins\["*"\]). ([value set here](1), [module.app is called here](2))`
	if cors.Message.Text != wantMsg {
		t.Errorf("message = %q\nwant      %q", cors.Message.Text, wantMsg)
	}
	var rel []string
	for _, l := range cors.RelatedLocations {
		rel = append(rel, fmt.Sprintf("%d %s:%d %s", l.ID, l.PhysicalLocation.ArtifactLocation.URI, l.PhysicalLocation.Region.StartLine, l.Message.Text))
	}
	wantRel := []string{
		"1 infra/terraform.tfvars:2 value set here: var-file var.cors_origins",
		"2 infra/main.tf:1 module.app is called here",
	}
	if diff := cmp.Diff(wantRel, rel); diff != "" {
		t.Errorf("related locations (-want +got):\n%s", diff)
	}
	if len(cors.CodeFlows) != 1 || len(cors.CodeFlows[0].ThreadFlows) != 1 {
		t.Fatalf("code flows: %+v, want one with one thread flow", cors.CodeFlows)
	}
	var flow []string
	for _, l := range cors.CodeFlows[0].ThreadFlows[0].Locations {
		flow = append(flow, fmt.Sprintf("%s:%d %s", l.Location.PhysicalLocation.ArtifactLocation.URI, l.Location.PhysicalLocation.Region.StartLine, l.Location.Message.Text))
	}
	wantFlow := []string{
		"infra/terraform.tfvars:2 var-file var.cors_origins",
		"infra/variables.tf:7 variable var.cors_origins",
		"infra/main.tf:4 module-argument module.app.cors_origins",
		"infra/modules/app/variables.tf:1 variable var.cors_origins",
		`infra/modules/app/main.tf:5 attribute site_config.cors.allowed_origins["*"]`,
	}
	if diff := cmp.Diff(wantFlow, flow); diff != "" {
		t.Errorf("thread flow (-want +got):\n%s", diff)
	}

	// Written at the attribute itself: no flow, no "value set here", no
	// link, brackets left alone.
	https := results[byPrint["fp-040"]]
	if len(https.CodeFlows) != 0 || len(https.RelatedLocations) != 0 || strings.ContainsAny(https.Message.Text, "[]") {
		t.Errorf("a value written at the finding: %+v", https)
	}
	// Every link in every message names a related location.
	link := regexp.MustCompile(`\]\((\d+)\)`)
	for _, res := range results {
		ids := map[string]bool{}
		for _, l := range res.RelatedLocations {
			ids[strconv.Itoa(l.ID)] = true
		}
		links := link.FindAllStringSubmatch(res.Message.Text, -1)
		if len(links) != len(res.RelatedLocations) {
			t.Errorf("%s: %d links for %d related locations: %s", res.RuleID, len(links), len(res.RelatedLocations), res.Message.Text)
		}
		for _, m := range links {
			if !ids[m[1]] {
				t.Errorf("%s: link to %s, no such related location", res.RuleID, m[1])
			}
		}
	}
}

// TestTextTrails: the text report says where a value came from and, only
// for a file evaluated from several roots, which root a finding is from.
func TestTextTrails(t *testing.T) {
	r := testReport(false)
	txt := string(render(t, report.FormatText, r, report.TextOptions{}))
	for _, want := range []string{
		"    value from: infra/terraform.tfvars:2:16: var-file var.cors_origins\n" +
			"    via: infra/variables.tf:7:1: variable var.cors_origins\n" +
			"    via: infra/main.tf:4:3: module-argument module.app.cors_origins\n" +
			"    via: infra/modules/app/variables.tf:1:1: variable var.cors_origins\n" +
			"    related: infra/main.tf:1:1: module.app is called here\n",
		"[infra//module.app.azurerm_windows_function_app.this]",
		"[infra/prod//module.app.azurerm_windows_function_app.this]",
		"accepts TLS 1.0. [azurerm_linux_function_app.api]\n    value from: infra/variables.tf:3:13: variable var.min_tls\n",
		"does not enforce HTTPS. [azurerm_linux_function_app.api]\ninfra/main.tf:14:5",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("text report lacks %q:\n%s", want, txt)
		}
	}
	// With one root per file, addresses stay bare.
	r.Findings = slices.DeleteFunc(r.Findings, func(f engine.Finding) bool { return f.Root == "infra/prod" })
	txt = string(render(t, report.FormatText, r, report.TextOptions{}))
	if strings.Contains(txt, "//") {
		t.Errorf("root-qualified address with one root per file:\n%s", txt)
	}
}

// TestOriginWithoutFile: a trail whose origin names no file gives no
// "value from" line and no "value set here" location to link to.
func TestOriginWithoutFile(t *testing.T) {
	r := testReport(false)
	at := rng("infra/main.tf", 11, 2, 11, 20)
	r.Findings = []engine.Finding{{
		CheckID: "AZFUNC-040", Severity: engine.High, Message: "m", Range: at, Resource: app, Path: "https_only",
		Root: "infra", Fingerprint: "fp",
		Trail: []model.Hop{{Kind: model.HopVariable, Name: "var.https_only"}, {Kind: model.HopAttribute, Range: at}},
	}}
	if txt := string(render(t, report.FormatText, r, report.TextOptions{})); strings.Contains(txt, "value from") {
		t.Errorf("value from without a place:\n%s", txt)
	}
	sarifOut := string(render(t, report.FormatSARIF, r, report.TextOptions{}))
	if strings.Contains(sarifOut, "relatedLocations") || strings.Contains(sarifOut, "](1)") {
		t.Errorf("a related location without a place:\n%s", sarifOut)
	}
	if !strings.Contains(sarifOut, `"codeFlows"`) {
		t.Errorf("the trail is still a code flow:\n%s", sarifOut)
	}
}

// TestChecksMarkdownShowsFixes: the index table's Autofix column names the
// formats `azfuncscan fix` edits or "hint", and each section says what the
// fix sets or what a person has to decide.
func TestChecksMarkdownShowsFixes(t *testing.T) {
	cs := []*engine.Check{
		{
			ID: "AZFUNC-040", Title: "HTTPS-only not enforced", Severity: engine.High, SecuritySeverity: 7.5,
			Formats: []model.Format{model.Terraform, model.ARM}, EnabledByDefault: true,
			Fix: map[model.Format]engine.FixSpec{
				model.ARM:       {FixSetting: engine.FixSetting{Path: "properties.httpsOnly", Value: true}},
				model.Terraform: {FixSetting: engine.FixSetting{Path: "https_only", Value: true, Types: []string{"azurerm_linux_function_app"}}},
			},
		},
		{
			ID: "AZFUNC-007", Title: "No private endpoint", Severity: engine.Medium, SecuritySeverity: 5.0,
			Formats: []model.Format{model.Terraform}, EnabledByDefault: true,
			FixHint: "Choose a subnet.",
		},
		{
			ID: "AZFUNC-009", Title: "CORS", Severity: engine.Medium, SecuritySeverity: 5.0,
			Formats: []model.Format{model.Terraform}, EnabledByDefault: true,
		},
	}
	var b bytes.Buffer
	if err := report.WriteChecksMarkdown(&b, cs); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| Autofix |",
		"| Terraform, ARM / Bicep |\n",
		"| No private endpoint | medium (5.0) | Terraform | on | – | hint |\n",
		"**Automatic fix (Terraform)**: `azfuncscan fix` sets `https_only` to `true` (on azurerm_linux_function_app)",
		"**Automatic fix (ARM / Bicep)**: `azfuncscan fix` sets `properties.httpsOnly` to `true`",
		"**Needs a decision**: Choose a subnet.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^\| \[AZFUNC-009\].*\| – \|$`).MatchString(out) {
		t.Errorf("AZFUNC-009 (no fix, no hint) not marked -:\n%s", out)
	}
}
