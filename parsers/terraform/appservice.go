package terraform

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/azfuncscan/azfuncscan/analyzer/model"
)

// appKind describes one azurerm function app resource type.
type appKind struct {
	flavor string // linux, windows, flex, legacy
	os     string // linux, windows; "" when os_type decides (legacy)
	slot   bool
}

func (k appKind) legacy() bool { return k.flavor == "legacy" }
func (k appKind) flex() bool   { return k.flavor == "flex" }

// appKindOf reports whether typ is a function app (or slot) resource type.
// Web apps (azurerm_linux_web_app, azurerm_app_service) are not.
func appKindOf(typ string) (appKind, bool) {
	switch typ {
	case "azurerm_linux_function_app":
		return appKind{flavor: "linux", os: "linux"}, true
	case "azurerm_windows_function_app":
		return appKind{flavor: "windows", os: "windows"}, true
	case "azurerm_function_app_flex_consumption":
		return appKind{flavor: "flex", os: "linux"}, true
	case "azurerm_function_app":
		return appKind{flavor: "legacy"}, true
	case "azurerm_linux_function_app_slot":
		return appKind{flavor: "linux", os: "linux", slot: true}, true
	case "azurerm_windows_function_app_slot":
		return appKind{flavor: "windows", os: "windows", slot: true}, true
	case "azurerm_function_app_slot":
		return appKind{flavor: "legacy", slot: true}, true
	}
	return appKind{}, false
}

// Notes for values the provider cannot set on some flavors.
const (
	noteLegacyPublic = "azurerm_function_app has no public_network_access_enabled argument; public access is enabled"
	noteLegacyFTP    = "azurerm_function_app has no ftp_publish_basic_authentication_enabled argument; FTP basic authentication is enabled"
	noteLegacySCM    = "azurerm_function_app has no webdeploy_publish_basic_authentication_enabled argument; SCM basic authentication is enabled"
	noteFlexFTP      = "no FTP on Flex Consumption"
	noteNoArgument   = "no azurerm argument; only azapi can set it"
)

