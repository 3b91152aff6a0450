# shellcheck shell=bash
# Bash helpers (sourced) for the ThreadSanitizer stages (tests/perf/tsan.sh,
# tests/host/tsan.sh): one TSan build directory, one way to run a driver
# and judge its log.
#
#   tsan_build ROOT BUILD TARGET...   configure BUILD with -fsanitize=thread
#                                     and build the plugin plus TARGETs
#   tsan_run ROOT LOG CMD...          run CMD, tee its output to LOG; fails
#                                     unless CMD exits 0 with no TSan report
#
# Why drivers and not the Criterion binaries: Criterion 2.4.1 aborts at
# start under TSan ("Could not initialize inheritable arena: Resource
# temporarily unavailable"): boxfort maps its shared arena at an address
# TSan reserves. TSan cannot be combined with ASan, so ALIEN_AR_SANITIZE
# stays OFF. -Wl,-z,defs stays on for the plugin: gcc links libtsan into a
# module built with -fsanitize=thread, so every __tsan_* symbol resolves.

tsan_build() {
  local root=$1 build=$2
  shift 2
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_FLAGS=-fsanitize=thread \
    -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
    -DCMAKE_MODULE_LINKER_FLAGS=-fsanitize=thread \
    -DALIEN_AR_WERROR=ON -DALIEN_AR_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build" -j2 --target alien_ar_plugin "$@"
}

tsan_run() {
  local root=$1 log=$2
  shift 2
  local cmd=("$@")
  export TSAN_OPTIONS="suppressions=$root/tests/perf/tsan.supp halt_on_error=0 second_deadlock_stack=1 exitcode=66"
  # gcc 12's TSan wants its fixed shadow layout; kernels with
  # vm.mmap_rnd_bits > 28 break it ("unexpected memory mapping"), so turn
  # ASLR off for this one process there.
  if [ "$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28)" -gt 28 ]; then
    cmd=(setarch "$(uname -m)" -R "${cmd[@]}")
  fi
  echo "== ${cmd[*]}"
  local rc reports
  set +e
  "${cmd[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  reports=$(grep -c 'WARNING: ThreadSanitizer' "$log" || true)
  echo "== driver exit status $rc, ThreadSanitizer reports: $reports (log: $log)"
  [ "$rc" -eq 0 ] && [ "$reports" -eq 0 ]
}
