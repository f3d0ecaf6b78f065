#!/usr/bin/env bash
# The compile steps of the Python build, run where `emcc` works (in the Debian chroot, or on
# the host when Emscripten is on PATH). Called by build.sh with SRC_DIR (verified tarballs),
# WORK_DIR (persistent build tree), OUT_DIR (where finished artifacts go), JOBS, BUILD_KEY.
#
# Each stage is skipped when its stamp matches a hash of its own code and inputs (the pins
# for the sources stage), so editing one stage rebuilds only from there on.
set -euo pipefail

: "${SRC_DIR:?}" "${WORK_DIR:?}" "${OUT_DIR:?}" "${JOBS:=2}" "${BUILD_KEY:?}" "${TOOLCHAIN_ROUTE:=unknown}"
scripts="$WORK_DIR/scripts"
# shellcheck source=pins.env
source "$scripts/pins.env"

prefix="$WORK_DIR/deps-prefix"   # static wasm libraries and headers
logs="$WORK_DIR/logs"
stamps="$WORK_DIR/stamps"
pysrc="$WORK_DIR/src/Python-$PYTHON_VERSION"
native="$WORK_DIR/build-native"
wasm="$WORK_DIR/build-wasm"
mkdir -p "$logs" "$stamps" "$prefix/lib" "$prefix/include"

log() { printf '\033[1m[python-dist]\033[0m %s\n' "$*" >&2; }

# Debian's emscripten ships a frozen, read-only cache: use a writable copy (in the chroot,
# or wherever Debian's package is the emcc on PATH).
if [ -d /usr/share/emscripten/cache ] && [ -z "${EM_CACHE:-}" ]; then
  if [ ! -d "$WORK_DIR/emcache" ]; then
    cp -r /usr/share/emscripten/cache "$WORK_DIR/emcache.tmp" && mv "$WORK_DIR/emcache.tmp" "$WORK_DIR/emcache"
  fi
  export EM_CACHE="$WORK_DIR/emcache" EM_FROZEN_CACHE=0
fi

