package model

// Format names the kind of source a module was read from.
type Format string

// The formats azfuncscan reads.
const (
	Terraform Format = "terraform"
	ARM       Format = "arm"
	Pulumi    Format = "pulumi"
)

// Resource is the identity every modelled resource has.
type Resource struct {
	// Address is the stable, format-specific identity used in findings and
	// fingerprints: a Terraform address, an ARM resource id expression, a
	// Pulumi URN.
	Address string `json:"address"`
	// Type is the source resource type (azurerm_linux_function_app,
	// Microsoft.Web/sites, azure-native:web:WebApp).
	Type string `json:"type"`
	// Range is the whole resource block/object; defaults are blamed here.
	Range Range `json:"range"`
	// UnknownExistence, when set, says why the resource may or may not
	// exist (count, for_each or an ARM condition unknown before
	// deployment, a Pulumi resource pending deletion). Every finding on a
	// function app whose existence is unknown is undetermined.
	UnknownExistence string `json:"unknown_existence,omitempty"`
	// Module is the address of the enclosing module ("" for the root).
	Module string `json:"module,omitempty"`
	// Calls lists the module calls (outermost first) that led to this
	// resource, each named by the address of the module instance it
	// creates (module.app, module.app.module.db); report writers turn them
	// into related locations.
	Calls []Hop `json:"calls,omitempty"`
	// Related lists other places worth showing beside a finding on this
	// resource, each with what it is (the Bicep declaration an ARM
	// template was compiled from); report writers show them after the
	// module calls.
	Related []RelatedRange `json:"related,omitempty"`
	// Generated, when set, is the source the resource's file was compiled
	// from (the .bicep file beside an ARM template, with forward
	// slashes): the file is build output, even where the resource is
	// declared in no local source (a registry module's), and a fix edits
	// none of it.
	Generated string `json:"generated,omitempty"`
}

// RelatedRange is a secondary location of a resource and what it is.
type RelatedRange struct {
	Range   Range  `json:"range"`
	Message string `json:"message"`
}

// Header returns r; it lets generic code reach the Resource of any model type.
func (r *Resource) Header() *Resource { return r }

