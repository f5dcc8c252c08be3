// Command azfuncscan finds security misconfigurations of Azure Function Apps
// in infrastructure-as-code (Terraform, ARM/Bicep-compiled templates, Pulumi stack exports).
//
//	azfuncscan scan [PATH...]      scan files and directories (default .)
//	azfuncscan checks [ID...]      list the checks, or describe the ones named
//	azfuncscan model [PATH...]     print the normalized model as JSON (default .)
//	azfuncscan version             print the version
//
// Exit status: 0 when no finding is at or above --severity-threshold, 1 when
// there are such findings, 2 on a usage or fatal error (unknown flag, bad
// check file, a named path that cannot be read, a missing --var-file, a scan
// that read no input, unwritable output). Problems in the scanned files are
// diagnostics in the report, not errors.
//
// This package is thin: flags, configuration and exit codes. Discovery is in
// parsers, evaluation in analyzer/engine, output in analyzer/report.
package main
