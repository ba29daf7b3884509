#!/usr/bin/env bash
# `pnpm test`: system packages, type check, lint (`pnpm lint`: ESLint, knip, Prettier's check), every vitest test
# (unit and interop), then one plain closing line "N passed, N failed, N skipped, N files failed"
# (scripts/test-summary.mjs: a file that failed to load counts, so the line is never green when
# vitest was not). A lint failure does not stop the tests, but fails the run and counts as one failed
# test in the closing line. With SSPKIT_STRICT=1 (CI) a skipped test in an interop file
# (*.int.spec.ts) fails the run: CI installs every peer, so no peer may be missing there.
# (Skips elsewhere, and in conformance files, are checks that do not apply: the suite gates checks off
# on what a package declares.)
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh || exit 1
./node_modules/.bin/tsc -p tsconfig.json || exit 1
for e in examples/*/; do ./node_modules/.bin/tsc -p "$e/tsconfig.json" || exit 1; done
lint=0
./node_modules/.bin/eslint --max-warnings=0 . || lint=1
./node_modules/.bin/knip || lint=1
./node_modules/.bin/prettier --check --log-level warn . || lint=1
[ "$lint" = 0 ] || echo "lint: failed (eslint, knip or prettier, above); \`pnpm lint\` repeats it" >&2
mkdir -p .tmp
rm -f .tmp/vitest.json
./node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json "$@"
status=$?
LINT_FAILED=$lint node scripts/test-summary.mjs .tmp/vitest.json "$status" || status=1
[ "$lint" = 0 ] || status=1
exit $status
