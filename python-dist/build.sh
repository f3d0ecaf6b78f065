#!/usr/bin/env bash
# Builds CPython for the browser (python.mjs, python.wasm, the stdlib zip, manifest.json)
# from the pinned sources in pins.env, into python-dist/dist/.
#
# Toolchain routes, tried in order:
#   1. an Emscripten `emcc` already on PATH (emsdk on macOS, a CI runner with emsdk);
#   2. as root with debootstrap: a Debian trixie chroot with Debian's `emscripten` package.
# The cache (sources, chroot, intermediate builds, finished artifacts) lives outside the
# checkout, in $PYREPL_CACHE_DIR (default: ~/.cache/py-repl-web). A rebuild with unchanged
# pins and scripts only copies the cached artifacts (seconds).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=pins.env
source "$here/pins.env"

cache_root="${PYREPL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/py-repl-web}/python-dist"
dist="$here/dist"
jobs="${PYREPL_JOBS:-$(nproc 2>/dev/null || echo 2)}"
scripts=(pins.env build.sh build-inside.sh make_stdlib_zip.py stdlib_extra_hook.py core_workload.py pyrepl_terminfo.py node-loader.mjs)
# The worker's file-system layout and the Python files it installs: the build traces imports
# with the interpreter a student gets (node-loader reads them).
layout_dir="$here/../src/worker/python"
[ -f "$layout_dir/layout.json" ] || { echo "python-dist: $layout_dir/layout.json is missing (build.sh runs from a checkout of the repository)" >&2; exit 1; }

log() { printf '\033[1m[python-dist]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[python-dist] error:\033[0m %s\n' "$*" >&2; exit 1; }

