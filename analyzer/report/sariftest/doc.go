// Package sariftest validates SARIF logs against the two SARIF 2.1.0
// schemas kept in the shared folder beside the repository: the OASIS
// errata01 schema and the copy GitHub's upload-sarif action uses. It is
// for tests only; the azfuncscan binary does not link it.
package sariftest
