#!/usr/bin/env bash
# Builds Stepline twice more with sanitizers and runs the tests there:
#   build-asan/  AddressSanitizer + UndefinedBehaviorSanitizer (leaks included,
#                UB aborts): every CTest test except the docker label. Built
#                with clang and STEPLINE_FUZZ=ON, so the same build holds the
#                libFuzzer targets scripts/fuzz.sh runs (without clang: g++,
#                and the fuzz targets only replay their seeds).
#   build-tsan/  ThreadSanitizer: the tests that run threads (see TSAN_TARGETS).
# Any sanitizer report fails the test that caused it: unit tests abort, and
# the sanitized server exits non-zero at shutdown, which the Python drivers
# check. Builds run -j2 under nice so they share the machine.
#   scripts/test-sanitizers.sh              both
#   scripts/test-sanitizers.sh asan         one of them
#   scripts/test-sanitizers.sh tsan -R storage   (further arguments go to ctest)
#   scripts/test-sanitizers.sh configure-asan    (only configures build-asan/;
#                                                 scripts/fuzz.sh builds there)
# Build folders: $STEPLINE_ASAN_DIR / $STEPLINE_TSAN_DIR. Prints each phase's
# time. Exits non-zero when a build or a test failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
asan_dir="${STEPLINE_ASAN_DIR:-$root/build-asan}"
tsan_dir="${STEPLINE_TSAN_DIR:-$root/build-tsan}"
jobs="${STEPLINE_JOBS:-2}"
which="${1:-all}"
shift || true
supp="$root/tests/sanitizers"

# The tests that start threads (Asio pools, the storage writer, dispatch
# workers) and the server the Python tests drive; the pure evaluators
# (jsonpath, jsonata, asl, common) are single-threaded and covered by ASan.
TSAN_TARGETS=(runtime_tests storage_tests integrations_tests api_tests http_server_tests stepline)
TSAN_TESTS='^(runtime_tests|storage_tests|integrations_tests|api_tests|http_server_tests|e2e_.*)$'

export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=23:detect_stack_use_after_return=0:strict_init_order=1:print_summary=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=23:suppressions=$supp/ubsan.supp"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
# Sanitized code is 2-10x slower: the conformance runs scale Wait/TimeoutSeconds less.
export STEPLINE_TEST_WAIT_TIME_SCALE=0.05
export TSAN_OPTIONS="halt_on_error=0:exitcode=66:second_deadlock_stack=1:history_size=4:suppressions=$supp/tsan.supp"

configure() { # dir sanitizers [more cmake arguments]
  local args=(-S "$root" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" -DSTEPLINE_BENCH=OFF
    "-DSTEPLINE_SANITIZE=$2" "${@:3}")
  # See scripts/build.sh: a fresh tree's first generation can fail on the PCH.
  cmake "${args[@]}" >/dev/null || cmake "${args[@]}" >/dev/null
}

# The ASan build: clang with the fuzz targets when there is clang.
configure_asan() {
  if command -v clang++ >/dev/null; then
    CXX=clang++ configure "$asan_dir" address,undefined -DSTEPLINE_FUZZ=ON
  else
    configure "$asan_dir" address,undefined
  fi
}

phase() { # name command...
  local start=$SECONDS name="$1"
  shift
  if "$@"; then echo "sanitizers: $name took $((SECONDS - start)) s"; return 0; fi
  echo "sanitizers: $name FAILED after $((SECONDS - start)) s"
  return 1
}

build() { # dir targets...
  local dir="$1"
  shift
  local targets=()
  for t in "$@"; do targets+=(--target "$t"); done
  nice -n 10 cmake --build "$dir" -j "$jobs" "${targets[@]}"
}

if [[ $which == configure-asan ]]; then
  configure_asan
  exit 0
fi
status=0
if [[ $which == all || $which == asan ]]; then
  configure_asan
  if phase "asan build" build "$asan_dir"; then
    (cd "$asan_dir" && phase "asan tests" ctest --output-on-failure -j2 -LE docker "$@") || status=1
  else
    status=1
  fi
fi
if [[ $which == all || $which == tsan ]]; then
  configure "$tsan_dir" thread
  if phase "tsan build" build "$tsan_dir" "${TSAN_TARGETS[@]}"; then
    (cd "$tsan_dir" && export STEPLINE_TEST_SANITIZER=thread && phase "tsan tests" ctest --output-on-failure -j2 -R "$TSAN_TESTS" "$@") ||
      status=1
  else
    status=1
  fi
fi
exit $status
