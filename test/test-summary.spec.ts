/**
 * The closing line of `pnpm test` (scripts/test-summary.mjs) must never read green when vitest did not:
 * a spec file that fails to load has no failed test of its own, and used to leave "0 failed".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const summary = join(repo, 'scripts/test-summary.mjs');
const dir = mkdtempSync(join(tmpdir(), 'sspkit-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}
function summarize(report: unknown, vitestStatus: number, env: NodeJS.ProcessEnv = {}): Run {
  const path = join(dir, `report-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(report));
  const r = spawnSync(process.execPath, [summary, path, String(vitestStatus)], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const passing = {
  name: '/r/packages/a/test/a.spec.ts',
  status: 'passed',
  message: '',
  assertionResults: [{ status: 'passed', fullName: 'a works' }],
};
const unloadable = {
  name: '/r/packages/b/test/b.spec.ts',
  status: 'failed',
  message: "Cannot find module './gone.js' imported from /r/packages/b/test/b.spec.ts",
  assertionResults: [],
};
const base = { numPassedTests: 1, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };

describe('test summary', () => {
  it('counts a file that failed to load, and exits non-zero', () => {
    const r = summarize({ ...base, success: false, testResults: [passing, unloadable] }, 1);
    expect(r.stdout.trim()).toBe('tests: 1 passed, 0 failed, 0 skipped, 1 files failed');
    expect(r.stderr).toContain("b.spec.ts: Cannot find module './gone.js'");
    expect(r.status).toBe(1);
  });

  it('reads green only when vitest passed', () => {
    const r = summarize({ ...base, success: true, testResults: [passing] }, 0);
    expect(r.stdout.trim()).toBe('tests: 1 passed, 0 failed, 0 skipped, 0 files failed');
    expect(r.status).toBe(0);
    // vitest failed for a reason its report does not count (an unhandled error): not green either.
    const crashed = summarize({ ...base, success: true, testResults: [passing] }, 1);
    expect(crashed.status).toBe(1);
    expect(crashed.stderr).toContain('vitest did not pass (exit status 1');
  });

  it('counts a failed lint step as one failed test, and fails', () => {
    const r = summarize({ ...base, success: true, testResults: [passing] }, 0, { LINT_FAILED: '1' });
    expect(r.stdout.trim()).toBe('tests: 1 passed, 1 failed, 0 skipped, 0 files failed');
    expect(r.status).toBe(1);
  });

  it('fails on a missing report', () => {
    const r = spawnSync(process.execPath, [summary, join(dir, 'absent.json'), '1'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/^tests: no report/);
    expect(r.status).toBe(1);
  });

  it('with SSPKIT_STRICT=1, a skipped interop test fails the run', () => {
    const interop = {
      name: '/r/test/x.int.spec.ts',
      status: 'passed',
      message: '',
      assertionResults: [{ status: 'skipped', fullName: 'needs a peer' }],
    };
    const report = { ...base, numPendingTests: 1, success: true, testResults: [passing, interop] };
    expect(summarize(report, 0).status).toBe(0);
    const strict = summarize(report, 0, { SSPKIT_STRICT: '1' });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('x.int.spec.ts: needs a peer');
  });

  it('on a real vitest run with a spec that cannot load', () => {
    const root = mkdtempSync(join(dir, 'run-'));
    writeFileSync(join(root, 'ok.spec.ts'), "import { it } from 'vitest';\nit('runs', () => {});\n");
    writeFileSync(join(root, 'broken.spec.ts'), "import './does-not-exist.js';\n");
    const out = join(root, 'vitest.json');
    const vitest = spawnSync(
      join(repo, 'node_modules/.bin/vitest'),
      ['run', '--root', root, '--reporter=json', `--outputFile.json=${out}`],
      { encoding: 'utf8' },
    );
    expect(vitest.status).not.toBe(0);
    const r = spawnSync(process.execPath, [summary, out, String(vitest.status)], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('tests: 1 passed, 0 failed, 0 skipped, 1 files failed');
    expect(r.status).toBe(1);
  });
});
