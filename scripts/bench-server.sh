#!/usr/bin/env bash
# Server benchmark: starts the built `stepline` (fresh database in a temporary
# folder, free loopback port) and runs bench/stepline-loadgen against it with
# its PID (RSS figures) and the in-process null HTTP server as baseline.
# Arguments go to the load generator, e.g.
#   scripts/bench-server.sh                               # defaults (20k executions)
#   scripts/bench-server.sh --executions 1000000 --parked 100000
# Extra endpoints to compare with: --endpoint http://host:port. Figures only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${STEPLINE_BUILD_DIR:-$root/build}"
STEPLINE_BUILD_DIR="$build_dir" "$root/scripts/build.sh" stepline stepline-loadgen >/dev/null

tmp="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$build_dir/server/stepline" --host 127.0.0.1 --port "$port" --db "$tmp/stepline.db" \
  --log-level warn >"$tmp/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 200); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.05
done
"$build_dir/bench/stepline-loadgen" --endpoint "http://127.0.0.1:$port" --server-pid "$pid" \
  --null "$@"
echo "database after the run: $(du -sh "$tmp" | cut -f1)"