// functionApp maps one function app (or slot) instance to the model.
// Relations (storage account, plan, private endpoints, diagnostic
// settings, swift connections, parent app) are resolved later by link.
func (b *builder) functionApp(inst *instance, k appKind) *model.FunctionApp {
	f := newFields(b.s, inst)
	body := inst.body
	app := &model.FunctionApp{Resource: header(b.s, inst)}
	at := f.at

	app.Name = required(f, body, "", "name", toString)
	app.Flavor = model.Set(k.flavor, at, f.addr)
	if k.os != "" {
		app.OS = model.Set(k.os, at, f.addr)
	} else {
		osType := f.str(body, "", "os_type", "", "os_type not set; the app runs on Windows")
		app.OS = osType
		if osType.Origin != model.Unknown {
			if strings.EqualFold(osType.V, "linux") {
				app.OS.V = "linux"
			} else {
				app.OS.V = "windows"
			}
		}
	}
	app.IsSlot = model.Set(k.slot, at, f.addr)
	if k.slot {
		app.SlotName = required(f, body, "", "name", toString)
		// Parent is resolved by link from function_app_id / function_app_name.
		app.Parent = model.Unresolved[string](at, f.addr, "the parent function app is not in the scanned module")
	} else {
		app.SlotName = model.Set("", at, f.addr)
		app.Parent = model.Set("", at, f.addr)
	}

	sc := body.sub("site_config")

	// Network
	if k.legacy() {
		app.PublicNetworkAccess = model.Defaulted(true, at, f.addr, noteLegacyPublic)
	} else {
		app.PublicNetworkAccess = f.boolean(body, "", "public_network_access_enabled", true, "")
	}
	app.VNetSubnetID = f.str(body, "", "virtual_network_subnet_id", "", "virtual_network_subnet_id not set")
	app.VNetIntegrated = vnetIntegrated(f, body.attr("virtual_network_subnet_id"), app.VNetSubnetID)
	switch {
	case k.flex():
		app.VNetRouteAll = model.Defaulted(false, at, f.addr, "azurerm has no vnet_route_all_enabled for Flex Consumption; platform default assumed")
	default:
		app.VNetRouteAll = f.boolean(sc, "site_config", "vnet_route_all_enabled", false, "")
	}
	app.PrivateEndpoints = model.List[*model.EndpointLink]{Meta: f.defaultMeta("no azurerm_private_endpoint in the module targets this app")}

	// Transport
	app.HTTPSOnly = f.boolean(body, "", "https_only", false, "")
	if k.legacy() {
		app.ClientCertMode, app.ClientCertEnabled = legacyClientCert(f, body)
	} else {
		app.ClientCertEnabled = f.boolean(body, "", "client_certificate_enabled", false, "")
		app.ClientCertMode = f.str(body, "", "client_certificate_mode", "Optional", "")
	}
	app.EndToEndEncryption = model.Defaulted(false, at, f.addr, noteNoArgument)

	// Identity and access
	app.Identity = identity(f, body)
	app.KeyVaultReferenceIdentity = f.str(body, "", "key_vault_reference_identity_id", "SystemAssigned",
		"key_vault_reference_identity_id not set; Key Vault references use the system-assigned identity")
	switch {
	case k.legacy():
		app.FTPBasicAuth = model.Defaulted(true, at, f.addr, noteLegacyFTP)
		app.SCMBasicAuth = model.Defaulted(true, at, f.addr, noteLegacySCM)
	case k.flex():
		app.FTPBasicAuth = model.Defaulted(false, at, f.addr, noteFlexFTP)
		app.SCMBasicAuth = f.boolean(body, "", "webdeploy_publish_basic_authentication_enabled", true, "")
	default:
		app.FTPBasicAuth = f.boolean(body, "", "ftp_publish_basic_authentication_enabled", true, "")
		app.SCMBasicAuth = f.boolean(body, "", "webdeploy_publish_basic_authentication_enabled", true, "")
	}
	app.AdminIsolation = model.Defaulted(false, at, f.addr, noteNoArgument)
	app.Auth = auth(f, body)

	// Host storage (the account itself is linked later)
	b.hostStorage(f, app, body, k)

	// Settings
	app.AppSettings = f.settings(body, "app_settings")
	app.ConnectionStrings = connectionStrings(f, body)

	// Runtime and platform
	switch {
	case k.legacy():
		app.FunctionsExtensionVersion = f.str(body, "", "version", "~1", "")
		app.BuiltinLogging = f.boolean(body, "", "enable_builtin_logging", true, "")
	case k.flex():
		app.FunctionsExtensionVersion = model.Defaulted("~4", at, f.addr, "Flex Consumption runs the Functions host v4")
		app.BuiltinLogging = model.Defaulted(false, at, f.addr, "built-in logging (AzureWebJobsDashboard) is not available on Flex Consumption")
	default:
		app.FunctionsExtensionVersion = f.str(body, "", "functions_extension_version", "~4", "")
		app.BuiltinLogging = f.boolean(body, "", "builtin_logging_enabled", true, "")
	}
	app.DailyMemoryTimeQuota = f.integer(body, "", "daily_memory_time_quota", 0, "daily_memory_time_quota not set; 0 means no quota")
	if k.flex() {
		app.MaximumInstanceCount = f.integer(body, "", "maximum_instance_count", 0, "maximum_instance_count not set; the platform maximum applies")
	} else {
		app.MaximumInstanceCount = model.Defaulted[int64](0, at, f.addr, "maximum_instance_count applies only to Flex Consumption")
	}

	app.SiteConfig = siteConfig(f, body, sc, k, app)
	app.Backup = backup(f, body, k)
	app.DiagnosticSettings = model.List[*model.DiagnosticSetting]{Meta: f.defaultMeta("no azurerm_monitor_diagnostic_setting in the module targets this app")}
	return app
}

// vnetIntegrated decides VNet integration from virtual_network_subnet_id.
// A reference to a subnet's id is unknown until apply but certainly set.
func vnetIntegrated(f *fields, a *evalAttr, subnet model.String) model.Bool {
	switch subnet.Origin {
	case model.Explicit:
		return model.Set(subnet.V != "", subnet.Range, f.addr)
	case model.Default:
		return model.Defaulted(false, subnet.Range, f.addr, "no virtual_network_subnet_id and no swift connection targets this app")
	}
	if a != nil {
		raw := unmarked(f.s.attrValue(a))
		if raw.Type() == cty.String && raw.Range().DefinitelyNotNull() {
			return model.Set(true, subnet.Range, f.addr)
		}
		if ms := marksOf(f.s.attrValue(a)); len(ms.unsetVars) == 0 && len(ms.funcs) == 0 && hasComputedRef(ms) {
			return model.Set(true, subnet.Range, f.addr)
		}
	}
	return model.Unresolved[bool](subnet.Range, f.addr, subnet.Note)
}

