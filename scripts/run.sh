#!/usr/bin/env bash
# Installs what is missing, builds the server and runs it in the foreground.
# Arguments go to the server: scripts/run.sh --port 9000 --db :memory:
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" stepline
exec "${STEPLINE_BUILD_DIR:-$root/build}/server/stepline" "$@"
