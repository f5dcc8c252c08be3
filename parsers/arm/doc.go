// Package arm reads Azure Resource Manager templates (written by hand or
// compiled from Bicep, languageVersion 1.x and 2.0) and produces the
// format-neutral [model.Module]: function apps and the resources linked to
// them (host storage account, plan, private endpoints, diagnostic
// settings, slots), with ARM semantics and ARM defaults through
// [armsite].
//
// [LoadFile] reads one template file; [IsTemplate] tells, from a file's
// first bytes, whether it is one (its top-level $schema is a
// deploymentTemplate.json schema of any scope). Parameter files are not
// templates: the one beside a template by name applies to it
// (azuredeploy.json ↔ azuredeploy.parameters.json, main.json ↔
// main.parameters.json or the only main.parameters.<env>.json,
// template.json ↔ parameters.json), then those of [Options] (later ones
// win).
//
// # Pipeline
//
//  1. json.go, jsonparse.go   the file decoded and validated in one pass,
//     as read, into a tree whose values know their byte range; only a file
//     that is not strict JSON is copied with its comments and trailing
//     commas blanked out (tidwall/jsonc keeps byte offsets) and decoded
//     again (encoding/json says where invalid input breaks); line/column
//     (in characters) from a line index made in the same pass
//  2. template.go  parameters (parameter files, defaults, nullable,
//     secure), variables (with copy), user functions and copy indexes: the
//     [armexpr.Context] expressions are evaluated in, lazily, with cycles
//     reported as errors
//  3. expand.go resources (an array, or an object keyed by symbolic name in
//     languageVersion 2.0) expanded into instances: condition (false skips,
//     unknown keeps the resource with [model.Resource.UnknownExistence]
//     saying why, file and line), copy loops (one instance per index,
//     addressed …[i]; an unknown count gives one instance whose existence
//     is unknown), nested child resources (type
//     and name joined with the parent's), existing resources (references
//     only), extension resources (scope), and nested deployments with an
//     inline template (inner scope: parameters passed in; outer scope: the
//     parent's parameters and variables), at most 16 deep; a templateLink
//     is reported, not followed. Resources inside a resource or deployment
//     whose existence is unknown inherit it
//  4. outputs.go reference('<deployment>').outputs.<name>.value (and the
//     resourceId('Microsoft.Resources/deployments', …) form) evaluates to
//     the nested deployment's output, evaluated in its inline template
//     ([armexpr.OutputContext]): Bicep module outputs built from
//     resourceId(), parameters or literals are known. ARM deploys in
//     dependency order, so a deployment referenced before its declaration
//     is expanded on demand
//  5. trail.go  each value's [model.Meta.Trail], origin first, from the
//     expression's syntax: parameter file value, template parameter (its
//     defaultValue when that decided), variables (object members by path),
//     nested deployment parameters, inner parameters, deployment outputs;
//     if() follows the branch taken (its condition when the branch is a
//     literal), coalesce() the first non-null argument; a value built from
//     several sources has no trail
//  6. nodes.go  the body of every resource azfuncscan reads (sites, slots
//     and their children, storage accounts, plans, private endpoints,
//     diagnostic settings) as [model.Node] trees: a written value located
//     at its JSON value, an evaluated one at the string that held the
//     expression, unknown values with a note and, in [armsite.Doc.Sources],
//     where they come from (listKeys()/reference()/list*(): another
//     resource's attribute; securestring/secureObject parameters and Key
//     Vault parameter references: a sensitive input)
//  7. mapping.go armsite maps sites, slots and their children, storage
//     accounts and plans; this package links plans and host storage
//     accounts (serverFarmId; AzureWebJobsStorage AccountName=,
//     __accountName, service URI hosts, the Flex deployment container URL,
//     or the resource a listKeys()/reference() reads), slot parents,
//     private endpoints (privateLinkServiceId matched case-insensitively
//     against the resource's id, sites-<slot> group ids to the slot) and
//     diagnostic settings (scope, or the legacy
//     Microsoft.Web/sites/providers/diagnosticSettings), through the
//     outputs of nested deployments (Bicep modules) too, then settles
//     the defaults that depend on them. Each link says where and why it
//     was made (FunctionApp.PlanLink and StorageLink, EndpointLink.Link,
//     DiagnosticSetting.Link: "serverFarmId references
//     Microsoft.Web/serverfarms 'asp'", "AzureWebJobsStorage AccountName=
//     names …"); a naming value that is not known, in a template with
//     candidates, makes the link unknown. A private endpoint or diagnostic
//     setting whose existence is unknown makes its target's list
//     unknown-many (Origin Unknown)
//  8. bicep.go  when the template has a .bicep file of the same base name
//     beside it (read by parsers/internal/bicepsyntax), each resource's `resource`
//     declaration (and the `module` declarations of the deployments it is
//     in) becomes a related location of the resource
//     ([model.Resource.Related]), with the compiled object ("compiled
//     template resource here"); resources match declarations by symbolic
//     name (languageVersion 2.0) or by type and name; the resources of a
//     module's template match in the module's local .bicep file
//  9. bicepmap.go then moves the model's locations into the Bicep
//     sources: a value to the Bicep property its compiled property comes
//     from (or the nearest enclosing property Bicep writes), a default and
//     the resource itself to the declaration, a nested deployment's
//     parameter to the module's params entry, and trail hops at compiled
//     parameters, variables and outputs to the param, var and output
//     declarations
//
// Resources are matched by their ARM resource path
// (microsoft.web/sites/<name>/config/web, compared case-insensitively).
// Names that are not fully known are matched by a placeholder equal for
// equal unknowns (the same parameter without a value), so an app named
// after a required parameter still finds its children and endpoints.
//
// # Addresses
//
// A resource's address is its type interleaved with its name, as in a
// resource id: Microsoft.Web/sites/func-orders,
// Microsoft.Web/sites/func-orders/config/web. A name that is not known,
// or that is built from the deployment scope (uniqueString(
// resourceGroup().id), which evaluation can only fake), is written as it
// stands in the template: Microsoft.Web/sites/[variables('appName')].
// Copies end in [index]; resources of nested deployments are prefixed with
// Microsoft.Resources/deployments/<name>/. Resource.Type is the ARM type.
// Defaults are blamed on the resource's "type" line.
//
// # Diagnostics
//
// Invalid JSON is an error at the place it breaks; the template is then not
// analysed. A function armexpr does not evaluate is a warning once per
// function name per file, an expression that fails a warning at its
// string; both leave the value unknown and are counted in
// [model.Module.Stats]. Files over 64 MiB, JSON nested over 256 levels and
// more than 20000 resource instances are cut off with a diagnostic. A
// panic is recovered into an error diagnostic; nothing is executed or
// fetched.
//
// # Fixes
//
// fix.go applies the engine's fix edits ([ApplyEdits]) to templates and
// parameter files as byte-range changes: a literal replaced where it is
// written, a member added at the end of its object in the file's style
// (the object's indentation or the file's indent unit, CRLF kept, one line
// in one-line objects and minified files), intermediate objects created;
// comments, key order and every other byte are kept. Template expressions
// are never replaced.
//
// Bicep files are read for where things are written, never evaluated;
// templates are what is analysed (compile with `bicep build`). .bicepparam files are not
// read; template specs and linked templates are not fetched.
package arm
