#!/usr/bin/env bash
# Configures (Release, Ninja) and builds Stepline into build/ (or
# $STEPLINE_BUILD_DIR). Arguments are targets to build; none builds all.
#   scripts/build.sh            everything, tests included
#   scripts/build.sh stepline   just the server binary
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${STEPLINE_BUILD_DIR:-$root/build}"
jobs="${STEPLINE_JOBS:-$(nproc)}"

configure() {
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
}
# CMake 3.25 can fail the first generation of a fresh tree on the tests'
# reused precompiled header ("Unable to resolve full path of PCH-header");
# the second run succeeds.
configure || configure

targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build_dir" -j "$jobs" "${targets[@]}"
