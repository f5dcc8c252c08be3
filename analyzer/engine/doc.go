// Package engine loads declarative checks and runs them over the model.
//
// A check is data: one YAML file, its logic CEL expressions over the view
// of a function app ([model.View], fields named by their JSON tags). [Load]
// reads and compiles a directory of check files, [New] selects the ones to
// run and [Engine.Run] evaluates them on every function app of a
// [model.Module], reporting [Finding]s for what fails or is undetermined
// and, per app, the outcome of every check ([Result].Apps: pass, fail,
// undetermined, not applicable or error), which a compliance report needs.
// Nothing here prints or exits.
//
// # Check file format
//
//	id: AZFUNC-040                # ^[A-Z][A-Z0-9]*-[0-9]{3,}$, unique
//	title: HTTPS-only not enforced
//	severity: high                # critical | high | medium | low
//	security_severity: 7.5        # in the band: critical 9.0–10, high 7.0–8.9,
//	                              # medium 4.0–6.9, low 0.1–3.9
//	enabled_by_default: true      # optional (default true); false = opt-in
//	formats: [terraform, arm, pulumi]
//	tags: [transport]             # optional
//	mcsb: [DP-3]                  # optional: MCSB controls it gives evidence for
//	                              # (domain-number; the compliance report's columns)
//	description: |                # markdown
//	  …
//	remediation:                  # markdown per format, keys among formats
//	  terraform: |
//	    …
//	references:                   # title and http(s) url each
//	  - title: "MCSB DP-3: Encrypt sensitive data in transit"
//	    url: https://learn.microsoft.com/…
//	defaults_source: "…"          # optional: where the defaults parsers apply are documented
//	help_uri: https://…            # optional: SARIF helpUri (built-ins: their docs/checks.md section;
//	                              # otherwise the first reference)
//	each: app.app_settings        # optional: a list path, or a list of them
//	when: "…"                     # optional CEL precondition; false ⇒ not applicable
//	fail: "!app.https_only"       # CEL; true ⇒ finding
//	blame: app.https_only         # optional path whose location the finding reports
//	message: "Function app {{name}} does not enforce HTTPS-only"
//	lower_severity:               # optional: a lower severity for some failures
//	  to: low                     # a band below severity
//	  when: "app.storage_key_in_key_vault"   # CEL, like fail (app, item)
//	  reason: "the account key is held in Key Vault"   # appended to the message
//	fix:                          # optional: the automatic fix per format (not pulumi)
//	  terraform: {path: https_only, value: true}        # nested blocks, then the attribute
//	  arm: {path: properties.httpsOnly, value: true}    # keys of the resource object
//	  # types: [azurerm_linux_function_app]  optional: the resource types the path is right for
//	  # ARM: child: config/web, child_path: properties.minTlsVersion  the child resource whose
//	  #   property overrides path (a default is set there when it exists); no_add: "text"
//	  #   why a default gets no fix when child is absent (the value lives in it)
//	  # A fix that needs several settings lists them (instead of path/value):
//	  # terraform:
//	  #   settings:                # each: path, value, from, types, child, child_path, no_add
//	  #     - {path: client_certificate_enabled, value: true, from: app.client_cert_enabled}
//	  #     - {path: client_certificate_mode, value: Required, from: app.client_cert_mode}
//	  #   caution: "text"          # optional, either form: appended to the fix's message
//	fix_hint: "text"              # optional: what to do when a fix needs a human decision
//
// Unknown keys, duplicate keys and duplicate ids are errors. Every problem
// is a [*LoadError] naming file, line and key, e.g.
//
//	checks/AZFUNC-040.yaml:12: fail: undeclared reference to 'htps_only' in app (did you mean 'https_only'?)
//
// # Logic
//
// when and fail are CEL expressions evaluating to a bool. They see the
// variable app, the function app's view as maps and lists (app.https_only,
// app.site_config.min_tls_version, app.storage_account.https_traffic_only;
// absent linked resources are null). With each, the check is evaluated once
// per element of every listed list, and item is that element. A when that
// does not mention item is evaluated once per app; one that does filters
// the elements.
//
// Besides the CEL standard library and ext.Strings (lowerAscii, split,
// trim, …), checks may call:
//
//	tls_below(version, "1.2")  version is "1.0"…"1.3", a number (1.2), "TLS1_0", "TLSv1_2";
//	                           compared numerically; 1.3 and later are never below
//	version_below(v, "3.11")   dotted version numbers compared component by component;
//	                           a leading v or ~ and anything after the numbers are ignored
//	is_keyvault_ref(value)     an @Microsoft.KeyVault(...) reference (any case, spaces around)
//	looks_secret(name, value)  the catalog's secret detection for AZFUNC-030: a value
//	                           with a credential shape (AccountKey=, SharedAccessKey=,
//	                           SharedAccessSignature=, sig=, Password=, Pwd=, a JWT, a PEM
//	                           private key, user:password@ in a URL), or a secret-looking
//	                           name (KEY, SECRET, PASSWORD, TOKEN, CONNECTIONSTRING, SAS, …)
//	                           with a real value: not a Key Vault reference, empty, a
//	                           placeholder (<…>, ${…}, changeme), a boolean, a number, a
//	                           mode word (keyvault, files, managedidentity) or a URL without
//	                           credentials; identity-based connection settings (__credential,
//	                           __clientId, __fullyQualifiedNamespace, …) and counts, limits and
//	                           expiries (MAX_TOKENS, …ExpirySecs) are not secret names
//
// Paths are validated when a check is loaded, against a sample app in
// which every field is present: a misspelt field (app.htps_only, also
// through comprehension variables) is a load error, with "did you mean".
// Expressions are then type-checked: the view's types are declared to
// CEL, derived once from the model's Go types (bool, string — sensitive
// strings too —, int, lists of their element type, one object type per
// object shape; item has the element type of its each lists), so
// app.https_only == "false", a string compared with a number and a
// function given the wrong kind of value are load errors at the line of
// the expression. Finally each expression is evaluated on the sample,
// and a runtime type error it reaches is a load error too.
//
// each and blame are paths (not CEL): app.a.b, item.c, with [n] indexes.
// blame defaults to item with each, else to the app resource itself. A
// finding reports the blamed node's range, origin and owning resource, so
// a check about the host storage account blames
// app.storage_account.https_traffic_only and points into the storage
// account. Finding.Path is relative to that resource; list elements are
// named by their name field when it is known and unique
// (app_settings[DB_PASSWORD].value), else by index.
//
// message is plain text with placeholders: {{name}} (the app's name),
// {{address}}, {{type}}, {{path}} (the finding's path), {{element}} (the
// element's path, with each), {{value}} (the blamed value) and
// {{app.<path>}} / {{item.<path>}}. Placeholders must name single values
// that are not sensitive; sensitive values never reach a finding. When the
// blamed value was defaulted, the engine appends " (defaulted: <note>)",
// where the parser's note names the default ("https_only not set; azurerm
// default false"), or " (defaulted: not set, the platform default
// applies)" when there is no note.
//
// A failing finding whose lower_severity condition is true gets that
// severity, and the message says so with the reason; a condition that is
// false, unknown or in error keeps the check's severity.
//
// # Fixes
//
// A failing finding of a check with a fix for its module's format gets a
// [Fix]: a format-neutral [model.Edit] of the place where the deciding
// value was written, found from the finding's trail (origin first). A
// literal in the resource, a tfvars assignment, a module caller's argument
// or an ARM parameter file value is replaced; a variable's or parameter's
// default is changed when the value came from there; never the body of a
// module when the value came through one caller's argument. A platform
// default gets the attribute (and the nested blocks or objects on its
// way) added inside the resource. A value that passed a local, an output
// or a Pulumi input may be computed: no fix, Finding.NoFix says why; nor
// for a value an expression computed on its way (Finding.Computed, from
// model.Meta.Computed: an operator, a function call, a template such as
// "${var.a}", a conditional), since setting the origin to the value the
// check wants would not give the attribute that value; nor for a finding
// whose locations the parsers moved to a .bicep source (the template is
// compiled from it: the message says what to set there). The
// parsers turn edits into bytes (parsers.ApplyEdits).
//
// A fix with settings (client certificates: enabled and mode) plans each
// from where its own value was decided: from, a view path of one value
// validated at load like blame (the blamed value when omitted), is
// located when the finding fails and its trail, origin and value give the
// setting's edit by the rules above. A setting whose types exclude the
// resource's is not made (the others are); one whose value already is the
// one it sets gets no edit; and when any setting cannot be edited (an
// expression, a nested deployment, a Bicep source, a module default) the
// finding gets no fix at all, NoFix naming the setting and why: a fix is
// never half applied. Two settings decided at the same place (other than
// two additions to one resource) are not fixed either. [Fix].Edits then
// holds one edit per setting, possibly in several files; the message
// joins what each does, then the caution.
//
// # Unknown values and errors
//
// A scalar or list whose Origin is [model.Unknown] is given to CEL as an
// unknown value (CEL's partial-state value, carrying the attribute path).
// An expression that depends on it, directly or through a comprehension
// variable, evaluates to unknown; one that does not (false && unknown,
// size of a list whose elements hold unknowns, app.storage_account != null)
// is decided. A check whose when or fail is unknown is neither passed nor
// failed: it gives a finding with Status Undetermined, located at the
// unknown value written first in the source (for an unknown list: the
// list). Unknowns are values in the data, not cel.AttributePattern
// patterns, because a pattern also makes every attribute above it unknown.
//
// A list whose Origin is Unknown is unknown-many: members may exist that
// cannot be counted (a related resource whose count is not known), so it
// is unknown as a whole, even when another member surely exists (a known
// limit: "at least one" over such a list is undetermined). A check with
// each reports a failing element that is a resource whose existence is
// unknown (Resource.UnknownExistence) as undetermined, with the reason;
// so does any check whose failure is about a linked resource (the host
// storage account, the plan) whose existence is unknown.
//
// An expression that iterates (all, exists, map, filter) is evaluated with
// a cost limit ([CostLimit]) and watches the context; one that does not
// costs at most a constant times the size of the values it reads, and is
// evaluated without either.
// An evaluation error (an index out of range, a missing key, a value a
// check function cannot read, the cost limit) does not stop the run and is
// neither a pass nor an undetermined outcome: it is a check error, a
// [model.Diagnostic] of severity error in [Result].Diagnostics naming the
// check, the resource (and path) it was evaluated on and the expression
// (field, file:line and source), located at the blamed value, sensitive
// values scrubbed; it is counted in [Stats].Errors. Unknown values are
// not errors: they still make an outcome undetermined.
package engine
