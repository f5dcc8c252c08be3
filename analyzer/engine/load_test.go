package engine_test

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/azfuncscan/azfuncscan/analyzer/engine"
)

// validCheck is a complete check file; tests break one line of it.
const validCheck = `id: TEST-040
title: HTTPS-only not enforced
severity: high
security_severity: 7.5
formats: [terraform, arm]
description: |
  Plain HTTP is accepted.
remediation:
  terraform: set https_only = true
  arm: set httpsOnly to true
references:
  - title: guide
    url: https://learn.microsoft.com/
fail: "!app.https_only"
blame: app.https_only
message: "Function app {{name}} does not enforce HTTPS-only"
`

func load(t *testing.T, files map[string]string) ([]*engine.Check, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return engine.Load(fsys, "checks")
}

func TestLoadValid(t *testing.T) {
	cs, err := load(t, map[string]string{"TEST-040.yaml": validCheck, "README.md": "not a check"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("loaded %d checks, want 1", len(cs))
	}
	c := cs[0]
	if c.MCSB != nil {
		t.Errorf("a check without mcsb maps to %v", c.MCSB)
	}
	if c.ID != "TEST-040" || c.Severity != engine.High || c.SecuritySeverity != 7.5 || !c.EnabledByDefault ||
		c.Source != "checks/TEST-040.yaml" || len(c.Formats) != 2 || c.Remediation["arm"] == "" || len(c.References) != 1 {
		t.Errorf("loaded check = %+v", c)
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name string
		// replace old with new in validCheck
		old, new string
		want     string
	}{
		{"bad yaml", "title: HTTPS-only not enforced", "title: [unclosed", "checks/x.yaml:3: ',' or ']' must be specified"},
		{"unknown key", "blame: app.https_only", "blame: app.https_only\nblam: x", `checks/x.yaml:16: unknown field "blam"`},
		{"duplicate key", "blame: app.https_only", "blame: app.https_only\nblame: app", "checks/x.yaml:16: "},
		{"bad CEL", `fail: "!app.https_only"`, `fail: "!app.https_only &&"`, "checks/x.yaml:14: fail: Syntax error"},
		{"typo field", `fail: "!app.https_only"`, `fail: "!app.htps_only"`, "checks/x.yaml:14: fail: undeclared reference to 'htps_only' in app (did you mean 'https_only'?)"},
		{"typo nested field", `fail: "!app.https_only"`, "fail: |\n  app.https_only ||\n    app.site_config.min_tls_vrsion == \"1.0\"", "checks/x.yaml:16: fail: undeclared reference to 'min_tls_vrsion' in app.site_config"},
		{"typo in comprehension", `fail: "!app.https_only"`, `fail: app.app_settings.exists(s, s.nme == "X")`, "checks/x.yaml:14: fail: undeclared reference to 'nme' in s (did you mean 'name'?)"},
		{"field of a scalar", `fail: "!app.https_only"`, `fail: app.https_only.value`, "checks/x.yaml:14: fail: app.https_only is a bool; it has no field 'value'"},
		{"undeclared variable", `fail: "!app.https_only"`, `fail: "!item.https_only"`, "checks/x.yaml:14: fail: undeclared reference to 'item'"},
		{"not a bool", `fail: "!app.https_only"`, `fail: app.name`, "checks/x.yaml:14: fail: must be a bool expression, not string"},
		{"string compared with a number", `fail: "!app.https_only"`, `fail: app.site_config.min_tls_version < 1.2`, "checks/x.yaml:14: fail: found no matching overload for '_<_' applied to '(string, double)'"},
		{"bool compared with a string", `fail: "!app.https_only"`, `fail: app.https_only == "false"`, "checks/x.yaml:14: fail: found no matching overload for '_==_' applied to '(bool, string)'"},
		{"mismatch on a later line", `fail: "!app.https_only"`, "fail: |\n  !app.https_only ||\n    app.storage_account.https_traffic_only == \"no\"", "checks/x.yaml:16: fail: found no matching overload for '_==_' applied to '(bool, string)'"},
		{"int compared with a string", `fail: "!app.https_only"`, `fail: app.daily_memory_time_quota == "1"`, "checks/x.yaml:14: fail: found no matching overload for '_==_' applied to '(int, string)'"},
		{"list element mismatch", `fail: "!app.https_only"`, `fail: app.app_settings.exists(s, s.value == 1)`, "checks/x.yaml:14: fail: found no matching overload for '_==_' applied to '(string, int)'"},
		{"item mismatch", `fail: "!app.https_only"`, "fail: item.name == true\neach: app.app_settings", "checks/x.yaml:14: fail: found no matching overload for '_==_' applied to '(string, bool)'"},
		{"function argument mismatch", `fail: "!app.https_only"`, `fail: is_keyvault_ref(app.https_only)`, "checks/x.yaml:14: fail: found no matching overload for 'is_keyvault_ref' applied to '(bool)'"},
		{"bool used as a number", `fail: "!app.https_only"`, `fail: app.https_only > 0`, "checks/x.yaml:14: fail: found no matching overload for '_>_' applied to '(bool, int)'"},
		{"band mismatch", "security_severity: 7.5", "security_severity: 9.5", "checks/x.yaml:4: security_severity: 9.5 is outside the high band 7.0–8.9"},
		{"bad severity", "severity: high", "severity: severe", "checks/x.yaml:3: severity: unknown severity"},
		{"bad id", "id: TEST-040", "id: test-40", "checks/x.yaml:1: id: \"test-40\" is not a check id"},
		{"mcsb not a control", "formats: [terraform, arm]", "formats: [terraform, arm]\nmcsb: [DP-3, dp3]", "checks/x.yaml:6: mcsb: \"dp3\" is not an MCSB control id"},
		{"mcsb unknown domain", "formats: [terraform, arm]", "formats: [terraform, arm]\nmcsb:\n  - NS-1\n  - XX-2", "checks/x.yaml:8: mcsb: \"XX-2\": unknown MCSB domain XX"},
		{"mcsb twice", "formats: [terraform, arm]", "formats: [terraform, arm]\nmcsb: [DP-3, DP-3]", "mcsb: DP-3 listed twice"},
		{"mcsb not a list", "formats: [terraform, arm]", "formats: [terraform, arm]\nmcsb: {DP: 3}", "checks/x.yaml:6"},
		{"unknown format", "formats: [terraform, arm]", "formats: [terraform, bicep]", "checks/x.yaml:5: formats: unknown format \"bicep\""},
		{"remediation for another format", "  arm: set httpsOnly to true", "  arm: set httpsOnly to true\n  pulumi: x", "checks/x.yaml:11: remediation.pulumi: remediation for \"pulumi\""},
		{"blame typo", "blame: app.https_only", "blame: app.https_onlyy", "checks/x.yaml:15: blame: app.https_onlyy: no field \"https_onlyy\" in app (did you mean 'https_only'?)"},
		{"blame item without each", "blame: app.https_only", "blame: item.value", "checks/x.yaml:15: blame: item.value: item is only defined in a check with each"},
		{"each not a list", "blame: app.https_only", "blame: item\neach: app.site_config", "checks/x.yaml:16: each: app.site_config is an object, not a list"},
		{"sensitive placeholder", `message: "Function app {{name}} does not enforce HTTPS-only"`, "message: \"leaks {{item.value}}\"\neach: app.app_settings", "checks/x.yaml:16: message: {{item.value}} is sensitive"},
		{"unknown placeholder", `message: "Function app {{name}} does not enforce HTTPS-only"`, `message: "{{nme}}"`, "checks/x.yaml:16: message: unknown placeholder {{nme}}"},
		{"missing fail", `fail: "!app.https_only"`, "", "checks/x.yaml: fail: required"},
		{"lower severity not lower", "blame: app.https_only", "blame: app.https_only\nlower_severity:\n  to: critical\n  when: app.is_slot\n  reason: slots matter less", "checks/x.yaml:17: lower_severity.to: critical is not below the check's severity high"},
		{"lower severity typo", "blame: app.https_only", "blame: app.https_only\nlower_severity:\n  to: low\n  when: app.is_slott\n  reason: slots matter less", "checks/x.yaml:18: lower_severity.when: undeclared reference to 'is_slott' in app (did you mean 'is_slot'?)"},
		{"lower severity without reason", "blame: app.https_only", "blame: app.https_only\nlower_severity:\n  to: low\n  when: app.is_slot", "lower_severity.reason: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(validCheck, tt.old, tt.new, 1)
			if text == validCheck {
				t.Fatalf("replacement %q not found", tt.old)
			}
			_, err := load(t, map[string]string{"x.yaml": text})
			if err == nil {
				t.Fatalf("no error; want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
			var le *engine.LoadError
			if !errors.As(err, &le) || le.File != "checks/x.yaml" {
				t.Errorf("error is not a *LoadError for the file: %#v", err)
			}
		})
	}
}

func TestLoadMCSB(t *testing.T) {
	text := strings.Replace(validCheck, "formats: [terraform, arm]", "formats: [terraform, arm]\nmcsb: [PA-7, NS-2]", 1)
	cs, err := load(t, map[string]string{"x.yaml": text})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cs[0].MCSB, ","); got != "PA-7,NS-2" {
		t.Errorf("mcsb = %s, want PA-7,NS-2 in file order", got)
	}
}

func TestLoadDuplicateID(t *testing.T) {
	_, err := load(t, map[string]string{"a.yaml": validCheck, "b.yaml": validCheck})
	if err == nil || !strings.Contains(err.Error(), "checks/b.yaml:1: id: duplicate id TEST-040 (also in checks/a.yaml)") {
		t.Errorf("error = %v", err)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	text := strings.Replace(validCheck, "security_severity: 7.5", "security_severity: 1.0", 1)
	text = strings.Replace(text, `fail: "!app.https_only"`, `fail: "!app.htps_only"`, 1)
	_, err := load(t, map[string]string{"x.yaml": text, "y.yaml": "id: [\n"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"checks/x.yaml:4: security_severity", "checks/x.yaml:14: fail", "checks/y.yaml:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestLoadFix: a fix is type-checked at load: a format the check has, not
// pulumi, a path without empty parts, a scalar value.
func TestLoadFix(t *testing.T) {
	good := validCheck + "fix:\n  terraform: {path: https_only, value: true}\n  arm: {path: properties.httpsOnly, value: true}\n"
	cs, err := load(t, map[string]string{"TEST-040.yaml": good})
	if err != nil {
		t.Fatal(err)
	}
	if f := cs[0].Fix["terraform"]; f.Path != "https_only" || f.Value != true {
		t.Errorf("fix = %+v", cs[0].Fix)
	}
	// The list form: settings, each from its own value (the blame when
	// none is named); the same path for disjoint types is fine.
	list := validCheck + `fix:
  terraform:
    settings:
      - {path: https_only, value: true}
      - {path: x, value: "1.2", from: app.site_config.min_tls_version, types: [a]}
      - {path: x, value: "1.2", from: app.site_config.min_tls_version, types: [b]}
    caution: "  check the callers  "
`
	cs, err = load(t, map[string]string{"TEST-040.yaml": list})
	if err != nil {
		t.Fatal(err)
	}
	if f := cs[0].Fix["terraform"]; len(f.List()) != 3 || f.List()[1].From != "app.site_config.min_tls_version" || f.Caution != "check the callers" {
		t.Errorf("fix = %+v", f)
	}
	for _, tc := range []struct{ fix, want string }{
		{"fix:\n  pulumi: {path: httpsOnly, value: true}\n", "fix.pulumi"},
		{"fix:\n  terraform: {path: site_config..x, value: true}\n", "fix.terraform.path"},
		{"fix:\n  terraform: {path: https_only, value: [1]}\n", "fix.terraform.value"},
		{"fix:\n  terraform: {path: https_only}\n", "fix.terraform.value"},
		// settings: each like the single form, from a path of one value
		{"fix:\n  terraform:\n    settings:\n      - {path: https_only}\n", "fix.terraform.settings[0].value"},
		{"fix:\n  terraform:\n    settings:\n      - {path: https_only, value: true}\n      - {path: '', value: true, from: app.http2_enabled}\n", "fix.terraform.settings[1].path"},
		{"fix:\n  terraform:\n    settings:\n      - {path: https_only, value: true}\n      - {path: x, value: true, from: app.htps_only}\n", "fix.terraform.settings[1].from: app.htps_only"},
		{"fix:\n  terraform:\n    settings:\n      - {path: https_only, value: true}\n      - {path: x, value: true, from: app.site_config}\n", "not a single value"},
		{"fix:\n  terraform:\n    settings:\n      - {path: https_only, value: true}\n      - {path: https_only, value: false, from: app.http2_enabled}\n", "https_only is set twice"},
		{"fix:\n  terraform:\n    path: https_only\n    value: true\n    settings:\n      - {path: x, value: true}\n", "either one setting"},
		{"fix:\n  terraform:\n    settings:\n      - {path: https_only, value: true, form: app.https_only}\n", "form"},
	} {
		_, err := load(t, map[string]string{"TEST-040.yaml": validCheck + tc.fix})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one naming %s", tc.fix, err, tc.want)
		}
	}
}

// TestLoadCached: a check file whose contents are those a cache was made
// from is taken from the cache (the cache's title shows it was read);
// a file changed since, a cache that is not one and no cache at all give
// what decoding the YAML gives. A fix whose value JSON would not give
// back as decoded (a number) is left out of the cache.
func TestLoadCached(t *testing.T) {
	fsys := fstest.MapFS{"TEST-040.yaml": {Data: []byte(validCheck)}}
	cache, err := engine.EncodeDecoded(fsys)
	if err != nil {
		t.Fatal(err)
	}
	title := func(cache []byte, fsys fstest.MapFS) string {
		t.Helper()
		cs, err := engine.LoadCached(fsys, "", cache)
		if err != nil || len(cs) != 1 {
			t.Fatalf("LoadCached: %v, %d checks", err, len(cs))
		}
		return cs[0].Title
	}
	const yamlTitle = "HTTPS-only not enforced"
	marked := []byte(strings.Replace(string(cache), yamlTitle, "from the cache", 1))
	if got := title(marked, fsys); got != "from the cache" {
		t.Errorf("a file as cached: title %q, want the cache's", got)
	}
	changed := fstest.MapFS{"TEST-040.yaml": {Data: []byte(strings.Replace(validCheck, yamlTitle, "changed since", 1))}}
	if got := title(marked, changed); got != "changed since" {
		t.Errorf("a file changed since the cache: title %q, want the file's", got)
	}
	// Its type-checked expressions unreadable: the file is still taken
	// from the cache, its expressions compiled from source.
	junkChecked := regexp.MustCompile(`("fail":)"[^"]*"`).ReplaceAll(marked, []byte(`$1"//8="`))
	if bytes.Equal(junkChecked, marked) {
		t.Fatal("the cache has no type-checked fail expression")
	}
	if got := title(junkChecked, fsys); got != "from the cache" {
		t.Errorf("a cache whose checked expression does not read: title %q, want the cache's", got)
	}
	// One line per file: a line whose head is not a name and a digest, or
	// whose JSON does not decode, leaves its file to the YAML.
	sum := regexp.MustCompile(`"sha256":"([0-9a-f]{64})"`).FindSubmatch(cache)
	if sum == nil {
		t.Fatal("the cache line has no digest")
	}
	for _, c := range [][]byte{nil, []byte("not json"), []byte(`[{"name":"TEST-040.yaml","sha256":"zz"}]`),
		cache[:len(cache)/2], []byte(`{"name":"TEST-040.yaml"}`), []byte(`[{"name":1,"sha256":"00","file":{},"positions":{}}]`),
		[]byte(`{"name":"TEST-040.yaml","sha256":"` + string(sum[1]) + `","file":{"Title":1}}` + "\n"),
		[]byte(` ` + string(marked)), []byte(`{"sha256":"` + string(sum[1]) + `","name":"TEST-040.yaml"}` + "\n")} {
		if got := title(c, fsys); got != yamlTitle {
			t.Errorf("cache %q: title %q, want the file's", c, got)
		}
	}

	numeric := strings.Replace(validCheck, `message:`, "fix:\n  terraform: {path: x, value: 30}\nmessage:", 1)
	cache, err = engine.EncodeDecoded(fstest.MapFS{"TEST-040.yaml": {Data: []byte(numeric)}, "TEST-041.yaml": {Data: []byte(strings.Replace(validCheck, "TEST-040", "TEST-041", 1))}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(cache), "TEST-040") || !strings.Contains(string(cache), "TEST-041") {
		t.Errorf("cache with a numeric fix value:\n%s", cache)
	}
}
