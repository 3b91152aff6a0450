#!/usr/bin/env bash
# The test suite's Criterion binaries under valgrind memcheck: any memory
# error (invalid read/write, use of uninitialised memory, bad free) or any
# definitely lost block fails the run. A debug aid for what ASan cannot
# see (uninitialised reads) and the proof that nothing leaks.
#
# Criterion 2.4 runs every test in a worker process that it re-executes from
# the test binary, and has no in-process mode; --trace-children=yes follows
# those workers (each gets its own memcheck, ~1.3 s of start-up), while
# --trace-children-skip keeps valgrind out of system programs the tests
# start (docker-registry, skopeo, openssl, sha256sum...). Each process
# writes its own log; the run fails when any log reports an error.
#
# Usage: tests/valgrind/suite.sh [--all] [BUILD_DIR]
#   default (CI): every binary that loads the plugin through dlopen and
#            talks plain HTTP: abi, local, faults, host (args, cycles), perf
#            requests and connections -- the plugin as hosts run it, about
#            5 minutes.
#            Left to --all: unit_* (the core linked statically; the same
#            code runs through the plugin in the ABI-level tests, and
#            ASan+UBSan run them), tests/cli (alien-ar has its own valgrind
#            test, valgrind_cli_memcheck), TLS (tests/oci, host secrets:
#            GnuTLS handshakes under memcheck outlast the fixtures' start-up
#            probes), the load tests (test_perf_concurrency,
#            test_local_concurrency: ThreadSanitizer runs that load).
#   --all:   literally every Criterion binary (over 20 minutes on 2 cores;
#            the TLS fixtures may time out).
# BUILD_DIR defaults to build/ (a release build: valgrind cannot run ASan).
# Slow-run knobs passed to the tests: ALIEN_AR_TEST_TIME_SLACK_MS (timing
# bounds), ALIEN_AR_TEST_CYCLES and ALIEN_AR_TEST_NO_RSS (tests/host).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
all=0
if [ "${1:-}" = --all ]; then
  all=1
  shift
fi
build=${1:-$root/build}
out=$build/valgrind-suite
rm -rf "$out"
mkdir -p "$out"

command -v valgrind >/dev/null || { echo "valgrind is missing" >&2; exit 1; }

bins=()
while IFS= read -r b; do
  name=${b##*/}
  if [ "$all" = 0 ]; then
    case "$b" in
      */tests/unit/*|*/tests/cli/*|*/tests/oci/*) continue ;;
    esac
    case "$name" in
      test_perf_concurrency|test_local_concurrency|test_host_secrets) continue ;;
    esac
  fi
  bins+=("$b")
done < <(find "$build/tests" -type f -perm -u+x \( -name 'test_*' -o -name 'unit_*' \) \
           -not -path '*/CMakeFiles/*' | sort)
[ "${#bins[@]}" -gt 0 ] || { echo "no test binaries under $build/tests" >&2; exit 1; }

export ALIEN_AR_TEST_TIME_SLACK_MS=${ALIEN_AR_TEST_TIME_SLACK_MS:-6000}
export ALIEN_AR_TEST_CYCLES=${ALIEN_AR_TEST_CYCLES:-60}
export ALIEN_AR_TEST_NO_RSS=1
vg=(valgrind --trace-children=yes
    --trace-children-skip='/usr/*,/bin/*,/sbin/*,/lib/*'
    --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --error-exitcode=99 --num-callers=30
    --suppressions="$root/tests/valgrind/suite.supp")

failed=0
start=$SECONDS
for b in "${bins[@]}"; do
  name=${b##*/}
  t0=$SECONDS
  rc=0
  (cd "$(dirname "$b")" && "${vg[@]}" --log-file="$out/$name.%p.log" \
     "$b" --jobs 2 >"$out/$name.out" 2>&1) || rc=$?
  bad=$(grep -l -E 'ERROR SUMMARY: [1-9]' "$out/$name".*.log 2>/dev/null || true)
  synth=$(grep -h 'Synthesis' "$out/$name.out" | tail -n 1 | sed 's/.*Synthesis: //')
  if [ "$rc" -ne 0 ] || [ -n "$bad" ]; then
    failed=1
    echo "FAIL $name ($((SECONDS - t0)) s, exit $rc): $synth"
    tail -n 20 "$out/$name.out"
    for f in $bad; do
      echo "---- $f"
      grep -E -A40 '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and|[0-9,]+ bytes in [0-9,]+ blocks are definitely)' "$f" | head -n 80
    done
  else
    echo "ok   $name ($((SECONDS - t0)) s): $synth"
  fi
done
procs=$(ls "$out"/*.log | wc -l)
echo "valgrind: ${#bins[@]} binaries, $procs processes checked in $((SECONDS - start)) s (logs: $out)"
exit "$failed"
