#!/usr/bin/env bash
# Bench only: links CPython's own web example (Tools/wasm/python.html + python.worker.js, the
# REPL page that ships in the CPython source) from the very objects python-dist/build.sh
# compiled, so the benchmark can measure it side by side with ours. Nothing here changes
# what build.sh builds or puts in python-dist/dist; build.sh is only run when its build tree
# is missing (a fresh machine).
#
# The link is 3.13's `--with-emscripten-target=browser` link: CPython's own PY_CORE_LDFLAGS
# and LINKFORSHARED (a non-modular python.js that the worker loads with importScripts, the
# stdlib preloaded from python.data), read from the build tree's Makefile. The objects are
# the product's, so they carry python-dist/patches too: the comparison is between the pages,
# workers and terminals around one interpreter. Two differences from 3.13's link, neither
# touching speed:
#   - build.sh configures with --prefix=/, so 3.13's asset directory "./$(prefix)" is the
#     whole build directory (a 94 MB python.data of object files). We preload what the
#     Makefile's wasm_stdlib target made for that prefix, build-wasm/lib (wasm_assets.py's
#     pyc zip, os.py, lib-dynload), at /lib, which is what 3.13 means to ship.
#   - -sEXPORTED_RUNTIME_METHODS=FS: the worker's "Run" path calls Module.FS.writeFile, which
#     Emscripten 3.1.69 no longer exports by default (the REPL path does not need it).
#
# Prints the output directory (python.js, python.wasm, python.data, the unmodified
# python.html and python.worker.js, manifest.json) on stdout; everything else goes to stderr.
# Cached by a key of its inputs (this script, the objects and libraries of the link, the
# assets, the two web files, the toolchain) under $PYREPL_CACHE_DIR/python-dist/web-example.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=pins.env
source "$here/pins.env"

cache_root="${PYREPL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/py-repl-web}/python-dist"
work="$cache_root/work"
bench_cache="$cache_root/web-example"
logs="$bench_cache/logs"

log() { printf '\033[1m[web-example]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[web-example] error:\033[0m %s\n' "$*" >&2; exit 1; }

# ---- the link, run where emcc works (the chroot, or the host with emcc on PATH) ------------
# Uses WORK_DIR (python-dist's build tree, at the path its Makefile was configured with) and
# OUT_DIR. Passed into the chroot with `declare -f`, so it must stay self-contained.
link_inside() {
  set -euo pipefail
  # Debian's emscripten has a read-only cache: the writable copy build-inside.sh made.
  if [ -d /usr/share/emscripten/cache ] && [ -z "${EM_CACHE:-}" ]; then
    [ -d "$WORK_DIR/emcache" ] || cp -r /usr/share/emscripten/cache "$WORK_DIR/emcache"
    export EM_CACHE="$WORK_DIR/emcache" EM_FROZEN_CACHE=0
  fi
  local wasm="$WORK_DIR/build-wasm"
  cd "$wasm"
  make_var() { printf 'print-%%:\n\t@echo $($*)\n' | make -s -f Makefile -f - "print-$1"; }
  # CPython's LINKFORSHARED with its --preload-file replaced (see the header).
  local word linkforshared=()
  for word in $(make_var LINKFORSHARED); do
    case "$word" in
      --preload-file=*) linkforshared+=("--preload-file=$wasm/lib@/lib") ;;
      *) linkforshared+=("$word") ;;
    esac
  done
  local flags
  flags="$(make_var PY_CORE_LDFLAGS) ${linkforshared[*]} -sEXPORTED_RUNTIME_METHODS=FS"
  echo "emcc: $(emcc --version | head -1)"
  echo "link flags: $flags"
  # shellcheck disable=SC2046,SC2086
  emcc $flags -o "$OUT_DIR/python.js" \
    Programs/python.o $(make_var LINK_PYTHON_OBJS) $(make_var LIBS) $(make_var MODLIBS) $(make_var SYSLIBS)
  cp "$(make_var srcdir)/Tools/wasm/python.html" "$(make_var srcdir)/Tools/wasm/python.worker.js" "$OUT_DIR/"
  # The data file must be the stdlib, not the build directory.
  local data_size
  data_size="$(stat -c %s "$OUT_DIR/python.data")"
  [ "$data_size" -lt 20000000 ] || { echo "python.data is $data_size bytes: the preload picked up more than the stdlib"; exit 1; }
  {
    printf '{\n  "build_key": "%s",\n  "emcc": "%s",\n  "link_flags": "%s",\n  "files": {' \
      "$BENCH_KEY" "$(emcc --version | head -1 | sed 's/"/\\"/g')" "$flags"
    local f sep=""
    for f in python.js python.wasm python.data python.html python.worker.js; do
      printf '%s\n    "%s": %s' "$sep" "$f" "$(stat -c %s "$OUT_DIR/$f")"; sep=","
    done
    printf '\n  }\n}\n'
  } > "$OUT_DIR/manifest.json"
}

