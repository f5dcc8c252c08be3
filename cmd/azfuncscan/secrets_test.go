package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// pulumiSecretSig is the key (and pulumiSecretValue its value) that marks
// a Pulumi secret envelope in a stack export.
const (
	pulumiSecretSig   = "4dabf18193072939515e22adb298388d"
	pulumiSecretValue = "1b47061264138c4ac30d75fd1eb44270"
)

// secretNameRe matches setting, variable and parameter names that look
// secret (the catalog's "Secret detection for AZFUNC-030").
var secretNameRe = regexp.MustCompile(`(?i)key|secret|password|passwd|token|connectionstring|sas|accountkey`)

// settingNameRe matches names whose value names the setting holding the
// secret (Easy Auth client_secret_setting_name, clientSecretSettingName)
// rather than the secret.
var settingNameRe = regexp.MustCompile(`(?i)setting_?name$`)

// secretName reports whether a name says its value is a secret.
func secretName(name string) bool {
	return secretNameRe.MatchString(name) && !settingNameRe.MatchString(name)
}

// credentialShapeRe matches values that carry a credential whatever their
// name.
var credentialShapeRe = regexp.MustCompile(`(?i)accountkey=|sharedaccesskey=|sharedaccesssignature=|[?&;]sig=|password=|-----BEGIN [A-Z ]*PRIVATE KEY-----`)

// plantedSecret reports whether v, the value of a secret-looking name (or
// a value with a credential shape when shaped is set), is a secret written
// into the fixture, as opposed to a Key Vault reference, an expression that
// is resolved at deployment, an identifier or a flag.
func plantedSecret(v string, shaped bool) bool {
	v = strings.TrimSpace(v)
	switch {
	case len(v) < 8,
		strings.HasPrefix(v, "@Microsoft.KeyVault("),
		strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]"), // ARM expression
		strings.Contains(v, "${"),                              // HCL template
		strings.HasPrefix(v, "/subscriptions/"),                // a resource id
		v == "true" || v == "false",
		slices.Contains([]string{"keyvault", "managedidentity", "disabled"}, strings.ToLower(v)): // mode words
		return false
	}
	if shaped {
		return true
	}
	return !strings.HasPrefix(v, "https://") || credentialShapeRe.MatchString(v)
}

// hclAssignRe matches `name = "literal"` (also `"name" = "literal"`) on one
// line of HCL; hclVariableRe opens a variable block.
var (
	hclAssignRe   = regexp.MustCompile(`^\s*"?([A-Za-z0-9_.-]+)"?\s*=\s*"((?:[^"\\]|\\.)*)"`)
	hclVariableRe = regexp.MustCompile(`^\s*variable\s+"([^"]+)"`)
	hclStringRe   = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
)

