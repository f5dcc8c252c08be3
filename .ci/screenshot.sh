#!/usr/bin/env bash
# The README's picture of the compliance report, docs/report.png: builds
# azfuncscan, writes the HTML report of a representative set of fixtures
# (failing, hardened, undetermined and suppressed apps; Terraform, ARM and
# Pulumi) and photographs it with headless Chromium.
#
# Installs Chromium (Debian package chromium) when missing. Run from
# anywhere; writes docs/report.png (and leaves the HTML in a temporary
# directory). Usage: .ci/screenshot.sh [WIDTHxHEIGHT]
set -euo pipefail
checkout="$(cd "$(dirname "$0")/.." && pwd)"
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

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$checkout"
go build -o "$tmp/azfuncscan" ./cmd/azfuncscan
"$tmp/azfuncscan" report --format html -o "$tmp/report.html" \
  testdata/terraform/everything-wrong \
  testdata/terraform/hardened \
  testdata/terraform/007-unknown-endpoint \
  testdata/pulumi/hardened \
  cmd/azfuncscan/testdata/suppress 2>/dev/null

# --no-sandbox: CI containers often run as root, where Chromium's sandbox
# cannot start. The page has no script and fetches nothing.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --force-device-scale-factor=1 --window-size="${size/x/,}" \
  --screenshot="$checkout/docs/report.png" "file://$tmp/report.html" 2>/dev/null
echo "== wrote docs/report.png ($size)"
