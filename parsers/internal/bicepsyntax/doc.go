// Package bicepsyntax reads the syntax of Bicep files far enough to say
// where things are written: the top-level declarations (param, var,
// resource, module, output, and the rest as "other"), the resources
// declared inside a resource's body, and the position of every property
// key of the objects they hold, by path (properties.siteConfig.minTlsVersion,
// properties.siteConfig.appSettings[1].value).
//
// It is a syntax reader, not a compiler: expressions are tokenized and
// their brackets balanced, never evaluated or type-checked; names are not
// resolved; imports and modules are not followed.
//
// # Lexing
//
// Comments (// and /* */) are kept beside the tokens, with their
// positions ([File].Comments), for the azfuncscan:ignore comments of
// package parsers/ignore; the parser does not see them. #disable-…
// pragmas are dropped. A string is
// one token: single-quoted with backslash escapes (\' \\ \n \r \t \$
// \u{…}) and ${…} interpolation (lexed recursively, so braces and strings
// inside an interpolation are balanced), or a multi-line string between
// triple apostrophes (no escapes, no interpolation). Numbers, identifiers, decorators' @ and punctuation are
// tokens; line breaks are tokens, since they end statements and
// object members.
//
// # Robustness
//
// [Parse] never panics and always returns a [File]: every problem is an
// [Error] with its position, and the reader resynchronizes at the next line
// break (or the closing bracket) so that what follows a broken
// declaration is still read. Nesting deeper than [MaxDepth] is skipped.
// Positions are 1-based lines and columns counted in characters (runes),
// and 0-based byte offsets.
package bicepsyntax
