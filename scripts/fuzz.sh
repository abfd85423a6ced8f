#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ (or
# $STEPLINE_FUZZ_DIR), writes their seed corpora from ../shared, and runs
# each target for SECONDS (default 600) with the seeds, all targets at once.
# Prints each target's exec count; exits non-zero when a target crashed
# (its reproducer is left as crash-* in the target's work folder).
#   scripts/fuzz.sh                 every target, 10 minutes each
#   scripts/fuzz.sh 30 fuzz_asl     one target, 30 seconds
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${STEPLINE_FUZZ_DIR:-$root/build-fuzz}"
seconds="${1:-600}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_jsonata fuzz_jsonpath fuzz_asl)

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is needed (apt-get install clang)" >&2; exit 2; }
CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSTEPLINE_FUZZ=ON >/dev/null
cmake --build "$build_dir" -j "${STEPLINE_JOBS:-$(nproc)}" --target "${targets[@]}"
python3 "$root/scripts/fuzz_seeds.py" --shared "$root/../shared" --out "$build_dir/seeds"

status=0
pids=()
for t in "${targets[@]}"; do
  work="$build_dir/runs/$t"
  mkdir -p "$work/corpus"
  (cd "$work" && "$build_dir/tests/fuzz/$t" -max_total_time="$seconds" -max_len=65536 \
     -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus "$build_dir/seeds/$t" \
     >"$work/log.txt" 2>&1) &
  pids+=($!)
done
for i in "${!targets[@]}"; do
  t="${targets[$i]}"
  if wait "${pids[$i]}"; then result=clean; else result=CRASHED; status=1; fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build_dir/runs/$t/log.txt" | grep -o '[0-9]*$' || echo "?")
  echo "$t: $result, $execs execs in ${seconds} s (log: $build_dir/runs/$t/log.txt)"
done
exit $status
