/**
 * The conformance suite against the Digest package in both of its modes, with the option objects
 * the package exports: SASL DIGEST-MD5 (`sspkitConformance`) and HTTP Digest
 * (`digestHttpConformance`, ISC_REQ_HTTP / ASC_REQ_HTTP). Both are server-first (the client's first
 * leg continues with an empty token); HTTP mode ends with SEC_I_COMPLETE_NEEDED on the server.
 */
import { describe, expect, it } from 'vitest';
import * as digest from '@sspkit/digest';
import { defineConformanceSuite, runConformance } from '@sspkit/conformance';
import type { ConformanceOptions, ConformanceReport } from '@sspkit/conformance';

const module = { spLsaModeInitialize: digest.spLsaModeInitialize, spUserModeInitialize: digest.spUserModeInitialize };
const MODES = [
  { mode: 'SASL', options: digest.sspkitConformance },
  { mode: 'HTTP', options: digest.digestHttpConformance },
] as const;

const run = (options: Omit<ConformanceOptions, 'module'>): Promise<ConformanceReport> =>
  runConformance({ module, source: '@sspkit/digest', ...options });
const failures = (r: ConformanceReport): (string | undefined)[][] =>
  r.checks.filter((c) => c.outcome === 'fail').map((c) => [c.id, c.step, c.seen]);

for (const { mode, options } of MODES) {
  defineConformanceSuite({
    module,
    source: '@sspkit/digest',
    ...options,
    title: `SSPI conformance: Digest (${mode} mode)`,
    test: { describe, it },
  });
}

describe('Digest conformance reports', () => {
  it('SASL mode: no failing check, a server-first handshake, every skip with its reason', async () => {
    const report = await run(digest.sspkitConformance);
    // SASL EncryptMessage seals every writable DATA buffer (it used to leave the second one in clear).
    expect(failures(report)).toEqual([]);
    expect(report.baseline.statuses).toEqual([
      'client SEC_I_CONTINUE_NEEDED',
      'server SEC_I_CONTINUE_NEEDED',
      'client SEC_I_CONTINUE_NEEDED',
      'server SEC_E_OK',
      'client SEC_E_OK',
    ]);
    for (const c of report.checks.filter((x) => x.outcome === 'skip')) expect(c.reason, c.id).toBeTruthy();
    // The security layers are exercised, not skipped.
    for (const id of [
      'per-message.sign-bit-flips',
      'per-message.seal-bit-flips',
      'per-message.replay',
      'handshake.missing-input',
      'handshake.truncated-token',
    ]) {
      expect(report.checks.find((c) => c.id === id)?.outcome, id).toBe('pass');
    }
  });

  it('HTTP mode: no failing check; the server ends with SEC_I_COMPLETE_NEEDED and the suite completes it', async () => {
    const report = await run(digest.digestHttpConformance);
    expect(failures(report)).toEqual([]);
    expect(report.baseline.statuses).toEqual([
      'client SEC_I_CONTINUE_NEEDED',
      'server SEC_I_CONTINUE_NEEDED',
      'client SEC_E_OK',
      'server SEC_I_COMPLETE_NEEDED',
    ]);
    for (const c of report.checks.filter((x) => x.outcome === 'skip')) expect(c.reason, c.id).toBeTruthy();
  });

  it('HTTP mode without the configured skips: the suite skips per-message checks itself (no INTEGRITY granted) and fails nothing', async () => {
    const report = await run({ ...digest.digestHttpConformance, skip: {} });
    expect(failures(report)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'per-message.sign-roundtrip')).toMatchObject({
      outcome: 'skip',
      reason: expect.stringContaining('did not grant ISC_RET_INTEGRITY and ASC_RET_INTEGRITY'),
    });
    // Runs for real once not skipped by configuration: the identity is refused before CompleteAuthToken verified the response.
    expect(report.checks.find((c) => c.id === 'handshake.complete-needed')).toMatchObject({
      outcome: 'pass',
      step: 'QuerySecurityContextToken after CompleteAuthToken',
    });
    for (const id of [
      'token.complete-not-needed',
      'lifetime.stale-package-handles',
      'lifetime.context-outlives-credential',
      'lifetime.delete-isolated',
      'concurrency.interleaved',
    ]) {
      expect(report.checks.find((c) => c.id === id)?.outcome, id).toBe('pass');
    }
  });
});

describe('Digest conformance: replay across instances sharing the nonce-count store', () => {
  const key = new Uint8Array(32).fill(3);
  const users = new digest.MemoryUserStore([{ username: 'alice', realm: 'conformance', password: 'alice-password' }]);
  const authData = (nonceCounts: digest.NonceCountStore) => ({
    kind: 'digest-server',
    realm: 'conformance',
    users,
    nonceKey: key,
    nonceCounts,
    // As the module's default server credential: the suite passes no request URI buffer.
    allowMissingUri: true,
  });
  const check = (r: ConformanceReport) => r.checks.find((c) => c.id === 'handshake.replay-shared-store');

  it('HTTP mode with one store shared by both instances: the replay is refused at the second instance', async () => {
    const store = new digest.MemoryNonceCountStore();
    const report = await run({
      ...digest.digestHttpConformance,
      sharedStore: { serverAuthData: () => authData(store), instance: () => digest.createDigestModule() },
    });
    expect(failures(report)).toEqual([]);
    expect(check(report)).toMatchObject({
      outcome: 'pass',
      seen: 'CompleteAuthToken after call 2: SEC_E_OUT_OF_SEQUENCE',
    });
  });

  it('fails a deployment that shares the nonce key but gives each instance its own store', async () => {
    const report = await run({
      ...digest.digestHttpConformance,
      only: ['handshake.replay-shared-store'],
      sharedStore: { serverAuthData: () => authData(new digest.MemoryNonceCountStore()) },
    });
    expect(check(report)).toMatchObject({ outcome: 'fail', seen: 'the replay authenticated' });
  });

  it('is skipped, with the reason, for a package that declares no shared store', async () => {
    const report = await run({ ...digest.digestHttpConformance, only: ['handshake.replay-shared-store'] });
    expect(check(report)).toMatchObject({ outcome: 'skip', reason: expect.stringContaining('config sharedStore') });
  });
});