// hasComputedRef reports whether a value comes from an attribute another
// resource computes at apply time (such as a subnet's id).
func hasComputedRef(ms markSet) bool {
	for _, r := range ms.refs {
		if r.Unknown {
			return true
		}
	}
	return false
}

// legacyClientCert: azurerm_function_app enables client certificates
// whenever client_cert_mode is set (clientCertEnabled := mode != "").
func legacyClientCert(f *fields, body *evalBody) (model.String, model.Bool) {
	if body.attr("client_cert_mode") == nil {
		return model.Defaulted("Optional", f.at, f.addr, "client_cert_mode not set"),
			model.Defaulted(false, f.at, f.addr, "client_cert_mode not set; azurerm_function_app enables client certificates only with it")
	}
	mode := f.str(body, "", "client_cert_mode", "Optional", "")
	switch mode.Origin {
	case model.Explicit:
		return mode, model.Set(mode.V != "", mode.Range, f.addr)
	case model.Unknown:
		return mode, model.Unresolved[bool](mode.Range, f.addr, mode.Note)
	}
	return mode, model.Defaulted(false, mode.Range, f.addr, mode.Note)
}

func identity(f *fields, body *evalBody) model.Identity {
	id := body.sub("identity")
	if id == nil {
		return model.Identity{
			Type:        model.Defaulted("None", f.at, f.addr, "no identity block"),
			IdentityIDs: model.List[model.String]{Meta: f.defaultMeta("no identity block")},
		}
	}
	return model.Identity{
		Type:        required(f, id, "identity", "type", toString),
		IdentityIDs: f.strList(id, "identity", "identity_ids", ""),
	}
}

// kvIdentityByReference decides what derive.App cannot: a
// key_vault_reference_identity_id that references a user-assigned
// identity's id is unknown until apply, and so are the identity_ids that
// reference it; the identity is assigned when identity_ids references the
// same identity attribute.
func kvIdentityByReference(s *scope, inst *instance, app *model.FunctionApp) {
	if app.KeyVaultReferenceIdentityAssigned.Known() || !app.Identity.Type.Known() ||
		!strings.Contains(strings.ToLower(app.Identity.Type.V), "userassigned") {
		return
	}
	kv := inst.body.attr("key_vault_reference_identity_id")
	id := inst.body.sub("identity")
	if kv == nil || id == nil || id.unknown != "" {
		return
	}
	ids := id.attr("identity_ids")
	if ids == nil {
		return
	}
	have := marksOf(s.attrValue(ids)).refs
	for _, w := range marksOf(s.attrValue(kv)).refs {
		for _, h := range have {
			if w.Address == h.Address && w.Attribute == h.Attribute {
				m := app.KeyVaultReferenceIdentity.Meta
				m.Origin, m.Note = model.Explicit, ""
				app.KeyVaultReferenceIdentityAssigned = model.Bool{V: true, Meta: m}
				return
			}
		}
	}
}

// auth reads Easy Auth: auth_settings_v2 when present, else the legacy
// auth_settings (v1), else disabled.
func auth(f *fields, body *evalBody) model.Auth {
	if v2 := body.sub("auth_settings_v2"); v2 != nil {
		const p = "auth_settings_v2"
		return model.Auth{
			Enabled:               f.boolean(v2, p, "auth_enabled", false, ""),
			Version:               model.Set("v2", toRange(v2.def), f.addr),
			RequireAuthentication: f.boolean(v2, p, "require_authentication", false, ""),
			UnauthenticatedAction: f.str(v2, p, "unauthenticated_action", "RedirectToLoginPage", ""),
			RequireHTTPS:          f.boolean(v2, p, "require_https", true, ""),
			InlineSecrets:         model.List[*model.Setting]{Meta: f.meta(v2.def)},
		}
	}
	if v1 := body.sub("auth_settings"); v1 != nil {
		const p = "auth_settings"
		action := f.str(v1, p, "unauthenticated_client_action", "RedirectToLoginPage",
			"auth_settings.unauthenticated_client_action not set; platform default \"RedirectToLoginPage\" assumed")
		require := model.Bool{V: action.V != "AllowAnonymous", Meta: action.Meta}
		return model.Auth{
			Enabled:               required(f, v1, p, "enabled", toBool),
			Version:               model.Set("v1", toRange(v1.def), f.addr),
			RequireAuthentication: require,
			UnauthenticatedAction: action,
			RequireHTTPS:          model.Defaulted(true, f.at, f.addr, "auth_settings (v1) has no require_https; HTTPS is required by default"),
			InlineSecrets:         inlineAuthSecrets(f, v1),
		}
	}
	none := "no auth_settings or auth_settings_v2 block"
	return model.Auth{
		Enabled:               model.Defaulted(false, f.at, f.addr, none),
		Version:               model.Defaulted("", f.at, f.addr, none),
		RequireAuthentication: model.Defaulted(false, f.at, f.addr, none),
		UnauthenticatedAction: model.Defaulted("RedirectToLoginPage", f.at, f.addr, none),
		RequireHTTPS:          model.Defaulted(true, f.at, f.addr, none),
		InlineSecrets:         model.List[*model.Setting]{Meta: f.defaultMeta(none)},
	}
}

