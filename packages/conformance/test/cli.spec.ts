import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConformanceExit, conformanceCommand } from '../src/index.js';
import type { ConformanceErrorReport, ConformanceReport } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sspkit-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  modulePath: string,
  extra: { json?: boolean; junitFile?: string; packageName?: string } = {},
): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await conformanceCommand({
    modulePath,
    json: extra.json ?? false,
    write: (s) => (out += s),
    cwd: import.meta.dirname,
    ...(extra.junitFile ? { junitFile: extra.junitFile } : {}),
    ...(extra.packageName ? { packageName: extra.packageName } : {}),
  });
  return { code, out };
}

describe('conformanceCommand (sspkit conformance)', () => {
  it('exits 0 and prints the table for a conformant module, reading its sspkitConformance export', async () => {
    const { code, out } = await run('fixtures/conformant-entry.ts');
    expect(code).toBe(ConformanceExit.OK);
    expect(out).toContain('sspkit conformance: Mock (fixtures/conformant-entry.ts)');
    expect(out).toMatch(/^ {2}PASS {2}credentials\.wrong-password /m);
    expect(out).toMatch(/: CONFORMS\n$/);
  });

  it('exits 1 when a required check fails; the config may be a function', async () => {
    const { code, out } = await run('fixtures/broken-entry.ts');
    expect(code).toBe(ConformanceExit.FAILED);
    expect(out).toMatch(/^ {2}FAIL {2}per-message\.replay /m);
  });

  it('prints the JSON report with --json and writes JUnit with --junit', async () => {
    const junit = join(dir, 'report.xml');
    const { code, out } = await run('fixtures/broken-entry.ts', { json: true, junitFile: junit });
    expect(code).toBe(ConformanceExit.FAILED);
    const report = JSON.parse(out) as ConformanceReport;
    expect(report.schema).toBe('sspkit.conformance/1');
    expect(report.checks.filter((c) => c.outcome === 'fail').map((c) => c.id)).toEqual(['per-message.replay']);
    expect(readFileSync(junit, 'utf8')).toContain('<failure message="VerifySignature client→server (1) replayed');
  });

  it('exits 2 for a module that cannot be loaded or has no such package', async () => {
    const missing = await run('fixtures/no-such-module.ts');
    expect(missing.code).toBe(ConformanceExit.ERROR);
    expect(missing.out).toContain('cannot load fixtures/no-such-module.ts');
    const notModule = await run('fixtures/base.ts');
    expect(notModule.code).toBe(ConformanceExit.ERROR);
    expect(notModule.out).toContain('does not export spLsaModeInitialize');
    const wrongName = await run('fixtures/conformant-entry.ts', { packageName: 'Kerberos' });
    expect(wrongName.code).toBe(ConformanceExit.ERROR);
    expect(wrongName.out).toContain('the module has no package named "Kerberos"');
  });

  it('loads a package specifier as well as a path', async () => {
    const { out } = await run('@sspkit/provider-mock', { json: true });
    const report = JSON.parse(out) as ConformanceReport;
    expect(report.package.name).toBe('Mock');
    // The module's sspkitConformance export supplies the demo user, so the password checks run.
    expect(report.checks.find((c) => c.id === 'credentials.wrong-password')?.outcome).toBe('pass');
    expect(report.checks.filter((c) => c.outcome === 'fail')).toEqual([]);
  });
});

describe('conformanceCommand exit codes and --json errors', () => {
  it('--json prints a JSON error, exit 2, for a module that cannot be loaded', async () => {
    const { code, out } = await run('fixtures/no-such-module.ts', { json: true });
    expect(code).toBe(ConformanceExit.ERROR);
    const error = JSON.parse(out) as ConformanceErrorReport;
    expect(error).toMatchObject({
      schema: 'sspkit.conformance/1',
      ok: false,
      error: { stage: 'load', source: 'fixtures/no-such-module.ts' },
    });
  });

  it('--json prints a JSON error, exit 2, for a run that aborts (the module throws at load)', async () => {
    const { code, out } = await run('fixtures/throwing-entry.ts', { json: true });
    expect(code).toBe(ConformanceExit.ERROR);
    const error = JSON.parse(out) as ConformanceErrorReport;
    expect(error.error.stage).toBe('run');
    expect(error.error.message).toMatch(/SpLsaModeInitialize/);
  });

  it('a failing optional check alone exits 3, not 0 and not 1', async () => {
    const { code, out } = await run('fixtures/optional-failure-entry.ts', { json: true });
    const report = JSON.parse(out) as ConformanceReport;
    expect(report.checks.filter((c) => c.outcome === 'fail').map((c) => [c.id, c.required])).toEqual([
      ['package-info.slots-within-version', false],
    ]);
    expect(report.ok).toBe(true);
    expect(code).toBe(ConformanceExit.OPTIONAL_FAILED);
  });

  it('an unwritable --junit path exits 4 after printing the report, its error apart from stdout', async () => {
    let out = '';
    let err = '';
    const code = await conformanceCommand({
      modulePath: 'fixtures/conformant-entry.ts',
      json: true,
      cwd: import.meta.dirname,
      junitFile: join(dir, 'no-such-dir', 'report.xml'),
      write: (s) => (out += s),
      writeError: (s) => (err += s),
    });
    expect(code).toBe(ConformanceExit.REPORT_NOT_WRITTEN);
    expect((JSON.parse(out) as ConformanceReport).ok).toBe(true);
    expect(err).toMatch(/cannot write the JUnit report .*no-such-dir/);
    // A failed required check still wins: the pipeline must see the verdict first.
    const broken = await conformanceCommand({
      modulePath: 'fixtures/broken-entry.ts',
      json: true,
      cwd: import.meta.dirname,
      junitFile: join(dir, 'no-such-dir', 'report.xml'),
      write: () => undefined,
      writeError: () => undefined,
    });
    expect(broken).toBe(ConformanceExit.FAILED);
  });
});
