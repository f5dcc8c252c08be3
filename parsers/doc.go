// Package parsers finds the infrastructure-as-code inputs below the paths a
// user names and hands each unit to the parser of its format: a directory of
// .tf/.tf.json files to [terraform.LoadDir], a Terraform plan JSON to
// [terraform.LoadPlan], an ARM template to [arm.LoadFile]; Pulumi stacks
// later.
//
// [Load] walks directories recursively, skipping .git, .terraform,
// node_modules and hidden directories, and never follows symbolic links to
// directories, so a link loop cannot hang a scan. Units are parsed in
// parallel with bounded concurrency; the result is in a deterministic order
// (sorted by path) whatever the scheduling. [Stream] hands the modules
// over one by one in that order without keeping them, and [StreamMap]
// also runs a step (checking a module) on the loading goroutines, in
// parallel, handing over its results in that order. Unreadable entries become
// diagnostics and the walk goes on; only a path that does not exist (or
// cannot be examined at all) is an error.
//
// Adding a format means adding one entry to the handler list in load.go: a
// function that says which unit a file belongs to (a Terraform file belongs
// to its directory; an ARM template is its own unit, recognised by sniffing
// its content) and a function that loads a unit. The first handler
// that claims a file wins.
package parsers
