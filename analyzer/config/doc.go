// Package config reads the configuration file of a scan, .azfuncscan.yaml:
// which checks run and how severe they are, what the walk skips, the input
// options (variable files, ARM parameter files), and ignores for any
// format. [Template] is the commented default `azfuncscan init` writes; it
// documents every setting.
//
// Every problem in the file — an unknown key (with "did you mean …?"), a
// value of the wrong kind, a bad severity, check id, date or glob — is an
// error naming the file and line; the scan does not start.
//
// [Find] looks for the file upward from the scanned path, stopping at the
// repository root (the directory holding .git; git is never run).
package config
