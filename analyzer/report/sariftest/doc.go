// Package sariftest validates SARIF logs against the two SARIF 2.1.0
// schemas committed in the repository's testdata/sarif: the OASIS errata01
// schema and the copy GitHub's upload-sarif action uses (see the README
// there for their sources and licenses). It is for tests only; the
// azfuncscan binary does not link it.
package sariftest
