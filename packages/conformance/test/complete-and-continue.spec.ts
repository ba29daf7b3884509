/**
 * SEC_I_COMPLETE_AND_CONTINUE whose token only CompleteAuthToken writes (InitializeSecurityContext (Digest), "call
 * CompleteAuthToken, send the output, then continue"): the harness must send what CompleteAuthToken
 * left in the TOKEN buffer, as the convenience layer does.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/index.js';
import { brokenMock } from './fixtures/base.js';
import { completeWritesToken } from './fixtures/complete-writes-token.js';

const CLIENT = { authData: { user: 'alice', password: 'alice-password' } };

describe('a client whose first token is written by CompleteAuthToken', () => {
  it('completes every handshake and passes every check that applies', async () => {
    const report = await runConformance({
      module: completeWritesToken(brokenMock()),
      source: 'complete-writes-token',
      client: CLIENT,
    });
    expect(report.checks.filter((c) => c.outcome === 'fail').map((c) => [c.id, c.step, c.seen])).toEqual([]);
    // The server's first leg got the token (else the Mock server refuses an empty input and the handshake fails).
    expect(report.baseline.statuses).toEqual([
      'client SEC_I_COMPLETE_AND_CONTINUE',
      'server SEC_I_CONTINUE_NEEDED',
      'client SEC_E_OK',
      'server SEC_E_OK',
    ]);
    expect(report.checks.filter((c) => c.outcome === 'skip').map((c) => [c.id, c.reason])).toEqual([
      ['handshake.complete-needed', 'the package never returned SEC_I_COMPLETE_NEEDED'],
      ['handshake.replay-shared-store', 'the package declares no store shared between instances (config sharedStore)'],
      ['token.complete-not-needed', 'the client context asked for CompleteAuthToken'],
    ]);
  });
});
