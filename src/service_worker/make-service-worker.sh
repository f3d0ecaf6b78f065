#!/usr/bin/env bash
# trunk post_build hook: writes sw.js into the staged site with the files a first prompt
# needs (cached on install) and a version derived from every file's content (a new deploy
# is a new cache).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
stage="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$stage"
files="$(find . -type f ! -name sw.js ! -name '.*' ! -name _headers ! -name manifest.json ! -name stdlib-report.json ! -name python313-extra.zip | sed 's#^\./##' | LC_ALL=C sort)"
version="$(find . -type f ! -name sw.js -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)"
assets="$(printf '%s\n' "./" $files | sed 's/.*/"&"/' | paste -sd, -)"
sed -e "s|@VERSION@|$version|" -e "s|@ASSETS@|[$assets]|" "$here/service-worker.js" > sw.js
