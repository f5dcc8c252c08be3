#!/bin/sh
# usage: .ci/fuzz.sh [seconds per target, default 60]
# Fuzzes every target in turn. -fuzzminimizetime is kept short: with the
# default (60 s per new input) a target whose inputs are slow to run spends
# its whole time minimizing instead of fuzzing. A crash is written under
# the package's testdata/fuzz/<Target>/ and must be committed as a
# regression input (go test runs it from then on).
set -e
t=${1:-60}
cd "$(dirname "$0")/.."
for target in \
	./parsers/terraform:FuzzLoadDir ./parsers/terraform:FuzzAzapi ./parsers/terraform:FuzzLoadPlan \
	./parsers/arm:FuzzLoad ./parsers/arm/armexpr:FuzzEvalString ./parsers/arm/armexpr:FuzzDecodeJSON \
	./parsers/internal/bicepsyntax:FuzzParse ./parsers/pulumi:FuzzLoadFile; do
	pkg=${target%%:*}
	fn=${target#*:}
	echo "== $fn ($pkg, ${t}s)"
	go test "$pkg" -run '^$' -fuzz "^$fn\$" -fuzztime "${t}s" -fuzzminimizetime 2s
done
