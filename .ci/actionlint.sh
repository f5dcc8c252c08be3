#!/usr/bin/env bash
# Lint the documented GitHub workflow with actionlint at a pinned version
# (installed here with go install when missing): docs/examples/azfuncscan.yml
# as committed, and the same workflow using this checkout's action.yml
# (uses: ./) in a scratch project, so that the inputs the example passes
# are checked against the inputs action.yml declares.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout="$(pwd)"

ACTIONLINT_VERSION=v1.7.12

gobin="$(go env GOPATH)/bin"
actionlint="${gobin}/actionlint"
if ! { [ -x "$actionlint" ] && "$actionlint" --version 2>/dev/null | head -1 | grep -qx "${ACTIONLINT_VERSION}"; }; then
  echo "== installing actionlint ${ACTIONLINT_VERSION}"
  GOBIN="$gobin" go install "github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}"
fi
echo "== actionlint $("$actionlint" --version | head -1)"

example=docs/examples/azfuncscan.yml
"$actionlint" "$example"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/.github/workflows"
cp action.yml "$tmp/action.yml"
grep -q 'uses: azfuncscan/azfuncscan@' "$example"
sed 's#uses: azfuncscan/azfuncscan@[^ ]*#uses: ./#' "$example" >"$tmp/.github/workflows/azfuncscan.yml"
(cd "$tmp" && "$actionlint" .github/workflows/azfuncscan.yml)
echo "== actionlint ok: ${example}, and with ${checkout}/action.yml as uses: ./"
