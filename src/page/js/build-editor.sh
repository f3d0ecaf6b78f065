#!/usr/bin/env bash
# trunk post_build hook: bundles the editor (CodeMirror 6 behind src/page/js/editor.mjs) with
# esbuild into one ES module in the staged site, which the page's import map names
# "codemirror". Runs before the service worker's asset list is made, so it is cached too.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
stage="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
esbuild="$here/../../../node_modules/.bin/esbuild"
[ -x "$esbuild" ] || { echo "esbuild is missing: run 'npm ci' (make does)" >&2; exit 1; }
mkdir -p "$stage/editor"
"$esbuild" "$here/editor.mjs" --bundle --format=esm --minify --target=es2020 --log-level=warning \
  --legal-comments=none --outfile="$stage/editor/codemirror.mjs"
