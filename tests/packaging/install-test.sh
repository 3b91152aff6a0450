#!/usr/bin/env bash
# Installs the Debian packages on this machine and checks them as a host
# would see them; then purges them and checks nothing is left behind.
#
#   ALIEN_AR_PACKAGE_TESTS=1 bash tests/packaging/install-test.sh
#
# This changes the system (apt-get install / purge), so without
# ALIEN_AR_PACKAGE_TESTS=1 it only reports SKIP (exit 77, which ctest shows
# as skipped). Debian 12, as root; the three packages must not be installed
# already. Set ALIEN_AR_DEB_DIR to a directory of packages made by
# packaging/build-deb to test those instead of building new ones.
#
# Steps: build-deb (lintian clean) -> apt-get install the plugin, -dev and
# alien-ar packages -> check the installed files (plugin 0644 in the
# private plugin dir, no soname, stripped, one exported symbol) -> compile a
# host with only the installed header and `pkg-config --cflags`, dlopen the
# plugin from `pkg-config --variable=pluginsdir` and run create/get/delete
# against a real registry on 127.0.0.1:0 -> the same host built through
# find_package(AlienArtifactRegistry) -> alien-ar with no --plugin ->
# man pages -> apt-get purge -> dpkg knows none of the packages and no file
# remains.
set -euo pipefail
if [ "${ALIEN_AR_PACKAGE_TESTS:-0}" != 1 ]; then
  echo "SKIP: installs packages system-wide; set ALIEN_AR_PACKAGE_TESTS=1 to run"
  exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "FAIL: must run as root" >&2; exit 1; }

pkgs=(alien-artifact-registry-plugin alien-artifact-registry-dev alien-ar)
triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
pluginsdir=/usr/lib/$triplet/alien/plugins
# Every path the packages may create (files and directories of our own).
owned=(/usr/lib/$triplet/alien /usr/include/alien
       /usr/lib/$triplet/pkgconfig/alien-artifact-registry.pc
       /usr/lib/$triplet/cmake/AlienArtifactRegistry /usr/bin/alien-ar
       /usr/share/man/man1/alien-ar.1.gz
       /usr/share/man/man7/alien-artifact-registry.7.gz
       /usr/share/doc/alien-artifact-registry-plugin
       /usr/share/doc/alien-artifact-registry-dev /usr/share/doc/alien-ar)

installed() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qv '^not-installed$'; }
for p in "${pkgs[@]}"; do
  if installed "$p"; then
    echo "FAIL: $p is already installed; purge it first (apt-get purge $p)" >&2
    exit 1
  fi
done

