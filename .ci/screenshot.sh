#!/usr/bin/env bash
# The README's picture of the compliance report: builds azfuncscan, writes
# the HTML report of a representative set of fixtures (failing, hardened,
# undetermined and suppressed apps, slots; Terraform and Pulumi) to
# docs/report.html and photographs it with headless Chromium into
# docs/report.png.
#
# Usage: .ci/screenshot.sh [WIDTHxHEIGHT]   regenerate both files
#        .ci/screenshot.sh --check          fail when docs/report.html is
#                                           not what the report gives now
#                                           (no browser needed; .ci/run;
#                                           TestReportScreenshotSourceIsCurrent
#                                           checks the same in go test)
#
# Installs Chromium (Debian package chromium) when missing.
set -euo pipefail
checkout="$(cd "$(dirname "$0")/.." && pwd)"
cd "$checkout"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# No VCS stamp: the page says "azfuncscan dev" whatever the commit.
go build -buildvcs=false -o "$tmp/azfuncscan" ./cmd/azfuncscan
"$tmp/azfuncscan" report --format html -o "$tmp/report.html" \
  testdata/terraform/everything-wrong \
  testdata/terraform/hardened \
  testdata/terraform/007-unknown-endpoint \
  testdata/pulumi/hardened \
  cmd/azfuncscan/testdata/suppress 2>/dev/null

if [ "${1:-}" = "--check" ]; then
  if ! cmp -s "$tmp/report.html" docs/report.html; then
    echo "docs/report.html (the source of docs/report.png) is stale; regenerate both with .ci/screenshot.sh" >&2
    diff "$tmp/report.html" docs/report.html | head -20 >&2 || true
    exit 1
  fi
  echo "== docs/report.html is current"
  exit 0
fi
size="${1:-1500x1800}"

if ! command -v chromium >/dev/null; then
  echo "== installing chromium (apt-get)"
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq chromium >/dev/null 2>&1 ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null; }
fi
echo "== $(chromium --version 2>/dev/null)"

cp "$tmp/report.html" docs/report.html
# --no-sandbox: CI containers often run as root, where Chromium's sandbox
# cannot start. The page has no script and fetches nothing.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --force-device-scale-factor=1 --window-size="${size/x/,}" \
  --screenshot="$checkout/docs/report.png" "file://$checkout/docs/report.html" 2>/dev/null
echo "== wrote docs/report.html and docs/report.png ($size)"
