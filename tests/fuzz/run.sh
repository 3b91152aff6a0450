#!/usr/bin/env bash
# Builds every libFuzzer target (clang, -fsanitize=fuzzer,address,undefined)
# in its own build directory and runs each for a fixed time, two at a time
# (the machine has 2 cores). Fails on any crash, leak, sanitizer report,
# timeout or out-of-memory. The committed seeds (corpus/<target>/) and crash
# regressions (regressions/<target>/) are read, never written: new inputs go
# to a scratch corpus in the build directory.
#
# Usage: tests/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 10 (CI); the documented long run is 600
#   TARGET              default: every target (binding, error_body, ...)
# Env: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_JOBS (default 2),
#      FUZZ_KEEP_CORPUS=1 keeps the scratch corpus between runs.
# The last line of each target's log holds libFuzzer's final numbers; a
# summary (executions, cov, ft, corpus size) is printed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/fuzz
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-10}
shift || true
jobs=${FUZZ_JOBS:-2}

command -v clang >/dev/null || {
  echo "fuzz: clang is missing (packaging/install-deps.sh installs it)" >&2
  exit 1
}

CC=clang cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DALIEN_AR_FUZZ=ON -DBUILD_TESTING=OFF -DALIEN_AR_BUILD_BENCH=OFF \
  -DALIEN_AR_WERROR=ON >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz_all

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in "$build"/tests/fuzz/fuzz_*; do
    [ -x "$f" ] && targets+=("${f##*/fuzz_}")
  done
fi

out=$build/fuzz-run
mkdir -p "$out"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run_one() {
  local t=$1
  local work=$out/corpus/$t art=$out/artifacts/$t/ log=$out/$t.log
  [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ] || rm -rf "$work"
  rm -rf "$art"
  mkdir -p "$work" "$art"
  local dirs=("$work" "$here/corpus/$t")
  [ -d "$here/regressions/$t" ] && dirs+=("$here/regressions/$t")
  local rc=0 sandbox=()
  # The session target can open handles on any registryUrl a fuzzed line
  # names: it runs without a network (not even loopback is up).
  [ "$t" = session ] && sandbox=(unshare -n)
  # -timeout: one input may take at most 10 s (a hang is a finding);
  # -rss_limit_mb: a parser that balloons is a finding too.
  "${sandbox[@]}" "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$art" "${dirs[@]}" >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] || ls "$art" | grep -q .; then
    echo "FAIL fuzz_$t (exit $rc); log $log, inputs in $art" >&2
    grep -E 'ERROR|invariant|SUMMARY|runtime error' "$log" | head -n 20 >&2
    return 1
  fi
  local last execs cov ft corp
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
  printf 'ok   fuzz_%-18s %4ss  execs %-10s cov %-5s ft %-6s corpus %s\n' \
    "$t" "$seconds" "$execs" "$cov" "$ft" "$corp"
}

echo "== fuzzing ${#targets[@]} targets for ${seconds}s each, $jobs at a time"
failed=0
pids=()
names=()
results=$out/results
: >"$results"
for t in "${targets[@]}"; do
  while [ "${#pids[@]}" -ge "$jobs" ]; do
    if wait "${pids[0]}"; then :; else failed=1; fi
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  done
  run_one "$t" >>"$results" &
  pids+=($!)
  names+=("$t")
done
for p in "${pids[@]}"; do
  if wait "$p"; then :; else failed=1; fi
done
sort "$results"
if [ "$failed" -ne 0 ]; then
  echo "fuzz: crashes found (see above)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, no crash"