previous_stage_seconds=""
stage_inputs() { # NAME: data a stage depends on beyond its own code
  case "$1" in
    sources) cat "$scripts/pins.env" ;;
    patches) cat "$scripts"/patches/*.patch ;;
    wasm_configure) declare -p wasm_configure_flags ;;
    link|manifest) declare -p link_flags ;;
    stdlib) cat "$scripts/make_stdlib_zip.py" "$scripts/stdlib_extra_hook.py" "$scripts/core_workload.py" \
              "$scripts/pyrepl_terminfo.py" "$scripts/node-loader.mjs" "$scripts"/python-layout/* ;;
  esac
}
run_stage() { # NAME: runs function stage_NAME once per distinct content
  local name="$1"
  local hash
  hash="$( { declare -f "stage_$name"; stage_inputs "$name"; } | sha256sum | cut -c1-16)"
  if [ -f "$stamps/$name" ] && [ "$(cat "$stamps/$name")" = "$hash" ]; then
    return 0
  fi
  rm -f "$stamps/$name"
  # A stage that reruns invalidates every stage after it.
  local later=0 s
  for s in "${all_stages[@]}"; do
    if [ "$s" = "$name" ]; then later=1; elif [ $later = 1 ]; then rm -f "$stamps/$s"; fi
  done
  log "stage $name: running${previous_stage_seconds:+ (previous stage took $previous_stage_seconds s)}; log: $logs/$name.log"
  local start=$SECONDS
  if ! ( set -euo pipefail; "stage_$name" ) > "$logs/$name.log" 2>&1; then
    echo "----- last lines of $logs/$name.log -----" >&2
    tail -n 40 "$logs/$name.log" >&2
    log "stage $name FAILED after $((SECONDS - start)) s; full log: $logs/$name.log"
    exit 1
  fi
  previous_stage_seconds=$((SECONDS - start))
  echo "$hash" > "$stamps/$name"
}

extract() { # TARBALL DEST: unpack so that DEST is the single top directory's content
  rm -rf "$2" "$2.tmp"; mkdir -p "$2.tmp"
  tar -xf "$1" -C "$2.tmp"
  local top
  top="$(find "$2.tmp" -mindepth 1 -maxdepth 1)"
  if [ "$(echo "$top" | wc -l)" = 1 ] && [ -d "$top" ]; then mv "$top" "$2"; rmdir "$2.tmp"; else mv "$2.tmp" "$2"; fi
}

stage_sources() {
  mkdir -p "$WORK_DIR/src"
  extract "$SRC_DIR/$PYTHON_FILE" "$WORK_DIR/src/Python-$PYTHON_VERSION"
  extract "$SRC_DIR/$ZLIB_FILE" "$WORK_DIR/src/zlib"
  extract "$SRC_DIR/$BZIP2_FILE" "$WORK_DIR/src/bzip2"
  extract "$SRC_DIR/$XZ_FILE" "$WORK_DIR/src/xz"
  extract "$SRC_DIR/$SQLITE_FILE" "$WORK_DIR/src/sqlite"
}

stage_zlib() {
  cd "$WORK_DIR/src/zlib"
  CFLAGS="-O2" emconfigure ./configure --static --prefix="$prefix"
  emmake make -j"$JOBS" libz.a
  emmake make install
}

stage_bzip2() {
  cd "$WORK_DIR/src/bzip2"
  emmake make -j"$JOBS" CC=emcc AR=emar RANLIB=emranlib CFLAGS="-O2 -D_FILE_OFFSET_BITS=64" libbz2.a
  cp libbz2.a "$prefix/lib/"; cp bzlib.h "$prefix/include/"
}

stage_xz() {
  cd "$WORK_DIR/src/xz"
  CFLAGS="-O2" emconfigure ./configure --prefix="$prefix" --host=wasm32-unknown-emscripten \
    --disable-shared --enable-static --disable-threads --disable-xz --disable-xzdec \
    --disable-lzmadec --disable-lzmainfo --disable-lzma-links --disable-scripts --disable-doc \
    --disable-nls
  emmake make -j"$JOBS"
  emmake make install
}

stage_sqlite() {
  # The Debian tarball is the full source tree: generate the amalgamation natively (tcl),
  # then compile that one file for wasm.
  cd "$WORK_DIR/src/sqlite"
  mkdir -p native && cd native
  ../configure --disable-tcl > /dev/null
  make sqlite3.c sqlite3.h
  emcc -O2 -c sqlite3.c -o sqlite3.o \
    -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_ENABLE_FTS5 \
    -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_RTREE -DSQLITE_DQS=0
  emar rcs "$prefix/lib/libsqlite3.a" sqlite3.o
  cp sqlite3.h "$prefix/include/"
}

stage_native_python() {
  # The cross build needs a native Python of exactly the same version.
  rm -rf "$native"; mkdir -p "$native"; cd "$native"
  "$pysrc/configure" -C --without-ensurepip --disable-test-modules
  make -j"$JOBS"
  ./python -c 'import zlib, sys; print(sys.version)'
}

stage_patches() {
  # Our changes to CPython for the browser, each explained in its file. Applied after the
  # native build (which does not need them); idempotent, so a rerun skips applied ones.
  cd "$pysrc"
  local p
  for p in "$scripts"/patches/*.patch; do
    if patch -p1 -R --dry-run -s -f < "$p" > /dev/null 2>&1; then
      echo "already applied: $p"
    else
      patch -p1 -f < "$p"
    fi
  done
}

wasm_configure_flags=(
  --host=wasm32-unknown-emscripten
  --with-emscripten-target=browser
  --prefix=/
  --disable-test-modules
  --without-ensurepip
  # Off by default for Emscripten. Alone it changes nothing measurable; with the small-int
  # free list (patches/) the compute benchmark goes from 1.85x to 1.70x native.
  --with-pymalloc
)

stage_wasm_configure() {
  rm -rf "$wasm"; mkdir -p "$wasm"; cd "$wasm"
  CONFIG_SITE="$pysrc/Tools/wasm/config.site-wasm32-emscripten" \
  ZLIB_CFLAGS="-I$prefix/include" ZLIB_LIBS="-L$prefix/lib -lz" \
  BZIP2_CFLAGS="-I$prefix/include" BZIP2_LIBS="-L$prefix/lib -lbz2" \
  LIBLZMA_CFLAGS="-I$prefix/include" LIBLZMA_LIBS="-L$prefix/lib -llzma" \
  LIBSQLITE3_CFLAGS="-I$prefix/include" LIBSQLITE3_LIBS="-L$prefix/lib -lsqlite3" \
    emconfigure "$pysrc/configure" -C "${wasm_configure_flags[@]}" \
      --build="$("$pysrc/config.guess")" --with-build-python="$native/python"
}

stage_wasm_make() {
  cd "$wasm"
  emmake make -j"$JOBS"
  # Fail here, not in the browser, if a required module did not build.
  for m in zlib _bz2 _lzma _sqlite3 _decimal _json math cmath array _struct _random _datetime \
           _csv _bisect _heapq select binascii _pickle unicodedata _md5 _sha1 _sha2 _sha3 _blake2 \
           termios fcntl; do
    grep -q "^MODULE_$(echo "$m" | tr '[:lower:]' '[:upper:]')_STATE=yes" Makefile \
      || { echo "module $m was not built (see Makefile MODULE_*_STATE)"; exit 1; }
  done
}

# Flags for the final link, besides CPython's own core link flags.
link_flags=(
  -sMODULARIZE -sEXPORT_ES6 -sEXPORT_NAME=createEmscriptenModule
  -sENVIRONMENT=web,worker,node
  -sEXPORTED_RUNTIME_METHODS=FS,callMain,ENV,TTY,HEAPU8,HEAPU32
  -sEXPORTED_FUNCTIONS=_main,_Py_Version
  -sINVOKE_RUN=0 -sEXIT_RUNTIME -sSTACK_SIZE=5MB
  -O2 -g0
)

make_var() { # NAME: the value of a variable of CPython's generated Makefile
  (cd "$wasm" && printf 'print-%%:\n\t@echo $($*)\n' | make -s -f Makefile -f - "print-$1")
}

stage_link() {
  cd "$wasm"
  rm -rf "$WORK_DIR/link"; mkdir -p "$WORK_DIR/link"
  # shellcheck disable=SC2046
  emcc $(make_var PY_CORE_LDFLAGS) "${link_flags[@]}" -o "$WORK_DIR/link/python.js" \
    Programs/python.o $(make_var LINK_PYTHON_OBJS) $(make_var LIBS) $(make_var MODLIBS) $(make_var SYSLIBS)
  # The module imports python.wasm relative to itself; the .mjs name tells every tool it is ESM.
  mv "$WORK_DIR/link/python.js" "$WORK_DIR/link/python.mjs"
}

stage_stdlib() {
  # One zip of everything kept, to trace with; then the core/extra split.
  local sysconfigdata
  sysconfigdata="$(ls "$wasm"/build/lib.*/_sysconfigdata_*.py | head -1)"
  local common=(--lib "$pysrc/Lib" --sysconfigdata "$sysconfigdata" --makefile "$wasm/Makefile")
  "$native/python" "$scripts/make_stdlib_zip.py" "${common[@]}" \
    --out "$WORK_DIR/link/python313-full.zip" --report "$WORK_DIR/link/stdlib-full-report.json"
  # Which modules a student's first minutes import, traced with this very build under Node.
  PYREPL_LAYOUT_DIR="$scripts/python-layout" \
    node "$scripts/node-loader.mjs" "$WORK_DIR/link" python313-full.zip "$scripts/core_workload.py" \
    > "$WORK_DIR/link/core-list.txt"
  test "$(wc -l < "$WORK_DIR/link/core-list.txt")" -gt 50
  "$native/python" "$scripts/make_stdlib_zip.py" "${common[@]}" --core-list "$WORK_DIR/link/core-list.txt" \
    --out "$WORK_DIR/link/python313.zip" --extra-out "$WORK_DIR/link/python313-extra.zip" \
    --report "$WORK_DIR/link/stdlib-report.json"
}

