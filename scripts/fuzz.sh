#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in the ASan build of
# scripts/test-sanitizers.sh (build-asan/, or $STEPLINE_FUZZ_DIR, configured
# by it with STEPLINE_FUZZ=ON, so the sanitized suite and the fuzzers share
# one build), writes their seed corpora from ../shared and the tests, and
# runs each target for SECONDS (default 600) with the seeds, all at once.
# Prints each target's exec count; exits non-zero when a target crashed
# (its reproducer is left as crash-* in the target's work folder).
# STEPLINE_FUZZ_SEED fixes libFuzzer's random seed (CI sets it, so a run is
# repeatable); unset, every run explores differently.
#   scripts/fuzz.sh                 every target, 10 minutes each
#   scripts/fuzz.sh 30 fuzz_asl     one target, 30 seconds
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${STEPLINE_FUZZ_DIR:-${STEPLINE_ASAN_DIR:-$root/build-asan}}"
seconds="${1:-600}"
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(fuzz_jsonata fuzz_jsonpath fuzz_asl fuzz_http fuzz_api)

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is needed (apt-get install clang)" >&2; exit 2; }
STEPLINE_ASAN_DIR="$build_dir" "$root/scripts/test-sanitizers.sh" configure-asan
grep -q '^STEPLINE_FUZZ:BOOL=ON' "$build_dir/CMakeCache.txt" ||
  { echo "fuzz.sh: $build_dir is not a STEPLINE_FUZZ build" >&2; exit 2; }
nice -n 10 cmake --build "$build_dir" -j "${STEPLINE_JOBS:-$(nproc)}" --target "${targets[@]}"
# Without ../shared some targets start from their own seeds only.
python3 "$root/scripts/fuzz_seeds.py" --shared "$root/../shared" --out "$build_dir/seeds" ||
  echo "fuzz.sh: some seed corpora are missing (is ../shared there?)" >&2

status=0
pids=()
for t in "${targets[@]}"; do
  work="$build_dir/runs/$t"
  mkdir -p "$work/corpus" "$build_dir/seeds/$t"
  (cd "$work" && "$build_dir/tests/fuzz/$t" -max_total_time="$seconds" -max_len=65536 \
     -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 ${STEPLINE_FUZZ_SEED:+-seed="$STEPLINE_FUZZ_SEED"} \
     corpus "$build_dir/seeds/$t" \
     >"$work/log.txt" 2>&1) &
  pids+=($!)
done
for i in "${!targets[@]}"; do
  t="${targets[$i]}"
  if wait "${pids[$i]}"; then
    result=clean
  else
    result=CRASHED
    status=1
    tail -n 40 "$build_dir/runs/$t/log.txt"
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build_dir/runs/$t/log.txt" | grep -o '[0-9]*$' || echo "?")
  echo "$t: $result, $execs execs in ${seconds} s (log: $build_dir/runs/$t/log.txt)"
done
exit $status
