#!/usr/bin/env bash
# The ABI guard: compares a built plugin with the committed libabigail
# baseline of ABI 1.0 (abi/alien-artifact-registry.abi) and fails on any
# change other than members appended at the end of a public struct.
# Uses abidw/abidiff (abigail-tools), the suppressions in this directory
# and abi-append-only.py (python3).
#
#   abi/check-abi.sh PLUGIN.so            check (exit 0 only if compatible)
#   abi/check-abi.sh --update PLUGIN.so   rewrite the baseline from PLUGIN.so
#                                         (only with an ABI minor bump, after
#                                         review)
#
# Options and environment:
#   --baseline FILE          compare with FILE instead (ABI_BASELINE)
#   --keep DIR               keep the new dump and the report in DIR
#
# PLUGIN.so must carry DWARF (build with -g: RelWithDebInfo or Debug).
# libabigail compares types only through debug info: without it abidiff
# prints nothing and exits 0 even for a broken table (measured with 2.2,
# --fail-no-debug-info too). So before comparing, this script checks that
# the plugin has a .debug_info section and that abidw's dump really holds
# the definition of struct alien_ar_plugin and the entry point; otherwise it
# fails (exit 3) instead of passing.
#
# Exit: 0 compatible; 1 ABI changed (abidiff's report is printed); 2 usage
# or missing tools; 3 no usable debug info.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
baseline=${ABI_BASELINE:-$here/alien-artifact-registry.abi}
suppr=$here/alien-artifact-registry.abignore
private_suppr=$here/alien-artifact-registry-private.abignore
update=0
keep=

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --update) update=1 ;;
    --baseline) baseline=$2; shift ;;
    --keep) keep=$2; shift ;;
    -h|--help) usage ;;
    -*) echo "check-abi: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
  shift
done
[ $# -eq 1 ] || usage
plugin=$1

for tool in abidw abidiff readelf python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "check-abi: $tool not found (apt-get install abigail-tools binutils python3)" >&2
    exit 2
  fi
done
[ -f "$plugin" ] || { echo "check-abi: no such file: $plugin" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/check-abi-XXXXXX")
trap 'rm -rf "$work"' EXIT

# Dumps a plugin's ABI: public types only, no build paths in the output.
dump() {
  abidw --no-corpus-path --no-comp-dir-path --short-locs \
        --suppressions "$private_suppr" "$1"
}

# A dump is usable only if it saw the table's definition (not just a
# declaration) and the one entry point.
usable() {
  grep -q "<class-decl name='alien_ar_plugin' size-in-bits='[1-9]" "$1" \
    && grep -q "<function-decl name='alien_ar_plugin_negotiate'" "$1"
}

if ! readelf -S --wide "$plugin" | grep -q '\.debug_info'; then
  echo "check-abi: FAIL: $plugin has no .debug_info section." >&2
  echo "check-abi: libabigail would silently pass it; build with -g" \
       "(CMAKE_BUILD_TYPE=RelWithDebInfo or Debug)." >&2
  exit 3
fi
dump "$plugin" >"$work/new.abi"
if ! usable "$work/new.abi"; then
  echo "check-abi: FAIL: abidw's dump of $plugin has no definition of" \
       "struct alien_ar_plugin or no alien_ar_plugin_negotiate;" \
       "the debug info is incomplete, refusing to compare." >&2
  exit 3
fi

if [ "$update" = 1 ]; then
  cp "$work/new.abi" "$baseline"
  echo "check-abi: wrote $baseline from $plugin"
  exit 0
fi

[ -f "$baseline" ] || { echo "check-abi: no baseline $baseline" >&2; exit 2; }
if ! usable "$baseline"; then
  echo "check-abi: FAIL: the baseline $baseline lacks struct alien_ar_plugin" >&2
  exit 3
fi

# 1. Any difference at all? (No append allowance yet.)
set +e
abidiff "$baseline" "$work/new.abi" >"$work/report.txt" 2>&1
rc=$?
set -e
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  cp "$work/new.abi" "$work/report.txt" "$keep/"
fi
if [ "$rc" -eq 0 ]; then
  echo "check-abi: OK: $plugin has the same ABI as $(basename "$baseline")"
  exit 0
fi
cat "$work/report.txt"
if [ $((rc & 3)) -ne 0 ]; then
  echo "check-abi: FAIL: abidiff failed (exit $rc)" >&2
  exit 1
fi

# 2. A change is allowed only if it is members appended at the end of public
#    structs: abidiff must find nothing once appends are suppressed (this
#    catches changes to the entry point and the exported symbol set), AND
#    the member-by-member prefix check must pass (libabigail 2.2's
#    has_data_member_inserted_at = end also hides retyped members and
#    changed slot signatures when nothing was inserted).
set +e
abidiff --suppressions "$suppr" "$baseline" "$work/new.abi" >"$work/report-suppr.txt" 2>&1
rc_suppr=$?
python3 "$here/abi-append-only.py" "$baseline" "$work/new.abi" >"$work/prefix.txt" 2>&1
rc_prefix=$?
set -e
cat "$work/prefix.txt"
if [ "$rc_suppr" -eq 0 ] && [ "$rc_prefix" -eq 0 ]; then
  echo "check-abi: OK: $plugin only appends to the ABI of $(basename "$baseline")" \
       "(allowed with an ABI minor bump; update the baseline with --update)"
  exit 0
fi
what=
[ $((rc & 4)) -ne 0 ] && what="$what ABI-change"
[ $((rc & 8)) -ne 0 ] && what="$what incompatible-ABI-change"
[ "$rc_suppr" -ne 0 ] && what="$what not-only-appends(abidiff+suppressions=$rc_suppr)"
[ "$rc_prefix" -ne 0 ] && what="$what public-struct-member-changed"
echo "check-abi: FAIL: abidiff exit $rc ($what ) against $(basename "$baseline")." >&2
echo "check-abi: only members appended at the end of a public struct are" \
     "allowed; anything else breaks ABI 1 (see abi/alien-artifact-registry.abignore)." >&2
exit 1
