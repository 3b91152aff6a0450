#!/usr/bin/env bash
# The host cycles under ThreadSanitizer: three threads each loading the
# plugin (dlopen), negotiating, opening a handle, creating or getting a
# repository, closing and unloading, at once (cycles.c, the code
# test_host_cycles runs). Concurrent open/close exercises the set of live
# handles and every per-handle lock. Same TSan build as tests/perf/tsan.sh
# (tests/support/tsan.sh).
#
# Usage: tests/host/tsan.sh [CYCLES_PER_THREAD]     (default 200)
# Exit status: 0 when every cycle succeeded and TSan reported nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${TSAN_BUILD_DIR:-$root/build-tsan}
cycles=${1:-200}

# shellcheck source=../support/tsan.sh
. "$root/tests/support/tsan.sh"
tsan_build "$root" "$build" host_cycles_driver

# shellcheck source=../support/registry.sh
. "$root/tests/support/registry.sh"
registry_start
trap registry_stop EXIT

tsan_run "$root" "$build/tsan-host-cycles.log" \
  "$build/tests/host/host_cycles_driver" \
  "$build/plugin/alien-artifact-registry.so" "127.0.0.1:$REG_PORT" 3 "$cycles"