// FunctionApp is a function app or one of its deployment slots, normalized
// across formats. Field names are the names checks use (app.https_only, …).
//
// Booleans are phrased so that the field's name says what true means:
// public_network_access true means public access is enabled.
type FunctionApp struct {
	Resource `json:"-"`

	Name String `json:"name"`
	// Flavor is linux, windows, flex (Flex Consumption) or legacy
	// (azurerm_function_app and its slot).
	Flavor String `json:"flavor"`
	// OS is linux or windows.
	OS String `json:"os"`
	// Slot is set for deployment slots; Parent is the production app's address.
	IsSlot   Bool   `json:"is_slot"`
	SlotName String `json:"slot_name"`
	Parent   String `json:"parent"`
	// WeakerThanParent lists, for a deployment slot, the settings in which
	// it is weaker than its production app, named as the app's fields
	// (https_only, site_config.min_tls_version, …), each with the Meta of
	// the slot's value. Empty for production apps; unknown when the
	// production app is not in the module.
	WeakerThanParent List[String] `json:"weaker_than_parent"`

	// Network
	PublicNetworkAccess Bool                `json:"public_network_access"`
	VNetSubnetID        String              `json:"vnet_subnet_id"`
	VNetIntegrated      Bool                `json:"vnet_integrated"`
	VNetRouteAll        Bool                `json:"vnet_route_all"`
	PrivateEndpoints    List[*EndpointLink] `json:"private_endpoints"`

	// Transport
	HTTPSOnly          Bool   `json:"https_only"`
	ClientCertEnabled  Bool   `json:"client_cert_enabled"`
	ClientCertMode     String `json:"client_cert_mode"`
	EndToEndEncryption Bool   `json:"end_to_end_encryption"`

	// Identity and access
	Identity                  Identity `json:"identity"`
	KeyVaultReferenceIdentity String   `json:"key_vault_reference_identity"`
	FTPBasicAuth              Bool     `json:"ftp_basic_auth"`
	SCMBasicAuth              Bool     `json:"scm_basic_auth"`
	AdminIsolation            Bool     `json:"admin_isolation"`
	Auth                      Auth     `json:"auth"`
	// KeyVaultReferenceIdentityAssigned says whether the identity that
	// resolves Key Vault references (KeyVaultReferenceIdentity: the
	// system-assigned identity, or a user-assigned one by id) is assigned
	// to the app, so that @Microsoft.KeyVault(...) settings can resolve.
	KeyVaultReferenceIdentityAssigned Bool `json:"key_vault_reference_identity_assigned"`
	// FunctionKeysStorage is where the Functions host keeps function and
	// host keys: the AzureWebJobsSecretStorageType app setting (blob when
	// not set, files, keyvault, kubernetes).
	FunctionKeysStorage String `json:"function_keys_storage"`
	// FunctionKeysVault: the vault for keyvault key storage is named
	// (AzureWebJobsSecretStorageKeyVaultUri, or the older
	// AzureWebJobsSecretStorageKeyVaultName).
	FunctionKeysVault Bool `json:"function_keys_vault"`

	// Host storage. StorageConfigured: the code sets up the host storage
	// connection (storage arguments, an AzureWebJobsStorage app setting or
	// its identity-based form, Flex deployment storage); the other fields
	// describe that connection.
	StorageConfigured   Bool   `json:"storage_configured"`
	StorageAccountName  String `json:"storage_account_name"`
	StorageUsesIdentity Bool   `json:"storage_uses_identity"`
	StorageAccessKey    Secret `json:"storage_access_key"`
	// StorageKeyInKeyVault: the host storage connection uses the account
	// key, but the key is held in Key Vault (azurerm
	// storage_key_vault_secret_id, an AzureWebJobsStorage Key Vault
	// reference) rather than written into the app's settings.
	StorageKeyInKeyVault Bool            `json:"storage_key_in_key_vault"`
	StorageAccount       *StorageAccount `json:"storage_account"`

	// Settings
	AppSettings       List[*Setting] `json:"app_settings"`
	ConnectionStrings List[*Setting] `json:"connection_strings"`
	// StorageURLs lists the storage URLs the platform reads or writes on
	// the app's behalf, which carry a SAS token when they authenticate by
	// URL: the WEBSITE_RUN_FROM_PACKAGE (and legacy WEBSITE_USE_ZIP) app
	// settings and the backup's storage_account_url (named
	// backup.storage_account_url). Derived from the fields above.
	StorageURLs List[*Setting] `json:"storage_urls"`

	// Runtime and platform
	FunctionsExtensionVersion String `json:"functions_extension_version"`
	BuiltinLogging            Bool   `json:"builtin_logging"`
	DailyMemoryTimeQuota      Int    `json:"daily_memory_time_quota"`
	MaximumInstanceCount      Int    `json:"maximum_instance_count"`

	SiteConfig  SiteConfig  `json:"site_config"`
	AppInsights AppInsights `json:"app_insights"`
	Backup      Backup      `json:"backup"`

	// Linked resources. StorageLink and PlanLink say where and why the
	// parser linked StorageAccount and Plan (see LinkedBy); an unknown
	// link means the related resource could not be told.
	StorageLink        Meta                     `json:"-"`
	PlanLink           Meta                     `json:"-"`
	Plan               *Plan                    `json:"plan"`
	DiagnosticSettings List[*DiagnosticSetting] `json:"diagnostic_settings"`
	// DefenderPricing is the subscription's Microsoft Defender for App
	// Service pricing (the AppServices plan) when a pricing resource is in
	// the module, nil when none is: whether Defender is on cannot be
	// told from the code then. DefenderLink says why it was linked.
	DefenderPricing *DefenderPricing `json:"defender_pricing"`
	DefenderLink    Meta             `json:"-"`
}

