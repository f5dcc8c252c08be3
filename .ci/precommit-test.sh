#!/usr/bin/env bash
# The pre-commit hook end to end with the real pre-commit: in a temporary
# git repository laid out as envs/dev and envs/prod calling modules/app
# (cmd/azfuncscan/testdata/changed), change envs/dev/terraform.tfvars and
# run `pre-commit try-repo <this checkout> azfuncscan --files …`. The hook
# must fail with the dev findings that tfvars sets (AZFUNC-040 and
# AZFUNC-041 of func-changed-dev) and nothing else; naming the shared
# module's file must report the findings located in it from both roots,
# as a full scan of the repository does.
#
# Installs pre-commit (Debian package pre-commit) when missing, and with
# --install does only that. pre-commit
# builds the hook with `go install ./...`; it is pointed at this machine's
# module cache with the proxy off, so the build needs no network once
# `go mod download` has filled the cache.
set -euo pipefail
checkout="$(cd "$(dirname "$0")/.." && pwd)"

# Debian 12's pre-commit, installed when no pre-commit is on PATH.
PRE_COMMIT_VERSION=3.0.4-1

if ! command -v pre-commit >/dev/null; then
  echo "== installing pre-commit ${PRE_COMMIT_VERSION} (apt-get)"
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq "pre-commit=${PRE_COMMIT_VERSION}" >/dev/null 2>&1 ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq "pre-commit=${PRE_COMMIT_VERSION}" >/dev/null; }
fi
echo "== $(pre-commit --version)"
# --install: only make sure pre-commit is there (.ci/run does it early,
# in the background).
if [ "${1:-}" = --install ]; then exit 0; fi

(cd "$checkout" && go mod download)
export GOMODCACHE="$(cd "$checkout" && go env GOMODCACHE)"
export GOPROXY=off GOFLAGS=-mod=readonly

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
repo="$tmp/repo"
mkdir -p "$repo"
cp -R "$checkout/cmd/azfuncscan/testdata/changed/." "$repo/"
cd "$repo"
git init -q
git add -A
git -c user.name=test -c user.email=test@example.invalid commit -qm "dev and prod calling modules/app"

# The change: dev's settings, rewritten (still HTTP allowed, TLS 1.0).
cat > envs/dev/terraform.tfvars <<'TFVARS'
# dev: relaxed for local testing
https_only          = false
minimum_tls_version = "1.0"
TFVARS
git add envs/dev/terraform.tfvars

fail=0
# run FILE… runs the hook on the files; its output is left in $out.
run() {
  set +e
  out="$(pre-commit try-repo "$checkout" azfuncscan --files "$@" 2>&1)"
  status=$?
  set -e
  if [ "$status" != 1 ] || ! grep -qE '^azfuncscan\.+Failed' <<<"$out"; then
    printf 'FAIL: pre-commit on %s: exit %s, want 1 with the hook failed on findings:\n%s\n' "$*" "$status" "$out"
    exit 1
  fi
}
# expect WHAT WANT GOT compares and reports.
expect() {
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: got [$3], want [$2]"
    fail=1
  fi
}
# ids lists "AZFUNC-nnn Function app NAME" of each finding, sorted, ';'-separated.
ids() {
  grep -E '^[^ ].*: (critical|high|medium|low) AZFUNC-[0-9]+' <<<"$out" |
    grep -oE 'AZFUNC-[0-9]+ Function app [a-z-]+' | sort | tr '\n' ';' || true
}

run envs/dev/terraform.tfvars
got="$(ids)"
expect "findings for envs/dev/terraform.tfvars" \
  "AZFUNC-040 Function app func-changed-dev;AZFUNC-041 Function app func-changed-dev;" "$got"
expect "the dev tfvars is where the values come from" 2 "$(grep -c 'value from: envs/dev/terraform.tfvars' <<<"$out" || true)"
if grep -q 'func-changed-prod\|AZFUNC-052' <<<"$out"; then
  echo "FAIL: findings the dev tfvars does not cause are reported"
  fail=1
fi
dev_out="$out"

# The module's file: every finding located in it, from both roots — as a
# full scan of the repository (azfuncscan built from the checkout) reports
# them.
run modules/app/main.tf
got="$(ids)"
(cd "$checkout" && go build -o "$tmp/azfuncscan" ./cmd/azfuncscan)
set +e
full="$("$tmp/azfuncscan" scan --no-color .)"
set -e
want="$(out="$(grep -E '^modules/app/main\.tf:' <<<"$full")" ids)"
expect "findings for modules/app/main.tf (both roots)" "$want" "$got"
for app in func-changed-dev func-changed-prod; do
  if ! grep -q "AZFUNC-040 Function app $app" <<<"$got"; then
    echo "FAIL: modules/app/main.tf: no AZFUNC-040 of $app"
    fail=1
  fi
done
if grep -E '^[^ ].*: (critical|high|medium|low) AZFUNC-' <<<"$out" | grep -vq '^modules/app/main\.tf:'; then
  echo "FAIL: modules/app/main.tf: findings located elsewhere are reported"
  fail=1
fi

if [ "$fail" != 0 ]; then
  printf '%s\n--- output for envs/dev/terraform.tfvars:\n%s\n' "--- output for modules/app/main.tf:" "$out"
  printf '%s\n' "$dev_out"
  exit 1
fi
echo "== pre-commit hook ok"
printf '%s\n' "$dev_out"
