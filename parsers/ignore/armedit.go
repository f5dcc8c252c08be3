package ignore

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/tidwall/jsonc"
)

// ARMEntry returns where to insert, and what, in the ARM template src, an
// ignore entry {"id": id, "reason": reason} for the resource (of the
// resources, child resources and nested deployments scanned for ignores)
// that holds byte offset off, innermost first: into its
// metadata.azfuncscan.ignore list, or creating the metadata, azfuncscan
// or ignore member that is missing. ok is false when src is not a
// template, no resource holds off, or a member on the way is not an
// object (or the list not a list).
func ARMEntry(src []byte, off int, id, reason string) (at int, text string, ok bool) {
	js := jsonc.ToJSON(src) // comments blanked: offsets stay the file's
	if len(js) != len(src) || !gjson.ValidBytes(js) {
		return 0, "", false
	}
	root := gjson.ParseBytes(js)
	if !strings.Contains(strings.ToLower(root.Get(`\$schema`).String()), "deploymenttemplate") {
		return 0, "", false
	}
	res, found := resourceAt(root.Get("resources"), off, 0)
	if !found {
		return 0, "", false
	}
	idJSON, _ := json.Marshal(id)         // a string always marshals
	reasonJSON, _ := json.Marshal(reason) // a string always marshals
	entry := `{"id": ` + string(idJSON) + `, "reason": ` + string(reasonJSON) + `}`
	meta := res.Get("metadata")
	az := meta.Get("azfuncscan")
	ig := az.Get("ignore")
	switch {
	case !meta.Exists():
		at, text = addMember(src, res, "metadata", `{"azfuncscan": {"ignore": [`+entry+`]}}`)
	case !meta.IsObject():
		return 0, "", false
	case !az.Exists():
		at, text = addMember(src, meta, "azfuncscan", `{"ignore": [`+entry+`]}`)
	case !az.IsObject():
		return 0, "", false
	case !ig.Exists():
		at, text = addMember(src, az, "ignore", `[`+entry+`]`)
	case ig.IsArray():
		at, text = ig.Index+1, entry
		if len(ig.Array()) > 0 {
			text += ", "
		}
	default:
		return 0, "", false
	}
	return at, text, true
}

// resourceAt returns the innermost resource object of a resources array
// (or languageVersion 2.0 object), child resources and nested
// deployments' templates included, that holds offset off.
func resourceAt(list gjson.Result, off, depth int) (gjson.Result, bool) {
	var found gjson.Result
	ok := false
	if depth > maxARMDepth || (!list.IsArray() && !list.IsObject()) {
		return found, false
	}
	list.ForEach(func(_, r gjson.Result) bool {
		if !r.IsObject() || off < r.Index || off >= r.Index+len(r.Raw) {
			return true
		}
		found, ok = r, true
		if inner, in := resourceAt(r.Get("resources"), off, depth+1); in {
			found = inner
		} else if inner, in := resourceAt(r.Get("properties.template.resources"), off, depth+1); in {
			found = inner
		}
		return false
	})
	return found, ok
}

// addMember returns where to insert, and what, to add "key": value as
// the first member of the JSON object obj of src: on a line of its own
// with the indentation of the members when they are on lines of their
// own.
func addMember(src []byte, obj gjson.Result, key, value string) (int, string) {
	off := obj.Index + 1
	member := `"` + key + `": ` + value
	var first gjson.Result
	obj.ForEach(func(k, _ gjson.Result) bool {
		first = k
		return false
	})
	if !first.Exists() {
		return off, member
	}
	lineStart := bytes.LastIndexByte(src[:first.Index], '\n') + 1
	if lineStart <= obj.Index || len(bytes.TrimLeft(src[lineStart:first.Index], " \t")) > 0 {
		return off, " " + member + ","
	}
	return off, "\n" + string(src[lineStart:first.Index]) + member + ","
}
