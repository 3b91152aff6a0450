#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run). Debian 12, as root;
# installs what is missing with apt. Exit status 0 only if every stage
# passed:
#  1. release build (-Werror) and every test: unit, ABI, real registry,
#     faults (tests/faults), host (tests/host), skopeo cross-checks, CLI,
#     the fuzz corpora and crash regressions replayed, valgrind over the CLI;
#  2. the same suite built with AddressSanitizer + UBSan (the ABI guard,
#     which builds its own plugins, runs in stage 1 only);
#  3. valgrind memcheck over the ABI-level Criterion binaries of the release
#     build (tests/valgrind/suite.sh; --all there for every binary);
#  4. ThreadSanitizer over the concurrency load (tests/perf/tsan.sh) and
#     three host threads loading/opening/closing at once (tests/host/tsan.sh);
#  5. every libFuzzer target for a fixed time (tests/fuzz/run.sh, clang).
# The time of each stage and the total are printed at the end.
# Knobs: BUILD_DIR (default build/; stages 2-5 use BUILD_DIR-asan, -tsan,
# -fuzz), CTEST_JOBS (default 3: most tests wait on registries and
# sockets), FUZZ_SECONDS (per target, default 10), TSAN_OPS (default
# 10000, the load test_perf_concurrency runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=$(nproc)
ctest_jobs=${CTEST_JOBS:-3}
fuzz_seconds=${FUZZ_SECONDS:-10}
tsan_ops=${TSAN_OPS:-10000}

times=()
stage_start=$SECONDS
stage() {
  local now=$SECONDS
  [ -n "${stage_name:-}" ] && times+=("$(printf '%-34s %4d s' "$stage_name" $((now - stage_start)))")
  stage_name=$1
  stage_start=$now
  [ -n "$1" ] && echo "== $1"
  return 0
}
report() {
  stage ""
  echo "== stage times"
  printf '   %s\n' "${times[@]}"
  echo "   total                              $((SECONDS)) s"
}
trap report EXIT

stage "dependencies"
bash "$root/packaging/install-deps.sh"

stage "release build (-Werror)"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DALIEN_AR_WERROR=ON >/dev/null
cmake --build "$build" -j"$jobs"

stage "release: full suite"
(cd "$build" && ctest --output-on-failure -j"$ctest_jobs")

stage "ASan + UBSan build"
cmake -S "$root" -B "$build-asan" -DCMAKE_BUILD_TYPE=Debug \
      -DALIEN_AR_WERROR=ON -DALIEN_AR_SANITIZE=ON >/dev/null
cmake --build "$build-asan" -j"$jobs"

stage "ASan + UBSan: full suite"
# Criterion runs each test in a worker process whose exit-time leak report
# does not fail the test, so the log is checked for sanitizer reports too.
log="$build-asan/ctest-sanitizers.log"
(cd "$build-asan" \
  && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -V -j"$ctest_jobs" -E '^abi_guard') \
  >"$log" 2>&1 || { tail -n 200 "$log"; exit 1; }
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
  grep -nE -A30 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" | head -n 200
  echo "sanitizer reports found (full log: $log)" >&2
  exit 1
fi
grep -E '^[0-9]+% tests passed' "$log"
echo "no sanitizer reports"

stage "valgrind memcheck (ABI-level suite)"
bash "$root/tests/valgrind/suite.sh" "$build"

stage "ThreadSanitizer (load, host cycles)"
TSAN_BUILD_DIR="$build-tsan" bash "$root/tests/perf/tsan.sh" "$tsan_ops" \
  | tail -n 5
TSAN_BUILD_DIR="$build-tsan" bash "$root/tests/host/tsan.sh" | tail -n 3

stage "libFuzzer (${fuzz_seconds} s per target)"
FUZZ_BUILD_DIR="$build-fuzz" bash "$root/tests/fuzz/run.sh" "$fuzz_seconds"

stage ""
echo "== all stages passed"
