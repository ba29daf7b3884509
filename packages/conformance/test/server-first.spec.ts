/**
 * Server-first mechanisms (HTTP Digest, SASL DIGEST-MD5): the client's first leg continues with an
 * empty token and the server's first leg, with no input, issues the challenge (InitializeSecurityContext (Digest): the
 * CONTINUE_NEEDED output "may be empty"). The suite must pass a correct one and still fail broken ones
 * exactly where they are broken.
 */
import { describe, expect, it } from 'vitest';
import { SecStatus } from '@sspkit/core';
import { runConformance } from '../src/index.js';
import type { CheckResult, ConformanceReport } from '../src/index.js';
import { brokenMock } from './fixtures/base.js';
import { completeNeededMock } from './fixtures/broken.js';
import { serverFirst } from './fixtures/server-first.js';

const CLIENT = { authData: { user: 'alice', password: 'alice-password' } };
// As Digest documents it: AcceptSecurityContext without a token issues the challenge.
const DOCUMENTED = { 'handshake.missing-input': [SecStatus.SEC_I_CONTINUE_NEEDED] };
const failed = (r: ConformanceReport): string[] =>
  r.checks
    .filter((c) => c.outcome === 'fail')
    .map((c) => c.id)
    .sort();
const check = (r: ConformanceReport, id: string): CheckResult => r.checks.find((c) => c.id === id)!;

describe('a correct server-first package', () => {
  it('passes every check; the empty first client token and the no-input server leg are legal', async () => {
    const report = await runConformance({
      module: serverFirst(brokenMock()),
      source: 'server-first',
      client: CLIENT,
      documented: DOCUMENTED,
    });
    expect(failed(report)).toEqual([]);
    expect(report.baseline.statuses).toEqual([
      'client SEC_I_CONTINUE_NEEDED', // no token: "your turn"
      'server SEC_I_CONTINUE_NEEDED', // no input: the challenge
      'client SEC_I_CONTINUE_NEEDED',
      'server SEC_I_CONTINUE_NEEDED',
      'client SEC_E_OK',
      'server SEC_E_OK',
    ]);
    expect(report.checks.filter((c) => c.outcome === 'skip').map((c) => c.id)).toEqual([
      'handshake.complete-needed',
      'handshake.replay-shared-store',
    ]);
    // The bad-token checks went to the first leg of each side that receives a token, not to leg 1.
    expect(check(report, 'handshake.garbage-token').step).toBe(
      'InitializeSecurityContext (call 2, the first with a server token) with a garbage token',
    );
    expect(check(report, 'handshake.truncated-token').outcome).toBe('pass');
    expect(check(report, 'handshake.replayed-token')).toMatchObject({
      outcome: 'pass',
      step: "AcceptSecurityContext (call 3) with the client's first token again",
    });
    // The first leg with a token is the server's challenge: that is where a 1-byte buffer must be refused.
    expect(check(report, 'handshake.output-too-small').outcome).toBe('pass');
    expect(check(report, 'handshake.missing-input')).toMatchObject({
      outcome: 'pass',
      seen: expect.stringContaining('SEC_I_CONTINUE_NEEDED'),
    });
  });

  it('with SEC_I_COMPLETE_NEEDED on the last server leg: CompleteAuthToken is called and enforced, every check passes', async () => {
    const report = await runConformance({
      module: serverFirst(completeNeededMock(true)),
      source: 'server-first+complete',
      client: CLIENT,
      documented: DOCUMENTED,
    });
    expect(failed(report)).toEqual([]);
    expect(report.baseline.statuses.at(-1)).toBe('server SEC_I_COMPLETE_NEEDED');
    // The one skip: the Mock keeps no state a second instance could share.
    expect(report.checks.filter((c) => c.outcome === 'skip').map((c) => c.id)).toEqual([
      'handshake.replay-shared-store',
    ]);
    expect(check(report, 'handshake.complete-needed').outcome).toBe('pass');
  });

  it('an undocumented success without input still fails handshake.missing-input (the default is SEC_E_INVALID_TOKEN)', async () => {
    const report = await runConformance({ module: serverFirst(brokenMock()), source: 'server-first', client: CLIENT });
    expect(failed(report)).toEqual(['handshake.missing-input']);
    expect(check(report, 'handshake.missing-input')).toMatchObject({
      seen: 'SEC_I_CONTINUE_NEEDED',
      expected: 'SEC_E_INVALID_TOKEN',
    });
    // An optional check: the run is still OK.
    expect(report.ok).toBe(true);
  });
});

describe('broken server-first packages fail exactly where they are broken', () => {
  it('a server whose first leg sends no challenge deadlocks the handshake', async () => {
    const report = await runConformance({
      module: serverFirst(brokenMock(), 'silent-server'),
      source: 'silent-server',
      client: CLIENT,
      documented: DOCUMENTED,
    });
    expect(report.ok).toBe(false);
    expect(check(report, 'handshake.completes')).toMatchObject({
      outcome: 'fail',
      seen: expect.stringContaining('neither side has anything to send'),
    });
    expect(check(report, 'handshake.missing-input')).toMatchObject({
      outcome: 'fail',
      step: 'AcceptSecurityContext with no TOKEN buffer: output',
    });
  });

  it('a client that answers any challenge fails the garbage and truncated token checks on its second call', async () => {
    const report = await runConformance({
      module: serverFirst(brokenMock(), 'ignores-challenge'),
      source: 'ignores-challenge',
      client: CLIENT,
      documented: DOCUMENTED,
    });
    expect(failed(report)).toEqual(['handshake.garbage-token', 'handshake.truncated-token']);
    for (const id of ['handshake.garbage-token', 'handshake.truncated-token']) {
      expect(check(report, id)).toMatchObject({
        step: expect.stringMatching(/^InitializeSecurityContext \(call 2, the first with a server token\)/),
        seen: 'SEC_I_CONTINUE_NEEDED',
      });
    }
  });

  it('a documented success without input must still delete its context: a kept placeholder fails missing-input', async () => {
    const report = await runConformance({
      module: serverFirst(brokenMock(), 'leaks-placeholder'),
      source: 'leaks-placeholder',
      client: CLIENT,
      documented: DOCUMENTED,
    });
    expect(failed(report)).toEqual(['handshake.missing-input']);
    expect(check(report, 'handshake.missing-input')).toMatchObject({
      step: expect.stringMatching(/^SpDeleteContext \(again\)/),
      seen: 'SEC_E_OK',
      expected: 'SEC_E_INVALID_HANDLE',
    });
  });
});
