// Package terraform reads Terraform configuration (.tf and .tf.json, and
// OpenTofu's .tofu and .tofu.json) as terraform plan sees it and produces the format-neutral [model.Module]:
// function apps and the resources linked to them (storage account, plan,
// private endpoints, diagnostic settings, VNet integration).
//
// A directory is a module. [Loader] (and [LoadDirs]) parse each directory
// once, tell root modules from directories other scanned directories call
// as local modules, and evaluate each root with the modules it calls into
// one model; [LoadDir] loads one directory as a root.
//
// The pipeline is:
//
//  1. loader.go, files.go  read and parse each file once (kept while
//     roots still to be loaded use it); broken files become diagnostics.
//     scan.go finds module calls for root detection without parsing. A
//     .tofu file replaces the .tf file of the same name (.tofu.json the
//     .tf.json one), as OpenTofu does
//     override.go  override files are merged into the other files' blocks
//     as Terraform merges them
//  2. config.go   decode the top-level blocks (variable, locals, resource,
//     data, module, output) into a config with source ranges
//  3. vars.go     input variable values: defaults, tfvars, -var-file, -var
//     for the root; a module call's arguments for a called module
//  4. eval.go     a scope per module instance that evaluates expressions
//     lazily with cty; every reference to another resource's attribute
//     carries a [refMark] so the model can tell apply-time values from
//     written ones and link resources, through module outputs too
//     trail.go   every value carries its trail (tfvars or -var-file line,
//     root variable, module argument, module variable, locals, module
//     outputs, override files) as a cty mark; the model value takes it
//     into Meta.Trail, choosing the longest when several inputs combine
//  5. expand.go   count and for_each of resources and module calls, one
//     instance per key (type.name[0], type.name["key"]), and dynamic blocks
//  6. modules.go  module calls: local paths, modules terraform init
//     downloaded (.terraform/modules/modules.json), outputs, cycles
//  7. appservice.go, resources.go  map evaluated resources to the model,
//     with the azurerm defaults (Origin Default, blamed on the resource block);
//     azapi.go  azapi_resource/azapi_update_resource bodies as ARM documents,
//     mapped with ARM semantics by [armsite] (sites, slots and their config,
//     publishing-credential and networkConfig children, storage accounts,
//     plans)
//  8. link.go     resolve relations between the resources of the whole
//     module tree
//
// [LoadPlan] reads a plan in JSON form (terraform show -json <planfile>)
// instead of configuration, through the same steps 7 and 8: plan.go and
// planbody.go turn each resource's planned value (after, after_unknown,
// after_sensitive) into an evaluated body, planref.go relates resources
// through the references of the plan's configuration section (ids are
// unknown at plan time), and planhcl.go locates values in the .tf files
// beside the plan when they declare the resource, else in the plan file.
// [IsPlanJSON] recognises a plan from its first bytes.
//
// A count, for_each or dynamic for_each that is not known before apply
// yields one instance (addressed without a key) or unknown blocks, whose
// values are unknown. Such an instance, and every resource of a module
// instance created that way, may or may not exist: its
// Resource.UnknownExistence names the expression, file:line and what it
// depends on (a slot inherits its app's), and a private endpoint,
// diagnostic setting or swift connection that may not exist makes the
// relation unknown-many (model.AppendLinked), never absent. A conditional
// whose condition is unknown but whose branches are the same known value
// is known (conditional.go). Links say where and why they were made
// (StorageLink, PlanLink, EndpointLink.Link, DiagnosticSetting.Link).
// azapi Microsoft.Insights/diagnosticSettings are linked through
// parent_id. Registry, git and other remote modules that were not
// downloaded are reported (info) and not guessed. Not supported yet:
// azapi private endpoints.
//
// The parser never executes or fetches anything: file(), templatefile(),
// timestamp() and similar functions evaluate to unknown.
package terraform