// hclSecrets returns the secrets planted in HCL text: literals assigned to
// a secret-looking name (app settings, tfvars), defaults of variables with
// a secret-looking name, and any string literal with a credential shape.
func hclSecrets(text string) []string {
	var out []string
	variable := ""
	for _, line := range strings.Split(text, "\n") {
		if m := hclVariableRe.FindStringSubmatch(line); m != nil {
			variable = m[1]
		}
		if m := hclAssignRe.FindStringSubmatch(line); m != nil {
			name := m[1]
			if name == "default" {
				name = variable
			}
			if secretName(name) && plantedSecret(m[2], false) {
				out = append(out, m[2])
			}
		}
		for _, m := range hclStringRe.FindAllStringSubmatch(line, -1) {
			if credentialShapeRe.MatchString(m[1]) && plantedSecret(m[1], true) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

// jsonSecrets returns the secrets planted in a JSON document of any format
// (ARM template or parameter file, Terraform plan or .tf.json, Pulumi stack
// export): values of secret-looking names in name/value pairs and in
// settings maps, defaults of secret-looking ARM parameters, strings with a
// credential shape, and both sides of every Pulumi secret envelope (the
// ciphertext and the plaintext, raw and decoded).
func jsonSecrets(v any) []string {
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if v[pulumiSecretSig] == pulumiSecretValue {
				if s, ok := v["ciphertext"].(string); ok && s != "" {
					out = append(out, s)
				}
				if s, ok := v["plaintext"].(string); ok && s != "" {
					var dec string
					if json.Unmarshal([]byte(s), &dec) == nil {
						if plantedSecret(dec, true) {
							out = append(out, dec)
						}
					} else if plantedSecret(s, true) {
						out = append(out, s)
					}
				}
				return
			}
			if name, ok := v["name"].(string); ok && secretName(name) {
				if s, ok := v["value"].(string); ok && plantedSecret(s, false) {
					out = append(out, s)
				}
			}
			if secretName(key) {
				if s, ok := v["defaultValue"].(string); ok && plantedSecret(s, false) {
					out = append(out, s)
				}
			}
			settings := map[string]bool{"appSettings": true, "app_settings": true, "properties": true, "appsettings": true}[key]
			for k, c := range v {
				if s, ok := c.(string); ok && settings && secretName(k) && plantedSecret(s, false) {
					out = append(out, s)
				}
				walk(k, c)
			}
		case []any:
			for _, c := range v {
				walk(key, c)
			}
		case string:
			if credentialShapeRe.MatchString(v) && plantedSecret(v, true) {
				out = append(out, v)
			}
		}
	}
	walk("", v)
	return out
}

// fixtureSecrets reads every fixture below root and returns the secrets
// planted in them, sorted and without duplicates, so that the list follows
// the fixtures instead of drifting from them.
func fixtureSecrets(t *testing.T, root string) []string {
	t.Helper()
	set := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		var found []string
		switch {
		case strings.HasSuffix(name, ".tf"), strings.HasSuffix(name, ".tfvars"), strings.HasSuffix(name, ".bicep"):
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			found = hclSecrets(string(b))
		case strings.HasSuffix(name, ".json"), strings.HasSuffix(name, ".jsonc"):
			if name == "expect.json" {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var v any
			if json.Unmarshal(b, &v) != nil {
				// Broken fixtures: fall back to the string literals.
				for _, m := range hclStringRe.FindAllStringSubmatch(string(b), -1) {
					if credentialShapeRe.MatchString(m[1]) && plantedSecret(m[1], true) {
						found = append(found, m[1])
					}
				}
				break
			}
			found = jsonSecrets(v)
		}
		for _, s := range found {
			set[s] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// TestNoSecretInAnyOutput plants nothing itself: it collects every secret
// value written into the fixtures of every format under testdata and
// requires that none of them appears in any output of a scan over all of
// them (text, json, sarif, with and without undetermined outcomes) or of
// the model command. The value of a finding of AZFUNC-030 must never be
// printed.
func TestNoSecretInAnyOutput(t *testing.T) {
	skipWholeCorpusInShort(t)
	root := filepath.Join("..", "..", "testdata")
	secrets := fixtureSecrets(t, root)
	if len(secrets) < 10 {
		t.Fatalf("found %d secrets in the fixtures below %s, want at least 10: the extraction is broken", len(secrets), root)
	}
	t.Logf("%d secrets planted in the fixtures", len(secrets))
	for _, format := range []string{"terraform", "terraform-plan", "arm", "pulumi"} {
		if n := len(fixtureSecrets(t, filepath.Join(root, format))); n == 0 {
			t.Errorf("no secret found in the %s fixtures: the extraction does not read them", format)
		}
	}
	runs := [][]string{
		{"scan", "--format", "text", root},
		{"scan", "--format", "json", root},
		{"scan", "--format", "sarif", root},
		{"scan", "--format", "text", "--show-undetermined", root},
		{"scan", "--format", "json", "--show-undetermined", root},
		{"scan", "--format", "sarif", "--show-undetermined", root},
		{"model", root},
	}
	for _, args := range runs {
		code, stdout, stderr := cli(t, args...)
		if code != exitOK && code != exitFindings {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
			continue
		}
		if len(stdout) == 0 {
			t.Errorf("%v: no output", args)
		}
		if args[0] == "scan" && args[2] == "json" {
			requireSecretFindings(t, stdout)
		}
		out := stdout + stderr
		for _, s := range secrets {
			// JSON output escapes some characters: look for both forms.
			esc, _ := json.Marshal(s)
			if strings.Contains(out, s) || strings.Contains(out, string(esc[1:len(esc)-1])) {
				t.Errorf("%v: the output contains the secret %q", args, s)
			}
		}
	}
}

// requireSecretFindings fails unless the JSON report holds an AZFUNC-030
// finding in the fixtures of every format, so that the secrets were
// analysed (and could have leaked), not skipped.
func requireSecretFindings(t *testing.T, report string) {
	t.Helper()
	var rep struct {
		Findings []struct {
			CheckID string `json:"check_id"`
			File    string `json:"file"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(report), &rep); err != nil {
		t.Errorf("scan JSON: %v", err)
		return
	}
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if f.CheckID != "AZFUNC-030" {
			continue
		}
		for _, format := range []string{"terraform", "terraform-plan", "arm", "pulumi"} {
			if strings.Contains("/"+filepath.ToSlash(f.File), "/"+format+"/") {
				seen[format] = true
			}
		}
	}
	for _, format := range []string{"terraform", "terraform-plan", "arm", "pulumi"} {
		if !seen[format] {
			t.Errorf("no AZFUNC-030 finding in the %s fixtures: their secrets were not analysed", format)
		}
	}
}
