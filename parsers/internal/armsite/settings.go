package armsite

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// entry is one app setting with the node of its value.
type entry struct {
	name  string // "" when the name is unknown
	value hit
	s     *model.Setting
}

// settingsView is the app's effective app settings.
type settingsView struct {
	// found: written in a document (in Apply: the documents replace the
	// app's settings).
	found   bool
	meta    model.Meta // of the list
	entries []entry
}

// get returns the last setting called name (app setting names compare
// case-insensitively, as on Windows and in the Functions host).
func (s settingsView) get(name string) (entry, bool) {
	for i := len(s.entries) - 1; i >= 0; i-- {
		if strings.EqualFold(s.entries[i].name, name) {
			return s.entries[i], true
		}
	}
	return entry{}, false
}

// value returns a setting's value as a plain string.
func (s settingsView) value(name string) (model.String, bool) {
	e, ok := s.get(name)
	if !ok {
		return model.String{}, false
	}
	return model.String{V: string(e.s.Value.V), Meta: e.s.Value.Meta}, true
}

// source returns where a setting's value comes from ("" when the setting
// is not in the list).
func (s settingsView) source(name string) model.ValueSource {
	e, ok := s.get(name)
	if !ok {
		return ""
	}
	return model.ValueSource(e.s.Source.V)
}

// secret returns a setting's value.
func (s settingsView) secret(name string) (model.Secret, bool) {
	e, ok := s.get(name)
	if !ok {
		return model.Secret{}, false
	}
	return e.s.Value, true
}

// absent is the value of a setting that is not in the list: def, unless
// the list itself is unknown (the setting may be in it).
func absent[T any](b *builder, s settingsView, def T, note string) model.Value[T] {
	if s.meta.Origin == model.Unknown {
		return model.Value[T]{Meta: s.meta}
	}
	return model.Value[T]{V: def, Meta: b.defaultMeta(note)}
}

// settings reads the app settings (a config "appsettings" child replaces
// the inline siteConfig.appSettings) and the connection strings (likewise
// with "connectionstrings") into the app.
func (b *builder) settings() settingsView {
	var s settingsView
	if d, ok := b.ls.child(roleAppSettings); ok {
		s = b.settingsMap(body(d, roleAppSettings).at("properties"), d)
	} else if h := b.sc("properties.siteConfig.appSettings", "properties.appSettings"); h.found() {
		s = b.settingsList(h, "value")
	} else {
		s = settingsView{meta: b.defaultMeta("no app settings")}
	}
	put(b, &b.app.AppSettings, s.list(), s.found)

	var cs settingsView
	if d, ok := b.ls.child(roleConnStrings); ok {
		cs = b.settingsMap(body(d, roleConnStrings).at("properties"), d)
	} else if h := b.sc("properties.siteConfig.connectionStrings", "properties.connectionStrings"); h.found() {
		cs = b.settingsList(h, "connectionString")
	} else {
		cs = settingsView{meta: b.defaultMeta("no connection strings")}
	}
	put(b, &b.app.ConnectionStrings, cs.list(), cs.found)
	return s
}

func (s settingsView) list() model.List[*model.Setting] {
	out := model.List[*model.Setting]{Meta: s.meta}
	for _, e := range s.entries {
		out.Items = append(out.Items, e.s)
	}
	return out
}

// settingsMap reads a config child's properties: name → value (app
// settings) or name → {value, type} (connection strings).
func (b *builder) settingsMap(h hit, d *Doc) settingsView {
	s := settingsView{found: true}
	if !h.found() {
		s.meta = model.Meta{Range: d.at(), Origin: model.Explicit, Resource: d.Resource.Address}
		return s
	}
	s.meta = b.meta(h)
	if s.meta.Origin == model.Unknown {
		return s
	}
	if h.n.Kind != model.KindObject {
		s.meta.Origin, s.meta.Note = model.Unknown, h.path+" is not an object"
		return s
	}
	for _, f := range h.n.Fields {
		item := hit{n: f.Node, doc: h.doc, path: h.path + "." + f.Name}
		val, typ := item, hit{}
		if f.Node.Kind == model.KindObject && !unknown(f.Node) {
			val, typ = item.at("value"), item.at("type")
		}
		m := b.meta(item)
		m.Origin, m.Note = model.Explicit, ""
		st := b.setting(model.String{V: f.Name, Meta: m}, item, val)
		st.Type = b.str(typ, "", "type not set")
		if !typ.found() {
			st.Type.Meta = model.Meta{Range: m.Range, Origin: model.Default, Resource: m.Resource, Note: "type not set"}
		}
		s.entries = append(s.entries, entry{name: f.Name, value: val, s: st})
	}
	return s
}

