#!/usr/bin/env bash
# `pnpm test`: system packages, type check, every vitest test (unit and interop), then one plain
# closing line "N passed, N failed, N skipped". With SSPKIT_STRICT=1 (CI) a skipped test fails the run:
# CI installs every peer, so nothing may be skipped there.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh || exit 1
pnpm exec tsc -p tsconfig.json || exit 1
mkdir -p .tmp
pnpm exec vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".tmp/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
  if (process.env.SSPKIT_STRICT === "1" && skipped > 0) { console.error("strict: skipped tests are failures in CI"); process.exit(1); }
' || status=1
exit $status
