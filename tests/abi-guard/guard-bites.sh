#!/usr/bin/env bash
# Proves the ABI guard (abi/check-abi.sh) bites. Builds the real plugin
# sources against deliberately changed copies of the public header and
# checks each verdict against the committed baseline:
#
#   variant      header change                              expected
#   same         none                                       pass (exit 0)
#   append       a slot appended at the end of the table    pass (exit 0)
#   insert       a slot inserted in the middle of the table FAIL (exit 1)
#   signature    generate_credentials: int32_t -> int64_t   FAIL (exit 1)
#   field-type   alien_ar_error.retryable: int32_t -> int64_t FAIL (exit 1)
#   append-error a member appended to struct alien_ar_error   pass (exit 0)
#   append+sig   append a slot AND change a signature       FAIL (exit 1)
#                (libabigail's append suppression alone would pass it)
#   nodebug      none, but built without -g                 FAIL (exit 3):
#                                                           no silent pass
#
#   guard-bites.sh [VARIANT...]     (default: all of them)
#   GUARD_SRC=DIR guard-bites.sh    build the variants from another source
#                                   tree (default: this one)
#
# The real header is never touched: each variant copies the source tree
# (as git sees it, see packaging/lib.sh) into a temporary directory, patches
# the copy with sed and builds only the plugin target.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
check=$root/abi/check-abi.sh
jobs=${JOBS:-2}
# shellcheck source=../../packaging/lib.sh
. "$root/packaging/lib.sh"
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(same append insert signature field-type append-error append+sig nodebug)

work=$(mktemp -d "${TMPDIR:-/tmp}/abi-guard-XXXXXX")
trap 'rm -rf "$work"' EXIT

# patch VARIANT HEADER: applies the variant's change; fails if sed matched
# nothing, so a reworded header cannot turn a variant into a no-op.
patch_header() {
  local v=$1 h=$2 before
  before=$(cksum <"$h")
  case $v in
    same|nodebug) return 0 ;;
    append)
      sed -i '/const char \*(\*handle_backend)(const alien_ar_handle \*handle);/a\
\
  /** Appended by the ABI guard test. */\
  int32_t (*abi_guard_appended)(alien_ar_handle *handle);' "$h" ;;
    insert)
      sed -i '/void (\*close)(alien_ar_handle \*handle);/a\
  /** Inserted by the ABI guard test: breaks every later slot. */\
  int32_t (*abi_guard_inserted)(alien_ar_handle *handle);' "$h" ;;
    signature)
      sed -i 's/^\( *\)int32_t permissions,$/\1int64_t permissions,/' "$h" ;;
    field-type)
      sed -i 's/^\( *\)int32_t retryable;$/\1int64_t retryable;/' "$h" ;;
    append-error)
      sed -i '/const struct alien_ar_error \*source;/a\
  /** Appended by the ABI guard test. */\
  const char *abi_guard_appended;' "$h" ;;
    append+sig)
      patch_header append "$h"
      patch_header signature "$h" ;;
    *) echo "unknown variant $v" >&2; return 2 ;;
  esac
  [ "$(cksum <"$h")" != "$before" ] || { echo "variant $v: sed changed nothing" >&2; return 2; }
}

expect_rc() {
  case $1 in
    same|append|append-error) echo 0 ;;
    insert|signature|field-type|append+sig) echo 1 ;;
    nodebug) echo 3 ;;
  esac
}

failed=0
for v in "${variants[@]}"; do
  tree=$work/$v/src
  pkg_copy_tree "${GUARD_SRC:-$root}" "$tree"
  patch_header "$v" "$tree/abi/alien/artifact_registry.h"
  if [ "$v" = nodebug ]; then type=Release; else type=RelWithDebInfo; fi
  # The variants that change a signature would not compile cleanly (the
  # plugin's functions no longer match the table): warnings only, no -Werror.
  cmake -S "$tree" -B "$work/$v/build" -DCMAKE_BUILD_TYPE=$type \
        -DBUILD_TESTING=OFF -DALIEN_AR_WERROR=OFF -DALIEN_AR_BUILD_BENCH=OFF \
        -DCMAKE_C_FLAGS="-w -Wno-error=incompatible-pointer-types" \
        >"$work/$v/build.log" 2>&1 \
    && cmake --build "$work/$v/build" -j"$jobs" --target alien_ar_plugin \
        >>"$work/$v/build.log" 2>&1 \
    || { cat "$work/$v/build.log" >&2; echo "not ok - $v: build failed"; failed=1; continue; }
  plugin=$work/$v/build/plugin/alien-artifact-registry.so
  echo "== $v ($(diff "$root/abi/alien/artifact_registry.h" \
                   "$tree/abi/alien/artifact_registry.h" | grep -c '^[<>]') header lines changed, $type)"
  set +e
  "$check" "$plugin" >"$work/$v/check.log" 2>&1
  rc=$?
  set -e
  sed 's/^/    /' "$work/$v/check.log" | head -n 40
  want=$(expect_rc "$v")
  if [ "$rc" = "$want" ]; then
    echo "ok - $v: check-abi.sh exit $rc (expected $want)"
  else
    echo "not ok - $v: check-abi.sh exit $rc, expected $want"
    failed=1
  fi
done
exit $failed
