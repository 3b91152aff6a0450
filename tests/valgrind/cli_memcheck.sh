#!/usr/bin/env bash
# valgrind memcheck over alien-ar's create, get, credentials and delete
# against a real registry: any memory error or definitely lost block fails.
# Usage: cli_memcheck.sh ALIEN_AR PLUGIN
set -euo pipefail
cli=$1
export ALIEN_AR_PLUGIN=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../support/registry.sh
. "$here/../support/registry.sh"
trap registry_stop EXIT
registry_start

export ALIEN_MEMCHECK_BINDING="{\"service\":\"local\",\"registryUrl\":\"localhost:$REG_PORT\",\"dataDir\":null}"
export ALIEN_AR_LOG=trace
name=vg-$$
run() {
  local rc=0
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
    --error-exitcode=99 "$cli" --binding memcheck "$@" \
    >/dev/null 2>"$REG_DIR/vg.log" || rc=$?
  [ "$rc" -eq 99 ] && cat "$REG_DIR/vg.log" >&2
  return "$rc"
}
expect() {
  local want=$1; shift
  set +e; run "$@"; local rc=$?; set -e
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL: alien-ar $* exited $rc, expected $want" >&2
    exit 1
  fi
  echo "ok: alien-ar $* (exit $rc, no memcheck errors)"
}
expect 0 create "$name"
expect 0 get "memcheck/$name"
expect 0 credentials "memcheck/$name" --permissions pull --ttl 60
expect 4 cross-account get "memcheck/$name"
expect 0 delete "memcheck/$name"
expect 3 get "memcheck/$name"
expect 5 create Bad-Name
echo "7 passed, 0 failed"