// SiteConfig holds the site configuration (azurerm site_config, ARM
// siteConfig and Microsoft.Web/sites/config "web").
type SiteConfig struct {
	MinTLSVersion    String `json:"min_tls_version"`
	SCMMinTLSVersion String `json:"scm_min_tls_version"`
	FTPSState        String `json:"ftps_state"`
	RemoteDebugging  Bool   `json:"remote_debugging"`
	CORS             CORS   `json:"cors"`

	IPRestrictionDefaultAction    String               `json:"ip_restriction_default_action"`
	IPRestrictions                List[*IPRestriction] `json:"ip_restrictions"`
	SCMUseMainIPRestriction       Bool                 `json:"scm_use_main_ip_restriction"`
	SCMIPRestrictionDefaultAction String               `json:"scm_ip_restriction_default_action"`
	SCMIPRestrictions             List[*IPRestriction] `json:"scm_ip_restrictions"`

	AppScaleLimit               Int    `json:"app_scale_limit"`
	AppInsightsConnectionString Secret `json:"app_insights_connection_string"`
	AppInsightsKey              Secret `json:"app_insights_key"`
	RuntimeName                 String `json:"runtime_name"`
	RuntimeVersion              String `json:"runtime_version"`
}

// CORS is the app's cross-origin policy.
type CORS struct {
	AllowedOrigins     List[String] `json:"allowed_origins"`
	SupportCredentials Bool         `json:"support_credentials"`
}

// IPRestriction is one access-restriction rule.
type IPRestriction struct {
	Name       String `json:"name"`
	Action     String `json:"action"`
	IPAddress  String `json:"ip_address"`
	ServiceTag String `json:"service_tag"`
	SubnetID   String `json:"subnet_id"`
	Priority   Int    `json:"priority"`
}

// Identity is the managed identity assignment. Type is one of None,
// SystemAssigned, UserAssigned, "SystemAssigned, UserAssigned".
type Identity struct {
	Type        String       `json:"type"`
	IdentityIDs List[String] `json:"identity_ids"`
}

// Auth is App Service Authentication (Easy Auth), v2 or legacy v1.
type Auth struct {
	Enabled               Bool           `json:"enabled"`
	Version               String         `json:"version"`
	RequireAuthentication Bool           `json:"require_authentication"`
	UnauthenticatedAction String         `json:"unauthenticated_action"`
	RequireHTTPS          Bool           `json:"require_https"`
	InlineSecrets         List[*Setting] `json:"inline_secrets"`
	// AnonymousAllowed is derived: unauthenticated requests reach the app
	// (RequireAuthentication false, or UnauthenticatedAction
	// AllowAnonymous), with the Meta of the value that decides it.
	AnonymousAllowed Bool `json:"anonymous_allowed"`
}

// AppInsights says how the app sends telemetry to Application Insights,
// from the site configuration and the app settings
// (APPLICATIONINSIGHTS_CONNECTION_STRING, APPINSIGHTS_INSTRUMENTATIONKEY,
// APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
type AppInsights struct {
	// Configured: a connection string or an instrumentation key is set
	// (true also when its value is known only at deployment, such as a
	// reference to an Application Insights resource).
	Configured Bool `json:"configured"`
	// ConnectionString: configured with a connection string, not only the
	// legacy instrumentation key.
	ConnectionString Bool `json:"connection_string"`
	// EntraAuth: the authentication string says Authorization=AAD, so
	// telemetry is sent with a Microsoft Entra token instead of the key.
	EntraAuth Bool `json:"entra_auth"`
}

// Backup is the app backup configuration.
type Backup struct {
	Configured          Bool   `json:"configured"`
	Enabled             Bool   `json:"enabled"`
	StorageAccountURL   Secret `json:"storage_account_url"`
	RetentionPeriodDays Int    `json:"retention_period_days"`
}

