// Package suppress decides which findings the ignores of a scan cover.
//
// Ignores come from source files (package parsers/ignore reads the
// `azfuncscan:ignore[…]` comments and ARM metadata) and from the
// configuration file; each is a [model.Ignore]. [Apply] marks every
// finding an ignore covers (Finding.Suppressed): the report still lists
// it (SARIF suppressions, JSON) but it never counts for the exit status.
//
// Apply also says, as diagnostics: an ignore without a reason (warning;
// it still applies), an expired ignore (info; it no longer applies), an
// ignore naming a check id that no loaded check has (warning), and, when
// asked (--report-unused-ignores), each check id of an ignore that
// covered no finding although the check ran (warning).
//
// An ignore covers a finding wherever the finding can be pointed at: the
// blamed value, any hop of its trail (the tfvars line, the variable, the
// module argument), or a related location (the module call, the Bicep
// declaration). So an ignore above a module block covers the findings of
// the resources that call creates, and one above a tfvars assignment
// covers the findings that value decides.
package suppress
