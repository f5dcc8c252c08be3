// Package model is the format-neutral description of Azure function apps and
// the resources around them (plan, host storage account, private endpoints,
// diagnostic settings), as every parser produces it and every check reads it.
//
// Every scalar is a [Value] that knows its source [Range], its [Origin]
// (written, platform default, or unknown until deployment) and the address
// of the resource it belongs to. A default is located at its owning block.
//
// [View] turns any model value into a tree of [Node]s named by the JSON tags
// of the model types: the names checks use (app.https_only,
// app.site_config.min_tls_version) and what `azfuncscan model` prints.
// Sensitive values (app settings, keys) are visible to checks and redacted
// in every output.
//
// This package imports no parser library (hcl, gjson): parsers depend on it,
// never the other way round.
package model
