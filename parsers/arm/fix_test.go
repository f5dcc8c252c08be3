package arm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// edit is an edit whose target is the first occurrence of at in src.
func editAt(t *testing.T, src string, kind model.EditKind, at, path string, v any) model.Edit {
	t.Helper()
	i := strings.Index(strings.TrimPrefix(src, "\xef\xbb\xbf"), at)
	if i < 0 {
		t.Fatalf("%q not in the source", at)
	}
	e := model.Edit{Kind: kind, Range: model.Range{Filename: "t.json", Start: model.Pos{Line: 1, Column: 1, Byte: i}}, Value: v}
	if path != "" {
		e.Path = strings.Split(path, ".")
	}
	return e
}

type fixCase struct {
	name  string
	src   string
	edits func(t *testing.T, src string) []model.Edit
	want  string
}

func addAt(at, path string, v any) func(t *testing.T, src string) []model.Edit {
	return func(t *testing.T, src string) []model.Edit {
		return []model.Edit{editAt(t, src, model.EditAdd, at, path, v)}
	}
}

func TestApplyEditsStyles(t *testing.T) {
	cases := []fixCase{
		{
			name: "two spaces, intermediate objects created",
			src: `{
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "properties": {
        "httpsOnly": true
      }
    }
  ]
}
`,
			edits: addAt(`{
      "type"`, "properties.siteConfig.minTlsVersion", "1.2"),
			want: `{
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "properties": {
        "httpsOnly": true,
        "siteConfig": {
          "minTlsVersion": "1.2"
        }
      }
    }
  ]
}
`,
		},
		{
			name: "four spaces, properties absent",
			src: `{
    "resources": [
        {
            "type": "Microsoft.Web/sites",
            "name": "app"
        }
    ]
}`,
			edits: addAt(`{
            "type"`, "properties.httpsOnly", true),
			want: `{
    "resources": [
        {
            "type": "Microsoft.Web/sites",
            "name": "app",
            "properties": {
                "httpsOnly": true
            }
        }
    ]
}`,
		},
		{
			name:  "tabs",
			src:   "{\n\t\"resources\": [\n\t\t{\n\t\t\t\"type\": \"Microsoft.Web/sites\",\n\t\t\t\"properties\": {}\n\t\t}\n\t]\n}\n",
			edits: addAt("{\n\t\t\t\"type\"", "properties.siteConfig.ftpsState", "Disabled"),
			want:  "{\n\t\"resources\": [\n\t\t{\n\t\t\t\"type\": \"Microsoft.Web/sites\",\n\t\t\t\"properties\": {\n\t\t\t\t\"siteConfig\": {\n\t\t\t\t\t\"ftpsState\": \"Disabled\"\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t]\n}\n",
		},
		{
			name:  "minified",
			src:   `{"resources":[{"type":"Microsoft.Web/sites","properties":{"httpsOnly":false}}]}`,
			edits: addAt(`{"type"`, "properties.siteConfig.minTlsVersion", "1.2"),
			want:  `{"resources":[{"type":"Microsoft.Web/sites","properties":{"httpsOnly":false,"siteConfig":{"minTlsVersion":"1.2"}}}]}`,
		},
		{
			name:  "multi-line string before the target",
			src:   "{\"variables\": {\"script\": \"echo a\n\techo b\"}, \"resources\": [{\"type\": \"Microsoft.Web/sites\", \"properties\": {}}]}",
			edits: addAt(`{"type"`, "properties.httpsOnly", true),
			want:  "{\"variables\": {\"script\": \"echo a\n\techo b\"}, \"resources\": [{\"type\": \"Microsoft.Web/sites\", \"properties\": {\n\t\t\"httpsOnly\": true\n\t}}]}",
		},
		{
			name:  "minified, empty object",
			src:   `{"resources":[{"type":"Microsoft.Web/sites","properties":{}}]}`,
			edits: addAt(`{"type"`, "properties.httpsOnly", true),
			want:  `{"resources":[{"type":"Microsoft.Web/sites","properties":{"httpsOnly":true}}]}`,
		},
		{
			name:  "one-line object in an indented file",
			src:   "{\n  \"resources\": [\n    { \"type\": \"Microsoft.Web/sites\", \"properties\": { \"httpsOnly\": true } }\n  ]\n}\n",
			edits: addAt(`{ "type"`, "properties.clientCertEnabled", true),
			want:  "{\n  \"resources\": [\n    { \"type\": \"Microsoft.Web/sites\", \"properties\": { \"httpsOnly\": true, \"clientCertEnabled\": true } }\n  ]\n}\n",
		},
		{
			name:  "CRLF",
			src:   "{\r\n  \"resources\": [\r\n    {\r\n      \"type\": \"Microsoft.Web/sites\"\r\n    }\r\n  ]\r\n}\r\n",
			edits: addAt("{\r\n      \"type\"", "properties.httpsOnly", true),
			want:  "{\r\n  \"resources\": [\r\n    {\r\n      \"type\": \"Microsoft.Web/sites\",\r\n      \"properties\": {\r\n        \"httpsOnly\": true\r\n      }\r\n    }\r\n  ]\r\n}\r\n",
		},
		{
			name: "comments and a trailing comma kept",
			src: `{
  // the app
  "resources": [
    {
      "type": "Microsoft.Web/sites", /* kind below */
      "kind": "functionapp", // keep me
      "properties": {
        "httpsOnly": true, // trailing comma
      }
    }
  ]
}
`,
			edits: func(t *testing.T, src string) []model.Edit {
				return []model.Edit{
					editAt(t, src, model.EditAdd, `{
      "type"`, "properties.siteConfig.minTlsVersion", "1.2"),
					editAt(t, src, model.EditAdd, `{
      "type"`, "identity.type", "SystemAssigned"),
				}
			},
			want: `{
  // the app
  "resources": [
    {
      "type": "Microsoft.Web/sites", /* kind below */
      "kind": "functionapp", // keep me
      "properties": {
        "httpsOnly": true, // trailing comma
        "siteConfig": {
          "minTlsVersion": "1.2"
        }
      },
      "identity": {
        "type": "SystemAssigned"
      }
    }
  ]
}
`,
		},
		{
			name:  "line comment after the last member",
			src:   "{\n  \"a\": 1 // one\n}",
			edits: addAt("{", "b", false),
			want:  "{\n  \"a\": 1, // one\n  \"b\": false\n}",
		},
		{
			name:  "closing brace on the last member's line",
			src:   "{\n  \"r\": {\n    \"a\": 1 }\n}",
			edits: addAt("{\n    \"a\"", "b", true),
			want:  "{\n  \"r\": {\n    \"a\": 1,\n    \"b\": true\n  }\n}",
		},
		{
			name:  "empty object in an indented file",
			src:   "{\n  \"properties\": {}\n}\n",
			edits: addAt("{}", "httpsOnly", true),
			want:  "{\n  \"properties\": {\n    \"httpsOnly\": true\n  }\n}\n",
		},
		{
			name: "replace a literal",
			src:  "{\n  \"properties\": {\"httpsOnly\": false}\n}\n",
			edits: func(t *testing.T, src string) []model.Edit {
				return []model.Edit{editAt(t, src, model.EditReplace, "false", "", true)}
			},
			want: "{\n  \"properties\": {\"httpsOnly\": true}\n}\n",
		},
		{
			name:  "add sets an existing literal",
			src:   "{\n  \"properties\": {\n    \"siteConfig\": {\"ftpsState\": \"AllAllowed\"}\n  }\n}\n",
			edits: addAt("{", "properties.siteConfig.ftpsState", "FtpsOnly"),
			want:  "{\n  \"properties\": {\n    \"siteConfig\": {\"ftpsState\": \"FtpsOnly\"}\n  }\n}\n",
		},
		{
			name: "parameter default replaced",
			src:  "{\n  \"parameters\": {\n    \"tls\": {\n      \"type\": \"string\",\n      \"defaultValue\": \"1.0\"\n    }\n  }\n}\n",
			edits: func(t *testing.T, src string) []model.Edit {
				return []model.Edit{editAt(t, src, model.EditDefault, `"1.0"`, "", "1.2")}
			},
			want: "{\n  \"parameters\": {\n    \"tls\": {\n      \"type\": \"string\",\n      \"defaultValue\": \"1.2\"\n    }\n  }\n}\n",
		},
		{
			name: "parameter default added",
			src:  "{\n    \"parameters\": {\n        \"https\": {\n            \"type\": \"bool\"\n        }\n    }\n}\n",
			edits: func(t *testing.T, src string) []model.Edit {
				return []model.Edit{editAt(t, src, model.EditDefault, `"https"`, "", true)}
			},
			want: "{\n    \"parameters\": {\n        \"https\": {\n            \"type\": \"bool\",\n            \"defaultValue\": true\n        }\n    }\n}\n",
		},
		{
			name: "edits compose: an earlier insertion moves a later target",
			src:  "{\n  \"resources\": [\n    {\n      \"name\": \"a\"\n    },\n    {\n      \"name\": \"b\",\n      \"properties\": {\"httpsOnly\": false}\n    }\n  ]\n}\n",
			edits: func(t *testing.T, src string) []model.Edit {
				return []model.Edit{
					editAt(t, src, model.EditAdd, "{\n      \"name\": \"a\"", "properties.httpsOnly", true),
					editAt(t, src, model.EditReplace, "false", "", true),
					editAt(t, src, model.EditAdd, "{\n      \"name\": \"b\"", "properties.siteConfig.http20Enabled", true),
				}
			},
			want: "{\n  \"resources\": [\n    {\n      \"name\": \"a\",\n      \"properties\": {\n        \"httpsOnly\": true\n      }\n    },\n    {\n      \"name\": \"b\",\n      \"properties\": {\"httpsOnly\": true, \"siteConfig\": {\"http20Enabled\": true}}\n    }\n  ]\n}\n",
		},
		{
			name:  "a key in another case is the same property (ARM matches them so)",
			src:   "{\n  \"Properties\": {\n    \"HttpsOnly\": false\n  }\n}\n",
			edits: addAt("{", "properties.httpsOnly", true),
			want:  "{\n  \"Properties\": {\n    \"HttpsOnly\": true\n  }\n}\n",
		},
		{
			name:  "a multi-line string (ARM accepts them) before the edit",
			src:   "{\n  \"script\": \"line one\n line two\",\n  \"properties\": {\n    \"a\": 1\n  }\n}\n",
			edits: addAt("{\n    \"a\"", "httpsOnly", true),
			want:  "{\n  \"script\": \"line one\n line two\",\n  \"properties\": {\n    \"a\": 1,\n    \"httpsOnly\": true\n  }\n}\n",
		},
		{
			name:  "byte order mark kept",
			src:   "\xef\xbb\xbf{\n  \"properties\": {\n    \"httpsOnly\": false\n  }\n}\n",
			edits: addAt("{", "properties.httpsOnly", true),
			want:  "\xef\xbb\xbf{\n  \"properties\": {\n    \"httpsOnly\": true\n  }\n}\n",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			edits := tc.edits(t, tc.src)
			out, errs := ApplyEdits([]byte(tc.src), edits)
			for _, err := range errs {
				t.Errorf("error: %v", err)
			}
			if string(out) != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", out, tc.want)
			}
			if !json.Valid(flattenStrings(jsonc.ToJSON([]byte(strings.TrimPrefix(string(out), "\xef\xbb\xbf"))))) {
				t.Errorf("the result is not valid JSON(C)")
			}
			// Applied again (at the new offsets of the targets, which the
			// edits above did not move before them), nothing changes.
			again, errs := ApplyEdits(out, reEdits(t, tc.src, string(out), edits))
			for _, err := range errs {
				t.Errorf("second application: %v", err)
			}
			if !bytes.Equal(again, out) {
				t.Errorf("a second application changed the file:\n%s", again)
			}
			// One Editor, asked again and again (the SARIF report's
			// way), gives the same each time: its syntax tree is
			// read, never changed.
			ed := NewEditor([]byte(tc.src))
			for range 3 {
				for _, e := range edits {
					got, _ := ed.Apply([]model.Edit{e})
					want, _ := ApplyEdits([]byte(tc.src), []model.Edit{e})
					if !bytes.Equal(got, want) {
						t.Fatalf("a reused Editor gave\n%s\nwant\n%s", got, want)
					}
				}
				if got, _ := ed.Apply(edits); !bytes.Equal(got, out) {
					t.Fatalf("a reused Editor applying all gave\n%s\nwant\n%s", got, out)
				}
			}
			// The loader's Editor, which takes the check of the text
			// from the loader's decoding, edits alike.
			f, _ := parseJSON("t.json", []byte(tc.src))
			led := &Editor{src: []byte(tc.src), strict: f.strict, ctl: f.ctl}
			if f.strict {
				led.ends = containerEnds(f.root, f.text)
			}
			for _, e := range edits {
				got, gotErrs := led.Apply([]model.Edit{e})
				want, wantErrs := ApplyEdits([]byte(tc.src), []model.Edit{e})
				if !bytes.Equal(got, want) || fmt.Sprint(gotErrs) != fmt.Sprint(wantErrs) {
					t.Fatalf("the loader's Editor gave\n%s %v\nwant\n%s %v", got, gotErrs, want, wantErrs)
				}
			}
			if got, _ := led.Apply(edits); !bytes.Equal(got, out) {
				t.Fatalf("the loader's Editor applying all gave\n%s\nwant\n%s", got, out)
			}
		})
	}
}

