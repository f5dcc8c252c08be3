// Package lsp is azfuncscan's language server: it speaks the Language
// Server Protocol (go.lsp.dev/jsonrpc2 framing, go.lsp.dev/protocol types)
// over a stream, normally stdin/stdout (azfuncscan lsp), and shows the
// findings of a scan where the user edits.
//
// # Evaluation
//
// A document that is opened, changed (debounced), saved or closed, or a
// watched file that changed on disk, marks its file changed. The server
// then loads, below the workspace folder holding the file (the file's
// directory for a file outside every folder), the roots that file may
// affect: the Terraform root modules whose module tree reads its
// directory, the template it is or is a parameter file of, the stack
// export it is. Open documents are an overlay over the files on disk:
// the parsers read their unsaved text. Each root is evaluated with the
// checks, the configuration file (.azfuncscan.yaml, found as the CLI
// finds it) and the inline and configured suppressions, exactly as
// azfuncscan scan does.
//
// The findings of a root replace that root's previous findings; a file's
// diagnostics are the findings of every root that points into it (the
// same finding from several roots once) and the problems met reading it.
// They are published for every file they concern, open or not, and an
// empty list clears a file whose findings are gone.
//
// # Diagnostics, hover, code actions
//
// A diagnostic has the finding's range, a severity mapped from the
// check's (critical and high: Error, medium: Warning, low: Information),
// the check id as code with its documentation as codeDescription, source
// "azfuncscan", and the value's trail and related locations as related
// information. Undetermined findings are shown (as Hint) only with the
// initialization option showUndetermined, or the workspace setting
// (workspace/didChangeConfiguration) azfuncscan.showUndetermined;
// suppressed findings never.
// Hover over a diagnostic's range shows the check's title, why it matters
// and the remediation for the document's format. Code actions come from
// a list of providers (the built-in ones, then Options.Actions), each
// given the findings in the requested range: "Fix: <the fix's message>"
// (quickfix, preferred) for a finding whose check has an automatic fix,
// a workspace edit of the files the fix edits (the places the deciding
// values were written, which may be other files; a fix of several
// settings may edit several), its text edits computed by
// Options.FixChanges from each open document's unsaved text (else the
// file's), and offered only while each such text is the one evaluated
// and every file's edits can be made (never part of a fix);
// "Suppress AZFUNC-NNN here
// (with reason)" inserts an azfuncscan:ignore comment above the flagged
// line in HCL and Bicep files, and an entry in the resource's
// metadata.azfuncscan.ignore list in ARM templates.
//
// The server never writes anything but protocol messages to its output;
// its log goes to Options.Log. Malformed messages, unknown methods and
// failing evaluations are logged and answered with errors, never fatal.
//
// The parsers are reached through [Loader], which cmd/azfuncscan wires to
// package parsers: the analyzer does not depend on the parsers.
package lsp