# ---- 1. python-dist's build tree: the objects this link reuses -----------------------------
# Only built when missing (a fresh machine: build.sh also sets up the toolchain); otherwise the
# tree is used as it is, so that this never rebuilds the product behind one's back (`make
# bench-web-example` runs python-dist/build.sh first, which brings it up to date).
wasm="$work/build-wasm"
tree_files=("$work/stamps/wasm_make" "$wasm/Makefile" "$wasm/Programs/python.o" "$wasm/libpython3.13.a"
            "$wasm/lib/python313.zip" "$work/src/Python-$PYTHON_VERSION/Tools/wasm/python.html")
tree_complete() { local f; for f in "${tree_files[@]}"; do [ -e "$f" ] || return 1; done; }
if ! tree_complete; then
  log "python-dist's build tree is missing: building it (python-dist/build.sh)"
  "$here/build.sh" >&2 || die "python-dist/build.sh failed; the web example links its objects"
fi
for f in "${tree_files[@]}"; do
  [ -e "$f" ] || die "python-dist's build tree is incomplete ($f is missing): python-dist/dist came from the \
artifact cache without it. Rebuild the tree with: rm -rf python-dist/dist \"$cache_root/out\" && python-dist/build.sh"
done

# ---- 2. the cache key: every input of the link ----------------------------------------------
toolchain="emscripten $EMSCRIPTEN_VERSION from Debian $DEBIAN_SUITE"
command -v emcc >/dev/null 2>&1 && toolchain="$(emcc --version | head -1)"
key="$(
  {
    cat "$here/build-web-example.sh"
    echo "$toolchain"
    cd "$work"
    { find build-wasm -name '*.a' -type f; find build-wasm/lib deps-prefix/lib -type f;
      echo build-wasm/Makefile; echo build-wasm/Programs/python.o;
      echo "src/Python-$PYTHON_VERSION/Tools/wasm/python.html"; echo "src/Python-$PYTHON_VERSION/Tools/wasm/python.worker.js"; } \
      | LC_ALL=C sort | xargs sha256sum
  } | sha256sum | cut -c1-16
)"
out="$bench_cache/$key"
if [ -f "$out/manifest.json" ]; then
  log "CPython's web example is up to date (key $key)"
  echo "$out"
  exit 0
fi

# ---- 3. the link ------------------------------------------------------------------------------
mkdir -p "$logs"
rm -rf "$out.tmp"; mkdir -p "$out.tmp"
start=$SECONDS
log "linking CPython's web example (about a minute); log: $logs/link.log"
if command -v emcc >/dev/null 2>&1; then
  command -v make >/dev/null || die "the link needs make on PATH"
  if ! (WORK_DIR="$work" OUT_DIR="$out.tmp" BENCH_KEY="$key" link_inside) > "$logs/link.log" 2>&1; then
    tail -n 30 "$logs/link.log" >&2
    die "the link failed; full log: $logs/link.log"
  fi
else
  root="$cache_root/chroot-$DEBIAN_SUITE"
  [ -x "$root/usr/bin/emcc" ] || die "no Emscripten toolchain: neither emcc on PATH nor python-dist's Debian chroot ($root); python-dist/build.sh sets one up"
  [ "$(id -u)" = 0 ] || die "the link runs in python-dist's Debian chroot, which needs root (or put Emscripten $EMSCRIPTEN_VERSION's emcc on PATH)"
  # Mount only what is not mounted yet (a build.sh may be using the chroot), and unmount only that.
  # The build tree must sit at /work: its Makefile holds that path.
  mounted=()
  cleanup() {
    local i
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" 2>/dev/null || true; done
  }
  trap cleanup EXIT
  mkdir -p "$root/work" "$root/web-example-out"
  mountpoint -q "$root/proc" || { mount -t proc proc "$root/proc"; mounted+=("$root/proc"); }
  mountpoint -q "$root/dev" || { mount --bind /dev "$root/dev"; mounted+=("$root/dev"); }
  mountpoint -q "$root/work" || { mount --bind "$work" "$root/work"; mounted+=("$root/work"); }
  mount --bind "$out.tmp" "$root/web-example-out"; mounted+=("$root/web-example-out")
  if ! chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      WORK_DIR=/work OUT_DIR=/web-example-out BENCH_KEY="$key" \
      bash -c "$(declare -f link_inside); link_inside" > "$logs/link.log" 2>&1; then
    tail -n 30 "$logs/link.log" >&2
    die "the link failed; full log: $logs/link.log"
  fi
  cleanup; mounted=()
fi
[ -f "$out.tmp/manifest.json" ] || die "the link finished without a manifest; see $logs/link.log"
rm -rf "$out"; mv "$out.tmp" "$out"
# Keep the three newest links (another checkout may share this cache), not every old one.
find "$bench_cache" -mindepth 1 -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{16}' -printf '%T@ %p\n' \
  | sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf
log "linked in $((SECONDS - start)) s: $(cd "$out" && for f in python.js python.wasm python.data; do printf '%s %s B  ' "$f" "$(stat -c %s "$f")"; done)"
echo "$out"