build_key() {
  { (cd "$here" && cat "${scripts[@]}" patches/*.patch); cat "$layout_dir"/*; } | sha256sum | cut -c1-16
}

# Copy finished artifacts into dist/ so that an interrupted copy never looks complete:
# fill a temporary directory, then swap it in; manifest.json marks completeness.
install_dist() {
  local from="$1" tmp="$here/.dist.tmp.$$"
  rm -rf "$tmp"
  cp -r "$from" "$tmp"
  rm -rf "$dist"
  mv "$tmp" "$dist"
}

key="$(build_key)"
out="$cache_root/out/$key"
if [ -f "$dist/manifest.json" ] && grep -q "\"build_key\": \"$key\"" "$dist/manifest.json"; then
  log "python-dist/dist is up to date (build key $key)"
  exit 0
fi
if [ -f "$out/manifest.json" ]; then
  install_dist "$out"
  log "python-dist/dist filled from the cache (build key $key)"
  exit 0
fi

debian_mirror() {
  if [ -n "${PYREPL_DEBIAN_MIRROR:-}" ]; then echo "$PYREPL_DEBIAN_MIRROR"; return; fi
  local uri
  uri="$( { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}';
            grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'; } \
          | grep -E '/debian/?$' | head -1 || true)"
  echo "${uri%/}"
}

# ---- sources --------------------------------------------------------------------------
fetch_source() { # NAME
  local name="$1" file_var="${1}_FILE" sha_var="${1}_SHA256" pool_var="${1}_POOL" up_var="${1}_UPSTREAM"
  local file="${!file_var}" want="${!sha_var}" dest="$cache_root/sources/${!file_var}"
  mkdir -p "$cache_root/sources"
  if [ ! -f "$dest" ]; then
    local mirror url
    mirror="$(debian_mirror)"
    if [ -n "$mirror" ]; then
      url="$mirror/${!pool_var}/$file"
    elif [ -n "${!up_var:-}" ]; then
      url="${!up_var}"
    else
      die "no Debian mirror known to fetch $file: set PYREPL_DEBIAN_MIRROR to a Debian mirror URL (the directory that holds pool/)"
    fi
    log "downloading $file"
    curl -fsSL --retry 3 -o "$dest.part" "$url" || die "download failed: $url"
    mv "$dest.part" "$dest"
  fi
  local got
  got="$(sha256sum "$dest" | cut -d' ' -f1)"
  if [ "$got" != "$want" ]; then
    mv "$dest" "$dest.bad"
    die "sha256 mismatch for $file (pinned in python-dist/pins.env): expected $want, got $got (kept as $dest.bad)"
  fi
}

for s in PYTHON ZLIB BZIP2 XZ SQLITE; do fetch_source "$s"; done

# ---- toolchain route ------------------------------------------------------------------
work="$cache_root/work"
mkdir -p "$work/scripts" "$out.tmp"
cp "${scripts[@]/#/$here/}" "$work/scripts/"
rm -rf "$work/scripts/patches" && cp -r "$here/patches" "$work/scripts/patches"
rm -rf "$work/scripts/python-layout" && cp -r "$layout_dir" "$work/scripts/python-layout"

chroot_packages="emscripten build-essential pkg-config zlib1g-dev autoconf automake libtool tcl file xz-utils bzip2 ca-certificates"

run_in_chroot() {
  local root="$1"; shift
  mkdir -p "$root/work" "$root/src" "$root/out"
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
  mountpoint -q "$root/work" || mount --bind "$work" "$root/work"
  mountpoint -q "$root/src" || mount --bind "$cache_root/sources" "$root/src"
  mountpoint -q "$root/out" || mount --bind "$out.tmp" "$root/out"
  # shellcheck disable=SC2064
  trap "umount '$root/out' '$root/src' '$root/work' '$root/dev' '$root/proc' 2>/dev/null || true" EXIT
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    SRC_DIR=/src WORK_DIR=/work OUT_DIR=/out JOBS="$jobs" BUILD_KEY="$key" TOOLCHAIN_ROUTE=debian-chroot \
    bash /work/scripts/build-inside.sh
}

ensure_chroot() {
  local root="$cache_root/chroot-$DEBIAN_SUITE"
  local stamp="$root/.py-repl-web-ready-$(echo "$chroot_packages" | sha256sum | cut -c1-12)"
  [ -f "$stamp" ] && { echo "$root"; return; }
  command -v debootstrap >/dev/null || {
    log "installing debootstrap"
    { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; } || die "debootstrap is missing and could not be installed (apt-get install debootstrap)"
  }
  local mirror
  mirror="$(debian_mirror)"
  [ -n "$mirror" ] || die "no Debian mirror known: set PYREPL_DEBIAN_MIRROR to a Debian mirror URL"
  if [ ! -x "$root/usr/bin/apt-get" ]; then
    log "creating a Debian $DEBIAN_SUITE chroot"
    rm -rf "$root.tmp"
    debootstrap --variant=minbase "$DEBIAN_SUITE" "$root.tmp" "$mirror" > "$cache_root/debootstrap.log" 2>&1 \
      || { tail -20 "$cache_root/debootstrap.log" >&2; die "debootstrap failed; full log: $cache_root/debootstrap.log"; }
    rm -rf "$root"; mv "$root.tmp" "$root"
  fi
  # The mirror's Release files may be past their validity date; the packages are still signed.
  echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/99no-check-valid-until"
  echo "deb $mirror $DEBIAN_SUITE main" > "$root/etc/apt/sources.list"
  rm -f "$root/etc/apt/sources.list.d/"* 2>/dev/null || true
  log "installing the toolchain in the chroot: $chroot_packages"
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  # shellcheck disable=SC2086
  if ! chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $chroot_packages" \
      > "$cache_root/chroot-apt.log" 2>&1; then
    umount "$root/proc" || true
    tail -20 "$cache_root/chroot-apt.log" >&2
    die "installing packages in the chroot failed; full log: $cache_root/chroot-apt.log"
  fi
  umount "$root/proc" || true
  touch "$stamp"
  echo "$root"
}

start=$SECONDS
if command -v emcc >/dev/null 2>&1; then
  version="$(emcc --version | head -1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)"
  [ "$version" = "$EMSCRIPTEN_VERSION" ] || log "warning: emcc $version on PATH; the pinned version is $EMSCRIPTEN_VERSION"
  log "route 1: Emscripten $version from PATH"
  for tool in make tclsh patch pkg-config node cc; do
    command -v "$tool" >/dev/null || die "route 1 needs '$tool' on PATH (install make, tcl, patch, pkg-config, Node.js and a C compiler)"
  done
  SRC_DIR="$cache_root/sources" WORK_DIR="$work" OUT_DIR="$out.tmp" JOBS="$jobs" BUILD_KEY="$key" \
    TOOLCHAIN_ROUTE=emcc-on-path bash "$work/scripts/build-inside.sh"
elif [ "$(id -u)" = 0 ] && { command -v debootstrap >/dev/null || command -v apt-get >/dev/null; }; then
  log "route 2: Debian $DEBIAN_SUITE chroot with Debian's emscripten"
  root="$(ensure_chroot)"
  log "chroot ready ($((SECONDS - start)) s)"
  run_in_chroot "$root"
else
  die "no Emscripten toolchain: install emsdk $EMSCRIPTEN_VERSION and put emcc on PATH (https://emscripten.org/docs/getting_started/downloads.html), or run this script as root on Debian/Ubuntu so it can make a Debian chroot with debootstrap"
fi

[ -f "$out.tmp/manifest.json" ] || die "the build finished without a manifest; see the logs in $work/logs"
rm -rf "$out"; mv "$out.tmp" "$out"
install_dist "$out"
log "done in $((SECONDS - start)) s: $(ls "$dist" | tr '\n' ' ')"
