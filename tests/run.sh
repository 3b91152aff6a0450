#!/usr/bin/env bash
# The whole test suite: a release build with warnings as errors and every
# test (unit, ABI, real registry, skopeo cross-checks, CLI, valgrind), then
# the same suite built with AddressSanitizer + UBSan. Debian 12, as root;
# installs what is missing with apt. Exit status 0 only if everything passed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
jobs=$(nproc)

bash "$root/packaging/install-deps.sh"

echo "== release build (-Werror) and full suite"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DALIEN_AR_WERROR=ON >/dev/null
cmake --build "$build" -j"$jobs"
(cd "$build" && ctest --output-on-failure)

echo "== AddressSanitizer + UBSan build and full suite"
cmake -S "$root" -B "$build-asan" -DCMAKE_BUILD_TYPE=Debug \
      -DALIEN_AR_WERROR=ON -DALIEN_AR_SANITIZE=ON >/dev/null
cmake --build "$build-asan" -j"$jobs"
# Criterion runs each test in a worker process whose exit-time leak report
# does not fail the test, so the log is checked for sanitizer reports too.
log="$build-asan/ctest-sanitizers.log"
(cd "$build-asan" \
  && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
     UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -V) >"$log" 2>&1 || { tail -n 200 "$log"; exit 1; }
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
  grep -nE -A30 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log" | head -n 200
  echo "sanitizer reports found (full log: $log)" >&2
  exit 1
fi
grep -E '^[0-9]+% tests passed' "$log"
echo "no sanitizer reports"
