// Package report writes the outcome of a scan — findings, the checks that
// ran and diagnostics about the input — as text for people, compact
// (gcc-style lines for editors' problem matchers), GitHub Actions workflow
// commands (annotations), JSON for scripts, or SARIF 2.1.0 for
// code-scanning services.
//
// Every writer takes a [Report] and is deterministic: the same report gives
// byte-identical output, whatever order findings arrive in. Paths are
// printed with forward slashes relative to [Report.BaseDir] (the repository
// root), so the output of a scan does not depend on the machine it ran on.
//
// Findings never carry a sensitive value (the engine guarantees it) and the
// writers add none.
//
// A large scan need not hold its findings in memory: a [Spool] keeps at
// most a set number, writes the rest to temporary files in sorted runs
// (encoding/gob), and the writers read them back merged, in the same
// order and to the same bytes as with every finding in [Report.Findings].
//
// The JSON format (version 1) is below. Every key is always present: a list
// without elements is [], a value that is unknown or absent is null.
//
//	{
//	  "version": 1,
//	  "tool": {"name", "version", "information_uri"},
//	  "checks": ["AZFUNC-001", …],            // active checks, sorted
//	  "findings": [{
//	    "check_id", "title", "severity",      // critical|high|medium|low
//	    "status",                             // fail|undetermined
//	    "message",
//	    "file", "line", "column",             // file relative to the base dir; line, column ≥ 1
//	    "end_line", "end_column",             // null when unknown
//	    "resource", "resource_type",
//	    "path",                               // attribute path within the resource
//	    "origin",                             // explicit|default|unknown
//	    "root",                               // the root evaluated (Terraform root dir, ARM template,
//	                                          // Pulumi stack file), relative to the repository root
//	    "apps": [],                           // addresses of the function apps whose evaluation gave it
//	    "trail": [{"kind", "name",            // where the deciding value came from, origin first,
//	               "file", "line", "column"}], // ending at the finding's location; [] when unknown
//	    "fingerprint",                        // stable across line moves; see engine.Fingerprint
//	    "related": [{"file", "line", "column", "message"}],
//	    "suppression": {"kind",               // inSource|external; null when not suppressed
//	                    "justification", "file", "line", "expires"}
//	    "fix",                                // what `azfuncscan fix` does for it; "" when nothing
//	    "no_fix",                             // why it is not fixed, or its check's fix_hint; "" when none
//	  }],
//	  "diagnostics": [{
//	    "severity",                           // error|warning|info
//	    "summary", "detail",                  // detail "" when none
//	    "file", "line", "column"              // "" / null when unknown
//	  }],
//	  "summary": {
//	    "threshold",                          // lowest severity that fails the scan (--severity-threshold)
//	    "min_severity",                       // lowest severity reported (--min-severity)
//	    "findings",                           // failing findings reported, unsuppressed
//	    "failures",                           // failing findings at or above the threshold, reported
//	                                          // or not: what decides the exit status
//	    "by_severity": {"critical", "high", "medium", "low"},
//	    "undetermined", "undetermined_shown",
//	    "suppressed", "baselined",
//	    "resources", "evaluated", "passed", "not_applicable",
//	    "checks", "diagnostics", "errors",
//	    "unevaluated": {"unsupported", "errors"}   // null without --stats: values the parsers
//	                                          // could not evaluate (unsupported function, error)
//	  }
//	}
//
// Fields are only ever added to version 1; a change in meaning bumps it.
//
// In SARIF, a result's logical location is its resource qualified by the
// root it was evaluated from, root//address
// (envs/dev//module.app.azurerm_linux_function_app.this): one form for
// every result, rather than a second logical location for the root, so
// that the same module evaluated from two roots gives two distinct names
// whatever a consumer reads of the list. Its related locations are "value
// set here" (the origin of the value's trail, when elsewhere than the
// result) and the finding's related entries, each linked from the message
// as GitHub requires; a trail of several hops is also the result's code
// flow; its partial fingerprint is the engine's, under [FingerprintKey].
// A failing finding with a fix carries it as the result's fixes: the
// fix's message and the replacements of its edits (a fix with several
// settings may edit several files: one artifact change per file), which
// [Report.FixChanges] computes file by file (the caller wires it to the
// parsers; the report reads no source); when one file's edits cannot be
// made the result has no fix, never part of one. With
// [Report.NewFixChanges] each goroutine of the writer gets its own, and
// the results of one file usually go to one goroutine, so the fixes of
// several files are computed at once and each file is parsed once.
// In text, a finding names its resource root//address only when its file
// is evaluated from more than one root in the report.
//
// The compliance report ([ComplianceReport], `azfuncscan report`) renders
// a [compliance.Matrix] as GitHub-flavoured markdown
// ([WriteComplianceMarkdown], fit for $GITHUB_STEP_SUMMARY) or one
// self-contained HTML page ([WriteComplianceHTML]: inline CSS with print
// rules, no script, a Content-Security-Policy that fetches nothing). Both
// escape every name from the scanned files: in markdown every ASCII
// punctuation character is backslash-escaped and <, >, & are entities, so
// no name forms markup, a link or a table cell; in HTML html/template
// escapes by context. Control and bidirectional characters are shown as
// escapes (\x1b, \u202e) in both.
package report
