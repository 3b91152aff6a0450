#!/usr/bin/env bash
# The concurrency load (8 threads, 10,000 mixed operations on ONE handle;
# concurrency_load.c, the same code test_perf_concurrency runs) under
# ThreadSanitizer. The plugin, its core and the driver are built with
# -fsanitize=thread in a separate build directory (TSan cannot be combined
# with ASan, so ALIEN_AR_SANITIZE stays OFF).
#
# Why a driver and not the Criterion binary: Criterion 2.4.1 aborts at
# start under TSan ("Could not initialize inheritable arena: Resource
# temporarily unavailable"): boxfort maps its shared arena at an address
# TSan reserves.
#
# -Wl,-z,defs stays on for the plugin: gcc links libtsan into a module built
# with -fsanitize=thread (DT_NEEDED libtsan.so.2), so every __tsan_* symbol
# resolves at link time and plugin/CMakeLists.txt needs no change.
#
# Usage: tests/perf/tsan.sh [TOTAL_OPS]     (default 10000)
# Exit status: 0 when every operation succeeded and TSan reported nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSAN_BUILD_DIR:-$root/build-tsan}
total=${1:-10000}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS=-fsanitize=thread \
  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
  -DCMAKE_MODULE_LINKER_FLAGS=-fsanitize=thread \
  -DALIEN_AR_WERROR=ON -DALIEN_AR_BUILD_BENCH=OFF >/dev/null
# Only what the run needs: the plugin (with the core) and the driver.
cmake --build "$build" -j2 --target alien_ar_plugin perf_concurrency_driver

# shellcheck source=../support/registry.sh
. "$root/tests/support/registry.sh"
registry_start
trap registry_stop EXIT

log=$build/tsan-concurrency.log
export TSAN_OPTIONS="suppressions=$root/tests/perf/tsan.supp halt_on_error=0 second_deadlock_stack=1 exitcode=66"
cmd=("$build/tests/perf/perf_concurrency_driver"
     "$build/plugin/alien-artifact-registry.so" "127.0.0.1:$REG_PORT" "$total")
# gcc 12's TSan wants its fixed shadow layout; kernels with
# vm.mmap_rnd_bits > 28 break it ("unexpected memory mapping"), so turn
# ASLR off for this one process there.
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
