#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test (unit and
# end-to-end) with CTest. Arguments go to ctest: scripts/test.sh -R http
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${STEPLINE_BUILD_DIR:-$root/build}"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "$build_dir"
exec ctest --output-on-failure -j2 "$@"