// inlineAuthSecrets lists identity-provider secrets written inline in
// auth_settings (v1) instead of a *_setting_name reference.
func inlineAuthSecrets(f *fields, v1 *evalBody) model.List[*model.Setting] {
	out := model.List[*model.Setting]{Meta: f.meta(v1.def)}
	if v1.unknown != "" {
		out.Meta = f.unknownMeta(v1.def, v1.unknown)
		return out
	}
	for _, p := range []struct{ block, attr string }{
		{"active_directory", "client_secret"},
		{"facebook", "app_secret"},
		{"github", "client_secret"},
		{"google", "client_secret"},
		{"microsoft", "client_secret"},
		{"twitter", "consumer_secret"},
	} {
		blk := v1.sub(p.block)
		if blk == nil {
			continue
		}
		path := "auth_settings." + p.block + "." + p.attr
		if blk.unknown != "" {
			out.Meta = f.unknownMeta(blk.def, blk.unknown)
			continue
		}
		a := blk.attr(p.attr)
		if a == nil {
			continue
		}
		out.Items = append(out.Items, f.setting(path, a.rng, f.s.attrValue(a), a.rng, path))
	}
	return out
}

// hostStorage reads the app's host storage arguments.
func (b *builder) hostStorage(f *fields, app *model.FunctionApp, body *evalBody, k appKind) {
	at := f.at
	switch {
	case k.flex():
		if body.attr("function_app_storage_account_name") != nil {
			app.StorageAccountName = f.str(body, "", "function_app_storage_account_name", "", "")
		} else {
			app.StorageAccountName = flexStorageName(f, body)
		}
		switch {
		case body.attr("function_app_storage_uses_managed_identity") != nil:
			app.StorageUsesIdentity = f.boolean(body, "", "function_app_storage_uses_managed_identity", false, "")
		default:
			authType := required(f, body, "", "storage_authentication_type", toString)
			app.StorageUsesIdentity = model.Bool{V: authType.V != "" && !strings.EqualFold(authType.V, "StorageAccountConnectionString"), Meta: authType.Meta}
		}
		if body.attr("function_app_storage_account_access_key") != nil {
			app.StorageAccessKey = f.secret(body, "", "function_app_storage_account_access_key", "")
		} else {
			app.StorageAccessKey = f.secret(body, "", "storage_access_key", "storage_access_key not set")
		}
	case k.legacy():
		app.StorageAccountName = required(f, body, "", "storage_account_name", toString)
		app.StorageUsesIdentity = model.Defaulted(false, at, f.addr, "azurerm_function_app always authenticates to its storage with the access key")
		app.StorageAccessKey = f.secret(body, "", "storage_account_access_key", "storage_account_access_key not set")
		if a := setAttr(b.s, body, "storage_account_access_key"); a != nil {
			app.StorageUsesIdentity = model.Set(false, toRange(a.rng), f.addr)
			app.StorageUsesIdentity.Note = "azurerm_function_app always authenticates to its storage with the access key"
		}
	default:
		app.StorageAccountName = f.str(body, "", "storage_account_name", "", "storage_account_name not set")
		app.StorageUsesIdentity = f.boolean(body, "", "storage_uses_managed_identity", false, "")
		app.StorageAccessKey = f.secret(body, "", "storage_account_access_key", "storage_account_access_key not set")
		app.StorageKeyInKeyVault = model.Defaulted(false, at, f.addr, "storage_key_vault_secret_id not set")
		// storage_account_access_key and storage_key_vault_secret_id
		// conflict with storage_uses_managed_identity: either says the
		// host connects with the account key.
		if a := setAttr(b.s, body, "storage_key_vault_secret_id"); a != nil {
			app.StorageUsesIdentity = model.Set(false, toRange(a.rng), f.addr)
			app.StorageUsesIdentity.Note = "storage_key_vault_secret_id is set: the host connects with the account key held in Key Vault"
			app.StorageKeyInKeyVault = model.Set(true, toRange(a.rng), f.addr)
		} else if a := setAttr(b.s, body, "storage_account_access_key"); a != nil {
			app.StorageUsesIdentity = model.Set(false, toRange(a.rng), f.addr)
			app.StorageUsesIdentity.Note = "storage_account_access_key is set: the host connects with the account key"
		}
		for _, name := range []string{"storage_account_name", "storage_account_access_key", "storage_uses_managed_identity", "storage_key_vault_secret_id"} {
			if a := setAttr(b.s, body, name); a != nil {
				app.StorageConfigured = model.Set(true, toRange(a.rng), f.addr)
				return
			}
		}
		// None set: derive reads the AzureWebJobsStorage app settings.
		return
	}
	app.StorageConfigured = model.Set(true, at, f.addr)
	app.StorageKeyInKeyVault = model.Defaulted(false, at, f.addr, "the storage key is not held in Key Vault")
}

