#!/usr/bin/env bash
# The main job: builds the plugin and alien-ar, has alien-ar start a real
# registry on 127.0.0.1 (`alien-ar registry start`), drives every operation
# of the `local` backend through alien-ar exactly as a host would, first one
# command at a time, then through one long-lived `alien-ar session`, and
# purges the registry on exit, even on failure. Debian 12, as root; installs
# what is missing with apt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}

bash "$root/packaging/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target alien_ar_plugin alien-ar >/dev/null

export ALIEN_AR_PLUGIN="$build/plugin/alien-artifact-registry.so"
alien_ar="$build/cli/alien-ar"
data=$(mktemp -d "${TMPDIR:-/tmp}/alien-ar-demo-XXXXXX")

cleanup() {
  "$alien_ar" registry purge demo --data-dir "$data" >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say() { printf '\n$ %s\n' "$*"; }
ar() { "$alien_ar" --binding demo "$@"; }
step() { say "alien-ar --binding demo $*"; }
expect_exit() { # WANT CMD...: runs CMD, prints and checks its exit status
  local want=$1 rc=0
  shift
  "$@" || rc=$?
  echo "exit status $rc"
  [ "$rc" -eq "$want" ]
}

say "alien-ar registry start demo --data-dir $data"
binding=$("$alien_ar" registry start demo --data-dir "$data")
echo "$binding"
export ALIEN_DEMO_BINDING=$binding
port=$(printf '%s' "$binding" | sed -n 's/.*"registryUrl":"localhost:\([0-9]*\)".*/\1/p')
[ -n "$port" ]

say "alien-ar registry status demo --data-dir $data"
"$alien_ar" registry status demo --data-dir "$data"

echo
echo "== one command at a time (binding from ALIEN_DEMO_BINDING)"
say "alien-ar backends"; "$alien_ar" backends
step endpoint;               ar endpoint
step prefix;                 ar prefix
step create my-app;          ar create my-app
step get demo/my-app;        ar get demo/my-app
step "create my-app   (again: idempotent, nothing overwritten)"
ar create my-app
step credentials demo/my-app --permissions push-pull --ttl 3600
ar credentials demo/my-app --permissions push-pull --ttl 3600

step "cross-account get demo/my-app   (not supported by local: exit 4)"
expect_exit 4 ar cross-account get demo/my-app

say "skopeo inspect --tls-verify=false --raw docker://127.0.0.1:$port/demo/my-app:latest"
skopeo inspect --tls-verify=false --raw "docker://127.0.0.1:$port/demo/my-app:latest"
echo

step delete demo/my-app;     ar delete demo/my-app
step "get demo/my-app   (gone: exit 3)"
expect_exit 3 ar get demo/my-app

step "create Not-Valid   (rejected before any request: exit 5)"
expect_exit 5 ar create Not-Valid

echo
echo "== the same through one long-lived session (alien-ar session)"
# The config travels as a JSON string inside the request.
config=$(printf '%s' "$binding" | sed 's/\\/\\\\/g; s/"/\\"/g')
requests=(
  '{"id":1,"op":"backends"}'
  "{\"id\":2,\"op\":\"open\",\"binding\":\"demo\",\"config\":\"$config\"}"
  '{"id":3,"op":"call","handle":"h1","method":"createRepository","args":{"repoName":"web"}}'
  '{"id":4,"op":"call","handle":"h1","method":"getRepository","args":{"repoId":"demo/web"}}'
  '{"id":5,"op":"call","handle":"h1","method":"generateCredentials","args":{"repoId":"demo/web","permissions":"pull","ttlSeconds":3600}}'
  '{"id":6,"op":"call","handle":"h1","method":"deleteRepository","args":{"repoId":"demo/web"}}'
  '{"id":7,"op":"call","handle":"h1","method":"getRepository","args":{"repoId":"demo/web"}}'
  'this line is not JSON'
  '{"id":8,"op":"close","handle":"h1"}'
)
say "alien-ar session   (one request per line in, one response per line out)"
responses=$(printf '%s\n' "${requests[@]}" | "$alien_ar" session)
mapfile -t lines <<<"$responses"
[ "${#lines[@]}" -eq "${#requests[@]}" ]
for i in "${!requests[@]}"; do
  printf '> %s\n< %s\n' "${requests[$i]}" "${lines[$i]}"
done
# What each response must say.
case ${lines[2]} in *'"ok":true'*'"name":"demo/web"'*) ;; *) exit 1 ;; esac
case ${lines[3]} in *'"ok":true'*'"name":"demo/web"'*) ;; *) exit 1 ;; esac
case ${lines[5]} in '{"id":6,"ok":true,"result":{}}') ;; *) exit 1 ;; esac
case ${lines[6]} in *'"ok":false'*'"code":"RESOURCE_NOT_FOUND"'*) ;; *) exit 1 ;; esac
case ${lines[7]} in '{"id":null,"ok":false'*'"code":"INVALID_INPUT"'*) ;; *) exit 1 ;; esac

say "alien-ar registry purge demo --data-dir $data"
"$alien_ar" registry purge demo --data-dir "$data"
say "alien-ar registry status demo --data-dir $data   (gone: exit 3)"
expect_exit 3 "$alien_ar" registry status demo --data-dir "$data"

printf '\ndemo finished: every step behaved as documented\n'
