// Package compliance builds the MCSB compliance matrix of a scan: one row
// per function app (and deployment slot), one column per Microsoft cloud
// security benchmark control the checks that ran map to (a check's mcsb
// list), each cell the standing of that app against that control.
//
// A cell is decided by the outcomes of the control's checks on the app
// (engine.Result.Apps), in this order:
//
//   - fail: a check failed, and at least one of its failing findings for
//     the app is not suppressed; the cell names the failing checks;
//   - undetermined: otherwise, a check's outcome depends on a value known
//     only at deployment (or its evaluation raised an error);
//   - suppressed: otherwise, a check failed but every failing finding of
//     it for the app is suppressed (an azfuncscan:ignore or a
//     configuration ignore, with its justification): a pass by decision,
//     not by configuration, and shown as such;
//   - pass: otherwise, at least one check applied and passed;
//   - not applicable: no check of the control applies to the app.
//
// Nothing here reads files or prints; report writers render a Matrix.
package compliance