// setAttr returns the attribute name of body unless its value is known to
// be null (a variable defaulting to null leaves the argument unset).
func setAttr(s *scope, body *evalBody, name string) *evalAttr {
	a := body.attr(name)
	if a == nil {
		return nil
	}
	if v := unmarked(s.attrValue(a)); v.IsKnown() && v.IsNull() {
		return nil
	}
	return a
}

// flexStorageName derives the deployment storage account of a Flex app
// from storage_container_endpoint (https://<account>.blob.core.windows.net/<container>).
func flexStorageName(f *fields, body *evalBody) model.String {
	ep := f.str(body, "", "storage_container_endpoint", "", "storage_container_endpoint not set")
	if ep.Origin != model.Explicit {
		return ep
	}
	host := ep.V
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	name, _, ok := strings.Cut(host, ".")
	if !ok || name == "" {
		return model.Unresolved[string](ep.Range, f.addr, "storage_container_endpoint does not name a storage account")
	}
	return model.Set(name, ep.Range, f.addr)
}

func connectionStrings(f *fields, body *evalBody) model.List[*model.Setting] {
	const name = "connection_string"
	if body.isDynamic(name) {
		return model.List[*model.Setting]{Meta: f.unknownMeta(body.dynamic[name][0], name+" is generated by a dynamic block whose for_each is not known before apply")}
	}
	blocks := body.blocks[name]
	if len(blocks) == 0 {
		return model.List[*model.Setting]{Meta: f.defaultMeta("no connection_string block")}
	}
	out := model.List[*model.Setting]{Meta: f.meta(blocks[0].def)}
	for i, cs := range blocks {
		path := fmt.Sprintf("connection_string[%d]", i)
		item := &model.Setting{
			Name: required(f, cs, path, "name", toString),
			Type: required(f, cs, path, "type", toString),
		}
		if a := cs.attr("value"); a != nil {
			v := f.s.attrValue(a)
			src, attr := classify(v)
			r := toRange(a.rng)
			item.Value = fromValue(f, v, a.rng, path+".value", model.Sensitive(""), path+".value is null", toSecret)
			item.Source = model.Set(string(src), r, f.addr)
			item.Attribute = model.Set(attr, r, f.addr)
		} else {
			item.Value = model.Unresolved[model.Sensitive](toRange(cs.def), f.addr, path+".value is required but not set")
			item.Source = model.Set(string(model.SourceUnknown), toRange(cs.def), f.addr)
			item.Attribute = model.Set("", toRange(cs.def), f.addr)
		}
		out.Items = append(out.Items, item)
	}
	return out
}