// ValueSource classifies where a setting's value comes from, which decides
// whether it can be a plaintext secret (030) or a deploy-time secret (034).
type ValueSource string

// Value sources of settings.
const (
	// SourceLiteral: the value is in the source text (directly or through
	// variables/locals/parameters with a default).
	SourceLiteral ValueSource = "literal"
	// SourceKeyVault: a Key Vault reference @Microsoft.KeyVault(...).
	SourceKeyVault ValueSource = "keyvault_reference"
	// SourceResource: another resource's attribute resolved at apply time
	// (azurerm_storage_account.x.primary_connection_string, listKeys()).
	SourceResource ValueSource = "resource_attribute"
	// SourceSensitiveInput: a sensitive variable or securestring parameter.
	SourceSensitiveInput ValueSource = "sensitive_input"
	// SourceSecretEnvelope: a Pulumi secret (ciphertext in state).
	SourceSecretEnvelope ValueSource = "secret_envelope"
	// SourceUnknown: none of the above can be told.
	SourceUnknown ValueSource = "unknown"
)

// Setting is one app setting, connection string or inline auth secret.
// Value is Sensitive: checks read it, no writer ever prints it.
type Setting struct {
	Name  String `json:"name"`
	Value Secret `json:"value"`
	// Source is a ValueSource.
	Source String `json:"source"`
	// Attribute names the resource attribute a SourceResource value comes
	// from, e.g. primary_connection_string.
	Attribute String `json:"attribute"`
	// Type is the connection string type (SQLAzure, Custom, …) if any.
	Type String `json:"type"`
}

// EndpointLink is a private endpoint connection that targets an app or a
// storage account.
type EndpointLink struct {
	Resource `json:"-"`
	// Link says where and why the endpoint was linked to its target (see
	// LinkedBy).
	Link             Meta         `json:"-"`
	Name             String       `json:"name"`
	SubresourceNames List[String] `json:"subresource_names"`
}

// DiagnosticSetting streams a resource's logs somewhere.
type DiagnosticSetting struct {
	Resource `json:"-"`
	// Link says where and why the setting was linked to its target (see
	// LinkedBy).
	Link Meta   `json:"-"`
	Name String `json:"name"`
	// LogCategories lists enabled log categories and category groups.
	LogCategories List[String] `json:"log_categories"`
	// HasDestination is true when a workspace, storage account, event hub
	// or partner solution is configured.
	HasDestination Bool `json:"has_destination"`
}

// Plan is the hosting plan (App Service plan / serverfarm).
type Plan struct {
	Resource `json:"-"`
	Name     String `json:"name"`
	SKU      String `json:"sku"`
	// Tier is the pricing tier the SKU belongs to: Dynamic (Consumption
	// Y1), FlexConsumption (FC1), ElasticPremium (EP*), Free, Shared,
	// Basic, Standard, Premium (P*v2, P*v3, P*mv3), Isolated (I*, I*v2),
	// WorkflowStandard (WS*), or "" for a SKU it cannot tell.
	Tier          String `json:"tier"`
	OS            String `json:"os"`
	ZoneRedundant Bool   `json:"zone_redundant"`
}

// DefenderPricing is a Microsoft Defender for Cloud subscription pricing
// for App Service (azurerm_security_center_subscription_pricing with
// resource_type AppServices, Microsoft.Security/pricings named
// AppServices). It covers every app of the subscription.
type DefenderPricing struct {
	Resource `json:"-"`
	// Tier is Standard (Defender on) or Free (off).
	Tier String `json:"tier"`
}

