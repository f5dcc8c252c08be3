// Package ignore reads the suppressions written in source files: the
// `azfuncscan:ignore[…]` comments of Terraform (HCL) and Bicep files and
// the metadata.azfuncscan.ignore lists of ARM template resources. It
// knows their syntax; which findings they cover, whether they expired and
// whether they were used is decided by package analyzer/suppress.
//
// # Comments (HCL and Bicep)
//
//	# azfuncscan:ignore[AZFUNC-040] the front door terminates TLS
//	// azfuncscan:ignore[AZFUNC-040,AZFUNC-041] exp:2026-06-30 legacy client, replaced in Q2
//	/* azfuncscan:ignore[AZFUNC-001] reason */
//
// The comment starts with azfuncscan:ignore, then one or more check ids
// in brackets, comma-separated; then, optionally, exp:YYYY-MM-DD (the day
// the ignore stops applying); the rest is the reason.
//
// "The line above" means: the comment stands on its own line, and the
// next line that is not a comment starts an attribute, a block (HCL), an
// object property or array element, or a declaration (Bicep: resource,
// nested resource, module, param, var, output; decorators such as
// @description(…) in between are skipped). The ignore covers that whole
// construct, up to the line that ends it: for a block or an object
// property, every attribute and nested block inside. Several ignore
// comments (and other comments) may be stacked above one construct; a
// blank line breaks the link, and a comment linked to nothing is a
// warning. A directive comment at the end of a line of code covers that
// line only.
//
// # ARM templates
//
// A resource of an ARM template (hand-written, or a nested deployment)
// may carry
//
//	"metadata": {"azfuncscan": {"ignore": [
//	  {"id": "AZFUNC-040", "reason": "…", "expires": "2026-06-30"}
//	]}}
//
// ("id" is one id or a list of ids). It covers the findings located in
// the resource object (a property of it, or the resource itself when a
// default decided), including the resources of a nested deployment and
// child resources declared inside it.
//
// Files that do not contain the text "azfuncscan" are not scanned
// further; the others are lexed (HCL with hclsyntax's lexer, JSON with a
// small scanner) or read by parsers/internal/bicepsyntax (Bicep, which
// keeps comments and positions), never evaluated.
package ignore
