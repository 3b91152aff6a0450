#!/usr/bin/env bash
# The host cycles under ThreadSanitizer: three threads each loading the
# plugin (dlopen), negotiating, opening a handle, creating or getting a
# repository, closing and unloading, at once (cycles.c, the code
# test_host_cycles runs). Concurrent open/close exercises the set of live
# handles and every per-handle lock.
#
# Same TSan build directory and flags as tests/perf/tsan.sh (see the reasons
# there: Criterion cannot start under TSan, ASLR off where gcc's TSan needs
# it, -z defs kept).
#
# Usage: tests/host/tsan.sh [CYCLES_PER_THREAD]     (default 200)
# Exit status: 0 when every cycle succeeded and TSan reported nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSAN_BUILD_DIR:-$root/build-tsan}
cycles=${1:-200}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS=-fsanitize=thread \
  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
  -DCMAKE_MODULE_LINKER_FLAGS=-fsanitize=thread \
  -DALIEN_AR_WERROR=ON -DALIEN_AR_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j2 --target alien_ar_plugin host_cycles_driver

# shellcheck source=../support/registry.sh
. "$root/tests/support/registry.sh"
registry_start
trap registry_stop EXIT

log=$build/tsan-host-cycles.log
export TSAN_OPTIONS="suppressions=$root/tests/perf/tsan.supp halt_on_error=0 second_deadlock_stack=1 exitcode=66"
cmd=("$build/tests/host/host_cycles_driver"
     "$build/plugin/alien-artifact-registry.so" "127.0.0.1:$REG_PORT" 3 "$cycles")
if [ "$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28)" -gt 28 ]; then
  cmd=(setarch "$(uname -m)" -R "${cmd[@]}")
fi
echo "== ${cmd[*]}"
set +e
"${cmd[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
reports=$(grep -c 'WARNING: ThreadSanitizer' "$log" || true)
echo "== driver exit status $rc, ThreadSanitizer reports: $reports (log: $log)"
[ "$rc" -eq 0 ] && [ "$reports" -eq 0 ]