// StorageAccount is a storage account that hosts a function app.
type StorageAccount struct {
	Resource `json:"-"`

	Name                  String              `json:"name"`
	PublicNetworkAccess   Bool                `json:"public_network_access"`
	NetworkDefaultAction  String              `json:"network_default_action"`
	SharedKeyAccess       Bool                `json:"shared_key_access"`
	MinTLSVersion         String              `json:"min_tls_version"`
	HTTPSTrafficOnly      Bool                `json:"https_traffic_only"`
	AllowBlobPublicAccess Bool                `json:"allow_blob_public_access"`
	ReplicationType       String              `json:"replication_type"`
	PrivateEndpoints      List[*EndpointLink] `json:"private_endpoints"`
	// AppCount is the number of function apps of the module whose host
	// storage this account is (a slot counts with its production app).
	AppCount Int `json:"app_count"`
}

// Module is the unit a parser produces and the engine checks: one Terraform
// module instance, one ARM template (with its nested deployments) or one
// Pulumi stack. Linked resources are shared pointers; every resource of the
// module is also listed here, linked or not.
type Module struct {
	Format Format `json:"format"`
	// Path is the directory or file the module was read from: the root
	// every value of the module was evaluated from (a Terraform root
	// module directory, an ARM template file, a Pulumi stack export). The
	// same called module evaluated from two roots gives two Modules.
	Path string `json:"path"`

	FunctionApps       []*FunctionApp       `json:"function_apps"`
	StorageAccounts    []*StorageAccount    `json:"storage_accounts"`
	Plans              []*Plan              `json:"plans"`
	PrivateEndpoints   []*EndpointLink      `json:"private_endpoints"`
	DiagnosticSettings []*DiagnosticSetting `json:"diagnostic_settings"`
	DefenderPricings   []*DefenderPricing   `json:"defender_pricings"`

	// Stats counts values the parser left unknown because it could not
	// evaluate them (as opposed to values known only at deployment).
	Stats Stats `json:"stats"`

	// Splicer, when set, gives the fixes of the module's findings the
	// files as the parser read them: for a file named as ranges name
	// it, its contents and a function that makes a fix's edits of it
	// (the edits of one file) as a splice, text replacing
	// src[start:end]; ok is false for a file it does not hold, or holds
	// but cannot edit as read (syntax errors). A fix is then computed
	// while the module is in memory, without reading and parsing its
	// file again (parsers.ModuleReplacements).
	Splicer func(filename string) (src []byte, splice Splice, ok bool) `json:"-"`
}

// Splice makes a fix's edits of one file: the edited text is the file's
// contents with src[start:end] replaced by text (0, 0 and nil when
// nothing changed); an edit that cannot be made is an error, beside the
// others.
type Splice func(edits []Edit) (start, end int, text []byte, errs []error)

// Stats counts what a parser could not evaluate in a module: values left
// unknown although the source determines them.
type Stats struct {
	// Unsupported counts values left unknown because they use a function
	// (or a form of one) the parser does not evaluate.
	Unsupported int `json:"unsupported"`
	// Errors counts values left unknown because evaluating them failed.
	Errors int `json:"errors"`
}

// Add adds o to s.
func (s *Stats) Add(o Stats) {
	s.Unsupported += o.Unsupported
	s.Errors += o.Errors
}

// AppendLinked appends a linked resource (a private endpoint, a diagnostic
// setting) to the list of the resource it targets. The first link makes the
// list explicit, located at the linked resource, and owned by owner. A
// linked resource whose existence is unknown (Resource.UnknownExistence)
// makes the list unknown-many: members may exist that cannot be counted,
// so what depends on the list is undetermined; the Note says why.
func AppendLinked[T interface{ Header() *Resource }](l List[T], item T, owner string) List[T] {
	h := item.Header()
	if len(l.Items) == 0 {
		l.Meta = Meta{Range: h.Range, Origin: Explicit, Resource: owner}
	}
	l.Items = append(l.Items, item)
	if h.UnknownExistence != "" && l.Origin != Unknown {
		l.Meta = Meta{Range: h.Range, Origin: Unknown, Resource: owner,
			Note: h.Address + " may or may not exist: " + h.UnknownExistence}
	}
	return l
}
