#!/usr/bin/env bash
# The plugin lives in someone else's process: it must not exit or abort it,
# write to its stdout/stderr, or register process-wide hooks. Checks the
# plugin's imports for any function that would do so.
# Usage: forbidden_symbols.sh PLUGIN [--sanitized]
# (a sanitizer build adds the sanitizer's own module constructors)
set -euo pipefail
forbidden='exit|_exit|_Exit|abort|atexit|at_quick_exit|__cxa_atexit|pthread_atfork|signal|sigaction|printf|vprintf|fprintf|vfprintf|puts|fputs|putchar|perror|fwrite|write|dprintf'
found=$(nm -D --undefined-only "$1" | awk '{print $NF}' | sed 's/@.*//' \
        | grep -xE "$forbidden" || true)
if [ -n "$found" ]; then
  echo "FAIL: the plugin imports forbidden functions:" $found >&2
  exit 1
fi
# A constructor or destructor of our own would show up as an extra entry
# in .init_array/.fini_array beyond the toolchain's one.
[ "${2:-}" = --sanitized ] && { echo "ok: no forbidden imports"; echo "1 passed, 0 failed"; exit 0; }
for sec in .init_array .fini_array; do
  hex=$(readelf -SW "$1" | awk -v s="$sec" '$2 == s { print $6 }')
  size=$(( 16#${hex:-0} ))
  if [ "$size" -gt 8 ]; then
    echo "FAIL: $sec has $((size / 8)) entries (constructors/destructors?)" >&2
    exit 1
  fi
done
echo "ok: no forbidden imports, no constructors or destructors"
echo "1 passed, 0 failed"
