#!/usr/bin/env bash
# The concurrency load (8 threads, 10,000 mixed operations on ONE handle;
# concurrency_load.c, the same code test_perf_concurrency runs) under
# ThreadSanitizer, through a driver (tests/support/tsan.sh says why).
#
# Usage: tests/perf/tsan.sh [TOTAL_OPS]     (default 10000)
# Exit status: 0 when every operation succeeded and TSan reported nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSAN_BUILD_DIR:-$root/build-tsan}
total=${1:-10000}

# shellcheck source=../support/tsan.sh
. "$root/tests/support/tsan.sh"
tsan_build "$root" "$build" perf_concurrency_driver

# shellcheck source=../support/registry.sh
. "$root/tests/support/registry.sh"
registry_start
trap registry_stop EXIT

tsan_run "$root" "$build/tsan-concurrency.log" \
  "$build/tests/perf/perf_concurrency_driver" \
  "$build/plugin/alien-artifact-registry.so" "127.0.0.1:$REG_PORT" "$total"
