#!/usr/bin/env bash
# `pnpm build`: every package to packages/*/dist (ESM JavaScript, .d.ts, source maps) through the
# project references of tsconfig.build.json. dist/ is removed first: tsc -b trusts its .tsbuildinfo and
# would neither restore a deleted output nor drop the output of a deleted source, and a stale file
# would end up in a tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf packages/*/dist
./node_modules/.bin/tsc -b tsconfig.build.json
