/**
 * Every package of the workspace loads through the CLI, spawned as a user runs it, both by its entry
 * file and by its directory (a package directory resolves through its package.json entry; a source
 * directory without one through its index file), and passes conformance where the module carries
 * its own credentials (`sspkitConformance`). The native packages run against a lab KDC, whose
 * environment the spawned CLI inherits; for them loading is asserted: the package is found, both
 * tables are present and declared consistently (package-info.*), without the verdict.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Lab } from '@sspkit/krb5-lab';
import { isAvailable } from '@sspkit/provider-native';
import { startLab, stopLab } from './native/lab.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../packages/cli/bin/sspkit.mjs', import.meta.url));

interface Report {
  readonly ok: boolean;
  readonly package: { readonly name: string };
  readonly checks: readonly { readonly id: string; readonly outcome: string; readonly seen?: string }[];
}
interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function sspkit(args: readonly string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repo, env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const native = isAvailable().available;
let lab: Lab | undefined;
if (native) lab = await startLab();
afterAll(async () => {
  await stopLab(lab);
});

const packages = [
  { name: 'Mock', file: 'packages/provider-mock/src/index.ts', dir: 'packages/provider-mock', verdict: true },
  { name: 'NTLM', file: 'packages/ntlm/src/index.ts', dir: 'packages/ntlm', verdict: true },
  { name: 'Digest', file: 'packages/digest/src/index.ts', dir: 'packages/digest', verdict: true },
  { name: 'SCRAM-SHA-256', file: 'examples/scram-sha-256/src/index.ts', dir: 'examples/scram-sha-256', verdict: true },
  {
    name: 'Kerberos',
    file: 'packages/provider-native/src/kerberos/index.ts',
    dir: 'packages/provider-native/src/kerberos',
    verdict: false,
    native: true,
  },
  {
    name: 'Negotiate-MIT',
    file: 'packages/provider-native/src/negotiate/index.ts',
    dir: 'packages/provider-native/src/negotiate',
    verdict: false,
    native: true,
  },
] as const;

describe('sspkit conformance loads every package by file and by directory', () => {
  for (const p of packages) {
    for (const target of [p.file, p.dir]) {
      const skip = 'native' in p && !native;
      it.skipIf(skip).concurrent(
        `${p.name}: ${target}`,
        async () => {
          const run = await sspkit(['conformance', target, '--json']);
          expect(run.stdout, run.stderr).toMatch(/^\{/);
          const report = JSON.parse(run.stdout) as Report;
          expect(report.package.name).toBe(p.name);
          const loading = report.checks.filter(
            (c) => c.id.startsWith('package-info.') && c.id !== 'package-info.max-token',
          );
          expect(loading.map((c) => [c.id, c.outcome, c.seen])).toEqual(loading.map((c) => [c.id, 'pass', c.seen]));
          expect(loading.map((c) => c.id)).toContain('package-info.capabilities-match-slots');
          if (p.verdict) {
            expect(report.checks.filter((c) => c.outcome === 'fail').map((c) => c.id)).toEqual([]);
            expect(report.ok).toBe(true);
            expect(run.code).toBe(0);
          }
        },
        180_000,
      );
    }
  }
});

describe('sspkit conformance --json, spawned, when there is no report', () => {
  it.concurrent('a directory that is no package prints a JSON error and exits 2', async () => {
    const run = await sspkit(['conformance', 'packages/core/test', '--json']);
    expect(run.code).toBe(2);
    const error = JSON.parse(run.stdout) as { ok: boolean; error: { stage: string; message: string } };
    expect(error.ok).toBe(false);
    expect(error.error.stage).toBe('load');
    expect(error.error.message).toMatch(/neither a package.json nor an index file/);
  });
});
