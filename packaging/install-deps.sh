#!/usr/bin/env bash
# Installs, with apt, whatever this project needs to build, test and run its
# demo that is not already installed (abigail-tools and python3: the ABI guard).
# Package building tools are installed by packaging/build-deb and
# packaging/build-rpm themselves. Debian 12, as root. Idempotent: a
# machine that has everything is left untouched.
set -euo pipefail

packages=(
  gcc make cmake pkg-config binutils
  libcurl4-gnutls-dev libjson-c-dev libgnutls28-dev libcriterion-dev
  docker-registry skopeo valgrind
  apache2-utils openssl   # htpasswd -B and certificates for tests/oci
  abigail-tools python3
  clang libclang-rt-14-dev llvm-14   # tests/fuzz: libFuzzer runtime, llvm-symbolizer
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or install them with apt-get) and retry" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
  "${missing[@]}" >/dev/null

# Debian's docker-registry package enables a service that listens on :5000
# on every interface. This project only ever runs its own registries on
# loopback, so a service we just pulled in is stopped and disabled again.
if printf '%s\n' "${missing[@]}" | grep -qx docker-registry \
   && [ -d /run/systemd/system ]; then
  systemctl disable --now docker-registry >/dev/null 2>&1 || true
  echo "install-deps: disabled the docker-registry system service" \
       "(this project starts its own registries on 127.0.0.1)"
fi
