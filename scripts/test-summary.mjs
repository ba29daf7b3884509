// The closing line of `pnpm test`, from vitest's JSON report: "tests: N passed, N failed, N skipped,
// N files failed". A file that fails to load or collect (an import error, a throwing beforeAll) has no
// failed test of its own, so it is counted as a failed file; the line and the exit status are never
// green when vitest was not. Usage: node scripts/test-summary.mjs <vitest.json> <vitest exit status>
// (with SSPKIT_STRICT=1, a skipped test in an interop file fails the run: CI installs every peer;
// with LINT_FAILED=1, the lint step failed: one more failed test, and the run fails).
import { readFileSync } from 'node:fs';

const [, , reportPath, vitestStatusText = '0'] = process.argv;
const vitestStatus = Number(vitestStatusText);
let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (e) {
  console.log(`tests: no report (${e instanceof Error ? e.message : String(e)}); vitest exited ${vitestStatus}`);
  process.exit(1);
}

const files = report.testResults ?? [];
// A file whose status is failed but none of whose tests failed: it never ran (or a hook threw).
const failedFiles = files.filter(
  (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
);
const skipped = report.numPendingTests + report.numTodoTests;
const lintFailed = process.env.LINT_FAILED === '1';
const failedTests = report.numFailedTests + (lintFailed ? 1 : 0);
console.log(
  `tests: ${report.numPassedTests} passed, ${failedTests} failed, ${skipped} skipped, ` +
    `${failedFiles.length} files failed`,
);
for (const f of failedFiles) console.error(`  file failed: ${f.name}: ${String(f.message ?? '').split('\n')[0]}`);

let ok = report.success !== false && failedTests === 0 && failedFiles.length === 0 && vitestStatus === 0;
if (ok === false && failedTests === 0 && failedFiles.length === 0) {
  // vitest failed for a reason the report does not count (an unhandled error, a crash after the run).
  console.error(`vitest did not pass (exit status ${vitestStatus}, success: ${String(report.success)})`);
}
const interopSkips = files
  .filter((f) => f.name.endsWith('.int.spec.ts') && !f.name.includes('conformance'))
  .flatMap((f) =>
    f.assertionResults
      .filter((a) => a.status !== 'passed' && a.status !== 'failed')
      .map((a) => `${f.name}: ${a.fullName}`),
  );
if (process.env.SSPKIT_STRICT === '1' && interopSkips.length > 0) {
  console.error(
    `strict: ${interopSkips.length} interop test(s) skipped (a peer is missing):\n  ${interopSkips.join('\n  ')}`,
  );
  ok = false;
}
process.exit(ok ? 0 : 1);
