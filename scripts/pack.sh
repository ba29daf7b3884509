#!/usr/bin/env bash
# `pnpm pack:all DIR`: one npm tarball per package under packages/ into DIR (default .tmp/pack),
# built first. pnpm pack applies each package's publishConfig (exports/main/types/bin → dist) and
# rewrites workspace:* dependencies to the packages' versions; `files` keeps tests and sources out.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$(realpath -m "${1:-.tmp/pack}")"
bash scripts/build.sh
rm -rf "$dest" && mkdir -p "$dest"
npx --yes pnpm@12.21.0 -r --filter './packages/*' pack --pack-destination "$dest" >/dev/null
ls "$dest"/*.tgz
