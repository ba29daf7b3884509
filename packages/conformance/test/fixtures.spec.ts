import { describe, expect, it } from 'vitest';
import { AscReq, IscReq, SecPkgFlag, SecStatus } from '@sspkit/core';
import { ALL_CHECKS, runConformance } from '../src/index.js';
import type { ConformanceReport } from '../src/index.js';
import { brokenMock } from './fixtures/base.js';
import { BROKEN_FIXTURES as CORE_FIXTURES, completeNeededMock } from './fixtures/broken.js';
import { MESSAGE_FIXTURES } from './fixtures/broken-messages.js';

const BROKEN_FIXTURES = [...CORE_FIXTURES, ...MESSAGE_FIXTURES];

const CLIENT = { authData: { user: 'alice', password: 'alice-password' } };
const failed = (r: ConformanceReport): string[] =>
  r.checks
    .filter((c) => c.outcome === 'fail')
    .map((c) => c.id)
    .sort();

describe('the suite fails each broken package exactly where it is broken', () => {
  it.each(BROKEN_FIXTURES.map((f) => [f.name, f] as const))('%s', async (_name, f) => {
    const report = await runConformance({ module: f.module(), source: f.name, client: CLIENT });
    expect(failed(report)).toEqual([...f.failures].sort());
    expect(report.ok).toBe(false);
    // Every fixture's failures name a real check, and each one says what was seen and expected.
    for (const c of report.checks.filter((x) => x.outcome === 'fail')) {
      expect(ALL_CHECKS.some((k) => k.id === c.id)).toBe(true);
      expect(c.seen).toBeTruthy();
      expect(c.expected).toBeTruthy();
    }
  });

  it('names every fixture once and never blames a check that does not exist', () => {
    expect(new Set(BROKEN_FIXTURES.map((f) => f.name)).size).toBe(BROKEN_FIXTURES.length);
    for (const f of BROKEN_FIXTURES) for (const id of f.failures) expect(ALL_CHECKS.map((c) => c.id)).toContain(id);
  });
});

describe('the suite passes conformant packages', () => {
  it('passes the fixture base (the Mock with its empty-output defect corrected) on every check', async () => {
    const report = await runConformance({ module: brokenMock(), source: 'base', client: CLIENT });
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    // Only the COMPLETE_NEEDED check has nothing to exercise on a package that never asks for completion.
    expect(report.checks.filter((c) => c.outcome === 'skip').map((c) => c.id)).toEqual([
      'handshake.complete-needed',
      'handshake.replay-shared-store',
    ]);
  });

  it('runs and passes the CompleteAuthToken check on a package that asks for completion and enforces it', async () => {
    const report = await runConformance({
      module: completeNeededMock(true),
      source: 'complete-needed',
      client: CLIENT,
    });
    expect(failed(report)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'handshake.complete-needed')?.outcome).toBe('pass');
  });

  it('gates: a package that does not declare PRIVACY is skipped, not failed, on every sealing check', async () => {
    const module = brokenMock({}, { capabilities: SecPkgFlag.INTEGRITY | SecPkgFlag.CONNECTION });
    // The Mock still grants CONFIDENTIALITY when asked, so ask for integrity only.
    const report = await runConformance({
      module,
      source: 'integrity-only',
      client: {
        ...CLIENT,
        contextReq: IscReq.CONNECTION | IscReq.INTEGRITY | IscReq.REPLAY_DETECT | IscReq.SEQUENCE_DETECT,
      },
      server: { contextReq: AscReq.CONNECTION | AscReq.INTEGRITY | AscReq.REPLAY_DETECT | AscReq.SEQUENCE_DETECT },
    });
    expect(failed(report)).toEqual([]);
    const skipped = report.checks.filter((c) => c.outcome === 'skip');
    for (const id of ['per-message.seal-roundtrip', 'per-message.seal-bit-flips', 'per-message.seal-hides-plaintext']) {
      expect(skipped.find((c) => c.id === id)?.reason).toBe('the package does not declare SECPKG_FLAG_PRIVACY');
    }
  });

  it.each(['server', 'client'] as const)('runs against a peer implementation playing the %s', async (peerRole) => {
    const report = await runConformance({
      module: brokenMock(),
      peer: brokenMock(),
      peerRole,
      source: 'base',
      client: CLIENT,
    });
    expect(failed(report)).toEqual([]);
    expect(report.summary.passed).toBeGreaterThan(40);
  });

  it('honours documented statuses and configured skips', async () => {
    const f = BROKEN_FIXTURES.find((x) => x.name === 'wrong-logon-status')!;
    const report = await runConformance({
      module: f.module(),
      client: CLIENT,
      documented: { 'credentials.wrong-password': [SecStatus.SEC_E_INVALID_TOKEN] },
      skip: { 'hygiene.secrets': 'not relevant here' },
    });
    expect(report.checks.find((c) => c.id === 'credentials.wrong-password')?.outcome).toBe('pass');
    expect(report.checks.find((c) => c.id === 'hygiene.secrets')).toMatchObject({
      outcome: 'skip',
      reason: 'skipped by configuration: not relevant here',
    });
    expect(report.ok).toBe(true);
  });
});