func siteConfig(f *fields, body, sc *evalBody, k appKind, app *model.FunctionApp) model.SiteConfig {
	const p = "site_config"
	at := f.at
	var c model.SiteConfig
	if k.legacy() {
		c.MinTLSVersion = f.str(sc, p, "min_tls_version", "1.2", "")
		c.SCMMinTLSVersion = model.Defaulted("1.2", at, f.addr, "azurerm_function_app has no scm_minimum_tls_version; platform default \"1.2\"")
		c.FTPSState = f.str(sc, p, "ftps_state", "AllAllowed", "")
		c.RemoteDebugging = model.Defaulted(false, at, f.addr, "azurerm_function_app has no remote_debugging_enabled; platform default false")
	} else {
		c.MinTLSVersion = f.str(sc, p, "minimum_tls_version", "1.2", "")
		c.SCMMinTLSVersion = f.str(sc, p, "scm_minimum_tls_version", "1.2", "")
		if k.flex() {
			c.FTPSState = model.Defaulted("Disabled", at, f.addr, "ftps_state does not apply: "+noteFlexFTP)
		} else {
			c.FTPSState = f.str(sc, p, "ftps_state", "Disabled", "")
		}
		c.RemoteDebugging = f.boolean(sc, p, "remote_debugging_enabled", false, "")
	}

	cors := sc.sub("cors")
	if cors == nil {
		c.CORS = model.CORS{
			AllowedOrigins:     model.List[model.String]{Meta: f.defaultMeta("no site_config.cors block")},
			SupportCredentials: model.Defaulted(false, at, f.addr, "no site_config.cors block"),
		}
	} else {
		c.CORS = model.CORS{
			AllowedOrigins:     f.strList(cors, p+".cors", "allowed_origins", ""),
			SupportCredentials: f.boolean(cors, p+".cors", "support_credentials", false, ""),
		}
	}

	c.IPRestrictions = restrictions(f, sc, "ip_restriction")
	c.SCMIPRestrictions = restrictions(f, sc, "scm_ip_restriction")
	c.SCMUseMainIPRestriction = f.boolean(sc, p, "scm_use_main_ip_restriction", false, "")
	if k.legacy() {
		// No argument: the platform allows all without rules and denies
		// unmatched traffic once a rule exists.
		c.IPRestrictionDefaultAction = implicitDefaultAction(f, c.IPRestrictions, "ip_restriction")
		c.SCMIPRestrictionDefaultAction = implicitDefaultAction(f, c.SCMIPRestrictions, "scm_ip_restriction")
	} else {
		c.IPRestrictionDefaultAction = f.str(sc, p, "ip_restriction_default_action", "Allow", "")
		c.SCMIPRestrictionDefaultAction = f.str(sc, p, "scm_ip_restriction_default_action", "Allow", "")
	}

	if k.flex() {
		c.AppScaleLimit = model.Defaulted[int64](0, at, f.addr, "app_scale_limit does not apply to Flex Consumption (see maximum_instance_count)")
	} else {
		c.AppScaleLimit = f.integer(sc, p, "app_scale_limit", 0, "site_config.app_scale_limit not set; no scale-out limit")
	}
	c.AppInsightsConnectionString = f.secret(sc, p, "application_insights_connection_string", "site_config.application_insights_connection_string not set")
	c.AppInsightsKey = f.secret(sc, p, "application_insights_key", "site_config.application_insights_key not set")

	switch {
	case k.flex():
		c.RuntimeName = required(f, body, "", "runtime_name", toString)
		c.RuntimeVersion = required(f, body, "", "runtime_version", toString)
	case k.legacy():
		c.RuntimeName, c.RuntimeVersion = legacyRuntime(f, sc, app)
	default:
		c.RuntimeName, c.RuntimeVersion = applicationStack(f, sc.sub("application_stack"))
	}
	return c
}

// implicitDefaultAction is the platform behaviour when no default action can
// be configured: allow all without rules, deny unmatched with rules.
func implicitDefaultAction(f *fields, rules model.List[*model.IPRestriction], name string) model.String {
	switch {
	case rules.Origin == model.Unknown:
		return model.Unresolved[string](rules.Range, f.addr, rules.Note)
	case len(rules.Items) > 0:
		return model.Defaulted("Deny", rules.Range, f.addr, "no "+name+"_default_action argument; with rules the platform denies unmatched traffic")
	}
	return model.Defaulted("Allow", f.at, f.addr, "no "+name+"_default_action argument and no rules; the platform allows all traffic")
}

