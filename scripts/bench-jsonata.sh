#!/usr/bin/env bash
# JSONata benchmark: builds stepline-jsonata and jsonata_bench (Release, into
# $STEPLINE_BUILD_DIR or build/), installs the reference jsonata npm package
# into a cache folder when node is present, and prints Stepline beside
# jsonata-js (bench/jsonata_bench.py). Figures only; nothing is asserted.
#   scripts/bench-jsonata.sh                    suite + heavy expressions
#   scripts/bench-jsonata.sh --skip-suite --min-ms 2000 --filter sort
# Environment: STEPLINE_BUILD_DIR, JSONATA_JS_VERSION (default 2.2.2, the
# suite's version), STEPLINE_BENCH_CACHE (default ~/.cache/stepline-bench),
# JSONATA_MODULE (an existing node_modules/jsonata, skips the install).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${STEPLINE_BUILD_DIR:-$root/build}"
cache="${STEPLINE_BENCH_CACHE:-$HOME/.cache/stepline-bench}"
js_version="${JSONATA_JS_VERSION:-2.2.2}"

STEPLINE_BUILD_DIR="$build_dir" "$root/scripts/build.sh" stepline-jsonata jsonata_bench >/dev/null

module_args=()
if [[ -n "${JSONATA_MODULE:-}" ]]; then
  module_args=(--jsonata-module "$JSONATA_MODULE")
elif command -v node >/dev/null && command -v npm >/dev/null; then
  js_dir="$cache/jsonata-js-$js_version"
  if [[ ! -f "$js_dir/node_modules/jsonata/package.json" ]]; then
    mkdir -p "$js_dir"
    npm install --prefix "$js_dir" --no-audit --no-fund --silent "jsonata@$js_version" >&2 ||
      echo "bench-jsonata: npm install jsonata@$js_version failed; no jsonata-js column" >&2
  fi
  module_args=(--jsonata-module "$js_dir/node_modules/jsonata")
fi

exec python3 "$root/bench/jsonata_bench.py" \
  --stepline "$build_dir/engine/jsonata/stepline-jsonata" \
  --jsonata-bench "$build_dir/bench/jsonata_bench" "${module_args[@]}" "$@"
