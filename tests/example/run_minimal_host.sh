#!/usr/bin/env bash
# Runs the README's minimal host against a real registry and checks what it
# prints. Usage: run_minimal_host.sh HOST_BINARY PLUGIN
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../support/registry.sh
. "$here/../support/registry.sh"
trap registry_stop EXIT
registry_start
out=$("$1" "$2" "localhost:$REG_PORT")
want="created demo/my-app at localhost:$REG_PORT/demo/my-app"
if [ "$out" != "$want" ]; then
  echo "FAIL: got '$out', expected '$want'" >&2
  exit 1
fi
echo "ok: $out"
echo "1 passed, 0 failed"
