// Package derive computes the parts of the model that follow from values
// every parser has already read, the same way for every format: which
// Application Insights settings an app configures ([App], called once an
// app's own values are read) and how many apps share a host storage
// account ([Module], called once the module's relations are linked).
package derive

import (
	"fmt"
	"slices"
	"strings"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// App settings that configure Application Insights (functions-app-settings).
const (
	settingConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING"
	settingKey              = "APPINSIGHTS_INSTRUMENTATIONKEY"
	settingAuthentication   = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"
)

// App fills app.AppInsights.
func App(app *model.FunctionApp) {
	if app == nil {
		return
	}
	app.AppInsights = appInsights(app)
}

func appInsights(app *model.FunctionApp) model.AppInsights {
	block := model.Meta{Range: app.Range, Origin: model.Default, Resource: app.Address}
	sc := &app.SiteConfig
	cs := firstSet(secretFound(sc.AppInsightsConnectionString), setting(app, settingConnectionString))
	key := firstSet(secretFound(sc.AppInsightsKey), setting(app, settingKey))

	var ai model.AppInsights
	switch {
	case cs.ok:
		ai.ConnectionString = model.Bool{V: true, Meta: cs.meta}
	case cs.unknown != nil:
		ai.ConnectionString = model.Bool{Meta: *cs.unknown}
	default:
		ai.ConnectionString = model.Bool{V: false, Meta: withNote(block, "no Application Insights connection string (site_config or "+settingConnectionString+" app setting)")}
	}
	switch {
	case cs.ok:
		ai.Configured = ai.ConnectionString
	case key.ok:
		ai.Configured = model.Bool{V: true, Meta: key.meta}
	case cs.unknown != nil:
		ai.Configured = model.Bool{Meta: *cs.unknown}
	case key.unknown != nil:
		ai.Configured = model.Bool{Meta: *key.unknown}
	default:
		ai.Configured = model.Bool{V: false, Meta: withNote(block, "neither a connection string nor an instrumentation key for Application Insights is configured")}
	}

	auth := setting(app, settingAuthentication)
	switch {
	case auth.unknown != nil:
		ai.EntraAuth = model.Bool{Meta: *auth.unknown}
	case auth.ok && auth.valueKnown:
		aad := strings.Contains(strings.ToLower(strings.ReplaceAll(auth.value, " ", "")), "authorization=aad")
		ai.EntraAuth = model.Bool{V: aad, Meta: auth.meta}
	case auth.ok:
		// Written, but its value is known only at deployment.
		m := auth.meta
		m.Origin = model.Unknown
		m.Note = settingAuthentication + " is known only at deployment"
		ai.EntraAuth = model.Bool{Meta: m}
	default:
		ai.EntraAuth = model.Bool{V: false, Meta: withNote(block, "no "+settingAuthentication+" app setting; telemetry is sent with the instrumentation key (local authentication)")}
	}
	return ai
}

func withNote(m model.Meta, note string) model.Meta {
	m.Note = note
	return m
}

// found describes where a value is configured: ok when it is written (its
// value may still be known only at deployment: a reference to another
// resource's connection string is still a configured connection
// string), unknown when whether it is written cannot be told.
type found struct {
	ok         bool
	meta       model.Meta
	value      string
	valueKnown bool
	unknown    *model.Meta
}

// secretFound classifies a model secret: written (explicit, or unknown
// at a range of its own), not written (default), or unknown.
func secretFound(v model.Secret) found {
	switch v.Origin {
	case model.Explicit:
		if strings.TrimSpace(string(v.V)) == "" {
			return found{}
		}
		return found{ok: true, meta: v.Meta, value: string(v.V), valueKnown: true}
	case model.Unknown:
		if v.Range.Start.Line > 0 {
			// Written, with a value known only at deployment.
			return found{ok: true, meta: writtenMeta(v.Meta)}
		}
		m := v.Meta
		return found{unknown: &m}
	}
	return found{}
}

// writtenMeta is the Meta of "this is written" for a value written at m
// whose value is known only at deployment.
func writtenMeta(m model.Meta) model.Meta {
	m.Origin = model.Explicit
	m.Note = ""
	return m
}

func firstSet(fs ...found) found {
	var unk *model.Meta
	for i := range fs {
		if fs[i].ok {
			return fs[i]
		}
		if fs[i].unknown != nil && unk == nil {
			unk = fs[i].unknown
		}
	}
	return found{unknown: unk}
}

// setting finds an app setting by name (case-insensitive). When the app
// settings themselves are unknown, so is the setting.
func setting(app *model.FunctionApp, name string) found {
	for _, s := range app.AppSettings.Items {
		if s == nil || !strings.EqualFold(strings.TrimSpace(s.Name.V), name) {
			continue
		}
		switch model.ValueSource(s.Source.V) {
		case model.SourceKeyVault, model.SourceResource, model.SourceSensitiveInput, model.SourceSecretEnvelope:
			// Written; its value is resolved at deployment or hidden.
			return found{ok: true, meta: writtenMeta(s.Name.Meta)}
		}
		f := secretFound(s.Value)
		if f.ok && f.meta.Range.IsZero() {
			f.meta = writtenMeta(s.Name.Meta)
		}
		return f
	}
	if app.AppSettings.Origin == model.Unknown {
		m := app.AppSettings.Meta
		return found{unknown: &m}
	}
	return found{}
}

// Module fills what depends on the module's relations: each storage
// account's AppCount, the number of production apps hosted on it (a slot
// counts with its app).
func Module(m *model.Module) {
	if m == nil {
		return
	}
	apps := map[*model.StorageAccount][]string{}
	for _, a := range m.FunctionApps {
		if a == nil || a.StorageAccount == nil {
			continue
		}
		key := a.Address
		if a.IsSlot.V && a.Parent.V != "" {
			key = a.Parent.V
		}
		if !slices.Contains(apps[a.StorageAccount], key) {
			apps[a.StorageAccount] = append(apps[a.StorageAccount], key)
		}
	}
	for _, sa := range m.StorageAccounts {
		if sa == nil {
			continue
		}
		names := apps[sa]
		slices.Sort(names)
		note := "host storage of no function app in the module"
		if len(names) > 0 {
			note = fmt.Sprintf("host storage of %s", strings.Join(names, ", "))
		}
		sa.AppCount = model.Value[int64]{V: int64(len(names)), Meta: model.Meta{Range: sa.Range, Origin: model.Explicit, Resource: sa.Address, Note: note}}
	}
}