// restrictions reads ip_restriction / scm_ip_restriction blocks (or the
// attribute form older providers accept: ip_restriction = [ {...} ]).
func restrictions(f *fields, sc *evalBody, name string) model.List[*model.IPRestriction] {
	path := "site_config." + name
	if sc == nil {
		return model.List[*model.IPRestriction]{Meta: f.defaultMeta("no " + path)}
	}
	if sc.unknown != "" {
		return model.List[*model.IPRestriction]{Meta: f.unknownMeta(sc.def, sc.unknown)}
	}
	if sc.isDynamic(name) {
		return model.List[*model.IPRestriction]{Meta: f.unknownMeta(sc.dynamic[name][0], path+" is generated by a dynamic block whose for_each is not known before apply")}
	}
	if a := sc.attr(name); a != nil {
		return restrictionsFromValue(f, a, path)
	}
	blocks := sc.blocks[name]
	if len(blocks) == 0 {
		return model.List[*model.IPRestriction]{Meta: f.defaultMeta("no " + path)}
	}
	out := model.List[*model.IPRestriction]{Meta: f.meta(blocks[0].def)}
	for i, blk := range blocks {
		// Defaults inside a rule are blamed on the rule's block.
		bf := *f
		bf.at = toRange(blk.def)
		p := fmt.Sprintf("%s[%d]", path, i)
		out.Items = append(out.Items, &model.IPRestriction{
			Name:       bf.str(blk, p, "name", "", p+".name not set"),
			Action:     bf.str(blk, p, "action", "Allow", ""),
			IPAddress:  bf.str(blk, p, "ip_address", "", p+".ip_address not set"),
			ServiceTag: bf.str(blk, p, "service_tag", "", p+".service_tag not set"),
			SubnetID:   bf.str(blk, p, "virtual_network_subnet_id", "", p+".virtual_network_subnet_id not set"),
			Priority:   bf.integer(blk, p, "priority", 65000, ""),
		})
	}
	return out
}

func restrictionsFromValue(f *fields, a *evalAttr, path string) model.List[*model.IPRestriction] {
	v := f.s.attrValue(a)
	top, topMarks := v.Unmark()
	if !top.IsKnown() {
		return model.List[*model.IPRestriction]{Meta: f.unknownMeta(a.rng, unknownWhy(path, marksOf(v)))}
	}
	if top.IsNull() {
		return model.List[*model.IPRestriction]{Meta: f.defaultMeta(path + " is null")}
	}
	ty := top.Type()
	if !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
		return model.List[*model.IPRestriction]{Meta: f.unknownMeta(a.rng, path+" is not a list")}
	}
	out := model.List[*model.IPRestriction]{Meta: withTrail(f.meta(a.rng), v)}
	i := 0
	for it := top.ElementIterator(); it.Next(); i++ {
		_, el := it.Element()
		el = el.WithMarks(topMarks)
		p := fmt.Sprintf("%s[%d]", path, i)
		field := func(name string, def string) model.String {
			return objField(f, el, a, p, name, def, toString)
		}
		out.Items = append(out.Items, &model.IPRestriction{
			Name:       field("name", ""),
			Action:     field("action", "Allow"),
			IPAddress:  field("ip_address", ""),
			ServiceTag: field("service_tag", ""),
			SubnetID:   field("virtual_network_subnet_id", ""),
			Priority:   objField(f, el, a, p, "priority", int64(65000), toInt),
		})
	}
	return out
}

// objField reads an attribute of an object value held by attribute a.
func objField[T any](f *fields, obj cty.Value, a *evalAttr, path, name string, def T, conv func(cty.Value) (T, error)) model.Value[T] {
	top, marks := obj.Unmark()
	p := join(path, name)
	if !top.IsKnown() {
		return model.Unresolved[T](toRange(a.rng), f.addr, unknownWhy(p, marksOf(obj)))
	}
	if top.IsNull() || (!top.Type().IsObjectType() && !top.Type().IsMapType()) {
		return model.Defaulted(def, toRange(a.rng), f.addr, defaultNote(p, def, ""))
	}
	var v cty.Value
	switch {
	case top.Type().IsObjectType() && top.Type().HasAttribute(name):
		v = top.GetAttr(name)
	case top.Type().IsMapType() && top.HasIndex(cty.StringVal(name)).True():
		v = top.Index(cty.StringVal(name))
	default:
		return model.Defaulted(def, toRange(a.rng), f.addr, defaultNote(p, def, ""))
	}
	return fromValue(f, v.WithMarks(marks), a.rng, p, def, "", conv)
}

