// Package srcpos converts byte offsets of a source text into positions:
// 1-based line, 1-based column counted in characters (as the HCL parser
// counts them, so that editors, snippets and every parser agree) and the
// byte offset. The JSON-based parsers (ARM, Terraform plan, Pulumi) share
// one [Index] per file.
//
// Building an index is one pass over the text; a lookup is a binary
// search over line starts plus, on a line that is not plain ASCII, a count
// of at most [Step] bytes. Neither depends on how long the lines are, so a
// minified multi-megabyte JSON file on a single line costs the same per
// lookup as an indented one.
package srcpos
