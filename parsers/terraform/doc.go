// Package terraform reads a directory of Terraform configuration (.tf and
// .tf.json) as one module and produces the format-neutral [model.Module]:
// function apps and the resources linked to them (storage account, plan,
// private endpoints, diagnostic settings, VNet integration).
//
// The pipeline is:
//
//  1. files.go    read and parse every file; broken files become diagnostics
//  2. config.go   decode the top-level blocks (variable, locals, resource,
//     data, module) into a config with source ranges
//  3. vars.go     input variable values: defaults, tfvars, -var-file, -var
//  4. eval.go     a scope that evaluates expressions lazily with cty; every
//     reference to another resource's attribute carries a [refMark] so the
//     model can tell apply-time values from written ones and link resources
//  5. appservice.go, resources.go  map evaluated resources to the model,
//     with the azurerm defaults (Origin Default, blamed on the resource block)
//  6. link.go     resolve relations between resources
//
// Not yet supported (later work plugs in at the marked places): child
// modules (module calls produce an info diagnostic), count/for_each
// expansion (one instance per resource, count.index/each.* unknown),
// dynamic blocks (the affected list is unknown), override files, azapi
// resources and plan JSON.
//
// The parser never executes or fetches anything: file(), templatefile(),
// timestamp() and similar functions evaluate to unknown.
package terraform
