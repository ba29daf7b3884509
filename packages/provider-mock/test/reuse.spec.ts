/** Resource bounds of the Mock: a reused credential outlives its contexts; the call log is bounded. */
import { describe, expect, it } from 'vitest';
import { SecPkgCred, clientContext, runHandshake, serverContext } from '@sspkit/core';
import { DEFAULT_LOG_LIMIT, MockPackage } from '@sspkit/provider-mock';
import { mockWorld } from './helpers.js';

describe('a reused outbound credential', () => {
  it('still authenticates after a context made from it is deleted (each context copies the key)', async () => {
    const { sspi, mock } = await mockWorld();
    const acquired = await sspi.acquireCredentialsHandle({
      package: 'Mock',
      credentialUse: SecPkgCred.OUTBOUND,
      authData: { user: 'alice', password: 'alice-password' },
    });
    const credential = acquired.credential!;
    for (let round = 0; round < 3; round++) {
      const client = await clientContext(sspi, { package: 'Mock', credential, targetName: 'host/server.example' });
      const server = await serverContext(sspi, { package: 'Mock' });
      await runHandshake(client, server);
      expect(server.query(0x1).userName).toBe('MOCK\\alice');
      client.dispose();
      server.dispose();
    }
    expect(sspi.freeCredentialsHandle(credential)).toBe(0);
    expect(mock.liveContexts).toBe(0);
  });
});

describe('the call log', () => {
  it(`keeps the last ${DEFAULT_LOG_LIMIT} records by default, whatever the number of calls`, async () => {
    const { sspi, mock } = await mockWorld({ legs: 2 });
    const credential = (await sspi.acquireCredentialsHandle({ package: 'Mock', credentialUse: SecPkgCred.OUTBOUND }))
      .credential!;
    let handshakes = 0;
    while (mock.script.log.length < DEFAULT_LOG_LIMIT || handshakes < (2 * DEFAULT_LOG_LIMIT) / 5) {
      const client = await clientContext(sspi, { package: 'Mock', credential });
      const server = await serverContext(sspi, { package: 'Mock' });
      await runHandshake(client, server);
      client.dispose();
      server.dispose();
      handshakes++;
      expect(mock.script.log.length).toBeLessThanOrEqual(DEFAULT_LOG_LIMIT);
    }
    const log = mock.script.log;
    expect(log).toHaveLength(DEFAULT_LOG_LIMIT);
    // The newest records are kept, in order, and call counts still cover every call.
    const seqs = log.map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_s, i) => seqs[0]! + i));
    expect(seqs[0]).toBeGreaterThan(1);
    expect(mock.script.calls('initLsaModeContext').at(-1)!.call).toBeGreaterThanOrEqual(handshakes);
  });

  it('takes a limit: 0 records nothing, Infinity everything', async () => {
    const none = new MockPackage({ logLimit: 0 });
    const all = new MockPackage({ logLimit: Number.POSITIVE_INFINITY });
    for (const m of [none, all]) {
      await m.module.spLsaModeInitialize(0x10000);
      for (let i = 0; i < DEFAULT_LOG_LIMIT + 10; i++) m.script.begin('lsa', 'getInfo', () => ({}));
    }
    expect(none.script.log).toHaveLength(0);
    expect(all.script.log).toHaveLength(DEFAULT_LOG_LIMIT + 10);
    all.script.logLimit = 5;
    all.script.begin('lsa', 'getInfo', () => ({}));
    expect(all.script.log).toHaveLength(5);
  });
});