pass=0
ok() { pass=$((pass + 1)); echo "ok $pass - $*"; }
die() { echo "FAIL: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/alien-ar-pkgtest-XXXXXX")
we_installed=0
# shellcheck source=../support/registry.sh
. "$root/tests/support/registry.sh"
cleanup() {
  registry_stop || true
  if [ "$we_installed" = 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${pkgs[@]}" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Packages.
debs=${ALIEN_AR_DEB_DIR:-}
if [ -z "$debs" ]; then
  debs=$work/debs
  "$root/packaging/build-deb" "$debs" >"$work/build-deb.log" 2>&1 \
    || { cat "$work/build-deb.log" >&2; die "packaging/build-deb failed"; }
  ok "build-deb built the packages, lintian clean"
fi
files=()
for p in "${pkgs[@]}"; do
  f=$(ls "$debs/${p}_"*.deb 2>/dev/null | tail -n 1)
  [ -n "$f" ] || die "no ${p}_*.deb in $debs"
  files+=("$f")
done

# 2. Install.
we_installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${files[@]}" >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; die "apt-get install"; }
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" | grep -q 'install ok installed' || die "$p not installed"
done
ok "apt-get installed ${pkgs[*]}"

# 3. Installed files.
plugin=$pluginsdir/alien-artifact-registry.so
dpkg -L alien-artifact-registry-plugin | grep -qx "$plugin" || die "plugin not in dpkg -L"
[ "$(stat -c %a "$plugin")" = 644 ] || die "plugin mode is $(stat -c %a "$plugin"), not 644"
readelf -d "$plugin" | grep -q SONAME && die "plugin has a SONAME"
readelf -S "$plugin" | grep -q '\.symtab' && die "plugin is not stripped"
syms=$(nm -D --defined-only "$plugin" | awk '$2 != "A" {print $3}')
[ "$syms" = "alien_ar_plugin_negotiate@@ALIEN_AR_1" ] || die "exported symbols: $syms"
readelf -d "$plugin" | grep -q 'BIND_NOW' || die "plugin not linked with -z now"
readelf -lW "$plugin" | grep -q GNU_RELRO || die "plugin has no RELRO"
ok "plugin $plugin: 0644, no soname, stripped, one symbol, full RELRO"
[ -f /usr/include/alien/artifact_registry.h ] || die "header not installed"
ok "dpkg -L: $(dpkg -L "${pkgs[@]}" | grep -c .) paths"

# 4. A host built with pkg-config only, against a real registry.
# (Called in a condition: registry_start's first read of its log can race
# the background registry creating it, which must not trip `set -e`.)
if ! registry_start; then die "could not start the registry"; fi
hostport=127.0.0.1:$REG_PORT
pcdir=$(pkg-config --variable=pluginsdir alien-artifact-registry)
[ "$pcdir" = "$pluginsdir" ] || die "pkg-config pluginsdir is $pcdir, want $pluginsdir"
abi=$(pkg-config --variable=abi_version alien-artifact-registry)
[ "$abi" = 1.0 ] || die "pkg-config abi_version is $abi"
mkdir -p "$work/pc"
cp "$here/host.c" "$work/pc/"
# shellcheck disable=SC2046
(cd "$work/pc" && cc -std=c11 -Wall -Wextra -Werror \
   $(pkg-config --cflags alien-artifact-registry) host.c -o pkg_host \
   $(pkg-config --libs alien-artifact-registry))
"$work/pc/pkg_host" "$pcdir/alien-artifact-registry.so" "$hostport" | tee "$work/pc.out"
grep -q '^created pkgtest/installed-app at ' "$work/pc.out" \
  && grep -q '^get after delete: RESOURCE_NOT_FOUND$' "$work/pc.out" \
  || die "pkg-config host output"
ok "pkg-config host (pluginsdir=$pcdir, ABI $abi): create/get/delete on $hostport"

# 5. The same host through find_package(AlienArtifactRegistry).
cmake -S "$here/consumer" -B "$work/cm" >"$work/cm.log" 2>&1 \
  && cmake --build "$work/cm" >>"$work/cm.log" 2>&1 \
  || { cat "$work/cm.log" >&2; die "find_package consumer build"; }
grep "plugin: " "$work/cm.log"
"$work/cm/pkg_host_cmake" - "$hostport" >"$work/cm.out" \
  && grep -q '^get after delete: RESOURCE_NOT_FOUND$' "$work/cm.out" \
  || { cat "$work/cm.out" >&2; die "find_package host"; }
ok "find_package(AlienArtifactRegistry 1) host: create/get/delete"

# 6. alien-ar finds the installed plugin with no flags.
unset ALIEN_AR_PLUGIN
export ALIEN_PKGCLI_BINDING="{\"service\":\"local\",\"registryUrl\":\"$hostport\",\"dataDir\":null}"
out=$(/usr/bin/alien-ar --binding pkgcli create cli-app)
[ "$out" = "{\"name\":\"pkgcli/cli-app\",\"uri\":\"$hostport/pkgcli/cli-app\",\"createdAt\":null}" ] \
  || die "alien-ar create printed $out"
/usr/bin/alien-ar --binding pkgcli get pkgcli/cli-app >/dev/null || die "alien-ar get"
[ "$(/usr/bin/alien-ar --binding pkgcli delete pkgcli/cli-app)" = "{}" ] || die "alien-ar delete"
set +e
/usr/bin/alien-ar --binding pkgcli get pkgcli/cli-app >/dev/null 2>&1
rc=$?
set -e
[ "$rc" = 3 ] || die "alien-ar get after delete exited $rc, want 3"
ok "alien-ar (no --plugin): create/get/delete, then get exits 3"

# 7. Man pages.
man -w 1 alien-ar >/dev/null && man -w 7 alien-artifact-registry >/dev/null \
  || die "man pages not found"
ok "man pages alien-ar(1), alien-artifact-registry(7)"
registry_stop

# 8. Purge; nothing may be left.
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${pkgs[@]}" >"$work/purge.log" 2>&1 \
  || { cat "$work/purge.log" >&2; die "apt-get purge"; }
we_installed=0
for p in "${pkgs[@]}"; do
  installed "$p" && die "$p still known to dpkg after purge"
  dpkg -L "$p" >/dev/null 2>&1 && die "dpkg -L $p still lists files"
done
for path in "${owned[@]}"; do
  [ -e "$path" ] && die "left behind after purge: $path"
done
ok "purged: dpkg knows none of the packages, no file left"
echo "$pass passed, 0 failed"
