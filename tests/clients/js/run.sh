#!/usr/bin/env bash
# Runs the @aws-sdk/client-sfn end-to-end test (sfn.test.mjs, node's built-in
# test runner) against a built server.
#
#   tests/clients/js/run.sh path/to/stepline [node --test options...]
#
# Installs the SDK pinned by package-lock.json into node_modules/ with
# `npm ci`, once: a stamp of the lock file's hash skips the install (and the
# network) while node_modules matches it; concurrent runs serialise on a lock.
# Exits 77 (CTest's SKIP_RETURN_CODE) when node >= 20 or npm is absent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 path/to/stepline [node --test options]" >&2; exit 2; }
binary="$(realpath "$1")"
shift

skip() { echo "clients_js_sdk: SKIPPED: $*" >&2; exit 77; }
command -v node >/dev/null || skip "node is not installed"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
# @aws-sdk/client-sfn 3.x declares engines.node >= 20.
[ "$node_major" -ge 20 ] || skip "node $(node --version) is older than 20"

stamp="$here/node_modules/.stepline-lock.sha256"
want="$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)"
installed() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; }
if ! installed; then
  command -v npm >/dev/null || skip "npm is not installed"
  lock="${TMPDIR:-/tmp}/stepline-js-npm-ci-$(printf '%s' "$here" | sha256sum | cut -c1-16).lock"
  (
    flock 9
    if ! installed; then
      echo "clients_js_sdk: npm ci in $here" >&2
      (cd "$here" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error)
      printf '%s\n' "$want" >"$stamp"
    fi
  ) 9>"$lock"
fi

cd "$here"
STEPLINE_BINARY="$binary" exec node --test "$@" sfn.test.mjs