// applicationStack derives the language runtime of L/W apps.
func applicationStack(f *fields, stack *evalBody) (name, version model.String) {
	const p = "site_config.application_stack"
	if stack == nil {
		note := "no site_config.application_stack block"
		return model.Defaulted("", f.at, f.addr, note), model.Defaulted("", f.at, f.addr, note)
	}
	if stack.unknown != "" {
		return model.Unresolved[string](toRange(stack.def), f.addr, stack.unknown), model.Unresolved[string](toRange(stack.def), f.addr, stack.unknown)
	}
	for _, lang := range []struct{ attr, name string }{
		{"dotnet_version", "dotnet"},
		{"java_version", "java"},
		{"node_version", "node"},
		{"python_version", "python"},
		{"powershell_core_version", "powershell"},
	} {
		a := stack.attr(lang.attr)
		if a == nil {
			continue
		}
		version = f.str(stack, p, lang.attr, "", "")
		if version.Origin == model.Default {
			continue // null: not this language
		}
		name = model.Set(lang.name, toRange(a.rng), f.addr)
		if lang.name == "dotnet" {
			iso := f.boolean(stack, p, "use_dotnet_isolated_runtime", false, "")
			switch {
			case iso.Origin == model.Unknown:
				name = model.Unresolved[string](iso.Range, f.addr, iso.Note)
			case iso.V:
				name.V = "dotnet-isolated"
			}
		}
		return name, version
	}
	if stack.sub("docker") != nil {
		return model.Set("docker", toRange(stack.def), f.addr), model.Defaulted("", toRange(stack.def), f.addr, "container image; no language version")
	}
	if custom := f.boolean(stack, p, "use_custom_runtime", false, ""); custom.Origin == model.Explicit && custom.V {
		return model.Set("custom", custom.Range, f.addr), model.Defaulted("", custom.Range, f.addr, "custom runtime; no language version")
	}
	note := "site_config.application_stack sets no language"
	return model.Defaulted("", toRange(stack.def), f.addr, note), model.Defaulted("", toRange(stack.def), f.addr, note)
}

// legacyRuntime derives the runtime of azurerm_function_app from the
// FUNCTIONS_WORKER_RUNTIME setting and site_config.linux_fx_version.
func legacyRuntime(f *fields, sc *evalBody, app *model.FunctionApp) (name, version model.String) {
	name = model.Defaulted("", f.at, f.addr, "FUNCTIONS_WORKER_RUNTIME not set")
	version = model.Defaulted("", f.at, f.addr, "runtime version not set")
	for _, s := range app.AppSettings.Items {
		switch s.Name.V {
		case "FUNCTIONS_WORKER_RUNTIME":
			name = model.String{V: string(s.Value.V), Meta: s.Value.Meta}
		case "WEBSITE_NODE_DEFAULT_VERSION":
			version = model.String{V: string(s.Value.V), Meta: s.Value.Meta}
		}
	}
	if fx := f.str(sc, "site_config", "linux_fx_version", "", ""); fx.Origin != model.Default {
		if fx.Origin == model.Unknown {
			return name, fx
		}
		if lang, ver, ok := strings.Cut(fx.V, "|"); ok {
			if name.Origin == model.Default {
				name = model.String{V: strings.ToLower(lang), Meta: fx.Meta}
			}
			version = model.String{V: ver, Meta: fx.Meta}
		}
	}
	return name, version
}

func backup(f *fields, body *evalBody, k appKind) model.Backup {
	if k.flex() {
		note := "backup is not available on Flex Consumption"
		return model.Backup{
			Configured:          model.Defaulted(false, f.at, f.addr, note),
			Enabled:             model.Defaulted(false, f.at, f.addr, note),
			StorageAccountURL:   model.Defaulted(model.Sensitive(""), f.at, f.addr, note),
			RetentionPeriodDays: model.Defaulted[int64](0, f.at, f.addr, note),
		}
	}
	bk := body.sub("backup")
	if bk == nil {
		note := "no backup block"
		return model.Backup{
			Configured:          model.Defaulted(false, f.at, f.addr, note),
			Enabled:             model.Defaulted(false, f.at, f.addr, note),
			StorageAccountURL:   model.Defaulted(model.Sensitive(""), f.at, f.addr, note),
			RetentionPeriodDays: model.Defaulted[int64](0, f.at, f.addr, note),
		}
	}
	configured := model.Set(true, toRange(bk.def), f.addr)
	if bk.unknown != "" {
		configured = model.Unresolved[bool](toRange(bk.def), f.addr, bk.unknown)
	}
	return model.Backup{
		Configured:          configured,
		Enabled:             f.boolean(bk, "backup", "enabled", true, ""),
		StorageAccountURL:   required(f, bk, "backup", "storage_account_url", toSecret),
		RetentionPeriodDays: f.integer(bk.sub("schedule"), "backup.schedule", "retention_period_days", 30, ""),
	}
}
