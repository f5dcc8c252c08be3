package armsite

import (
	"fmt"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// TypeDiagnosticSettings is the ARM type of a diagnostic setting, an
// extension resource of the resource it streams the logs of.
const TypeDiagnosticSettings = "Microsoft.Insights/diagnosticSettings"

// DiagnosticSetting maps a Microsoft.Insights/diagnosticSettings document:
// the log categories and category groups properties.logs enables, and
// whether a destination is set. Which resource the setting targets (ARM
// scope, azapi parent_id) is the parser's to resolve.
//
// ARM requires enabled on each properties.logs entry; an entry without it
// counts as not enabled. A destination is any of workspaceId,
// storageAccountId, eventHubAuthorizationRuleId, marketplacePartnerId
// (Microsoft.Insights diagnosticSettings REST reference, api-version
// 2021-05-01-preview); an id read from another resource at deployment
// ([model.SourceResource]) is set.
func DiagnosticSetting(d Doc) *model.DiagnosticSetting {
	r := &reader{addr: d.Resource.Address, at: d.at()}
	ds := &model.DiagnosticSetting{Resource: d.header()}
	ds.Name = docName(r, &d)
	props := lookup(d.Body, "properties")
	if unknown(props) {
		h := hit{n: props, doc: &d, path: "properties"}
		ds.LogCategories = model.List[model.String]{Meta: r.meta(h)}
		ds.HasDestination = model.Bool{Meta: r.meta(h)}
		return ds
	}
	ds.LogCategories = logCategories(r, &d, field(props, "logs"))
	ds.HasDestination = hasDestination(r, &d, props)
	return ds
}

// logCategories lists the enabled categories and category groups of
// properties.logs; an entry that may be enabled and whose category is not
// known is an unknown item.
func logCategories(r *reader, d *Doc, logs *model.Node) model.List[model.String] {
	const path = "properties.logs"
	h := hit{n: logs, doc: d, path: path}
	switch {
	case !present(logs):
		return model.List[model.String]{Meta: r.defaultMeta(path + " not set; no log category is enabled")}
	case unknown(logs):
		return model.List[model.String]{Meta: r.meta(h)}
	case logs.Kind != model.KindList:
		m := r.meta(h)
		m.Origin, m.Note = model.Unknown, path+" is not a list"
		return model.List[model.String]{Meta: m}
	}
	out := model.List[model.String]{Meta: r.meta(h)}
	for i, it := range logs.Items {
		at := fmt.Sprintf("%s[%d]", path, i)
		if unknown(it) {
			out.Items = append(out.Items, model.String{Meta: r.meta(hit{n: it, doc: d, path: at})})
			continue
		}
		enabled := field(it, "enabled")
		switch {
		case !present(enabled):
			continue
		case unknown(enabled):
			out.Items = append(out.Items, model.String{Meta: r.meta(hit{n: enabled, doc: d, path: at + ".enabled"})})
			continue
		}
		if on, ok := asBool(enabled); !ok || !on {
			continue
		}
		c, name := field(it, "category"), "category"
		if !present(c) {
			c, name = field(it, "categoryGroup"), "categoryGroup"
		}
		if !present(c) {
			continue
		}
		out.Items = append(out.Items, r.str(hit{n: c, doc: d, path: at + "." + name}, "", ""))
	}
	return out
}

// hasDestination: one of the destination ids is set, or read from another
// resource; unknown when one may be set and none surely is.
func hasDestination(r *reader, d *Doc, props *model.Node) model.Bool {
	var unsure *model.Bool
	for _, key := range []string{"workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId"} {
		n := field(props, key)
		h := hit{n: n, doc: d, path: "properties." + key}
		switch {
		case !present(n):
			continue
		case unknown(n):
			if d.Sources[n].Kind == model.SourceResource {
				return model.Set(true, r.meta(h).Range, r.addr)
			}
			if unsure == nil {
				u := model.Bool{Meta: r.meta(h)}
				unsure = &u
			}
			continue
		case n.Kind == model.KindString && strings.TrimSpace(n.Str) == "":
			continue
		}
		return model.Set(true, r.meta(h).Range, r.addr)
	}
	if unsure != nil {
		return *unsure
	}
	return model.Bool{Meta: r.defaultMeta("no workspaceId, storageAccountId, eventHubAuthorizationRuleId or marketplacePartnerId")}
}
