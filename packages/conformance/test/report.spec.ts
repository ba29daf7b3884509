import { describe, expect, it } from 'vitest';
import { formatReport, junitReport, runConformance } from '../src/index.js';
import type { ConformanceReport } from '../src/index.js';
import { BROKEN_FIXTURES } from './fixtures/broken.js';

const CLIENT = { authData: { user: 'alice', password: 'alice-password' } };

async function brokenReport(name: string): Promise<ConformanceReport> {
  return runConformance({
    module: BROKEN_FIXTURES.find((f) => f.name === name)!.module(),
    source: name,
    client: CLIENT,
  });
}

describe('report formats', () => {
  it('has the documented JSON shape (schema sspkit.conformance/1)', async () => {
    const r = JSON.parse(JSON.stringify(await brokenReport('ignores-replays'))) as Record<string, unknown> &
      ConformanceReport;
    expect(Object.keys(r)).toEqual(['schema', 'package', 'baseline', 'summary', 'ok', 'checks']);
    expect(r.schema).toBe('sspkit.conformance/1');
    expect(Object.keys(r.package)).toEqual([
      'name',
      'source',
      'comment',
      'version',
      'maxToken',
      'capabilities',
      'capabilityNames',
      'lsaTableVersion',
      'userTableVersion',
      'slots',
    ]);
    expect(r.package).toMatchObject({
      name: 'Mock',
      source: 'ignores-replays',
      maxToken: 2048,
      userTableVersion: 0x20000,
    });
    expect(r.package.capabilityNames).toContain('SECPKG_FLAG_INTEGRITY');
    expect(r.baseline.ok).toBe(true);
    expect(r.baseline.clientFlagNames).toContain('ISC_RET_REPLAY_DETECT');
    expect(r.summary.total).toBe(r.checks.length);
    expect(r.summary.passed + r.summary.failed + r.summary.skipped).toBe(r.summary.total);
    expect(r.summary.requiredFailed).toBe(1);
    expect(r.ok).toBe(false);
    const replay = r.checks.find((c) => c.id === 'per-message.replay')!;
    expect(replay).toEqual({
      id: 'per-message.replay',
      area: 'per-message',
      group: 'MakeSignature/VerifySignature',
      title: replay.title,
      required: true,
      outcome: 'fail',
      step: 'VerifySignature client→server (1) replayed',
      seen: 'SEC_E_OK',
      expected: 'SEC_E_OUT_OF_SEQUENCE',
    });
    const skipped = r.checks.filter((c) => c.outcome === 'skip').map((c) => [c.id, c.reason]);
    expect(skipped).toEqual([
      ['handshake.complete-needed', 'the package never returned SEC_I_COMPLETE_NEEDED'],
      ['handshake.replay-shared-store', 'the package declares no store shared between instances (config sharedStore)'],
    ]);
  });

  it('prints a table grouped by SSPI function with the status seen vs expected', async () => {
    const text = formatReport(await brokenReport('ignores-replays'));
    expect(text).toMatch(/^MakeSignature\/VerifySignature$/m);
    expect(text).toMatch(
      /^ {2}FAIL {2}per-message\.replay +VerifySignature client→server \(1\) replayed: seen SEC_E_OK; expected SEC_E_OUT_OF_SEQUENCE$/m,
    );
    expect(text).toMatch(/^ {2}skip {2}handshake\.complete-needed +the package never returned SEC_I_COMPLETE_NEEDED$/m);
    expect(text).toMatch(/DOES NOT CONFORM\n$/);
  });

  it('writes JUnit XML with one testcase per check and a failure element for each failure', async () => {
    const r = await brokenReport('ignores-replays');
    const xml = junitReport(r);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(r.checks.length);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml.match(/<skipped /g)).toHaveLength(r.summary.skipped);
    expect(xml).toContain(
      'message="VerifySignature client→server (1) replayed: seen SEC_E_OK; expected SEC_E_OUT_OF_SEQUENCE"',
    );
    // Balanced elements: every opened testsuite and testcase with a body is closed.
    expect(xml.match(/<testsuite /g)!.length).toBe(xml.match(/<\/testsuite>/g)!.length);
  });

  it('never prints a password, even when the package leaks it', async () => {
    const r = await brokenReport('leaks-password');
    const secrets = r.checks.find((c) => c.id === 'hygiene.secrets')!;
    expect(secrets.outcome).toBe('fail');
    expect(secrets.seen).toContain('secret #1 in value returned by lsa.acquireCredentialsHandle');
    for (const text of [JSON.stringify(r), formatReport(r), junitReport(r)])
      expect(text).not.toContain('alice-password');
  });
});

describe('configuration cannot turn a defect into a pass', () => {
  const client = { authData: { user: 'alice', password: 'alice-password' } };
  it('a documented success for a check that expects a refusal fails that check', async () => {
    const { brokenMock } = await import('./fixtures/base.js');
    const { SecStatus } = await import('@sspkit/core');
    const report = await runConformance({
      module: brokenMock(),
      client,
      documented: { 'per-message.sign-bit-flips': [SecStatus.SEC_E_OK] },
      only: ['per-message.sign-bit-flips'],
    });
    expect(report.checks[0]).toMatchObject({
      outcome: 'fail',
      step: 'documented statuses for per-message.sign-bit-flips',
    });
    expect(report.ok).toBe(false);
  });

  it('required checks skipped by configuration are counted and make the verdict conditional', async () => {
    const { brokenMock } = await import('./fixtures/base.js');
    const report = await runConformance({
      module: brokenMock(),
      client,
      skip: { 'per-message.replay': 'trust me' },
      only: ['per-message.replay', 'handshake.completes'],
    });
    expect(report.summary).toMatchObject({ requiredSkipped: 1, requiredFailed: 0 });
    expect(formatReport(report)).toMatch(/CONFORMS, provided the 1 required check\(s\) skipped by configuration hold/);
  });
});