// reEdits moves each edit's target to where the same text starts in out:
// the replaced value as written now, or the object or key.
func reEdits(t *testing.T, src, out string, edits []model.Edit) []model.Edit {
	t.Helper()
	bom := "\xef\xbb\xbf"
	src, out = strings.TrimPrefix(src, bom), strings.TrimPrefix(out, bom)
	var res []model.Edit
	for _, e := range edits {
		if e.Kind == model.EditReplace || e.Kind == model.EditDefault && !strings.HasPrefix(src[e.Range.Start.Byte:], `"https"`) {
			// The replaced literal now holds the value: same offset in
			// files where nothing before it changed, which the cases
			// with replacements arrange except the compose case.
			v, _ := jsonText(e.Value)
			from := e.Range.Start.Byte
			i := strings.Index(out[from:], v)
			if i < 0 {
				t.Fatalf("%s not found after the fix", v)
			}
			e.Range.Start.Byte = from + i
			res = append(res, e)
			continue
		}
		// An object or key: its text up to the first member's colon
		// (the brace alone for an empty object), its nth occurrence as
		// before (the cases add nothing before it that contains it).
		at := src[e.Range.Start.Byte:]
		if i := strings.IndexAny(at[1:], ":}"); i >= 0 {
			at = at[:1+i]
		}
		nth := strings.Count(src[:e.Range.Start.Byte], at)
		i := -1
		for range nth + 1 {
			j := strings.Index(out[i+1:], at)
			if j < 0 {
				t.Fatalf("%q not found after the fix", at)
			}
			i += 1 + j
		}
		e.Range.Start.Byte = i
		res = append(res, e)
	}
	return res
}

