package ignore

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
	"github.com/tidwall/jsonc"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
	"github.com/azfuncscan/azfuncscan/parsers/internal/source"
	"github.com/azfuncscan/azfuncscan/parsers/internal/srcpos"
)

// scanARM finds the metadata.azfuncscan.ignore lists of the resources of
// an ARM template (and of the templates of nested deployments). Comments
// are blanked first; offsets and lines stay those of the file. A file
// that is not a valid template is the ARM parser's to report.
func scanARM(name string, src []byte) ([]model.Ignore, model.Diagnostics) {
	js := jsonc.ToJSON(src)
	// gjson validates recursively: nesting too deep for it is not a
	// template, and the ARM parser reports it.
	if off, _ := source.JSONDepth(js, source.MaxJSONDepth, 0); off >= 0 || !gjson.ValidBytes(js) {
		return nil, nil
	}
	root := gjson.ParseBytes(js)
	if !strings.Contains(strings.ToLower(root.Get(`\$schema`).String()), "deploymenttemplate") {
		return nil, nil
	}
	s := &armScan{name: name, js: js, ix: srcpos.New(js)}
	s.resources(root.Get("resources"), 0)
	return s.out, s.diags
}

type armScan struct {
	name  string
	js    []byte
	ix    *srcpos.Index[[]byte]
	out   []model.Ignore
	diags model.Diagnostics
}

// maxARMDepth bounds the nesting of deployments followed.
const maxARMDepth = 16

// resources walks a resources array (or, languageVersion 2.0, object).
func (s *armScan) resources(list gjson.Result, depth int) {
	if depth > maxARMDepth || (!list.IsArray() && !list.IsObject()) {
		return
	}
	list.ForEach(func(_, r gjson.Result) bool {
		if !r.IsObject() {
			return true
		}
		if ig := r.Get("metadata.azfuncscan.ignore"); ig.Exists() {
			s.entries(r, ig)
		}
		s.resources(r.Get("resources"), depth+1)
		s.resources(r.Get("properties.template.resources"), depth+1)
		return true
	})
}

// entries reads one resource's ignore list; each entry covers the
// resource object.
func (s *armScan) entries(res, list gjson.Result) {
	scope := s.span(res)
	if !list.IsArray() {
		s.warn(list, `metadata.azfuncscan.ignore must be a list of {"id", "reason", "expires"} entries; not applied`)
		return
	}
	list.ForEach(func(_, e gjson.Result) bool {
		at := s.span(e)
		if !e.IsObject() {
			s.warn(e, `an ignore entry is an object {"id", "reason", "expires"}; not applied`)
			return true
		}
		var d directive
		ok := true
		e.ForEach(func(k, v gjson.Result) bool {
			switch k.String() {
			case "id":
				var raw []string
				if v.IsArray() {
					for _, x := range v.Array() {
						raw = append(raw, x.String())
					}
				} else if v.Type == gjson.String {
					raw = []string{v.String()}
				}
				ids, err := parseIDs(raw)
				if err != nil || len(raw) == 0 {
					if err == nil {
						err = fmt.Errorf("want a check id or a list of them")
					}
					s.warn(v, "id: "+err.Error()+"; not applied")
					ok = false
				}
				d.ids = ids
			case "reason":
				d.reason = strings.Join(strings.Fields(v.String()), " ")
			case "expires":
				t, err := parseDate(v.String())
				if err != nil {
					s.warn(v, "expires: "+err.Error()+"; not applied")
					ok = false
				}
				d.expires = t
			default:
				s.warn(k, fmt.Sprintf("unknown key %q in an ignore entry (want id, reason, expires); not applied", k.String()))
				ok = false
			}
			return true
		})
		if ok && len(d.ids) == 0 {
			s.warn(e, "an ignore entry needs an id; not applied")
			ok = false
		}
		if ok {
			s.out = append(s.out, newIgnore(d, at, scope))
		}
		return true
	})
}

// span is the range of a value, by its offset in the file.
func (s *armScan) span(v gjson.Result) model.Range {
	start, end := v.Index, v.Index+len(v.Raw)
	if v.Index <= 0 || end > len(s.js) {
		return model.Range{Filename: s.name}
	}
	return model.Range{Filename: s.name, Start: s.pos(start), End: s.pos(end)}
}

// pos converts a byte offset to a position, columns in characters as
// the parsers count them.
func (s *armScan) pos(off int) model.Pos { return s.ix.Pos(off) }

func (s *armScan) warn(v gjson.Result, detail string) {
	s.diags = append(s.diags, warning("Malformed azfuncscan ignore", detail, s.span(v)))
}
