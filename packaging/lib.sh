# Helpers shared by packaging/build-deb and packaging/build-rpm (sourced).

# pkg_need_apt PACKAGE...: installs, with apt-get, those not installed yet.
pkg_need_apt() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "$(basename "$0"): missing packages: ${missing[*]} (run as root or install them)" >&2
    return 1
  fi
  echo "$(basename "$0"): installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# pkg_copy_tree SRC DEST: copies the source tree as git sees it (tracked and
# untracked-but-not-ignored files, so work in progress is packaged too), or
# everything but build directories when SRC is not a git checkout.
pkg_copy_tree() {
  local src=$1 dest=$2
  mkdir -p "$dest"
  if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$src" && git ls-files -z --cached --others --exclude-standard \
       | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
       | tar --null -T - -cf -) | tar -C "$dest" -xf -
  else
    tar -C "$src" --exclude='./build*' --exclude='./_build*' --exclude=./.git \
        -cf - . | tar -C "$dest" -xf -
  fi
}
