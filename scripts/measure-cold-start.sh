#!/usr/bin/env bash
# Cold start: starts the built server N times (default 10), each with a
# fresh database on a free port, and times from exec until the first answered
# request (GET /health, which answers only once store, engine and API are up).
# Prints every run, then min and median.
#   scripts/measure-cold-start.sh [N] [path/to/stepline]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-10}"
binary="${2:-${STEPLINE_BUILD_DIR:-$root/build}/server/stepline}"
[ -x "$binary" ] || { echo "no binary at $binary (run scripts/build.sh stepline)" >&2; exit 1; }

PYTHONPATH="$root/tests/e2e" python3 - "$runs" "$binary" <<'PY'
import statistics, sys
from stepline_server import SteplineServer

runs, binary = int(sys.argv[1]), sys.argv[2]
times = []
for i in range(runs):
    server = SteplineServer(binary, log_level="warn")
    try:
        times.append(server.start(poll_interval=0.001) * 1000)
    finally:
        server.stop()
        server.cleanup()
    print(f"run {i + 1}: {times[-1]:.1f} ms")
print(f"cold start over {runs} runs: min {min(times):.1f} ms, median {statistics.median(times):.1f} ms")
PY