func TestApplyEditsErrors(t *testing.T) {
	src := `{
  "parameters": {"p": {"type": "bool", "defaultValue": "[not(true())]"}},
  "resources": [
    {
      "type": "Microsoft.Web/sites",
      "properties": {
        "httpsOnly": "[parameters('p')]",
        "siteConfig": "[variables('cfg')]"
      }
    }
  ]
}`
	edits := []model.Edit{
		editAt(t, src, model.EditReplace, `"[parameters('p')]"`, "", true),
		editAt(t, src, model.EditDefault, `"[not(true())]"`, "", true),
		editAt(t, src, model.EditAdd, "{\n      \"type\"", "properties.siteConfig.minTlsVersion", "1.2"),
		editAt(t, src, model.EditReplace, "{\n      \"type\"", "", true),
		editAt(t, src, model.EditAdd, "\"type\": \"Microsoft", "properties.httpsOnly", true),
		{Kind: model.EditReplace, Range: model.Range{Start: model.Pos{Byte: len(src) + 4}}, Value: true},
		editAt(t, src, model.EditAdd, "{\n      \"type\"", "properties.clientCertEnabled", []string{"x"}),
		// The one edit that can be applied is.
		editAt(t, src, model.EditAdd, "{\n      \"type\"", "properties.clientCertEnabled", true),
	}
	out, errs := ApplyEdits([]byte(src), edits)
	if len(errs) != len(edits)-1 {
		t.Errorf("got %d errors, want %d: %v", len(errs), len(edits)-1, errs)
	}
	for _, want := range []string{"template expression", "template expression", "siteConfig is not written as an object", "object or array", "no resource object", "outside the file", "does not write"} {
		if len(errs) == 0 || !strings.Contains(errs[0].Error(), want) {
			t.Errorf("error %v, want one saying %q", errs, want)
		}
		if len(errs) > 0 {
			errs = errs[1:]
		}
	}
	want := strings.Replace(src, `"[variables('cfg')]"`, `"[variables('cfg')]",
        "clientCertEnabled": true`, 1)
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	params := `{"parameters": {
  "tls": {"type": "string", "defaultValue": "1.0", "allowedValues": ["1.0", "1.1"]},
  "https": {"type": "bool"},
  "tls2": {"type": "string", "defaultValue": "1.0", "allowedValues": ["1.0", "1.2"]}
}}`
	out, errs = ApplyEdits([]byte(params), []model.Edit{
		editAt(t, params, model.EditDefault, `"1.0", "allowedValues": ["1.0", "1.1"]`, "", "1.2"),
		editAt(t, params, model.EditDefault, `"https"`, "", "1.2"),
		editAt(t, params, model.EditDefault, `"1.0", "allowedValues": ["1.0", "1.2"]`, "", "1.2"),
	})
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "allowedValues") || !strings.Contains(errs[1].Error(), "type is bool") {
		t.Errorf("parameter defaults: %v", errs)
	}
	if want := strings.Replace(params, `"defaultValue": "1.0", "allowedValues": ["1.0", "1.2"]`, `"defaultValue": "1.2", "allowedValues": ["1.0", "1.2"]`, 1); string(out) != want {
		t.Errorf("parameter defaults: got\n%s", out)
	}
	if _, errs := ApplyEdits([]byte(`{"a": `), []model.Edit{{Kind: model.EditReplace, Value: true}}); len(errs) != 1 || !strings.Contains(errs[0].Error(), "not valid JSON") {
		t.Errorf("broken file: %v", errs)
	}
}