stage_manifest() {
  mkdir -p "$OUT_DIR"
  cp "$WORK_DIR/link/python.mjs" "$WORK_DIR/link/python.wasm" "$WORK_DIR/link/python313.zip" \
     "$WORK_DIR/link/python313-extra.zip" "$WORK_DIR/link/stdlib-report.json" "$OUT_DIR/"
  EMCC_VERSION="$(emcc --version | head -1)" CONFIGURE_FLAGS="${wasm_configure_flags[*]}" \
  LINK_FLAGS="$(make_var PY_CORE_LDFLAGS) ${link_flags[*]}" \
    "$native/python" - "$OUT_DIR" <<'PY'
import hashlib, json, os, re, sys
out = sys.argv[1]
pins = {}
for line in open(os.path.join(os.environ["WORK_DIR"], "scripts", "pins.env")):
    m = re.match(r"^([A-Z0-9]+)_(VERSION|FILE|SHA256)=(.*)$", line.strip())
    if m:
        pins.setdefault(m[1].lower(), {})[m[2].lower()] = m[3]
def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()
artifacts = {}
for name in sorted(os.listdir(out)):
    path = os.path.join(out, name)
    artifacts[name] = {"size": os.path.getsize(path), "sha256": digest(path)}
manifest = {
    "build_key": os.environ["BUILD_KEY"],
    "python_version": pins["python"]["version"],
    "sources": {k: v for k, v in pins.items() if "sha256" in v},
    "toolchain": {"route": os.environ["TOOLCHAIN_ROUTE"], "emcc": os.environ["EMCC_VERSION"],
                  "emscripten_pinned": pins["emscripten"]["version"]},
    "configure_flags": os.environ["CONFIGURE_FLAGS"].split(),
    "link_flags": os.environ["LINK_FLAGS"].split(),
    "artifacts": artifacts,
}
tmp = os.path.join(out, "manifest.json.tmp")
with open(tmp, "w") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
os.replace(tmp, os.path.join(out, "manifest.json"))
PY
}

all_stages=(sources zlib bzip2 xz sqlite native_python patches wasm_configure wasm_make link stdlib manifest)
export WORK_DIR TOOLCHAIN_ROUTE BUILD_KEY
for stage in "${all_stages[@]}"; do run_stage "$stage"; done
# The manifest stage's stamp does not cover OUT_DIR, which is fresh per build key.
[ -f "$OUT_DIR/manifest.json" ] || { rm -f "$stamps/manifest"; run_stage manifest; }
log "build finished${previous_stage_seconds:+ (last stage took $previous_stage_seconds s)}"