// settingsList reads siteConfig.appSettings [{name, value}] or
// siteConfig.connectionStrings [{name, connectionString, type}].
func (b *builder) settingsList(h hit, valueKey string) settingsView {
	s := settingsView{found: true, meta: b.meta(h)}
	if s.meta.Origin == model.Unknown {
		return s
	}
	if h.n.Kind != model.KindList {
		s.meta.Origin, s.meta.Note = model.Unknown, h.path+" is not a list"
		return s
	}
	for i, it := range h.n.Items {
		item := hit{n: it, doc: h.doc, path: h.path + "[" + strconv.Itoa(i) + "]"}
		r := &reader{addr: b.addr, at: b.meta(item).Range}
		// Notes are written only for what is absent (value reads them
		// only then).
		var name model.String
		if nameHit := item.at("name"); nameHit.found() {
			name = r.str(nameHit, "", "")
		} else {
			name = model.Unresolved[string](b.meta(item).Range, b.meta(item).Resource, item.path+".name is required but not set")
		}
		val := item.at(valueKey)
		st := b.setting(name, item, val)
		typ := item.at("type")
		typNote := ""
		if !typ.found() {
			typNote = item.path + ".type not set"
		}
		st.Type = r.str(typ, "", typNote)
		e := entry{value: val, s: st}
		if name.Origin == model.Explicit {
			e.name = name.V
		}
		s.entries = append(s.entries, e)
	}
	return s
}

// setting builds a Setting whose value is v (absent: empty), located at
// item when v has no node.
func (b *builder) setting(name model.String, item, v hit) *model.Setting {
	at := b.meta(item)
	r := &reader{addr: at.Resource, at: at.Range}
	note := "" // read only when v is absent
	if !v.found() {
		note = item.path + " has no value"
	}
	val := value(r, v, model.Sensitive(""), note, asSecret)
	src := sourceOf(v)
	rng, res := val.Range, val.Resource
	return &model.Setting{
		Name:      name,
		Value:     val,
		Source:    model.Set(string(src.Kind), rng, res),
		Attribute: model.Set(src.Attribute, rng, res),
		Type:      model.Set("", rng, res),
	}
}

// sourceOf classifies a value: a known Key Vault reference, else the
// parser's annotation, else unknown or literal.
func sourceOf(h hit) Source {
	if !h.found() {
		return Source{Kind: model.SourceLiteral}
	}
	if !unknown(h.n) && h.n.Kind == model.KindString && isKeyVaultRef(h.n.Str) {
		return Source{Kind: model.SourceKeyVault}
	}
	if h.doc != nil {
		if s, ok := h.doc.Sources[h.n]; ok && s.Kind != "" {
			return s
		}
	}
	if unknown(h.n) {
		return Source{Kind: model.SourceUnknown}
	}
	return Source{Kind: model.SourceLiteral}
}

// keyVaultPrefix starts an App Service Key Vault reference.
const keyVaultPrefix = "@microsoft.keyvault("

// isKeyVaultRef reports whether s is an App Service Key Vault reference:
// whether strings.ToLower(strings.TrimSpace(s)) starts with
// keyVaultPrefix, without lower-casing all of s (a connection string)
// when its start is ASCII.
func isKeyVaultRef(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < len(keyVaultPrefix) {
		return false
	}
	for i := range len(keyVaultPrefix) {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Lower-casing may change lengths from here on.
			return strings.HasPrefix(strings.ToLower(s), keyVaultPrefix)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != keyVaultPrefix[i] {
			return false
		}
	}
	return true
}

// Host storage settings that name the account for identity-based
// connections, in order of preference.
func identityStorageSettings() []string {
	return []string{
		"AzureWebJobsStorage__accountName",
		"AzureWebJobsStorage__blobServiceUri",
		"AzureWebJobsStorage__queueServiceUri",
		"AzureWebJobsStorage__tableServiceUri",
	}
}

