#!/usr/bin/env bash
# The main job: builds the plugin and alien-ar, starts a real registry on
# 127.0.0.1, and drives every operation of the `local` backend through
# alien-ar exactly as a host would. Debian 12, as root; installs what is
# missing with apt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}

bash "$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target alien_ar_plugin alien-ar >/dev/null

# shellcheck source=../tests/support/registry.sh
. "$root/tests/support/registry.sh"
trap registry_stop EXIT
registry_start

export ALIEN_AR_PLUGIN="$build/plugin/alien-artifact-registry.so"
export ALIEN_DEMO_BINDING="{\"service\":\"local\",\"registryUrl\":\"localhost:$REG_PORT\",\"dataDir\":null}"
ar() { "$build/cli/alien-ar" --binding demo "$@"; }
step() { printf '\n$ alien-ar --binding demo %s\n' "$*"; }

echo "registry: distribution on 127.0.0.1:$REG_PORT (data in $REG_DIR)"
echo "binding:  ALIEN_DEMO_BINDING=$ALIEN_DEMO_BINDING"

printf '\n$ alien-ar backends\n'; "$build/cli/alien-ar" backends
step endpoint;               ar endpoint
step prefix;                 ar prefix
step create my-app;          ar create my-app
step get demo/my-app;        ar get demo/my-app
step "create my-app   (again: idempotent, nothing overwritten)"
ar create my-app
step credentials demo/my-app --permissions push-pull --ttl 3600
ar credentials demo/my-app --permissions push-pull --ttl 3600

step "cross-account get demo/my-app   (not supported by local: exit 4)"
set +e; ar cross-account get demo/my-app; rc=$?; set -e
echo "exit status $rc"; [ "$rc" -eq 4 ]

printf '\n$ skopeo inspect --raw docker://127.0.0.1:%s/demo/my-app:latest\n' "$REG_PORT"
skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$REG_PORT/demo/my-app:latest"
echo

step delete demo/my-app;     ar delete demo/my-app
step "get demo/my-app   (gone: exit 3)"
set +e; ar get demo/my-app; rc=$?; set -e
echo "exit status $rc"; [ "$rc" -eq 3 ]

step "create Not-Valid   (rejected before any request: exit 5)"
set +e; ar create Not-Valid; rc=$?; set -e
echo "exit status $rc"; [ "$rc" -eq 5 ]

printf '\ndemo finished: every step behaved as documented\n'
