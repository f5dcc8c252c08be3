package config

// Template is the configuration `azfuncscan init` writes: every setting,
// commented out, so that the file changes nothing until edited. Lines
// starting with "## " explain; lines starting with "# " are settings to
// uncomment (together they form a valid configuration).
func Template() string {
	return `## azfuncscan configuration. azfuncscan scan reads the .azfuncscan.yaml in the
## scanned directory or the nearest one above it (up to the repository root),
## or the file named by --config. Relative paths and globs are relative to this
## file's directory. A flag given on the command line overrides the setting of
## the same name; --enable and --disable override it check by check.

## Lowest severity that fails the scan (exit status 1): low, medium, high, critical.
## It decides the exit status only; every finding is still reported.
# severity-threshold: low

## Lowest severity reported. Findings below it are left out of the report
## (and still decide the exit status).
# min-severity: low

## Checks to run besides those enabled by default (opt-in checks), and checks not to run.
# enable: [AZFUNC-065, AZFUNC-067]
# disable: [AZFUNC-081]

## Severity of a check, overriding its own (low, medium, high, critical).
# severity:
#   AZFUNC-052: medium

## Directories with extra check files (YAML), besides the built-in checks.
# checks-dirs: [policies]

## Files and directories the scan does not walk into (globs: * within a
## directory, ** across directories; a directory covers everything below it).
## Paths named on the command line are always scanned.
# skip-paths: [examples, "**/testdata/**"]

## Terraform variable files applied to every root after terraform.tfvars and
## *.auto.tfvars (as --var-file).
# var-files: [envs/dev/terraform.tfvars]

## ARM parameter files: FILE for every template, TEMPLATE=FILE for one (as
## --arm-parameters).
# arm-parameters: [azuredeploy.json=azuredeploy.parameters.json]

## Ignored findings, for any format. id is a check id, a pattern (AZFUNC-06*)
## or a list; resource is a resource address pattern (* matches anything);
## path matches any file the finding points at (its value, the value's trail,
## a related location); root the Terraform root, ARM template or Pulumi stack.
## Every key given must match; a reason is expected; expires (YYYY-MM-DD) is
## the day the ignore stops applying. Suppressed findings stay in SARIF (as
## suppressions) and JSON, and never fail the scan.
# ignore:
#   - id: AZFUNC-040
#     resource: module.legacy.*
#     path: modules/legacy/**
#     root: envs/*
#     reason: the legacy app sits behind Front Door, which redirects to HTTPS
#     expires: 2027-12-31
`
}