// hostStorage derives the host storage account from the app settings:
// AzureWebJobsStorage__accountName or a service URI (identity), the
// AzureWebJobsStorage connection string (key), or for Flex Consumption
// the deployment storage of functionAppConfig.
func (b *builder) hostStorage(s settingsView) {
	app := b.app
	app.StorageKeyInKeyVault = model.Bool{V: false, Meta: b.defaultMeta("the storage key is not held in Key Vault")}
	for _, key := range identityStorageSettings() {
		e, ok := s.get(key)
		if !ok {
			continue
		}
		v, _ := s.value(key)
		if key != "AzureWebJobsStorage__accountName" && v.Known() {
			v = accountFromURL(v, key)
		}
		app.StorageAccountName = v
		app.StorageUsesIdentity = model.Bool{V: true, Meta: e.s.Name.Meta}
		app.StorageAccessKey = model.Defaulted(model.Sensitive(""), e.s.Name.Range, e.s.Name.Resource, key+" connects with a managed identity; no access key")
		b.links.Storage, b.links.StorageSetting = e.value.n, key
		return
	}
	if e, ok := s.get("AzureWebJobsStorage"); ok {
		b.links.Storage, b.links.StorageSetting = e.value.n, "AzureWebJobsStorage"
		val := e.s.Value
		app.StorageUsesIdentity = model.Bool{V: false, Meta: e.s.Name.Meta}
		switch {
		case !val.Known():
			app.StorageAccountName = model.String{Meta: val.Meta}
			app.StorageAccessKey = val
		case isKeyVaultRef(string(val.V)):
			app.StorageKeyInKeyVault = model.Bool{V: true, Meta: val.Meta}
			note := "AzureWebJobsStorage is a Key Vault reference; the connection string is resolved at run time"
			app.StorageAccountName = model.Unresolved[string](val.Range, val.Resource, note)
			app.StorageAccessKey = model.Unresolved[model.Sensitive](val.Range, val.Resource, note)
		default:
			name := connectionStringField(string(val.V), "AccountName")
			if name == "" {
				app.StorageAccountName = model.Unresolved[string](val.Range, val.Resource, "AzureWebJobsStorage has no AccountName")
			} else {
				app.StorageAccountName = model.String{V: name, Meta: val.Meta}
			}
			app.StorageAccessKey = model.Secret{V: model.Sensitive(connectionStringField(string(val.V), "AccountKey")), Meta: val.Meta}
		}
		return
	}
	if b.flex {
		if b.flexStorage() {
			return
		}
	}
	if b.patch {
		return
	}
	const note = "no AzureWebJobsStorage app setting"
	app.StorageAccountName = absent(b, s, "", note)
	app.StorageUsesIdentity = absent(b, s, false, note)
	app.StorageAccessKey = absent(b, s, model.Sensitive(""), note)
}

// flexStorage reads functionAppConfig.deployment.storage: the account
// from its blob container URL, identity from authentication.type.
func (b *builder) flexStorage() bool {
	dep := b.prop("properties.functionAppConfig.deployment.storage")
	if !dep.found() {
		return false
	}
	app := b.app
	v := dep.at("value")
	b.links.Storage = v.n
	url := b.str(v, "", "functionAppConfig.deployment.storage.value not set")
	if url.Origin == model.Explicit {
		url = accountFromURL(url, "functionAppConfig.deployment.storage.value")
	}
	app.StorageAccountName = url
	auth := b.str(dep.at("authentication.type"), "", "functionAppConfig.deployment.storage.authentication.type not set")
	app.StorageUsesIdentity = model.Bool{V: auth.Known() && auth.V != "" && !strings.EqualFold(auth.V, "StorageAccountConnectionString"), Meta: auth.Meta}
	app.StorageConfigured = model.Bool{V: true, Meta: model.Meta{Range: dep.n.Meta.Range, Origin: model.Explicit, Resource: auth.Resource}}
	app.StorageAccessKey = model.Defaulted(model.Sensitive(""), auth.Range, auth.Resource, "the deployment storage key is held in an app setting")
	return true
}

// accountFromURL returns the storage account of a service URL
// (https://<account>.blob.core.windows.net/...).
func accountFromURL(v model.String, what string) model.String {
	host := strings.TrimSpace(v.V)
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	name, _, ok := strings.Cut(host, ".")
	if !ok || name == "" {
		return model.Unresolved[string](v.Range, v.Resource, what+" does not name a storage account")
	}
	return model.String{V: name, Meta: v.Meta}
}

// connectionStringField returns a field of a storage connection string.
func connectionStringField(cs, field string) string {
	for _, part := range strings.Split(cs, ";") {
		k, v, ok := strings.Cut(part, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), field) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
